"""Records services: the ledger append (台账记账) every state-changing service calls."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from sanxiang.records import logs
from sanxiang.records.ledger.canonical import canonical_json, sha256_hex
from sanxiang.records.models import LedgerEntry
from sanxiang.records.models.ledger import LEDGER_LOG

GENESIS_PREV = "0" * 64


def ledger_append(*, subject: str, action: str, actor: str, payload: dict | None = None) -> LedgerEntry:
    """Append one entry to the ledger inside the caller's transaction.

    `subject` and `actor` are opaque references ("case:42", "user:7", "system");
    `payload` must be JSON data (strings, numbers, booleans, lists, objects). The entry
    is chained to the previous one and becomes a leaf of the ledger's Merkle tree.
    """
    if not subject or not action or not actor:
        raise ValueError("a ledger entry needs subject, action and actor")
    with transaction.atomic():
        head = logs.locked_head(LEDGER_LOG)
        seq = head.size
        at = timezone.now()
        prev = head.last_hash or GENESIS_PREV
        body = canonical_json({
            "seq": seq, "at": at.isoformat(timespec="microseconds"), "actor": actor,
            "subject": subject, "action": action, "payload": payload or {}, "prev": prev,
        })
        entry_hash = sha256_hex(body)
        # `at`, `actor`, `subject`, `action` and `prev` are computed by the database from the body.
        entry = LedgerEntry.objects.create(seq=seq, entry_hash=entry_hash, body=body.decode())
        logs.append_leaf(head, bytes.fromhex(entry_hash))
        head.last_hash = entry_hash
        head.save(update_fields=["size", "frontier", "last_hash"])
    return entry


def ledger_sign_head():
    """Issue a signed tree head of the ledger (periodically and on demand)."""
    return logs.sign_head(LEDGER_LOG)
