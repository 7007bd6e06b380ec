"""Merkle tree of RFC 6962 §2.1 / RFC 9162 §2.1 (Merkle 树): hashing, proofs, verification.

Pure and stdlib only. Vocabulary:

* **leaf hash** ``HASH(0x00 ‖ data)``, **node hash** ``HASH(0x01 ‖ left ‖ right)``, the empty
  tree's root ``HASH("")``; ``HASH`` is SHA-256 unless another `Hasher` is passed (`SM3Hasher`
  for 国密 deployments).
* **subtree** ``(start, size)``: the leaves ``[start, start + size)``. Only *complete,
  aligned* subtrees are ever stored or requested: ``size`` a power of two and
  ``start % size == 0``. A database keeps them as nodes ``(level, index)`` with
  ``size == 2**level`` and ``start == index * size`` (`subtree_to_node`, `node_to_subtree`).
* **subtree source**: anything with ``subtree(start, size) -> bytes`` (`SubtreeSource`).
  `root`, `inclusion_proof` and `consistency_proof` read only from it, and only the
  O(log n) subtrees that `needed_subtrees_for_root` / `_for_inclusion` / `_for_consistency`
  name beforehand, so an adapter can fetch them in one query.

RFC 6962 splits a tree of n leaves at the largest power of two k < n. The left part is
then complete and aligned; the right part, when incomplete, starts at a multiple of a power
of two at least as large as itself, so its hash is composed from the complete aligned
subtrees of its binary decomposition (`_pieces`). That is how every request stays complete
and aligned.

Verification (`verify_inclusion`, `verify_consistency`, `root_from_inclusion_proof`)
follows RFC 9162 §2.1.3.2 and §2.1.4.2, checks sizes, hash lengths and the exact proof
length before hashing anything, and fails with one exception, `ProofError`, which carries
the expected and the computed root.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple, Protocol, runtime_checkable

__all__ = [
    "SHA256",
    "CompactRange",
    "HashlibHasher",
    "Hasher",
    "MappingSubtreeSource",
    "MemorySubtreeSource",
    "Node",
    "ProofError",
    "SHA256Hasher",
    "SM3Hasher",
    "Subtree",
    "SubtreeSource",
    "consistency_proof",
    "consistency_proof_length",
    "inclusion_proof",
    "inclusion_proof_length",
    "leaf_hash",
    "needed_subtrees_for_consistency",
    "needed_subtrees_for_inclusion",
    "needed_subtrees_for_root",
    "node_hash",
    "node_to_subtree",
    "root",
    "root_from_inclusion_proof",
    "subtree_to_node",
    "verify_consistency",
    "verify_inclusion",
]

Subtree = tuple[int, int]
"""``(start, size)`` of a complete aligned subtree."""


# --------------------------------------------------------------------------- hashing


@runtime_checkable
class Hasher(Protocol):
    """Domain-separated tree hashing (RFC 6962 §2.1)."""

    name: str
    digest_size: int

    def leaf(self, data: bytes) -> bytes:
        """``HASH(0x00 ‖ data)``."""
        ...

    def node(self, left: bytes, right: bytes) -> bytes:
        """``HASH(0x01 ‖ left ‖ right)``."""
        ...

    def empty(self) -> bytes:
        """``HASH("")``, the root of the empty tree."""
        ...


class HashlibHasher:
    """RFC 6962 hashing over any `hashlib` algorithm name."""

    def __init__(self, name: str) -> None:
        self._new = lambda: hashlib.new(name)  # ValueError here if the algorithm is missing
        self.name = name
        self.digest_size = self._new().digest_size

    def leaf(self, data: bytes) -> bytes:
        h = self._new()
        h.update(b"\x00")
        h.update(data)
        return h.digest()

    def node(self, left: bytes, right: bytes) -> bytes:
        h = self._new()
        h.update(b"\x01")
        h.update(left)
        h.update(right)
        return h.digest()

    def empty(self) -> bytes:
        return self._new().digest()

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class SHA256Hasher(HashlibHasher):
    """SHA-256, the hash of RFC 6962 and of the public API (the default)."""

    def __init__(self) -> None:
        super().__init__("sha256")
        self._new = hashlib.sha256


class SM3Hasher(HashlibHasher):
    """SM3 (GB/T 32905-2016, 国密) with the same RFC 6962 prefixes, for 密评 deployments."""

    def __init__(self) -> None:
        super().__init__("sm3")


SHA256: Hasher = SHA256Hasher()


def leaf_hash(data: bytes) -> bytes:
    """SHA-256 leaf hash ``SHA-256(0x00 ‖ data)``."""
    return SHA256.leaf(data)


def node_hash(left: bytes, right: bytes) -> bytes:
    """SHA-256 interior node hash ``SHA-256(0x01 ‖ left ‖ right)``."""
    return SHA256.node(left, right)


# --------------------------------------------------------------------------- subtrees


def _check_int(name: str, value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    return value


def _is_power_of_two(x: int) -> bool:
    return x > 0 and x & (x - 1) == 0


def _check_subtree(start: int, size: int) -> None:
    _check_int("start", start)
    _check_int("size", size)
    if not _is_power_of_two(size) or start < 0 or start % size:
        raise ValueError(f"({start}, {size}) is not a complete aligned subtree")


def subtree_to_node(start: int, size: int) -> tuple[int, int]:
    """``(start, size)`` → stored node ``(level, index)``."""
    _check_subtree(start, size)
    level = size.bit_length() - 1
    return level, start >> level


def node_to_subtree(level: int, index: int) -> Subtree:
    """Stored node ``(level, index)`` → ``(start, size)``."""
    if _check_int("level", level) < 0 or _check_int("index", index) < 0:
        raise ValueError(f"no node at level {level} index {index}")
    return index << level, 1 << level


def _pieces(start: int, size: int) -> list[Subtree]:
    """Complete aligned subtrees covering ``[start, start + size)``, largest first.

    Valid for every range RFC 6962's recursion visits: ``start`` is then a multiple of a
    power of two >= ``size``, so each piece (a bit of ``size``, highest first) is aligned.
    """
    out = []
    while size:
        piece = 1 << (size.bit_length() - 1)
        out.append((start, piece))
        start += piece
        size -= piece
    return out


def _split(size: int) -> int:
    """The largest power of two strictly below ``size`` (``size >= 2``)."""
    return 1 << ((size - 1).bit_length() - 1)


def _root_ranges(n: int) -> list[Subtree]:
    return [(0, n)] if n else []


def _inclusion_ranges(index: int, tree_size: int) -> list[Subtree]:
    """The ranges whose MTH make up PATH(index, D[tree_size]), leaf level first (§2.1.1)."""
    _check_int("index", index)
    _check_int("tree_size", tree_size)
    if not 0 <= index < tree_size:
        raise ValueError(f"leaf index {index} is not in a tree of size {tree_size}")
    ranges, start, size = [], 0, tree_size
    while size > 1:
        k = _split(size)
        if index < k:
            ranges.append((start + k, size - k))
            size = k
        else:
            ranges.append((start, k))
            start, index, size = start + k, index - k, size - k
    ranges.reverse()
    return ranges


def _consistency_ranges(m: int, n: int) -> list[Subtree]:
    """The ranges whose MTH make up PROOF(m, D[n]) (§2.1.2), in proof order."""
    _check_int("m", m)
    _check_int("n", n)
    if not 0 <= m <= n:
        raise ValueError(f"no consistency proof from size {m} to size {n}")
    if m in (0, n):
        return []
    siblings, start, size, complete = [], 0, n, True  # complete: the `b` flag of SUBPROOF
    while m != size:
        k = _split(size)
        if m <= k:
            siblings.append((start + k, size - k))
            size = k
        else:
            siblings.append((start, k))
            start, m, size, complete = start + k, m - k, size - k, False
    siblings.reverse()
    return siblings if complete else [(start, size), *siblings]


def _needed(ranges: Iterable[Subtree]) -> frozenset[Subtree]:
    return frozenset(piece for start, size in ranges for piece in _pieces(start, size))


def needed_subtrees_for_root(n: int) -> frozenset[Subtree]:
    """The complete aligned subtrees `root(n, ...)` will request (at most log2(n) + 1)."""
    if _check_int("n", n) < 0:
        raise ValueError(f"tree size {n} is negative")
    return _needed(_root_ranges(n))


def needed_subtrees_for_inclusion(index: int, tree_size: int) -> frozenset[Subtree]:
    """The complete aligned subtrees `inclusion_proof(index, tree_size, ...)` will request."""
    return _needed(_inclusion_ranges(index, tree_size))


def needed_subtrees_for_consistency(m: int, n: int) -> frozenset[Subtree]:
    """The complete aligned subtrees `consistency_proof(m, n, ...)` will request."""
    return _needed(_consistency_ranges(m, n))


@runtime_checkable
class SubtreeSource(Protocol):
    def subtree(self, start: int, size: int) -> bytes:
        """Hash of the complete aligned subtree ``[start, start + size)``; `LookupError`
        when it is not stored (yet)."""
        ...


def _range_hash(start: int, size: int, source: SubtreeSource, hasher: Hasher) -> bytes:
    """MTH(D[start:start + size]) from complete aligned subtrees (right fold of `_pieces`)."""
    pieces = _pieces(start, size)
    result = source.subtree(*pieces[-1])
    for piece in reversed(pieces[:-1]):
        result = hasher.node(source.subtree(*piece), result)
    return result


def root(n: int, source: SubtreeSource, hasher: Hasher = SHA256) -> bytes:
    """MTH(D[n]), the root of the first ``n`` leaves (§2.1); ``hasher.empty()`` for 0."""
    if _check_int("n", n) < 0:
        raise ValueError(f"tree size {n} is negative")
    return _range_hash(0, n, source, hasher) if n else hasher.empty()


def inclusion_proof(
    index: int, tree_size: int, source: SubtreeSource, hasher: Hasher = SHA256
) -> list[bytes]:
    """PATH(index, D[tree_size]) of RFC 6962 §2.1.1 (audit path, leaf level first)."""
    return [_range_hash(s, z, source, hasher) for s, z in _inclusion_ranges(index, tree_size)]


def consistency_proof(m: int, n: int, source: SubtreeSource, hasher: Hasher = SHA256) -> list[bytes]:
    """PROOF(m, D[n]) of RFC 6962 §2.1.2; empty when ``m`` is 0 or ``n``."""
    return [_range_hash(s, z, source, hasher) for s, z in _consistency_ranges(m, n)]


class MemorySubtreeSource:
    """`SubtreeSource` over leaf hashes held in memory (tests, small trees, tooling)."""

    def __init__(self, leaf_hashes: Sequence[bytes], hasher: Hasher = SHA256) -> None:
        levels = [list(leaf_hashes)]
        while len(levels[-1]) > 1:
            below = levels[-1]
            levels.append([hasher.node(below[i], below[i + 1]) for i in range(0, len(below) - 1, 2)])
        self._levels = levels
        self.size = len(levels[0])

    @classmethod
    def from_leaves(cls, leaves: Iterable[bytes], hasher: Hasher = SHA256) -> MemorySubtreeSource:
        """Build from leaf *data* (hashed with ``hasher.leaf``)."""
        return cls([hasher.leaf(data) for data in leaves], hasher)

    def subtree(self, start: int, size: int) -> bytes:
        level, index = subtree_to_node(start, size)
        if start + size > self.size:
            raise LookupError(f"subtree ({start}, {size}) is beyond {self.size} leaves")
        return self._levels[level][index]


class MappingSubtreeSource:
    """`SubtreeSource` over stored nodes ``{(level, index): hash}``, e.g. one query's rows."""

    def __init__(self, nodes: Mapping[tuple[int, int], bytes]) -> None:
        self._nodes = nodes

    def subtree(self, start: int, size: int) -> bytes:
        key = subtree_to_node(start, size)
        try:
            return self._nodes[key]
        except KeyError:
            raise LookupError(f"no stored node at level {key[0]} index {key[1]}") from None


