"""Browser: the public portal at 375 px in Chromium — decision search, the decision page with its
verification (核验), the officer lookup, and axe-core (WCAG 2.1 A/AA) on each page."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.cache import cache

from sanxiang.disclosure.tests.helpers import published
from tests.browser.conftest import assert_fits_width

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
MIDDLE_OF_FACTS = "排放口颗粒物浓度"  # from the middle of disclosure.tests.helpers.FACTS
CERTIFICATE = "SH3101150009"


def axe_violations(page) -> list[str]:
    """Serious and critical axe-core violations of the page, one line each."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    return [f"{v['id']} ({v['impact']}): {v['help']} — " + "; ".join(n["target"][0] for n in v["nodes"][:5])
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.fixture
def portal_people(make_user):
    cache.clear()
    people = {"off1": make_user("pudong", "officer", certificate=True, full_name="张执法"),
              "off2": make_user("pudong", "officer", certificate=True, full_name="李执法"),
              "chief": make_user("pudong", "agency_head", full_name="王局长"),
              "publisher": make_user("pudong", "publisher", full_name="钱公示")}
    make_user("pudong", full_name="欧阳执法员", certificate=CERTIFICATE)
    yield people
    cache.clear()


def test_search_open_and_verify_a_decision_on_a_phone(live_server, phone, portal_people):
    item = published(portal_people)
    published(portal_people, title="某餐饮店油烟排放案", facts="某餐饮店油烟净化设施未正常运行。")

    phone.goto(f"{live_server.url}/gongshi/")
    phone.locator(".mainnav a[href='/gongshi/decisions/']").click()
    phone.wait_for_url("**/gongshi/decisions/")
    assert_fits_width(phone)
    phone.fill("#id_q", MIDDLE_OF_FACTS)
    phone.locator("#search-submit").click()
    phone.wait_for_url("**/gongshi/decisions/?*")
    results = phone.locator(".decision-hit")
    assert results.count() == 1
    assert "上海某某化工有限公司" in results.first.inner_text()
    assert_fits_width(phone)

    results.first.locator("h3 a").click()
    phone.wait_for_url(f"**/gongshi/decisions/{item.public_id}/")
    panel = phone.locator("#verification")
    assert panel.is_visible()
    assert panel.locator("[data-verified='true']").is_visible()
    assert panel.locator(".check-ok").count() == 3
    assert item.record_sha256 in panel.inner_text()
    assert_fits_width(phone)


def test_search_with_filters_and_a_bad_amount_works_without_javascript(live_server, chromium, portal_people):
    published(portal_people)
    context = chromium.new_context(viewport={"width": 375, "height": 740}, locale="zh-CN", java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/gongshi/decisions/")
        page.locator("details.more-filters > summary").click()
        page.fill("#id_amount_min", "一万")
        page.locator("#search-submit").click()
        page.wait_for_url("**/gongshi/decisions/?*")
        assert page.locator("#search-errors").is_visible()
        assert page.locator("#id_amount_min[aria-invalid='true']").count() == 1
        page.fill("#id_amount_min", "10000")
        page.select_option("#id_unit", "pudong")
        page.locator("#search-submit").click()
        page.wait_for_url("**amount_min=10000**")
        assert page.locator(".decision-hit").count() == 1
        assert_fits_width(page)
    finally:
        context.close()


def test_officer_lookup_from_its_form(live_server, phone, portal_people):
    phone.goto(f"{live_server.url}/gongshi/officers/")
    phone.fill("#cert-number", CERTIFICATE)
    phone.locator("form.search-form button[type=submit]").click()
    phone.wait_for_url(f"**/gongshi/officers/{CERTIFICATE}/")
    assert "欧阳执法员" in phone.locator("main").inner_text()
    assert_fits_width(phone)


@pytest.fixture
def phone_for_axe(chromium):
    """A 375 px page that lets the test inject axe-core (the site's CSP forbids inline scripts)."""
    context = chromium.new_context(viewport={"width": 375, "height": 740}, locale="zh-CN", device_scale_factor=2,
                                   is_mobile=True, has_touch=True, bypass_csp=True)
    page = context.new_page()
    yield page
    context.close()


def test_portal_pages_have_no_serious_accessibility_violations(live_server, phone_for_axe, portal_people):
    phone = phone_for_axe
    item = published(portal_people)
    pages = {
        "home": "/gongshi/",
        "search": f"/gongshi/decisions/?q={MIDDLE_OF_FACTS}",
        "search with an error": "/gongshi/decisions/?amount_min=abc",
        "decision": f"/gongshi/decisions/{item.public_id}/",
        "entity": f"/gongshi/entities/{item.party_code}/",
        "officer": f"/gongshi/officers/{CERTIFICATE}/",
        "officer search": "/gongshi/officers/",
    }
    found = {}
    for name, path in pages.items():
        phone.goto(live_server.url + path)
        if name == "search":
            assert phone.locator(".decision-hit").count() == 1
        violations = axe_violations(phone)
        if violations:
            found[name] = violations
    assert not found, found
