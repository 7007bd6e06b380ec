"""Browser: the public pre-disclosure pages (事前公开) at 375 px in Chromium — nothing overflows
horizontally, long legal texts and lists wrap."""

import pytest

from sanxiang.catalog import services_predisclosure as services
from tests.browser.conftest import assert_fits_width

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_predisclosure_pages_fit_a_phone(live_server, phone, make_user):
    publisher = make_user("pudong", "publisher")
    make_user("pudong", full_name="欧阳执法员", certificate="SH3101150009")
    doc = services.predisclosure_draft_save(
        actor=publisher, category="organisation", slug="pudong-duties", unit_code="pudong",
        title="上海市浦东新区生态环境局机构设置、工作职责和执法人员信息（一个很长的标题用来检验换行）",
        body="## 职责\n- " + "依法对排污单位实施监督检查" * 12 + "\n1. 立案\n2. 调查取证\n\n"
             + "https://example.invalid/" + "a" * 120 + "\n<script>window.bad = 1</script>",
        change_note="首次公开",
    )
    services.predisclosure_publish(actor=publisher, document_id=doc.pk)

    phone.goto(f"{live_server.url}/gongshi/pre/")
    assert phone.get_by_role("heading", level=1).inner_text().startswith("事前公开")
    assert phone.locator(".pd-category").count() == 7
    assert_fits_width(phone)

    phone.get_by_role("link", name="机构设置、工作职责和执法人员").first.click()
    phone.wait_for_url("**/gongshi/pre/organisation/")
    assert phone.get_by_text("欧阳执法员").is_visible()
    assert phone.evaluate("window.bad") is None  # the body's <script> is text
    assert phone.get_by_text("<script>window.bad = 1</script>").is_visible()
    assert_fits_width(phone)

    phone.locator("#doc-pudong-duties").get_by_role("link", name="修改记录").click()
    phone.wait_for_url("**/gongshi/pre/organisation/pudong-duties/history/")
    assert phone.get_by_text("首次公开").first.is_visible()
    assert_fits_width(phone)

    for category in ("matter_catalog", "power_list", "procedures"):
        phone.goto(f"{live_server.url}/gongshi/pre/{category}/")
        if category != "procedures":
            phone.locator("details.pd-matter").first.evaluate("d => d.open = true")
        assert_fits_width(phone)
    assert phone.get_by_role("heading", name="法定期限", exact=True).is_visible()