# --------------------------------------------------------------------------- appending


class Node(NamedTuple):
    """A complete aligned subtree to store: ``2**level`` leaves from ``index * 2**level``."""

    level: int
    index: int
    hash: bytes

    @property
    def subtree(self) -> Subtree:
        return node_to_subtree(self.level, self.index)


class CompactRange:
    """Incremental builder: the roots of the maximal complete subtrees of ``[0, size)``.

    `append_leaf` returns the nodes that the append completes, to be stored: the leaf
    itself (level 0) and one node per level it closes. That is 1 + (trailing one bits of
    the old size): at most ``log2(n) + 1``, on average 2 (1 leaf + 1 interior node).
    """

    def __init__(self, hasher: Hasher = SHA256) -> None:
        self.hasher = hasher
        self.size = 0
        self._hashes: list[bytes] = []  # largest (leftmost) subtree first

    @classmethod
    def from_source(cls, size: int, source: SubtreeSource, hasher: Hasher = SHA256) -> CompactRange:
        """Resume after ``size`` leaves, reading the at most log2(n) + 1 subtrees it keeps."""
        if _check_int("size", size) < 0:
            raise ValueError(f"tree size {size} is negative")
        compact = cls(hasher)
        compact._hashes = [source.subtree(s, z) for s, z in _pieces(0, size)]
        compact.size = size
        return compact

    @property
    def hashes(self) -> tuple[bytes, ...]:
        """Hashes of the subtrees `needed_subtrees_for_root(size)` names, largest first."""
        return tuple(self._hashes)

    def append_leaf(self, leaf_hash: bytes) -> list[Node]:
        """Append one leaf *hash*; return the newly completed nodes, leaf first."""
        if len(leaf_hash) != self.hasher.digest_size:
            raise ValueError(f"leaf hash must be {self.hasher.digest_size} bytes")
        current, level, index = bytes(leaf_hash), 0, self.size
        new = [Node(0, index, current)]
        while index & 1:
            current = self.hasher.node(self._hashes.pop(), current)
            level, index = level + 1, index >> 1
            new.append(Node(level, index, current))
        self._hashes.append(current)
        self.size += 1
        return new

    def append_data(self, data: bytes) -> list[Node]:
        """`append_leaf(hasher.leaf(data))`."""
        return self.append_leaf(self.hasher.leaf(data))

    def root(self) -> bytes:
        """MTH of the ``size`` leaves appended so far."""
        if not self._hashes:
            return self.hasher.empty()
        result = self._hashes[-1]
        for left in reversed(self._hashes[:-1]):
            result = self.hasher.node(left, result)
        return result


