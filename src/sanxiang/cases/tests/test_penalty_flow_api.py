"""The API flow of API.md end to end: a 500,000-yuan fine against a company.

Decision refused with 409 `legal_review_required`; a reviewer who took part → 403
`reviewer_conflict`; a legal-unit reviewer approves; after the collective discussion the
decision is 201 with a publication due 7 working days later (国办发〔2018〕118号).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from sanxiang.calendar.selectors import add_working_days
from sanxiang.cases.tests.helpers import FINDINGS, MATERIALS, Api, ok, refused
from sanxiang.records.models import LedgerEntry
from sanxiang.records.verify import verify_ledger


def test_major_penalty_case_end_to_end(client, people):
    off1, chief = Api(client, people["off1"]), Api(client, people["chief"])
    case = ok(off1.post("/cases", {
        "kind": "penalty", "title": "上海某某化工有限公司超标排放大气污染物案", "matter_code": "AIR-001",
        "parties": [{"type": "organization", "name": "上海某某化工有限公司", "uscc": "91310000717854505W",
                     "legal_representative": "张三", "address": "上海市浦东新区某路1号", "phone": "021-58880000"}],
        "facts": "2026年11月执法检查发现废气排放口颗粒物浓度超标。",
    }), 201)
    cid = case["id"]
    assert case["stage"] == "registered" and case["major"] == {"value": False, "reasons": []}
    assert any(d["name"] == "decision" for d in case["deadlines"])

    ok(off1.post(f"/cases/{cid}/transitions", {"to": "investigating"}))
    officers = [str(people[k].officer.pk) for k in ("off1", "off2", "joined")]
    activity = ok(off1.post(f"/cases/{cid}/activities", {
        "kind": "inspection", "occurred_at": (timezone.now() - dt.timedelta(hours=2)).isoformat(),
        "officer_ids": officers, "place": "上海市浦东新区某路1号 废气排放口", "notes": "现场采样"}), 201)
    assert activity["av_required"] is False
    ok(off1.post(f"/cases/{cid}/activities/{activity['id']}/complete"))
    ok(off1.post(f"/cases/{cid}/transitions", {"to": "examining"}))
    proposed = ok(off1.put(f"/cases/{cid}/proposal", {
        "penalty_types": ["fine"], "fine_amount": "500000.00",
        "legal_basis": "《中华人民共和国大气污染防治法》第九十九条第二项"}))
    assert proposed["major"]["value"] is True and proposed["major"]["reasons"]
    notified = ok(off1.post(f"/cases/{cid}/transitions", {"to": "notified"}))
    assert notified["hearing"]["offered"] is True
    today = timezone.localdate().isoformat()
    ok(off1.post(f"/cases/{cid}/party-responses", {"kind": "statement", "received_on": today,
                                                    "text": "当事人称已整改，请求从轻处罚。"}), 201)
    ok(off1.post(f"/cases/{cid}/party-responses", {"kind": "hearing_waiver", "received_on": today}), 201)

    decision = {"kind": "penalty", "penalty_types": ["fine"], "fine_amount": "500000.00", "decided_on": today,
                "legal_basis": "《中华人民共和国大气污染防治法》第九十九条第二项",
                "facts": "当事人超过大气污染物排放标准排放大气污染物。", "conclusion": "罚款人民币伍拾万元整。"}
    error = refused(chief.post(f"/cases/{cid}/decision", decision), 409, "legal_review_required")
    assert error["details"]["reasons"]

    review = ok(off1.post(f"/cases/{cid}/reviews", {"note": "请审核", "materials": MATERIALS}), 201)
    assert ok(off1.get(f"/cases/{cid}"))["stage"] == "legal_review"
    opinion = {"result": "approved", "findings": FINDINGS, "text": "同意拟处罚意见。"}
    refused(Api(client, people["joined"]).post(f"/reviews/{review['id']}/opinion", opinion), 403, "reviewer_conflict")
    refused(off1.post(f"/reviews/{review['id']}/opinion", opinion), 403, "not_a_reviewer")
    approved = ok(Api(client, people["reviewer"]).post(f"/reviews/{review['id']}/opinion", opinion))
    assert approved["status"] == "approved"

    refused(chief.post(f"/cases/{cid}/decision", decision), 409, "collective_discussion_required")
    ok(chief.post(f"/cases/{cid}/collective-discussion", {
        "held_on": today, "attendees": [str(people["chief"].pk), str(people["deputy"].pk)],
        "conclusion": "同意罚款伍拾万元。"}), 201)
    made = ok(chief.post(f"/cases/{cid}/decision", decision), 201)
    assert made["document_number"].startswith("沪浦环罚〔")
    due = add_working_days(timezone.localdate(), 7)
    assert made["publication"]["due_on"] == due.date.isoformat()
    assert made["publication"]["provisional"] == due.provisional

    detail = ok(off1.get(f"/cases/{cid}"))
    assert detail["stage"] == "decided"
    assert [d["template"] for d in detail["documents"]] == [
        "filing_approval", "penalty_notice", "hearing_notice", "review_opinion", "penalty_decision"]
    actions = list(LedgerEntry.objects.filter(subject=f"case:{cid}").values_list("action", flat=True))
    for action in ("case.registered", "activity.recorded", "case.proposed", "review.submitted",
                   "review.opinion_given", "collective_discussion.recorded", "case.decided", "document.issued",
                   "publication.scheduled"):
        assert action in actions
    assert verify_ledger().ok


def test_case_of_another_unit_is_404(client, people, make_user):
    case = ok(Api(client, people["off1"]).post("/cases", {
        "kind": "inspection", "title": "例行检查", "parties": [
            {"type": "organization", "name": "某公司", "uscc": "91310000717854505W"}]}), 201)
    stranger = Api(client, make_user("huangpu", "officer", certificate=True))
    refused(stranger.get(f"/cases/{case['id']}"), 404, "case_not_found")
    refused(stranger.post(f"/cases/{case['id']}/transitions", {"to": "investigating"}), 404, "case_not_found")


def test_invalid_party_identifier_names_the_field(client, people):
    error = refused(Api(client, people["off1"]).post("/cases", {
        "kind": "penalty", "title": "某案", "parties": [
            {"type": "organization", "name": "某公司", "uscc": "91310000717854505W"},
            {"type": "person", "name": "李四", "id_number": "110105194912310021"}]}), 400, "id_check")
    assert error["details"]["field"] == "parties[1].id_number"
