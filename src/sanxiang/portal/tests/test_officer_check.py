"""Public portal: officer verification (执法证查询) needs no login and shows only public data."""

import datetime as dt

import pytest

from sanxiang.accounts import services


@pytest.fixture
def officer(make_user):
    return make_user("huangpu", full_name="孙执法", certificate="SH3101010777")


def test_portal_home_needs_no_login(client, db):
    response = client.get("/gongshi/")
    assert response.status_code == 200
    assert "执法证" in response.content.decode()


def test_search_by_certificate_number_shows_the_officer(client, officer):
    response = client.get("/gongshi/officers/", {"number": " sh3101010777 "}, follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert "孙执法" in html and "上海市黄浦区生态环境局" in html and "2030-12-31" in html
    assert "有效" in html
    assert officer.username not in html


def test_unknown_number_says_so(client, db):
    response = client.get("/gongshi/officers/NOSUCH0001/")
    assert response.status_code == 404
    assert "NOSUCH0001" in response.content.decode()


def test_revoked_and_expired_certificates_are_flagged(client, make_user):
    revoked = make_user(certificate="SH0000000111").officer
    services.officer_set_status(officer=revoked, status="revoked")
    make_user(certificate="SH0000000222", valid_until=dt.date(2020, 1, 1))
    assert "已注销" in client.get("/gongshi/officers/SH0000000111/").content.decode()
    assert "已过期" in client.get("/gongshi/officers/SH0000000222/").content.decode()


def test_number_in_the_page_is_escaped(client, db):
    html = client.get("/gongshi/officers/%3Cb%3Ex%3C%2Fb%3E/").content.decode()
    assert "<b>x</b>" not in html
