"""The publication queue end to end (事后公开): decided case → preview → manual redaction → publish →
correct → withdraw, through the staff and public APIs.

DESIGN.md "Publicity"; API.md "Publication (事后公开)" and "Public API"; RULES.md R2.1 (7 working
days), R2.5 (withdrawal, reasons public), R2.6 (correction, history kept), §3 (redaction).
"""

from __future__ import annotations

import hashlib
import json

from django.utils import timezone

from sanxiang.calendar.selectors import add_working_days
from sanxiang.cases.tests.helpers import Api, ok, refused
from sanxiang.disclosure import publiclog
from sanxiang.disclosure.models import PublicationItem, PublicationVersion, PublicLogLeaf
from sanxiang.disclosure.tests.helpers import (
    FACTS,
    LEGAL_REP,
    PUBLIC,
    SPEAKER,
    WITNESS,
    WITNESS_PHONE,
    decide_case,
    item_of,
    leaves,
    sha256_of,
)
from sanxiang.records.ledger import merkle
from sanxiang.records.models import LedgerEntry
from sanxiang.records.verify import verify_ledger


def test_decision_queues_an_item_with_the_snapshot_and_due_date(db, people):
    """R2.1: a penalty decision is due for publication 7 working days after the decision."""
    case, decision = decide_case(people)
    item = item_of(case)
    due = add_working_days(decision.decided_on, 7)
    assert (item.state, item.due_on, item.provisional) == ("pending", due.date, due.provisional)
    assert item.source["decision_number"] == decision.document_number
    assert item.source["fine_amount"] == "20000.00"
    assert item.source["parties"][0]["uscc"] and item.source["unit"]["code"] == "pudong"
    known = {(k["category"], k["value"]) for k in item.known_values}
    assert {("other_person_name", WITNESS), ("phone", WITNESS_PHONE), ("other_person_name", SPEAKER),
            ("other_person_name", LEGAL_REP)} <= known
    assert all(k["value"] not in k["label"] for k in item.known_values)  # labels carry no value


