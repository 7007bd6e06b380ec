"""Staff pages of random inspections (双随机、一公开): plans, pools, beacon, draw, results.

Thin, as STYLE.md asks: a view parses a form, calls one service or selector, renders. A
`DomainError` is shown on the form next to the field it names; success redirects
(post/redirect/get) with a message. Which forms a page offers is display logic only; the
services guard every step.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sanxiang.accounts.constants import Role
from sanxiang.accounts.selectors import units_visible
from sanxiang.catalog import selectors as catalog
from sanxiang.core.errors import NotFound
from sanxiang.disclosure.selectors import may_publish
from sanxiang.inspections import selectors, services
from sanxiang.inspections.constants import InspectorScope, Outcome, PlanStatus, RiskLevel
from sanxiang.inspections.models import DrawnEntity
from sanxiang.web.actions import submit
from sanxiang.web.case_forms import TEXTAREA, DateInput, StepForm
from sanxiang.web.cases_views import PROVISIONAL_HELP

MANAGER_ROLES = (Role.UNIT_HEAD, Role.AGENCY_HEAD, Role.ADMIN)

# ------------------------------------------------------------------------------------------ forms


class PlanForm(StepForm):
    FIELD_MAP = {"unit": "unit_code", "ratios.key": "ratio_key", "ratios.special": "ratio_special",
                 "ratios.general": "ratio_general"}

    title = forms.CharField(label=_("Plan title"), max_length=200)
    matter_code = forms.ChoiceField(label=_("Matter on the random-inspection list"))
    unit_code = forms.ChoiceField(label=_("Unit"))
    period_start = forms.DateField(label=_("Period from"), widget=DateInput())
    period_end = forms.DateField(label=_("Period to"), widget=DateInput())
    inspectors_per_entity = forms.IntegerField(label=_("Inspectors per entity"), initial=2, min_value=2, max_value=10,
                                               help_text=_("At least two (行政处罚法 第四十二条)."))
    inspector_scope = forms.ChoiceField(label=_("Inspector scope"), choices=InspectorScope.choices)
    ratio_key = forms.DecimalField(label=_("Ratio for key entities (%)"), required=False, min_value=0,
                                   max_value=100, help_text=_("Empty: the ratio in force (RULES.md R11.1)."))
    ratio_special = forms.DecimalField(label=_("Ratio for special entities (%)"), required=False, min_value=0,
                                       max_value=100)
    ratio_general = forms.DecimalField(label=_("Ratio for general entities (%)"), required=False, min_value=0,
                                       max_value=100)
    override_reason = forms.CharField(label=_("Reason for other ratios"), max_length=500, required=False,
                                      widget=forms.Textarea(attrs=TEXTAREA))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["matter_code"].choices = [
            (m.code, f"{m.code} {m.name}") for m in catalog.matter_list().filter(random_inspection=True)]
        self.fields["unit_code"].choices = [(u.code, u.name) for u in units_visible(user)] if user else []
        if user is not None and user.unit is not None:
            self.fields["unit_code"].initial = user.unit.code
        today = timezone.localdate()
        self.fields["period_start"].initial = today

    def overrides(self) -> dict:
        d = self.cleaned_data
        return {level: d[f"ratio_{level}"] for level in RiskLevel.values if d.get(f"ratio_{level}") is not None}


class BeaconForm(StepForm):
    beacon = forms.CharField(label=_("Beacon"), max_length=500,
                             help_text=_("A public value nobody at the bureau controls, e.g. a lottery result; "
                                         "the seed is SHA-256 of it and the plan number."))
    source = forms.CharField(label=_("Where the beacon is published"), max_length=300, required=False)


class ConfirmForm(StepForm):
    """A confirmation; the service decides."""


class ResultForm(StepForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    finished_on = forms.DateField(label=_("Inspection finished on"), widget=DateInput())
    public_summary = forms.CharField(label=_("Public summary"), required=False, max_length=2000,
                                     widget=forms.Textarea(attrs=TEXTAREA),
                                     help_text=_("Published as written: no names of people, phone or ID numbers."))


class EntityForm(StepForm):
    FIELD_MAP = {"district": "district_code"}

    name = forms.CharField(label=_("Name"), max_length=200)
    uscc = forms.CharField(label=_("Unified social credit code"), max_length=18)
    district_code = forms.ChoiceField(label=_("District unit"))
    risk_level = forms.ChoiceField(label=_("Risk level"), choices=RiskLevel.choices)
    category = forms.CharField(label=_("Category"), max_length=100, required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district_code"].choices = [(u.code, u.name) for u in units_visible(user)] if user else []


class InspectorForm(StepForm):
    FIELD_MAP = {"officer": "officer_id"}

    officer_id = forms.ChoiceField(label=_("Officer"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = selectors.inspector_candidates(viewer=user) if user else []
        self.fields["officer_id"].choices = [(str(o.pk), f"{o.user.full_name}（{o.certificate_number}）") for o in qs]


class ConflictForm(StepForm):
    FIELD_MAP = {"officer": "officer_id", "entity": "entity_id"}

    officer_id = forms.ChoiceField(label=_("Inspector"))
    entity_id = forms.ChoiceField(label=_("Regulated entity"))
    reason = forms.CharField(label=_("Reason for the recusal"), max_length=2000, widget=forms.Textarea(attrs=TEXTAREA))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is None:
            return
        self.fields["officer_id"].choices = [
            (str(m.officer_id), f"{m.officer.user.full_name}（{m.officer.certificate_number}）")
            for m in selectors.inspector_list(viewer=user).filter(active=True)]
        self.fields["entity_id"].choices = [
            (str(e.pk), f"{e.name}（{e.uscc}）") for e in selectors.entity_list(viewer=user).filter(active=True)]


# ------------------------------------------------------------------------------------------ helpers



def _plan(request, plan_id):
    try:
        return selectors.plan_get(viewer=request.user, plan_id=plan_id)
    except NotFound:
        raise Http404 from None


def _is_manager(user) -> bool:
    return user.has_role(*MANAGER_ROLES)


def _plan_context(request, plan, bound: dict | None = None) -> dict:
    bound = bound or {}
    user = request.user
    today = timezone.localdate()
    rows = selectors.result_rows(plan, today)
    publisher = may_publish(user, plan.unit.code)
    head = user.has_role(Role.UNIT_HEAD)
    for row in rows:
        drawn = row.drawn
        row.may_record = not drawn.outcome and (head or any(o.user_id == user.pk for o in row.inspectors))
        row.may_publish = bool(drawn.outcome) and not drawn.published and publisher
        row.form = bound.get(("result", drawn.pk)) or (ResultForm(initial={"finished_on": today}, prefix=f"r{drawn.pk}")
                                                       if row.may_record else None)
        row.publish_error = bound.get(("publish", drawn.pk))
    draw = getattr(plan, "draw", None) if plan.status == PlanStatus.DRAWN else None
    return {
        "plan": plan, "draw": draw, "rows": rows, "pools": selectors.pools_of_plan(plan),
        "ratios": [{"level": RiskLevel(level).label, **plan.ratios[level]}
                   for level in RiskLevel.values if level in plan.ratios],
        "may_announce": plan.status == PlanStatus.DRAFT and _is_manager(user),
        "may_draw": plan.status == PlanStatus.ANNOUNCED and head,
        "beacon_form": bound.get("beacon") or BeaconForm(),
        "draw_form": bound.get("draw") or ConfirmForm(),
        "provisional_help": PROVISIONAL_HELP, "today": today,
        "any_overdue": any(r.overdue for r in rows),
    }


def _render_plan(request, plan, bound, status):
    plan = _plan(request, plan.pk)
    return render(request, "web/inspections/plan.html", _plan_context(request, plan, bound), status=status)


# ------------------------------------------------------------------------------------------ pages


@login_required
@require_GET
def plan_list(request):
    """Plans in my scope (抽查计划) with their state; a manager may start one."""
    page = Paginator(selectors.plan_list(viewer=request.user), 20).get_page(request.GET.get("page"))
    return render(request, "web/inspections/list.html", {
        "page": page, "can_plan": _is_manager(request.user),
        "to_publish": selectors.results_to_publish(viewer=request.user)[:10],
        "today": timezone.localdate(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def plan_new(request):
    """Create a plan (制定抽查计划)."""
    form = PlanForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        created = {}

        def run():
            d = form.cleaned_data
            created["plan"] = services.plan_create(
                actor=request.user, title=d["title"], matter_code=d["matter_code"], unit_code=d["unit_code"],
                period_start=d["period_start"], period_end=d["period_end"],
                inspectors_per_entity=d["inspectors_per_entity"], inspector_scope=d["inspector_scope"],
                ratio_overrides=form.overrides(), override_reason=d["override_reason"])

        status = submit(form, run)
        if status is None:
            messages.success(request, _("The plan was created."))
            return redirect("web:inspection-plan", created["plan"].pk)
    return render(request, "web/inspections/new.html", {"form": form}, status=status)


@login_required
@require_GET
def plan_detail(request, plan_id: int):
    """One plan: parameters, pools, beacon, draw, drawn pairs, results with due dates."""
    return render(request, "web/inspections/plan.html", _plan_context(request, _plan(request, plan_id)))


@login_required
@require_POST
def plan_beacon(request, plan_id: int):
    plan = _plan(request, plan_id)
    form = BeaconForm(request.POST)
    status = submit(form, lambda: services.plan_beacon_publish(
        actor=request.user, plan_id=plan.pk, beacon=form.cleaned_data["beacon"], source=form.cleaned_data["source"]))
    if status is None:
        messages.success(request, _("The beacon was published and the pools frozen."))
        return redirect("web:inspection-plan", plan.pk)
    return _render_plan(request, plan, {"beacon": form}, status)


@login_required
@require_POST
def plan_draw(request, plan_id: int):
    plan = _plan(request, plan_id)
    form = ConfirmForm(request.POST)
    status = submit(form, lambda: services.plan_draw(actor=request.user, plan_id=plan.pk))
    if status is None:
        messages.success(request, _("The draw was made; an inspection case was filed for each drawn entity."))
        return redirect("web:inspection-plan", plan.pk)
    return _render_plan(request, plan, {"draw": form}, status)


def _drawn(request, drawn_id) -> DrawnEntity:
    try:
        return selectors.drawn_entity_get(viewer=request.user, drawn_id=drawn_id)
    except NotFound:
        raise Http404 from None


@login_required
@require_POST
def result_record(request, drawn_id: int):
    drawn = _drawn(request, drawn_id)
    form = ResultForm(request.POST, prefix=f"r{drawn.pk}")
    status = submit(form, lambda: services.result_record(
        actor=request.user, drawn_id=drawn.pk, outcome=form.cleaned_data["outcome"],
        finished_on=form.cleaned_data["finished_on"], public_summary=form.cleaned_data["public_summary"]))
    if status is None:
        messages.success(request, _("The result was recorded."))
        return redirect("web:inspection-plan", drawn.draw.plan_id)
    return _render_plan(request, drawn.draw.plan, {("result", drawn.pk): form}, status)


@login_required
@require_POST
def result_publish(request, drawn_id: int):
    drawn = _drawn(request, drawn_id)
    form = ConfirmForm(request.POST)
    status = submit(form, lambda: services.result_publish(actor=request.user, drawn_id=drawn.pk))
    if status is None:
        messages.success(request, _("The result was published on the portal."))
        return redirect("web:inspection-plan", drawn.draw.plan_id)
    error = form.non_field_errors()[0] if form.non_field_errors() else ""
    return _render_plan(request, drawn.draw.plan, {("publish", drawn.pk): error}, status)


# ------------------------------------------------------------------------------------------ pools


def _pools_context(request, bound: dict | None = None) -> dict:
    bound = bound or {}
    user = request.user
    q = request.GET.get("q", "")
    entities = Paginator(selectors.entity_list(viewer=user, q=q), 30).get_page(request.GET.get("page"))
    return {
        "entities": entities, "q": q, "inspectors": selectors.inspector_list(viewer=user),
        "conflicts": selectors.conflict_list(viewer=user)[:50], "can_edit": _is_manager(user),
        "entity_form": bound.get("entity") or EntityForm(user=user),
        "inspector_form": bound.get("inspector") or InspectorForm(user=user),
        "conflict_form": bound.get("conflict") or ConflictForm(user=user),
    }


@login_required
@require_GET
def pools(request):
    """The two pools (两库) of my scope and the recorded conflicts (回避)."""
    return render(request, "web/inspections/pools.html", _pools_context(request))


def _pool_step(name: str, form_class, run, success):
    @login_required
    @require_POST
    def view(request):
        form = form_class(request.POST, user=request.user)
        status = submit(form, lambda: run(request, form.cleaned_data))
        if status is None:
            messages.success(request, success)
            return redirect("web:inspection-pools")
        return render(request, "web/inspections/pools.html", _pools_context(request, {name: form}), status=status)

    view.__name__ = f"pool_{name}"
    return view


entity_add = _pool_step("entity", EntityForm, lambda r, d: services.entity_add(
    actor=r.user, name=d["name"], uscc=d["uscc"], district_code=d["district_code"], risk_level=d["risk_level"],
    category=d["category"], address=d["address"]), _("The entity was added to the pool."))
inspector_add = _pool_step("inspector", InspectorForm, lambda r, d: services.inspector_add(
    actor=r.user, officer_id=d["officer_id"]), _("The officer was added to the inspector pool."))
conflict_add = _pool_step("conflict", ConflictForm, lambda r, d: services.conflict_record(
    actor=r.user, officer_id=d["officer_id"], entity_id=d["entity_id"], reason=d["reason"]),
    _("The conflict of interest was recorded."))


# ------------------------------------------------------------------------------------------ urls

urlpatterns = [
    path("inspections/", plan_list, name="module-inspections"),
    path("inspections/plans/new/", plan_new, name="inspection-plan-new"),
    path("inspections/plans/<int:plan_id>/", plan_detail, name="inspection-plan"),
    path("inspections/plans/<int:plan_id>/beacon/", plan_beacon, name="inspection-plan-beacon"),
    path("inspections/plans/<int:plan_id>/draw/", plan_draw, name="inspection-plan-draw"),
    path("inspections/results/<int:drawn_id>/record/", result_record, name="inspection-result-record"),
    path("inspections/results/<int:drawn_id>/publish/", result_publish, name="inspection-result-publish"),
    path("inspections/pools/", pools, name="inspection-pools"),
    path("inspections/pools/entities/", entity_add, name="inspection-entity-add"),
    path("inspections/pools/inspectors/", inspector_add, name="inspection-inspector-add"),
    path("inspections/pools/conflicts/", conflict_add, name="inspection-conflict-add"),
]
