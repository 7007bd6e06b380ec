"""Seed data from the ``chinese-calendar`` package (RULES.md R10.3). Imports no Django.

``chinese_calendar.constants`` holds two dicts mapping ``date`` → English holiday name:
``holidays`` (days off, 放假) and ``workdays`` (adjusted working days, 调休上班). The
package covers the years whose State Council notice it has seen (1.11.0: 2004–2026);
pin the version and update it every year after the notice.

Used by the data migration (``0002_load_chinese_calendar``), by ``sanxiang calendar load``
and by tests that need the official schedule without a database.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

import chinese_calendar
from chinese_calendar import constants as _cc

from sanxiang.calendar.rules.workdays import ExplicitCalendar

HOLIDAY = "holiday"  # same values as sanxiang.calendar.constants.DayKind
WORKDAY = "workday"

PACKAGE_VERSION: str = getattr(chinese_calendar, "__version__", "unknown")
SOURCE: str = f"chinese-calendar {PACKAGE_VERSION}"
"""``HolidayYear.source`` of the years loaded from the package."""

CITATION = "国务院办公厅关于部分节假日安排的通知（逐年）；《全国年节及纪念日放假办法》"

# The package's English names → the Chinese names used in the schedule notices.
_CHINESE_NAMES: dict[str, str] = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def chinese_name(english: str) -> str:
    """Chinese name of a package holiday name; unknown names fall back to the package's own
    Chinese label, else the English text."""
    if english in _CHINESE_NAMES:
        return _CHINESE_NAMES[english]
    try:
        return _cc.Holiday(english).chinese
    except ValueError:
        return english


@dataclass(frozen=True, slots=True)
class SeedDay:
    """One row of the package data: a holiday (放假) or an adjusted workday (调休上班)."""

    date: _dt.date
    kind: str  # HOLIDAY | WORKDAY
    name: str


def years() -> list[int]:
    """Every year the package has data for (sorted)."""
    return sorted({d.year for d in _cc.holidays} | {d.year for d in _cc.workdays})


def days(year: int | None = None) -> list[SeedDay]:
    """The package's holidays and adjusted workdays (of one ``year``, or all), by date."""
    rows = [SeedDay(d, HOLIDAY, chinese_name(n)) for d, n in _cc.holidays.items()]
    rows += [SeedDay(d, WORKDAY, chinese_name(n)) for d, n in _cc.workdays.items()]
    if year is not None:
        rows = [r for r in rows if r.date.year == year]
    return sorted(rows, key=lambda r: r.date)


def package_calendar() -> ExplicitCalendar:
    """The package data as a pure calendar source, every package year official."""
    all_days = days()
    return ExplicitCalendar(
        holidays={r.date: r.name for r in all_days if r.kind == HOLIDAY},
        workdays={r.date: r.name for r in all_days if r.kind == WORKDAY},
        official_years=years(),
    )
