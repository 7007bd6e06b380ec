"""Staff and public API: auth, error bodies, scope, identifiers (API.md, DESIGN.md "HTTP")."""

import json

import pytest

from sanxiang.accounts import services


@pytest.fixture
def officer(make_user):
    return make_user("pudong", "officer", certificate="SH3101150777", full_name="张三")


def bearer(user):
    _token, raw = services.token_create(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def assert_error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]


def test_me_with_bearer_token(client, officer):
    response = client.get("/api/v1/me", **bearer(officer))
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == officer.username
    assert body["roles"] == ["officer"]
    assert body["unit"] == "pudong"
    assert body["officer"] == {"id": str(officer.officer.pk), "certificate_number": "SH3101150777"}
    assert isinstance(body["id"], str)


def test_me_with_session(client, officer):
    client.force_login(officer)
    assert client.get("/api/v1/me").json()["username"] == officer.username


@pytest.mark.parametrize("headers", [
    pytest.param({}, id="no-token"),
    pytest.param({"HTTP_AUTHORIZATION": "Bearer sx_nope_nope"}, id="unknown-token"),
    pytest.param({"HTTP_AUTHORIZATION": "Basic dXNlcjpwYXNz"}, id="wrong-scheme"),
])
def test_without_valid_token_is_401_with_error_body(client, db, headers):
    response = client.get("/api/v1/me", **headers)
    assert_error(response, 401, "not_authenticated")
    assert "Bearer" in response["WWW-Authenticate"]


def test_officers_are_scoped_to_the_callers_unit(client, officer, make_user):
    make_user("huangpu", certificate=True)
    response = client.get("/api/v1/officers", **bearer(officer))
    assert response.status_code == 200
    body = response.json()
    assert [o["unit"] for o in body["items"]] == ["pudong"]
    assert body["total"] == 1 and body["page"] == 1
    assert body["items"][0] == {
        "id": str(officer.officer.pk), "name": "张三", "certificate_number": "SH3101150777",
        "unit": "pudong", "unit_name": "上海市浦东新区生态环境局", "valid_until": "2030-12-31",
        "status": "active",
    }


def test_another_units_objects_are_404(client, officer):
    assert_error(client.get("/api/v1/officers?unit=huangpu", **bearer(officer)), 404, "unit_not_found")


def test_city_supervisor_lists_every_unit(client, officer, make_user):
    make_user("huangpu", certificate=True)
    supervisor = make_user("city", "supervisor")
    body = client.get("/api/v1/officers?unit=huangpu", **bearer(supervisor)).json()
    assert [o["unit"] for o in body["items"]] == ["huangpu"]
    assert client.get("/api/v1/officers", **bearer(supervisor)).json()["total"] == 2


@pytest.mark.parametrize("query, field", [
    pytest.param("page=0", "page", id="page-from-1"),
    pytest.param("page_size=101", "page_size", id="page-size-max-100"),
    pytest.param("page=abc", "page", id="page-not-a-number"),
])
def test_bad_paging_is_400_naming_the_field(client, officer, query, field):
    error = assert_error(client.get(f"/api/v1/officers?{query}", **bearer(officer)), 400,
                         "invalid_page" if field == "page" and query == "page=0" else
                         "invalid_page_size" if field == "page_size" else "invalid_input")
    assert error["details"]["field"] == field


def post_parties(client, user, parties, **extra):
    return client.post("/api/v1/parties/check", json.dumps({"parties": parties, **extra}),
                       content_type="application/json", **bearer(user))


ORG = {"type": "organization", "name": "上海某某化工有限公司", "uscc": "91310000717854505W"}
PERSON = {"type": "person", "name": "李四", "id_number": "11010519491231002X"}


def test_valid_parties_are_normalized(client, officer):
    org = {**ORG, "uscc": "９１３１００００７１７８５４５０５ｗ"}
    person = {**PERSON, "id_number": "11010519491231002x"}
    response = post_parties(client, officer, [org, person])
    assert response.status_code == 200
    parties = response.json()["parties"]
    assert parties[0]["uscc"] == "91310000717854505W"
    assert parties[1]["id_number"] == "11010519491231002X"


