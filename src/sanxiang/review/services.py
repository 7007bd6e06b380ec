"""Legal review services (法制审核): submit, give the opinion, escalate, settle, withdraw, and
record a collective discussion.

Each service runs in one transaction: lock, guard, write, and append ONE ledger entry whose
subject is the reviewed subject ("case:42"). The review context knows nothing about cases:
the caller (the cases app's orchestration services) passes the subject, the handling unit,
the users involved, and moves its own stage afterwards.

Rules: 行政处罚法 第58条 (no major decision without review), GD-FS 第14条 (materials),
RULES.md R7.2 (separation of duties), R7.4 (seven review points), R7.5 (outcomes,
resubmission, disagreement settled by the head), R7.6 (5 + 3 working days), R7.7
(collective discussion on the record).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from sanxiang.accounts.constants import Role
from sanxiang.accounts.models import Unit, User
from sanxiang.accounts.selectors import unit_is_within, units_visible
from sanxiang.accounts.services import actor_ref
from sanxiang.calendar.selectors import add_calendar_days, add_working_days
from sanxiang.core.errors import GuardRefused, InvalidInput, NotFound, PermissionDenied
from sanxiang.records.services import ledger_append
from sanxiang.review.constants import (
    FINDING_KEYS,
    HEARING_MATERIALS,
    OPEN_STATUSES,
    REQUIRED_MATERIALS,
    TIME_LIMIT_COMPLEX_EXTENSION,
    TIME_LIMIT_REVIEW,
    Material,
    OpinionResult,
    Settlement,
    SubmissionStatus,
)
from sanxiang.review.models import (
    CollectiveDiscussion,
    ReviewEscalation,
    ReviewOpinion,
    ReviewSubmission,
)
from sanxiang.review.rules import checklist, serving, states

__all__ = [
    "collective_discussion_record",
    "review_escalate",
    "review_give_opinion",
    "review_settle",
    "review_submit",
    "review_withdraw",
    "reviewer_serves",
]

MAJOR_REASON_KEYS = ("code", "version", "reason", "citation")
MIN_COLLECTIVE_ATTENDEES = 2
MAX_JSON_INTEGER = 2**53 - 1  # I-JSON (RFC 7493): what the ledger's canonical JSON accepts


def _now() -> dt.datetime:
    return timezone.now()


# --- time limits (R7.6) -------------------------------------------------------------------

def _time_limit(name: str, on: dt.date):
    """The review time limit `name` in force on `on`: versioned rule data of the catalog."""
    from sanxiang.catalog.selectors import time_limit

    return time_limit(name=name, on=on)


def _review_due(start: dt.date, *, complex_case: bool) -> tuple[dt.date, bool, list[dict]]:
    """Due date of a review submitted on `start`: 5 working days, +3 when complex (R7.6),
    counted by the working-day calendar (行政处罚法 第85条: start day not counted)."""
    names = [TIME_LIMIT_REVIEW] + ([TIME_LIMIT_COMPLEX_EXTENSION] if complex_case else [])
    due, provisional, used = start, False, []
    for name in names:
        limit = _time_limit(name, start)
        unit = str(limit.unit)
        days = int(limit.days)
        result = add_calendar_days(due, days) if unit == "calendar" else add_working_days(due, days)
        due, provisional = result.date, provisional or result.provisional
        used.append({"name": name, "days": days, "unit": unit, "citation": str(limit.citation),
                     "version": limit.version})
    return due, provisional, used


# --- input checks -----------------------------------------------------------------------------

def _text(value: object, field: str, code: str, message: str) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise InvalidInput(code, message, field=field)
    return text


def _user_ids(values: object, field: str) -> list[int]:
    if isinstance(values, str | bytes | Mapping) or not isinstance(values, Iterable):
        raise InvalidInput("invalid_user_ids", _("A list of user ids is expected."), field=field)
    ids = list(values)
    if any(isinstance(v, bool) or not isinstance(v, int) for v in ids):
        raise InvalidInput("invalid_user_ids", _("A list of user ids is expected."), field=field)
    return sorted(set(ids))


def _json_data(value: object, field: str) -> object:
    """JSON data the ledger can hash: decimals and dates become strings; floats are refused
    (money is a decimal string, API.md)."""
    try:
        data = json.loads(json.dumps(value, cls=DjangoJSONEncoder))
    except (TypeError, ValueError) as exc:
        raise InvalidInput("invalid_json", _("Only JSON data is accepted here."), field=field) from exc

    def check(node: object) -> None:
        if isinstance(node, float):
            raise InvalidInput("float_not_allowed",
                               _("Numbers with a fraction must be given as decimal strings."), field=field)
        if isinstance(node, int) and abs(node) > MAX_JSON_INTEGER:
            raise InvalidInput("integer_too_large", _("Large numbers must be given as decimal strings."),
                               field=field)
        if isinstance(node, dict):
            for v in node.values():
                check(v)
        elif isinstance(node, list):
            for v in node:
                check(v)

    check(data)
    return data


def _materials(materials: object, *, hearing_held: bool) -> list[str]:
    if isinstance(materials, str | bytes | Mapping) or not isinstance(materials, Iterable):
        raise InvalidInput("invalid_materials", _("A list of material codes is expected."), field="materials")
    codes = [str(c) for c in dict.fromkeys(materials)]
    unknown = checklist.unknown_codes(codes, known=Material.values)
    if unknown:
        raise InvalidInput("unknown_material", _("Unknown material: %(codes)s.") % {"codes": ", ".join(unknown)},
                           field="materials", unknown=unknown)
    missing = checklist.missing_materials(codes, required=REQUIRED_MATERIALS, hearing=HEARING_MATERIALS,
                                          hearing_held=hearing_held)
    if missing:
        raise InvalidInput(
            "materials_missing",
            _("Materials missing from the submission: %(labels)s.")
            % {"labels": ", ".join(str(Material(c).label) for c in missing)},
            field="materials", missing=missing,
        )
    return codes


def _major_reasons(reasons: object) -> list[dict]:
    if isinstance(reasons, str | bytes | Mapping) or not isinstance(reasons, Iterable):
        raise InvalidInput("invalid_major_reasons", _("A list of reasons is expected."), field="major_reasons")
    cleaned = []
    for i, reason in enumerate(reasons):
        where = f"major_reasons[{i}]"
        if not isinstance(reason, Mapping):
            raise InvalidInput("invalid_major_reasons", _("Each reason is an object."), field=where)
        extra = [k for k in reason if k not in MAJOR_REASON_KEYS]
        if extra:
            raise InvalidInput("unknown_field", _("Unknown field: %(key)s.") % {"key": extra[0]},
                               field=f"{where}.{extra[0]}")
        code = reason.get("code")
        if not isinstance(code, str) or not code.strip():
            raise InvalidInput("reason_code_required", _("Each reason names its rule code."), field=f"{where}.code")
        version = reason.get("version", "")
        cleaned.append({
            "code": code.strip(),
            "version": version if isinstance(version, int) and not isinstance(version, bool) else str(version or ""),
            "reason": str(reason.get("reason") or ""),
            "citation": str(reason.get("citation") or ""),
        })
    return cleaned


# --- guards ---------------------------------------------------------------------------------

def reviewer_serves(user: User, unit: Unit) -> bool:
    """Whether `user` is a reviewer (法制审核人员) of a legal unit serving `unit`:
    role `reviewer` and a unit of kind legal whose parent's subtree holds `unit` (R7.2)."""
    own = user.unit
    if own is None or not user.has_role(Role.REVIEWER):
        return False
    parent_path = own.parent.path if own.parent_id else None
    return serving.serves(legal_kind=own.kind, parent_path=parent_path, unit_path=unit.path)


