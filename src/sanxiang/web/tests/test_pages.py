"""Staff pages: login, lockout message, workbench, navigation, escaping, security headers."""

import pytest
from django.test import override_settings

from tests.factories import PASSWORD


def test_login_page_is_chinese_by_default(client, db):
    response = client.get("/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="zh-CN"' in html
    assert "登录" in html


def test_login_page_in_english_on_request(client, db):
    response = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Staff login" in response.content.decode()


def test_language_switch_sets_english(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert "Staff login" in client.get("/login/").content.decode()


def test_workbench_requires_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_login_logout_roundtrip(client, make_user):
    make_user(username="wang", certificate="SH3101150888")
    response = client.post("/login/", {"username": "wang", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    page = client.get("/").content.decode()
    assert "SH3101150888" in page and "工作台" in page
    for module in ("案件", "法制审核", "公示", "执法记录", "监督考核"):
        assert module in page
    client.post("/logout/")
    assert client.get("/").status_code == 302


@override_settings(LOCKOUT_ATTEMPTS=3)
def test_lockout_is_explained_on_the_login_page(client, make_user):
    make_user(username="zhao")
    for _ in range(3):
        response = client.post("/login/", {"username": "zhao", "password": "nope"})
    html = response.content.decode()
    assert "锁定" in html
    response = client.post("/login/", {"username": "zhao", "password": PASSWORD})
    assert response.status_code == 200 and "锁定" in response.content.decode()


def test_password_change(client, make_user):
    user = make_user(username="qian")
    client.force_login(user)
    response = client.post("/password/", {"old_password": PASSWORD, "new_password1": "Another-Secret-42",
                                          "new_password2": "Another-Secret-42"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Another-Secret-42")


def test_user_text_is_escaped(client, make_user):
    user = make_user(full_name='<script>alert("x")</script>')
    client.force_login(user)
    html = client.get("/").content.decode()
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;" in html


def test_admin_link_only_for_admins(client, make_user):
    officer = make_user()
    client.force_login(officer)
    assert "/admin/" not in client.get("/").content.decode()
    client.force_login(make_user("city", "admin"))
    assert "/admin/" in client.get("/").content.decode()


def test_security_headers(client, db):
    response = client.get("/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("path", ["/", "/gongshi/", "/login/"])
def test_pages_declare_mobile_viewport(client, make_user, path):
    client.force_login(make_user())
    assert 'name="viewport" content="width=device-width' in client.get(path, follow=True).content.decode()


def test_unknown_page_is_a_404_page(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
