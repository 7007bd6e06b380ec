"""Known answers for RFC 6962 §2.1 hashing and proofs, each reproducible from a shell.

The 8 reference leaves and their roots, node hashes and proofs are the test vectors
published with the RFC 6962 reference code (transparency-dev/merkle: testonly/constants.go,
proof/verify_test.go; there leaf numbers in proofs are 1-based, here indexes are 0-based).
"""

from __future__ import annotations

import hashlib

import pytest

from sanxiang.records.ledger.merkle import (
    SHA256,
    MemorySubtreeSource,
    SHA256Hasher,
    SM3Hasher,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
    root,
    root_from_inclusion_proof,
    verify_consistency,
    verify_inclusion,
)

LEAVES = [bytes.fromhex(h) for h in (
    "", "00", "10", "2021", "3031", "40414243", "5051525354555657",
    "606162636465666768696a6b6c6d6e6f",
)]
SOURCE = MemorySubtreeSource.from_leaves(LEAVES)

ROOTS = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]

# Complete subtrees of the 8 leaves: level -> hashes left to right.
NODES = {
    0: ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
        "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
        "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
        "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1"],
    1: ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"],
    2: ["d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"],
    3: ["5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"],
}

INCLUSION = [  # (index, tree_size, path)
    (0, 1, []),
    (0, 8, [NODES[0][1], NODES[1][1], NODES[2][1]]),
    (5, 8, [NODES[0][4], NODES[1][3], NODES[2][0]]),
    (2, 3, [NODES[1][0]]),
    (1, 5, [NODES[0][0], NODES[1][1], NODES[0][4]]),
]

CONSISTENCY = [  # (m, n, proof)
    (1, 1, []),
    (1, 8, [NODES[0][1], NODES[1][1], NODES[2][1]]),
    (6, 8, [NODES[1][2], NODES[1][3], NODES[2][0]]),
    (2, 5, [NODES[1][1], NODES[0][4]]),
    (6, 7, [NODES[1][2], NODES[0][6], NODES[2][0]]),
]


def test_empty_tree_root():  # printf '' | sha256sum
    assert root(0, MemorySubtreeSource([])).hex() == (
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    assert SHA256.empty().hex() == ROOTS[0]


def test_empty_leaf_is_not_empty_root():  # printf '\000' | sha256sum
    assert leaf_hash(b"").hex() == (
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d")


def test_leaf_hash_prefixes_zero_byte():  # printf '\000\000' | sha256sum
    assert leaf_hash(b"\x00").hex() == (
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7")


def test_node_hash_prefixes_one_byte():
    # printf '\001' | cat - <(printf '\000' | sha256sum | xxd -r -p) \
    #     <(printf '\000\000' | sha256sum | xxd -r -p) | sha256sum
    assert node_hash(leaf_hash(b""), leaf_hash(b"\x00")).hex() == (
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")


@pytest.mark.parametrize("size", range(9))
def test_reference_roots(size):
    """Roots of the first `size` reference leaves; size 8 is 5dc9da79…4328."""
    assert root(size, SOURCE).hex() == ROOTS[size]


@pytest.mark.parametrize("level, hashes", NODES.items())
def test_reference_complete_subtrees(level, hashes):
    size = 1 << level
    assert [SOURCE.subtree(i * size, size).hex() for i in range(len(hashes))] == hashes


@pytest.mark.parametrize("index, size, path", INCLUSION)
def test_reference_inclusion_proofs(index, size, path):
    proof = inclusion_proof(index, size, SOURCE)
    assert [h.hex() for h in proof] == path
    leaf = leaf_hash(LEAVES[index])
    assert root_from_inclusion_proof(leaf, index, size, proof).hex() == ROOTS[size]
    verify_inclusion(leaf, index, size, proof, bytes.fromhex(ROOTS[size]))


@pytest.mark.parametrize("m, n, expected", CONSISTENCY)
def test_reference_consistency_proofs(m, n, expected):
    proof = consistency_proof(m, n, SOURCE)
    assert [h.hex() for h in proof] == expected
    verify_consistency(m, n, bytes.fromhex(ROOTS[m]), bytes.fromhex(ROOTS[n]), proof)


def test_sha256_hasher_is_the_default():
    assert SHA256Hasher().leaf(b"") == leaf_hash(b"")
    assert (SHA256Hasher().name, SHA256Hasher().digest_size) == ("sha256", 32)


def test_sm3_empty_root():  # printf '' | openssl dgst -sm3
    assert SM3Hasher().empty().hex() == (
        "1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b")


def test_sm3_leaf_hash():  # printf '\000' | openssl dgst -sm3
    assert SM3Hasher().leaf(b"").hex() == (
        "2daef60e7a0b8f5e024c81cd2ab3109f2b4f155cf83adeb2ae5532f74a157fdf")


def test_sm3_is_the_national_standard():  # printf 'abc' | openssl dgst -sm3 (GB/T 32905-2016 A.1)
    assert hashlib.new("sm3", b"abc").hexdigest() == (
        "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0")


def test_sm3_tree_proves_with_the_same_algorithms():
    sm3 = SM3Hasher()
    source = MemorySubtreeSource.from_leaves(LEAVES, sm3)
    top = root(8, source, sm3)
    assert top != bytes.fromhex(ROOTS[8])
    for index in range(8):
        proof = inclusion_proof(index, 8, source, sm3)
        verify_inclusion(sm3.leaf(LEAVES[index]), index, 8, proof, top, sm3)
    verify_consistency(3, 8, root(3, source, sm3), top, consistency_proof(3, 8, source, sm3), sm3)
