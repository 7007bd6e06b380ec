"""A realistic penalty case file for the document and archive tests, built through the services.

上海申江精细化工有限公司 (Pudong) exceeds the air-emission standard (AIR-001, 《大气污染防治法》
第十八条 / 第九十九条第二项): inspected on site with a body-camera video and a photo, its staff
member interviewed, 500,000 yuan proposed (major: hearing offered, legal review, collective
discussion), decided, served, closed. Names, addresses and numbers are invented; the USCC is the
verified sample of RULES.md R9.2, the ID number is valid under GB 11643 (R9.1).
"""

from __future__ import annotations

import datetime as dt
import io
import struct
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from sanxiang.cases import issuing, services
from sanxiang.cases.models import Activity, Case, Decision
from sanxiang.cases.tests.helpers import MATERIALS, officer_ids, reload

PARTY = "上海申江精细化工有限公司"
USCC = "91310000717854505W"
ADDRESS = "上海市浦东新区川沙路88号"
REPRESENTATIVE = "王建国"
ONSITE = "赵强"
ONSITE_ID = "310115198001010016"  # 17th digit odd: male
TITLE = f"{PARTY}超标排放大气污染物案"
FACTS = ("2026年11月，我局执法人员对当事人位于上海市浦东新区川沙路88号的生产厂区进行现场检查，"
         "经采样监测，其蓄热式焚烧炉（RTO）排气筒（编号DA001）非甲烷总烃排放浓度为142毫克/立方米，"
         "超过《大气污染物综合排放标准》（DB31/933-2015）规定的排放限值。")
BASIS = "《中华人民共和国大气污染防治法》第九十九条第二项"
PENALTY = "罚款人民币伍拾万元整。"
FINE = Decimal("500000.00")
FINDINGS = {"subject": "我局依法具有生态环境行政处罚权，执法人员持有有效执法证件。", "jurisdiction": "属于我局管辖。",
            "procedure": "立案、调查、告知程序合法。", "facts": "违法事实清楚。",
            "law": "适用《中华人民共和国大气污染防治法》第十八条、第九十九条第二项正确。",
            "evidence": "证据确实、充分。", "discretion": "罚款数额在法定幅度内，符合裁量基准。"}


def mp4() -> bytes:
    ftyp = b"ftypisom\x00\x00\x02\x00isomiso2avc1mp41"
    return struct.pack(">I", 8 + len(ftyp)) + ftyp + struct.pack(">I", 8 + 64) + b"mdat" + bytes(64)


def jpeg() -> bytes:
    return (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
            + b"\xff\xdb\x00\x43\x00" + bytes(range(1, 65)) + b"\xff\xd9")


@dataclass
class CaseFile:
    case: Case
    inspection: Activity
    interview: Activity
    service: Activity | None = None
    decision: Decision | None = None


def filed(people) -> Case:
    return services.case_create(
        actor=people["off1"], kind="penalty", title=TITLE, matter_code="AIR-001", facts=FACTS,
        discovered_on=timezone.localdate() - dt.timedelta(days=2),
        parties=[services.PartyInput(type="organization", name=PARTY, uscc=USCC, legal_representative=REPRESENTATIVE,
                                     address=ADDRESS, phone="021-58880000")])


