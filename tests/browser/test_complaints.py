"""Browser: filing a complaint (投诉举报) on the portal at 375 px in Chromium, reading the tracking
code, and tracking it; axe-core (WCAG 2.1 A/AA) finds no serious or critical violation on the
form (also with errors) and on the status page."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.apps import apps
from django.core.cache import cache

from sanxiang.oversight.models import Complaint
from sanxiang.oversight.seed import load_time_limits
from tests.browser.conftest import assert_fits_width

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE_NUMBER = "13912345678"


def axe_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    return [f"{v['id']} ({v['impact']}): {v['help']} — " + "; ".join(n["target"][0] for n in v["nodes"][:5])
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.fixture
def phone_for_axe(chromium):
    context = chromium.new_context(viewport={"width": 375, "height": 740}, locale="zh-CN", device_scale_factor=2,
                                   is_mobile=True, has_touch=True, bypass_csp=True)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def portal_ready(units):
    load_time_limits(apps)
    cache.clear()
    yield
    cache.clear()


def test_file_and_track_a_complaint_on_a_phone(live_server, phone_for_axe, portal_ready):
    page = phone_for_axe
    page.goto(f"{live_server.url}/gongshi/complaints/new/")
    assert_fits_width(page)
    assert axe_violations(page) == []

    page.locator("#complaint-submit").click()  # empty: errors named per field
    page.wait_for_selector("#complaint-errors")
    assert page.locator("#id_facts[aria-invalid=true]").count() == 1
    assert_fits_width(page)
    assert axe_violations(page) == []

    page.select_option("#id_unit", "pudong")
    page.fill("#id_case_reference", "沪浦环罚〔2026〕12号")
    page.fill("#id_facts", "2026年9月检查时执法人员未出示执法证，要求核查处理。")
    page.fill("#id_name", "欧阳投诉人")
    page.fill("#id_phone", PHONE_NUMBER)
    page.locator("#complaint-submit").click()
    page.wait_for_selector("[data-tracking-code]")
    code = page.locator("[data-tracking-code]").inner_text().strip()
    assert len(code) == 19
    assert PHONE_NUMBER not in page.content() and "欧阳投诉人" not in page.content()
    assert_fits_width(page)
    assert Complaint.objects.get().unit.code == "pudong"

    page.goto(f"{live_server.url}/gongshi/complaints/track/")
    assert axe_violations(page) == []
    page.fill("#id_code", code.lower())
    page.locator("#track-submit").click()
    page.wait_for_selector(".complaint-status")
    assert page.locator(".complaint-status").get_attribute("data-status") == "received"
    assert PHONE_NUMBER not in page.content() and "欧阳投诉人" not in page.content()
    assert_fits_width(page)
    assert axe_violations(page) == []
