"""Working-day arithmetic (工作日计算). Pure: imports no Django.

Rules (RULES.md §1, §10):

* 行政处罚法 第85条 (APL): periods of 2/3/5/7 日 are *working days*, excluding statutory
  holidays; the start day is not counted → :func:`add_working_days`.
* 《民法典》第201条: a period counted in days starts the day after the start day;
  第203条: when its last day is a statutory holiday (法定休假日, including the weekly rest
  days), the period ends on the next working day → :func:`add_calendar_days`.
* A working day is a day that is a workday under the annual State Council notice,
  including make-up weekend workdays (调休上班) — RULES.md R10.4.
* A year without official schedule data is computed on weekends plus the fixed-date
  holidays of 《全国年节及纪念日放假办法》第2条 (2024 revision, :data:`HOL_FIXED_DATE_HOLIDAYS`);
  every result that consulted such a day is **provisional** (暂定) — RULES.md R10.3.

Every function takes a :class:`CalendarSource` and returns a small frozen dataclass that
carries ``provisional``. "Provisional" means: at least one day the computation had to look
at lies in a year without official data (or the result was clamped at the end of the
representable range). No function raises for any year in 1–9999; only a negative ``n``
(or an argument of the wrong type) is refused.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

__all__ = [
    "ADJUSTED_WORKDAY",
    "FIXED_HOLIDAY",
    "HOL_CITATION",
    "HOL_FIXED_DATE_HOLIDAYS",
    "HOLIDAY",
    "REST_DAY",
    "WEEKDAY",
    "CalendarSource",
    "CountResult",
    "DateResult",
    "DayInfo",
    "DayStatus",
    "ExplicitCalendar",
    "FixedHoliday",
    "WeekendsOnly",
    "add_calendar_days",
    "add_working_days",
    "fallback_calendar",
    "is_working_day",
    "working_days_between",
]

# --- Why a day is (not) a working day (DayInfo.reason) -------------------------------
ADJUSTED_WORKDAY = "adjusted_workday"  # 调休上班: a weekend day made a working day
HOLIDAY = "holiday"  # 放假: listed holiday of the schedule (official or draft)
FIXED_HOLIDAY = "fixed_holiday"  # fallback: fixed-date statutory holiday (HOL 第2条)
WEEKDAY = "weekday"  # ordinary Monday–Friday
REST_DAY = "rest_day"  # ordinary Saturday/Sunday (休息日)


# --- Fixed-date statutory holidays (法定节假日, fallback data) ---------------------------
@dataclass(frozen=True, slots=True)
class FixedHoliday:
    """A statutory holiday on a fixed Gregorian date (公历固定日期的全体公民放假节日)."""

    month: int
    day: int
    name: str


HOL_CITATION = "《全国年节及纪念日放假办法》第二条（2024年11月10日修订）"
"""Source of :data:`HOL_FIXED_DATE_HOLIDAYS` (RULES.md R10.1, [V])."""

HOL_FIXED_DATE_HOLIDAYS: tuple[FixedHoliday, ...] = (
    # 新年（元旦），放假1天（1月1日）
    FixedHoliday(1, 1, "元旦"),
    # 劳动节，放假2天（5月1日、2日）
    FixedHoliday(5, 1, "劳动节"),
    FixedHoliday(5, 2, "劳动节"),
    # 国庆节，放假3天（10月1日、2日、3日）
    FixedHoliday(10, 1, "国庆节"),
    FixedHoliday(10, 2, "国庆节"),
    FixedHoliday(10, 3, "国庆节"),
)
"""The fixed-date holidays of HOL 第2条 (2024 revision). The lunar ones (春节, 清明节,
端午节, 中秋节) and the make-up days are only known from the yearly notice, so a year without
official data uses these plus weekends — and every such result is provisional."""

_FIXED_BY_MONTH_DAY: dict[tuple[int, int], FixedHoliday] = {
    (h.month, h.day): h for h in HOL_FIXED_DATE_HOLIDAYS
}


# --- The calendar source protocol -----------------------------------------------------
@dataclass(frozen=True, slots=True)
class DayInfo:
    """What a calendar source says about one date.

    ``official`` is False when the answer comes from a year without official schedule data
    (暂定, provisional). ``name`` is the holiday name (e.g. "国庆节") for holidays and
    adjusted workdays, else "". ``reason`` is one of the module constants.
    """

    working: bool
    official: bool
    name: str = ""
    reason: str = WEEKDAY


@runtime_checkable
class CalendarSource(Protocol):
    """Answers, for a date, whether it is a working day and whether that is official."""

    def day(self, d: _dt.date, /) -> DayInfo: ...


def _plain_day(d: _dt.date, official: bool) -> DayInfo:
    if d.weekday() < 5:
        return DayInfo(True, official, "", WEEKDAY)
    return DayInfo(False, official, "", REST_DAY)


def _as_name_map(days: Mapping[_dt.date, str] | Iterable[_dt.date]) -> dict[_dt.date, str]:
    items = days.items() if isinstance(days, Mapping) else ((d, "") for d in days)
    result: dict[_dt.date, str] = {}
    for d, name in items:
        result[_as_date(d, "day")] = str(name or "")
    return result


class ExplicitCalendar:
    """A calendar built from explicit sets (显式数据).

    * ``holidays``: dates off work (放假), as a mapping date → name or an iterable of dates;
    * ``workdays``: adjusted working days (调休上班), usually weekend days, same forms;
    * ``official_years``: the years whose schedule is official and complete.

    In an official year a day is a working day when it is an adjusted workday, or a
    Monday–Friday that is not a holiday. In any other year the same explicit rows apply
    (drafts an admin entered ahead of the notice) on top of the fallback — weekends plus
    :data:`HOL_FIXED_DATE_HOLIDAYS` — and every answer is provisional.
    """

    __slots__ = ("_holidays", "_official_years", "_workdays")

    def __init__(
        self,
        holidays: Mapping[_dt.date, str] | Iterable[_dt.date] = (),
        workdays: Mapping[_dt.date, str] | Iterable[_dt.date] = (),
        official_years: Iterable[int] = (),
    ) -> None:
        self._holidays = _as_name_map(holidays)
        self._workdays = _as_name_map(workdays)
        both = sorted(self._holidays.keys() & self._workdays.keys())
        if both:
            raise ValueError(
                "a date cannot be both a holiday and an adjusted workday: "
                + ", ".join(d.isoformat() for d in both[:5])
            )
        self._official_years = frozenset(int(y) for y in official_years)

    @property
    def official_years(self) -> frozenset[int]:
        return self._official_years

    @property
    def holidays(self) -> Mapping[_dt.date, str]:
        return dict(self._holidays)

    @property
    def workdays(self) -> Mapping[_dt.date, str]:
        return dict(self._workdays)

    def is_official_year(self, year: int) -> bool:
        return year in self._official_years

    def day(self, d: _dt.date, /) -> DayInfo:
        official = d.year in self._official_years
        name = self._workdays.get(d)
        if name is not None:
            return DayInfo(True, official, name, ADJUSTED_WORKDAY)
        name = self._holidays.get(d)
        if name is not None:
            return DayInfo(False, official, name, HOLIDAY)
        if not official:
            fixed = _FIXED_BY_MONTH_DAY.get((d.month, d.day))
            if fixed is not None:
                return DayInfo(False, False, fixed.name, FIXED_HOLIDAY)
        return _plain_day(d, official)

    def __repr__(self) -> str:
        years = sorted(self._official_years)
        span = f"{years[0]}–{years[-1]}" if years else "none"
        return (
            f"ExplicitCalendar(holidays={len(self._holidays)}, workdays={len(self._workdays)}, "
            f"official_years={span})"
        )


def fallback_calendar() -> ExplicitCalendar:
    """No official data at all: weekends plus HOL 第2条 fixed-date holidays, all provisional."""
    return ExplicitCalendar()


@dataclass(frozen=True, slots=True)
class WeekendsOnly:
    """Test double: Monday–Friday work, Saturday/Sunday rest, no holidays.

    Every answer is official unless ``provisional=True``.
    """

    provisional: bool = False

    def day(self, d: _dt.date, /) -> DayInfo:
        return _plain_day(d, not self.provisional)


# --- Results --------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class DateResult:
    """A computed date. ``provisional`` (暂定): a consulted day lies in a year without
    official data, listed in ``provisional_years``; ``clamped``: the true answer lies beyond
    9999-12-31, so ``date`` is that last representable day (always provisional)."""

    date: _dt.date
    provisional: bool
    provisional_years: tuple[int, ...] = ()
    clamped: bool = False

    def isoformat(self) -> str:
        return self.date.isoformat()


@dataclass(frozen=True, slots=True)
class CountResult:
    """A number of working days, with ``provisional`` as in :class:`DateResult`."""

    count: int
    provisional: bool
    provisional_years: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class DayStatus:
    """Whether ``date`` is a working day (工作日). Truthy exactly when it is one."""

    date: _dt.date
    working: bool
    provisional: bool
    name: str = ""
    reason: str = WEEKDAY

    def __bool__(self) -> bool:
        return self.working


@dataclass(slots=True)
class _Consulted:
    """Years of the non-official days looked at during one computation."""

    years: set[int] = field(default_factory=set)

    def look(self, cal: CalendarSource, d: _dt.date) -> DayInfo:
        info = cal.day(d)
        if not info.official:
            self.years.add(d.year)
        return info

    def sorted(self) -> tuple[int, ...]:
        return tuple(sorted(self.years))


# --- Argument checks ------------------------------------------------------------------
def _as_date(value: object, name: str) -> _dt.date:
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    raise TypeError(f"{name} must be a datetime.date, not {type(value).__name__}")


def _as_count(n: object) -> int:
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"n must be an int, not {type(n).__name__}")
    if n < 0:
        raise ValueError(f"n must be zero or positive (got {n}); periods are counted forward")
    return n


_MAX = _dt.date.max
_ONE = _dt.timedelta(days=1)


# --- Functions ------------------------------------------------------------------------
def is_working_day(d: _dt.date, cal: CalendarSource) -> DayStatus:
    """Whether ``d`` is a working day (工作日), including 调休 make-up workdays (R10.4)."""
    d = _as_date(d, "d")
    info = cal.day(d)
    return DayStatus(d, info.working, not info.official, info.name, info.reason)


def add_working_days(start: _dt.date, n: int, cal: CalendarSource) -> DateResult:
    """The date ``n`` working days after ``start`` (行政处罚法 第85条).

    The start day is not counted: the first counted day is the first working day after
    ``start``, and the result is the n-th one, so for ``n >= 1`` it is always a working day.
    ``n == 0`` returns ``start`` itself and consults no day (never provisional).
    Provisional when any day from ``start + 1`` to the result is in a non-official year.
    Beyond 9999-12-31 the result is clamped to that day (``clamped``, provisional).
    """
    start = _as_date(start, "start")
    n = _as_count(n)
    consulted = _Consulted()
    if n > (_MAX - start).days:  # more working days than days left: certainly clamped
        return DateResult(_MAX, True, (_MAX.year,), clamped=True)
    d = start
    remaining = n
    while remaining:
        if d == _MAX:
            consulted.years.add(d.year)
            return DateResult(d, True, consulted.sorted(), clamped=True)
        d += _ONE
        if consulted.look(cal, d).working:
            remaining -= 1
    years = consulted.sorted()
    return DateResult(d, bool(years), years)


def working_days_between(a: _dt.date, b: _dt.date, cal: CalendarSource) -> CountResult:
    """The number of working days in the half-open interval (a, b] (a excluded, b included).

    This matches :func:`add_working_days`: ``working_days_between(d, add_working_days(d,
    n).date) == n``. When ``b < a`` the count is negative: ``-working_days_between(b, a)``.
    ``a == b`` gives 0 and consults no day. Provisional when any day in the interval is in a
    non-official year.
    """
    a = _as_date(a, "a")
    b = _as_date(b, "b")
    sign = 1
    if b < a:
        a, b, sign = b, a, -1
    consulted = _Consulted()
    count = 0
    d = a
    while d < b:
        d += _ONE
        if consulted.look(cal, d).working:
            count += 1
    years = consulted.sorted()
    return CountResult(sign * count, bool(years), years)


def add_calendar_days(start: _dt.date, n: int, cal: CalendarSource) -> DateResult:
    """The last day of a period of ``n`` calendar days from ``start`` (《民法典》第201、203条).

    第201条: the start day is not counted, so the period's last day is ``start + n``.
    第203条: when that day is a statutory holiday or rest day (法定休假日), the period ends on
    the next working day (a 调休 make-up workday counts as a working day, R10.4).
    Only the last day and the days it moves over are consulted; provisional when one of them
    is in a non-official year. ``n == 0`` returns ``start`` unchanged (nothing consulted).
    Beyond 9999-12-31 the result is clamped to that day (``clamped``, provisional).
    """
    start = _as_date(start, "start")
    n = _as_count(n)
    if n == 0:
        return DateResult(start, False)
    consulted = _Consulted()
    if n > (_MAX - start).days:
        consulted.years.add(_MAX.year)
        return DateResult(_MAX, True, consulted.sorted(), clamped=True)
    d = start + _dt.timedelta(days=n)
    while not consulted.look(cal, d).working:
        if d == _MAX:
            consulted.years.add(d.year)
            return DateResult(d, True, consulted.sorted(), clamped=True)
        d += _ONE
    years = consulted.sorted()
    return DateResult(d, bool(years), years)