def test_full_flow_preview_redact_publish_correct_withdraw(db, client, people):
    case, decision = decide_case(people)
    item = item_of(case)
    publisher = Api(client, people["publisher"])

    # -- preview: every redaction marked, the original text shown to the publisher only
    detail = ok(publisher.get(f"/publications/{item.pk}"))
    assert detail["state"] == "pending" and detail["public_id"] is None
    preview = detail["preview"]
    facts = preview["public_record"]["facts"]
    for value in (WITNESS, WITNESS_PHONE, SPEAKER, LEGAL_REP):
        assert value not in facts
    assert {m["category"] for m in preview["marks"] if m["field"] == "facts"} == {"other_person_name", "phone"}
    segments = preview["fields"]["facts"]
    assert "".join(s["text"] for s in segments) == FACTS  # the original, segment by segment
    assert any(s["mark"] and s["text"] == WITNESS for s in segments)
    assert ok(Api(client, people["off1"]).get(f"/publications/{item.pk}"))["preview"] is None

    # -- a manual redaction with a reason
    words = "设备停运"
    start = FACTS.index(words)
    added = ok(publisher.post(f"/publications/{item.pk}/redactions", {
        "field": "facts", "start": start, "end": start + len(words), "reason": "涉及商业秘密的生产信息"}), 201)
    assert words not in added["preview"]["public_record"]["facts"]
    assert "［已隐去］" in added["preview"]["public_record"]["facts"]
    assert added["manual_redactions"][0]["reason"] == "涉及商业秘密的生产信息"
    refused(publisher.post(f"/publications/{item.pk}/redactions", {
        "field": "facts", "start": 0, "end": 10_000, "reason": "x"}), 400, "manual_span")
    refused(publisher.post(f"/publications/{item.pk}/redactions", {
        "field": "facts", "start": 0, "end": 2, "reason": " "}), 400, "field_required")

    # -- publish: leaf appended, record hash matches, public id, period
    size_before = publiclog.public_log_size()
    published = ok(publisher.post(f"/publications/{item.pk}/publish"))
    assert set(published) == {"id", "state", "public_id", "published_at", "expires_on", "log_index"}
    assert published["state"] == "published" and published["log_index"] == size_before
    public_id = published["public_id"]
    item.refresh_from_db()
    record = json.loads(item.public_record)
    assert item.record_sha256 == sha256_of(record) == hashlib.sha256(item.public_record.encode()).hexdigest()
    assert leaves(public_id) == [("publish", item.record_sha256)]
    leaf = PublicLogLeaf.objects.get(index=published["log_index"])
    assert json.loads(leaf.leaf)["item"] == public_id and "facts" not in leaf.leaf
    assert published["expires_on"] == item.expires_on.isoformat() and item.display_class == "general"
    assert record["display_until"] == item.expires_on.isoformat()
    assert item.redaction_report["counts"]["by_source"]["manual"] == 1
    published_entry = LedgerEntry.objects.get(subject=case.ref, action="publication.published")
    assert json.loads(published_entry.body)["payload"]["redaction_report"]["counts"]["total"] >= 5
    refused(publisher.post(f"/publications/{item.pk}/publish"), 409, "already_published")

    # -- the portal serves the exact bytes that were hashed
    response = client.get(f"{PUBLIC}/{public_id}")
    assert response.status_code == 200
    assert item.public_record.encode("utf-8") in response.content
    body = response.json()
    assert body["log_index"] == published["log_index"] and body["record"] == record
    assert sha256_of(body["record"]) == item.record_sha256
    assert WITNESS not in response.content.decode() and words not in response.content.decode()

    # -- the inclusion proof verifies against the signed head
    head = publiclog.public_head()
    proof = client.get(f"{PUBLIC}/{public_id}/proof", {"tree_size": head.tree_size}).json()
    assert proof["leaf_index"] == body["log_index"] and proof["tree_size"] == head.tree_size
    merkle.verify_inclusion(merkle.leaf_hash(leaf.leaf_bytes), proof["leaf_index"], head.tree_size,
                            [bytes.fromhex(h) for h in proof["audit_path"]], bytes.fromhex(head.root_hash))

    # -- correct: a new version, history kept, a new leaf
    refused(publisher.post(f"/publications/{item.pk}/correct", {"fields": {"party_name": "别的公司"},
                                                                 "reason": "更正"}), 400, "field_not_correctable")
    new_facts = FACTS.replace("颗粒物浓度超标", "二氧化硫浓度超标")
    corrected = ok(publisher.post(f"/publications/{item.pk}/correct", {
        "fields": {"facts": new_facts, "fine_amount": "25000"}, "reason": "原文污染物名称有误"}))
    assert corrected["state"] == "corrected" and corrected["version"] == 2
    assert [v["action"] for v in corrected["versions"]] == ["publish", "correct"]
    assert [i["state"] for i in ok(publisher.get("/publications?state=published"))["items"]] == ["corrected"]
    item.refresh_from_db()
    first, second = PublicationVersion.objects.filter(item=item).order_by("number")
    assert first.record_sha256 == sha256_of(record)
    assert second.record_sha256 == item.record_sha256 != first.record_sha256
    assert leaves(public_id) == [("publish", first.record_sha256), ("correct", second.record_sha256)]
    new_record = json.loads(item.public_record)
    assert "二氧化硫" in new_record["facts"] and new_record["fine_amount"] == "25000.00"
    assert words not in new_record["facts"]  # the manual redaction followed its words
    assert new_record["corrections"] == [{"on": timezone.localdate().isoformat(), "reason": "原文污染物名称有误"}]
    body = client.get(f"{PUBLIC}/{public_id}").json()
    assert body["log_index"] == second.log_index and sha256_of(body["record"]) == second.record_sha256

    # -- withdraw: gone from every public surface at once, the reason public, a leaf
    refused(publisher.post(f"/publications/{item.pk}/withdraw", {"reason": ""}), 400, "field_required")
    withdrawn = ok(publisher.post(f"/publications/{item.pk}/withdraw",
                                  {"reason": f"行政复议决定撤销原处罚决定（{WITNESS}申请）"}))
    assert withdrawn["state"] == "withdrawn"
    gone = client.get(f"{PUBLIC}/{public_id}")
    assert gone.status_code == 410
    error = gone.json()["error"]
    assert error["code"] == "withdrawn"
    assert error["details"]["reason"] == "行政复议决定撤销原处罚决定（［姓名已隐去］申请）"
    assert error["details"]["at"]
    assert client.get(PUBLIC, {"q": "二氧化硫"}).json()["total"] == 0
    assert leaves(public_id)[-1] == ("withdraw", second.record_sha256)
    proof = client.get(f"{PUBLIC}/{public_id}/proof").json()
    assert proof["leaf_index"] == PublicLogLeaf.objects.get(item=public_id, action="withdraw").index
    refused(publisher.post(f"/publications/{item.pk}/withdraw", {"reason": "再次"}), 409, "already_withdrawn")
    refused(publisher.post(f"/publications/{item.pk}/correct", {"fields": {"facts": "x"}, "reason": "y"}),
            409, "not_published")

    actions = list(LedgerEntry.objects.filter(subject=case.ref).values_list("action", flat=True))
    for action in ("publication.scheduled", "publication.redaction_added", "publication.published",
                   "publication.corrected", "publication.withdrawn"):
        assert actions.count(action) == 1, action
    assert PublicationItem.objects.get(pk=item.pk).versions.count() == 2
    assert verify_ledger().ok


