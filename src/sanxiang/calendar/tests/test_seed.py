"""The chinese-calendar seed data (RULES.md R10.2, R10.3) — no database."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest
from chinese_calendar import constants

from sanxiang.calendar import seed

D = dt.date.fromisoformat


def test_package_is_pinned_and_covers_2004_to_2026():
    """R10.3: chinese-calendar 1.11.0 covers 2004–2026; 2027 is not known."""
    assert seed.SOURCE == "chinese-calendar 1.11.0"
    assert seed.years() == list(range(2004, 2027))
    # The package itself refuses a year it has no schedule for (its way of saying "unknown"):
    # that refusal is why such years are computed here and marked provisional.
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(D("2027-01-04"))


def test_days_are_every_holiday_and_workday_of_the_package():
    days = seed.days()
    assert len(days) == len(constants.holidays) + len(constants.workdays)
    assert len({d.date for d in days}) == len(days), "a date both holiday and workday"
    assert all(d.name and d.kind in {seed.HOLIDAY, seed.WORKDAY} for d in days)


@pytest.mark.parametrize(
    ("day", "kind", "name"),
    [
        pytest.param("2026-01-04", seed.WORKDAY, "元旦", id="R10.2-2026-jan4-work"),
        pytest.param("2026-02-14", seed.WORKDAY, "春节", id="R10.2-2026-feb14-work"),
        pytest.param("2026-02-28", seed.WORKDAY, "春节", id="R10.2-2026-feb28-work"),
        pytest.param("2026-05-09", seed.WORKDAY, "劳动节", id="R10.2-2026-may9-work"),
        pytest.param("2026-09-20", seed.WORKDAY, "国庆节", id="R10.2-2026-sep20-work"),
        pytest.param("2026-10-10", seed.WORKDAY, "国庆节", id="R10.2-2026-oct10-work"),
        pytest.param("2026-10-07", seed.HOLIDAY, "国庆节", id="R10.2-2026-oct7-off"),
        pytest.param("2026-09-25", seed.HOLIDAY, "中秋节", id="R10.2-2026-sep25-off"),
        pytest.param(
            "2015-09-03",
            seed.HOLIDAY,
            "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
            id="special-2015-09-03",
        ),
    ],
)
def test_schedule_rows(day, kind, name):
    assert seed.SeedDay(D(day), kind, name) in seed.days(D(day).year)


def test_2026_schedule_matches_rules_r10_2():
    """R10.2 (2026 notice): Jan 1–3, Feb 15–23, Apr 4–6, May 1–5, Jun 19–21, Sep 25–27,
    Oct 1–7 off; Jan 4, Feb 14, Feb 28, May 9, Sep 20, Oct 10 work."""

    def span(a, b):
        return {D(a) + dt.timedelta(days=i) for i in range((D(b) - D(a)).days + 1)}

    off = set().union(
        *(
            span(a, b)
            for a, b in [
                ("2026-01-01", "2026-01-03"),
                ("2026-02-15", "2026-02-23"),
                ("2026-04-04", "2026-04-06"),
                ("2026-05-01", "2026-05-05"),
                ("2026-06-19", "2026-06-21"),
                ("2026-09-25", "2026-09-27"),
                ("2026-10-01", "2026-10-07"),
            ]
        )
    )
    work = {
        D(x)
        for x in [
            "2026-01-04",
            "2026-02-14",
            "2026-02-28",
            "2026-05-09",
            "2026-09-20",
            "2026-10-10",
        ]
    }
    rows = seed.days(2026)
    assert {r.date for r in rows if r.kind == seed.HOLIDAY} == off
    assert {r.date for r in rows if r.kind == seed.WORKDAY} == work


def test_unknown_english_name_falls_back():
    assert seed.chinese_name("Some Future Day") == "Some Future Day"
    assert seed.chinese_name("Labour Day") == "劳动节"
