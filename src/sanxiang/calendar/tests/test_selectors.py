"""`sanxiang.calendar.selectors`: the wrappers other apps call, on the seeded database."""

from __future__ import annotations

import datetime as dt

import pytest

from sanxiang.calendar import selectors
from sanxiang.calendar.models import CalendarDay, HolidayYear
from sanxiang.calendar.rules.workdays import CountResult, DateResult

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat


@pytest.mark.parametrize(
    ("start", "n", "expected", "provisional"),
    [
        pytest.param("2026-09-30", 7, "2026-10-15", False, id="APL85-2026-national-day"),
        pytest.param("2024-02-08", 2, "2024-02-18", False, id="APL85-2024-spring-festival"),
        pytest.param("2025-09-30", 3, "2025-10-11", False, id="APL85-2025-national-day"),
        pytest.param("2026-12-25", 7, "2027-01-06", True, id="APL85-HOL2-into-2027"),
        pytest.param("2026-10-01", 0, "2026-10-01", False, id="APL85-n0"),
    ],
)
def test_add_working_days(start, n, expected, provisional):
    result = selectors.add_working_days(D(start), n)
    assert (result.date, result.provisional) == (D(expected), provisional)


def test_other_wrappers():
    assert selectors.working_days_between(D("2026-09-30"), D("2026-10-15")) == CountResult(7, False)
    assert selectors.is_working_day(D("2026-10-10"))
    assert not selectors.is_working_day(D("2026-10-07"))
    assert selectors.is_working_day(D("2027-10-04")).provisional
    assert selectors.add_calendar_days(D("2026-09-16"), 15) == DateResult(D("2026-10-08"), False)


def test_years_without_official_data():
    """R10.3: alert admins — 2027 has no official schedule yet."""
    assert selectors.years_without_official_data(2025, 2027) == [2027]


def test_cache_is_reused_while_nothing_changes():
    assert selectors.current_calendar() is selectors.current_calendar()


def test_cache_sees_writes_that_bypass_the_services():
    """Another process (or a raw ORM write) changes rows: the fingerprint notices."""
    before = selectors.current_calendar()
    assert selectors.add_working_days(D("2026-12-31"), 1).date == D("2027-01-04")
    year = HolidayYear.objects.create(year=2027)
    CalendarDay.objects.create(date=D("2027-01-04"), kind="holiday", name="元旦", year=year)
    assert selectors.current_calendar() is not before
    assert selectors.add_working_days(D("2026-12-31"), 1) == DateResult(
        D("2027-01-05"), True, (2027,)
    )
    CalendarDay.objects.filter(date=D("2027-01-04")).delete()
    assert selectors.add_working_days(D("2026-12-31"), 1).date == D("2027-01-04")
    HolidayYear.objects.filter(year=2027).update(official=True)  # update() skips auto_now
    year.refresh_from_db()
    year.save()  # a real save bumps updated_at
    assert selectors.add_working_days(D("2026-12-31"), 1) == DateResult(D("2027-01-01"), False)
