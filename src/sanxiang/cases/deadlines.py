"""Legal time limits of a case (办案期限), computed with the working-day calendar.

Each deadline names its time-limit rule (catalog, with citation and version) and carries
the calendar's `provisional` flag. `refresh(case)` stores them for the workbench and for
oversight; `due(case, name)` answers for the guards.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from sanxiang.calendar import selectors as workdays
from sanxiang.cases.constants import ActivityKind, PartyResponseKind, Stage
from sanxiang.catalog import selectors as catalog
from sanxiang.catalog.constants import CaseKind


@dataclass(frozen=True)
class Due:
    name: str
    date: dt.date
    provisional: bool
    citation: str
    met_on: dt.date | None = None

    @property
    def overdue(self) -> bool:
        return self.met_on is None and self.date < timezone.localdate()


def day_start(day: dt.date) -> dt.datetime:
    """Midnight at the start of `day` in the bureau's time zone (dates are local, times aware)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def served_on(case, decided_on: dt.date) -> dt.date | None:
    """The day the decision was served: the first completed service act on or after the decision
    day (APL 第61条); an earlier service act served another document (e.g. the notice)."""
    service = (case.activities.filter(kind=ActivityKind.SERVICE, complete=True,
                                      occurred_at__gte=day_start(decided_on))
               .order_by("occurred_at").first())
    return timezone.localtime(service.occurred_at).date() if service else None


def _due(name: str, limit_name: str, start: dt.date, met_on: dt.date | None = None, extra_days: int = 0) -> Due:
    limit = catalog.time_limit(limit_name, start)
    days = limit.days + extra_days
    result = (workdays.add_working_days(start, days) if limit.unit == "working"
              else workdays.add_calendar_days(start, days))
    return Due(name, result.date, result.provisional, limit.citation, met_on)


def compute(case) -> dict[str, Due]:
    """Every deadline that applies to the case now."""
    from sanxiang.review import selectors as review_selectors

    out: dict[str, Due] = {}
    decision = getattr(case, "decision", None) if case.pk else None
    decided_on = decision.decided_on if decision else None
    if case.discovered_on:
        out["filing"] = _due("filing", "filing", case.discovered_on, case.registered_on)
    if case.kind == CaseKind.PENALTY:
        closed_without = case.stage in (Stage.NOT_PUNISHED, Stage.WITHDRAWN, Stage.TRANSFERRED)
        out["decision"] = _due("decision", "decision", case.registered_on,
                               decided_on or (timezone.localdate(case.stage_changed_at) if closed_without else None),
                               extra_days=case.decision_extension_days)
    if case.notified_on:
        responses = list(case.responses.filter(received_on__gte=case.notified_on))
        answered = [r.received_on for r in responses
                    if r.kind in (PartyResponseKind.STATEMENT, PartyResponseKind.WAIVER)]
        out["statement"] = _due("statement", "statement", case.notified_on, min(answered, default=decided_on))
        if case.hearing_offered:
            hearing = [r.received_on for r in responses
                       if r.kind in (PartyResponseKind.HEARING_REQUEST, PartyResponseKind.HEARING_WAIVER)]
            out["hearing_request"] = _due("hearing_request", "hearing_request", case.notified_on,
                                          min(hearing, default=decided_on))
    status = review_selectors.review_status(case.ref)
    if status.submission is not None and status.due_on is not None:
        opinion = status.opinion
        limits = {t.get("name"): t for t in (status.submission.time_limits or []) if isinstance(t, dict)}
        citation = (limits.get("review") or {}).get("citation", "")
        out["review"] = Due("review", status.due_on, status.provisional, citation,
                            timezone.localdate(opinion.given_at) if opinion else None)
    if decided_on:
        served = served_on(case, decided_on)
        out["service"] = _due("service", "service", decided_on, served)
        if decision.fine_amount and served:
            closed = case.stage in (Stage.CLOSED, Stage.ARCHIVED)
            out["payment"] = _due("payment", "payment", served,
                                  timezone.localdate(case.stage_changed_at) if closed else None)
    return out


def due(case, name: str) -> Due | None:
    return compute(case).get(name)


def refresh(case) -> None:
    """Store the case's deadlines (rows of deadlines no longer applying are removed)."""
    from sanxiang.cases.models import CaseDeadline

    current = compute(case)
    CaseDeadline.objects.filter(case=case).exclude(name__in=list(current)).delete()
    for item in current.values():
        CaseDeadline.objects.update_or_create(
            case=case, name=item.name,
            defaults={"due_on": item.date, "provisional": item.provisional, "met_on": item.met_on,
                      "citation": item.citation})
