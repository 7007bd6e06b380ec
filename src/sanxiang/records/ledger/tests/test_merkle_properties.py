"""Properties of `merkle` over random trees of 1..300 leaves, against the recursive
RFC 6962 definitions in `scripts/make-merkle-vectors.py` (`reference.load()`)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanxiang.records.ledger.merkle import (
    SHA256,
    CompactRange,
    MappingSubtreeSource,
    MemorySubtreeSource,
    ProofError,
    consistency_proof,
    consistency_proof_length,
    inclusion_proof,
    inclusion_proof_length,
    needed_subtrees_for_consistency,
    needed_subtrees_for_inclusion,
    needed_subtrees_for_root,
    node_to_subtree,
    root,
    subtree_to_node,
    verify_consistency,
    verify_inclusion,
)
from sanxiang.records.ledger.tests import reference

PROPERTY = settings(database=None, deadline=None, max_examples=60)
MAX_LEAVES = 300


def make_leaves(n: int, seed: int) -> list[bytes]:
    return [f"{seed}:{i}".encode() for i in range(n)]


class RecordingSource:
    """Wraps a source; fails on any request that is not complete, aligned and < limit."""

    def __init__(self, inner, limit: int) -> None:
        self.inner, self.limit, self.requests = inner, limit, []

    def subtree(self, start: int, size: int) -> bytes:
        assert size > 0 and size & (size - 1) == 0, (start, size)
        assert start % size == 0, (start, size)
        assert start + size <= self.limit, (start, size, self.limit)
        self.requests.append((start, size))
        return self.inner.subtree(start, size)


@st.composite
def trees(draw, min_leaves: int = 1):
    """(leaves, source) with `len(leaves)` in [min_leaves, MAX_LEAVES]."""
    n = draw(st.integers(min_leaves, MAX_LEAVES))
    leaves = make_leaves(n, draw(st.integers(0, 2**32)))
    return leaves, MemorySubtreeSource.from_leaves(leaves)


def flip(h: bytes, bit: int) -> bytes:
    return h[:bit // 8] + bytes([h[bit // 8] ^ (1 << bit % 8)]) + h[bit // 8 + 1:]


def raises_proof_error(check, *args) -> bool:
    try:
        check(*args)
    except ProofError:
        return True
    return False


# ----------------------------------------------------------------- proofs verify


@PROPERTY
@given(trees(), st.data())
def test_inclusion_proofs_verify_and_are_rfc6962_paths(tree, data):
    ref = reference.load()
    leaves, source = tree
    size = data.draw(st.integers(1, len(leaves)), label="tree_size")
    top = root(size, source)
    assert top == ref.mth(leaves[:size])
    for index in data.draw(st.lists(st.integers(0, size - 1), min_size=1, max_size=6, unique=True)):
        recording = RecordingSource(source, size)
        proof = inclusion_proof(index, size, recording)
        assert proof == ref.path(index, leaves[:size])
        assert len(proof) == inclusion_proof_length(index, size)
        assert sorted(recording.requests) == sorted(needed_subtrees_for_inclusion(index, size))
        verify_inclusion(SHA256.leaf(leaves[index]), index, size, proof, top)


@PROPERTY
@given(trees(), st.data())
def test_consistency_proofs_verify_and_are_rfc6962_proofs(tree, data):
    ref = reference.load()
    leaves, source = tree
    n = data.draw(st.integers(0, len(leaves)), label="n")
    m = data.draw(st.integers(0, n), label="m")
    recording = RecordingSource(source, n)
    proof = consistency_proof(m, n, recording)
    assert proof == ref.proof(m, leaves[:n])
    assert len(proof) == consistency_proof_length(m, n)
    assert sorted(recording.requests) == sorted(needed_subtrees_for_consistency(m, n))
    verify_consistency(m, n, root(m, source), root(n, source), proof)


def test_every_proof_of_every_small_tree_verifies():
    leaves = make_leaves(33, 0)
    source = MemorySubtreeSource.from_leaves(leaves)
    roots = [root(n, source) for n in range(34)]
    for n in range(1, 34):
        for index in range(n):
            proof = inclusion_proof(index, n, source)
            verify_inclusion(SHA256.leaf(leaves[index]), index, n, proof, roots[n])
        for m in range(n + 1):
            verify_consistency(m, n, roots[m], roots[n], consistency_proof(m, n, source))


@PROPERTY
@given(trees(min_leaves=0))
def test_root_requests_only_the_binary_decomposition(tree):
    leaves, source = tree
    n = len(leaves)
    recording = RecordingSource(source, n)
    root(n, recording)
    assert sorted(recording.requests) == sorted(needed_subtrees_for_root(n))
    assert len(recording.requests) == n.bit_count()


# ----------------------------------------------------------------- incremental builder


@PROPERTY
@given(st.integers(0, MAX_LEAVES), st.integers(0, 2**32), st.data())
def test_compact_range_stores_exactly_the_complete_subtrees(n, seed, data):
    ref = reference.load()
    leaves = make_leaves(n, seed)
    compact, stored = CompactRange(), {}
    for i, leaf in enumerate(leaves):
        new = compact.append_leaf(SHA256.leaf(leaf))
        assert len(new) == 1 + (~i & (i + 1)).bit_length() - 1  # 1 + trailing ones of i
        assert new[0].level == 0 and new[0].index == i
        for node in new:
            assert (node.level, node.index) not in stored
            stored[(node.level, node.index)] = node.hash
    assert compact.size == n
    assert len(stored) == 2 * n - n.bit_count()  # n leaves + (n - popcount(n)) interior
    # Exactly the complete aligned subtrees, with the naive hashes.
    for (level, index), value in stored.items():
        start, size = node_to_subtree(level, index)
        assert start + size <= n
        assert value == ref.mth(leaves[start:start + size])
    # Any prefix's root and proofs come out of the stored nodes alone.
    source = MappingSubtreeSource(stored)
    assert compact.root() == root(n, source) == ref.mth(leaves)
    size = data.draw(st.integers(0, n), label="prefix")
    assert root(size, source) == ref.mth(leaves[:size])
    if size:
        index = data.draw(st.integers(0, size - 1), label="index")
        assert inclusion_proof(index, size, source) == ref.path(index, leaves[:size])


@PROPERTY
@given(st.integers(0, 100), st.integers(1, 40))
def test_compact_range_resumes_from_stored_subtrees(n, more):
    leaves = make_leaves(n + more, 7)
    whole = CompactRange()
    for leaf in leaves:
        whole.append_data(leaf)
    resumed = CompactRange.from_source(n, MemorySubtreeSource.from_leaves(leaves[:n]))
    assert len(resumed.hashes) == n.bit_count()
    for leaf in leaves[n:]:
        resumed.append_data(leaf)
    assert resumed.root() == whole.root() and resumed.hashes == whole.hashes


def test_compact_range_of_nothing_is_the_empty_root():
    assert CompactRange().root() == SHA256.empty()


# ----------------------------------------------------------------- corruptions fail


@PROPERTY
@given(trees(), st.data())
def test_inclusion_bit_flips_fail(tree, data):
    leaves, source = tree
    n = len(leaves)
    index = data.draw(st.integers(0, n - 1), label="index")
    leaf, proof, top = SHA256.leaf(leaves[index]), inclusion_proof(index, n, source), root(n, source)
    bit = data.draw(st.integers(0, 255), label="bit")
    with pytest.raises(ProofError) as caught:
        verify_inclusion(flip(leaf, bit), index, n, proof, top)
    assert caught.value.code == "root_mismatch"
    assert caught.value.expected == top and caught.value.computed not in (None, top)
    with pytest.raises(ProofError):
        verify_inclusion(leaf, index, n, proof, flip(top, bit))
    if proof:
        i = data.draw(st.integers(0, len(proof) - 1), label="element")
        bad = [*proof]
        bad[i] = flip(bad[i], bit)
        with pytest.raises(ProofError, match="root_mismatch"):
            verify_inclusion(leaf, index, n, bad, top)


@PROPERTY
@given(trees(min_leaves=2), st.data())
def test_inclusion_wrong_index_fails(tree, data):
    leaves, source = tree
    n = len(leaves)
    index = data.draw(st.integers(0, n - 1), label="index")
    other = data.draw(st.integers(-1, n + 1).filter(lambda j: j != index), label="other")
    proof, top = inclusion_proof(index, n, source), root(n, source)
    with pytest.raises(ProofError):
        verify_inclusion(SHA256.leaf(leaves[index]), other, n, proof, top)


@PROPERTY
@given(trees(), st.data())
def test_inclusion_wrong_size_fails_unless_the_proof_shape_is_the_same(tree, data):
    """Another size verifies only where its audit path has the very same shape (e.g. leaf 1
    of 3 and of 4): the proof binds leaf and root; the signed head binds the size. Agrees
    with the recursive reference verifier on every size tried."""
    ref = reference.load()
    leaves, source = tree
    n = len(leaves)
    index = data.draw(st.integers(0, n - 1), label="index")
    other = data.draw(st.integers(0, 2 * n + 2).filter(lambda k: k != n), label="other size")
    leaf, proof, top = SHA256.leaf(leaves[index]), inclusion_proof(index, n, source), root(n, source)
    failed = raises_proof_error(verify_inclusion, leaf, index, other, proof, top)
    assert failed == (not ref.inclusion_ok(leaf, index, other, proof, top))
    if index < other and inclusion_proof_length(index, other) != len(proof):
        assert failed


@PROPERTY
@given(trees(min_leaves=2), st.data())
def test_consistency_corruptions_fail(tree, data):
    ref = reference.load()
    leaves, source = tree
    n = data.draw(st.integers(2, len(leaves)), label="n")
    m = data.draw(st.integers(1, n - 1), label="m")
    first, second = root(m, source), root(n, source)
    proof = consistency_proof(m, n, source)
    bit = data.draw(st.integers(0, 255), label="bit")
    i = data.draw(st.integers(0, len(proof) - 1), label="element")
    bad = [*proof]
    bad[i] = flip(bad[i], bit)
    for args in [
        (m, n, first, second, bad),
        (m, n, flip(first, bit), second, proof),
        (m, n, first, flip(second, bit), proof),
        (m, n, second, first, proof),
        (n, m, first, second, proof),
        (m, n, first, second, proof[:-1]),
        (m, n, first, second, [*proof, proof[-1]]),
    ]:
        with pytest.raises(ProofError):
            verify_consistency(*args)
    other_m = data.draw(st.integers(0, n + 1).filter(lambda k: k != m), label="other m")
    with pytest.raises(ProofError):
        verify_consistency(other_m, n, first, second, proof)
    other_n = data.draw(st.integers(0, 2 * n + 2).filter(lambda k: k != n), label="other n")
    failed = raises_proof_error(verify_consistency, m, other_n, first, second, proof)
    assert failed == (not ref.consistency_ok(m, other_n, first, second, proof))


# ----------------------------------------------------------------- preconditions


def test_preconditions_fail_before_hashing_with_a_code():
    class NoHashing:
        name, digest_size = "none", 32

        def leaf(self, *args):
            raise AssertionError("hashed")

        node = empty = leaf

    h, none = b"\x00" * 32, NoHashing()
    cases = [
        (verify_inclusion, (h, 3, 3, [], h, none), "index_out_of_range"),
        (verify_inclusion, (h, -1, 3, [], h, none), "bad_size"),
        (verify_inclusion, (h, 0, 3, [h], h, none), "proof_length"),
        (verify_inclusion, (h, 0, 3, [h, b"short"], h, none), "hash_length"),
        (verify_inclusion, (b"short", 0, 1, [], h, none), "hash_length"),
        (verify_inclusion, (h, 0, 1, [], b"", none), "hash_length"),
        (verify_consistency, (3, 2, h, h, [], none), "size_order"),
        (verify_consistency, (-1, 2, h, h, [], none), "bad_size"),
        (verify_consistency, (1, 2, h, h, [], none), "proof_length"),
        (verify_consistency, (2, 2, h, h, [h], none), "proof_length"),
        (verify_consistency, (1, 2, h, b"x", [h], none), "hash_length"),
    ]
    for check, args, code in cases:
        with pytest.raises(ProofError) as caught:
            check(*args)
        assert caught.value.code == code, (args, caught.value)


def test_equal_sizes_need_equal_roots():
    a, b = SHA256.leaf(b"a"), SHA256.leaf(b"b")
    verify_consistency(1, 1, a, a, [])
    with pytest.raises(ProofError) as caught:
        verify_consistency(1, 1, a, b, [])
    assert (caught.value.code, caught.value.expected, caught.value.computed) == ("root_mismatch", b, a)


def test_every_tree_extends_the_empty_tree_only():
    some = SHA256.leaf(b"a")
    verify_consistency(0, 5, SHA256.empty(), some, [])
    verify_consistency(0, 0, SHA256.empty(), SHA256.empty(), [])
    with pytest.raises(ProofError, match="first_root_mismatch"):
        verify_consistency(0, 5, some, some, [])
    with pytest.raises(ProofError, match="root_mismatch"):
        verify_consistency(0, 0, SHA256.empty(), some, [])


def test_proof_error_message_carries_both_roots():
    leaves = make_leaves(5, 1)
    source = MemorySubtreeSource.from_leaves(leaves)
    top = root(5, source)
    with pytest.raises(ProofError) as caught:
        verify_inclusion(SHA256.leaf(b"x"), 2, 5, inclusion_proof(2, 5, source), top)
    assert isinstance(caught.value, ValueError)
    assert top.hex() in str(caught.value) and caught.value.computed.hex() in str(caught.value)


def test_proof_generation_refuses_impossible_requests():
    source = MemorySubtreeSource.from_leaves(make_leaves(4, 0))
    for call in [
        lambda: inclusion_proof(4, 4, source),
        lambda: inclusion_proof(-1, 4, source),
        lambda: consistency_proof(5, 4, source),
        lambda: root(-1, source),
        lambda: source.subtree(1, 2),
        lambda: source.subtree(0, 3),
    ]:
        with pytest.raises(ValueError):
            call()
    with pytest.raises(LookupError):
        root(5, source)
    with pytest.raises(TypeError):
        inclusion_proof(True, 4, source)


def test_node_and_subtree_keys_round_trip():
    for level in range(6):
        for index in range(5):
            assert subtree_to_node(*node_to_subtree(level, index)) == (level, index)
    assert node_to_subtree(3, 2) == (16, 8)


@PROPERTY
@given(st.integers(1, 2**40), st.data())
def test_needed_subtrees_stay_logarithmic(n, data):
    bound = 2 * n.bit_length()
    index = data.draw(st.integers(0, n - 1), label="index")
    m = data.draw(st.integers(0, n), label="m")
    assert len(needed_subtrees_for_inclusion(index, n)) <= bound
    assert len(needed_subtrees_for_consistency(m, n)) <= bound
    assert len(needed_subtrees_for_root(n)) <= n.bit_length()
