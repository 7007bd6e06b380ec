"""Disclosure selectors (公示查询): the staff queue with its scope, the preview, the public reads.

Staff reads apply the unit-tree scope (outside it: 404). Acting on an item — preview with the
original text, redact, publish, correct, withdraw — is for the publisher of the deciding
unit or of a unit above it (谁执法谁公示; API.md "Who may act"): `may_publish`.

Public reads never look at the private snapshot (`source`, `known_values`): only at the
stored public record, its hash, its log index and the public withdrawal notice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from sanxiang.accounts.constants import Role
from sanxiang.accounts.models import Unit, User
from sanxiang.accounts.selectors import unit_is_within, units_visible
from sanxiang.core.errors import Gone, InvalidInput, NotFound, PermissionDenied
from sanxiang.disclosure import search
from sanxiang.disclosure.models import LIVE_STATES, PublicationItem, PublicationState
from sanxiang.disclosure.rules import periods
from sanxiang.disclosure.rules.policy import (
    DEFAULT_POLICY,
    PolicyError,
    RedactionPolicy,
    policy_for,
)
from sanxiang.disclosure.rules.public_record import (
    FREE_TEXT_FIELDS,
    known_values,
    never_publish_facts,
    record_input,
)
from sanxiang.disclosure.rules.redaction import (
    ManualRedaction,
    RedactionError,
    RedactionResult,
    must_not_publish,
    redact,
)

__all__ = [
    "PUBLIC_COUNT_CAP",
    "PUBLIC_SORTS",
    "PublicSearch",
    "STATE_FILTERS",
    "check_public_filters",
    "Preview",
    "display_period_of",
    "may_publish",
    "overdue_q",
    "overdue_reason",
    "public_decision",
    "public_decisions",
    "public_search",
    "publication_get",
    "publication_list",
    "publication_preview",
    "redaction_of",
]

#: Redaction policies the platform knows (versioned rule data, RULES.md §3).
POLICIES: tuple[RedactionPolicy, ...] = (DEFAULT_POLICY,)
STATE_FILTERS = ("pending", "published", "corrected", "withdrawn", "expired", "overdue")


# ---------------------------------------------------------------------------------- scope


def _scope(viewer: User) -> QuerySet[PublicationItem]:
    return PublicationItem.objects.filter(unit_code__in=units_visible(viewer).values("code"))


def may_publish(viewer: User, unit_code: str) -> bool:
    """Publisher of the deciding unit or of a unit above it (API.md "Who may act")."""
    if viewer is None or viewer.unit is None or not viewer.has_role(Role.PUBLISHER):
        return False
    unit = Unit.objects.filter(code=unit_code).first()
    return unit is not None and unit_is_within(unit, viewer.unit)


def overdue_q(today: dt.date) -> Q:
    """Pending past its due date, or a required withdrawal past its due date (derived)."""
    return (Q(state=PublicationState.PENDING, due_on__lt=today)
            | Q(state__in=LIVE_STATES, withdrawal_due_on__lt=today))


def overdue_reason(item: PublicationItem, today: dt.date) -> str | None:
    """"publication" / "withdrawal" when the item is overdue (see `overdue_q`), else None."""
    if item.state == PublicationState.PENDING and item.due_on < today:
        return "publication"
    if item.state in LIVE_STATES and item.withdrawal_due_on is not None and item.withdrawal_due_on < today:
        return "withdrawal"
    return None


def publication_list(*, viewer: User, state: str | None = None, today: dt.date | None = None
                     ) -> QuerySet[PublicationItem]:
    """The queue in the viewer's scope, newest first; `state` one of `STATE_FILTERS` (`published`
    includes corrected items, `overdue` is derived)."""
    qs = _scope(viewer)
    if state:
        if state not in STATE_FILTERS:
            raise InvalidInput("invalid_state", _("Unknown state filter."), field="state",
                               allowed=list(STATE_FILTERS))
        if state == "overdue":
            qs = qs.filter(overdue_q(today or timezone.localdate()))
        elif state == "published":  # on the portal: published, or published and corrected since
            qs = qs.filter(state__in=LIVE_STATES)
        else:
            qs = qs.filter(state=state)
    return qs.order_by("-decided_on", "-id")


def publication_get(*, viewer: User, item_id) -> PublicationItem:
    """One item in the viewer's scope; 404 otherwise (outside scope = not found)."""
    try:
        pk = int(str(item_id))
    except ValueError:
        pk = None
    item = _scope(viewer).filter(pk=pk).first() if pk is not None else None
    if item is None:
        raise NotFound("publication_not_found", _("No such publication item."))
    return item


