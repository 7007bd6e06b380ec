"""Services of random inspections (双随机、一公开): every state change, each one transaction
with its ledger entry (DESIGN.md "Whole-process recording").

Order of a plan: create (草拟) → publish the beacon, which freezes the pools (公布随机源、
冻结名录库) → draw (抽取) → record each result (录入检查结果) → publish it within 20
working days of finishing (RULES.md R11.2). The draw algorithm is in ``rules.draw``.

Who may act: pools and plans — a unit head (承办机构负责人), agency head or administrator whose
unit contains the unit concerned; the draw — a unit head over the plan's unit (the draw files
one inspection case per drawn entity, which the case services allow to officers and unit
heads); a result — one of the inspectors drawn for the entity, or a unit head over the plan's
unit; publication — the publisher of the plan's unit or a unit above it (谁执法谁公示).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanxiang.accounts.constants import Role
from sanxiang.accounts.models import Officer, Unit, User
from sanxiang.accounts.selectors import sees_all_units, unit_is_within
from sanxiang.accounts.services import actor_ref
from sanxiang.calendar import selectors as workdays
from sanxiang.catalog import selectors as catalog
from sanxiang.catalog.constants import CaseKind
from sanxiang.core.errors import GuardRefused, InvalidInput, NotFound, PermissionDenied
from sanxiang.core.identifiers import IdentifierError, is_valid_id_number, validate_uscc
from sanxiang.disclosure.selectors import may_publish
from sanxiang.inspections import recompute
from sanxiang.inspections.constants import (
    MIN_INSPECTORS_PER_ENTITY,
    PUBLICATION_TIME_LIMIT,
    InspectorScope,
    Outcome,
    PlanStatus,
    RiskLevel,
)
from sanxiang.inspections.models import (
    Conflict,
    Draw,
    DrawnEntity,
    DrawnInspector,
    InspectionPlan,
    PoolInspector,
    RegulatedEntity,
)
from sanxiang.inspections.rules.draw import (
    ALGORITHM,
    BeaconError,
    Ratio,
    TooFewInspectors,
    normalize_beacon,
    shortfalls,
)
from sanxiang.inspections.selectors import ratios_in_force
from sanxiang.records.services import ledger_append

MANAGER_ROLES = (Role.UNIT_HEAD, Role.AGENCY_HEAD, Role.ADMIN)

# ------------------------------------------------------------------------------------------ helpers


def _ledger(subject: str, action: str, actor: User, payload: dict) -> None:
    ledger_append(subject=subject, action=action, actor=actor_ref(actor), payload=payload)


def _over(actor: User, unit: Unit) -> bool:
    """The actor's unit contains ``unit`` (administrators and city supervisors reach all)."""
    if actor.has_role(Role.ADMIN) or sees_all_units(actor):
        return True
    return actor.unit is not None and unit_is_within(unit, actor.unit)


def _require_manager(actor: User, unit: Unit) -> None:
    if not actor.has_role(*MANAGER_ROLES):
        raise PermissionDenied("role_required",
                               _("Only a unit head, an agency head or an administrator may do this."))
    if not _over(actor, unit):
        raise PermissionDenied("outside_scope", _("This unit is outside your scope."), unit=unit.code)


def _unit(actor: User, code: str, field: str) -> Unit:
    unit = Unit.objects.filter(code=(code or "").strip()).first()
    if unit is None or not _over(actor, unit):
        raise InvalidInput("unknown_unit", _("No unit with code %(code)s.") % {"code": code}, field=field)
    return unit


def _text(value: object, field: str, limit: int, *, required: bool = True) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise InvalidInput("field_required", _("This field is required."), field=field)
    if len(text) > limit:
        raise InvalidInput("too_long", _("At most %(n)d characters.") % {"n": limit}, field=field)
    return text


def _risk(value: object, field: str = "risk_level") -> str:
    if value not in RiskLevel.values:
        raise InvalidInput("invalid_risk_level", _("Unknown risk level."), field=field)
    return str(value)


def _int_id(value: object, code: str, message: str) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        raise NotFound(code, message) from None


