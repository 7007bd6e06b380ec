"""Browser: staff login and workbench, portal officer verification — at 375 px in Chromium."""

import pytest

from tests.browser.conftest import assert_fits_width
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_and_workbench_on_a_phone(live_server, phone, make_user):
    make_user("pudong", "officer", "unit_head", username="han", full_name="韩科长", certificate="SH3101150001")
    phone.goto(f"{live_server.url}/")
    assert "/login/" in phone.url
    assert_fits_width(phone)
    phone.get_by_label("用户名").fill("han")
    phone.get_by_label("密码").fill(PASSWORD)
    phone.get_by_role("button", name="登录").click()
    phone.wait_for_url(f"{live_server.url}/")
    assert phone.get_by_role("heading", name="工作台").is_visible()
    assert phone.get_by_text("SH3101150001").is_visible()
    assert_fits_width(phone)
    phone.get_by_role("button", name="退出登录").click()
    phone.wait_for_url("**/login/")


def test_wrong_password_is_shown_in_chinese(live_server, phone, make_user):
    make_user(username="li")
    phone.goto(f"{live_server.url}/login/")
    phone.get_by_label("用户名").fill("li")
    phone.get_by_label("密码").fill("wrong-password")
    phone.get_by_role("button", name="登录").click()
    assert phone.get_by_role("alert").inner_text().startswith("用户名或密码错误")


def test_portal_officer_verification_on_a_phone(live_server, phone, make_user):
    make_user("huangpu", username="sun", full_name="孙执法", certificate="SH3101010002")
    phone.goto(f"{live_server.url}/gongshi/")
    assert_fits_width(phone)
    phone.get_by_label("执法证编号").fill("SH3101010002")
    phone.get_by_role("button", name="核验").click()
    phone.wait_for_url("**/gongshi/officers/SH3101010002/")
    card = phone.locator(".officer-card")
    assert "孙执法" in card.inner_text()
    assert "上海市黄浦区生态环境局" in card.inner_text()
    assert "有效" in card.inner_text()
    assert_fits_width(phone)


def test_no_console_errors_or_csp_violations(live_server, phone, db):
    errors = []
    phone.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    phone.goto(f"{live_server.url}/gongshi/")
    phone.goto(f"{live_server.url}/login/")
    assert phone.evaluate("typeof htmx") == "object"
    assert errors == []