# ------------------------------------------------------------------------------ redaction


def _hash_key() -> bytes:
    """Key of the HMAC over redacted originals in the report (never a plain, reversible hash)."""
    return hmac.new(settings.SECRET_KEY.encode("utf-8"), b"sanxiang.disclosure.redaction",
                    hashlib.sha256).digest()


def manual_of(item: PublicationItem) -> list[ManualRedaction]:
    return [ManualRedaction(m["field"], m["start"], m["end"], m["reason"], m.get("category", "other"))
            for m in item.manual_redactions or []]


def display_period_of(source: dict, decision_kind: str, decided_on: dt.date) -> periods.DisplayPeriod | None:
    """The display period (RULES.md R2.9) of a decision from its stored data."""
    parties = source.get("parties") or []
    return periods.display_period(
        decision_kind=decision_kind, decided_on=decided_on, penalty_types=source.get("penalty_types") or (),
        fine_amount=source.get("fine_amount"), confiscation_amount=source.get("confiscation_amount"),
        party_type=parties[0].get("type", "") if parties else "")


def redaction_of(item: PublicationItem, *, source: dict | None = None, manual: list[ManualRedaction] | None = None,
                 display_until: dt.date | None = None, corrections: list[dict] = (),
                 today: dt.date | None = None) -> RedactionResult:
    """The public record of `item` under the policy in force today (RULES.md §3).

    Bad manual redactions become 400 naming the field (`redactions` / `field`).
    """
    today = today or timezone.localdate()
    try:
        policy = policy_for(today, POLICIES)
        return redact(
            record_input(item.source if source is None else source, display_until=display_until,
                         corrections=corrections),
            known=known_values(item.known_values or []), policy=policy, free_text_fields=FREE_TEXT_FIELDS,
            manual=manual_of(item) if manual is None else manual, hash_key=_hash_key(), today=today,
        )
    except (RedactionError, PolicyError) as exc:
        raise InvalidInput(exc.code, exc.message, field="field" if exc.code.startswith("manual") else "source"
                           ) from None


def scrub(item: PublicationItem, text: str, today: dt.date | None = None) -> str:
    """`text` with every personal value of the case removed (a public reason, a notice)."""
    try:
        result = redact({"text": text}, known=known_values(item.known_values or []),
                        policy=policy_for(today or timezone.localdate(), POLICIES), free_text_fields=("text",),
                        hash_key=_hash_key(), today=today)
    except (RedactionError, PolicyError) as exc:
        raise InvalidInput(exc.code, exc.message, field="reason") from None
    return result.public_record["text"]


def corrections_of(item: PublicationItem) -> list[dict]:
    """The corrections published so far (`{"on", "reason"}`), oldest first."""
    return [{"on": timezone.localdate(v.created_at).isoformat(), "reason": v.reason}
            for v in item.versions.filter(action="correct").order_by("number")]


@dataclass(frozen=True)
class Preview:
    """What the publisher sees before publishing (or of the current version)."""

    item: PublicationItem
    result: RedactionResult
    period: periods.DisplayPeriod | None
    not_publishable: tuple[str, ...]

    def as_dict(self) -> dict:
        return {
            "public_record": self.result.public_record,
            "fields": {path: [{"text": s.text, "mark": s.mark.as_dict() if s.mark else None} for s in segments]
                       for path, segments in self.result.preview.items()},
            "marks": [m.as_dict() for m in self.result.marks],
            "report": self.result.report,
            "not_publishable": list(self.not_publishable),
            "display_period": self.period.as_dict() if self.period else None,
        }