def _entity(actor: User, entity_id: object, *, lock: bool = False) -> RegulatedEntity:
    pk = _int_id(entity_id, "entity_not_found", _("No such regulated entity."))
    qs = RegulatedEntity.objects.select_related("district")
    entity = (qs.select_for_update() if lock else qs).filter(pk=pk).first()
    if entity is None or not _over(actor, entity.district):
        raise NotFound("entity_not_found", _("No such regulated entity."))
    return entity


def _officer(actor: User, officer_id: object) -> Officer:
    pk = _int_id(officer_id, "officer_not_found", _("No such officer."))
    officer = Officer.objects.select_related("user", "user__unit").filter(pk=pk).first()
    if officer is None or officer.user.unit is None or not _over(actor, officer.user.unit):
        raise NotFound("officer_not_found", _("No such officer."))
    return officer


def _locked_plan(actor: User, plan_id: object) -> InspectionPlan:
    pk = _int_id(plan_id, "plan_not_found", _("No such inspection plan."))
    plan = InspectionPlan.objects.select_for_update().filter(pk=pk).first()
    if plan is None or not _over(actor, plan.unit):
        raise NotFound("plan_not_found", _("No such inspection plan."))
    return plan


# ------------------------------------------------------------------------------------------ pools


@transaction.atomic
def entity_add(*, actor: User, name: str, uscc: str, district_code: str, risk_level: str,
               category: str = "", address: str = "") -> RegulatedEntity:
    """Add a regulated entity to the target pool (被检查对象库)."""
    name = _text(name, "name", 200)
    try:
        code = validate_uscc(uscc or "")
    except IdentifierError as err:
        raise InvalidInput(err.code, _(err.message), field="uscc") from None
    district = _unit(actor, district_code, "district")
    _require_manager(actor, district)
    risk = _risk(risk_level)
    if RegulatedEntity.objects.filter(uscc=code).exists():
        raise InvalidInput("entity_exists", _("An entity with this unified social credit code is already in the pool."),
                           field="uscc")
    entity = RegulatedEntity.objects.create(
        name=name, uscc=code, district=district, risk_level=risk,
        category=_text(category, "category", 100, required=False),
        address=_text(address, "address", 300, required=False),
    )
    _ledger(f"inspection_entity:{entity.pk}", "inspection_entity.added", actor, {
        "uscc": code, "name": name, "district": district.code, "risk_level": risk, "category": entity.category,
    })
    return entity


ENTITY_FIELDS = ("name", "risk_level", "category", "address", "active")


@transaction.atomic
def entity_update(*, actor: User, entity_id, changes: Mapping[str, object]) -> RegulatedEntity:
    """Change an entity of the pool (risk level, category, address, name, in the pool or not)."""
    entity = _entity(actor, entity_id, lock=True)
    _require_manager(actor, entity.district)
    unknown = set(changes) - set(ENTITY_FIELDS)
    if unknown:
        raise InvalidInput("unknown_field", _("This field cannot be changed."), field=sorted(unknown)[0])
    cleaned: dict[str, object] = {}
    for key, value in changes.items():
        if key == "name":
            cleaned[key] = _text(value, key, 200)
        elif key == "risk_level":
            cleaned[key] = _risk(value)
        elif key == "active":
            if not isinstance(value, bool):
                raise InvalidInput("invalid_boolean", _("Give true or false."), field=key)
            cleaned[key] = value
        else:
            cleaned[key] = _text(value, key, 100 if key == "category" else 300, required=False)
    before = {k: getattr(entity, k) for k in cleaned}
    for key, value in cleaned.items():
        setattr(entity, key, value)
    entity.save(update_fields=[*cleaned, "updated_at"])
    _ledger(f"inspection_entity:{entity.pk}", "inspection_entity.changed", actor,
            {"uscc": entity.uscc, "before": before, "after": cleaned})
    return entity


