"""Reads of random inspections (双随机查询): staff lists within the viewer's unit scope, and
the public views of the portal, which carry no personal data (RULES.md §3): entities are
organizations; inspectors appear only as positions in the frozen pool, never by name or
certificate number; conflict reasons never leave the staff pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from sanxiang.accounts.models import Officer, User
from sanxiang.accounts.selectors import scope_filter
from sanxiang.cases.selectors import urgency
from sanxiang.catalog.selectors import in_force_q
from sanxiang.core.errors import NotFound
from sanxiang.inspections.constants import PlanStatus, RiskLevel
from sanxiang.inspections.models import (
    Conflict,
    DrawnEntity,
    DrawRatioRule,
    InspectionPlan,
    PoolInspector,
    RegulatedEntity,
)
from sanxiang.inspections.rules.draw import ALGORITHM, RISK_ORDER, seed_for

PUBLIC_STATUSES = (PlanStatus.ANNOUNCED, PlanStatus.DRAWN)


def ratios_in_force(on: dt.date) -> dict[str, dict]:
    """The draw ratio of each risk level in force on ``on`` (RULES.md R11.1), with its source."""
    out = {}
    for rule in DrawRatioRule.objects.filter(in_force_q(on)).order_by("code"):
        out[rule.risk_level] = {
            "percent": format(rule.percent.normalize(), "f"), "rounding": rule.rounding, "source": "rule",
            "code": rule.code, "version": rule.version, "citation": rule.citation,
        }
    return out


# ------------------------------------------------------------------------------------------ staff


def plan_list(*, viewer: User) -> QuerySet[InspectionPlan]:
    return (scope_filter(InspectionPlan.objects.select_related("unit"), viewer)
            .annotate(n_drawn=Count("draw__entities")).order_by("-period_start", "-id"))


def plan_get(*, viewer: User, plan_id) -> InspectionPlan:
    try:
        pk = int(str(plan_id))
    except ValueError:
        pk = None
    plan = scope_filter(InspectionPlan.objects.select_related("unit"), viewer).filter(pk=pk).first() \
        if pk is not None else None
    if plan is None:
        raise NotFound("plan_not_found", gettext("No such inspection plan."))
    return plan


def entity_list(*, viewer: User, q: str = "") -> QuerySet[RegulatedEntity]:
    qs = scope_filter(RegulatedEntity.objects.select_related("district"), viewer, "district")
    if q.strip():
        qs = qs.filter(Q(name__icontains=q.strip()) | Q(uscc__icontains=q.strip()))
    return qs.order_by("district__path", "uscc")


def inspector_list(*, viewer: User) -> QuerySet[PoolInspector]:
    return (scope_filter(PoolInspector.objects.select_related("officer__user", "unit"), viewer)
            .order_by("unit__path", "officer__certificate_number"))


def inspector_candidates(*, viewer: User) -> QuerySet[Officer]:
    """Certified officers in the viewer's scope not yet in an inspector pool (可加入执法检查人员库)."""
    return (scope_filter(Officer.objects.select_related("user"), viewer, "user__unit")
            .exclude(inspector_pool__active=True).order_by("certificate_number"))


def drawn_entity_get(*, viewer: User, drawn_id) -> DrawnEntity:
    """A drawn entity of a plan the viewer may see; NotFound otherwise."""
    drawn = DrawnEntity.objects.select_related("draw__plan").filter(pk=drawn_id).first()
    if drawn is None:
        raise NotFound("result_not_found", gettext("No such drawn entity."))
    plan_get(viewer=viewer, plan_id=drawn.draw.plan_id)
    return drawn


def conflict_list(*, viewer: User) -> QuerySet[Conflict]:
    return (scope_filter(Conflict.objects.select_related("officer__user", "entity", "recorded_by"), viewer,
                         "entity__district").order_by("-recorded_at"))


def pools_of_plan(plan: InspectionPlan) -> dict:
    """The live pools of the plan's unit (before the beacon), or the frozen counts (after)."""
    if plan.snapshot:
        snap = plan.snapshot
        return {"frozen": True, "entities": len(snap["entities"]), "inspectors": len(snap["inspectors"]),
                "conflicts": len(snap["conflicts"]),
                "by_risk": {lvl: sum(1 for e in snap["entities"] if e["risk"] == lvl) for lvl in RISK_ORDER}}
    entities = RegulatedEntity.objects.filter(active=True, district__path__startswith=plan.unit.path)
    by_risk = dict(entities.values_list("risk_level").annotate(n=Count("id")))
    return {
        "frozen": False, "entities": entities.count(),
        "inspectors": PoolInspector.objects.filter(active=True, unit__path__startswith=plan.unit.path).count(),
        "conflicts": Conflict.objects.filter(entity__in=entities).count(),
        "by_risk": {lvl: by_risk.get(lvl, 0) for lvl in RISK_ORDER},
    }


@dataclass
class ResultRow:
    drawn: DrawnEntity
    inspectors: list
    urgency: str
    overdue: bool


