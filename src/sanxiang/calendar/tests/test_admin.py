"""Admin edits (节假日安排管理) go through the services and change the computed results."""

from __future__ import annotations

import datetime as dt

import pytest

from sanxiang.calendar import selectors
from sanxiang.calendar.models import CalendarDay, HolidayYear

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat


def _year_form(year, *, official=False, days=()):
    data = {
        "year": str(year),
        "source": "国务院办公厅通知",
        "notice": "",
        "note": "",
        "days-TOTAL_FORMS": str(len(days)),
        "days-INITIAL_FORMS": "0",
        "days-MIN_NUM_FORMS": "0",
        "days-MAX_NUM_FORMS": "1000",
    }
    if official:
        data["official"] = "on"
    for i, (day, kind, name) in enumerate(days):
        data |= {
            f"days-{i}-date": day,
            f"days-{i}-kind": kind,
            f"days-{i}-name": name,
            f"days-{i}-note": "",
        }
    return data


def test_admin_adds_2027_days_then_marks_the_year_official(admin_client):
    response = admin_client.post(
        "/admin/calendar/holidayyear/add/",
        _year_form(
            2027, days=[("2027-01-01", "holiday", "元旦"), ("2027-01-04", "holiday", "元旦")]
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert set(CalendarDay.objects.filter(year=2027).values_list("source", flat=True)) == {"admin"}
    result = selectors.add_working_days(D("2026-12-31"), 1)
    assert (result.date, result.provisional) == (D("2027-01-05"), True)

    response = admin_client.post(
        "/admin/calendar/holidayyear/",
        {"action": "mark_official", "_selected_action": ["2027"]},
    )
    assert response.status_code == 302
    assert HolidayYear.objects.get(year=2027).official
    result = selectors.add_working_days(D("2026-12-31"), 1)
    assert (result.date, result.provisional) == (D("2027-01-05"), False)


def test_admin_day_add_and_delete(admin_client):
    response = admin_client.post(
        "/admin/calendar/calendarday/add/",
        {"date": "2026-10-14", "kind": "holiday", "name": "测试", "note": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    row = CalendarDay.objects.get(date=D("2026-10-14"))
    assert (row.source, row.year_id) == ("admin", 2026)
    assert selectors.add_working_days(D("2026-09-30"), 7).date == D("2026-10-16")

    response = admin_client.post(f"/admin/calendar/calendarday/{row.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert selectors.add_working_days(D("2026-09-30"), 7).date == D("2026-10-15")


def test_admin_inline_rejects_a_day_of_another_year(admin_client):
    response = admin_client.post(
        "/admin/calendar/holidayyear/add/", _year_form(2028, days=[("2027-05-06", "holiday", "x")])
    )
    assert response.status_code == 200  # form redisplayed with the error
    assert "不属于 2028 年" in response.content.decode()
    assert not HolidayYear.objects.filter(year=2028).exists()


@pytest.mark.parametrize(
    "url",
    [
        "/admin/calendar/holidayyear/",
        "/admin/calendar/holidayyear/?official__exact=1",
        "/admin/calendar/holidayyear/2026/change/",
        "/admin/calendar/calendarday/?kind__exact=workday&year__official__exact=1",
        "/admin/calendar/calendarday/?year__year__exact=2026",
    ],
)
def test_admin_pages_render(admin_client, url):
    assert admin_client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("url", "texts"),
    [
        ("/admin/", ["工作日历", "年度放假安排", "节假日/调休日"]),
        ("/admin/calendar/holidayyear/", ["年度放假安排", "所列日期数", "标记为正式数据"]),
        ("/admin/calendar/holidayyear/2026/change/", ["正式数据", "通知文号", "节日名称"]),
        ("/admin/calendar/calendarday/", ["节假日/调休日", "星期", "调休上班（调整后的工作日）"]),
    ],
)
def test_admin_pages_render_in_chinese(admin_client, url, texts):
    """English msgids, zh_Hans from locale/ (STYLE.md habit 11)."""
    page = admin_client.get(url).content.decode()
    for text in texts:
        assert text in page, text


def test_admin_mark_official_message_in_chinese(admin_client):
    response = admin_client.post(
        "/admin/calendar/holidayyear/",
        {"action": "mark_provisional", "_selected_action": ["2026"]},
        follow=True,
    )
    assert "已将 1 个年度标记为暂定。" in response.content.decode()
    assert not HolidayYear.objects.get(year=2026).official
