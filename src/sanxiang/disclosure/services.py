"""Disclosure services (公示服务): the publication queue, publish / correct / withdraw / end, the sweep.

Each service is keyword-only, runs in one transaction (lock the item, check the guards,
write, append one ledger entry, append the public-log leaf), and refuses with a typed error
(`sanxiang.core.errors`): 400 bad input naming the field, 403 not the publisher of the
deciding unit (谁执法谁公示), 404 outside the caller's scope, 409 a guard.

Lock order, as `publiclog` requires: the item row, then the internal ledger's head (our
ledger entry), then the public log's head (the leaf).
"""

from __future__ import annotations

import base64
import copy
import datetime as dt
import secrets
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sanxiang.accounts.constants import Role
from sanxiang.accounts.models import Unit, User
from sanxiang.accounts.selectors import unit_is_within, units_visible
from sanxiang.accounts.services import actor_ref
from sanxiang.calendar import selectors as workdays
from sanxiang.catalog import selectors as catalog
from sanxiang.catalog.constants import PenaltyType
from sanxiang.core.errors import GuardRefused, InvalidInput, NotFound, PermissionDenied
from sanxiang.disclosure import publiclog
from sanxiang.disclosure import selectors as sel
from sanxiang.disclosure.models import (
    LIVE_STATES,
    PublicationItem,
    PublicationState,
    PublicationVersion,
    WithdrawalEvent,
)
from sanxiang.disclosure.rules.policy import CATEGORIES
from sanxiang.disclosure.rules.public_record import CORRECTABLE_FIELDS, public_columns
from sanxiang.disclosure.rules.redaction import ManualRedaction, RedactionError
from sanxiang.records.ledger.canonical import canonical_json, sha256_hex
from sanxiang.records.services import ledger_append

__all__ = [
    "SweepReport",
    "disclosure_sweep",
    "publication_add_redaction",
    "publication_correct",
    "publication_end_early",
    "publication_publish",
    "publication_schedule",
    "publication_withdraw",
    "publication_withdrawal_required",
]

#: Which time limit a decision kind is published under (国办发〔2018〕118号; RULES.md R2.1).
TIME_LIMIT_BY_KIND = {"penalty": "publication_penalty", "permit": "publication_permit"}
OTHER_TIME_LIMIT = "publication_other"
SYSTEM = "system"
#: The public note of a correction that only removes personal information (fixed text: the
#: record's bytes must not depend on the language of the request).
REDACTION_NOTE = "依法隐去个人信息"


@transaction.atomic
def publication_schedule(*, subject: str, unit_code: str, decision_kind: str, title: str,
                         decided_on: dt.date, actor: str, source: dict | None = None,
                         known_values: list[dict] | None = None) -> PublicationItem:
    """Queue a decision for publication with its due date (7 WD penalty/permit, else 20 WD).

    `source` is the structured decision data the public record will be built from and
    `known_values` every personal value the case holds (`{"category", "value", "label"}`);
    both are kept on the item, private (staff only).
    """
    for i, known in enumerate(known_values or []):
        if not isinstance(known, dict) or known.get("category") not in CATEGORIES:
            raise InvalidInput("invalid_known_value", _("Unknown category of a personal value."),
                               field=f"known_values[{i}].category")
    limit = catalog.time_limit(TIME_LIMIT_BY_KIND.get(decision_kind, OTHER_TIME_LIMIT), decided_on)
    due = (workdays.add_working_days(decided_on, limit.days) if limit.unit == "working"
           else workdays.add_calendar_days(decided_on, limit.days))
    item = PublicationItem.objects.create(
        subject=subject, unit_code=unit_code, decision_kind=decision_kind, title=title,
        decided_on=decided_on, due_on=due.date, provisional=due.provisional,
        time_limit={"name": limit.name, "days": limit.days, "unit": limit.unit, "citation": limit.citation,
                    "version": limit.version},
        source=source or {}, known_values=list(known_values or []),
    )
    ledger_append(subject=subject, action="publication.scheduled", actor=actor,
                  payload={"item": item.pk, "due_on": item.due_on.isoformat(), "provisional": item.provisional,
                           "time_limit": item.time_limit, "known_values": len(item.known_values)})
    return item


