"""Browser: the portal statistics (统计), open data (开放数据) and home pages in Chromium at 375 px —
charts drawn inside their containers under the site's CSP, nothing overflows horizontally, and
axe-core finds no serious or critical WCAG 2 A/AA violation."""

from __future__ import annotations

from pathlib import Path

import pytest

from sanxiang.disclosure.tests import conftest as disclosure_fixtures
from sanxiang.disclosure.tests.helpers import person_party, published
from tests.browser.conftest import assert_fits_width

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
CHARTS = ("months-decisions", "months-fines", "districts-decisions", "districts-fines", "penalty-types")

people = disclosure_fixtures.people
_fresh_cache = disclosure_fixtures._fresh_cache


@pytest.fixture
def decisions(people):
    return [
        published(people, title="上海某某化工有限公司超标排放大气污染物案", fine="20000.00", types=("fine",)),
        published(people, title="个人违法排放案", fine="3000.00", types=("fine", "warning"),
                  parties=[person_party()]),
    ]


@pytest.fixture
def axe_page(chromium):
    """A 375 px page that may inject axe-core (CSP bypassed for the injected script only)."""
    context = chromium.new_context(viewport={"width": 375, "height": 740}, locale="zh-CN", bypass_csp=True)
    page = context.new_page()
    yield page
    context.close()


def serious_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}})")
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


def test_stats_page_draws_charts_at_phone_width(live_server, phone, decisions):
    csp_errors: list[str] = []
    phone.on("console", lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None)
    phone.goto(f"{live_server.url}/gongshi/stats/")
    for name in CHARTS:
        container = phone.locator(f'.chart[data-chart="{name}"]')
        container.locator("canvas, svg").first.wait_for(state="attached", timeout=10_000)
        box = container.bounding_box()
        assert box and box["width"] <= 375 and box["height"] > 100, (name, box)
    assert phone.locator("#table-months tbody tr").count() == 24
    assert phone.locator("#table-districts").get_by_text("上海市浦东新区生态环境局").is_visible()
    assert_fits_width(phone)
    assert csp_errors == []


def test_stats_data_and_home_pages_pass_axe(live_server, axe_page, decisions):
    for path in ("/gongshi/stats/", "/gongshi/data/", "/gongshi/data/dictionary/", "/gongshi/"):
        axe_page.goto(f"{live_server.url}{path}")
        if path == "/gongshi/stats/":
            axe_page.locator(".chart canvas").first.wait_for(state="attached", timeout=10_000)
        assert_fits_width(axe_page)
        assert serious_violations(axe_page) == [], path


def test_home_links_to_the_latest_decision(live_server, phone, decisions):
    phone.goto(f"{live_server.url}/gongshi/")
    links = phone.locator(".latest-link")
    assert links.count() == 2
    assert links.first.get_attribute("href") == f"/gongshi/decisions/{decisions[-1].public_id}/"
    assert_fits_width(phone)