def investigated(people) -> CaseFile:
    """Filed, inspected (video + photo, 现场检查笔录), interview (调查询问笔录), examining, proposed."""
    off1, off2 = people["off1"], people["off2"]
    case = filed(people)
    services.case_transition(case_id=case.pk, actor=off1, to="investigating")
    now = timezone.now()
    inspection = services.activity_record(
        case_id=case.pk, actor=off1, kind="inspection", occurred_at=now - dt.timedelta(hours=3),
        officer_ids=officer_ids(off1, off2), place=f"{ADDRESS} RTO焚烧炉排气筒（DA001）",
        notes="检查时当事人RTO焚烧炉正在运行，焚烧室温度显示为680℃。\n执法人员会同监测人员对DA001排气筒进行了采样。",
        participants=[{"name": ONSITE, "role": "party_staff", "phone": "13800000000"}])
    for kind, data, device, text in (("video", mp4(), "执法记录仪（编号ZFJL-0231）", "现场检查全过程录像"),
                                     ("photo", jpeg(), "", "DA001排气筒及在线监测显示屏照片")):
        services.case_evidence_add(case_id=case.pk, actor=off1, kind=kind, stream=io.BytesIO(data),
                                   recorded_at=now - dt.timedelta(hours=3), description=text, device=device,
                                   activity_id=str(inspection.pk), filename=f"inspection.{kind}")
    services.activity_complete(case_id=case.pk, activity_id=inspection.pk, actor=off1)
    issuing.case_document_issue(case_id=case.pk, actor=off1, template_code="inspection_record",
                                activity_id=str(inspection.pk))
    interview = services.activity_record(
        case_id=case.pk, actor=off1, kind="interview", occurred_at=now - dt.timedelta(hours=1),
        officer_ids=officer_ids(off1, off2), place="上海市浦东新区生态环境局询问室",
        notes="问：DA001排气筒超标排放的原因是什么？\n答：焚烧室温度偏低，处理效率下降，我们已经更换了燃烧器。",
        participants=[{"name": ONSITE, "role": "interviewee", "id_number": ONSITE_ID, "phone": "13800000000"}])
    services.activity_complete(case_id=case.pk, activity_id=interview.pk, actor=off1)
    issuing.case_document_issue(case_id=case.pk, actor=off1, template_code="interview_record",
                                activity_id=str(interview.pk))
    services.case_transition(case_id=case.pk, actor=off1, to="examining")
    services.case_propose(case_id=case.pk, actor=off1, penalty_types=["fine"], fine_amount="500000.00",
                          legal_basis=BASIS)
    return CaseFile(reload(case), inspection, interview)


def decided(people) -> CaseFile:
    """`investigated`, notified (hearing offered), answered, reviewed, discussed, decided."""
    file = investigated(people)
    case, off1 = file.case, people["off1"]
    today = timezone.localdate()
    services.case_transition(case_id=case.pk, actor=off1, to="notified")
    services.party_response_record(case_id=case.pk, actor=off1, kind="statement", received_on=today,
                                   text="当事人称已更换燃烧器完成整改，请求从轻处罚。")
    services.party_response_record(case_id=case.pk, actor=off1, kind="hearing_waiver", received_on=today)
    submission = services.case_submit_review(case_id=case.pk, actor=off1, materials=MATERIALS, note="请审核")
    services.case_review_opinion(review_id=submission.pk, reviewer=people["reviewer"], result="approved",
                                 findings=FINDINGS, text="经审核，本案事实清楚，证据确凿，适用依据正确，程序合法，同意拟处罚意见。")
    services.case_collective_discussion(case_id=case.pk, actor=people["chief"], held_on=today,
                                        attendee_ids=[people["chief"].pk, people["deputy"].pk],
                                        conclusion="同意罚款伍拾万元。")
    file.decision = services.case_decide(case_id=case.pk, actor=people["chief"], draft=services.DecisionDraft(
        kind="penalty", decided_on=today, legal_basis=BASIS, facts=FACTS, conclusion=PENALTY,
        penalty_types=("fine",), fine_amount="500000.00"))
    file.case = reload(case)
    return file


def closed(people) -> CaseFile:
    """`decided`, served (送达回证 on completing the service), closed."""
    file = decided(people)
    case, off1 = file.case, people["off1"]
    file.service = services.activity_record(
        case_id=case.pk, actor=off1, kind="service", occurred_at=timezone.now() - dt.timedelta(minutes=5),
        officer_ids=officer_ids(off1, people["off2"]), place=ADDRESS,
        participants=[{"name": REPRESENTATIVE, "role": "party_staff"}])
    services.activity_complete(case_id=case.pk, activity_id=file.service.pk, actor=off1)
    services.case_transition(case_id=case.pk, actor=off1, to="served")
    services.case_transition(case_id=case.pk, actor=off1, to="closed")
    file.case = reload(case)
    return file
