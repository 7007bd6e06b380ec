"""Case services (案件办理): every state change of a case, each one transaction with its ledger entry.

Guards refuse with typed errors naming what is missing (DESIGN.md "The case, end to end").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanxiang.accounts.constants import Role
from sanxiang.accounts.models import Officer, User
from sanxiang.accounts.selectors import scope_filter, unit_in_scope, unit_is_within
from sanxiang.accounts.services import actor_ref
from sanxiang.cases import deadlines
from sanxiang.cases.constants import ActivityKind, PartyResponseKind, Stage
from sanxiang.cases.models import (
    Activity,
    ActivityOfficer,
    Case,
    CaseFlagRecord,
    CaseHandler,
    Counter,
    Decision,
    Party,
    PartyResponse,
    Recusal,
)
from sanxiang.cases.rules import recording, stages
from sanxiang.catalog import selectors as catalog
from sanxiang.catalog.constants import CaseFlag, CaseKind, DecisionKind, PenaltyType, RulePurpose
from sanxiang.catalog.rules.decisions import DecisionFacts
from sanxiang.core.errors import GuardRefused, InvalidInput, NotFound, PermissionDenied
from sanxiang.core.identifiers import IdentifierError, validate_id_number, validate_uscc
from sanxiang.records.services import ledger_append
from sanxiang.review import selectors as review_selectors
from sanxiang.review import services as review_services

# ------------------------------------------------------------------------------------------ helpers


def _ledger(case: Case, action: str, actor: User, payload: dict) -> None:
    ledger_append(subject=case.ref, action=action, actor=actor_ref(actor), payload=payload)


def _issuing():
    """The document issuing module (imported late: it imports this one)."""
    from sanxiang.cases import issuing

    return issuing


def next_sequence(key: str) -> int:
    """The next value of a gapless counter (locks its row until the transaction ends)."""
    Counter.objects.get_or_create(key=key)
    counter = Counter.objects.select_for_update().get(key=key)
    counter.value += 1
    counter.save(update_fields=["value"])
    return counter.value


def _locked_case(case_id, viewer: User) -> Case:
    """The case, row-locked, if the viewer's scope reaches it; else 404."""
    try:
        pk = int(case_id)
    except (TypeError, ValueError):
        raise NotFound("case_not_found", _("No such case.")) from None
    case = scope_filter(Case.objects.select_for_update(), viewer).filter(pk=pk).first()
    if case is None:
        raise NotFound("case_not_found", _("No such case."))
    return case


def is_handler(case: Case, user: User) -> bool:
    return CaseHandler.objects.filter(case=case, user=user).exists()


def _unit_head_over(case: Case, user: User) -> bool:
    return user.has_role(Role.UNIT_HEAD) and user.unit is not None and unit_is_within(case.unit, user.unit)


def _agency_head_over(case: Case, user: User) -> bool:
    return user.has_role(Role.AGENCY_HEAD) and user.unit is not None and unit_is_within(case.unit, user.unit)


def _require_not_recused(case: Case, user: User) -> None:
    """A person recused from the case (回避, APL 第43条) takes no further part in it, whatever his role."""
    if Recusal.objects.filter(case=case, user=user).exists():
        raise GuardRefused("recused", _("You are recused from this case (APL 第43条)."), user_ids=[user.pk])


def _require_handler_or_unit_head(case: Case, user: User) -> None:
    _require_not_recused(case, user)
    if not (is_handler(case, user) or _unit_head_over(case, user)):
        raise PermissionDenied("not_a_handler", _("Only the case's handlers or the unit head may do this."))


def _require_open(case: Case) -> None:
    if case.stage in stages.TERMINAL or case.stage == Stage.CLOSED:
        raise GuardRefused("case_closed", _("The case is closed; nothing more can be recorded on it."),
                           stage=case.stage)


def involved_user_ids(case: Case) -> set[int]:
    """Handlers, every officer who took part and anyone recused (a reviewer must be none of them)."""
    ids = set(CaseHandler.objects.filter(case=case).values_list("user_id", flat=True))
    ids |= set(ActivityOfficer.objects.filter(activity__case=case).values_list("officer__user_id", flat=True))
    ids |= set(Recusal.objects.filter(case=case).values_list("user_id", flat=True))
    ids.add(case.created_by_id)
    return ids


_PROPOSED = object()  # `_facts` default: judge the proposed decision (a decision passes its own values)


def _facts(case: Case, *, penalty_types=None, fine_amount=_PROPOSED, confiscation_amount=_PROPOSED) -> DecisionFacts:
    flags = {f.flag: f.reason for f in case.flags.all()}
    return DecisionFacts(
        case_kind=case.kind,
        party_types=tuple(case.parties.values_list("type", flat=True)),
        fine_amount=case.proposed_fine_amount if fine_amount is _PROPOSED else fine_amount,
        confiscation_amount=(case.proposed_confiscation_amount if confiscation_amount is _PROPOSED
                             else confiscation_amount),
        penalty_types=tuple(case.proposed_penalty_types if penalty_types is None else penalty_types),
        flags=flags,
        hearing_held=CaseFlag.HEARING_HELD in flags or case.activities.filter(
            kind=ActivityKind.HEARING, complete=True).exists(),
    )


def _matches(purpose: str, facts: DecisionFacts, on: dt.date) -> list[dict]:
    return [{"code": m.code, "version": m.version, "reason": m.reason, "citation": m.citation}
            for m in catalog.decision_matches(purpose, facts, on)]


def _refresh_determinations(case: Case) -> None:
    """Re-evaluate major / hearing / collective with their stored reasons (重大执法决定认定)."""
    facts = _facts(case)
    today = timezone.localdate()
    case.major_reasons = _matches(RulePurpose.MAJOR, facts, today)
    case.major = bool(case.major_reasons)
    case.hearing_reasons = _matches(RulePurpose.HEARING, facts, today)
    case.collective_reasons = _matches(RulePurpose.COLLECTIVE, facts, today)


def _save(case: Case, *fields: str) -> None:
    case.save(update_fields=[*fields, "updated_at"])
    deadlines.refresh(case)


def _set_stage(case: Case, target: str) -> str:
    previous = case.stage
    case.stage = target
    case.stage_changed_at = timezone.now()
    return previous


# ------------------------------------------------------------------------------------------ parties


@dataclass(frozen=True)
class PartyInput:
    type: str
    name: str
    uscc: str = ""
    id_number: str = ""
    legal_representative: str = ""
    address: str = ""
    phone: str = ""


