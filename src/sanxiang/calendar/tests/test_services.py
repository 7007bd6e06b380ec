"""Services and admin edits of the holiday schedule change the computed results (R10.3)."""

from __future__ import annotations

import datetime as dt

import pytest

from sanxiang.calendar import selectors, services
from sanxiang.calendar.models import CalendarDay, HolidayYear
from sanxiang.calendar.rules.workdays import DateResult
from sanxiang.core.errors import InvalidInput

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat


def test_loading_2027_by_hand_then_marking_it_official_ends_provisional():
    """R10.3: a missing year is provisional until its schedule is loaded and marked official."""
    assert selectors.add_working_days(D("2026-12-31"), 1) == DateResult(
        D("2027-01-04"), True, (2027,)
    )

    day = services.calendar_day_set(day=D("2027-01-04"), kind="holiday", name="元旦")
    assert (day.source, day.year_id, day.year.official) == ("admin", 2027, False)
    assert selectors.add_working_days(D("2026-12-31"), 1) == DateResult(
        D("2027-01-05"), True, (2027,)
    )

    services.calendar_day_set(day=D("2027-01-01"), kind="holiday", name="元旦")
    services.calendar_year_mark_official(year=2027, notice="国办发明电〔2026〕1号（示例）")
    assert selectors.add_working_days(D("2026-12-31"), 1) == DateResult(D("2027-01-05"), False)
    assert HolidayYear.objects.get(year=2027).notice.startswith("国办发明电")

    services.calendar_year_mark_official(year=2027, official=False)
    assert selectors.add_working_days(D("2026-12-31"), 1).provisional


def test_adjusted_workday_and_removal():
    """R10.4: a 调休 Saturday counts as a working day; removing it restores the week."""
    assert not selectors.is_working_day(D("2026-10-17"))
    services.calendar_day_set(day=D("2026-10-17"), kind="workday", name="测试调休")
    assert selectors.is_working_day(D("2026-10-17"))
    assert services.calendar_day_delete(day=D("2026-10-17")) is True
    assert not selectors.is_working_day(D("2026-10-17"))
    assert services.calendar_day_delete(day=D("2026-10-17")) is False


def test_setting_an_existing_package_day_turns_it_into_an_admin_override():
    services.calendar_day_set(day=D("2026-10-10"), kind="holiday", name="国庆节")
    row = CalendarDay.objects.get(date=D("2026-10-10"))
    assert (row.kind, row.source) == ("holiday", "admin")
    assert selectors.add_working_days(D("2026-09-30"), 7).date == D("2026-10-16")


def test_bad_kind_and_year_are_refused():
    with pytest.raises(InvalidInput) as err:
        services.calendar_day_set(day=D("2027-01-04"), kind="weekend")
    assert err.value.details["field"] == "kind"
    with pytest.raises(InvalidInput):
        services.calendar_year_mark_official(year=0)
    assert not HolidayYear.objects.filter(year=2027).exists()


def test_year_delete_falls_back_to_provisional():
    assert services.calendar_year_delete(year=2026) is True
    assert selectors.add_working_days(D("2026-09-30"), 7) == DateResult(
        D("2026-10-13"), True, (2026,)
    )


def test_load_package_keeps_admin_overrides_and_removes_stale_rows():
    services.calendar_day_set(day=D("2026-10-09"), kind="holiday", name="调整")
    year = HolidayYear.objects.get(year=2026)
    CalendarDay.objects.create(
        date=D("2026-03-02"), kind="holiday", name="旧", source="chinese_calendar", year=year
    )
    CalendarDay.objects.filter(date=D("2026-10-07")).delete()
    (report,) = services.calendar_year_load_package(year=2026)
    assert (report.created, report.removed, report.kept_admin) == (0 + 1, 1, ())
    assert CalendarDay.objects.get(date=D("2026-10-09")).source == "admin"
    assert not CalendarDay.objects.filter(date=D("2026-03-02")).exists()
    assert CalendarDay.objects.get(date=D("2026-10-07")).kind == "holiday"


def test_load_package_reports_conflicting_admin_rows():
    services.calendar_day_set(day=D("2026-10-10"), kind="holiday", name="国庆节")
    (report,) = services.calendar_year_load_package(year=2026)
    assert report.kept_admin == (D("2026-10-10"),)


def test_load_package_refuses_a_year_it_does_not_know():
    with pytest.raises(InvalidInput, match="2027"):
        services.calendar_year_load_package(year=2027)


def test_load_all_is_idempotent():
    reports = services.calendar_year_load_package()
    assert [r.year for r in reports] == list(range(2004, 2027))
    assert sum(r.created + r.updated + r.removed for r in reports) == 0
