"""Browser: a publisher opens the queue, an item, sees the marks, publishes, withdraws — at 375 px."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from sanxiang.disclosure.models import PublicationItem
from sanxiang.disclosure.tests.helpers import WITNESS_PHONE, decide_case, item_of
from tests.browser.conftest import assert_fits_width
from tests.browser.test_case_flow import Staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_publisher_publishes_and_withdraws_on_a_phone(live_server, chromium, make_user):
    cache.clear()
    people = {"off1": make_user("pudong", "officer", certificate=True, full_name="张执法"),
              "off2": make_user("pudong", "officer", certificate=True, full_name="李执法"),
              "chief": make_user("pudong", "agency_head", full_name="王局长")}
    make_user("pudong", "publisher", username="qian", full_name="钱公示")
    case, _decision = decide_case(people)
    item = item_of(case)

    publisher = Staff(chromium, live_server.url, "qian")
    page = publisher.page
    page.locator("#to-publish a.todo-what").first.click()  # the workbench's 待公示
    page.wait_for_url(f"**/publicity/{item.pk}/")
    page.goto(f"{live_server.url}/publicity/")
    assert_fits_width(page)
    page.locator(f"li[data-item='{item.pk}'] a.todo-what").click()
    page.wait_for_url(f"**/publicity/{item.pk}/")
    assert_fits_width(page)
    marks = page.locator("#preview mark.redaction")
    assert marks.count() >= 2
    phone = page.locator("#preview mark[data-category='phone']", has_text=WITNESS_PHONE).first
    assert phone.get_attribute("title")
    assert phone.locator(".mark-label").inner_text().startswith("[")

    page.locator("form[data-form='publish'] button[type=submit]").click()
    page.wait_for_url(f"**/publicity/{item.pk}/")
    assert page.locator(".messages").count() == 1
    item.refresh_from_db()
    assert item.state == "published"
    assert page.locator("a[data-public-link]").get_attribute("href") == f"/api/public/v1/decisions/{item.public_id}"
    assert_fits_width(page)

    page.locator("form[data-form='withdraw'] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#withdraw .field-error").count() == 1
    item.refresh_from_db()
    assert item.state == "published"
    page.fill("form[data-form='withdraw'] textarea[name=reason]", "该行政处罚决定已被依法撤销")
    page.locator("form[data-form='withdraw'] button[type=submit]").click()
    page.wait_for_url(f"**/publicity/{item.pk}/")
    assert PublicationItem.objects.get(pk=item.pk).state == "withdrawn"
    assert "该行政处罚决定已被依法撤销" in page.locator("main").inner_text()
    assert_fits_width(page)
    publisher.errors = [e for e in publisher.errors if "400" not in e]  # the refused empty reason
    publisher.close()