def publication_preview(*, item_id, viewer: User) -> Preview:
    """The redacted record with every redaction marked (the original text shown: publisher only)."""
    item = publication_get(viewer=viewer, item_id=item_id)
    if not may_publish(viewer, item.unit_code):
        raise PermissionDenied("publisher_required",
                               _("Only the publisher of the deciding unit or of a unit above it may do this."))
    return preview_of(item)


def preview_of(item: PublicationItem) -> Preview:
    today = timezone.localdate()
    if not item.source:
        raise InvalidInput("source_missing", _("This item holds no decision data to publish."), field="source")
    period = display_period_of(item.source, item.decision_kind, item.decided_on)
    display_until = item.expires_on if item.state != PublicationState.PENDING else (
        period.expires_on if period else None)
    corrections = corrections_of(item) if item.pk and item.version else []
    result = redaction_of(item, display_until=display_until, corrections=corrections, today=today)
    reasons = must_not_publish(never_publish_facts(item.source), policy=policy_for(today, POLICIES), today=today)
    return Preview(item=item, result=result, period=period, not_publishable=reasons)


# ----------------------------------------------------------------------------- public reads


def in_period_q(today: dt.date) -> Q:
    return Q(state__in=LIVE_STATES) & (Q(expires_on__isnull=True) | Q(expires_on__gt=today))


#: The public search counts its matches up to this many and serves no page beyond them
#: (2,000 by default: 100 pages of 20): "more than 2,000 — narrow the search"
#: (`core.paging.paginate`). Set by `SANXIANG_PUBLIC_COUNT_CAP`: counting a broad text under
#: new filters costs in proportion (bench/README.md, "public search").
PUBLIC_COUNT_CAP: int = settings.PUBLIC_COUNT_CAP

#: Columns a public list never reads: the private snapshot of the decision (staff only) and
#: bulky working data (deferred: loaded only if something asks for them).
PRIVATE_OR_BULKY = ("source", "known_values", "manual_redactions", "redaction_report", "time_limit",
                    "display_period", "public_text")

#: Orders of the public search: newest decision first (default), oldest first, largest fine first.
PUBLIC_SORTS = {
    "newest": ("-decided_on", "-published_at", "-id"),
    "oldest": ("decided_on", "published_at", "id"),
    "fine": (F("fine_amount").desc(nulls_last=True), "-decided_on", "-id"),
}


def public_decisions(**filters) -> QuerySet[PublicationItem]:
    """Decisions on the portal now (published or corrected, in their display period): the rows
    of `public_search` (same filters)."""
    return public_search(**filters).rows


@dataclass(frozen=True)
class PublicSearch:
    """The public search's rows (ordered) and the same rows shaped for counting them."""

    rows: QuerySet
    counted: QuerySet


def check_public_filters(*, sort: str | None, amount_min: Decimal | None, amount_max: Decimal | None,
                         date_from: dt.date | None, date_to: dt.date | None) -> None:
    """400 for an unknown sort order or an inverted amount or date range (`public_search`)."""
    if sort and sort not in PUBLIC_SORTS:
        raise InvalidInput("invalid_sort", _("Unknown sort order."), field="sort", allowed=list(PUBLIC_SORTS))
    if amount_min is not None and amount_max is not None and amount_min > amount_max:
        raise InvalidInput("invalid_range", _("The lower bound is above the upper bound."), field="amount_min")
    if date_from and date_to and date_from > date_to:
        raise InvalidInput("invalid_range", _("The lower bound is above the upper bound."), field="from")