@transaction.atomic
def inspector_add(*, actor: User, officer_id) -> PoolInspector:
    """Put a certified officer into the inspector pool (执法检查人员库); his certificate must be
    valid today (qualified on-post officers, RULES.md R11.1)."""
    officer = _officer(actor, officer_id)
    unit = officer.user.unit
    _require_manager(actor, unit)
    if not officer.is_valid_on(timezone.localdate()):
        raise GuardRefused("certificate_not_valid",
                           _("The officer's enforcement certificate is not valid today."), officer=officer.pk)
    member = PoolInspector.objects.select_for_update().filter(officer=officer).first()
    if member is not None and member.active:
        raise InvalidInput("already_in_pool", _("This officer is already in the inspector pool."), field="officer")
    if member is None:
        member = PoolInspector.objects.create(officer=officer, unit=unit)
    else:
        member.active, member.unit = True, unit
        member.save(update_fields=["active", "unit", "updated_at"])
    _ledger(f"inspection_inspector:{member.pk}", "inspection_inspector.added", actor,
            {"officer": officer.pk, "unit": unit.code})
    return member


@transaction.atomic
def inspector_remove(*, actor: User, officer_id) -> PoolInspector:
    """Take an officer out of the inspector pool (离岗、调离); past draws keep him."""
    officer = _officer(actor, officer_id)
    member = PoolInspector.objects.select_for_update().filter(officer=officer, active=True).first()
    if member is None:
        raise NotFound("not_in_pool", _("This officer is not in the inspector pool."))
    _require_manager(actor, member.unit)
    member.active = False
    member.save(update_fields=["active", "updated_at"])
    _ledger(f"inspection_inspector:{member.pk}", "inspection_inspector.removed", actor, {"officer": officer.pk})
    return member


@transaction.atomic
def conflict_record(*, actor: User, officer_id, entity_id, reason: str) -> Conflict:
    """Record a conflict of interest (回避): kinship, interest or a prior relationship between an
    inspector and an entity (RULES.md R11.3). The pair is never drawn from then on."""
    entity = _entity(actor, entity_id)
    officer = _officer(actor, officer_id)
    _require_manager(actor, entity.district)
    reason = _text(reason, "reason", 2000)
    try:
        with transaction.atomic():
            conflict = Conflict.objects.create(officer=officer, entity=entity, reason=reason, recorded_by=actor)
    except IntegrityError:
        raise InvalidInput("conflict_exists", _("This conflict is already recorded."), field="officer") from None
    _ledger(f"inspection_entity:{entity.pk}", "inspection_conflict.recorded", actor,
            {"officer": officer.pk, "uscc": entity.uscc, "reason": reason})
    return conflict


# ------------------------------------------------------------------------------------------ plans


def _ratio_overrides(overrides: Mapping[str, object], reason: str) -> dict:
    out = {}
    for level, value in overrides.items():
        _risk(level, f"ratios.{level}")
        try:
            percent = Decimal(str(value).strip())
            ratio = Ratio(percent=percent)
        except (InvalidOperation, ValueError):
            raise InvalidInput("invalid_percent", _("Give a percentage between 0 and 100."),
                               field=f"ratios.{level}") from None
        out[level] = {"percent": format(ratio.percent.normalize(), "f"), "rounding": ratio.rounding,
                      "source": "override", "citation": reason}
    return out