# ------------------------------------------------------------------------------------ guards


def _locked_item(item_id, actor: User) -> PublicationItem:
    """The item locked for update; 404 when unknown or outside the caller's scope."""
    if isinstance(item_id, PublicationItem):
        item_id = item_id.pk
    try:
        pk = int(str(item_id))
    except ValueError:
        pk = None
    item = PublicationItem.objects.select_for_update().filter(pk=pk).first() if pk is not None else None
    if item is None or not units_visible(actor).filter(code=item.unit_code).exists():
        raise NotFound("publication_not_found", _("No such publication item."))
    return item


def _require_publisher(item: PublicationItem, actor: User) -> None:
    if not sel.may_publish(actor, item.unit_code):
        raise PermissionDenied("publisher_required",
                               _("Only the publisher of the deciding unit or of a unit above it may do this."),
                               unit=item.unit_code)


def _require_live(item: PublicationItem) -> None:
    if item.state not in LIVE_STATES:
        raise GuardRefused("not_published", _("The decision is not on the portal."), state=item.state)


def _reason(reason: str | None, field_name: str = "reason") -> str:
    text = (reason or "").strip()
    if not text:
        raise InvalidInput("field_required", _("A reason is required."), field=field_name)
    if len(text) > 2000:
        raise InvalidInput("too_long", _("At most 2000 characters."), field=field_name)
    return text


def _new_public_id() -> str:
    """An opaque random public id (16 characters of base32, lower case)."""
    while True:
        candidate = base64.b32encode(secrets.token_bytes(10)).decode("ascii").lower()
        if not PublicationItem.objects.filter(public_id=candidate).exists():
            return candidate


def _commit_record(item: PublicationItem, record: dict, *, action: str, actor: User, reason: str,
                   now: dt.datetime) -> PublicationVersion:
    """Store `record` as the item's current public record: leaf, version row, item fields."""
    data = canonical_json(record)
    sha = sha256_hex(data)
    leaf = publiclog.public_log_append(action=action, item=item.public_id, at=now, record_sha256=sha,
                                       actor=actor_ref(actor))
    item.version += 1
    item.public_record, item.record_sha256 = data.decode("utf-8"), sha
    for name, value in public_columns(record).items():
        setattr(item, name, value)
    item.log_index, item.changed_at = leaf.index, now
    return PublicationVersion.objects.create(item=item, number=item.version, action=action,
                                             record=item.public_record, record_sha256=sha,
                                             log_index=leaf.index, reason=reason, actor=actor_ref(actor),
                                             created_at=now)


def _period_fields(item: PublicationItem, source: dict) -> dict:
    period = sel.display_period_of(source, item.decision_kind, item.decided_on)
    if period is None:
        return {"display_class": "", "display_period": {}, "min_until": None, "expires_on": None}
    return {"display_class": period.display_class, "display_period": period.as_dict(),
            "min_until": period.min_until, "expires_on": period.expires_on}


def _set_period(item: PublicationItem, period: dict) -> None:
    for name, value in period.items():
        setattr(item, name, value)


# -------------------------------------------------------------------------------- redaction


@transaction.atomic
def publication_add_redaction(*, item_id, actor: User, field: str, start: int, end: int, reason: str,
                              category: str = "other") -> PublicationItem:
    """A manual redaction (人工遮蔽) of `[start, end)` of the original text of `field`, with a reason.

    Before publication it changes the preview; on a published decision it is a correction
    at once (new version, leaf `correct`): something that should not have been public is
    removed within the same request (GD-GS 第24条, RULES.md R2.5).
    """
    item = _locked_item(item_id, actor)
    _require_publisher(item, actor)
    if item.state not in (PublicationState.PENDING, *LIVE_STATES):
        raise GuardRefused("not_redactable", _("The decision is no longer published."), state=item.state)
    reason = _reason(reason)
    if not isinstance(field, str) or not field:
        raise InvalidInput("field_required", _("Name the field to redact."), field="field")
    try:
        manual = ManualRedaction(field, start, end, reason, category)
    except RedactionError as exc:
        raise InvalidInput(exc.code, exc.message, field="category" if "category" in exc.code else "start") from None
    manual_all = [*sel.manual_of(item), manual]
    sel.redaction_of(item, manual=manual_all)  # refuses a span beyond the text or an unknown field
    item.manual_redactions = [*item.manual_redactions, {"field": field, "start": start, "end": end,
                                                        "reason": reason, "category": category}]
    ledger_append(subject=item.subject, action="publication.redaction_added", actor=actor_ref(actor),
                  payload={"item": item.pk, "field": field, "start": start, "end": end, "category": category,
                           "reason": sel.scrub(item, reason)})
    if item.state in LIVE_STATES:
        _correct(item, actor=actor, source=item.source, reason=REDACTION_NOTE, changed=[], now=timezone.now())
    item.save()
    return item


