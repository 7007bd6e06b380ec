"""Data migration 0002_load_chinese_calendar: every package year loaded as official."""

from __future__ import annotations

import datetime as dt

import pytest
from chinese_calendar import constants

from sanxiang.calendar.models import CalendarDay, HolidayYear

pytestmark = pytest.mark.django_db


def test_every_package_year_is_official():
    years = HolidayYear.objects.order_by("year")
    assert [y.year for y in years] == list(range(2004, 2027))
    assert all(y.official and y.source == "chinese-calendar 1.11.0" and y.loaded_at for y in years)
    assert not HolidayYear.objects.filter(year=2027).exists()


def test_every_package_day_is_loaded():
    assert CalendarDay.objects.count() == len(constants.holidays) + len(constants.workdays)
    assert CalendarDay.objects.filter(kind="holiday").count() == len(constants.holidays)
    assert set(CalendarDay.objects.values_list("source", flat=True)) == {"chinese_calendar"}
    day = CalendarDay.objects.get(date=dt.date(2026, 10, 10))
    assert (day.kind, day.name, day.year_id) == ("workday", "国庆节", 2026)