@transaction.atomic
def plan_create(*, actor: User, title: str, matter_code: str, unit_code: str, period_start: dt.date,
                period_end: dt.date, inspectors_per_entity: int = MIN_INSPECTORS_PER_ENTITY,
                inspector_scope: str = InspectorScope.SUBTREE, ratio_overrides: Mapping[str, object] | None = None,
                override_reason: str = "") -> InspectionPlan:
    """Create a random-inspection plan (抽查计划) on a matter of the random-inspection list
    (随机抽查事项清单). The ratios are the rules in force on ``period_start`` (RULES.md R11.1)
    unless overridden for this plan, with a reason."""
    title = _text(title, "title", 200)
    unit = _unit(actor, unit_code, "unit")
    _require_manager(actor, unit)
    if not isinstance(period_start, dt.date) or not isinstance(period_end, dt.date):
        raise InvalidInput("invalid_date", _("Give a date."), field="period_start")
    if period_end < period_start:
        raise InvalidInput("period_reversed", _("The period cannot end before it starts."), field="period_end")
    try:
        matter = catalog.matter_get((matter_code or "").strip(), period_start)
    except NotFound:
        raise InvalidInput("unknown_matter", _("No enforcement matter with code %(code)s.") % {"code": matter_code},
                           field="matter_code") from None
    if not matter.random_inspection:
        raise InvalidInput("matter_not_on_list", _("This matter is not on the random-inspection list."),
                           field="matter_code")
    if isinstance(inspectors_per_entity, bool) or not isinstance(inspectors_per_entity, int) \
            or inspectors_per_entity < MIN_INSPECTORS_PER_ENTITY or inspectors_per_entity > 10:
        raise InvalidInput("too_few_officers",
                           _("At least two inspectors per entity (行政处罚法 第四十二条), at most ten."),
                           field="inspectors_per_entity")
    if inspector_scope not in InspectorScope.values:
        raise InvalidInput("invalid_scope", _("Unknown inspector scope."), field="inspector_scope")
    ratios = ratios_in_force(period_start)
    if ratio_overrides:
        reason = _text(override_reason, "override_reason", 500)
        ratios.update(_ratio_overrides(ratio_overrides, reason))
    missing = [level for level in RiskLevel.values if level not in ratios]
    if missing:
        raise InvalidInput("ratio_missing", _("No draw ratio is in force for this risk level."),
                           field=f"ratios.{missing[0]}")
    plan = InspectionPlan.objects.create(
        title=title, matter_code=matter.code, matter_version=matter.version, matter_name=matter.name,
        unit=unit, period_start=period_start, period_end=period_end, ratios=ratios,
        inspectors_per_entity=inspectors_per_entity, inspector_scope=inspector_scope, created_by=actor,
    )
    _ledger(plan.ref, "inspection_plan.created", actor, {
        "title": title, "matter": matter.code, "matter_version": matter.version, "unit": unit.code,
        "period": [period_start.isoformat(), period_end.isoformat()], "ratios": ratios,
        "inspectors_per_entity": inspectors_per_entity, "inspector_scope": inspector_scope,
    })
    return plan


def pool_snapshot(plan: InspectionPlan, on: dt.date) -> dict:
    """The pools of the plan's unit as they are now, in the draw's stable order: entities by
    unified social credit code, inspectors (certificate valid on ``on``) by certificate number,
    and the conflicts between them. Holds no names of people."""
    entities = sorted(
        RegulatedEntity.objects.filter(active=True, district__path__startswith=plan.unit.path)
        .select_related("district"),
        key=lambda e: e.uscc,
    )
    members = [m for m in PoolInspector.objects.filter(active=True, unit__path__startswith=plan.unit.path)
               .select_related("officer", "unit") if m.officer.is_valid_on(on)]
    members.sort(key=lambda m: m.officer.certificate_number)
    officer_ids = {m.officer_id for m in members}
    keys = {e.pk: e.uscc for e in entities}
    conflicts = sorted(
        ({"entity": keys[c.entity_id], "inspector": f"officer:{c.officer_id}"}
         for c in Conflict.objects.filter(entity_id__in=keys, officer_id__in=officer_ids)),
        key=lambda c: (c["entity"], c["inspector"]),
    )
    return {
        "entities": [{"uscc": e.uscc, "name": e.name, "risk": e.risk_level, "district": e.district.code,
                      "district_path": e.district.path} for e in entities],
        "inspectors": [{"ref": f"officer:{m.officer_id}", "unit": m.unit.code, "unit_path": m.unit.path}
                       for m in members],
        "conflicts": conflicts,
    }