def _clean_parties(parties: Sequence[PartyInput]) -> list[PartyInput]:
    """Validate parties (identifiers by their check characters); errors name `parties[i].field`."""
    if not parties:
        raise InvalidInput("parties_required", _("A case needs at least one party."), field="parties")
    cleaned = []
    for i, party in enumerate(parties):
        if party.type not in {"organization", "person", "individual_business"}:
            raise InvalidInput("invalid_party_type", _("Unknown party type."), field=f"parties[{i}].type")
        if not party.name.strip():
            raise InvalidInput("field_required", _("A party needs a name."), field=f"parties[{i}].name")
        uscc, id_number = party.uscc.strip(), party.id_number.strip()
        try:
            uscc = validate_uscc(uscc) if uscc else ""
        except IdentifierError as err:
            raise InvalidInput(err.code, _(err.message), field=f"parties[{i}].uscc") from None
        try:
            id_number = validate_id_number(id_number, today=timezone.localdate()) if id_number else ""
        except IdentifierError as err:
            raise InvalidInput(err.code, _(err.message), field=f"parties[{i}].id_number") from None
        if party.type in {"organization", "individual_business"} and not uscc:
            raise InvalidInput("uscc_required",
                               _("An organization or individual business needs its unified social credit code."),
                               field=f"parties[{i}].uscc")
        if party.type == "person" and not id_number:
            raise InvalidInput("id_number_required", _("A natural person needs a resident ID number."),
                               field=f"parties[{i}].id_number")
        cleaned.append(PartyInput(type=party.type, name=party.name.strip(), uscc=uscc, id_number=id_number,
                                  legal_representative=party.legal_representative.strip(),
                                  address=party.address.strip(), phone=party.phone.strip()))
    return cleaned


# ------------------------------------------------------------------------------------------ filing


@transaction.atomic
def case_create(*, actor: User, kind: str, title: str, parties: Sequence[PartyInput], unit_code: str | None = None,
                matter_code: str = "", facts: str = "", discovered_on: dt.date | None = None,
                handlers: Sequence[User] = ()) -> Case:
    """File a case (立案). The filing officer becomes its handler; with `handlers` (e.g. the
    inspectors drawn for a random inspection, 随机选派) those officers are the handlers instead,
    each an officer of the case's unit or of a unit below it."""
    if not actor.has_role(Role.OFFICER, Role.UNIT_HEAD):
        raise PermissionDenied("role_required", _("Only officers and unit heads may file cases."))
    if kind not in CaseKind.values:
        raise InvalidInput("invalid_kind", _("Unknown case kind."), field="kind")
    title = (title or "").strip()
    if not title:
        raise InvalidInput("field_required", _("A case needs a title."), field="title")
    if unit_code:
        try:
            unit = unit_in_scope(actor, unit_code)
        except NotFound:
            raise InvalidInput("unknown_unit", _("No unit with code %(code)s.") % {"code": unit_code},
                               field="unit") from None
    else:
        unit = actor.unit
    if unit is None:
        raise InvalidInput("unit_required", _("The case needs a handling unit."), field="unit")
    if matter_code:
        try:
            matter = catalog.matter_get(matter_code)
        except NotFound:
            raise InvalidInput("unknown_matter", _("No enforcement matter with code %(code)s.")
                               % {"code": matter_code}, field="matter_code") from None
        if matter.case_kind != kind:
            raise InvalidInput("matter_kind_mismatch", _("This enforcement matter belongs to another kind of case."),
                               field="matter_code")
    today = timezone.localdate()
    if discovered_on and discovered_on > today:
        raise InvalidInput("date_in_future", _("The date cannot be in the future."), field="discovered_on")
    cleaned = _clean_parties(parties)
    for handler in handlers:
        if not (handler.is_active and handler.has_role(Role.OFFICER) and handler.unit is not None
                and unit_is_within(handler.unit, unit)):
            raise InvalidInput("invalid_handler", _("%(name)s is not an officer of the handling unit.")
                               % {"name": handler.full_name or handler.username}, field="handlers")
    seq = next_sequence(f"case:{unit.code}:{today.year}")
    case = Case.objects.create(
        number=f"{unit.code}-{today.year}-{seq:05d}", kind=kind, title=title, unit=unit, matter_code=matter_code,
        stage=Stage.REGISTERED, stage_changed_at=timezone.now(), facts=facts or "", registered_on=today,
        discovered_on=discovered_on, created_by=actor,
    )
    Party.objects.bulk_create([Party(case=case, position=i, **p.__dict__) for i, p in enumerate(cleaned)])
    assigned = list(dict.fromkeys(handlers)) or [actor]
    CaseHandler.objects.bulk_create([CaseHandler(case=case, user=user) for user in assigned])
    _refresh_determinations(case)
    _save(case, "major", "major_reasons", "hearing_reasons", "collective_reasons")
    _ledger(case, "case.registered", actor, {
        "number": case.number, "kind": kind, "title": title, "unit": unit.code, "matter": matter_code,
        "parties": [{"type": p.type, "name": p.name} for p in cleaned],
        "handlers": [actor_ref(user) for user in assigned],
    })
    _issuing().issue_filing_approval(case=case, actor=actor)  # 立案审批表
    return case


@transaction.atomic
def case_recusal_declare(*, case_id, actor: User, user_id: int, reason: str) -> Recusal:
    """Record a conflict (回避, APL 第43条): the user can no longer handle or take part in the case."""
    case = _locked_case(case_id, actor)
    if not (actor.pk == user_id or _unit_head_over(case, actor) or _agency_head_over(case, actor)):
        raise PermissionDenied("role_required", _("A recusal is declared by the person concerned or decided by a head."))
    if not (reason or "").strip():
        raise InvalidInput("field_required", _("Give the reason for the recusal."), field="reason")
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise InvalidInput("unknown_user", _("No such user."), field="user_id")
    if Recusal.objects.filter(case=case, user=user).exists():
        raise GuardRefused("already_recused", _("This person is already recused from the case."))
    recusal = Recusal.objects.create(case=case, user=user, reason=reason.strip(), declared_by=actor)
    CaseHandler.objects.filter(case=case, user=user).delete()
    _ledger(case, "case.recusal_declared", actor, {"user": f"user:{user.pk}", "reason": recusal.reason})
    return recusal


# ------------------------------------------------------------------------------------------ activities


