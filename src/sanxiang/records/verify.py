"""Ledger verification (台账校验): recompute the chain, the Merkle tree and every signed head.

`verify_ledger` first runs the bulk fast path of `verify_fast` (chunks of entries hashed and
compared as a whole, optionally in two processes). When it reports the ledger intact, that is
the answer; when anything differs, the streaming verifier below runs and writes the report:
it reads the entries and the stored tree nodes once each, in order, with O(log n) memory,
and names the first bad sequence number and every problem it meets.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import BooleanField, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast

from sanxiang.records import keys, verify_fast
from sanxiang.records.ledger_columns import SEQ_MISMATCH, generated_columns_intact
from sanxiang.records.logs import HASHER, frontier_root
from sanxiang.records.models import LedgerEntry, LogHead, MerkleNode, SignedTreeHead
from sanxiang.records.models.ledger import LEDGER_LOG
from sanxiang.records.services import GENESIS_PREV

CHUNK = 5000


@dataclass
class LedgerReport:
    ok: bool = True
    checked: int = 0
    first_bad_seq: int | None = None
    problems: list[str] = field(default_factory=list)

    def fail(self, seq: int | None, problem: str) -> None:
        self.ok = False
        if seq is not None and (self.first_bad_seq is None or seq < self.first_bad_seq):
            self.first_bad_seq = seq
        if len(self.problems) < 100:
            self.problems.append(problem)

    def as_dict(self) -> dict:
        return {"ok": self.ok, "checked": self.checked, "first_bad_seq": self.first_bad_seq,
                "problems": self.problems}


def _check_body(report: LedgerReport, seq, at, actor, subject, action, prev, body) -> None:
    """Full check of the columns against the hashed body (used when the fast check fails)."""
    try:
        fields = json.loads(body)
    except ValueError:
        report.fail(seq, f"entry {seq}: body is not JSON")
        return
    expected = {"seq": seq, "actor": actor, "subject": subject, "action": action, "prev": prev}
    for name, value in expected.items():
        if fields.get(name) != value:
            report.fail(seq, f"entry {seq}: column {name} does not match the hashed body")
    if _parse_at(fields.get("at")) != _parse_at(at):
        report.fail(seq, f"entry {seq}: column at does not match the hashed body")


def _parse_at(value) -> dt.datetime | None:
    """A stored time as an aware datetime (SQLite keeps naive UTC text, PostgreSQL an offset)."""
    if not isinstance(value, dt.datetime):
        try:
            value = dt.datetime.fromisoformat(value)
        except (TypeError, ValueError):
            return None
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def _json_str(value: str) -> str:
    """JSON string literal as canonical_json writes it (fast path for the common case)."""
    if '"' in value or "\\" in value or not value.isprintable():
        return json.dumps(value, ensure_ascii=False)
    return f'"{value}"'


def _body_matches(seq, at, actor, subject, action, prev, body) -> bool:
    """Cheap exact check that the columns are what the canonical body says (sorted keys:
    action, actor, at, payload, prev, seq, subject)."""
    head = f'{{"action":{_json_str(action)},"actor":{_json_str(actor)},"at":"'
    tail = f',"prev":"{prev}","seq":{seq},"subject":{_json_str(subject)}}}'
    if not (body.startswith(head) and body.endswith(tail)):
        return False
    end = body.find('"', len(head))
    return end > 0 and _parse_at(body[len(head):end]) == _parse_at(at)


def verify_ledger(progress: Callable[[int, int], None] | None = None) -> LedgerReport:
    """Check every entry, the stored tree and every signed head of the ledger."""
    report = verify_fast.verify_ledger_fast(progress)
    return report if report is not None else verify_ledger_streaming(progress)


def verify_ledger_streaming(progress: Callable[[int, int], None] | None = None) -> LedgerReport:
    """The reference verifier: one pass over entries and nodes, every problem reported."""
    report = LedgerReport()
    total = LedgerEntry.objects.count()
    heads = {}
    for sth in SignedTreeHead.objects.filter(log=LEDGER_LOG).order_by("tree_size", "id"):
        heads.setdefault(sth.tree_size, []).append(sth)
    public_raw = keys.public_key_raw()

    nodes = (MerkleNode.objects.filter(log=LEDGER_LOG).order_by("id")
             .values_list("level", "index", "hash").iterator(chunk_size=CHUNK))
    frontier: list[bytes | None] = []
    expected_seq = 0
    prev = GENESIS_PREV
    node_problem = False

    def check_heads(size: int) -> None:
        for sth in heads.pop(size, []):
            root = frontier_root(frontier).hex()
            if sth.root_hash != root:
                report.fail(size - 1 if size else None,
                            f"signed head at size {size}: root {sth.root_hash} ≠ recomputed {root}")
            message = keys.head_message(sth.tree_size, sth.root_hash, sth.timestamp)
            if sth.key_id != keys.key_id(public_raw) or not keys.verify(message, sth.signature, public_raw):
                report.fail(None, f"signed head at size {size}: signature does not verify")

    check_heads(0)
    # `at` as text, parsed in C by fromisoformat: the ORM's datetime converter dominates otherwise.
    # Columns generated by the database from the body need no comparison with it, except the
    # primary key `seq` with the body's own; a table rebuilt with plain columns gets every
    # column compared, row by row.
    generated = generated_columns_intact(connection)
    seq_differs = (RawSQL(SEQ_MISMATCH, (), output_field=BooleanField())  # noqa: S611 - constant SQL
                   if generated
                   else Value(False))
    rows = (LedgerEntry.objects.order_by("seq").annotate(at_text=Cast("at", TextField()), seq_differs=seq_differs)
            .values_list("seq", "at_text", "actor", "subject", "action", "prev", "entry_hash", "body", "seq_differs")
            .iterator(chunk_size=CHUNK))
    sha256 = hashlib.sha256
    for seq, at, actor, subject, action, entry_prev, entry_hash, body, differs in rows:
        if seq != expected_seq:
            report.fail(expected_seq, f"entries {expected_seq}…{seq - 1} are missing" if seq > expected_seq
                        else f"entry {seq} is out of order")
        if sha256(body.encode()).hexdigest() != entry_hash:
            report.fail(seq, f"entry {seq}: stored hash does not match its body (changed)")
        if entry_prev != prev:
            report.fail(seq, f"entry {seq}: chain link does not match the previous entry's hash")
        if generated:
            if differs:
                report.fail(seq, f"entry {seq}: column seq does not match the hashed body")
        elif not _body_matches(seq, at, actor, subject, action, entry_prev, body):
            _check_body(report, seq, at, actor, subject, action, entry_prev, body)
        prev = entry_hash

        # Recompute the nodes this leaf completes and compare with the stored ones, in order.
        level, position = 0, seq
        current = HASHER.leaf(bytes.fromhex(entry_hash)) if len(entry_hash) == 64 else HASHER.leaf(b"")
        produced = [(0, position, current)]
        while position & 1 and level < len(frontier) and frontier[level] is not None:
            current = HASHER.node(frontier[level], current)
            frontier[level] = None
            level += 1
            position >>= 1
            produced.append((level, position, current))
        if len(frontier) <= level:
            frontier.extend([None] * (level + 1 - len(frontier)))
        frontier[level] = current
        for want in produced:
            got = next(nodes, None)
            if not node_problem and (got is None or (got[0], got[1], bytes(got[2])) != want):
                node_problem = True
                report.fail(seq, f"entry {seq}: stored Merkle tree differs from the recomputed one")
        expected_seq = seq + 1
        report.checked += 1
        check_heads(expected_seq)
        if progress and report.checked % CHUNK == 0:
            progress(report.checked, total)

    if next(nodes, None) is not None:
        report.fail(expected_seq, "the stored Merkle tree has nodes beyond the last entry")
    for size in sorted(heads):
        report.fail(expected_seq, f"signed head at size {size} is beyond the {expected_seq} entries")
    head = LogHead.objects.filter(log=LEDGER_LOG).first()
    if head is not None and (head.size != expected_seq or (head.last_hash or GENESIS_PREV) != prev):
        report.fail(min(head.size, expected_seq), f"log head says {head.size} entries, found {expected_seq}")
    if progress:
        progress(report.checked, total)
    return report