def result_rows(plan: InspectionPlan, today: dt.date | None = None) -> list[ResultRow]:
    """The drawn entities of a plan with inspectors, result, due date and urgency."""
    today = today or timezone.localdate()
    if not hasattr(plan, "draw"):
        return []
    rows = []
    qs = (plan.draw.entities.select_related("entity", "case")
          .prefetch_related("inspectors__officer__user").order_by("position"))
    for drawn in qs:
        pending = drawn.outcome and not drawn.published
        level = urgency(drawn.publication_due_on, today) if pending else ""
        rows.append(ResultRow(drawn=drawn, inspectors=[i.officer for i in drawn.inspectors.all()],
                              urgency=level, overdue=level == "overdue"))
    return rows


def results_to_publish(*, viewer: User) -> QuerySet[DrawnEntity]:
    """Recorded, unpublished results in the viewer's scope, due soonest first."""
    return (scope_filter(DrawnEntity.objects.select_related("entity", "draw__plan"), viewer, "draw__plan__unit")
            .exclude(outcome="").filter(published=False).order_by("publication_due_on", "id"))


# ------------------------------------------------------------------------------------------ public


def public_plan_list() -> QuerySet[InspectionPlan]:
    """Plans whose beacon is published (公布随机源之后), newest first."""
    return (InspectionPlan.objects.filter(status__in=PUBLIC_STATUSES).select_related("unit")
            .order_by("-beacon_published_at", "-id"))


def public_plan_get(plan_id) -> InspectionPlan:
    try:
        pk = int(str(plan_id))
    except ValueError:
        pk = None
    plan = public_plan_list().filter(pk=pk).first() if pk is not None else None
    if plan is None:
        raise NotFound("plan_not_found", gettext("No such inspection plan."))
    return plan


def _risk_label(value: str) -> str:
    return str(RiskLevel(value).label) if value in RiskLevel.values else value


def public_draw_record(plan: InspectionPlan) -> dict:
    """Everything the public needs to recompute the draw, without personal data.

    Inspectors are given as their 1-based positions in the frozen inspector pool with their
    unit; conflicts only as the positions excluded for each drawn entity (the only conflicts
    that affect the draw); reasons never."""
    snap = plan.snapshot or {}
    positions = {row["ref"]: i for i, row in enumerate(snap.get("inspectors", []), start=1)}
    record = {
        "plan": plan.pk, "title": plan.title, "unit": plan.unit.code, "unit_name": plan.unit.name,
        "matter": {"code": plan.matter_code, "version": plan.matter_version, "name": plan.matter_name},
        "period": [plan.period_start.isoformat(), plan.period_end.isoformat()],
        "beacon": plan.beacon, "beacon_source": plan.beacon_source,
        "beacon_published_at": plan.beacon_published_at.isoformat() if plan.beacon_published_at else None,
        "seed": seed_for(plan.beacon, plan.pk).hex() if plan.beacon else None,
        "seed_rule": "SHA-256(UTF-8(NFC(trim(beacon))) || 0x00 || ASCII(plan id))",
        "algorithm": ALGORITHM,
        "params": {
            "ratios": {lvl: {"percent": r["percent"], "rounding": r["rounding"], "citation": r.get("citation", "")}
                       for lvl, r in plan.ratios.items()},
            "per_entity": plan.inspectors_per_entity, "scope": plan.inspector_scope,
        },
        "snapshot_hashes": plan.snapshot_hashes,
        "entities": [{"uscc": e["uscc"], "name": e["name"], "risk": e["risk"], "district": e["district"],
                      "district_path": e["district_path"]} for e in snap.get("entities", [])],
        "inspectors": [{"position": i, "unit": row["unit"], "unit_path": row["unit_path"]}
                       for i, row in enumerate(snap.get("inspectors", []), start=1)],
        "draw": None,
    }
    draw = getattr(plan, "draw", None) if plan.status == PlanStatus.DRAWN else None
    if draw is not None:
        record["draw"] = {
            "seed": draw.seed, "algorithm": draw.algorithm, "drawn_at": draw.drawn_at.isoformat(),
            "quotas": draw.quotas,
            "picks": [{"entity": p["entity"], "risk": p["risk"],
                       "inspectors": [positions.get(r) for r in p["inspectors"]],
                       "excluded": [positions.get(r) for r in p["excluded"]]} for p in draw.pairs],
        }
    return record


def public_results(plan: InspectionPlan) -> list[dict]:
    """Published results of the plan: organization, outcome, dates, whether on time."""
    if plan.status != PlanStatus.DRAWN:
        return []
    qs = (DrawnEntity.objects.filter(draw__plan=plan, published=True).select_related("entity")
          .order_by("position"))
    return [{
        "position": d.position, "entity": d.entity.name, "uscc": d.entity.uscc, "risk": _risk_label(d.risk_level),
        "outcome": d.get_outcome_display(), "outcome_code": d.outcome, "summary": d.public_summary,
        "finished_on": d.finished_on, "published_on": d.published_on, "due_on": d.publication_due_on,
        "on_time": d.published_on <= d.publication_due_on,
    } for d in qs]