def _heads(user: User, unit: Unit) -> bool:
    """Whether `user` is an agency head (机关负责人) of `unit` or of a unit above it."""
    return user.has_role(Role.AGENCY_HEAD) and user.unit is not None and unit_is_within(unit, user.unit)


def _locked(review_id: object) -> ReviewSubmission:
    try:
        return (ReviewSubmission.objects.select_for_update().select_related("unit")
                .get(pk=int(str(review_id))))
    except (ValueError, ReviewSubmission.DoesNotExist):
        raise NotFound("review_not_found", _("No such review.")) from None


def _require_scope(user: User, submission: ReviewSubmission) -> None:
    """The handling unit's side acts within its unit scope; outside it the review is not found."""
    if not units_visible(user).filter(code=submission.unit_id).exists():
        raise NotFound("review_not_found", _("No such review."))


def _has_open_submission(subject: str) -> bool:
    return ReviewSubmission.objects.filter(subject=subject, status__in=OPEN_STATUSES).exists()


def _move(submission: ReviewSubmission, target: str, code: str, message: str) -> str:
    source = submission.status
    if not states.can_move(source, target):
        raise GuardRefused(code, message, status=source)
    submission.status = target
    submission.save(update_fields=["status"])
    return source


# --- services --------------------------------------------------------------------------------

