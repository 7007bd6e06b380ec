"""Staff pages of cases and legal review: roles, scope, guard errors on the form, PRG, previews."""

from __future__ import annotations

import datetime as dt
import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from sanxiang.cases import services
from sanxiang.cases.models import Case
from sanxiang.cases.tests.helpers import case_team
from sanxiang.records.models import EvidenceAccess, LedgerEntry

USCC = "91310000717854505W"
MATERIALS = ["investigation_report", "proposed_decision", "evidence_list", "discretion_basis"]
FINDINGS = {"subject": "执法主体合法", "jurisdiction": "属本机关管辖", "procedure": "程序合法",
            "facts": "事实清楚", "law": "适用法律正确", "evidence": "证据确凿", "discretion": "裁量适当"}
BASIS = "《中华人民共和国大气污染防治法》第九十九条第二项"


def png_bytes(width: int = 4, height: int = 3) -> bytes:
    """A tiny valid PNG (red pixels)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


@pytest.fixture
def people(make_user):
    return {
        **case_team(make_user),
        "stranger": make_user("huangpu", "officer", certificate=True, full_name="外区执法"),
    }


def _file(actor, *, person=False, title="上海某某化工有限公司超标排放大气污染物案") -> Case:
    party = (services.PartyInput(type="person", name="李四", id_number="11010519491231002X")
             if person else services.PartyInput(type="organization", name="上海某某化工有限公司", uscc=USCC))
    return services.case_create(actor=actor, kind="penalty", title=title, parties=[party])


def _to_examining(case, people):
    off1 = people["off1"]
    services.case_transition(case_id=case.pk, actor=off1, to="investigating")
    activity = services.activity_record(
        case_id=case.pk, actor=off1, kind="inspection", occurred_at=timezone.now() - dt.timedelta(hours=1),
        officer_ids=[people["off1"].officer.pk, people["off2"].officer.pk], place="浦东某路1号")
    services.activity_complete(case_id=case.pk, activity_id=activity.pk, actor=off1)
    services.case_transition(case_id=case.pk, actor=off1, to="examining")
    return case


def _to_review(case, people):
    off1 = people["off1"]
    _to_examining(case, people)
    services.case_propose(case_id=case.pk, actor=off1, penalty_types=["fine"], fine_amount="500000",
                          legal_basis=BASIS)
    services.case_transition(case_id=case.pk, actor=off1, to="notified")
    today = timezone.localdate()
    services.party_response_record(case_id=case.pk, actor=off1, kind="statement", received_on=today,
                                   text="请求从轻处罚")
    services.party_response_record(case_id=case.pk, actor=off1, kind="hearing_waiver", received_on=today)
    return services.case_submit_review(case_id=case.pk, actor=off1, materials=MATERIALS, note="请审核")


def _decide(case, people):
    submission = _to_review(case, people)
    services.case_review_opinion(review_id=submission.pk, reviewer=people["reviewer"], result="approved",
                                 findings=FINDINGS, text="同意")
    services.case_collective_discussion(case_id=case.pk, actor=people["chief"], held_on=timezone.localdate(),
                                        attendee_ids=[people["deputy"].pk], conclusion="同意罚款")
    return services.case_decide(case_id=case.pk, actor=people["chief"], draft=services.DecisionDraft(
        kind="penalty", decided_on=timezone.localdate(), legal_basis=BASIS, facts="超标排放",
        conclusion="罚款人民币伍拾万元整。", penalty_types=("fine",), fine_amount="500000"))


def html(response) -> str:
    return response.content.decode()


# ------------------------------------------------------------------------------------------ list and page


def test_case_list_search_and_scope(client, people):
    mine = _file(people["off1"])
    _file(people["stranger"], title="黄浦某餐饮店油烟案")
    client.force_login(people["off1"])
    page = html(client.get(reverse("web:module-cases")))
    assert mine.number in page and "黄浦某餐饮店油烟案" not in page
    assert "上海某某化工" in html(client.get(reverse("web:module-cases"), {"q": "化工", "stage": "registered"}))
    assert mine.number not in html(client.get(reverse("web:module-cases"), {"q": "不存在的案件"}))
    assert 'href="/cases/"' in html(client.get("/"))  # the nav entry became a link


@pytest.mark.parametrize("who", ["off1", "head", "chief", "reviewer"])
def test_case_page_renders_for_the_roles_that_see_it(client, people, who):
    case = _file(people["off1"])
    client.force_login(people[who])
    response = client.get(reverse("web:case", args=[case.pk]))
    assert response.status_code == 200
    assert case.number in html(response) and USCC in html(response)


def test_case_pages_are_404_outside_scope(client, people):
    case = _file(people["off1"])
    client.force_login(people["stranger"])
    for url in (reverse("web:case", args=[case.pk]), reverse("web:case-step-transition", args=[case.pk]),
                reverse("web:case-step-evidence", args=[case.pk])):
        assert client.get(url).status_code == 404, url
    response = client.post(reverse("web:case-step-transition", args=[case.pk]), {"to": "investigating"})
    assert response.status_code == 404
    assert Case.objects.get(pk=case.pk).stage == "registered"


def test_pages_need_login(client, people):
    case = _file(people["off1"])
    for url in (reverse("web:module-cases"), reverse("web:case", args=[case.pk]), reverse("web:module-review")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_id_numbers_are_masked_unless_handler(client, people):
    case = _file(people["off1"], person=True)
    client.force_login(people["off1"])
    assert "11010519491231002X" in html(client.get(reverse("web:case", args=[case.pk])))
    client.force_login(people["reviewer"])
    page = html(client.get(reverse("web:case", args=[case.pk])))
    assert "11010519491231002X" not in page and "110105********002X" in page


def test_only_the_steps_the_stage_allows_are_offered(client, people):
    case = _file(people["off1"])
    client.force_login(people["off1"])
    page = html(client.get(reverse("web:case", args=[case.pk])))
    assert reverse("web:case-step-transition", args=[case.pk]) in page
    assert reverse("web:case-step-decision", args=[case.pk]) not in page
    assert reverse("web:case-step-review-submit", args=[case.pk]) not in page
    client.force_login(people["reviewer"])  # a reviewer handles nothing: no step forms
    page = html(client.get(reverse("web:case", args=[case.pk])))
    assert reverse("web:case-step-transition", args=[case.pk]) not in page


# ------------------------------------------------------------------------------------------ filing


def test_file_a_case_prg(client, people):
    client.force_login(people["off1"])
    assert client.get(reverse("web:case-new")).status_code == 200
    response = client.post(reverse("web:case-new"), {
        "kind": "penalty", "title": "某公司超标排放案", "party_type": "organization", "party_name": "上海某某化工有限公司",
        "party_uscc": USCC})
    case = Case.objects.get(title="某公司超标排放案")
    assert response.status_code == 302 and response["Location"] == reverse("web:case", args=[case.pk])
    page = html(client.get(response["Location"]))
    assert case.number in page and 'class="messages"' in page


def test_invalid_credit_code_is_shown_next_to_the_field(client, people):
    client.force_login(people["off1"])
    response = client.post(reverse("web:case-new"), {
        "kind": "penalty", "title": "某案", "party_type": "organization", "party_name": "某公司",
        "party_uscc": "91310000717854505X"})
    assert response.status_code == 400
    page = html(response)
    field = page[page.index('id="field-party_uscc"'):]
    assert 'class="field-error"' in field[:field.index("</div>\n")] or 'class="field-error"' in field[:2000]
    assert not Case.objects.exists()


# ------------------------------------------------------------------------------------------ steps


def test_guard_error_is_shown_on_the_form(client, people):
    case = _to_examining(_file(people["off1"]), people)
    client.force_login(people["off1"])
    url = reverse("web:case-step-transition", args=[case.pk])
    assert 'value="notified"' in html(client.get(url))
    response = client.post(url, {"to": "notified"})
    assert response.status_code == 409
    assert 'class="errorbox"' in html(response)
    assert Case.objects.get(pk=case.pk).stage == "examining"


def test_officers_insufficient_is_shown_next_to_officers(client, people):
    case = _file(people["off1"])
    client.force_login(people["off1"])
    response = client.post(reverse("web:case-step-activity", args=[case.pk]), {
        "kind": "inspection", "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "officer_ids": [str(people["off1"].officer.pk)]})
    assert response.status_code == 400
    page = html(response)
    fieldset = page[page.index('id="field-officer_ids"'):]
    assert 'class="field-error"' in fieldset[:fieldset.index("</fieldset>")]


def test_step_success_redirects_to_the_case_page(client, people):
    case = _file(people["off1"])
    client.force_login(people["off1"])
    response = client.post(reverse("web:case-step-transition", args=[case.pk]), {"to": "investigating"})
    assert response.status_code == 302 and response["Location"] == reverse("web:case", args=[case.pk])
    assert Case.objects.get(pk=case.pk).stage == "investigating"


def test_seizure_cannot_be_completed_without_video(client, people):
    case = _file(people["off1"])
    activity = services.activity_record(
        case_id=case.pk, actor=people["off1"], kind="seizure", occurred_at=timezone.now() - dt.timedelta(hours=1),
        officer_ids=[people["off1"].officer.pk, people["off2"].officer.pk])
    client.force_login(people["off1"])
    response = client.post(reverse("web:case-step-activity-complete", args=[case.pk, activity.pk]))
    assert response.status_code == 409 and 'class="errorbox"' in html(response)


# ------------------------------------------------------------------------------------------ evidence


def test_evidence_multipart_fallback_and_preview_is_logged(client, people):
    case = _file(people["off1"])
    client.force_login(people["off1"])
    response = client.post(reverse("web:case-step-evidence", args=[case.pk]), {
        "file": SimpleUploadedFile("现场.png", png_bytes(), content_type="image/png"), "kind": "photo",
        "description": "排放口现场照片", "speakers": "张三, 当事人员工"})
    assert response.status_code == 302, html(response)
    page = html(client.get(response["Location"]))
    evidence_url = None
    for line in page.splitlines():
        if "/evidence/" in line and "<img" in line:
            evidence_url = line.split('src="', 1)[1].split('"', 1)[0]
    assert evidence_url and "SM3" in page
    before = EvidenceAccess.objects.count()
    response = client.get(evidence_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")
    assert b"".join(response.streaming_content) == png_bytes()
    assert EvidenceAccess.objects.count() == before + 1
    access = EvidenceAccess.objects.latest("id")
    assert access.purpose == "preview" and access.actor == f"user:{people['off1'].pk}"
    assert LedgerEntry.objects.filter(subject=case.ref, action="evidence.accessed").exists()


def test_evidence_preview_outside_scope_is_404_and_not_logged(client, people):
    case = _file(people["off1"])
    evidence = services.case_evidence_add(case_id=case.pk, actor=people["off1"], kind="photo",
                                          recorded_at=timezone.now(), stream=io.BytesIO(png_bytes()),
                                          description="照片")
    client.force_login(people["stranger"])
    response = client.get(reverse("web:evidence-content", args=[case.pk, evidence.pk]))
    assert response.status_code == 404
    assert not EvidenceAccess.objects.exists()


def test_evidence_form_has_camera_capture_and_the_chunked_script(client, people):
    case = _file(people["off1"])
    client.force_login(people["off1"])
    page = html(client.get(reverse("web:case-step-evidence", args=[case.pk])))
    assert 'capture="environment"' in page and 'accept="image/*,video/*,audio/*' in page
    assert 'enctype="multipart/form-data"' in page and "sanxiang/upload.js" in page
    assert "<script>" not in page  # no inline script (CSP script-src 'self')


# ------------------------------------------------------------------------------------------ review, decision


def test_review_queue_and_opinion(client, people):
    case = _file(people["off1"])
    submission = _to_review(case, people)
    client.force_login(people["reviewer"])
    queue = html(client.get(reverse("web:module-review")))
    assert reverse("web:review", args=[submission.pk]) in queue and case.title in queue
    assert case.title in html(client.get("/"))  # on the workbench too
    url = reverse("web:review", args=[submission.pk])
    form = {"result": "approved", "text": "同意拟处罚意见。"} | {f"finding_{k}": v for k, v in FINDINGS.items()}
    response = client.post(url, form | {"finding_discretion": ""})
    assert response.status_code == 400
    page = html(response)
    fieldset = page[page.index('id="field-finding_discretion"'):]
    assert 'class="field-error"' in fieldset[:fieldset.index("</div>\n")]
    response = client.post(url, form)
    assert response.status_code == 302 and response["Location"] == reverse("web:case", args=[case.pk])
    assert "approved" in html(client.get(response["Location"]))  # the status badge class


def test_review_of_another_area_is_404(client, people, make_user):
    submission = _to_review(_file(people["off1"]), people)
    client.force_login(make_user("huangpu", "reviewer"))
    assert client.get(reverse("web:review", args=[submission.pk])).status_code == 404


def test_heads_see_cases_awaiting_them_and_decide(client, people):
    case = _file(people["off1"])
    submission = _to_review(case, people)
    services.case_review_opinion(review_id=submission.pk, reviewer=people["reviewer"], result="approved",
                                 findings=FINDINGS, text="同意")
    client.force_login(people["chief"])
    assert reverse("web:case", args=[case.pk]) in html(client.get("/"))
    page = html(client.get(reverse("web:case", args=[case.pk])))
    assert reverse("web:case-step-collective", args=[case.pk]) in page
    response = client.post(reverse("web:case-step-decision", args=[case.pk]), {
        "kind": "penalty", "penalty_types": ["fine"], "fine_amount": "500000", "decided_on":
        timezone.localdate().isoformat(), "legal_basis": BASIS, "facts": "超标排放", "conclusion": "罚款"})
    assert response.status_code == 409  # collective discussion first
    assert 'class="errorbox"' in html(response)


def test_decided_case_shows_document_and_publication(client, people):
    case = _file(people["off1"])
    decision = _decide(case, people)
    client.force_login(people["off1"])
    page = html(client.get(reverse("web:case", args=[case.pk])))
    assert decision.document_number in page
    doc = case.documents.get(template_code="penalty_decision")
    assert reverse("web:document-download", args=[case.pk, doc.pk]) in page
    response = client.get(reverse("web:document-download", args=[case.pk, doc.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content)[:2] == b"PK"
    client.force_login(people["stranger"])
    assert client.get(reverse("web:document-download", args=[case.pk, doc.pk])).status_code == 404


def test_workbench_colours_my_deadlines(client, people):
    case = _file(people["off1"])
    client.force_login(people["off1"])
    page = html(client.get("/"))
    assert 'id="todos"' in page and "urgency-" in page and case.title in page


def test_timeline_translates_action_codes(client, people):
    case = _to_examining(_file(people["off1"]), people)
    client.force_login(people["off1"])
    page = html(client.get(reverse("web:case", args=[case.pk]), HTTP_ACCEPT_LANGUAGE="en"))
    assert "Case filed" in page and "Activity completed" in page and "case.registered" not in page
