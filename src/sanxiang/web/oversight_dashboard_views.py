"""Supervisor dashboard (考核监督看板): assessment metrics per unit and period, drill-down to the
cases behind every number, and the assessment report (考核报告) as a printable page and xlsx.

Thin: the numbers come from `sanxiang.oversight.metrics`; a view parses the period and the
unit, checks the role and renders. Supervisors (监督考核人员) see their unit and the units below
it, city-level supervisors every unit; other staff get 403, a unit outside the scope 404.
"""

from __future__ import annotations

import io
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sanxiang.accounts.constants import Role
from sanxiang.accounts.models import Unit
from sanxiang.accounts.selectors import sees_all_units, unit_in_scope, units_visible
from sanxiang.cases.constants import Stage
from sanxiang.cases.selectors import visible_q
from sanxiang.catalog.constants import CaseKind
from sanxiang.core.errors import NotFound
from sanxiang.oversight import metrics
from sanxiang.oversight.metrics import Period, PeriodError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_supervisor(request) -> None:
    if not request.user.has_role(Role.SUPERVISOR):
        raise PermissionDenied


def _unit(request) -> Unit:
    """The unit asked for (``unit``), else the viewer's own (the top unit for city supervisors)."""
    code = request.GET.get("unit") or ""
    viewer = request.user
    if code:
        try:
            return unit_in_scope(viewer, code)
        except NotFound:
            raise Http404 from None
    if sees_all_units(viewer):
        top = Unit.objects.filter(parent__isnull=True).order_by("path").first()
        if top is not None:
            return top
    if viewer.unit is None:
        raise Http404
    return viewer.unit


def _period(request) -> tuple[Period, dict]:
    """The period asked for and the errors by field (an unusable period falls back to the default)."""
    try:
        return Period.parse(request.GET.get("from"), request.GET.get("to")), {}
    except PeriodError as err:
        return Period.default(), {err.field: err.message}


def _query(unit: Unit, period: Period, **extra) -> str:
    params = {"unit": unit.code, **period.query(), **{k: v for k, v in extra.items() if v}}
    return urlencode(params)


def cases_url(code: str, unit: Unit, period: Period, **extra) -> str:
    """The drill-down list of the cases behind a number."""
    return f"{reverse('web:oversight-dashboard-cases')}?{_query(unit, period, metric=code, **extra)}"


def _cell(m: metrics.Metric, summary: metrics.Summary, unit: Unit, period: Period, exact: bool = False) -> dict:
    flag = "1" if exact else ""
    return {
        "metric": m, "summary": summary,
        "url": cases_url(m.code, unit, period, exact=flag),
        "missed_url": cases_url(m.code, unit, period, exact=flag, outcome="missed") if m.kind == "rate" else "",
        "breach": m.target is not None and summary.rate is not None and summary.rate < m.target,
    }


def _context(request, unit: Unit, period: Period, errors: dict) -> dict:
    report = metrics.report(unit, period)
    selected = request.GET.get("metric") or "publication"
    if selected not in {m.code for m in metrics.METRICS}:
        selected = "publication"
    chosen = metrics.metric(selected)
    headline = [_cell(m, report.results[m.code]["total"], unit, period) for m in metrics.METRICS]
    groups = []
    for row in report.group_rows():
        u, own = row["unit"], row["own"]
        groups.append({"unit": u, "own": own,
                       "cells": [_cell(c["metric"], c["summary"], u, period, exact=own) for c in row["cells"]]})
    months = []
    for row in report.month_rows():
        months.append({"month": row["month"],
                       "cells": [_cell(c["metric"], c["summary"], unit, row["period"]) for c in row["cells"]]})
    index = [m.code for m in metrics.METRICS].index(selected)
    chart = {
        "metric": {"code": chosen.code, "label": str(chosen.label), "kind": chosen.kind},
        "labels": {"rate": _("Rate (%)"), "count": _("Cases"), "amount": _("Yuan"), "own": _("own cases")},
        "groups": [{"name": g["unit"].name + (f" ({_('own cases')})" if g["own"] else ""), "code": g["unit"].code,
                    **g["cells"][index]["summary"].as_json(), "url": g["cells"][index]["url"]} for g in groups],
        "months": [{"month": m["month"].strftime("%Y-%m"), **m["cells"][index]["summary"].as_json(),
                    "url": m["cells"][index]["url"]} for m in months],
    }
    units = units_visible(request.user).filter(active=True).order_by("path")
    return {
        "report": report, "unit": unit, "period": period, "errors": errors, "headline": headline,
        "groups": groups, "months": months, "metrics": metrics.METRICS, "selected": chosen, "chart": chart,
        "units": units, "query": _query(unit, period),
        "by_kind": [{**r, "url": cases_url("cases", unit, period, kind=r["code"])} for r in report.by_kind],
        "by_stage": [{**r, "url": cases_url("cases", unit, period, stage=r["code"])} for r in report.by_stage
                     if r["count"]],
        "metric_links": [{"metric": m, "url": f"{reverse('web:oversight-dashboard')}?"
                          f"{_query(unit, period, metric=m.code)}", "current": m.code == selected}
                         for m in metrics.METRICS],
    }


@login_required
@require_GET
def dashboard(request):
    _require_supervisor(request)
    unit = _unit(request)
    period, errors = _period(request)
    status = 400 if errors else 200
    return render(request, "web/oversight/dashboard/index.html", _context(request, unit, period, errors),
                  status=status)