# ---------------------------------------------------------------------------------- publish


@transaction.atomic
def publication_publish(*, item_id, actor: User) -> PublicationItem:
    """Publish a decision (公示): redacted record, hash, public-log leaf `publish`, public id, period.

    Refused with 409 `not_publishable` (and the reasons) for a minor party, a secret case or
    any other ground of RULES.md R3.3; with `already_published` when it is not pending.
    """
    item = _locked_item(item_id, actor)
    _require_publisher(item, actor)
    if item.state != PublicationState.PENDING:
        raise GuardRefused("already_published", _("This decision has already been published."), state=item.state)
    preview = sel.preview_of(item)
    if preview.not_publishable:
        raise GuardRefused("not_publishable", _("This decision must not be published (RULES.md R3.3)."),
                           reasons=list(preview.not_publishable))
    now = timezone.now()
    item.public_id = _new_public_id()
    _set_period(item, _period_fields(item, item.source))
    record = preview.result.public_record
    ledger_append(subject=item.subject, action="publication.published", actor=actor_ref(actor), payload={
        "item": item.pk, "public_id": item.public_id,
        "record_sha256": sha256_hex(canonical_json(record)), "redaction_report": preview.result.report,
        "display_period": item.display_period or None,
    })
    _commit_record(item, record, action="publish", actor=actor, reason="", now=now)
    item.state, item.published_at = PublicationState.PUBLISHED, now
    item.redaction_report = preview.result.report
    item.save()
    return item


# ---------------------------------------------------------------------------------- correct


def _text(value, name: str, limit: int) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput("invalid_input", _("Give a non-empty text."), field=f"fields.{name}")
    if len(value) > limit:
        raise InvalidInput("too_long", _("At most %(n)d characters.") % {"n": limit}, field=f"fields.{name}")
    return value.strip()


def _money(value, name: str) -> str | None:
    if value is None:
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite() or amount < 0 or amount.as_tuple().exponent < -2:
        raise InvalidInput("invalid_amount", _("An amount is a decimal string in yuan, e.g. \"500000.00\"."),
                           field=f"fields.{name}")
    return f"{amount:.2f}"


def _clean_correction(fields: dict) -> dict:
    if not isinstance(fields, dict) or not fields:
        raise InvalidInput("field_required", _("Name at least one field to correct."), field="fields")
    cleaned = {}
    for name, value in fields.items():
        if name not in CORRECTABLE_FIELDS:
            raise InvalidInput("field_not_correctable", _("This field cannot be corrected: %(field)s.")
                               % {"field": name}, field=f"fields.{name}", allowed=list(CORRECTABLE_FIELDS))
        if name == "penalty_types":
            if not isinstance(value, list) or not value or any(t not in PenaltyType.values for t in value):
                raise InvalidInput("invalid_penalty_type", _("Unknown penalty type."), field="fields.penalty_types")
            cleaned[name] = list(dict.fromkeys(value))
        elif name in ("fine_amount", "confiscation_amount"):
            cleaned[name] = _money(value, name)
        else:
            cleaned[name] = _text(value, name, 200 if name in ("title", "decision_number") else 20000)
    return cleaned