@transaction.atomic
def plan_beacon_publish(*, actor: User, plan_id, beacon: str, source: str = "") -> InspectionPlan:
    """Publish the plan's public beacon (公布随机源) and freeze its pools (冻结名录库).

    The beacon must be published before the draw: the draw's seed is SHA-256 of the beacon and
    the plan id (``rules.draw``), so the public can recompute the draw. The pools are frozen in
    the same step, so no later change of the pools can steer the draw."""
    plan = _locked_plan(actor, plan_id)
    _require_manager(actor, plan.unit)
    if plan.status != PlanStatus.DRAFT or plan.beacon:
        raise GuardRefused("beacon_already_published", _("The beacon of this plan is already published."))
    try:
        value = normalize_beacon(beacon or "")
    except BeaconError as err:
        messages = {
            "beacon_required": _("Give the beacon."),
            "beacon_too_long": _("The beacon is too long (at most 500 characters)."),
            "beacon_control_characters": _("The beacon may not contain control characters."),
        }
        raise InvalidInput(err.code, messages.get(err.code, err.message), field="beacon") from None
    now = timezone.now()
    snapshot = pool_snapshot(plan, timezone.localdate())
    if not snapshot["entities"]:
        raise GuardRefused("empty_entity_pool", _("The entity pool of this unit is empty."))
    entities, inspectors, conflicts = recompute.rows_from(snapshot)
    short = shortfalls(entities, inspectors, conflicts, recompute.params_from(_draw_params(plan)))
    if short:
        key, eligible = short[0]
        raise _too_few(key, eligible, plan.inspectors_per_entity, also=len(short) - 1)
    plan.beacon = value
    plan.beacon_source = _text(source, "source", 300, required=False)
    plan.beacon_published_at = now
    plan.beacon_published_by = actor
    plan.snapshot = snapshot
    plan.snapshot_hashes = recompute.snapshot_hashes(snapshot)
    plan.status = PlanStatus.ANNOUNCED
    plan.save(update_fields=["beacon", "beacon_source", "beacon_published_at", "beacon_published_by",
                             "snapshot", "snapshot_hashes", "status"])
    _ledger(plan.ref, "inspection_plan.beacon_published", actor, {
        "beacon": value, "source": plan.beacon_source, "snapshot_hashes": plan.snapshot_hashes,
        "entities": len(snapshot["entities"]), "inspectors": len(snapshot["inspectors"]),
        "conflicts": len(snapshot["conflicts"]),
    })
    return plan


def _too_few(entity_key: str, eligible: int, needed: int, also: int = 0) -> GuardRefused:
    """The refusal when recusal (回避) leaves fewer inspectors for an entity than the plan needs."""
    entity = RegulatedEntity.objects.filter(uscc=entity_key).first()
    message = _("After recusal only %(eligible)d inspectors remain for %(entity)s; %(needed)d are needed. "
                "Add inspectors to the pool of this unit.") % {
        "eligible": eligible, "entity": entity.name if entity else entity_key, "needed": needed}
    return GuardRefused("too_few_inspectors", message, entity=entity_key, eligible=eligible, needed=needed,
                        other_entities=also)


def _draw_params(plan: InspectionPlan) -> dict:
    return {
        "ratios": {level: {"percent": r["percent"], "rounding": r["rounding"]} for level, r in plan.ratios.items()},
        "per_entity": plan.inspectors_per_entity,
        "scope": plan.inspector_scope,
    }


def _file_case(*, actor: User, plan: InspectionPlan, entity: RegulatedEntity, officers: list[Officer]):
    """One inspection case (行政检查) per drawn entity, through the case services."""
    from sanxiang.cases import services as cases
    from sanxiang.cases.services import PartyInput

    names = "、".join(o.user.full_name for o in officers)
    return cases.case_create(
        actor=actor, kind=CaseKind.INSPECTION, unit_code=plan.unit.code,
        title=_("Random inspection: %(entity)s") % {"entity": entity.name},
        parties=[PartyInput(type="organization", name=entity.name, uscc=entity.uscc, address=entity.address)],
        facts=_("Drawn in plan %(plan)s (matter %(matter)s %(name)s); inspectors drawn: %(names)s.") % {
            "plan": plan.title, "matter": plan.matter_code, "name": plan.matter_name, "names": names},
        handlers=[o.user for o in officers],
    )


