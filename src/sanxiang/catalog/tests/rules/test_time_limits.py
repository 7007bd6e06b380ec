"""Time-limit values (RULES.md R1.1/R1.2) — pure, no database."""

from __future__ import annotations

import pytest

from sanxiang.catalog.choices import DayUnit
from sanxiang.catalog.rules import time_limits
from sanxiang.catalog.rules.time_limits import TimeLimit, TimeLimitError


def test_time_limit_carries_unit_and_citation():
    limit = TimeLimit("decision", 90, "calendar", "《中华人民共和国行政处罚法》第六十条", 1)
    assert not limit.working_days
    assert limit.as_dict() == {
        "name": "decision", "days": 90, "unit": "calendar",
        "citation": "《中华人民共和国行政处罚法》第六十条", "version": 1,
    }


@pytest.mark.parametrize(
    ("days", "unit", "field"),
    [(0, "working", "days"), (-1, "calendar", "days"), (True, "working", "days"),
     ("7", "working", "days"), (7, "weeks", "unit")],
)
def test_invalid_time_limits_are_refused(days, unit, field):
    with pytest.raises(TimeLimitError) as exc:
        TimeLimit("x", days, unit, "c", 1)
    assert exc.value.field == field


def test_units_match_the_model_choices():
    assert set(time_limits.UNITS) == set(DayUnit.values)