@pytest.mark.parametrize("parties, code, field", [
    pytest.param([{**ORG, "uscc": "91310000717854505X"}], "uscc_check", "parties[0].uscc",
                 id="GB32100-wrong-check-char"),
    pytest.param([ORG, {**PERSON, "id_number": "110105194912310021"}], "id_check", "parties[1].id_number",
                 id="GB11643-wrong-check-digit"),
    pytest.param([{**PERSON, "id_number": "110105199902300021"}], "id_birth_date", "parties[0].id_number",
                 id="GB11643-impossible-birth-date"),
    pytest.param([{**ORG, "uscc": None}], "uscc_required", "parties[0].uscc", id="organization-needs-uscc"),
    pytest.param([{**ORG, "nickname": "x"}], "unknown_field", "parties[0].nickname", id="unknown-field"),
    pytest.param([{"type": "robot", "name": "x"}], "invalid_input", "parties[0].type", id="unknown-party-type"),
])
def test_invalid_identifier_is_400_naming_the_field(client, officer, parties, code, field):
    error = assert_error(post_parties(client, officer, parties), 400, code)
    assert error["details"]["field"] == field


def test_unknown_top_level_field_is_refused(client, officer):
    error = assert_error(post_parties(client, officer, [ORG], extra=1), 400, "unknown_field")
    assert error["details"]["field"] == "extra"


def test_error_message_follows_the_language(client, officer):
    bad = [{**ORG, "uscc": "91310000717854505X"}]
    zh = post_parties(client, officer, bad).json()["error"]["message"]
    en = client.post("/api/v1/parties/check", json.dumps({"parties": bad}), content_type="application/json",
                     HTTP_ACCEPT_LANGUAGE="en", **bearer(officer)).json()["error"]["message"]
    assert "校验码" in zh
    assert "check character" in en


def test_unknown_api_path_is_404_with_error_body(client, db):
    assert_error(client.get("/api/v1/no-such-thing"), 404, "not_found")


def test_public_officer_verification(client, officer):
    response = client.get("/api/public/v1/officers/SH3101150777")
    assert response.status_code == 200
    assert response.json() == {"name": "张三", "certificate_number": "SH3101150777", "unit": "pudong",
                               "unit_name": "上海市浦东新区生态环境局", "status": "active",
                               "valid_until": "2030-12-31"}
    assert_error(client.get("/api/public/v1/officers/NOSUCH0001"), 404, "officer_not_found")


def test_openapi_document_and_docs_page(client, db):
    spec = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/me", "/api/v1/officers", "/api/v1/parties/check"} <= set(spec["paths"])
    assert client.get("/api/v1/docs").status_code == 200
    assert "/api/public/v1/officers/{certificate_number}" in client.get("/api/public/v1/openapi.json").json()["paths"]


def test_multipart_upload_over_the_limit_is_413(client, officer, settings):
    """SANXIANG_MAX_UPLOAD_BYTES is enforced while streaming, before anything else parses the body."""
    settings.MAX_UPLOAD_BYTES = 1024
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post("/api/v1/cases/1/evidence", {"kind": "photo", "file": SimpleUploadedFile(
        "big.jpg", b"\xff\xd8\xff" + b"x" * 5000, content_type="image/jpeg")}, **bearer(officer))
    error = assert_error(response, 413, "file_too_large")
    assert error["details"]["limit"] == 1024


def test_multipart_upload_over_the_limit_on_a_page_is_413(client, officer, settings):
    settings.MAX_UPLOAD_BYTES = 1024
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(officer)
    response = client.post("/cases/1/evidence/", {"file": SimpleUploadedFile("big.jpg", b"y" * 5000)})
    assert response.status_code == 413
    assert "1024" in response.content.decode()
