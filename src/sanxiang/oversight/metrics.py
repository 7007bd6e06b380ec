"""Assessment metrics (考核指标) of the three systems, per unit and period.

Every metric is computed set-based in the database: one base query per metric (the rows the
metric counts — publication items, decisions, activities, deadlines, cases), annotated with

* ``m_case`` — the case the row belongs to (drill-down: every number links to its cases);
* ``m_unit`` — the ``path`` of the handling / deciding unit (scope and comparison);
* ``m_day``  — the date that attributes the row to a period and to a month;
* ``m_met``  — for a rate, whether the row meets the requirement (the numerator);
* ``m_prov`` — whether the date the row is judged against is provisional (R10.3);

and then aggregated with ``Count(filter=Q(...))`` / ``Sum`` in one GROUP BY per view: the
whole scope, one row per unit of the comparison (the units directly below the scope unit,
each with everything below it, plus the scope unit's own rows), one row per month. No loop
over cases in Python; percentages are computed from the exact integer counts, so SQLite and
PostgreSQL give the same numbers.

A rate with an empty denominator is ``None`` (shown "—"), never a division by zero.

Periods are inclusive date ranges in the bureau's time zone (Asia/Shanghai); a time stamp
(publication, withdrawal, an activity) is attributed to its local date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    BooleanField,
    CharField,
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models import Case as CaseWhen
from django.db.models.functions import Cast, Coalesce, Concat, Substr, TruncDate, TruncMonth
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sanxiang.accounts.models import Unit
from sanxiang.cases.constants import Stage
from sanxiang.cases.deadlines import day_start
from sanxiang.cases.models import Activity, ActivityOfficer, Case, CaseDeadline, Decision
from sanxiang.cases.rules.recording import MANDATORY_VIDEO, MIN_OFFICERS, ON_SITE
from sanxiang.catalog.constants import CaseKind
from sanxiang.disclosure.models import PublicationItem, WithdrawalEvent
from sanxiang.records.models import Evidence, EvidenceKind
from sanxiang.review.constants import APPROVED_STATUSES
from sanxiang.review.models import ReviewSubmission

__all__ = [
    "BUREAU_DEADLINES",
    "METRICS",
    "MONTH_LIMIT",
    "Metric",
    "Period",
    "PeriodError",
    "Summary",
    "cases_by",
    "comparison_units",
    "drill_rows",
    "metric",
    "report",
]

#: Case deadlines that bind the bureau (立案、决定、法制审核、送达). The statement, hearing-request
#: and payment periods bind the party and are not the bureau's compliance.
BUREAU_DEADLINES = ("filing", "decision", "review", "service")
#: Withdrawal events after which the decision no longer stands (its fine is not counted).
DECISION_GONE_EVENTS = (WithdrawalEvent.REVOKED, WithdrawalEvent.FOUND_INVALID)
#: The longest period the dashboard and the report accept (months of the trend).
MONTH_LIMIT = 60
_PERCENT = Decimal("0.1")
_CENT = Decimal("0.01")


# ------------------------------------------------------------------------------------- periods


class PeriodError(ValueError):
    """A period that cannot be used; ``field`` names the offending input."""

    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.field = field_name
        self.message = message


@dataclass(frozen=True)
class Period:
    """An inclusive date range (考核期间)."""

    start: dt.date
    end: dt.date

    def __post_init__(self):
        if self.start > self.end:
            raise PeriodError("to", str(_("The end of the period lies before its start.")))
        if len(_month_starts(self.start, self.end)) > MONTH_LIMIT:
            raise PeriodError("from", str(_("A period spans at most 60 months.")))

    @classmethod
    def default(cls, today: dt.date | None = None) -> Period:
        """From 1 January of the current year to today."""
        today = today or timezone.localdate()
        return cls(dt.date(today.year, 1, 1), today)

    @classmethod
    def parse(cls, start: str | None, end: str | None, today: dt.date | None = None) -> Period:
        """A period from ISO dates; a missing end is today, a missing start 1 January of the end's year."""
        today = today or timezone.localdate()
        try:
            end_day = dt.date.fromisoformat(end) if end else today
        except ValueError:
            raise PeriodError("to", str(_("Enter a date as YYYY-MM-DD."))) from None
        try:
            start_day = dt.date.fromisoformat(start) if start else dt.date(end_day.year, 1, 1)
        except ValueError:
            raise PeriodError("from", str(_("Enter a date as YYYY-MM-DD."))) from None
        return cls(start_day, end_day)

    @property
    def months(self) -> list[dt.date]:
        """First day of every month the period touches, oldest first."""
        return _month_starts(self.start, self.end)

    def month(self, first: dt.date) -> Period:
        """The part of the period that lies in the month starting on `first`."""
        nxt = _month_starts(first, first + dt.timedelta(days=31))[1]
        return Period(max(first, self.start), min(nxt - dt.timedelta(days=1), self.end))

    def query(self) -> dict[str, str]:
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}