@transaction.atomic
def activity_record(*, case_id, actor: User, kind: str, occurred_at: dt.datetime, officer_ids: Iterable,
                    place: str = "", notes: str = "", participants: Sequence[dict] = ()) -> Activity:
    """Record an act (执法活动) with the officers present (two certified officers on site, APL 第42条)."""
    case = _locked_case(case_id, actor)
    if not actor.has_role(Role.OFFICER, Role.UNIT_HEAD):
        raise PermissionDenied("role_required", _("Only officers and unit heads may record activities."))
    _require_not_recused(case, actor)
    ids = []
    for raw in officer_ids:
        try:
            ids.append(int(raw))
        except (TypeError, ValueError):
            raise InvalidInput("unknown_officer", _("Unknown officer id %(id)s.") % {"id": raw},
                               field="officer_ids") from None
    # An officer who is not (yet) a handler records an act only as one of the officers present:
    # he then becomes a handler (API.md "Who may act"); anyone else in scope may not write here.
    if not (is_handler(case, actor) or _unit_head_over(case, actor)
            or Officer.objects.filter(user=actor, pk__in=ids).exists()):
        raise PermissionDenied("not_a_handler",
                               _("Only the case's handlers, the unit head or an officer taking part may do this."))
    _require_open(case)
    if kind not in ActivityKind.values:
        raise InvalidInput("invalid_kind", _("Unknown activity kind."), field="kind")
    if timezone.is_naive(occurred_at):
        raise InvalidInput("timezone_required", _("Give the time with its UTC offset."), field="occurred_at")
    if occurred_at > timezone.now() + dt.timedelta(minutes=10):
        raise InvalidInput("date_in_future", _("The time cannot be in the future."), field="occurred_at")
    officers = list(Officer.objects.select_related("user").filter(pk__in=set(ids)))
    if len(officers) != len(set(ids)):
        raise InvalidInput("unknown_officer", _("An officer id is unknown."), field="officer_ids")
    day = timezone.localtime(occurred_at).date()
    valid = [o for o in officers if o.is_valid_on(day)]
    needed = recording.MIN_OFFICERS if kind in recording.ON_SITE else 1
    if len(valid) < needed:
        invalid = [o.certificate_number for o in officers if o not in valid]
        raise InvalidInput(
            "officers_insufficient",
            _("At least %(n)d officers holding valid enforcement certificates on %(day)s must take part (%(cite)s).")
            % {"n": needed, "day": day.isoformat(), "cite": recording.MIN_OFFICERS_CITATION},
            field="officer_ids", invalid_certificates=invalid, valid=len(valid),
        )
    recused = set(Recusal.objects.filter(case=case, user__in=[o.user for o in officers]).values_list("user_id", flat=True))
    if recused:
        raise GuardRefused("officer_recused", _("An officer named here is recused from this case (APL 第43条)."),
                           user_ids=sorted(recused))
    cleaned_participants = _clean_participants(participants)
    activity = Activity.objects.create(
        case=case, kind=kind, occurred_at=occurred_at, place=(place or "").strip(), notes=notes or "",
        participants=cleaned_participants, av_required=recording.video_required(kind), created_by=actor,
    )
    ActivityOfficer.objects.bulk_create([ActivityOfficer(activity=activity, officer=o,
                                                         certificate_number=o.certificate_number) for o in officers])
    if actor.has_role(Role.OFFICER) and not Recusal.objects.filter(case=case, user=actor).exists():
        CaseHandler.objects.get_or_create(case=case, user=actor)
    _ledger(case, "activity.recorded", actor, {
        "activity": activity.pk, "kind": kind, "occurred_at": occurred_at.isoformat(), "place": activity.place,
        "officers": [o.certificate_number for o in officers], "av_required": activity.av_required,
        "participants": [{"name": p["name"], "role": p["role"]} for p in cleaned_participants],
    })
    return activity


def _clean_participants(participants: Sequence[dict]) -> list[dict]:
    cleaned = []
    for i, p in enumerate(participants or ()):
        if not isinstance(p, dict) or not str(p.get("name", "")).strip():
            raise InvalidInput("field_required", _("A participant needs a name."), field=f"participants[{i}].name")
        id_number = str(p.get("id_number") or "").strip()
        if id_number:
            try:
                id_number = validate_id_number(id_number, today=timezone.localdate())
            except IdentifierError as err:
                raise InvalidInput(err.code, _(err.message), field=f"participants[{i}].id_number") from None
        cleaned.append({"name": str(p["name"]).strip(), "role": str(p.get("role") or "other"),
                        "id_number": id_number, "phone": str(p.get("phone") or "").strip()})
    return cleaned


@transaction.atomic
def activity_complete(*, case_id, activity_id, actor: User) -> Activity:
    """Mark an act complete; seizure, production restriction and closure need a video record (R8.2)."""
    case = _locked_case(case_id, actor)
    _require_handler_or_unit_head(case, actor)
    _require_open(case)
    activity = Activity.objects.select_for_update().filter(case=case, pk=_int_or_none(activity_id)).first()
    if activity is None:
        raise NotFound("activity_not_found", _("No such activity in this case."))
    if activity.complete:
        raise GuardRefused("already_complete", _("The activity is already complete."))
    if activity.av_required and not _has_video(case, activity):
        raise GuardRefused("av_record_required",
                           _("This act must be recorded on video from start to end; attach the video record first."),
                           citation=recording.MANDATORY_VIDEO[activity.kind])
    activity.complete = True
    activity.completed_at = timezone.now()
    activity.completed_by = actor
    activity.save(update_fields=["complete", "completed_at", "completed_by"])
    deadlines.refresh(case)
    _ledger(case, "activity.completed", actor, {"activity": activity.pk, "kind": activity.kind})
    _issuing().issue_service_receipt(case=case, activity=activity, actor=actor)  # 送达回证 (service acts)
    return activity


def _has_video(case: Case, activity: Activity) -> bool:
    from sanxiang.records.models import Evidence

    return Evidence.objects.filter(subject=case.ref, activity=activity.ref, kind="video").exists()


# ------------------------------------------------------------------------------------------ flags, proposal


@transaction.atomic
def case_flag_set(*, case_id, actor: User, flag: str, reason: str) -> Case:
    """Set a flag with its reason; the major determination is re-evaluated (R7.1)."""
    case = _locked_case(case_id, actor)
    _require_handler_or_unit_head(case, actor)
    _require_open(case)
    if hasattr(case, "decision"):
        raise GuardRefused("already_decided", _("The case is already decided."))
    if flag not in CaseFlag.values:
        raise InvalidInput("invalid_flag", _("Unknown flag."), field="flag")
    if not (reason or "").strip():
        raise InvalidInput("field_required", _("A flag needs its reason."), field="reason")
    if case.flags.filter(flag=flag).exists():
        raise GuardRefused("flag_already_set", _("This flag is already set."))
    CaseFlagRecord.objects.create(case=case, flag=flag, reason=reason.strip(), set_by=actor)
    _refresh_determinations(case)
    _save(case, "major", "major_reasons", "hearing_reasons", "collective_reasons")
    _ledger(case, "case.flag_set", actor, {"flag": flag, "reason": reason.strip(), "major": case.major,
                                           "major_reasons": case.major_reasons})
    return case