def test_redaction_added_after_publication_is_a_correction_at_once(db, client, people):
    """GD-GS 第24条 (R2.5): what should not have been public is removed in the same request."""
    case, _decision = decide_case(people, facts="现场负责人称其身体状况欠佳，当日未开启治理设施。")
    item = item_of(case)
    publisher = Api(client, people["publisher"])
    public_id = ok(publisher.post(f"/publications/{item.pk}/publish"))["public_id"]
    start = "现场负责人称其身体状况欠佳，当日未开启治理设施。".index("身体状况欠佳")
    ok(publisher.post(f"/publications/{item.pk}/redactions", {
        "field": "facts", "start": start, "end": start + 6, "reason": "健康信息", "category": "health"}), 201)
    body = client.get(f"{PUBLIC}/{public_id}").json()
    assert "身体状况欠佳" not in body["record"]["facts"] and "［健康信息已隐去］" in body["record"]["facts"]
    assert [a for a, _sha in leaves(public_id)] == ["publish", "correct"]
    assert body["record"]["corrections"][0]["reason"] == "依法隐去个人信息"


def test_end_early_only_after_the_minimum_period(db, client, people):
    """R2.9 engine: early stop only after the minimum period, on request."""
    case, _decision = decide_case(people)
    item = item_of(case)
    publisher = Api(client, people["publisher"])
    public_id = ok(publisher.post(f"/publications/{item.pk}/publish"))["public_id"]
    error = refused(publisher.post(f"/publications/{item.pk}/end-early", {"reason": "信用修复申请已批准"}),
                    409, "minimum_period_running")
    item.refresh_from_db()
    assert error["details"]["min_until"] == item.min_until.isoformat()
    PublicationItem.objects.filter(pk=item.pk).update(min_until=timezone.localdate())  # the minimum ran
    ended = ok(publisher.post(f"/publications/{item.pk}/end-early", {"reason": "信用修复申请已批准"}))
    assert ended["state"] == "expired"
    gone = client.get(f"{PUBLIC}/{public_id}").json()["error"]
    assert gone["code"] == "expired" and gone["details"]["reason"] == "ended_early"
    assert [a for a, _sha in leaves(public_id)] == ["publish", "expire"]
