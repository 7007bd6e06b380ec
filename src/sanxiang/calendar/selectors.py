"""Reads of the working-day calendar (工作日历查询) — what other apps call.

The four wrappers compute on `current_calendar()`, the schedule in the database as a pure
`ExplicitCalendar`, and return the frozen results of `sanxiang.calendar.rules.workdays`
(``DateResult``, ``CountResult``, ``DayStatus``), each with ``provisional`` (暂定) set when a
consulted day lies in a year without official data. Show and export that flag wherever a
result is shown (RULES.md R10.3).

The calendar is cached per process. Each call checks a cheap fingerprint of both tables
(row counts and latest ``updated_at``) and rebuilds when it changed, so edits made by
another process or through the admin are seen on the next call; the services also clear
the cache when their transaction commits.
"""

from __future__ import annotations

import datetime as _dt
import threading

from django.db.models import Count, Max

from sanxiang.calendar.constants import DayKind
from sanxiang.calendar.models import CalendarDay, HolidayYear
from sanxiang.calendar.rules import workdays as rules
from sanxiang.calendar.rules.workdays import CountResult, DateResult, DayStatus, ExplicitCalendar

__all__ = [
    "add_calendar_days",
    "add_working_days",
    "current_calendar",
    "invalidate_calendar_cache",
    "is_working_day",
    "working_days_between",
    "years_without_official_data",
]

_lock = threading.Lock()
_cache: tuple[tuple, ExplicitCalendar] | None = None


def _fingerprint() -> tuple:
    agg = HolidayYear.objects.aggregate(
        n_years=Count("pk", distinct=True),
        years_at=Max("updated_at"),
        n_days=Count("days", distinct=True),
        days_at=Max("days__updated_at"),
    )
    return (agg["n_years"], agg["years_at"], agg["n_days"], agg["days_at"])


def _build() -> ExplicitCalendar:
    holidays: dict[_dt.date, str] = {}
    workdays: dict[_dt.date, str] = {}
    for date, kind, name in CalendarDay.objects.values_list("date", "kind", "name"):
        (workdays if kind == DayKind.WORKDAY else holidays)[date] = name
    official = HolidayYear.objects.filter(official=True).values_list("year", flat=True)
    return ExplicitCalendar(holidays=holidays, workdays=workdays, official_years=official)


def current_calendar() -> ExplicitCalendar:
    """The schedule in the database as a pure calendar source (cached, see module doc)."""
    global _cache
    fingerprint = _fingerprint()  # before reading: a later change only forces a rebuild
    cached = _cache
    if cached is not None and cached[0] == fingerprint:
        return cached[1]
    with _lock:
        cal = _build()
        _cache = (fingerprint, cal)
    return cal


def invalidate_calendar_cache() -> None:
    """Drops this process's cached calendar (the services call it on commit)."""
    global _cache
    _cache = None


def add_working_days(start: _dt.date, n: int) -> DateResult:
    """The date ``n`` working days after ``start`` (行政处罚法 第85条; start day not counted)."""
    return rules.add_working_days(start, n, current_calendar())


def working_days_between(a: _dt.date, b: _dt.date) -> CountResult:
    """Working days in (a, b] — a excluded, b included; negative when b < a."""
    return rules.working_days_between(a, b, current_calendar())


def is_working_day(d: _dt.date) -> DayStatus:
    """Whether ``d`` is a working day (调休 make-up days included); truthy when it is."""
    return rules.is_working_day(d, current_calendar())


def add_calendar_days(start: _dt.date, n: int) -> DateResult:
    """Last day of an ``n``-calendar-day period (《民法典》第201、203条)."""
    return rules.add_calendar_days(start, n, current_calendar())


def years_without_official_data(first: int, last: int) -> list[int]:
    """Years in [first, last] without an official schedule — to alert admins (R10.3)."""
    official = set(
        HolidayYear.objects.filter(official=True, year__gte=first, year__lte=last).values_list(
            "year", flat=True
        )
    )
    return [y for y in range(first, last + 1) if y not in official]
