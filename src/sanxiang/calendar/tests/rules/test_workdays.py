"""Working-day arithmetic, pure (no database): `sanxiang.calendar.rules.workdays`.

Citations in the test ids:
  APL85   行政处罚法 第85条 — 2/3/5/7 日 periods are working days, start day not counted
  CC201   《民法典》第201条 — a period in days starts counting the day after the start day
  CC203   《民法典》第203条 — a last day on a statutory holiday/rest day moves to the next day
  HOL2    《全国年节及纪念日放假办法》第2条 (2024 revision) — fixed-date holidays (fallback)
  R10.3/4 RULES.md — provisional years; 调休 make-up days are working days

Expected dates of official years (2004–2026) are also re-derived from the
``chinese_calendar`` package's own ``is_workday`` (see ``_oracle_*``), so a typo in the
table and a bug in the code cannot agree by accident. Schedules (RULES.md R10.2 and the
package): 2024 春节 Feb 10–17 off, Feb 4 + 18 work; 2024 国庆 Oct 1–7 off, Sep 29 + Oct 12
work; 2025 春节 Jan 28–Feb 4 off, Jan 26 + Feb 8 work; 2025 国庆 Oct 1–8 off, Sep 28 + Oct
11 work; 2026 元旦 Jan 1–3 off, Jan 4 work; 2026 春节 Feb 15–23 off, Feb 14 + 28 work;
2026 中秋 Sep 25–27 off, Sep 20 work; 2026 国庆 Oct 1–7 off, Oct 10 work.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import chinese_calendar
import pytest

from sanxiang.calendar import seed
from sanxiang.calendar.rules.workdays import (
    ADJUSTED_WORKDAY,
    FIXED_HOLIDAY,
    HOL_CITATION,
    HOL_FIXED_DATE_HOLIDAYS,
    HOLIDAY,
    REST_DAY,
    WEEKDAY,
    CalendarSource,
    CountResult,
    DateResult,
    ExplicitCalendar,
    WeekendsOnly,
    add_calendar_days,
    add_working_days,
    fallback_calendar,
    is_working_day,
    working_days_between,
)

D = dt.date.fromisoformat
CAL = seed.package_calendar()
OFFICIAL = range(2004, 2027)


def _oracle_add_working_days(start: dt.date, n: int) -> dt.date:
    d = start
    while n:
        d += dt.timedelta(days=1)
        if chinese_calendar.is_workday(d):
            n -= 1
    return d


def _oracle_add_calendar_days(start: dt.date, n: int) -> dt.date:
    d = start + dt.timedelta(days=n)
    while not chinese_calendar.is_workday(d):
        d += dt.timedelta(days=1)
    return d


def _inside_package(*dates: dt.date) -> bool:
    return all(d.year in OFFICIAL for d in dates)


# --- 行政处罚法 第85条: n working days after start ------------------------------------------
ADD_WORKING_DAYS = [
    # 2026 National Day (国庆): Oct 1–7 off, Oct 10 (Sat) 调休 working day.
    pytest.param("2026-09-30", 7, "2026-10-15", False, id="APL85-2026-national-day-7wd"),
    pytest.param("2026-09-30", 3, "2026-10-10", False, id="APL85-R10.4-2026-oct10-makeup-counts"),
    pytest.param("2026-09-18", 1, "2026-09-20", False, id="APL85-2026-sep20-sunday-makeup"),
    pytest.param("2026-09-24", 1, "2026-09-28", False, id="APL85-2026-mid-autumn-sep25-27"),
    # 2026 Spring Festival (春节): Feb 15–23 off, Feb 14 and Feb 28 (Sat) work.
    pytest.param("2026-02-13", 1, "2026-02-14", False, id="APL85-2026-spring-feb14-makeup"),
    pytest.param("2026-02-13", 2, "2026-02-24", False, id="APL85-2026-spring-festival"),
    pytest.param("2026-02-27", 1, "2026-02-28", False, id="APL85-2026-spring-feb28-makeup"),
    pytest.param("2025-12-31", 1, "2026-01-04", False, id="APL85-2026-new-year-jan4-makeup"),
    # 2024 Spring Festival: Feb 10–17 off, Feb 4 and Feb 18 (Sun) work.
    pytest.param("2024-02-02", 1, "2024-02-04", False, id="APL85-2024-spring-feb4-makeup"),
    pytest.param("2024-02-08", 2, "2024-02-18", False, id="APL85-2024-spring-festival"),
    pytest.param("2024-02-08", 3, "2024-02-19", False, id="APL85-2024-spring-after"),
    # 2024 National Day: Oct 1–7 off, Sep 29 (Sun) and Oct 12 (Sat) work.
    pytest.param("2024-09-27", 1, "2024-09-29", False, id="APL85-2024-national-sep29-makeup"),
    pytest.param("2024-09-30", 5, "2024-10-12", False, id="APL85-2024-national-day-5wd"),
    # 2025 Spring Festival: Jan 28–Feb 4 off, Jan 26 (Sun) and Feb 8 (Sat) work.
    pytest.param("2025-01-24", 1, "2025-01-26", False, id="APL85-2025-spring-jan26-makeup"),
    pytest.param("2025-01-24", 3, "2025-02-05", False, id="APL85-2025-spring-festival"),
    pytest.param("2025-02-07", 1, "2025-02-08", False, id="APL85-2025-spring-feb8-makeup"),
    # 2025 National Day + Mid-Autumn: Oct 1–8 off, Sep 28 (Sun) and Oct 11 (Sat) work.
    pytest.param("2025-09-26", 1, "2025-09-28", False, id="APL85-2025-national-sep28-makeup"),
    pytest.param("2025-09-30", 1, "2025-10-09", False, id="APL85-2025-national-day-oct1-8"),
    pytest.param("2025-09-30", 3, "2025-10-11", False, id="APL85-2025-national-oct11-makeup"),
    # n = 0: the start day itself, nothing consulted, never provisional.
    pytest.param("2026-10-01", 0, "2026-10-01", False, id="APL85-n0-start-on-holiday"),
    pytest.param("2027-06-30", 0, "2027-06-30", False, id="APL85-n0-in-provisional-year"),
    # 2026 → 2027: 2027 has no official data → HOL2 fallback, provisional (R10.3).
    pytest.param("2026-12-30", 1, "2026-12-31", False, id="APL85-2026-12-30-plus1-stays-2026"),
    pytest.param("2026-12-31", 1, "2027-01-04", True, id="APL85-HOL2-crosses-into-2027"),
    pytest.param("2026-12-30", 2, "2027-01-04", True, id="APL85-HOL2-2026-12-30-plus2"),
    pytest.param("2026-12-25", 7, "2027-01-06", True, id="APL85-HOL2-2026-12-25-plus7"),
    pytest.param("2027-04-30", 1, "2027-05-03", True, id="APL85-HOL2-2027-labour-day"),
    pytest.param("2027-09-30", 1, "2027-10-04", True, id="APL85-HOL2-2027-national-day"),
    pytest.param("2099-09-30", 1, "2099-10-05", True, id="APL85-HOL2-2099-national-day"),
    pytest.param("2099-04-30", 1, "2099-05-04", True, id="APL85-HOL2-2099-labour-day"),
    # Edges of the representable range (year 1 and 9999).
    pytest.param("0001-01-01", 1, "0001-01-02", True, id="APL85-HOL2-year-1"),
    pytest.param(
        "2003-12-31", 1, "2004-01-02", False, id="APL85-before-package-start-not-consulted"
    ),
    pytest.param("9999-12-30", 1, "9999-12-31", True, id="APL85-HOL2-year-9999-last-day"),
]


@pytest.mark.parametrize(("start", "n", "expected", "provisional"), ADD_WORKING_DAYS)
def test_add_working_days(start, n, expected, provisional):
    """行政处罚法 第85条: counted in working days, start day excluded."""
    result = add_working_days(D(start), n, CAL)
    assert result == DateResult(
        D(expected), provisional, tuple(sorted({D(expected).year})) if provisional else ()
    )
    if n and _inside_package(D(start) + dt.timedelta(days=1), D(expected)):
        assert _oracle_add_working_days(D(start), n) == D(expected)


def test_add_working_days_crossing_two_provisional_years_lists_both():
    result = add_working_days(D("2027-12-30"), 3, CAL)
    assert result == DateResult(D("2028-01-04"), True, (2027, 2028))


@pytest.mark.parametrize(
    ("start", "n"),
    [
        pytest.param("9999-12-31", 1, id="APL85-clamp-after-last-day"),
        pytest.param("9999-12-30", 2, id="APL85-clamp-runs-off-the-end"),
        pytest.param("2026-01-01", 10**12, id="APL85-clamp-huge-n-fast"),
    ],
)
def test_add_working_days_clamps_at_year_9999(start, n):
    result = add_working_days(D(start), n, CAL)
    assert (result.date, result.clamped, result.provisional) == (dt.date.max, True, True)


# --- 民法典 第201、203条: calendar-day periods ----------------------------------------------
ADD_CALENDAR_DAYS = [
    pytest.param("2026-03-02", 15, "2026-03-17", False, id="CC201-start-day-not-counted"),
    pytest.param("2026-03-06", 15, "2026-03-23", False, id="CC203-last-day-saturday-to-monday"),
    pytest.param("2026-09-16", 15, "2026-10-08", False, id="CC203-2026-national-day-to-oct8"),
    pytest.param("2026-09-25", 15, "2026-10-10", False, id="CC203-R10.4-2026-makeup-saturday-ends"),
    pytest.param("2026-06-05", 15, "2026-06-22", False, id="CC203-2026-dragon-boat"),
    pytest.param("2026-02-01", 15, "2026-02-24", False, id="CC203-2026-spring-festival"),
    pytest.param("2024-02-01", 15, "2024-02-18", False, id="CC203-2024-spring-to-feb18-makeup"),
    pytest.param("2024-09-20", 15, "2024-10-08", False, id="CC203-2024-national-day"),
    pytest.param("2025-01-13", 15, "2025-02-05", False, id="CC203-2025-spring-festival"),
    pytest.param("2025-09-23", 15, "2025-10-09", False, id="CC203-2025-national-day-oct8"),
    pytest.param("2026-10-01", 0, "2026-10-01", False, id="CC201-n0-start-itself"),
    # Only the last day (and the days it moves over) is consulted.
    pytest.param("2026-12-01", 15, "2026-12-16", False, id="CC201-last-day-in-official-year"),
    pytest.param("2026-12-17", 15, "2027-01-04", True, id="CC203-HOL2-2027-new-year"),
    pytest.param("2026-12-20", 15, "2027-01-04", True, id="CC201-HOL2-last-day-in-2027"),
    pytest.param("2026-10-01", 90, "2026-12-30", False, id="CC201-90-days-decision-limit"),
    pytest.param("2099-09-16", 15, "2099-10-05", True, id="CC203-HOL2-2099-national-day"),
    pytest.param("9999-12-20", 11, "9999-12-31", True, id="CC201-HOL2-year-9999-last-day"),
    pytest.param("9999-12-24", 1, "9999-12-27", True, id="CC203-HOL2-year-9999-weekend"),
]


@pytest.mark.parametrize(("start", "n", "expected", "provisional"), ADD_CALENDAR_DAYS)
def test_add_calendar_days(start, n, expected, provisional):
    """《民法典》第201条 (start day not counted), 第203条 (holiday end → next working day)."""
    result = add_calendar_days(D(start), n, CAL)
    assert (result.date, result.provisional, result.clamped) == (D(expected), provisional, False)
    if n and _inside_package(D(start) + dt.timedelta(days=n), D(expected)):
        assert _oracle_add_calendar_days(D(start), n) == D(expected)


@pytest.mark.parametrize(
    ("start", "n"),
    [
        pytest.param("9999-12-20", 12, id="CC201-clamp-past-last-day"),
        pytest.param("0001-01-01", 4_000_000, id="CC201-clamp-huge-n"),
    ],
)
def test_add_calendar_days_clamps_at_year_9999(start, n):
    result = add_calendar_days(D(start), n, CAL)
    assert (result.date, result.clamped, result.provisional) == (dt.date.max, True, True)


# --- Working days in (a, b] -----------------------------------------------------------------
WORKING_DAYS_BETWEEN = [
    pytest.param("2026-09-30", "2026-10-15", 7, False, id="APL85-2026-national-day-count"),
    pytest.param("2026-10-15", "2026-09-30", -7, False, id="APL85-reversed-is-negative"),
    pytest.param("2026-10-01", "2026-10-01", 0, False, id="APL85-same-day-zero"),
    pytest.param("2027-03-01", "2027-03-01", 0, False, id="APL85-same-day-zero-provisional-year"),
    pytest.param("2024-02-09", "2024-02-18", 1, False, id="APL85-2024-spring-only-feb18"),
    pytest.param("2025-09-30", "2025-10-11", 3, False, id="APL85-2025-national-oct9-10-11"),
    pytest.param("2026-02-13", "2026-02-28", 6, False, id="APL85-2026-spring-feb14-and-24-to-28"),
    pytest.param("2026-12-30", "2027-01-04", 2, True, id="APL85-HOL2-count-into-2027"),
    pytest.param("9999-12-24", "9999-12-31", 5, True, id="APL85-HOL2-last-week-of-9999"),
]


@pytest.mark.parametrize(("a", "b", "count", "provisional"), WORKING_DAYS_BETWEEN)
def test_working_days_between(a, b, count, provisional):
    """Working days in (a, b]: a excluded, b included (matches add_working_days)."""
    result = working_days_between(D(a), D(b), CAL)
    assert (result.count, result.provisional) == (count, provisional)
    assert isinstance(result, CountResult)


# --- Single days ----------------------------------------------------------------------------
IS_WORKING_DAY = [
    pytest.param(
        "2026-10-10", True, False, ADJUSTED_WORKDAY, "国庆节", id="R10.4-2026-oct10-makeup"
    ),
    pytest.param(
        "2026-09-20", True, False, ADJUSTED_WORKDAY, "国庆节", id="R10.4-2026-sep20-makeup"
    ),
    pytest.param("2026-10-07", False, False, HOLIDAY, "国庆节", id="R10.2-2026-oct7-off"),
    pytest.param("2026-10-08", True, False, WEEKDAY, "", id="R10.2-2026-oct8-back"),
    pytest.param("2026-02-23", False, False, HOLIDAY, "春节", id="R10.2-2026-spring-feb23-off"),
    pytest.param("2026-10-11", False, False, REST_DAY, "", id="R10.2-2026-oct11-sunday"),
    pytest.param("2024-02-04", True, False, ADJUSTED_WORKDAY, "春节", id="R10.4-2024-feb4-makeup"),
    pytest.param(
        "2024-10-12", True, False, ADJUSTED_WORKDAY, "国庆节", id="R10.4-2024-oct12-makeup"
    ),
    pytest.param("2025-10-08", False, False, HOLIDAY, "国庆节", id="R10.2-2025-oct8-off"),
    pytest.param("2025-10-06", False, False, HOLIDAY, "中秋节", id="R10.2-2025-oct6-mid-autumn"),
    pytest.param("2025-02-08", True, False, ADJUSTED_WORKDAY, "春节", id="R10.4-2025-feb8-makeup"),
    pytest.param("2027-01-01", False, True, FIXED_HOLIDAY, "元旦", id="HOL2-2027-new-year"),
    pytest.param("2027-05-02", False, True, FIXED_HOLIDAY, "劳动节", id="HOL2-2027-may2-on-sunday"),
    pytest.param("2027-05-03", True, True, WEEKDAY, "", id="HOL2-2027-may3-not-fixed"),
    pytest.param("2027-10-01", False, True, FIXED_HOLIDAY, "国庆节", id="HOL2-2027-oct1"),
    pytest.param("2027-10-04", True, True, WEEKDAY, "", id="HOL2-2027-oct4-working"),
    pytest.param("2027-02-08", True, True, WEEKDAY, "", id="HOL2-2027-lunar-unknown-provisional"),
    pytest.param("2099-10-01", False, True, FIXED_HOLIDAY, "国庆节", id="HOL2-2099-oct1"),
    pytest.param("9999-12-31", True, True, WEEKDAY, "", id="HOL2-9999-12-31-friday"),
    pytest.param("0001-01-01", False, True, FIXED_HOLIDAY, "元旦", id="HOL2-0001-01-01"),
]


@pytest.mark.parametrize(("day", "working", "provisional", "reason", "name"), IS_WORKING_DAY)
def test_is_working_day(day, working, provisional, reason, name):
    status = is_working_day(D(day), CAL)
    assert (status.working, status.provisional, status.reason, status.name) == (
        working,
        provisional,
        reason,
        name,
    )
    assert bool(status) is working
    if D(day).year in OFFICIAL:
        assert chinese_calendar.is_workday(D(day)) is working


# --- Sources ------------------------------------------------------------------------------
def test_hol_fixed_date_holidays_are_data_with_citation():
    """HOL 第2条 (2024 revision): 元旦 Jan 1; 劳动节 May 1–2; 国庆节 Oct 1–3."""
    assert [(h.month, h.day, h.name) for h in HOL_FIXED_DATE_HOLIDAYS] == [
        (1, 1, "元旦"),
        (5, 1, "劳动节"),
        (5, 2, "劳动节"),
        (10, 1, "国庆节"),
        (10, 2, "国庆节"),
        (10, 3, "国庆节"),
    ]
    assert "全国年节及纪念日放假办法" in HOL_CITATION and "第二条" in HOL_CITATION


def test_sources_satisfy_the_protocol():
    for source in (CAL, WeekendsOnly(), fallback_calendar()):
        assert isinstance(source, CalendarSource)


def test_weekends_only_test_double():
    """STYLE.md example: 2026-11-20 (Fri) + 7 working days on weekends only = 2026-12-01."""
    assert add_working_days(D("2026-11-20"), 7, WeekendsOnly()) == DateResult(
        D("2026-12-01"), False
    )
    provisional = add_working_days(D("2026-11-20"), 7, WeekendsOnly(provisional=True))
    assert provisional == DateResult(D("2026-12-01"), True, (2026,))
    assert add_working_days(D("2026-09-30"), 1, WeekendsOnly()).date == D("2026-10-01")


def test_fallback_calendar_is_provisional_everywhere():
    result = add_working_days(D("2026-09-30"), 1, fallback_calendar())
    assert result == DateResult(D("2026-10-05"), True, (2026,))


def test_explicit_rows_apply_in_a_provisional_year():
    """R10.3: draft rows of a year without official data are used, the result stays 暂定."""
    cal = ExplicitCalendar(
        holidays={D("2027-01-04"): "元旦"}, workdays={D("2027-01-09"): "元旦"}, official_years=()
    )
    assert add_working_days(D("2026-12-31"), 1, cal) == DateResult(D("2027-01-05"), True, (2027,))
    assert is_working_day(D("2027-01-09"), cal).working is True
    official = ExplicitCalendar(
        holidays={D("2027-01-01"): "元旦", D("2027-01-04"): "元旦"}, official_years=[2027]
    )
    assert add_working_days(D("2026-12-31"), 1, official) == DateResult(D("2027-01-05"), False)


def test_official_year_ignores_the_fallback_list():
    """An official year is exactly its listed rows: Jan 1 not listed → a working Friday."""
    cal = ExplicitCalendar(holidays=[D("2027-01-04")], official_years=[2027])
    assert add_working_days(D("2026-12-31"), 1, cal) == DateResult(D("2027-01-01"), False)


def test_explicit_calendar_rejects_a_day_both_holiday_and_workday():
    with pytest.raises(ValueError, match="2026-10-10"):
        ExplicitCalendar(holidays=[D("2026-10-10")], workdays=[D("2026-10-10")])


# --- Bad input -------------------------------------------------------------------------------
@pytest.mark.parametrize("func", [add_working_days, add_calendar_days])
def test_negative_n_is_refused(func):
    with pytest.raises(ValueError, match="zero or positive"):
        func(D("2026-10-01"), -1, CAL)


@pytest.mark.parametrize("func", [add_working_days, add_calendar_days])
@pytest.mark.parametrize("bad", [1.5, "3", True, None])
def test_n_must_be_an_int(func, bad):
    with pytest.raises(TypeError):
        func(D("2026-10-01"), bad, CAL)


def test_dates_must_be_dates_and_datetimes_are_truncated():
    with pytest.raises(TypeError):
        add_working_days("2026-09-30", 7, CAL)
    when = dt.datetime(2026, 9, 30, 23, 59)
    assert add_working_days(when, 7, CAL).date == D("2026-10-15")
    assert working_days_between(when, dt.datetime(2026, 10, 15), CAL).count == 7


def test_rules_and_seed_import_no_django():
    """STYLE.md §4.3: `rules/` is pure."""
    code = (
        "import sys, sanxiang.calendar.rules.workdays, sanxiang.calendar.seed; "
        "assert not [m for m in sys.modules if m.split('.')[0] == 'django'], 'django imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
