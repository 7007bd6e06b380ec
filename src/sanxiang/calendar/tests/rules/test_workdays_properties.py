"""Properties of the working-day arithmetic (行政处罚法 第85条; 《民法典》第201、203条)."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
from hypothesis import given, settings
from hypothesis import strategies as st

from sanxiang.calendar import seed
from sanxiang.calendar.rules.workdays import (
    WeekendsOnly,
    add_calendar_days,
    add_working_days,
    is_working_day,
    working_days_between,
)

CAL = seed.package_calendar()
FIRST, LAST = min(CAL.official_years), max(CAL.official_years)
ONE = dt.timedelta(days=1)

dates = st.dates(min_value=dt.date(FIRST - 1, 6, 1), max_value=dt.date(LAST + 2, 12, 31))
counts = st.integers(min_value=0, max_value=80)


def _expected_provisional(first_consulted: dt.date, last_consulted: dt.date) -> bool:
    return first_consulted.year < FIRST or last_consulted.year > LAST


@settings(deadline=None)
@given(start=dates, n=counts)
def test_apl85_add_then_count_round_trips(start, n):
    """APL85: the n-th working day after start is a working day, and (start, it] holds n."""
    result = add_working_days(start, n, CAL)
    if n == 0:
        assert result.date == start and not result.provisional
        return
    assert result.date > start
    assert is_working_day(result.date, CAL).working
    assert working_days_between(start, result.date, CAL).count == n
    assert working_days_between(start, result.date - ONE, CAL).count == n - 1
    assert result.provisional == _expected_provisional(start + ONE, result.date)
    assert result.provisional == bool(result.provisional_years)


@settings(deadline=None)
@given(start=dates, n=counts)
def test_apl85_monotone(start, n):
    assert add_working_days(start, n + 1, CAL).date > add_working_days(start, n, CAL).date


@settings(deadline=None)
@given(start=st.dates(min_value=dt.date(FIRST, 1, 1), max_value=dt.date(LAST, 10, 31)), n=counts)
def test_apl85_matches_chinese_calendar_inside_the_package(start, n):
    result = add_working_days(start, n, CAL)
    if result.date.year > LAST:
        return
    d, left = start, n
    while left:
        d += ONE
        left -= chinese_calendar.is_workday(d)
    assert result.date == d


@settings(deadline=None)
@given(a=dates, b=dates)
def test_count_is_antisymmetric(a, b):
    assert working_days_between(a, b, CAL).count == -working_days_between(b, a, CAL).count


@settings(deadline=None)
@given(start=dates, n=st.integers(min_value=1, max_value=400))
def test_cc201_203_ends_on_first_working_day_from_start_plus_n(start, n):
    """CC201: last day = start + n; CC203: moved over holidays/rest days to a working day."""
    result = add_calendar_days(start, n, CAL)
    d = start + dt.timedelta(days=n)
    assert result.date >= d
    assert is_working_day(result.date, CAL).working
    while d < result.date:
        assert not is_working_day(d, CAL).working
        d += ONE
    assert result.provisional == _expected_provisional(start + dt.timedelta(days=n), result.date)


@settings(deadline=None)
@given(start=dates, n=st.integers(min_value=0, max_value=200))
def test_weekends_only_five_per_week(start, n):
    """On weekends-only, every 5 working days are exactly one week later."""
    five = add_working_days(start, n + 5, WeekendsOnly()).date
    assert (five - add_working_days(start, n, WeekendsOnly()).date).days == 7 or n == 0
