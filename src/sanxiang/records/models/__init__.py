"""Models of the records context: the ledger and its Merkle logs; the evidence vault."""

from sanxiang.records.models.evidence import (
    Blob,
    Evidence,
    EvidenceAccess,
    EvidenceAnnotation,
    EvidenceKind,
    UploadSession,
    UploadState,
)
from sanxiang.records.models.ledger import LedgerEntry, LogHead, MerkleNode, SignedTreeHead

__all__ = [
    "Blob", "Evidence", "EvidenceAccess", "EvidenceAnnotation", "EvidenceKind", "UploadSession", "UploadState",
    "LedgerEntry", "LogHead", "MerkleNode", "SignedTreeHead"]
