"""Issued documents (执法文书): every unified template issued for a realistic case, stored in the
vault and on the ledger, never changed; corrections are new versions; 文号 per GB/T 9704-2012.

Acceptance: the issued 行政处罚决定书 opens with python-docx (and LibreOffice, when installed) and
holds the party, facts, legal basis, penalty, payment and remedy clauses and the 文号
(行政处罚法 第五十九条, RULES.md R4.1).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil
import subprocess
import sys

import pytest
from django.db import DatabaseError, transaction
from django.utils import timezone

from sanxiang.cases import issuing, services
from sanxiang.cases.documents import parse_document_number
from sanxiang.cases.documents.tests.docx_text import full_text
from sanxiang.cases.models import IssuedDocument
from sanxiang.cases.tests import case_file
from sanxiang.cases.tests.case_file import ADDRESS, BASIS, FACTS, ONSITE, PARTY, USCC
from sanxiang.cases.tests.helpers import Api, ok, refused
from sanxiang.catalog.data.document_templates import TEMPLATE_CODES
from sanxiang.core.errors import GuardRefused, InvalidInput, NotFound, PermissionDenied
from sanxiang.records import blobs
from sanxiang.records.models import Evidence, EvidenceAccess, LedgerEntry
from sanxiang.records.tests import test_ledger_concurrency as concurrency
from sanxiang.records.verify import verify_ledger

pytestmark = pytest.mark.django_db

OFFICE = shutil.which("libreoffice") or shutil.which("soffice")
# RULES.md R9.3 (GB/T 9704-2012 发文字号): 〔〕 U+3014/U+3015, four-digit year, no 第, no leading zeros.
NUMBER = re.compile(r"^(?P<prefix>\S+?)〔(?P<year>\d{4})〕(?P<seq>[1-9]\d*)号$")


def stored(doc: IssuedDocument) -> bytes:
    with blobs.blob_store().open(doc.sha256) as fh:
        return fh.read()


def text_of(doc: IssuedDocument) -> str:
    return "".join(full_text(stored(doc)).split())


def payload(entry: LedgerEntry) -> dict:
    return json.loads(entry.body)["payload"]


def current(case, template: str) -> IssuedDocument:
    docs = [d for d in case.documents.filter(template_code=template) if not d.superseded_by.exists()]
    assert len(docs) == 1, (template, docs)
    return docs[0]


@pytest.fixture
def closed_case(people):
    return case_file.closed(people)


# ----------------------------------------------------------------------------- every template


def test_every_template_is_issued_at_its_step_and_opens(closed_case):
    """立案审批表 at filing, 笔录 on demand, both 告知书 at notification, 法制审核意见书 with the
    opinion, 决定书 at the decision, 送达回证 when the service is completed — each a DOCX that
    python-docx opens, each in the vault as an evidence item of kind document."""
    case = closed_case.case
    docs = list(case.documents.order_by("issued_at", "id"))
    assert [d.template_code for d in docs] == [
        "filing_approval", "inspection_record", "interview_record", "penalty_notice", "hearing_notice",
        "review_opinion", "penalty_decision", "service_receipt"]
    assert set(TEMPLATE_CODES) == {d.template_code for d in docs}
    for doc in docs:
        data = stored(doc)
        assert hashlib.sha256(data).hexdigest() == doc.sha256 and len(data) == doc.size
        text = "".join(full_text(data).split())
        assert "上海市浦东新区生态环境局" in text or "上海市生态环境局" in text, doc.template_code
        if doc.template_code != "interview_record":  # the 询问笔录 names the interviewee, not the party
            assert PARTY in text, doc.template_code
        evidence = doc.evidence
        assert evidence.kind == "document" and evidence.subject == case.ref and evidence.blob_id == doc.sha256
        assert evidence.sniffed_content_type == issuing.DOCX
        assert "________" not in doc.title
    issued = LedgerEntry.objects.filter(subject=case.ref, action="document.issued").order_by("seq")
    assert [payload(e)["template"] for e in issued] == [d.template_code for d in docs]
    assert verify_ledger().ok


def test_documents_print_the_case_data_and_leave_the_rest_to_fill_in(closed_case, people):
    case = closed_case.case
    filing = text_of(current(case, "filing_approval"))
    assert case.number in filing and "超过大气污染物排放标准" in filing  # 案由 from the matter
    assert "《中华人民共和国大气污染防治法》第十八条" in filing and BASIS in filing
    assert "张执法" in filing  # the handler

    inspection = text_of(current(case, "inspection_record"))
    assert ONSITE in inspection and "13800000000" in inspection  # from the activity's participants
    for officer in (people["off1"], people["off2"]):
        assert officer.full_name in inspection and officer.officer.certificate_number in inspection
    assert "执法记录仪（编号ZFJL-0231）" in inspection  # the AV record's device
    assert "焚烧室温度显示为680℃" in inspection
    assert "职务：________" in inspection  # not in the data: filled in by hand

    interview = text_of(current(case, "interview_record"))
    assert f"{ONSITE}（性别：男）" in interview  # GB 11643: the 17th digit is odd
    assert "当事人的工作人员" not in interview and "焚烧室温度偏低" in interview

    notice = current(case, "penalty_notice")
    text = text_of(notice)
    assert notice.document_number in text and FACTS.replace("\n", "") in text
    assert "500,000.00元（伍拾万元整）" in text and "5个工作日内" in text  # R5.8 statement period
    assert "有权要求举行听证" in text  # hearing offered (R6.1)
    assert "现场检查（勘察）笔录" in text and "调查询问笔录" in text  # 笔录 listed as evidence
    assert "立案审批表" not in text  # other documents are not evidence

    hearing = current(case, "hearing_notice")
    text = text_of(hearing)
    assert hearing.document_number in text and "7个工作日前" in text and "不承担我局组织听证的费用" in text

    review = text_of(current(case, "review_opinion"))
    for point in ("执法主体", "管辖权限", "执法程序", "事实认定", "法律适用", "证据使用", "自由裁量权运用"):
        assert point in review  # R7.4: one finding per point
    assert "审核结论：同意" in review and "陈审核" in review and "上海市生态环境局法规处" in review

    receipt = text_of(current(case, "service_receipt"))
    decision = current(case, "penalty_decision")
    assert decision.document_number in receipt and "行政处罚决定书" in receipt
    assert "事先告知书" not in receipt  # served earlier (at notification), not with the decision
    assert ADDRESS in receipt and people["off1"].officer.certificate_number in receipt


def test_decision_document_holds_what_article_59_requires(closed_case):
    """行政处罚法 第五十九条 (R4.1): party and address; facts and evidence; penalty and legal basis;
    manner and time limit of performance (15 days, 3% a day: 第六十七、七十二条); review (60 days,
    行政复议法 第二十条) and litigation (6 months, 行政诉讼法 第四十六条); agency and date; 文号."""
    case, decision = closed_case.case, closed_case.decision
    doc = current(case, "penalty_decision")
    assert doc.document_number == decision.document_number
    text = text_of(doc)
    for needle in (PARTY, USCC, ADDRESS, FACTS, BASIS, "罚款人民币伍拾万元整",
                   "500,000.00元（伍拾万元整）", "15日内", "3%加处罚款", "60日内", "申请行政复议",
                   "6个月内", "提起行政诉讼", "上海市浦东新区人民政府", "上海铁路运输法院",
                   decision.document_number, "上海市浦东新区生态环境局"):
        assert needle.replace("\n", "") in text, needle
    notice = current(case, "penalty_notice")
    assert notice.document_number in text  # 《行政处罚事先告知书》（…罚告〔2026〕N号）


@pytest.mark.skipif(OFFICE is None, reason="libreoffice/soffice is not on PATH")
def test_decision_document_converts_to_pdf_with_libreoffice(closed_case, tmp_path):
    doc = current(closed_case.case, "penalty_decision")
    source = tmp_path / "decision.docx"
    source.write_bytes(stored(doc))
    result = subprocess.run([OFFICE, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                             "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                            capture_output=True, text=True, timeout=180, check=False)
    pdf = tmp_path / "decision.pdf"
    assert result.returncode == 0 and pdf.exists(), result.stdout + result.stderr
    assert pdf.read_bytes().startswith(b"%PDF-")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert doc.document_number in "".join(text.split())


# ----------------------------------------------------------------------------- never changed


def test_issued_document_rows_refuse_update_and_delete(closed_case):
    doc = current(closed_case.case, "penalty_decision")
    for attempt in (lambda: IssuedDocument.objects.filter(pk=doc.pk).update(title="篡改"),
                    lambda: IssuedDocument.objects.filter(pk=doc.pk).delete(),
                    lambda: Evidence.objects.filter(pk=doc.evidence_id).update(description="篡改")):
        with pytest.raises(DatabaseError), transaction.atomic():
            attempt()
    assert IssuedDocument.objects.get(pk=doc.pk).title == "行政处罚决定书"


# ----------------------------------------------------------------------------- corrections


def test_correction_is_a_new_version_superseding_the_old_one(people, client):
    file = case_file.decided(people)
    off1 = Api(client, people["off1"])
    v1 = current(file.case, "penalty_decision")
    before = stored(v1)
    body = {"reason": "当事人住所笔误", "changes": {"party_address": "上海市浦东新区川沙路888号"}}
    v2 = ok(off1.post(f"/documents/{v1.pk}/corrections", body), 201)
    assert v2["version"] == 2 and v2["supersedes"] == str(v1.pk) and v2["current"] is True
    assert v2["document_number"] == v1.document_number and v2["correction_reason"] == "当事人住所笔误"

    listed = ok(off1.get(f"/cases/{file.case.pk}/documents"))["items"]
    versions = {d["id"]: d for d in listed if d["template"] == "penalty_decision"}
    assert set(versions) == {str(v1.pk), v2["id"]}
    assert versions[str(v1.pk)]["current"] is False and versions[str(v1.pk)]["superseded_by"] == v2["id"]
    assert stored(IssuedDocument.objects.get(pk=v1.pk)) == before  # the old version is kept as issued
    corrected = IssuedDocument.objects.get(pk=v2["id"])
    assert "川沙路888号" in text_of(corrected) and "川沙路888号" not in text_of(v1)
    assert text_of(corrected).replace("川沙路888号", "川沙路88号") == text_of(v1)  # nothing else changed
    entry = LedgerEntry.objects.filter(subject=file.case.ref, action="document.issued").order_by("-seq").first()
    assert payload(entry)["supersedes"] == v1.pk and payload(entry)["reason"] == "当事人住所笔误"

    refused(off1.post(f"/documents/{v1.pk}/corrections", body), 409, "document_superseded")
    error = refused(off1.post(f"/documents/{v2['id']}/corrections", {"reason": "x", "changes": {"nonsense": "1"}}),
                    400, "unknown_field")
    assert error["details"]["field"] == "changes.nonsense"
    refused(off1.post(f"/documents/{v2['id']}/corrections",
                      {"reason": "x", "changes": {"document_number": "沪浦环罚〔2026〕999号"}}), 400, "not_correctable")
    refused(off1.post(f"/documents/{v2['id']}/corrections", {"reason": " ", "changes": {"facts": "x"}}),
            400, "field_required")
    refused(off1.post(f"/documents/{v2['id']}/corrections", {"reason": "x", "changes": {"fine_amount": "很多"}}),
            400, "invalid_change")
    v3 = ok(off1.post(f"/documents/{v2['id']}/corrections",
                      {"reason": "罚款金额笔误", "changes": {"fine_amount": "400000"}}), 201)
    assert v3["version"] == 3 and "400,000.00元（肆拾万元整）" in text_of(IssuedDocument.objects.get(pk=v3["id"]))


def test_correction_and_issuance_respect_roles_and_scope(people, client):
    file = case_file.investigated(people)
    doc = current(file.case, "filing_approval")
    body = {"reason": "笔误", "changes": {"case_source": "群众举报"}}
    refused(Api(client, people["hp_officer"]).post(f"/documents/{doc.pk}/corrections", body), 404,
            "document_not_found")
    refused(Api(client, people["hp_officer"]).get(f"/documents/{doc.pk}/content"), 404, "document_not_found")
    refused(Api(client, people["hp_officer"]).get(f"/cases/{file.case.pk}/documents"), 404, "case_not_found")
    refused(Api(client, people["off3"]).post(f"/documents/{doc.pk}/corrections", body), 403, "not_a_handler")
    refused(Api(client, people["off3"]).post(f"/cases/{file.case.pk}/documents", {"template": "filing_approval"}),
            403, "not_a_handler")
    made = ok(Api(client, people["head"]).post(f"/documents/{doc.pk}/corrections", body), 201)  # the unit head
    assert made["version"] == 2 and "群众举报" in text_of(IssuedDocument.objects.get(pk=made["id"]))
    with pytest.raises(NotFound):
        issuing.case_document_correct(document_id="nope", actor=people["off1"], reason="x", changes={"a": "b"})


# ----------------------------------------------------------------------------- on demand, reading


def test_records_are_issued_on_demand_once_per_activity(people, client):
    file = case_file.investigated(people)
    off1 = Api(client, people["off1"])
    cid = file.case.pk
    refused(off1.post(f"/cases/{cid}/documents", {"template": "inspection_record",
                                                   "activity_id": str(file.inspection.pk)}),
            409, "document_already_issued")
    error = refused(off1.post(f"/cases/{cid}/documents", {"template": "interview_record",
                                                           "activity_id": str(file.inspection.pk)}),
                    400, "activity_kind_mismatch")
    assert error["details"]["field"] == "activity_id"
    refused(off1.post(f"/cases/{cid}/documents", {"template": "inspection_record"}), 400, "field_required")
    refused(off1.post(f"/cases/{cid}/documents", {"template": "no_such"}), 400, "unknown_template")
    refused(off1.post(f"/cases/{cid}/documents", {"template": "filing_approval"}), 409, "document_already_issued")
    refused(off1.post(f"/cases/{cid}/documents", {"template": "penalty_notice"}), 409, "not_notified")
    refused(off1.post(f"/cases/{cid}/documents", {"template": "penalty_decision"}), 409, "decision_required")
    refused(off1.post(f"/cases/{cid}/documents", {"template": "review_opinion"}), 409, "review_opinion_required")
    sampling = services.activity_record(case_id=cid, actor=people["off1"], kind="sampling",
                                        occurred_at=timezone.now() - dt.timedelta(minutes=20),
                                        officer_ids=[str(people["off1"].officer.pk), str(people["off2"].officer.pk)],
                                        place="DA001排气筒采样口")
    made = ok(off1.post(f"/cases/{cid}/documents", {"template": "inspection_record",
                                                    "activity_id": str(sampling.pk)}), 201)
    assert made["activity_id"] == str(sampling.pk) and made["version"] == 1 and made["document_number"] is None
    text = text_of(IssuedDocument.objects.get(pk=made["id"]))
    assert "现场负责人：________" in text  # nobody of the party was recorded as present


def test_reading_a_document_streams_the_vault_file_and_is_recorded(people, client):
    file = case_file.investigated(people)
    doc = current(file.case, "inspection_record")
    reader = Api(client, people["supervisor"])  # city supervisors read every unit
    response = reader.get(f"/documents/{doc.pk}/content")
    assert response.status_code == 200
    assert response["Content-Type"] == issuing.DOCX and "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == stored(doc)
    access = EvidenceAccess.objects.get(evidence_id=doc.evidence_id)
    assert access.actor == f"user:{people['supervisor'].pk}" and "现场检查（勘察）笔录" in access.purpose
    assert LedgerEntry.objects.filter(subject=file.case.ref, action="evidence.accessed").count() == 1
    listed = ok(reader.get(f"/cases/{file.case.pk}/documents"))
    assert listed["total"] == 3 and listed["items"][0]["template"] == "interview_record"  # newest first


# ----------------------------------------------------------------------------- 文号


def test_document_numbers_follow_gb_t_9704_and_are_gapless_per_series(people):
    """R9.3: prefix per unit and kind (沪浦环罚), 告/听告/审 series of their own, sequence per year
    without gaps, in 六角括号 〔〕 with no 第 and no leading zeros."""
    year = timezone.localdate().year
    files = [case_file.decided(people) for _ in range(2)]
    notices = [current(f.case, "penalty_notice").document_number for f in files]
    hearings = [current(f.case, "hearing_notice").document_number for f in files]
    reviews = [current(f.case, "review_opinion").document_number for f in files]
    decisions = [f.decision.document_number for f in files]
    assert notices == [f"沪浦环罚告〔{year}〕1号", f"沪浦环罚告〔{year}〕2号"]
    assert hearings == [f"沪浦环罚听告〔{year}〕1号", f"沪浦环罚听告〔{year}〕2号"]
    assert reviews == [f"沪环罚审〔{year}〕1号", f"沪环罚审〔{year}〕2号"]  # the city legal unit's series
    assert decisions == [f"沪浦环罚〔{year}〕1号", f"沪浦环罚〔{year}〕2号"]
    for number in notices + hearings + reviews + decisions:
        assert NUMBER.fullmatch(number) and "第" not in number and "[" not in number
        assert str(parse_document_number(number)) == number


def test_a_refused_step_leaves_no_number_used(people):
    """The counter moves in the issuing transaction: a step refused after numbering frees the number."""
    file = case_file.investigated(people)
    with pytest.raises(GuardRefused), transaction.atomic():
        services.case_transition(case_id=file.case.pk, actor=people["off1"], to="notified")
        raise GuardRefused("simulated", "refused after the notice was numbered")
    services.case_transition(case_id=file.case.pk, actor=people["off1"], to="notified")
    year = timezone.localdate().year
    assert current(file.case, "penalty_notice").document_number == f"沪浦环罚告〔{year}〕1号"


def test_on_demand_issuance_refuses_wrong_input_through_the_service(people):
    file = case_file.investigated(people)
    with pytest.raises(InvalidInput):
        issuing.case_document_issue(case_id=file.case.pk, actor=people["off1"], template_code="filing_approval",
                                    activity_id=str(file.inspection.pk))
    with pytest.raises(PermissionDenied):  # in scope, not a handler
        issuing.case_document_issue(case_id=file.case.pk, actor=people["off3"],
                                    template_code="inspection_record", activity_id=str(file.inspection.pk))
    with pytest.raises(NotFound):  # outside the unit scope
        issuing.case_document_issue(case_id=file.case.pk, actor=people["hp_head"],
                                    template_code="filing_approval")


NUMBERERS = 4
EACH = 30
NUMBERER = """
import random, sys
import django
django.setup()
from django.db import transaction
from sanxiang.cases.documents import format_document_number
from sanxiang.cases.services import next_sequence