@transaction.atomic
def review_submit(
    *, subject: str, unit_code: str, actor: User, involved_user_ids: Iterable[int],
    materials: Iterable[str], note: str = "", major_reasons: Iterable[Mapping] = (),
    proposal: Mapping | None = None, hearing_held: bool = False, complex_case: bool = False,
) -> ReviewSubmission:
    """Submit a proposed decision for legal review (送审) — a new round for the subject.

    Guards: the actor acts within his unit scope (else 404); no other review of the subject is
    pending or escalated (409 `review_pending`); the required materials are there (400
    `materials_missing`, GD-FS 第14条; the hearing report too when a hearing was held).
    Due: the review time limit in working days from the submission date, +3 when complex
    (R7.6), with the calendar's provisional flag.
    """
    subject = _text(subject, "subject", "subject_required", _("The subject of the review is required."))
    unit = Unit.objects.filter(code=unit_code).first()
    if unit is None or not units_visible(actor).filter(pk=unit.pk).exists():
        raise NotFound("unit_not_found", _("No unit with code %(code)s.") % {"code": unit_code})
    if _has_open_submission(subject):
        raise GuardRefused("review_pending", _("A review of this subject is already under way."))
    codes = _materials(materials, hearing_held=bool(hearing_held))
    involved = _user_ids(involved_user_ids, "involved_user_ids")
    reasons = _major_reasons(major_reasons)
    summary = _json_data(dict(proposal or {}), "proposal")
    note = note.strip() if isinstance(note, str) else ""

    now = _now()
    due_on, provisional, limits = _review_due(timezone.localdate(now), complex_case=bool(complex_case))
    last = ReviewSubmission.objects.filter(subject=subject).aggregate(n=Max("round"))["n"] or 0
    submission = ReviewSubmission(
        subject=subject, unit=unit, round=last + 1, note=note, materials=codes,
        major_reasons=reasons, proposal=summary, involved_user_ids=involved,
        hearing_held=bool(hearing_held), complex_extension=bool(complex_case), time_limits=limits,
        submitted_by=actor, submitted_at=now, due_on=due_on, due_provisional=provisional,
        status=SubmissionStatus.PENDING,
    )
    submission.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():  # a concurrent submission of the same subject lost the race
            submission.save()
    except IntegrityError as exc:
        raise GuardRefused("review_pending", _("A review of this subject is already under way.")) from exc
    ledger_append(subject=subject, action="review.submitted", actor=actor_ref(actor), payload={
        "review": submission.pk, "round": submission.round, "unit": unit.code, "note": note,
        "materials": codes, "major_reasons": reasons, "proposal": summary,
        "involved_user_ids": involved, "hearing_held": submission.hearing_held,
        "complex_extension": submission.complex_extension, "due_on": due_on.isoformat(),
        "due_provisional": provisional, "time_limits": limits,
    })
    return submission