def public_search(*, q: str | None = None, unit: str | None = None, kind: str | None = None,
                  penalty_type: str | None = None, amount_min: Decimal | None = None,
                  amount_max: Decimal | None = None, date_from: dt.date | None = None,
                  date_to: dt.date | None = None, party_code: str | None = None, sort: str | None = None,
                  today: dt.date | None = None) -> PublicSearch:
    """Decisions on the portal now (published or corrected, in their display period).

    `q`: a substring of any text of the public record (`search.match_text`); `unit`: the
    deciding unit and the units below it; `kind`: decision kind; `penalty_type`: one penalty
    type code (`fine`, `warning`, …); `amount_min`/`amount_max`: fine in yuan, inclusive;
    `date_from`/`date_to`: decision date, inclusive; `party_code`: an organisation's credit
    code; `sort`: a key of `PUBLIC_SORTS` (default newest first). Page with
    `paginate(result.rows, …, count_cap=PUBLIC_COUNT_CAP, count_qs=result.counted)`; the API and
    the portal serve the same rows through `selectors_search.search_page` (direct SQL, exact
    caches), which the tests hold to this function's answers.
    """
    check_public_filters(sort=sort, amount_min=amount_min, amount_max=amount_max, date_from=date_from,
                         date_to=date_to)
    conditions = [in_period_q(today or timezone.localdate())]
    if unit:
        root = Unit.objects.filter(code=unit).first()
        codes = Unit.objects.filter(path__startswith=root.path).values("code") if root else []
        conditions.append(Q(unit_code__in=codes))
    if kind:
        conditions.append(Q(decision_kind=kind))
    if penalty_type:
        conditions.append(Q(penalty_codes__contains=f",{penalty_type},"))
    if amount_min is not None:
        conditions.append(Q(fine_amount__gte=amount_min))
    if amount_max is not None:
        conditions.append(Q(fine_amount__lte=amount_max))
    if date_from:
        conditions.append(Q(decided_on__gte=date_from))
    if date_to:
        conditions.append(Q(decided_on__lte=date_to))
    if party_code:
        conditions.append(Q(party_code=party_code))
    qs = PublicationItem.objects.filter(*conditions).order_by(*PUBLIC_SORTS[sort or "newest"])
    qs = qs.defer(*PRIVATE_OR_BULKY)
    if q and q.strip():
        rows, counted = search.match_text(qs, q.strip())
        return PublicSearch(rows, counted)
    return PublicSearch(qs, qs)


def public_decision(public_id: str, today: dt.date | None = None) -> PublicationItem:
    """A decision by public id: 404 when never published, 410 when withdrawn or ended."""
    today = today or timezone.localdate()
    item = PublicationItem.objects.filter(public_id=public_id).first() if public_id else None
    if item is None or item.state == PublicationState.PENDING:
        raise NotFound("decision_not_found", _("No published decision with this id."))
    if item.state == PublicationState.WITHDRAWN:
        raise Gone("withdrawn", _("This decision has been withdrawn."),
                   at=timezone.localtime(item.withdrawn_at).isoformat(), reason=item.withdrawal_reason,
                   log_index=item.end_log_index)
    if item.state == PublicationState.EXPIRED:
        raise Gone("expired", _("The display period of this decision has ended."),
                   at=timezone.localtime(item.ended_at).isoformat(),
                   reason="ended_early" if item.ended_early else "period_ended", log_index=item.end_log_index)
    if item.expires_on is not None and item.expires_on <= today:
        # Past its maximum period, before the sweep appended the expire leaf: no longer shown.
        raise Gone("expired", _("The display period of this decision has ended."),
                   at=item.expires_on.isoformat(), reason="period_ended", log_index=None)
    return item


def public_proof_index(public_id: str) -> int:
    """The leaf a proof is asked for: the current record's, or the withdraw / expire leaf."""
    item = PublicationItem.objects.filter(public_id=public_id).first() if public_id else None
    if item is None or item.log_index is None:
        raise NotFound("decision_not_found", _("No published decision with this id."))
    if item.state in LIVE_STATES or item.end_log_index is None:
        return item.log_index
    return item.end_log_index
