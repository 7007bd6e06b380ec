"""The public transparency log (公开透明日志): append, checkpoint, signed head, entries, proofs.

Every publish, correction, withdrawal and expiry of a decision appends one leaf; a periodic
checkpoint appends the internal ledger's current root, so the internal records cannot be
rewritten later without the public log showing it. Anyone can fetch the signed head, the
leaves and the proofs (`/api/public/v1/log/…`) and verify them with any RFC 6962
implementation (`docs/verify-a-decision.md`, `sanxiang log verify-remote`).

Leaf bytes are canonical JSON (`records.ledger.canonical`, RFC 8785-compatible):

* publication actions: ``{"action", "at", "item", "record_sha256"}`` — `item` is the public
  id, `record_sha256` the SHA-256 of the canonical JSON of the exact public (redacted)
  record; never the record itself, never a personal datum;
* checkpoints: ``{"action": "checkpoint", "at", "ledger_root", "ledger_size"}``.

`at` is ISO 8601 with the offset of the site's time zone, to the millisecond.

Locking: appenders lock the internal ledger's head first, then the public head (the order
every publication service takes when it writes its own ledger entry before the leaf), so
two appenders can never deadlock each other.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanxiang.core.errors import InvalidInput
from sanxiang.disclosure.models_log import PublicLogLeaf
from sanxiang.records import keys, logs
from sanxiang.records.ledger.canonical import canonical_json
from sanxiang.records.models import LedgerEntry, LogHead, SignedTreeHead
from sanxiang.records.models.ledger import LEDGER_LOG, PUBLIC_LOG
from sanxiang.records.services import ledger_append

__all__ = [
    "CHECKPOINT",
    "MAX_ENTRIES",
    "PUBLICATION_ACTIONS",
    "public_consistency",
    "public_entries",
    "public_head",
    "public_log_append",
    "public_log_checkpoint",
    "public_log_size",
    "public_proof",
]

PUBLICATION_ACTIONS = ("publish", "correct", "withdraw", "expire")
CHECKPOINT = "checkpoint"
MAX_ENTRIES = 1000
LEDGER_ACTION = "public_log.appended"
LEDGER_SUBJECT = "public_log"
HEAD_CACHE_SECONDS = 24 * 3600

_SHA256_HEX = re.compile(r"[0-9a-f]{64}")


def _at(value: dt.datetime) -> str:
    if not isinstance(value, dt.datetime) or timezone.is_naive(value):
        raise ValueError("`at` must be a timezone-aware datetime")
    return timezone.localtime(value).isoformat(timespec="milliseconds")


def _append(*, document: dict, action: str, item: str | None, record_sha256: str, actor: str) -> PublicLogLeaf:
    """Append `document` (locks already taken by the caller's transaction)."""
    leaf = canonical_json(document)
    head = logs.locked_head(PUBLIC_LOG)
    index = logs.append_leaf(head, leaf)
    head.save(update_fields=["size", "frontier"])
    row = PublicLogLeaf.objects.create(index=index, leaf=leaf.decode("utf-8"), leaf_hash=logs.HASHER.leaf(leaf).hex(),
                                       action=action, item=item, record_sha256=record_sha256)
    payload = {"index": index, "leaf_hash": row.leaf_hash, "action": action}
    if item is not None:
        payload["item"] = item
    ledger_append(subject=LEDGER_SUBJECT, action=LEDGER_ACTION, actor=actor, payload=payload)
    return row


def public_log_append(*, action: str, item: str, at: dt.datetime, record_sha256: str, actor: str) -> PublicLogLeaf:
    """Append a publication leaf `{"action", "at", "item", "record_sha256"}` to the public log.

    Runs inside the caller's transaction (the publish / correct / withdraw / expire service),
    so the leaf exists exactly when the change it records does. Appends the ledger entry
    `public_log.appended` with the leaf index and leaf hash. `actor` is an opaque reference
    ("user:7", "system").
    """
    if action not in PUBLICATION_ACTIONS:
        raise ValueError(f"action must be one of {', '.join(PUBLICATION_ACTIONS)}, not {action!r}")
    if not isinstance(item, str) or not item or len(item) > 100:
        raise ValueError("item must be the public id (1-100 characters)")
    if not isinstance(record_sha256, str) or not _SHA256_HEX.fullmatch(record_sha256):
        raise ValueError("record_sha256 must be 64 lower-case hex digits")
    document = {"action": action, "at": _at(at), "item": item, "record_sha256": record_sha256}
    with transaction.atomic():
        logs.locked_head(LEDGER_LOG)  # lock order: ledger, then public (see the module docstring)
        return _append(document=document, action=action, item=item, record_sha256=record_sha256, actor=actor)


def _covers_ledger(checkpoint: PublicLogLeaf, ledger_size: int) -> bool:
    """True when `checkpoint` still covers the ledger: only its own ledger entry came after."""
    covered = json.loads(checkpoint.leaf).get("ledger_size")
    if not isinstance(covered, int) or ledger_size != covered + 1:
        return False
    last = LedgerEntry.objects.filter(seq=covered).values_list("action", "body").first()
    if last is None or last[0] != LEDGER_ACTION:
        return False
    return json.loads(last[1]).get("payload", {}).get("index") == checkpoint.index


def public_log_checkpoint(*, actor: str, at: dt.datetime | None = None) -> PublicLogLeaf:
    """Append the internal ledger's current root as a checkpoint leaf (periodic; idempotent).

    The leaf is `{"action": "checkpoint", "at", "ledger_root", "ledger_size"}` with the root
    of the ledger's first `ledger_size` entries (`records.logs.root_at("ledger", n)`), read
    from a freshly locked ledger head. When nothing but the `public_log.appended` entry of
    the previous checkpoint has reached the ledger since, that checkpoint still covers the
    ledger and is returned unchanged (so a cron job does not grow both logs forever).
    """
    with transaction.atomic():
        ledger = logs.locked_head(LEDGER_LOG)  # lock order: ledger, then public
        latest = PublicLogLeaf.objects.filter(action=CHECKPOINT).order_by("-index").first()
        if latest is not None and _covers_ledger(latest, ledger.size):
            return latest
        root = logs.frontier_root([bytes.fromhex(h) if h else None for h in ledger.frontier]).hex()
        document = {"action": CHECKPOINT, "at": _at(at or timezone.now()), "ledger_root": root,
                    "ledger_size": ledger.size}
        return _append(document=document, action=CHECKPOINT, item=None, record_sha256="", actor=actor)


# --------------------------------------------------------------------------- reads


def public_log_size() -> int:
    """Leaves appended so far (committed)."""
    return logs.current_size(PUBLIC_LOG)


def public_head() -> logs.TreeHead:
    """The signed head covering every leaf appended so far (signed on demand, cached per size).

    The current size and root come from the head row (one query, no lock); a head already
    signed for exactly that size and root is reused, from the cache or the database; only
    a new size is signed (`records.logs.sign_head`).
    """
    row = LogHead.objects.filter(log=PUBLIC_LOG).values_list("size", "frontier").first()
    size, frontier = row if row else (0, [])
    root = logs.frontier_root([bytes.fromhex(h) if h else None for h in frontier]).hex()
    key_id = keys.key_id()
    cache_key = f"sanxiang:publiclog:head:{key_id[:16]}:{size}:{root}"
    cached = cache.get(cache_key)
    if cached is not None:
        return logs.TreeHead(**cached)
    sth = (SignedTreeHead.objects.filter(log=PUBLIC_LOG, tree_size=size, root_hash=root, key_id=key_id)
           .order_by("-id").first())
    if sth is not None:
        head = logs.TreeHead(sth.tree_size, sth.root_hash, sth.timestamp, sth.signature, keys.public_key_b64())
    else:
        head = logs.sign_head(PUBLIC_LOG)  # may cover leaves appended meanwhile: still "so far"
    if head.tree_size == size and head.root_hash == root:
        cache.set(cache_key, {"tree_size": head.tree_size, "root_hash": head.root_hash, "timestamp": head.timestamp,
                              "signature": head.signature, "public_key": head.public_key}, HEAD_CACHE_SECONDS)
    return head


def _int(field: str, value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidInput("invalid_input", _("%(field)s must be an integer.") % {"field": field}, field=field)
    if value < 0:
        raise InvalidInput("out_of_range", _("%(field)s must not be negative.") % {"field": field}, field=field)
    return value


@dataclass(frozen=True)
class Entry:
    index: int
    leaf: bytes

    def as_dict(self) -> dict:
        return {"index": self.index, "leaf": base64.b64encode(self.leaf).decode("ascii")}


def public_entries(start: int, end: int) -> list[Entry]:
    """Leaves `start`..`end` (both inclusive, RFC 6962 get-entries), at most `MAX_ENTRIES`."""
    start, end = _int("start", start), _int("end", end)
    if start > end:
        raise InvalidInput("invalid_range", _("start must not be greater than end."), field="start")
    if end - start + 1 > MAX_ENTRIES:
        raise InvalidInput("too_many_entries", _("At most %(n)d entries per call.") % {"n": MAX_ENTRIES},
                           field="end", max_entries=MAX_ENTRIES)
    size = public_log_size()
    if end >= size:
        raise InvalidInput("out_of_range", _("end must be less than the tree size (%(size)d).") % {"size": size},
                           field="end", tree_size=size)
    rows = PublicLogLeaf.objects.filter(index__gte=start, index__lte=end).order_by("index")
    return [Entry(index, text.encode("utf-8")) for index, text in rows.values_list("index", "leaf")]


def _tree_size(field: str, tree_size: int, size: int) -> int:
    tree_size = _int(field, tree_size)
    if tree_size > size:
        raise InvalidInput("out_of_range", _("%(field)s must not exceed the tree size (%(size)d).")
                           % {"field": field, "size": size}, field=field, tree_size=size)
    return tree_size


def public_proof(index: int, tree_size: int | None = None) -> dict:
    """Inclusion proof of leaf `index` in the tree of `tree_size` (default: the current size).

    `{"leaf_index", "tree_size", "audit_path": [hex, …]}` (API.md, `decisions/{id}/proof`).
    """
    size = public_log_size()
    index = _int("leaf_index", index)
    tree_size = size if tree_size is None else _tree_size("tree_size", tree_size, size)
    if tree_size == 0:
        raise InvalidInput("out_of_range", _("tree_size must be at least 1."), field="tree_size")
    if index >= tree_size:
        raise InvalidInput("out_of_range", _("The leaf is not in a tree of size %(size)d.") % {"size": tree_size},
                           field="tree_size", leaf_index=index)
    path = logs.inclusion_proof(PUBLIC_LOG, index, tree_size)
    return {"leaf_index": index, "tree_size": tree_size, "audit_path": [h.hex() for h in path]}


def public_consistency(first: int, second: int) -> dict:
    """Consistency proof between the trees of sizes `first` and `second` (RFC 6962 §2.1.2)."""
    first, second = _int("first", first), _int("second", second)
    if first > second:
        raise InvalidInput("invalid_range", _("first must not be greater than second."), field="first")
    second = _tree_size("second", second, public_log_size())
    return {"proof": [h.hex() for h in logs.consistency_proof(PUBLIC_LOG, first, second)]}