# --------------------------------------------------------------------------- verification


class ProofError(ValueError):
    """A proof did not verify. `code` says why; `expected` is the root the caller trusts,
    `computed` the root the proof leads to (None when preconditions failed before hashing).

    Codes: ``bad_size``, ``index_out_of_range``, ``size_order``, ``hash_length``,
    ``proof_length``, ``root_mismatch``, ``first_root_mismatch``, ``second_root_mismatch``.
    """

    def __init__(
        self, code: str, message: str, *, expected: bytes | None = None, computed: bytes | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.expected = expected
        self.computed = computed

    def __str__(self) -> str:
        text = f"{self.code}: {self.message}"
        if self.expected is not None or self.computed is not None:
            expected = self.expected.hex() if self.expected is not None else "-"
            computed = self.computed.hex() if self.computed is not None else "-"
            text += f" (expected {expected}, computed {computed})"
        return text


def inclusion_proof_length(index: int, tree_size: int) -> int:
    """Exact length of PATH(index, D[tree_size]) for ``0 <= index < tree_size``."""
    inner = (index ^ (tree_size - 1)).bit_length()
    return inner + (index >> inner).bit_count()


def consistency_proof_length(m: int, n: int) -> int:
    """Exact length of PROOF(m, D[n]) for ``0 <= m <= n`` (0 when ``m`` is 0 or ``n``)."""
    if m in (0, n):
        return 0
    shift = (m & -m).bit_length() - 1  # trailing zero bits of m
    length = inclusion_proof_length(m - 1, n) - shift
    return length if m == 1 << shift else length + 1


def _check_sizes(hasher: Hasher, expected: bytes | None, **hashes: object) -> None:
    for name, value in hashes.items():
        if not isinstance(value, bytes | bytearray) or len(value) != hasher.digest_size:
            raise ProofError(
                "hash_length", f"{name} is not a {hasher.digest_size}-byte hash", expected=expected
            )


def _check_proof(hasher: Hasher, proof: Sequence[bytes], want: int, expected: bytes | None) -> None:
    if len(proof) != want:
        raise ProofError(
            "proof_length", f"proof has {len(proof)} hashes, {want} expected", expected=expected
        )
    _check_sizes(hasher, expected, **{f"proof[{i}]": p for i, p in enumerate(proof)})


def _check_size(name: str, value: int, expected: bytes | None) -> None:
    if _check_int(name, value) < 0:
        raise ProofError("bad_size", f"{name} {value} is negative", expected=expected)


def _shift_until_odd(fn: int, sn: int) -> tuple[int, int]:
    while fn and not fn & 1:
        fn, sn = fn >> 1, sn >> 1
    return fn, sn


def _root_from_inclusion(
    leaf_hash: bytes, index: int, tree_size: int, proof: Sequence[bytes], hasher: Hasher,
    expected: bytes | None,
) -> bytes:
    _check_size("index", index, expected)
    _check_size("tree_size", tree_size, expected)
    if index >= tree_size:
        raise ProofError(
            "index_out_of_range", f"leaf index {index} >= tree size {tree_size}", expected=expected
        )
    _check_sizes(hasher, expected, leaf_hash=leaf_hash)
    _check_proof(hasher, proof, inclusion_proof_length(index, tree_size), expected)
    # RFC 9162 §2.1.3.2, steps 2-5.
    fn, sn, r = index, tree_size - 1, bytes(leaf_hash)
    for p in proof:
        if sn == 0:  # unreachable after the length check; kept as the RFC states it
            raise ProofError("proof_length", "proof is too long", expected=expected)
        if fn & 1 or fn == sn:
            r = hasher.node(p, r)
            fn, sn = _shift_until_odd(fn, sn)
        else:
            r = hasher.node(r, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:  # unreachable after the length check
        raise ProofError("proof_length", "proof is too short", expected=expected, computed=r)
    return r


def root_from_inclusion_proof(
    leaf_hash: bytes, index: int, tree_size: int, proof: Sequence[bytes], hasher: Hasher = SHA256
) -> bytes:
    """The root that ``proof`` leads to from ``leaf_hash`` at ``index`` (RFC 9162 §2.1.3.2).

    Raises `ProofError` when the inputs cannot form a valid proof (sizes, lengths).
    """
    return _root_from_inclusion(leaf_hash, index, tree_size, proof, hasher, None)


def verify_inclusion(
    leaf_hash: bytes, index: int, tree_size: int, proof: Sequence[bytes], root: bytes,
    hasher: Hasher = SHA256,
) -> None:
    """Check that ``leaf_hash`` is leaf ``index`` of the tree of ``tree_size`` with ``root``.

    Returns None; raises `ProofError` otherwise.
    """
    _check_sizes(hasher, None, root=root)
    computed = _root_from_inclusion(leaf_hash, index, tree_size, proof, hasher, bytes(root))
    if computed != root:
        raise ProofError(
            "root_mismatch", "inclusion proof leads to another root",
            expected=bytes(root), computed=computed,
        )


def verify_consistency(
    m: int, n: int, first_root: bytes, second_root: bytes, proof: Sequence[bytes],
    hasher: Hasher = SHA256,
) -> None:
    """Check that the tree of size ``n`` with ``second_root`` extends the tree of size ``m``
    with ``first_root`` (RFC 9162 §2.1.4.2). Returns None; raises `ProofError` otherwise.

    ``m == n`` needs an empty proof and equal roots; ``m == 0`` needs an empty proof and
    ``first_root == hasher.empty()`` (every tree extends the empty one).
    """
    _check_sizes(hasher, None, first_root=first_root, second_root=second_root)
    first_root, second_root = bytes(first_root), bytes(second_root)
    _check_size("first size", m, second_root)
    _check_size("second size", n, second_root)
    if m > n:
        raise ProofError("size_order", f"first size {m} > second size {n}", expected=second_root)
    _check_proof(hasher, proof, consistency_proof_length(m, n), second_root)
    if m == 0 and first_root != hasher.empty():
        raise ProofError(
            "first_root_mismatch", "the root of size 0 is the empty tree's",
            expected=first_root, computed=hasher.empty(),
        )
    if m == n and first_root != second_root:
        raise ProofError(
            "root_mismatch", f"two different roots for size {n}",
            expected=second_root, computed=first_root,
        )
    if m in (0, n):
        return
    # RFC 9162 §2.1.4.2, steps 2-7.
    path = list(proof)
    if _is_power_of_two(m):
        path.insert(0, first_root)
    fn, sn = m - 1, n - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:  # unreachable after the length check
            raise ProofError("proof_length", "proof is too long", expected=second_root)
        if fn & 1 or fn == sn:
            fr, sr = hasher.node(c, fr), hasher.node(c, sr)
            fn, sn = _shift_until_odd(fn, sn)
        else:
            sr = hasher.node(sr, c)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:  # unreachable after the length check
        raise ProofError("proof_length", "proof is too short", expected=second_root)
    if fr != first_root:
        raise ProofError(
            "first_root_mismatch", f"proof does not lead to the root of size {m}",
            expected=first_root, computed=fr,
        )
    if sr != second_root:
        raise ProofError(
            "second_root_mismatch", f"proof does not lead to the root of size {n}",
            expected=second_root, computed=sr,
        )
