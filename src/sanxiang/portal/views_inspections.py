"""Public pages of random inspections (双随机、一公开): published plans with their beacon and
seed, the draw (recomputable by anyone, see docs/random-inspection-draws.md) and the published
results. No login; no personal data: inspectors appear only as pool positions."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from sanxiang.core.errors import NotFound
from sanxiang.inspections import selectors
from sanxiang.inspections.constants import InspectorScope, RiskLevel


def _plan(plan_id):
    try:
        return selectors.public_plan_get(plan_id)
    except NotFound:
        raise Http404 from None


@require_safe
def plan_list(request):
    """Plans whose beacon is published, newest first."""
    page = Paginator(selectors.public_plan_list(), 20).get_page(request.GET.get("page"))
    return render(request, "portal/inspections/list.html", {"page": page})


@require_safe
def plan_detail(request, plan_id: int):
    """One plan: matter, period, ratios, beacon, seed, hashes, drawn entities, published results."""
    plan = _plan(plan_id)
    record = selectors.public_draw_record(plan)
    names = {e["uscc"]: e["name"] for e in record["entities"]}
    picks = []
    if record["draw"]:
        picks = [{**p, "name": names.get(p["entity"], p["entity"]), "risk_label": RiskLevel(p["risk"]).label}
                 for p in record["draw"]["picks"]]
    ratios = [{"label": RiskLevel(level).label, **record["params"]["ratios"][level]}
              for level in RiskLevel.values if level in record["params"]["ratios"]]
    return render(request, "portal/inspections/detail.html", {
        "plan": plan, "record": record, "picks": picks, "ratios": ratios,
        "scope_label": InspectorScope(plan.inspector_scope).label,
        "results": selectors.public_results(plan),
    })


@require_safe
def plan_json(request, plan_id: int):
    """The recomputation record of the plan as JSON (beacon, seed, parameters, pools, draw)."""
    response = JsonResponse(selectors.public_draw_record(_plan(plan_id)), json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response
