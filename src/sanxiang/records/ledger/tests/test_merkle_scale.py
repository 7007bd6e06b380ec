"""A proof at a million leaves reads O(log n) stored hashes, never the whole log."""

from __future__ import annotations

import hashlib

import pytest

from sanxiang.records.ledger.merkle import (
    consistency_proof,
    inclusion_proof,
    needed_subtrees_for_consistency,
    needed_subtrees_for_inclusion,
    root,
)

N = 1_000_000
LOG2_N = 20  # ceil(log2(1_000_000))


class CountingSource:
    """Answers any complete aligned subtree with a made-up hash and counts the calls."""

    def __init__(self) -> None:
        self.calls: list[tuple[int, int]] = []

    def subtree(self, start: int, size: int) -> bytes:
        assert size & (size - 1) == 0 and start % size == 0 and start + size <= N
        self.calls.append((start, size))
        return hashlib.sha256(f"{start}/{size}".encode()).digest()


@pytest.mark.parametrize("index", [0, 1, 499_999, 524_287, 524_288, 786_431, 999_998, 999_999])
def test_inclusion_proof_at_a_million_leaves(index):
    source = CountingSource()
    proof = inclusion_proof(index, N, source)
    assert len(source.calls) <= 2 * LOG2_N
    assert len(proof) <= LOG2_N
    assert set(source.calls) == needed_subtrees_for_inclusion(index, N)
    assert len(set(source.calls)) == len(source.calls)  # nothing fetched twice


@pytest.mark.parametrize("m", [1, 2, 3, 524_288, 524_289, 999_999])
def test_consistency_proof_at_a_million_leaves(m):
    source = CountingSource()
    consistency_proof(m, N, source)
    assert len(source.calls) <= 2 * LOG2_N
    assert set(source.calls) == needed_subtrees_for_consistency(m, N)


def test_root_at_a_million_leaves():
    source = CountingSource()
    root(N, source)
    assert len(source.calls) == N.bit_count() == 7
