"""Incremental pulls of the 双公示 data sets and of the joint punishment feed (联合惩戒).

**Change sequence.** Every change of a published decision — publish, correct, withdraw,
expire — appends one leaf to the public log (`publiclog.public_log_append`), and the item
keeps the index of its latest publish/correct leaf (`log_index`) and of its withdraw/expire
leaf (`end_log_index`, always later). An item's change sequence is therefore
``coalesce(end_log_index, log_index)``: the index of its latest leaf. Leaf indices are
allocated under the lock of the public head, held until the appending transaction commits,
so a smaller index can never become visible after a larger one — a reader that has seen
sequence N will never later find a change ≤ N it did not see. A client pulling with the
returned cursor thus misses no change; an item changed again after a pull comes back once,
with its new state (the feed is of current states, ordered by their latest change: two
changes of one item between pulls arrive as one row).

**Cursor.** Opaque text (``c1.<base64url>``) wrapping the last sequence returned; ``since``
also takes an ISO 8601 datetime — the changes whose leaf was appended at or after it.

Withdrawn and ended decisions are rows like the others: their state in 备注, never their
personal data nor content (`rules.dsgs.row`).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import F, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from sanxiang.accounts.constants import Role
from sanxiang.accounts.models import User
from sanxiang.core.errors import InvalidInput, PermissionDenied
from sanxiang.disclosure.models import GONE_STATES, LIVE_STATES, PublicationItem, PublicLogLeaf
from sanxiang.disclosure.rules import dsgs, joint_punishment

__all__ = ["MAX_LIMIT", "ExportPage", "decode_since", "dsgs_changes", "dsgs_row", "encode_cursor",
           "export_facts", "joint_punishment_changes", "joint_punishment_rows", "require_puller"]

#: Who may pull: a supervisor or an administrator of the city unit (the root of the unit tree).
PULL_ROLES = (Role.SUPERVISOR, Role.ADMIN)
PULL_UNIT = "city"
DEFAULT_LIMIT = 500
MAX_LIMIT = 1000
#: The joint punishment feed filters in Python: at most this many changes are read per call
#: (the cursor moves past the ones read, matched or not).
SCAN_PER_CALL = 20_000
_PREFIX = "c1."
FIELDS = ("public_record", "state", "source", "expires_on", "withdrawn_at", "withdrawal_reason", "ended_at",
          "ended_early", "changed_at", "version", "provisional", "decision_kind", "decided_on", "display_class",
          "log_index", "end_log_index")


def require_puller(user: User | None) -> None:
    """403 unless the caller is a supervisor or an admin of the city unit."""
    unit = getattr(user, "unit", None)
    if user is None or unit is None or unit.code != PULL_UNIT or not user.has_role(*PULL_ROLES):
        raise PermissionDenied("export_forbidden",
                               _("Only a supervisor or an administrator of the city unit may pull exports."))


# ----------------------------------------------------------------------------------- rows


def export_facts(item: PublicationItem) -> dsgs.ExportFacts:
    """What a 双公示 row needs beside the public record (private snapshot read, masked later)."""
    source = item.source or {}
    first = (source.get("parties") or [{}])[0]
    local = timezone.localdate
    return dsgs.ExportFacts(
        state=item.state,
        party_id_number=first.get("id_number", "") if first.get("type") == "person" else "",
        display_until=item.expires_on.isoformat() if item.expires_on else "",
        matter_name=(source.get("matter") or {}).get("name", ""),
        withdrawn_on=local(item.withdrawn_at).isoformat() if item.withdrawn_at else "",
        withdrawal_reason=item.withdrawal_reason,
        ended_on=local(item.ended_at).isoformat() if item.ended_at else "",
        ended_early=item.ended_early,
        corrected_on=local(item.changed_at).isoformat() if item.version > 1 and item.changed_at else "",
        provisional=item.provisional,
    )


def dsgs_row(kind: str, item: PublicationItem) -> dict[str, str]:
    return dsgs.row(kind, item.record or {}, export_facts(item))


def joint_row(item: PublicationItem, matches) -> dict[str, str]:
    record = item.record or {}
    return joint_punishment.row(dsgs_row("penalty", item), matches, display_class=item.display_class,
                                live=item.state in LIVE_STATES, legal_basis=record.get("legal_basis", ""))


def matches_of(item: PublicationItem):
    return joint_punishment.assess(item.source or {}, decision_kind=item.decision_kind, decided_on=item.decided_on)


def joint_punishment_rows(since: dt.date | None = None) -> Iterator[dict[str, str]]:
    """Every published (or once published) decision meeting the criteria, oldest decision first
    (the `export --kind joint-punishment` command)."""
    qs = _exported().filter(decision_kind="penalty")
    if since is not None:
        qs = qs.filter(changed_at__gte=timezone.make_aware(dt.datetime.combine(since, dt.time.min)))
    for item in qs.only(*FIELDS).order_by("decided_on", "id").iterator(chunk_size=500):
        matches = matches_of(item)
        if matches:
            yield joint_row(item, matches)


# --------------------------------------------------------------------------------- cursor


def encode_cursor(seq: int) -> str:
    return _PREFIX + base64.urlsafe_b64encode(f"seq:{seq}".encode()).decode().rstrip("=")


def decode_since(since: str | None) -> int:
    """The last sequence already seen (-1: from the start) for a cursor or an ISO datetime."""
    if not since:
        return -1
    since = since.strip()
    if since.startswith(_PREFIX):
        body = since[len(_PREFIX):]
        try:
            text = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)).decode()
            kind, value = text.split(":", 1)
            if kind == "seq" and value.lstrip("-").isdigit():
                return max(-1, int(value))
        except (binascii.Error, UnicodeDecodeError, ValueError):
            pass
        raise InvalidInput("invalid_cursor", _("This cursor is not valid."), field="since")
    try:
        at = dt.datetime.fromisoformat(since.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput("invalid_since", _("since must be a cursor or an ISO 8601 datetime."),
                           field="since") from None
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    first = PublicLogLeaf.objects.filter(created_at__gte=at).order_by("index").values_list("index", flat=True)[:1]
    if first:
        return first[0] - 1
    last = PublicLogLeaf.objects.order_by("-index").values_list("index", flat=True)[:1]
    return last[0] if last else -1


# ---------------------------------------------------------------------------------- pages


@dataclass(frozen=True)
class ExportPage:
    items: list[dict[str, str]]
    next: str
    has_more: bool

    def as_dict(self) -> dict:
        return {"items": self.items, "next": self.next, "has_more": self.has_more}


def _exported() -> QuerySet[PublicationItem]:
    return PublicationItem.objects.filter(state__in=(*LIVE_STATES, *GONE_STATES))


def _changes(after: int) -> QuerySet[PublicationItem]:
    return (_exported().annotate(seq=Coalesce(F("end_log_index"), F("log_index")))
            .filter(seq__gt=after).only(*FIELDS).order_by("seq"))


def _limit(limit: int | None) -> int:
    if limit is None:
        return DEFAULT_LIMIT
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput("invalid_limit", _("limit must be between 1 and %(max)d.") % {"max": MAX_LIMIT},
                           field="limit")
    return limit


def dsgs_changes(*, kind: str, since: str | None = None, limit: int | None = None) -> ExportPage:
    """One page of 双公示 rows of `kind` changed after `since`, in change order."""
    if kind not in dsgs.KINDS:
        raise InvalidInput("invalid_kind", _("Unknown data set."), field="kind", allowed=sorted(dsgs.KINDS))
    after, limit = decode_since(since), _limit(limit)
    items = list(_changes(after).filter(decision_kind=kind)[:limit + 1])
    has_more = len(items) > limit
    items = items[:limit]
    last = items[-1].seq if items else after
    return ExportPage([dsgs_row(kind, i) for i in items], encode_cursor(last), has_more)


def joint_punishment_changes(*, since: str | None = None, limit: int | None = None,
                             scan: int = SCAN_PER_CALL) -> ExportPage:
    """One page of the joint punishment feed changed after `since` (matching decisions only;
    a withdrawn or ended one arrives with 惩戒状态 已解除)."""
    after, limit = decode_since(since), _limit(limit)
    rows: list[dict[str, str]] = []
    last, has_more = after, False
    for read, item in enumerate(_changes(after).filter(decision_kind="penalty").iterator(chunk_size=500)):
        if len(rows) == limit or read == scan:
            has_more = True
            break
        last = item.seq
        matches = matches_of(item)
        if matches:
            rows.append(joint_row(item, matches))
    return ExportPage(rows, encode_cursor(last), has_more)