worker, count = sys.argv[1], int(sys.argv[2])
rng = random.Random(worker)
for _ in range(count):
    try:
        with transaction.atomic():
            seq = next_sequence("doc:沪浦环罚:2026")
            if rng.random() < 0.25:
                raise LookupError("the issuing step failed: its number must be reused")
    except LookupError:
        continue
    print(format_document_number("沪浦环罚", 2026, seq), flush=True)
"""


@pytest.fixture
def fresh_database(tmp_path, db):
    """An empty, migrated database of the vendor under test, reachable from other processes
    (as `records.tests.test_ledger_concurrency` makes it)."""
    import uuid

    from django.db import connection

    env = concurrency._base_env(tmp_path)
    created = None
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        created = f"sanxiang_num_{uuid.uuid4().hex[:8]}"
        concurrency._admin_sql(s, f'CREATE DATABASE "{created}"')
        env["DATABASE_URL"] = f"postgres://{s['USER']}@{s['HOST']}:{s['PORT']}/{created}"
    subprocess.run([sys.executable, "-m", "sanxiang", "migrate", "-v0"], env=env, check=True, timeout=300)
    yield env
    if created:
        concurrency._admin_sql(connection.settings_dict, f'DROP DATABASE IF EXISTS "{created}" WITH (FORCE)')


def test_document_numbers_are_gapless_and_unique_under_concurrency(fresh_database):
    """Several processes numbering at once (PostgreSQL: row lock on the counter; SQLite: one
    writer at a time), a quarter of their transactions rolled back: the committed numbers are
    exactly 1…N — no gap, no duplicate."""
    env = fresh_database
    workers = [subprocess.Popen([sys.executable, "-c", NUMBERER, str(w), str(EACH)], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
               for w in range(NUMBERERS)]
    numbers = []
    for worker in workers:
        out, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err
        numbers += out.split()
    seqs = sorted(parse_document_number(n).seq for n in numbers)
    assert 0 < len(seqs) < NUMBERERS * EACH  # some rolled back
    assert seqs == list(range(1, len(seqs) + 1))
    assert all(NUMBER.fullmatch(n) for n in numbers)