@transaction.atomic
def plan_draw(*, actor: User, plan_id) -> Draw:
    """Draw the entities and their inspectors (随机抽取检查对象、随机选派执法检查人员).

    Refuses without a published beacon, a second time, and when recusal leaves fewer inspectors
    for an entity than the plan needs — then nothing is recorded. Each drawn entity becomes an
    inspection case (行政检查案件)."""
    plan = _locked_plan(actor, plan_id)
    if not actor.has_role(Role.UNIT_HEAD):
        raise PermissionDenied("role_required", _("Only a unit head may carry out the draw."))
    if not _over(actor, plan.unit):
        raise PermissionDenied("outside_scope", _("This unit is outside your scope."), unit=plan.unit.code)
    if plan.status == PlanStatus.DRAFT or not plan.beacon or plan.beacon_published_at is None:
        raise GuardRefused("beacon_not_published",
                           _("Publish the beacon before the draw: the draw is computed from it."))
    if plan.status == PlanStatus.DRAWN or Draw.objects.filter(plan=plan).exists():
        raise GuardRefused("already_drawn", _("This plan has already been drawn; a plan is drawn once."))
    if recompute.snapshot_hashes(plan.snapshot) != plan.snapshot_hashes:
        raise GuardRefused("snapshot_altered", _("The frozen pools no longer match their published hashes."))
    params = _draw_params(plan)
    try:
        outcome = recompute.run(beacon=plan.beacon, plan_id=plan.pk, params=params, snapshot=plan.snapshot)
    except TooFewInspectors as exc:
        raise _too_few(exc.entity_key, exc.eligible, exc.needed) from None
    now = timezone.now()
    draw = Draw.objects.create(
        plan=plan, beacon=plan.beacon, seed=outcome.seed_hex, algorithm=ALGORITHM, params=params,
        snapshot_hashes=plan.snapshot_hashes, quotas=outcome.quotas, pairs=outcome.pairs(),
        drawn_at=now, drawn_by=actor,
    )
    entities = {e.uscc: e for e in RegulatedEntity.objects.filter(uscc__in=[p.entity for p in outcome.picks])}
    officer_ids = {int(ref.split(":", 1)[1]) for p in outcome.picks for ref in p.inspectors}
    officers = Officer.objects.select_related("user").in_bulk(officer_ids)
    for position, pick in enumerate(outcome.picks, start=1):
        entity = entities[pick.entity]
        chosen = [officers[int(ref.split(":", 1)[1])] for ref in pick.inspectors]
        case = _file_case(actor=actor, plan=plan, entity=entity, officers=chosen)
        drawn = DrawnEntity.objects.create(draw=draw, position=position, entity=entity, risk_level=pick.risk,
                                           case=case)
        DrawnInspector.objects.bulk_create([DrawnInspector(drawn_entity=drawn, position=i, officer=o)
                                            for i, o in enumerate(chosen, start=1)])
    plan.status = PlanStatus.DRAWN
    plan.save(update_fields=["status"])
    _ledger(plan.ref, "inspection_plan.drawn", actor, {
        "draw": draw.pk, "seed": draw.seed, "algorithm": ALGORITHM, "beacon": plan.beacon,
        "snapshot_hashes": plan.snapshot_hashes, "params": params, "quotas": outcome.quotas,
        "pairs": draw.pairs,
    })
    return draw


# ------------------------------------------------------------------------------------------ results

_PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])")


def _public_summary(text: str) -> str:
    """The public wording of a result: refuses obvious personal data (R3.1) — mobile numbers and
    resident ID numbers — since it goes on the portal as written."""
    summary = _text(text, "public_summary", 2000, required=False)
    if _PHONE.search(summary) or any(is_valid_id_number(m.group(0)) for m in _ID_NUMBER.finditer(summary)):
        raise InvalidInput("personal_data", _("The public summary may not contain phone or ID numbers."),
                           field="public_summary")
    return summary


def _locked_drawn(actor: User, drawn_id) -> DrawnEntity:
    pk = _int_id(drawn_id, "result_not_found", _("No such drawn entity."))
    drawn = (DrawnEntity.objects.select_for_update().select_related("draw__plan__unit", "entity")
             .filter(pk=pk).first())
    # A drawn inspector reaches his own entities even outside his unit.
    if drawn is None or not (_over(actor, drawn.draw.plan.unit)
                             or drawn.inspectors.filter(officer__user=actor).exists()):
        raise NotFound("result_not_found", _("No such drawn entity."))
    return drawn


