"""Append-only Merkle logs in the database (the internal ledger, the public log).

Every complete aligned subtree is stored as it completes (`MerkleNode`), and the head
keeps the compact range (frontier), so appending costs O(1) amortised writes and any
root, inclusion or consistency proof costs O(log n) stored hashes fetched in one query.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from sanxiang.records import keys
from sanxiang.records.ledger import merkle
from sanxiang.records.models import LogHead, MerkleNode, SignedTreeHead

HASHER = merkle.SHA256Hasher()


def locked_head(log: str) -> LogHead:
    """The log's head row, locked for this transaction (serialises appenders)."""
    head = LogHead.objects.select_for_update().filter(log=log).first()
    if head is None:
        LogHead.objects.get_or_create(log=log)
        head = LogHead.objects.select_for_update().get(log=log)
    return head


def _frontier(head: LogHead) -> list[bytes | None]:
    return [bytes.fromhex(h) if h else None for h in head.frontier]


def append_leaf(head: LogHead, leaf_data: bytes) -> int:
    """Append one leaf to the locked `head`'s log; returns its index. Caller saves nothing else."""
    index = head.size
    current = HASHER.leaf(leaf_data)
    nodes = [MerkleNode(log=head.log, level=0, index=index, hash=current)]
    frontier = _frontier(head)
    level, position = 0, index
    while position & 1:
        current = HASHER.node(frontier[level], current)
        frontier[level] = None
        level += 1
        position >>= 1
        nodes.append(MerkleNode(log=head.log, level=level, index=position, hash=current))
    if len(frontier) <= level:
        frontier.extend([None] * (level + 1 - len(frontier)))
    frontier[level] = current
    MerkleNode.objects.bulk_create(nodes)
    head.size = index + 1
    head.frontier = [h.hex() if h else "" for h in frontier]
    return index


def frontier_root(frontier: list[bytes | None]) -> bytes:
    """Root of the tree whose compact range is `frontier` (lowest level first)."""
    root = None
    for node in frontier:
        if node is not None:
            root = node if root is None else HASHER.node(node, root)
    return root if root is not None else HASHER.empty()


class StoredSubtrees:
    """`merkle.SubtreeSource` over `MerkleNode` rows, fetched in batches."""

    def __init__(self, log: str) -> None:
        self.log = log
        self._cache: dict[tuple[int, int], bytes] = {}

    def prefetch(self, subtrees) -> None:
        wanted = {((size.bit_length() - 1), start // size) for start, size in subtrees}
        wanted -= set(self._cache)
        if not wanted:
            return
        # One statement with `log` inside every OR term, so SQLite looks each node up by the
        # unique index instead of scanning the whole log (PostgreSQL plans both forms alike);
        # plain SQL because building ~40 ORM Q objects costs more than the lookups.
        table = MerkleNode._meta.db_table
        terms = " OR ".join(['(log = %s AND level = %s AND "index" = %s)'] * len(wanted))
        params = [p for level, index in sorted(wanted) for p in (self.log, level, index)]
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT level, "index", hash FROM {table} WHERE {terms}', params)  # noqa: S608
            rows = cursor.fetchall()
        for level, index, value in rows:
            self._cache[(level, index)] = bytes(value)

    def subtree(self, start: int, size: int) -> bytes:
        key = (size.bit_length() - 1, start // size)
        if key not in self._cache:
            self.prefetch([(start, size)])
        try:
            return self._cache[key]
        except KeyError:
            raise LookupError(f"{self.log}: no stored subtree at level {key[0]} index {key[1]}") from None


def current_size(log: str) -> int:
    head = LogHead.objects.filter(log=log).first()
    return head.size if head else 0


def root_at(log: str, tree_size: int) -> bytes:
    source = StoredSubtrees(log)
    source.prefetch(merkle.needed_subtrees_for_root(tree_size))
    return merkle.root(tree_size, source, HASHER)


def inclusion_proof(log: str, index: int, tree_size: int) -> list[bytes]:
    source = StoredSubtrees(log)
    source.prefetch(merkle.needed_subtrees_for_inclusion(index, tree_size))
    return merkle.inclusion_proof(index, tree_size, source, HASHER)


def consistency_proof(log: str, first: int, second: int) -> list[bytes]:
    source = StoredSubtrees(log)
    source.prefetch(merkle.needed_subtrees_for_consistency(first, second))
    return merkle.consistency_proof(first, second, source, HASHER)


@dataclass(frozen=True)
class TreeHead:
    tree_size: int
    root_hash: str
    timestamp: int
    signature: str
    public_key: str

    def as_dict(self) -> dict:
        return {"tree_size": self.tree_size, "root_hash": self.root_hash, "timestamp": self.timestamp,
                "signature": self.signature, "public_key": self.public_key, "algorithm": "ed25519"}


def _as_head(sth: SignedTreeHead) -> TreeHead:
    return TreeHead(sth.tree_size, sth.root_hash, sth.timestamp, sth.signature, keys.public_key_b64())


@transaction.atomic
def sign_head(log: str) -> TreeHead:
    """Sign the log's current head (reusing the latest signature when the size has not moved)."""
    head = locked_head(log)
    latest = SignedTreeHead.objects.filter(log=log).order_by("-tree_size", "-id").first()
    if latest is not None and latest.tree_size == head.size and latest.key_id == keys.key_id():
        return _as_head(latest)
    root_hex = frontier_root(_frontier(head)).hex()
    timestamp = int(timezone.now().timestamp() * 1000)
    signature = keys.sign(keys.head_message(head.size, root_hex, timestamp))
    sth = SignedTreeHead.objects.create(log=log, tree_size=head.size, root_hash=root_hex,
                                        timestamp=timestamp, signature=signature, key_id=keys.key_id())
    return _as_head(sth)