@transaction.atomic
def review_give_opinion(
    *, review_id: int | str, reviewer: User, result: str, findings: Mapping[str, str], text: str,
) -> ReviewOpinion:
    """Give the written review opinion (出具书面审核意见): `approved` (同意) or `problems`
    (存在问题), with one finding per review point (R7.4).

    Guards: a reviewer of a legal unit serving the handling unit (403 `not_a_reviewer`);
    never a user involved in the subject nor its submitter (403 `reviewer_conflict`, R7.2);
    the submission is pending (409 `review_not_pending`).
    """
    submission = _locked(review_id)
    if not reviewer_serves(reviewer, submission.unit):
        raise PermissionDenied("not_a_reviewer",
                               _("Only a reviewer of the legal unit serving this unit may review it."))
    if reviewer.pk in submission.involved_user_ids or reviewer.pk == submission.submitted_by_id:
        raise PermissionDenied("reviewer_conflict",
                               _("A reviewer may not review a case he or she handles or took part in."))
    if submission.status != SubmissionStatus.PENDING:
        raise GuardRefused("review_not_pending", _("This review is not pending."), status=submission.status)
    if result not in OpinionResult.values:
        raise InvalidInput("invalid_result", _("The result is approved or problems."), field="result")
    if not isinstance(findings, Mapping):
        raise InvalidInput("findings_required", _("A finding for each review point is required."),
                           field="findings")
    problems = checklist.findings_problems(findings, keys=FINDING_KEYS)
    if problems:
        first = problems[0]
        if first.problem == "unknown":
            raise InvalidInput("unknown_field", _("Unknown review point: %(key)s.") % {"key": first.key},
                               field=f"findings.{first.key}")
        raise InvalidInput("finding_required", _("A written finding is required for each review point."),
                           field=f"findings.{first.key}", missing=[p.key for p in problems])
    text = _text(text, "text", "text_required", _("The written opinion is required."))
    cleaned = {key: findings[key].strip() for key in FINDING_KEYS}

    opinion = ReviewOpinion(submission=submission, reviewer=reviewer, reviewer_unit=reviewer.unit,
                            result=result, findings=cleaned, text=text, given_at=_now())
    opinion.full_clean()
    opinion.save()
    _move(submission, result, "review_not_pending", _("This review is not pending."))
    ledger_append(subject=submission.subject, action="review.opinion_given", actor=actor_ref(reviewer),
                  payload={"review": submission.pk, "round": submission.round, "result": result,
                           "reviewer_unit": reviewer.unit.code, "findings": cleaned, "text": text})
    return opinion


@transaction.atomic
def review_escalate(*, review_id: int | str, actor: User, reason: str) -> ReviewEscalation:
    """Raise a disagreement with a `problems` opinion for the agency head to settle
    (意见分歧提请协调) — RULES.md R7.5.

    Guards: within the actor's unit scope (else 404); the latest round of the subject ended
    in `problems` (409 `not_escalatable`); a reason (400 `reason_required`).
    """
    submission = _locked(review_id)
    _require_scope(actor, submission)
    newer = ReviewSubmission.objects.filter(subject=submission.subject, round__gt=submission.round).exists()
    if submission.status != SubmissionStatus.PROBLEMS or newer:
        raise GuardRefused("not_escalatable",
                           _("Only a review that found problems, in its latest round, can be escalated."),
                           status=submission.status)
    reason = _text(reason, "reason", "reason_required", _("The reason for the disagreement is required."))
    escalation = ReviewEscalation(submission=submission, raised_by=actor, reason=reason, raised_at=_now())
    escalation.full_clean()
    escalation.save()
    _move(submission, SubmissionStatus.ESCALATED, "not_escalatable",
          _("Only a review that found problems can be escalated."))
    ledger_append(subject=submission.subject, action="review.escalated", actor=actor_ref(actor),
                  payload={"review": submission.pk, "round": submission.round, "reason": reason})
    return escalation


@transaction.atomic
def review_settle(*, review_id: int | str, agency_head: User, settlement: str, text: str) -> ReviewEscalation:
    """Settle an escalated disagreement on the record (机关负责人协调决定) — RULES.md R7.5:
    `approved` lets the proposed decision go ahead, `upheld` keeps the review opinion.

    Guards: an agency head of the handling unit or a unit above it (403 `not_agency_head`);
    the review is escalated (409 `not_escalated`); a known settlement and a written text (400).
    """
    submission = _locked(review_id)
    if not _heads(agency_head, submission.unit):
        raise PermissionDenied("not_agency_head",
                               _("Only an agency head of the handling unit may settle the disagreement."))
    if submission.status != SubmissionStatus.ESCALATED:
        raise GuardRefused("not_escalated", _("This review is not escalated."), status=submission.status)
    if settlement not in Settlement.values:
        raise InvalidInput("invalid_settlement", _("The settlement is approved or upheld."), field="settlement")
    text = _text(text, "text", "text_required", _("The written settlement is required."))
    escalation = ReviewEscalation.objects.select_for_update().get(submission=submission)
    escalation.settled_by, escalation.settled_at = agency_head, _now()
    escalation.settlement, escalation.settlement_text = settlement, text
    escalation.full_clean()
    escalation.save(update_fields=["settled_by", "settled_at", "settlement", "settlement_text"])
    target = (SubmissionStatus.SETTLED_APPROVED if settlement == Settlement.APPROVED
              else SubmissionStatus.SETTLED_UPHELD)
    _move(submission, target, "not_escalated", _("This review is not escalated."))
    ledger_append(subject=submission.subject, action="review.settled", actor=actor_ref(agency_head),
                  payload={"review": submission.pk, "round": submission.round,
                           "settlement": settlement, "text": text})
    return escalation