def _check_penalty_types(penalty_types: Sequence[str], field_name: str = "penalty_types") -> list[str]:
    unknown = [p for p in penalty_types if p not in PenaltyType.values]
    if unknown:
        raise InvalidInput("invalid_penalty_type", _("Unknown penalty type: %(types)s.") % {"types": ", ".join(unknown)},
                           field=field_name)
    return list(dict.fromkeys(penalty_types))


def _check_amount(value, field_name: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except Exception:
        raise InvalidInput("invalid_amount", _("An amount is a decimal number of yuan."), field=field_name) from None
    if not amount.is_finite() or amount < 0 or amount.as_tuple().exponent < -2 or amount >= Decimal("1e12"):
        raise InvalidInput("invalid_amount", _("An amount is a decimal number of yuan."), field=field_name)
    return amount.quantize(Decimal("0.01"))


@transaction.atomic
def case_propose(*, case_id, actor: User, penalty_types: Sequence[str], fine_amount=None,
                 confiscation_amount=None, legal_basis: str = "") -> Case:
    """Record the proposed decision (拟处理意见); major, hearing and collective are re-evaluated."""
    case = _locked_case(case_id, actor)
    _require_handler_or_unit_head(case, actor)
    _require_open(case)
    if hasattr(case, "decision"):
        raise GuardRefused("already_decided", _("The case is already decided."))
    types = _check_penalty_types(penalty_types)
    fine = _check_amount(fine_amount, "fine_amount")
    if PenaltyType.FINE in types and not fine:
        raise InvalidInput("fine_amount_required", _("A fine needs its amount."), field="fine_amount")
    confiscation = _check_amount(confiscation_amount, "confiscation_amount")
    # The party was told the proposed penalty (APL 第44条): a heavier one needs a new notice.
    reopened = case.notified_on is not None and not _within_reviewed(_proposal(case), types, fine, confiscation)
    fields = ["proposed_penalty_types", "proposed_fine_amount", "proposed_confiscation_amount",
              "proposed_legal_basis", "major", "major_reasons", "hearing_reasons", "collective_reasons"]
    if reopened:
        case.notified_on, case.hearing_offered = None, False
        fields += ["notified_on", "hearing_offered"]
    case.proposed_penalty_types = types
    case.proposed_fine_amount = fine
    case.proposed_confiscation_amount = confiscation
    case.proposed_legal_basis = (legal_basis or "").strip()
    _refresh_determinations(case)
    _save(case, *fields)
    _ledger(case, "case.proposed", actor, {
        "penalty_types": types, "fine_amount": str(fine) if fine is not None else None,
        "legal_basis": case.proposed_legal_basis, "major": case.major, "major_reasons": case.major_reasons,
        "hearing_reasons": case.hearing_reasons, "notice_reopened": reopened,
    })
    return case


# ------------------------------------------------------------------------------------------ transitions


@transaction.atomic
def case_transition(*, case_id, actor: User, to: str, note: str = "") -> Case:
    """Move a case to another stage along the table of `rules.stages`, checking each stage's guard."""
    case = _locked_case(case_id, actor)
    _require_handler_or_unit_head(case, actor)
    if to not in Stage.values:
        raise InvalidInput("invalid_stage", _("Unknown stage."), field="to")
    if to in stages.ENDPOINT_ONLY:
        raise GuardRefused("use_dedicated_endpoint",
                           _("This stage is reached by submitting for legal review or by deciding."), to=to)
    if not stages.generic_transition_allowed(case.kind, case.stage, to):
        raise GuardRefused("transition_not_allowed",
                           _("A case cannot move from %(from)s to %(to)s.") % {"from": case.stage, "to": to},
                           allowed=[s for s in stages.allowed_next(case.kind, case.stage)
                                    if s not in stages.ENDPOINT_ONLY])
    note = (note or "").strip()
    if to in stages.SIDE_EXITS and not note:
        raise InvalidInput("note_required", _("Give the reason in the note."), field="note")
    _transition_guard(case, to)
    if to in (*stages.SIDE_EXITS, Stage.EXAMINING):
        # Pulled back or dropped while the legal unit still has it: the open round is withdrawn,
        # so that a new round can be submitted later (R7.5).
        status = review_selectors.review_status(case.ref)
        if status.is_open:
            review_services.review_withdraw(review_id=status.submission.pk, actor=actor,
                                            reason=note or "案件退回审查，撤回送审")
    fields = ["stage", "stage_changed_at"]
    if to == Stage.NOTIFIED:
        case.notified_on = timezone.localdate()
        _refresh_determinations(case)
        case.hearing_offered = bool(case.hearing_reasons)
        fields += ["notified_on", "hearing_offered", "major", "major_reasons", "hearing_reasons", "collective_reasons"]
    previous = _set_stage(case, to)
    _save(case, *fields)
    payload = {"from": previous, "to": to, "note": note}
    if to == Stage.NOTIFIED:
        payload |= {"hearing_offered": case.hearing_offered, "hearing_reasons": case.hearing_reasons}
        _issuing().issue_notices(case=case, actor=actor)  # 行政处罚事先告知书 (+ 听证告知书)
    _ledger(case, "case.transition", actor, payload)
    return case


def _hearing_requested(case: Case) -> bool:
    """The party asked for a hearing after the current notice (APL 第64条)."""
    return case.notified_on is not None and case.responses.filter(
        kind=PartyResponseKind.HEARING_REQUEST, received_on__gte=case.notified_on).exists()


def _hearing_held(case: Case, by: dt.date | None = None) -> bool:
    """A hearing act completed after the current notice (and on or before `by`)."""
    if case.notified_on is None:
        return False
    held = case.activities.filter(kind=ActivityKind.HEARING, complete=True,
                                  occurred_at__gte=deadlines.day_start(case.notified_on))
    if by is not None:
        held = held.filter(occurred_at__lt=deadlines.day_start(by + dt.timedelta(days=1)))
    return held.exists()


def _require_requested_hearing_held(case: Case) -> None:
    """Skipping the hearing is allowed only when none was requested (API.md "Cases")."""
    if case.kind == CaseKind.PENALTY and _hearing_requested(case) and not _hearing_held(case):
        raise GuardRefused("hearing_pending", _("The party requested a hearing that has not been held."))


def _transition_guard(case: Case, to: str) -> None:
    if to == Stage.NOTIFIED and case.kind == CaseKind.PENALTY:
        if not (case.proposed_penalty_types and case.proposed_legal_basis):
            raise GuardRefused("proposal_required",
                               _("Record the proposed penalty and its legal basis before notifying the party "
                                 "(APL 第44条)."))
    elif to == Stage.HEARING:
        if not _hearing_requested(case):
            raise GuardRefused("hearing_not_requested", _("The party has not requested a hearing."))
    elif to == Stage.COLLECTIVE_DISCUSSION:
        _require_requested_hearing_held(case)
        if case.major and not review_selectors.review_status(case.ref).approved:
            raise GuardRefused("legal_review_required",
                               _("A major decision goes to legal review before collective discussion (R7.7)."),
                               reasons=case.major_reasons)
    elif to == Stage.SERVED:
        if not hasattr(case, "decision"):
            raise GuardRefused("decision_required", _("There is no decision to serve."))
        # The service of this decision: a service act completed on or after the decision day (an
        # earlier one served something else, e.g. the notice).
        if deadlines.served_on(case, case.decision.decided_on) is None:
            raise GuardRefused("service_record_required",
                               _("Record the completed service of the decision (送达回证) first."))
    elif to == Stage.ARCHIVED:
        raise GuardRefused("archive_package_required",
                           _("A case is archived by exporting an archive package that passes the check."))


# ------------------------------------------------------------------------------------------ party responses


@transaction.atomic
def party_response_record(*, case_id, actor: User, kind: str, received_on: dt.date, text: str = "") -> PartyResponse:
    """Record a statement, waiver, hearing request or hearing waiver (APL 第44、45、63、64条)."""
    case = _locked_case(case_id, actor)
    _require_not_recused(case, actor)
    if not (actor.has_role(Role.OFFICER, Role.UNIT_HEAD)
            and (is_handler(case, actor) or _unit_head_over(case, actor))):
        raise PermissionDenied("not_a_handler", _("Only the case's handlers or the unit head may do this."))
    _require_open(case)
    if kind not in PartyResponseKind.values:
        raise InvalidInput("invalid_kind", _("Unknown response kind."), field="kind")
    if case.notified_on is None:
        raise GuardRefused("not_notified", _("The party has not been notified yet."))
    if hasattr(case, "decision"):
        raise GuardRefused("already_decided", _("The case is already decided."))
    today = timezone.localdate()
    if received_on > today or received_on < case.notified_on:
        raise InvalidInput("invalid_date", _("The date must lie between the notification and today."),
                           field="received_on")
    if kind in (PartyResponseKind.HEARING_REQUEST, PartyResponseKind.HEARING_WAIVER):
        if not case.hearing_offered:
            raise GuardRefused("hearing_not_offered", _("No hearing was offered in this case."))
        current = case.responses.filter(kind__in=[PartyResponseKind.HEARING_REQUEST, PartyResponseKind.HEARING_WAIVER],
                                        received_on__gte=case.notified_on)
        if current.exists():
            raise GuardRefused("hearing_answer_recorded", _("The party's answer on the hearing is already recorded."))
        if kind == PartyResponseKind.HEARING_REQUEST:
            due = deadlines.due(case, "hearing_request")
            if due is not None and received_on > due.date:
                raise GuardRefused("hearing_request_late",
                                   _("The hearing request arrived after the time limit (APL 第64条)."),
                                   due_on=due.date.isoformat())
    if kind == PartyResponseKind.STATEMENT and not (text or "").strip():
        raise InvalidInput("field_required", _("Record what the party stated."), field="text")
    response = PartyResponse.objects.create(case=case, kind=kind, received_on=received_on, text=text or "",
                                            recorded_by=actor)
    deadlines.refresh(case)
    _ledger(case, "case.party_response", actor, {"kind": kind, "received_on": received_on.isoformat(),
                                                  "text": response.text})
    return response


# ------------------------------------------------------------------------------------------ review


def _proposal(case: Case) -> dict:
    return {"penalty_types": list(case.proposed_penalty_types),
            "fine_amount": str(case.proposed_fine_amount) if case.proposed_fine_amount is not None else None,
            "confiscation_amount": (str(case.proposed_confiscation_amount)
                                    if case.proposed_confiscation_amount is not None else None),
            "legal_basis": case.proposed_legal_basis}


@transaction.atomic
def case_submit_review(*, case_id, actor: User, materials: Sequence[str], note: str = ""):
    """Submit the proposed decision for legal review (提交法制审核); the case moves to legal_review."""
    case = _locked_case(case_id, actor)
    _require_handler_or_unit_head(case, actor)
    if case.stage not in stages.REVIEWABLE_FROM.get(case.kind, ()):
        raise GuardRefused("transition_not_allowed", _("The case cannot go to legal review from this stage."),
                           stage=case.stage)
    if not (case.proposed_penalty_types or case.kind != CaseKind.PENALTY):
        raise GuardRefused("proposal_required", _("Record the proposed decision before the review."))
    _require_requested_hearing_held(case)
    _refresh_determinations(case)
    facts = _facts(case)
    submission = review_services.review_submit(
        subject=case.ref, unit_code=case.unit.code, actor=actor, involved_user_ids=involved_user_ids(case),
        materials=list(materials), note=note, major_reasons=case.major_reasons, proposal=_proposal(case),
        hearing_held=facts.hearing_held, complex_case=CaseFlag.COMPLEX in facts.flags,
    )
    fields = ["major", "major_reasons", "hearing_reasons", "collective_reasons"]
    if case.kind == CaseKind.PENALTY:
        previous = _set_stage(case, Stage.LEGAL_REVIEW)
        fields += ["stage", "stage_changed_at"]
        _ledger(case, "case.transition", actor, {"from": previous, "to": Stage.LEGAL_REVIEW,
                                                 "note": note, "review": submission.pk})
    _save(case, *fields)
    return submission


def _case_of_submission(review_id, viewer: User) -> tuple[Case, object]:
    """The review and its case, row-locked, if the case is visible to the viewer (a legal unit's
    reviewers see the units it serves); else 404, as for any object outside the scope."""
    from sanxiang.cases.selectors import visible_q
    from sanxiang.review.models import ReviewSubmission

    submission = ReviewSubmission.objects.filter(pk=_int_or_none(review_id)).first()
    if submission is None or not submission.subject.startswith("case:"):
        raise NotFound("review_not_found", _("No such review."))
    case = (Case.objects.select_for_update().filter(visible_q(viewer))
            .filter(pk=_int_or_none(submission.subject.split(":", 1)[1])).first())
    if case is None:
        raise NotFound("review_not_found", _("No such review."))
    return case, submission


@transaction.atomic
def case_review_opinion(*, review_id, reviewer: User, result: str, findings: dict, text: str):
    """A legal-unit reviewer's written opinion; `problems` sends the case back to examination."""
    case, submission = _case_of_submission(review_id, reviewer)
    # Separation of duties (R7.2) judged now, not only at submission: whoever took part since
    # (a hearing, a later inspection) or has been recused is in conflict too.
    if review_services.reviewer_serves(reviewer, submission.unit) and reviewer.pk in involved_user_ids(case):
        raise PermissionDenied("reviewer_conflict",
                               _("A reviewer may not review a case he or she handles or took part in."))
    opinion = review_services.review_give_opinion(review_id=submission.pk, reviewer=reviewer, result=result,
                                                  findings=findings, text=text)
    _issuing().issue_review_opinion(case=case, submission=submission, opinion=opinion, actor=reviewer)  # 法制审核意见书
    if result == "problems" and case.stage == Stage.LEGAL_REVIEW:
        previous = _set_stage(case, Stage.EXAMINING)
        _save(case, "stage", "stage_changed_at")
        _ledger(case, "case.transition", reviewer, {"from": previous, "to": Stage.EXAMINING,
                                                    "note": "法制审核存在问题，退回审查", "review": submission.pk})
    else:
        deadlines.refresh(case)
    return opinion


@transaction.atomic
def case_review_escalate(*, review_id, actor: User, reason: str):
    """The handling unit disputes the legal unit's problems: the agency head will settle it."""
    case, submission = _case_of_submission(review_id, actor)
    _require_handler_or_unit_head(case, actor)
    return review_services.review_escalate(review_id=submission.pk, actor=actor, reason=reason)


@transaction.atomic
def case_review_settle(*, review_id, actor: User, settlement: str, text: str):
    """The agency head settles a disagreement on the record (R7.5)."""
    case, submission = _case_of_submission(review_id, actor)
    _require_not_recused(case, actor)
    result = review_services.review_settle(review_id=submission.pk, agency_head=actor, settlement=settlement,
                                           text=text)
    if settlement == "approved" and case.kind == CaseKind.PENALTY and case.stage == Stage.EXAMINING:
        # The `problems` opinion had sent the case back; the head's approval lets it go ahead.
        previous = _set_stage(case, Stage.LEGAL_REVIEW)
        _save(case, "stage", "stage_changed_at")
        _ledger(case, "case.transition", actor, {"from": previous, "to": Stage.LEGAL_REVIEW,
                                                 "note": "机关负责人协调决定同意拟处理意见", "review": submission.pk})
    else:
        deadlines.refresh(case)
    return result


@transaction.atomic
def case_collective_discussion(*, case_id, actor: User, held_on: dt.date, attendee_ids: Sequence,
                               conclusion: str, opinions: str = ""):
    """Record the heads' collective discussion (集体讨论, APL 第57条); the case moves to that stage."""
    case = _locked_case(case_id, actor)
    _require_not_recused(case, actor)
    if not _agency_head_over(case, actor):
        raise PermissionDenied("not_agency_head",
                               _("Only an agency head of the handling unit may record a collective discussion."))
    _require_open(case)
    if hasattr(case, "decision"):
        raise GuardRefused("already_decided", _("The case is already decided."))
    _require_requested_hearing_held(case)
    if case.major and not review_selectors.review_status(case.ref).approved:
        raise GuardRefused("legal_review_required",
                           _("A major decision goes to legal review before collective discussion (R7.7)."),
                           reasons=case.major_reasons)
    record = review_services.collective_discussion_record(
        subject=case.ref, unit_code=case.unit.code, actor=actor, held_on=held_on,
        attendee_ids=list(attendee_ids), conclusion=conclusion, opinions=opinions)
    if stages.generic_transition_allowed(case.kind, case.stage, Stage.COLLECTIVE_DISCUSSION):
        previous = _set_stage(case, Stage.COLLECTIVE_DISCUSSION)
        _save(case, "stage", "stage_changed_at")
        _ledger(case, "case.transition", actor, {"from": previous, "to": Stage.COLLECTIVE_DISCUSSION,
                                                 "note": "", "discussion": record.pk})
    return record


# ------------------------------------------------------------------------------------------ decision


@dataclass(frozen=True)
class DecisionDraft:
    kind: str
    decided_on: dt.date
    legal_basis: str
    facts: str
    conclusion: str
    penalty_types: tuple[str, ...] = field(default_factory=tuple)
    fine_amount: Decimal | str | None = None
    confiscation_amount: Decimal | str | None = None


@transaction.atomic
def case_decide(*, case_id, actor: User, draft: DecisionDraft) -> Decision:
    """作出决定 (decide). The guards of the three systems: 行政处罚法 第44、45、57、58、62、63、64条."""
    from sanxiang.cases import issuing
    from sanxiang.cases.publication import publication_data
    from sanxiang.disclosure.services import publication_schedule

    case = _locked_case(case_id, actor)
    _require_not_recused(case, actor)
    if hasattr(case, "decision"):
        raise GuardRefused("already_decided", _("The case is already decided."))
    if case.stage not in stages.DECIDABLE_FROM.get(case.kind, ()):
        raise GuardRefused("transition_not_allowed", _("The case cannot be decided at this stage."), stage=case.stage)
    if draft.kind not in DecisionKind.values:
        raise InvalidInput("invalid_kind", _("Unknown decision kind."), field="kind")
    if draft.kind not in stages.DECISION_KINDS.get(case.kind, ()):
        raise InvalidInput("decision_kind_mismatch", _("This kind of decision does not end this kind of case."),
                           field="kind", allowed=sorted(stages.DECISION_KINDS.get(case.kind, ())))
    types = _check_penalty_types(draft.penalty_types)
    fine = _check_amount(draft.fine_amount, "fine_amount")
    confiscation = _check_amount(draft.confiscation_amount, "confiscation_amount")
    if draft.kind == DecisionKind.PENALTY and not types:
        raise InvalidInput("field_required", _("A penalty decision names its penalty types."), field="penalty_types")
    if PenaltyType.FINE in types and not fine:
        raise InvalidInput("fine_amount_required", _("A fine needs its amount."), field="fine_amount")
    for name in ("legal_basis", "facts", "conclusion"):
        if not (getattr(draft, name) or "").strip():
            raise InvalidInput("field_required", _("This field is required: %(field)s.") % {"field": name},
                               field=name)
    today = timezone.localdate()
    if draft.decided_on > today or draft.decided_on < case.registered_on:
        raise InvalidInput("invalid_date", _("The decision date must lie between filing and today."),
                           field="decided_on")

    # The decision itself counts: a large fine or a closure makes the case major.
    facts = _facts(case, penalty_types=types, fine_amount=fine, confiscation_amount=confiscation)
    major = _matches(RulePurpose.MAJOR, facts, draft.decided_on)
    hearing = _matches(RulePurpose.HEARING, facts, draft.decided_on)
    collective = _matches(RulePurpose.COLLECTIVE, facts, draft.decided_on)
    is_major = bool(major)
    if not (_agency_head_over(case, actor) or (not is_major and _unit_head_over(case, actor))):
        raise PermissionDenied("role_required",
                               _("A major decision is made by the agency head; others by the agency or unit head."))
    status = review_selectors.review_status(case.ref)
    if is_major:
        if not status.approved:
            raise GuardRefused("legal_review_required",
                               _("This is a major decision: it cannot be made before the legal unit approves it "
                                 "in writing (APL 第58条)."), reasons=major)
        reviewed = status.submission.proposal or {}
        if not _within_reviewed(reviewed, types, fine, confiscation):
            raise GuardRefused("legal_review_required",
                               _("The decision differs from the proposal the legal unit approved; submit it again."),
                               reasons=major, reviewed=reviewed)
    if case.kind == CaseKind.PENALTY:
        _statement_and_hearing_guard(case, hearing, draft.decided_on, types, fine, confiscation)
    if (is_major or collective) and not _collective_discussion_held(case, status if is_major else None):
        raise GuardRefused("collective_discussion_required",
                           _("The agency heads must discuss this decision collectively first (APL 第57条)."),
                           reasons=collective or major)

    prefix = catalog.document_prefix(case.unit.code, case.kind)
    seq = next_sequence(f"doc:{prefix}:{draft.decided_on.year}")
    number = issuing.document_number(prefix, draft.decided_on.year, seq)
    decision = Decision.objects.create(
        case=case, kind=draft.kind, penalty_types=types, fine_amount=fine, confiscation_amount=confiscation,
        decided_on=draft.decided_on, legal_basis=draft.legal_basis.strip(), facts=draft.facts.strip(),
        conclusion=draft.conclusion.strip(), document_number=number, major=is_major, major_reasons=major,
        rule_versions={"major": major, "hearing": hearing, "collective": collective}, decided_by=actor,
    )
    case.major, case.major_reasons = is_major, major
    previous = _set_stage(case, Stage.DECIDED)
    _save(case, "stage", "stage_changed_at", "major", "major_reasons")
    _ledger(case, "case.decided", actor, {
        "decision": decision.pk, "document_number": number, "kind": draft.kind, "penalty_types": types,
        "fine_amount": str(fine) if fine is not None else None, "decided_on": draft.decided_on.isoformat(),
        "legal_basis": decision.legal_basis, "major": is_major, "major_reasons": major, "from": previous,
        "review": status.submission.pk if status.submission else None,
    })
    issuing.issue_decision_document(case=case, decision=decision, actor=actor)
    publication_schedule(subject=case.ref, unit_code=case.unit.code, decision_kind=draft.kind, title=case.title,
                         decided_on=draft.decided_on, actor=actor_ref(actor), **publication_data(case, decision))
    return decision


def _within_reviewed(reviewed: dict, types: list[str], fine, confiscation) -> bool:
    """The decision may not be heavier than what the legal unit approved."""
    if not reviewed:
        return False
    if not set(types) <= set(reviewed.get("penalty_types") or []):
        return False
    for amount, key in ((fine, "fine_amount"), (confiscation, "confiscation_amount")):
        approved = reviewed.get(key)
        if amount is not None and (approved is None or amount > Decimal(approved)):
            return False
    return True


def _collective_discussion_held(case: Case, approved_status=None) -> bool:
    """A collective discussion on record; for a major decision, one held and recorded after the
    approved review round was submitted (R7.7: legal review precedes the heads' discussion)."""
    discussions = review_selectors.collective_discussions(case.ref)
    submission = approved_status.submission if approved_status is not None else None
    if submission is not None:
        discussions = discussions.filter(recorded_at__gte=submission.submitted_at,
                                         held_on__gte=timezone.localdate(submission.submitted_at))
    return discussions.exists()


def _statement_and_hearing_guard(case: Case, hearing_matches: list[dict], decided_on: dt.date,
                                 types: list[str], fine, confiscation) -> None:
    """No decision before the party was told this penalty (or a lighter one), while the statement or
    hearing-request period runs on the decision day, or while a requested hearing is not held.

    The periods are judged on the decision date (≤ today), so a decision cannot be backdated into
    them, and only answers received by that date count.
    """
    if case.notified_on is None:
        raise GuardRefused("not_notified", _("The party must be told the proposed penalty first (APL 第44条)."))
    if hearing_matches and not case.hearing_offered:
        raise GuardRefused("hearing_not_offered",
                           _("This decision requires offering a hearing; notify the party again (APL 第63条)."),
                           reasons=hearing_matches)
    if not _within_reviewed(_proposal(case), types, fine, confiscation):
        raise GuardRefused("not_notified",
                           _("The decision is heavier than the penalty the party was told of; notify the party "
                             "again (APL 第44条)."), proposal=_proposal(case))
    if decided_on < case.notified_on:
        raise InvalidInput("invalid_date", _("The decision cannot precede the notice to the party."),
                           field="decided_on")
    received = list(case.responses.filter(received_on__gte=case.notified_on))
    responses = {r.kind for r in received if r.received_on <= decided_on}
    statement_due = deadlines.due(case, "statement")
    answered = {PartyResponseKind.STATEMENT, PartyResponseKind.WAIVER} & responses
    if not answered and statement_due is not None and decided_on <= statement_due.date:
        raise GuardRefused("statement_period_open",
                           _("The party's period for statement and defence runs until %(date)s (APL 第45、62条).")
                           % {"date": statement_due.date.isoformat()}, due_on=statement_due.date.isoformat())
    if case.hearing_offered:
        if any(r.kind == PartyResponseKind.HEARING_REQUEST for r in received):
            if not _hearing_held(case, by=decided_on):
                raise GuardRefused("hearing_pending", _("The party requested a hearing that has not been held."))
        elif PartyResponseKind.HEARING_WAIVER not in responses:
            hearing_due = deadlines.due(case, "hearing_request")
            if hearing_due is not None and decided_on <= hearing_due.date:
                raise GuardRefused("statement_period_open",
                                   _("The party may request a hearing until %(date)s (APL 第64条).")
                                   % {"date": hearing_due.date.isoformat()}, due_on=hearing_due.date.isoformat())



# ------------------------------------------------------------------------------------------ evidence


def case_evidence_add(*, case_id, actor: User, kind: str, recorded_at, stream=None, blob_sha256: str | None = None,
                      description: str = "", speakers=(), recorded_until=None, activity_id: str = "",
                      device: str = "", filename: str = "", claimed_content_type: str = ""):
    """Add evidence or an AV record to a case through the records vault (streamed, hashed, numbered).

    The upload itself runs outside the case lock; the registration checks scope and stage.
    """
    import json

    from sanxiang.records.services_evidence import evidence_register

    with transaction.atomic():
        case = _locked_case(case_id, actor)
        _require_not_recused(case, actor)
        if not actor.has_role(Role.OFFICER, Role.UNIT_HEAD) or not (
                is_handler(case, actor) or _unit_head_over(case, actor)):
            raise PermissionDenied("not_a_handler", _("Only the case's handlers or the unit head may do this."))
        _require_open(case)
        activity_ref = ""
        if activity_id:
            activity = Activity.objects.filter(case=case, pk=_int_or_none(activity_id)).first()
            if activity is None:
                raise InvalidInput("unknown_activity", _("No such activity in this case."), field="activity_id")
            activity_ref = activity.ref
    if isinstance(speakers, str):
        try:
            speakers = json.loads(speakers or "[]")
        except ValueError:
            raise InvalidInput("invalid_speakers", _("Speakers must be a JSON list of {name, role}."),
                               field="speakers") from None
    if recorded_at in ("", None):
        recorded_at = timezone.now()
    return evidence_register(
        subject=case.ref, kind=kind, actor=actor_ref(actor), description=description, recorded_at=recorded_at,
        blob_sha256=blob_sha256, stream=stream, speakers=list(speakers or []), device=device,
        recorded_until=recorded_until or None, activity=activity_ref, claimed_content_type=claimed_content_type,
        filename=filename, upload_owner=actor_ref(actor) if blob_sha256 is not None else None)


def case_evidence_annotate(*, evidence_id, actor: User, text: str):
    """Annotate evidence (append-only): the evidence must belong to a case the actor handles."""
    from sanxiang.records.selectors import evidence_get
    from sanxiang.records.services_evidence import evidence_annotate

    evidence = evidence_get(evidence_id=evidence_id)
    if not evidence.subject.startswith("case:"):
        raise NotFound("evidence_not_found", _("No such evidence."))
    with transaction.atomic():
        case = _locked_case(evidence.subject.split(":", 1)[1], actor)
        _require_handler_or_unit_head(case, actor)
        return evidence_annotate(evidence_id=evidence.pk, actor=actor_ref(actor), text=text)


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# ------------------------------------------------------------------------------------------ archive


@dataclass(frozen=True)
class ArchivedCase:
    case: Case
    result: object  # records.archive.ArchiveResult
    report: object  # records.archive.CheckReport


def case_archive(*, case_id, actor: User | None, directory, progress=None) -> ArchivedCase:
    """归档 (archive a closed case): the ONLY way into `archived` (the generic transition refuses
    with `archive_package_required`).

    Builds the package through the records context (`archive_build`, outside any transaction:
    the vault files are streamed), runs the four-properties check on it (DA/T 70-2018, 档案法
    第三十九条), and only when it passes moves the case to `archived` in one transaction whose
    ledger entry names the package's fingerprint (SHA-256 of tagmanifest-sha256.txt). Refused
    with 409 `case_not_closed` unless the case is closed, `archive_check_failed` (the report on
    the exception) and `case_changed_during_export` when anything was recorded on the case after
    the package was made. `actor` None is the operator on the command line (`system`).
    """
    from pathlib import Path

    from sanxiang.cases import archiving
    from sanxiang.records.archive import archive_build, archive_check
    from sanxiang.records.models import LedgerEntry

    def locked() -> Case:
        if actor is not None:
            case = _locked_case(case_id, actor)
            _require_handler_or_unit_head(case, actor)
            return case
        case = Case.objects.select_for_update().filter(pk=_int_or_none(case_id)).first()
        if case is None:
            raise NotFound("case_not_found", _("No such case."))
        return case

    def require_closed(case: Case) -> None:
        if case.stage != Stage.CLOSED:
            raise GuardRefused("case_not_closed",
                               _("Only a closed case can be archived; case %(number)s is at stage %(stage)s.")
                               % {"number": case.number, "stage": case.stage}, stage=case.stage)

    with transaction.atomic():
        case = locked()
        require_closed(case)
        summary = archiving.case_archive_summary(case)
    result = archive_build(subject=case.ref, directory=Path(directory), summary=summary, actor=actor_ref(actor),
                           progress=progress)
    report = archive_check(result.directory)
    if not report.ok:
        error = GuardRefused("archive_check_failed",
                             _("The package failed the four-properties check; the case stays closed."),
                             failed=[c.code for c in report.failed()], directory=str(result.directory))
        error.report = report
        raise error
    with transaction.atomic():
        case = locked()
        require_closed(case)
        last = LedgerEntry.objects.filter(subject=case.ref).order_by("-seq").values_list("seq", flat=True).first()
        if last != result.exported_seq:
            raise GuardRefused("case_changed_during_export",
                               _("Something was recorded on the case while the package was made; export again."))
        previous = _set_stage(case, Stage.ARCHIVED)
        _save(case, "stage", "stage_changed_at")
        _ledger(case, "case.transition", actor, {
            "from": previous, "to": Stage.ARCHIVED, "note": "", "package": {
                "fingerprint": result.tagmanifest_sha256, "directory": str(result.directory.resolve()),
                "export_seq": result.exported_seq, "tree_size": result.tree_size, "root_hash": result.root_hash,
                "items": result.items, "ledger_entries": result.ledger_entries}})
    return ArchivedCase(case=case, result=result, report=report)