def _relocate(manual: list[dict], old: dict, new: dict, changed: list[str]) -> tuple[list[dict], list[dict]]:
    """Keep each manual redaction on a corrected text over the same words, wherever they moved.

    A redaction whose words are gone from the corrected text has nothing left to hide: it is
    dropped (and the drop is reported). Returns (kept, dropped).
    """
    kept, dropped = [], []
    for m in manual:
        if m["field"] not in changed:
            kept.append(m)
            continue
        before, after = old.get(m["field"]), new.get(m["field"])
        words = before[m["start"]:m["end"]] if isinstance(before, str) else ""
        hits = []
        if words and isinstance(after, str):
            i = after.find(words)
            while i >= 0:
                hits.append(i)
                i = after.find(words, i + 1)
        if not hits:
            dropped.append(m)
            continue
        start = min(hits, key=lambda i: abs(i - m["start"]))
        kept.append({**m, "start": start, "end": start + len(words)})
    return kept, dropped


def _correct(item: PublicationItem, *, actor: User, source: dict, reason: str, changed: list[str],
             now: dt.datetime) -> None:
    """Rebuild the record from `source` and commit it as a new version (leaf `correct`)."""
    corrections = [*sel.corrections_of(item), {"on": timezone.localdate(now).isoformat(), "reason": reason}]
    period = _period_fields(item, source)
    result = sel.redaction_of(item, source=source, display_until=period["expires_on"], corrections=corrections)
    record = result.public_record
    payload = {"item": item.pk, "public_id": item.public_id, "fields": changed,
               "record_sha256": sha256_hex(canonical_json(record)), "redaction_report": result.report,
               "reason": sel.scrub(item, reason)}
    ledger_append(subject=item.subject, action="publication.corrected", actor=actor_ref(actor), payload=payload)
    _commit_record(item, record, action="correct", actor=actor, reason=reason, now=now)
    _set_period(item, period)
    item.source, item.state, item.redaction_report = source, PublicationState.CORRECTED, result.report


@transaction.atomic
def publication_correct(*, item_id, actor: User, fields: dict, reason: str) -> PublicationItem:
    """Correct a published decision (更正, RULES.md R2.6): a new version, history kept, leaf `correct`.

    Only the decision's content may change (`CORRECTABLE_FIELDS`); manual redactions on a
    corrected text follow their words.
    """
    item = _locked_item(item_id, actor)
    _require_publisher(item, actor)
    _require_live(item)
    reason = _reason(reason)
    cleaned = _clean_correction(fields)
    old = item.source
    new = copy.deepcopy(old)
    changed = [k for k, v in cleaned.items() if old.get(k) != v]
    if not changed:
        raise InvalidInput("nothing_to_correct", _("The fields already hold these values."), field="fields")
    new.update({k: cleaned[k] for k in changed})
    kept, dropped = _relocate(list(item.manual_redactions or []), old, new, changed)
    item.manual_redactions = kept
    _correct(item, actor=actor, source=new, reason=reason, changed=changed, now=timezone.now())
    if dropped:
        ledger_append(subject=item.subject, action="publication.redaction_dropped", actor=actor_ref(actor),
                      payload={"item": item.pk, "version": item.version,
                               "dropped": [{"field": m["field"], "reason": sel.scrub(item, m["reason"])}
                                           for m in dropped]})
    item.save()
    return item


# -------------------------------------------------------------------------------- withdrawal


def _item_unit(item: PublicationItem) -> Unit | None:
    return Unit.objects.filter(code=item.unit_code).first()


