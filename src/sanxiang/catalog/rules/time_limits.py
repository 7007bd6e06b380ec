"""Time limits (期限) as rule data. Pure: imports no Django.

A time limit is a number of days counted either in working days (工作日: periods of the
Administrative Penalty Law written as 2/3/5/7 日, 行政处罚法 第八十五条; periods of ten days or
less in the Administrative Coercion Law, 行政强制法 第六十九条) or in calendar days (自然日:
every other period, e.g. the 90-day decision limit, RULES.md R1.2). Counting itself belongs to
the calendar app; this module only carries the versioned value and its citation.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CALENDAR", "UNITS", "WORKING", "TimeLimit", "TimeLimitError", "validate_time_limit"]

WORKING = "working"
CALENDAR = "calendar"
UNITS = (WORKING, CALENDAR)


class TimeLimitError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def validate_time_limit(days: object, unit: object) -> None:
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise TimeLimitError("days", "days must be a whole number of at least 1")
    if unit not in UNITS:
        raise TimeLimitError("unit", f"unit must be one of {', '.join(UNITS)}")


@dataclass(frozen=True, slots=True)
class TimeLimit:
    """One version of a named time limit, e.g. ``TimeLimit("decision", 90, "calendar", …)``."""

    name: str
    days: int
    unit: str
    citation: str
    version: int
    title: str = ""
    start_event: str = ""

    def __post_init__(self) -> None:
        validate_time_limit(self.days, self.unit)

    @property
    def working_days(self) -> bool:
        return self.unit == WORKING

    def as_dict(self) -> dict:
        return {
            "name": self.name, "days": self.days, "unit": self.unit,
            "citation": self.citation, "version": self.version,
        }
