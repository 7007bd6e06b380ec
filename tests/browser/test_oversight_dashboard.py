"""Browser: a city supervisor opens the assessment dashboard at 375 px, selects a district's bar
in the comparison chart and lands on the list of the cases behind it."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from sanxiang.cases.tests.helpers import file_case
from sanxiang.disclosure.tests.helpers import decide_case
from tests.browser.conftest import assert_fits_width
from tests.browser.test_case_flow import Staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BAR_CENTRE = """(code) => {
  const el = document.getElementById("chart-units");
  const chart = echarts.getInstanceByDom(el);
  const data = JSON.parse(document.getElementById("dashboard-data").textContent);
  const index = data.groups.findIndex((g) => g.code === code);
  const end = chart.convertToPixel({seriesIndex: 0}, [data.groups[index].value, index]);
  const start = chart.convertToPixel({seriesIndex: 0}, [0, index]);
  const box = el.getBoundingClientRect();
  return {x: box.left + (start[0] + end[0]) / 2, y: box.top + end[1], url: data.groups[index].url};
}"""


def test_supervisor_drills_down_from_a_bar(live_server, chromium, make_user):
    cache.clear()
    people = {"off1": make_user("pudong", "officer", certificate=True, full_name="张执法"),
              "off2": make_user("pudong", "officer", certificate=True, full_name="李执法"),
              "chief": make_user("pudong", "agency_head", full_name="王局长")}
    pudong_case, _decision = decide_case(people)
    huangpu_case = file_case(make_user("huangpu", "officer", certificate=True))
    make_user("city", "supervisor", username="sun", full_name="孙监督")

    staff = Staff(chromium, live_server.url, "sun")
    page = staff.page
    page.goto(f"{live_server.url}/oversight/")
    page.locator("a[data-link='oversight-dashboard']").click()
    page.wait_for_url("**/oversight/dashboard/")
    assert_fits_width(page)
    page.locator("a[data-metric-link='cases']").click()
    page.wait_for_selector("#chart-units[data-ready='1']")
    assert_fits_width(page)
    assert page.locator("#headline li[data-metric='cases'] .dash-value").inner_text() == "2"

    page.locator("#chart-units").scroll_into_view_if_needed()
    bar = page.evaluate(BAR_CENTRE, "pudong")
    page.mouse.click(bar["x"], bar["y"])
    page.wait_for_url("**/oversight/dashboard/cases/**")
    assert page.url.endswith(bar["url"])
    assert "metric=cases" in page.url and "unit=pudong" in page.url
    assert page.locator("#drill-scope").get_attribute("data-unit") == "pudong"
    rows = page.locator("#drill-cases tbody tr[data-case]")
    assert rows.count() == 1
    assert rows.first.get_attribute("data-case") == str(pudong_case.pk)
    assert str(huangpu_case.number) not in page.locator("main").inner_text()
    assert_fits_width(page)
    rows.first.locator("a").click()
    page.wait_for_url(f"**/cases/{pudong_case.pk}/")
    staff.close()