@transaction.atomic
def publication_withdrawal_required(*, item, event: str, event_on: dt.date, actor: User) -> PublicationItem:
    """Record that a published decision must be withdrawn (应当撤回), and by when.

    `event`: the decision was changed, revoked, found unlawful or found invalid (3 working
    days from `event_on`: APL 第48条 + 第85条, RULES.md R2.5), or it should never have been
    published (`published_in_error`: at once, GD-GS 第24条). Recorded by the publisher, the
    unit head or the agency head of the deciding unit (or a unit above it).
    """
    item = _locked_item(item, actor)
    unit = _item_unit(item)
    allowed = (actor.unit is not None and unit is not None and unit_is_within(unit, actor.unit)
               and actor.has_role(Role.PUBLISHER, Role.UNIT_HEAD, Role.AGENCY_HEAD))
    if not allowed:
        raise PermissionDenied("role_required", _("Only the publisher or the heads of the deciding unit may do this."))
    _require_live(item)
    if event not in WithdrawalEvent.values:
        raise InvalidInput("invalid_event", _("Unknown event."), field="event", allowed=list(WithdrawalEvent.values))
    if not isinstance(event_on, dt.date) or event_on > timezone.localdate():
        raise InvalidInput("invalid_date", _("The event date must not lie in the future."), field="event_on")
    if item.withdrawal_event:
        raise GuardRefused("withdrawal_already_required", _("A withdrawal is already required."),
                           event=item.withdrawal_event, due_on=item.withdrawal_due_on.isoformat())
    if event == WithdrawalEvent.PUBLISHED_IN_ERROR:
        due, provisional, citation = event_on, False, "《广东省行政执法公示办法》第二十四条 [V] (RULES.md R2.5): 立即撤下"
    else:
        limit = catalog.time_limit("withdrawal", event_on)
        result = workdays.add_working_days(event_on, limit.days)
        due, provisional, citation = result.date, result.provisional, limit.citation
    item.withdrawal_event, item.withdrawal_event_on = event, event_on
    item.withdrawal_due_on, item.withdrawal_due_provisional = due, provisional
    item.save()
    ledger_append(subject=item.subject, action="publication.withdrawal_required", actor=actor_ref(actor),
                  payload={"item": item.pk, "event": event, "event_on": event_on.isoformat(),
                           "due_on": due.isoformat(), "provisional": provisional, "citation": citation})
    return item


@transaction.atomic
def publication_withdraw(*, item_id, actor: User, reason: str) -> PublicationItem:
    """Withdraw a published decision (撤回): gone from every public surface when this returns.

    The reason is public (APL 第48条: publish the reasons) — personal values of the case are
    removed from it first. Leaf `withdraw` with the SHA-256 of the record withdrawn.
    """
    item = _locked_item(item_id, actor)
    _require_publisher(item, actor)
    if item.state == PublicationState.WITHDRAWN:
        raise GuardRefused("already_withdrawn", _("This decision has already been withdrawn."))
    _require_live(item)
    reason = _reason(reason)
    public_reason = sel.scrub(item, reason)
    now = timezone.now()
    late = item.withdrawal_due_on is not None and timezone.localdate(now) > item.withdrawal_due_on
    ledger_append(subject=item.subject, action="publication.withdrawn", actor=actor_ref(actor), payload={
        "item": item.pk, "public_id": item.public_id, "record_sha256": item.record_sha256,
        "reason": public_reason, "event": item.withdrawal_event or None,
        "due_on": item.withdrawal_due_on.isoformat() if item.withdrawal_due_on else None, "late": late,
    })
    leaf = publiclog.public_log_append(action="withdraw", item=item.public_id, at=now,
                                       record_sha256=item.record_sha256, actor=actor_ref(actor))
    item.state, item.withdrawn_at, item.withdrawal_reason = PublicationState.WITHDRAWN, now, public_reason
    item.end_log_index, item.changed_at = leaf.index, now
    item.save()
    return item


# ------------------------------------------------------------------------------------- end


def _expire(item: PublicationItem, *, now: dt.datetime, actor: User | None, early: bool, reason: str) -> None:
    ref = actor_ref(actor)
    ledger_append(subject=item.subject, action="publication.ended_early" if early else "publication.expired",
                  actor=ref, payload={"item": item.pk, "public_id": item.public_id,
                                      "record_sha256": item.record_sha256,
                                      "expires_on": item.expires_on.isoformat() if item.expires_on else None,
                                      "min_until": item.min_until.isoformat() if item.min_until else None,
                                      **({"reason": reason} if early else {})})
    leaf = publiclog.public_log_append(action="expire", item=item.public_id, at=now,
                                       record_sha256=item.record_sha256, actor=ref)
    item.state, item.ended_at, item.ended_early = PublicationState.EXPIRED, now, early
    item.end_log_index, item.changed_at = leaf.index, now
    item.save()