def _month_starts(start: dt.date, end: dt.date) -> list[dt.date]:
    out, index, last = [], start.year * 12 + start.month - 1, end.year * 12 + end.month - 1
    while index <= last:
        out.append(dt.date(index // 12, index % 12 + 1, 1))
        index += 1
    return out


# ------------------------------------------------------------------------------------ results


@dataclass(frozen=True)
class Summary:
    """One figure of one metric: a rate (numerator ÷ denominator), a count or an amount."""

    kind: str  # rate | count | amount
    denominator: int = 0
    numerator: int = 0
    provisional: int = 0
    amount: Decimal | None = None

    @property
    def missed(self) -> int:
        return self.denominator - self.numerator

    @property
    def rate(self) -> Decimal | None:
        """Percentage with one decimal (half up); None when nothing was due (no division by zero)."""
        if self.kind != "rate" or self.denominator == 0:
            return None
        return (Decimal(self.numerator * 100) / Decimal(self.denominator)).quantize(_PERCENT, ROUND_HALF_UP)

    @property
    def value(self) -> Decimal | int | None:
        if self.kind == "rate":
            return self.rate
        if self.kind == "amount":
            return self.amount
        return self.denominator

    @property
    def display(self) -> str:
        """As shown: "97.5%", "—" for an empty rate, a count, an amount in yuan."""
        value = self.value
        if value is None:
            return "—"
        return f"{value}%" if self.kind == "rate" else str(value)

    def as_json(self) -> dict:
        value = self.value
        return {"value": None if value is None else float(value) if self.kind != "count" else value,
                "display": self.display, "numerator": self.numerator, "denominator": self.denominator,
                "missed": self.missed, "provisional": self.provisional}


# ----------------------------------------------------------------------------- base queries


def _case_ref(field_name: str):
    """The opaque subject reference "case:<pk>" other contexts use, as an SQL expression."""
    return Concat(Value("case:"), Cast(field_name, output_field=CharField()), output_field=CharField())


def _flag(q: Q) -> CaseWhen:
    return CaseWhen(When(q, then=Value(True)), default=Value(False), output_field=BooleanField())


def _in_days(field_name: str, period: Period) -> Q:
    return Q(**{f"{field_name}__gte": period.start, f"{field_name}__lte": period.end})


def _in_times(field_name: str, period: Period) -> Q:
    return Q(**{f"{field_name}__gte": day_start(period.start),
                f"{field_name}__lt": day_start(period.end + dt.timedelta(days=1))})


def publication_rows(period: Period, today: dt.date) -> QuerySet:
    """公示及时率 — publication on time (RULES.md R2.1: 7 / 20 working days after the decision).

    * Rows: publication items of decided cases whose due date (``due_on``, the working-day
      due date as computed, holiday shifts included) lies in the period. Items that must not
      be published (secret case, minor party: R3.3) are left out.
    * Numerator: published on or before the due date (local date of ``published_at``); an
      item published, then corrected, withdrawn or ended counts by its first publication.
    * Denominator: items whose outcome is known — published at any time, or still pending
      after the due date (pending past due counts as late). Pending items not yet due are not
      counted yet.
    * Provisional: items whose due date was computed on a year without an official schedule.
    """
    conclusive = Q(published_at__isnull=False) | Q(due_on__lt=today)
    never = Q(source__secret=True) | Q(source__involves_minor=True)
    return (PublicationItem.objects.filter(_in_days("due_on", period), subject__startswith="case:")
            .filter(conclusive).exclude(never)
            .annotate(m_case=Cast(Substr("subject", 6), output_field=IntegerField()),
                      m_unit=Subquery(Unit.objects.filter(code=OuterRef("unit_code")).values("path")[:1]),
                      m_day=F("due_on"), m_published=TruncDate("published_at"))
            .annotate(m_met=_flag(Q(m_published__lte=F("due_on"))), m_prov=F("provisional")))


def withdrawal_rows(period: Period, today: dt.date) -> QuerySet:
    """撤回及时率 — withdrawal on time (R2.5: 3 working days after the decision was changed,
    revoked, found unlawful or invalid; at once when it should never have been published).

    * Rows: publication items that had to be withdrawn, whose withdrawal due date
      (``withdrawal_due_on``) lies in the period.
    * Numerator: withdrawn on or before that date (local date of ``withdrawn_at``).
    * Denominator: withdrawn at any time, or not withdrawn after the due date (late);
      a withdrawal not yet due and not yet done is not counted yet.
    """
    conclusive = Q(withdrawn_at__isnull=False) | Q(withdrawal_due_on__lt=today)
    return (PublicationItem.objects.filter(_in_days("withdrawal_due_on", period), subject__startswith="case:")
            .filter(conclusive)
            .annotate(m_case=Cast(Substr("subject", 6), output_field=IntegerField()),
                      m_unit=Subquery(Unit.objects.filter(code=OuterRef("unit_code")).values("path")[:1]),
                      m_day=F("withdrawal_due_on"), m_withdrawn=TruncDate("withdrawn_at"))
            .annotate(m_met=_flag(Q(m_withdrawn__lte=F("withdrawal_due_on"))),
                      m_prov=F("withdrawal_due_provisional")))


def legal_review_rows(period: Period, today: dt.date) -> QuerySet:
    """法制审核覆盖率 — legal review of major decisions (APL 第58条; must be 100%).

    * Rows: major decisions (重大执法决定, ``Decision.major``) decided in the period
      (``decided_on``), whatever happened to them afterwards.
    * Numerator: the case has an approved review submission (同意, or approved by the agency
      head when settling a disagreement).
    * Denominator: all those decisions. Anything below 100% is a breach of the guard.
    """
    approved = ReviewSubmission.objects.filter(subject=OuterRef("m_ref"), status__in=sorted(APPROVED_STATUSES))
    return (Decision.objects.filter(_in_days("decided_on", period), major=True)
            .annotate(m_case=F("case_id"), m_unit=F("case__unit__path"), m_day=F("decided_on"),
                      m_ref=_case_ref("case_id"))
            .annotate(m_met=Exists(approved), m_prov=Value(False, output_field=BooleanField())))


def video_rows(period: Period, today: dt.date) -> QuerySet:
    """音像记录覆盖率 — video coverage of mandatory activities (R8.2: 查封扣押、限产停产、停业关闭).

    * Rows: activities of those kinds that took place in the period (local date of
      ``occurred_at``), complete or not.
    * Numerator: at least one evidence item of kind video is attached to the activity.
    * Denominator: all those activities.
    """
    video = Evidence.objects.filter(activity=OuterRef("m_ref"), kind=EvidenceKind.VIDEO)
    return (Activity.objects.filter(_in_times("occurred_at", period), kind__in=sorted(MANDATORY_VIDEO))
            .annotate(m_case=F("case_id"), m_unit=F("case__unit__path"), m_day=TruncDate("occurred_at"),
                      m_ref=Concat(Value("activity:"), Cast("pk", output_field=CharField()),
                                   output_field=CharField()))
            .annotate(m_met=Exists(video), m_prov=Value(False, output_field=BooleanField())))


def deadline_rows(period: Period, today: dt.date) -> QuerySet:
    """办案期限遵守率 — stage deadlines met (R5.3 filing, R5.4 decision, R7.6 review, R5.9 service).

    * Rows: deadlines of the bureau (`BUREAU_DEADLINES`) whose due date lies in the period.
    * Numerator: met (``met_on``) on or before the due date.
    * Denominator: met at any time, or still open after the due date (missed); an open
      deadline not yet due is not counted yet.
    * Provisional: due dates computed on a year without an official schedule (R10.3) are
      counted like the others and reported separately.
    """
    conclusive = Q(met_on__isnull=False) | Q(due_on__lt=today)
    return (CaseDeadline.objects.filter(_in_days("due_on", period), name__in=BUREAU_DEADLINES)
            .filter(conclusive)
            .annotate(m_case=F("case_id"), m_unit=F("case__unit__path"), m_day=F("due_on"))
            .annotate(m_met=_flag(Q(met_on__lte=F("due_on"))), m_prov=F("provisional")))


def two_officer_rows(period: Period, today: dt.date) -> QuerySet:
    """双人执法率 — two certified officers at on-site activities (APL 第42条, R5.5).

    * Rows: on-site activities (`recording.ON_SITE`) that took place in the period.
    * Numerator: at least `MIN_OFFICERS` officers present whose certificate was valid on the
      day of the act (validity dates; a certificate suspended or revoked now counts as not valid).
    * Denominator: all those activities.
    """
    day = OuterRef("m_day")
    valid = (ActivityOfficer.objects.filter(activity=OuterRef("pk"), officer__status="active",
                                            officer__valid_until__gte=day)
             .filter(Q(officer__valid_from__isnull=True) | Q(officer__valid_from__lte=day))
             .values("activity").annotate(n=Count("pk")).values("n"))
    return (Activity.objects.filter(_in_times("occurred_at", period), kind__in=sorted(ON_SITE))
            .annotate(m_case=F("case_id"), m_unit=F("case__unit__path"), m_day=TruncDate("occurred_at"))
            .annotate(m_officers=Coalesce(Subquery(valid, output_field=IntegerField()), 0))
            .annotate(m_met=_flag(Q(m_officers__gte=MIN_OFFICERS)), m_prov=Value(False, output_field=BooleanField())))


def case_rows(period: Period, today: dt.date) -> QuerySet:
    """案件数 — cases registered (立案) in the period (``registered_on``), by kind and current stage."""
    return (Case.objects.filter(_in_days("registered_on", period))
            .annotate(m_case=F("pk"), m_unit=F("unit__path"), m_day=F("registered_on")))


def fine_rows(period: Period, today: dt.date) -> QuerySet:
    """罚款总额 — fines imposed, in yuan.

    * Rows: decisions decided in the period (``decided_on``) with a fine.
    * Amount: the sum of ``fine_amount`` as decided. A decision later revoked or found
      invalid (its publication records the event) no longer stands and is left out; a changed
      decision counts as decided (the change is a new document).
    """
    gone = PublicationItem.objects.filter(subject=OuterRef("m_ref"), withdrawal_event__in=DECISION_GONE_EVENTS)
    return (Decision.objects.filter(_in_days("decided_on", period), fine_amount__gt=0)
            .annotate(m_case=F("case_id"), m_unit=F("case__unit__path"), m_day=F("decided_on"),
                      m_ref=_case_ref("case_id"), m_amount=F("fine_amount"))
            .exclude(Exists(gone)))


# ----------------------------------------------------------------------------------- metrics


@dataclass(frozen=True)
class Metric:
    code: str
    label: Promise
    kind: str  # rate | count | amount
    rows: Callable[[Period, dt.date], QuerySet]
    help: Promise
    target: int | None = None  # a rate below this is a breach (法制审核: 100)


METRICS: tuple[Metric, ...] = (
    Metric("publication", _("Publication on time"), "rate", publication_rows,
           _("Decisions published on or before their due date, among those due in the period; "
             "a decision still unpublished after its due date counts as late.")),
    Metric("withdrawal", _("Withdrawal on time"), "rate", withdrawal_rows,
           _("Published decisions withdrawn on or before their withdrawal due date, among those due "
             "in the period.")),
    Metric("legal_review", _("Legal review of major decisions"), "rate", legal_review_rows,
           _("Major decisions decided in the period with an approved legal review; must be 100%."), target=100),
    Metric("video", _("Video records of mandatory activities"), "rate", video_rows,
           _("Seizures, production restrictions and closures in the period with at least one video record.")),
    Metric("deadlines", _("Stage deadlines met"), "rate", deadline_rows,
           _("Filing, decision, legal review and service deadlines due in the period that were met in time.")),
    Metric("two_officers", _("Two certified officers on site"), "rate", two_officer_rows,
           _("On-site activities in the period attended by at least two officers with a valid certificate.")),
    Metric("cases", _("Cases registered"), "count", case_rows,
           _("Cases registered in the period, by kind and by current stage.")),
    Metric("fines", _("Fines imposed (yuan)"), "amount", fine_rows,
           _("Fines of the decisions made in the period; revoked or invalid decisions excluded.")),
)
_BY_CODE = {m.code: m for m in METRICS}


def metric(code: str) -> Metric:
    """The metric of `code`; KeyError if unknown."""
    return _BY_CODE[code]


def _scoped(m: Metric, unit: Unit, period: Period, today: dt.date, *, exact: bool = False) -> QuerySet:
    qs = m.rows(period, today)
    return qs.filter(m_unit=unit.path) if exact else qs.filter(m_unit__startswith=unit.path)


def _aggregates(m: Metric) -> dict:
    if m.kind == "rate":
        return {"n": Count("pk"), "met": Count("pk", filter=Q(m_met=True)),
                "prov": Count("pk", filter=Q(m_prov=True))}
    if m.kind == "amount":
        return {"n": Count("pk"), "amount": Sum("m_amount")}
    return {"n": Count("pk")}


def _summary(m: Metric, row: dict | None) -> Summary:
    row = row or {}
    amount = None
    if m.kind == "amount":
        amount = Decimal(row.get("amount") or 0).quantize(_CENT, ROUND_HALF_UP)
    return Summary(m.kind, denominator=row.get("n") or 0, numerator=row.get("met") or 0,
                   provisional=row.get("prov") or 0, amount=amount)


def comparison_units(unit: Unit) -> list[Unit]:
    """The units compared side by side: those directly below `unit` (for the city bureau, the
    districts and the city's corps and departments), in the order of their region codes."""
    return list(unit.children.filter(active=True).order_by("region_code", "code"))


def _group_expression(unit: Unit, groups: list[Unit]) -> CaseWhen:
    whens = [When(m_unit__startswith=g.path, then=Value(g.code)) for g in groups]
    return CaseWhen(*whens, default=Value(unit.code), output_field=CharField())


def _compute(m: Metric, unit: Unit, period: Period, today: dt.date, groups: list[Unit]) -> dict:
    qs = _scoped(m, unit, period, today)
    aggregates = _aggregates(m)
    total = _summary(m, qs.aggregate(**aggregates))
    by_group = {r["m_group"]: r for r in qs.annotate(m_group=_group_expression(unit, groups))
                .values("m_group").annotate(**aggregates).order_by("m_group")}
    by_month = {r["m_month"]: r for r in qs.annotate(m_month=TruncMonth("m_day", output_field=DateField()))
                .values("m_month").annotate(**aggregates).order_by("m_month")}
    return {
        "total": total,
        "groups": {code: _summary(m, by_group.get(code)) for code in [*(g.code for g in groups), unit.code]},
        "months": [_summary(m, by_month.get(_as_date(first)) or _lookup(by_month, first))
                   for first in period.months],
    }


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _lookup(rows: dict, first: dt.date) -> dict | None:
    for key, row in rows.items():
        if key is not None and _as_date(key) == first:
            return row
    return None


def cases_by(unit: Unit, period: Period, dimension: str, today: dt.date | None = None) -> list[dict]:
    """Cases registered in the period, counted by ``kind`` or ``stage`` (every value, zeros included)."""
    today = today or timezone.localdate()
    choices = CaseKind.choices if dimension == "kind" else Stage.choices
    counts = dict(_scoped(metric("cases"), unit, period, today).values_list(dimension)
                  .annotate(n=Count("pk")).order_by(dimension).values_list(dimension, "n"))
    return [{"code": code, "label": str(label), "count": counts.get(code, 0)} for code, label in choices]


@dataclass
class Report:
    """Every metric of one unit and period: the scope, the compared units, the months."""

    unit: Unit
    period: Period
    today: dt.date
    groups: list[Unit]
    results: dict[str, dict]
    by_kind: list[dict]
    by_stage: list[dict]

    def rows(self) -> list[dict]:
        return [{"metric": m, "summary": self.results[m.code]["total"]} for m in METRICS]

    def group_rows(self) -> list[dict]:
        units = [*self.groups, self.unit]
        return [{"unit": u, "own": u.pk == self.unit.pk,
                 "cells": [{"metric": m, "summary": self.results[m.code]["groups"][u.code]} for m in METRICS]}
                for u in units]

    def month_rows(self) -> list[dict]:
        return [{"month": first, "period": self.period.month(first),
                 "cells": [{"metric": m, "summary": self.results[m.code]["months"][i]} for m in METRICS]}
                for i, first in enumerate(self.period.months)]


def report(unit: Unit, period: Period, today: dt.date | None = None) -> Report:
    """All metrics of `unit` (and every unit below it) over `period` — see the module docstring."""
    today = today or timezone.localdate()
    groups = comparison_units(unit)
    results = {m.code: _compute(m, unit, period, today, groups) for m in METRICS}
    return Report(unit, period, today, groups, results,
                  cases_by(unit, period, "kind", today), cases_by(unit, period, "stage", today))


# ---------------------------------------------------------------------------------- drill-down

OUTCOMES = ("all", "met", "missed")


def drill_rows(code: str, unit: Unit, period: Period, *, outcome: str = "all", exact: bool = False,
               kind: str = "", stage: str = "", today: dt.date | None = None) -> QuerySet:
    """The rows behind a number (下钻): one per counted item, with its case.

    ``outcome`` ``met`` / ``missed`` narrows a rate to its numerator / the rest; ``exact``
    takes the unit's own rows without the units below it (the "own" bar of the comparison);
    ``kind`` / ``stage`` narrow the case counts. Values: ``m_case``, ``m_day``, ``m_met``
    (rates), ``m_amount`` (fines); ordered by date, then case.
    """
    today = today or timezone.localdate()
    m = metric(code)
    qs = _scoped(m, unit, period, today, exact=exact)
    if m.kind == "rate" and outcome == "met":
        qs = qs.filter(m_met=True)
    elif m.kind == "rate" and outcome == "missed":
        qs = qs.filter(m_met=False)
    if code == "cases" and kind:
        qs = qs.filter(kind=kind)
    if code == "cases" and stage:
        qs = qs.filter(stage=stage)
    return qs.order_by("m_day", "m_case")


def drill_cases(rows: QuerySet, *, viewer_q: Q, limit: int = 500) -> tuple[list[dict], int]:
    """The drill-down rows with their cases (number, title, unit), at most `limit` of them."""
    fields = ["m_case", "m_day"] + [f for f in ("m_met", "m_amount", "name", "kind", "m_prov")
                                    if f in rows.query.annotations or f in _model_fields(rows)]
    total = rows.count()
    values = list(rows.values(*fields)[:limit])
    cases = Case.objects.filter(viewer_q, pk__in={v["m_case"] for v in values}).select_related("unit")
    by_pk = {c.pk: c for c in cases}
    out = [{**v, "case": by_pk.get(v["m_case"])} for v in values]
    return out, total


def _model_fields(qs: QuerySet) -> set[str]:
    return {f.name for f in qs.model._meta.get_fields() if getattr(f, "concrete", False)}