@transaction.atomic
def review_withdraw(*, review_id: int | str, actor: User, reason: str) -> ReviewSubmission:
    """Withdraw a pending or escalated submission (撤回送审), e.g. when the case is dropped.

    Guards: within the actor's unit scope (else 404); pending or escalated (409
    `not_withdrawable`); a reason (400 `reason_required`).
    """
    submission = _locked(review_id)
    _require_scope(actor, submission)
    if not states.can_move(submission.status, SubmissionStatus.WITHDRAWN):
        raise GuardRefused("not_withdrawable", _("Only a pending or escalated review can be withdrawn."),
                           status=submission.status)
    reason = _text(reason, "reason", "reason_required", _("The reason for the withdrawal is required."))
    source = _move(submission, SubmissionStatus.WITHDRAWN, "not_withdrawable",
                   _("Only a pending or escalated review can be withdrawn."))
    ledger_append(subject=submission.subject, action="review.withdrawn", actor=actor_ref(actor),
                  payload={"review": submission.pk, "round": submission.round, "from": source,
                           "reason": reason})
    return submission


@transaction.atomic
def collective_discussion_record(
    *, subject: str, unit_code: str, actor: User, held_on: dt.date, attendee_ids: Iterable[int],
    conclusion: str, opinions: str = "",
) -> CollectiveDiscussion:
    """Record a collective discussion of the agency heads (负责人集体讨论记录) — 行政处罚法
    第57条, RULES.md R7.7: attendees, opinions and conclusion. The actor chairs and records it.

    Guards: the unit exists (404); an agency head of the unit or a unit above it (403
    `not_agency_head`); held on a date not in the future; attendees are existing users, the
    chair among them (added when not listed), at least two in all (400, field `attendees`);
    a conclusion (400 `conclusion_required`).
    """
    subject = _text(subject, "subject", "subject_required", _("The subject is required."))
    unit = Unit.objects.filter(code=unit_code).first()
    if unit is None:
        raise NotFound("unit_not_found", _("No unit with code %(code)s.") % {"code": unit_code})
    if not _heads(actor, unit):
        raise PermissionDenied("not_agency_head",
                               _("Only an agency head of the handling unit may record a collective discussion."))
    now = _now()
    if not isinstance(held_on, dt.date) or isinstance(held_on, dt.datetime):
        raise InvalidInput("invalid_date", _("A date is expected."), field="held_on")
    if held_on > timezone.localdate(now):
        raise InvalidInput("held_on_in_future", _("A discussion cannot be recorded before it is held."),
                           field="held_on")
    attendees = sorted(set(_user_ids(attendee_ids, "attendees")) | {actor.pk})
    known = set(User.objects.filter(pk__in=attendees).values_list("pk", flat=True))
    unknown = [pk for pk in attendees if pk not in known]
    if unknown:
        raise InvalidInput("unknown_attendees", _("Some attendees are not known users."),
                           field="attendees", unknown=unknown)
    if len(attendees) < MIN_COLLECTIVE_ATTENDEES:
        raise InvalidInput("attendees_too_few",
                           _("A collective discussion needs at least %(n)d attendees.")
                           % {"n": MIN_COLLECTIVE_ATTENDEES}, field="attendees")
    conclusion = _text(conclusion, "conclusion", "conclusion_required", _("The conclusion is required."))
    opinions = opinions.strip() if isinstance(opinions, str) else ""

    record = CollectiveDiscussion(subject=subject, unit=unit, held_on=held_on, chaired_by=actor,
                                  attendee_ids=attendees, opinions=opinions, conclusion=conclusion,
                                  recorded_by=actor, recorded_at=now)
    record.full_clean()
    record.save()
    ledger_append(subject=subject, action="collective_discussion.recorded", actor=actor_ref(actor),
                  payload={"collective_discussion": record.pk, "unit": unit.code,
                           "held_on": held_on.isoformat(), "chaired_by": actor.pk,
                           "attendee_ids": attendees, "opinions": opinions, "conclusion": conclusion})
    return record