@login_required
@require_GET
def dashboard_cases(request):
    """The cases behind a number (下钻): ``metric``, ``unit``, ``from``, ``to`` and optionally
    ``outcome`` (met / missed), ``exact`` (the unit's own cases only), ``kind``, ``stage``."""
    _require_supervisor(request)
    try:
        m = metrics.metric(request.GET.get("metric") or "")
    except KeyError:
        raise Http404 from None
    unit = _unit(request)
    period, errors = _period(request)
    outcome = request.GET.get("outcome") or "all"
    outcome = outcome if outcome in metrics.OUTCOMES else "all"
    exact = request.GET.get("exact") == "1"
    kind = request.GET.get("kind") or ""
    stage = request.GET.get("stage") or ""
    kind = kind if kind in CaseKind.values else ""
    stage = stage if stage in Stage.values else ""
    rows = metrics.drill_rows(m.code, unit, period, outcome=outcome, exact=exact, kind=kind, stage=stage)
    items, total = metrics.drill_cases(rows, viewer_q=visible_q(request.user))
    base = {"exact": "1" if exact else "", "kind": kind, "stage": stage}
    tabs = [{"value": value, "label": label, "current": value == outcome,
             "url": cases_url(m.code, unit, period, **{**base, "outcome": value if value != "all" else ""})}
            for value, label in (("all", _("All")), ("met", _("Met")), ("missed", _("Not met")))]
    return render(request, "web/oversight/dashboard/cases.html", {
        "metric": m, "unit": unit, "period": period, "errors": errors, "rows": items, "total": total,
        "shown": len(items), "outcome": outcome, "exact": exact, "kind": kind, "stage": stage,
        "kind_label": dict(CaseKind.choices).get(kind, ""), "stage_label": dict(Stage.choices).get(stage, ""),
        "tabs": tabs if m.kind == "rate" else [],
        "back": f"{reverse('web:oversight-dashboard')}?{_query(unit, period, metric=m.code)}",
    }, status=400 if errors else 200)


@login_required
@require_GET
def report_page(request):
    """The assessment report (考核报告) as a printable page."""
    _require_supervisor(request)
    unit = _unit(request)
    period, errors = _period(request)
    if errors:
        raise Http404
    report = metrics.report(unit, period)
    return render(request, "web/oversight/dashboard/report.html", {
        "report": report, "unit": unit, "period": period, "metrics": metrics.METRICS,
        "now": timezone.localtime(), "query": _query(unit, period)})


def _xlsx(report: metrics.Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    bold = Font(bold=True)
    book = Workbook()
    sheet = book.active
    sheet.title = _("Metrics")[:31]
    sheet.append([_("Assessment report"), report.unit.name])
    sheet.append([_("Period"), f"{report.period.start.isoformat()} – {report.period.end.isoformat()}"])
    sheet.append([])
    sheet.append([_("Metric"), _("Value"), _("Met"), _("Counted"), _("Provisional"), _("Definition")])
    for cell in sheet[4]:
        cell.font = bold
    for row in report.rows():
        m, s = row["metric"], row["summary"]
        sheet.append([str(m.label), _excel_value(s), s.numerator if m.kind == "rate" else None,
                      s.denominator, s.provisional if m.kind == "rate" else None, str(m.help)])
    sheet.column_dimensions["A"].width = 32
    sheet.column_dimensions["F"].width = 80

    header = [_("Unit")] + [str(m.label) for m in metrics.METRICS]
    units = book.create_sheet(_("Units")[:31])
    units.append(header)
    for row in report.group_rows():
        name = row["unit"].name + (f" ({_('own cases')})" if row["own"] else "")
        units.append([name] + [_excel_value(c["summary"]) for c in row["cells"]])
    months = book.create_sheet(_("Months")[:31])
    months.append([_("Month")] + header[1:])
    for row in report.month_rows():
        months.append([row["month"].strftime("%Y-%m")] + [_excel_value(c["summary"]) for c in row["cells"]])
    kinds = book.create_sheet(_("Cases")[:31])
    kinds.append([_("Kind"), _("Cases")])
    for r in report.by_kind:
        kinds.append([r["label"], r["count"]])
    kinds.append([])
    kinds.append([_("Stage"), _("Cases")])
    for r in report.by_stage:
        kinds.append([r["label"], r["count"]])
    for ws in (units, months, kinds):
        for cell in ws[1]:
            cell.font = bold
        ws.column_dimensions["A"].width = 32
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _excel_value(summary: metrics.Summary):
    """A rate as its percentage number ("—" when nothing counted), a count, an amount in yuan."""
    value = summary.value
    if value is None:
        return "—"
    return float(value) if summary.kind != "count" else value


@login_required
@require_GET
def report_xlsx(request):
    """The assessment report (考核报告) as an xlsx workbook: metrics, units, months, cases."""
    _require_supervisor(request)
    unit = _unit(request)
    period, errors = _period(request)
    if errors:
        raise Http404
    body = _xlsx(metrics.report(unit, period))
    name = f"assessment-{unit.code}-{period.start.isoformat()}-{period.end.isoformat()}.xlsx"
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


urlpatterns = [
    path("oversight/dashboard/", dashboard, name="oversight-dashboard"),
    path("oversight/dashboard/cases/", dashboard_cases, name="oversight-dashboard-cases"),
    path("oversight/dashboard/report/", report_page, name="oversight-report"),
    path("oversight/dashboard/report.xlsx", report_xlsx, name="oversight-report-xlsx"),
]