@transaction.atomic
def publication_end_early(*, item_id, actor: User, reason: str) -> PublicationItem:
    """End the display before its maximum, on request (信用修复): only once the minimum has run.

    RULES.md R2.9 engine: early stop allowed only after `min_period` and an approved repair —
    the reason names the request and its approval. 409 `minimum_period_running` before.
    """
    item = _locked_item(item_id, actor)
    _require_publisher(item, actor)
    _require_live(item)
    reason = _reason(reason)
    if item.min_until is None:
        raise GuardRefused("no_display_period", _("This decision has no display period to end."))
    today = timezone.localdate()
    if today < item.min_until:
        raise GuardRefused("minimum_period_running",
                           _("The minimum display period runs until %(date)s.") % {"date": item.min_until.isoformat()},
                           min_until=item.min_until.isoformat())
    _expire(item, now=timezone.now(), actor=actor, early=True, reason=reason)
    return item


# ------------------------------------------------------------------------------------ sweep


@dataclass
class SweepReport:
    today: dt.date
    expired: list[int] = field(default_factory=list)
    overdue: list[int] = field(default_factory=list)
    withdrawal_overdue: list[int] = field(default_factory=list)
    checkpoint_index: int | None = None
    head: dict | None = None

    def as_dict(self) -> dict:
        return {"today": self.today.isoformat(), "expired": self.expired, "overdue": self.overdue,
                "withdrawal_overdue": self.withdrawal_overdue, "checkpoint_index": self.checkpoint_index,
                "head": self.head}


def _each_locked(pks, condition):
    """Yield each item still matching `condition`, locked, each in its own transaction.

    Rows another sweep holds are skipped (PostgreSQL `SKIP LOCKED`); the condition is
    checked again under the lock, so a row the other sweep already handled is skipped too.
    """
    for pk in pks:
        with transaction.atomic():
            item = (PublicationItem.objects.select_for_update(skip_locked=True)
                    .filter(condition, pk=pk).first())
            if item is not None:
                yield item


def disclosure_sweep(*, now: dt.datetime | None = None) -> SweepReport:
    """The periodic job (`sanxiang disclosure sweep`): idempotent, safe on several hosts at once.

    1. ends the display of decisions whose maximum period has run (`expires_on` reached,
       RULES.md R2.9: auto-stop at the maximum) — leaf `expire`;
    2. flags overdue items once (pending past `due_on`; a required withdrawal past
       `withdrawal_due_on`) — ledger entry `publication.overdue`;
    3. appends a checkpoint leaf with the internal ledger's root (`public_log_checkpoint`,
       itself idempotent);
    4. issues the signed tree head of the public log.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    report = SweepReport(today=today)
    live = {"state__in": LIVE_STATES}

    due_to_end = PublicationItem.objects.filter(expires_on__lte=today, **live).values_list("pk", flat=True)
    for item in _each_locked(list(due_to_end), Q(expires_on__lte=today, **live)):
        _expire(item, now=now, actor=None, early=False, reason="")
        report.expired.append(item.pk)

    late = Q(state=PublicationState.PENDING, due_on__lt=today, overdue_since__isnull=True)
    for item in _each_locked(list(PublicationItem.objects.filter(late).values_list("pk", flat=True)), late):
        item.overdue_since = today
        item.save(update_fields=["overdue_since"])
        ledger_append(subject=item.subject, action="publication.overdue", actor=SYSTEM,
                      payload={"item": item.pk, "kind": "publication", "due_on": item.due_on.isoformat()})
        report.overdue.append(item.pk)

    late = Q(withdrawal_due_on__lt=today, withdrawal_overdue_since__isnull=True, **live)
    for item in _each_locked(list(PublicationItem.objects.filter(late).values_list("pk", flat=True)), late):
        item.withdrawal_overdue_since = today
        item.save(update_fields=["withdrawal_overdue_since"])
        ledger_append(subject=item.subject, action="publication.overdue", actor=SYSTEM,
                      payload={"item": item.pk, "kind": "withdrawal",
                               "due_on": item.withdrawal_due_on.isoformat()})
        report.withdrawal_overdue.append(item.pk)

    report.checkpoint_index = publiclog.public_log_checkpoint(actor=SYSTEM, at=now).index
    report.head = publiclog.public_head().as_dict()
    return report