@transaction.atomic
def result_record(*, actor: User, drawn_id, outcome: str, finished_on: dt.date,
                  public_summary: str = "") -> DrawnEntity:
    """Record the result of one inspection (检查结果) and its publication due date: 20 working
    days after finishing (RULES.md R11.2, the catalog's time limit
    ``random_inspection_publication``; working days by the calendar app)."""
    drawn = _locked_drawn(actor, drawn_id)
    plan = drawn.draw.plan
    is_inspector = drawn.inspectors.filter(officer__user=actor).exists()
    if not (is_inspector or (actor.has_role(Role.UNIT_HEAD) and _over(actor, plan.unit))):
        raise PermissionDenied("not_an_inspector",
                               _("Only an inspector drawn for this entity or the unit head may record its result."))
    if drawn.outcome:
        raise GuardRefused("result_already_recorded", _("The result of this inspection is already recorded."))
    if outcome not in Outcome.values:
        raise InvalidInput("invalid_outcome", _("Unknown outcome."), field="outcome")
    if not isinstance(finished_on, dt.date):
        raise InvalidInput("invalid_date", _("Give a date."), field="finished_on")
    today = timezone.localdate()
    if finished_on > today:
        raise InvalidInput("date_in_future", _("The date cannot be in the future."), field="finished_on")
    drawn_on = timezone.localtime(drawn.draw.drawn_at).date()
    if finished_on < drawn_on:
        raise InvalidInput("before_draw", _("The inspection cannot finish before the draw."), field="finished_on")
    summary = _public_summary(public_summary)
    limit = catalog.time_limit(PUBLICATION_TIME_LIMIT, finished_on)
    due = (workdays.add_working_days(finished_on, limit.days) if limit.working_days
           else workdays.add_calendar_days(finished_on, limit.days))
    drawn.outcome, drawn.finished_on, drawn.public_summary = outcome, finished_on, summary
    drawn.recorded_at, drawn.recorded_by = timezone.now(), actor
    drawn.publication_due_on, drawn.due_provisional = due.date, due.provisional
    drawn.time_limit = limit.as_dict()
    drawn.save(update_fields=["outcome", "finished_on", "public_summary", "recorded_at", "recorded_by",
                              "publication_due_on", "due_provisional", "time_limit"])
    _ledger(plan.ref, "inspection_result.recorded", actor, {
        "drawn": drawn.pk, "uscc": drawn.entity.uscc, "outcome": outcome, "finished_on": finished_on.isoformat(),
        "due_on": due.date.isoformat(), "provisional": due.provisional, "time_limit": drawn.time_limit,
    })
    return drawn


@transaction.atomic
def result_publish(*, actor: User, drawn_id) -> DrawnEntity:
    """Publish an inspection result on the portal (抽查结果公开, RULES.md R11.2; GD-GS 第11条)."""
    drawn = _locked_drawn(actor, drawn_id)
    plan = drawn.draw.plan
    if not may_publish(actor, plan.unit.code):
        raise PermissionDenied("publisher_required",
                               _("Only the publisher of the plan's unit or of a unit above it may do this."),
                               unit=plan.unit.code)
    if not drawn.outcome:
        raise GuardRefused("result_missing", _("Record the result before publishing it."))
    if drawn.published:
        raise GuardRefused("already_published", _("This result is already published."))
    now = timezone.now()
    drawn.published, drawn.published_at, drawn.published_on, drawn.published_by = True, now, timezone.localdate(), actor
    drawn.save(update_fields=["published", "published_at", "published_on", "published_by"])
    _ledger(plan.ref, "inspection_result.published", actor, {
        "drawn": drawn.pk, "uscc": drawn.entity.uscc, "published_on": drawn.published_on.isoformat(),
        "due_on": drawn.publication_due_on.isoformat(), "on_time": drawn.published_on <= drawn.publication_due_on,
    })
    return drawn
