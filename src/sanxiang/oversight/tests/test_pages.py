"""Pages: the portal complaint form and status page (CSRF, validation, honeypot, rate limit, no
personal data on any public surface) and the staff pages (scope 404, masking, actions)."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client

from sanxiang.oversight import services
from sanxiang.oversight.models import Complaint
from sanxiang.oversight.tests.conftest import FACTS, PERSON, complaint_input
from sanxiang.records.models import LedgerEntry
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW = "/gongshi/complaints/new/"
TRACK = "/gongshi/complaints/track/"
FORM = {"unit": "pudong", "facts": FACTS, "officer_certificate": "SH3101150009",
        "case_reference": "沪浦环罚〔2026〕12号", "website": "", **PERSON}


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def login(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def text(response) -> str:
    return response.content.decode()


def assert_no_personal_data(body: str) -> None:
    for value in PERSON.values():
        assert value not in body, value


def file_on_portal(client: Client | None = None, **changes) -> tuple[str, object]:
    client = client or Client(enforce_csrf_checks=True)
    page = client.get(NEW)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text(page)).group(1)
    response = client.post(NEW, {**FORM, **changes, "csrfmiddlewaretoken": token})
    return token, response


def test_filing_on_the_portal_returns_a_code_and_no_public_surface_shows_the_complainant(units, people):
    _token, response = file_on_portal()
    assert response.status_code == 201
    code = re.search(r"data-tracking-code>([^<]+)<", text(response)).group(1)
    complaint = Complaint.objects.get()
    assert complaint.unit.code == "pudong" and complaint.complainant.phone == PERSON["phone"]
    assert_no_personal_data(text(response))
    assert response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]

    client = Client(enforce_csrf_checks=True)
    page = client.get(TRACK)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text(page)).group(1)
    tracked = client.post(TRACK, {"code": code.lower(), "csrfmiddlewaretoken": token})
    assert tracked.status_code == 200 and complaint.number in text(tracked)
    body = text(tracked)
    assert_no_personal_data(body)
    assert FACTS not in body

    sup = people["pudong_sup"]
    services.complaint_assign(complaint_id=complaint.pk, actor=sup, handler_id=people["pudong_officer"].pk)
    services.complaint_add_note(complaint_id=complaint.pk, actor=sup, text="内部记录：已联系投诉人")
    services.complaint_reply(complaint_id=complaint.pk, actor=sup, text="经核查，已对相关执法人员批评教育。")
    tracked = client.post(TRACK, {"code": code, "csrfmiddlewaretoken": token})
    body = text(tracked)
    assert "经核查，已对相关执法人员批评教育。" in body and "内部记录" not in body
    assert_no_personal_data(body)

    public = Client()
    for url in ("/gongshi/", "/gongshi/decisions/", "/gongshi/data/decisions.csv", "/gongshi/data/decisions.jsonl",
                "/api/public/v1/decisions", "/api/public/v1/log/head", "/api/public/v1/log/entries?start=0&end=999"):
        r = public.get(url)
        assert_no_personal_data(b"".join(r.streaming_content).decode() if r.streaming else text(r))
    for entry in LedgerEntry.objects.all():
        assert_no_personal_data(entry.body)


def test_the_form_needs_the_csrf_token(units):
    response = Client(enforce_csrf_checks=True).post(NEW, FORM)
    assert response.status_code == 403 and not Complaint.objects.exists()


@pytest.mark.parametrize("changes, field", [
    ({"unit": ""}, "id_unit"),
    ({"facts": ""}, "id_facts"),
    ({"phone": "123"}, "id_phone"),
    ({"id_number": "110105194912310021"}, "id_id_number"),
    ({"name": ""}, "id_name"),
])
def test_bad_input_is_refused_naming_the_field(units, changes, field):
    _token, response = file_on_portal(**changes)
    assert response.status_code == 400 and not Complaint.objects.exists()
    assert f'href="#{field}"' in text(response) and 'aria-invalid="true"' in text(response)


def test_honeypot_stores_nothing(units):
    _token, response = file_on_portal(website="http://spam.example")
    assert response.status_code == 400 and not Complaint.objects.exists()


def test_rate_limit_per_address(units, settings):
    settings.COMPLAINT_RATE_LIMIT = 2
    client = Client(enforce_csrf_checks=True)
    assert file_on_portal(client)[1].status_code == 201
    assert file_on_portal(client)[1].status_code == 201
    assert file_on_portal(client)[1].status_code == 429
    assert Complaint.objects.count() == 2


def test_unknown_code_is_404(units):
    client = Client()
    response = client.post(TRACK, {"code": "2222-3333-4444-5555"})
    assert response.status_code == 404


def test_staff_pages_scope_and_masking(units, people):
    filed = services.complaint_file(data=complaint_input())
    c = filed.complaint
    url = f"/oversight/complaints/{c.pk}/"
    assert login(people["xuhui_sup"]).get(url).status_code == 404
    assert login(people["pudong_head"]).get(url).status_code == 404

    city = login(people["city_sup"]).get(url)
    assert city.status_code == 200 and 'data-masked="true"' in text(city)
    assert_no_personal_data(text(city))
    assert "139****5678" in text(city)

    own = login(people["pudong_sup"])
    page = own.get(url)
    assert 'data-masked="false"' in text(page) and PERSON["phone"] in text(page)
    listing = own.get("/oversight/")
    assert listing.status_code == 200 and c.number in text(listing)
    assert_no_personal_data(text(listing))

    r = own.post(f"{url}assign/", {"handler": people["pudong_officer"].pk})
    assert r.status_code == 302
    r = own.post(f"{url}reply/", {"text": ""})
    assert r.status_code == 400
    r = own.post(f"{url}reply/", {"text": "已答复。"})
    assert r.status_code == 302
    assert own.post(f"{url}close/", {}).status_code == 302
    c.refresh_from_db()
    assert c.status == "closed"
    handler_page = login(people["pudong_officer"]).get(url)
    assert PERSON["phone"] in text(handler_page)


def test_staff_entry_and_notice_pages(units, people):
    city = login(people["city_sup"])
    r = city.post("/oversight/complaints/new/", {
        "channel": "phone", "received_on": "2026-09-30", "unit": "xuhui", "facts": FACTS, "name": "李四",
        "phone": "021-12345678"})
    assert r.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.channel == "phone" and complaint.unit.code == "xuhui"
    assert login(people["pudong_head"]).get("/oversight/complaints/new/").status_code == 404

    r = city.post("/oversight/notices/new/", {
        "title": "执法案卷评查通报", "findings": "案卷不完整。", "required_rectification": "限期补正。",
        "due_on": "2099-01-31", "units": ["pudong"]})
    assert r.status_code == 302
    notice_url = r["Location"]
    head = login(people["pudong_head"])
    assert "执法案卷评查通报" in text(head.get("/oversight/"))
    assert head.post(notice_url.rstrip("/") + "/pudong/report/", {"report": "已补正。"}).status_code == 302
    assert login(people["xuhui_head"]).get(notice_url).status_code == 404
    bad = city.post(notice_url.rstrip("/") + "/pudong/review/", {"verdict": "return", "comment": ""})
    assert bad.status_code == 400
    ok = city.post(notice_url.rstrip("/") + "/pudong/review/", {"verdict": "accept", "comment": ""})
    assert ok.status_code == 302
    assert 'data-status="accepted"' in text(city.get(notice_url))
