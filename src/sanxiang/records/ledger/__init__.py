"""The ledger's pure core (台账核心): canonical JSON and the RFC 6962 Merkle tree.

Stdlib only, no Django: `canonical` (the bytes that get hashed) and `merkle` (tree
hashing, proofs over stored subtrees, verification). The Django side lives in
`sanxiang.records` (models, `logs`, `services`).
"""
