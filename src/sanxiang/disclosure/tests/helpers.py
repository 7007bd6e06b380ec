"""Builders of the publication-queue tests: decided cases through the cases services.

Behaviour goes through the services and the API; what only the passing of time produces (a
display period that ran out, a due date in the past) is set through the ORM.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io

from django.utils import timezone

from sanxiang.cases import services as cases
from sanxiang.cases.tests.helpers import (
    BASIS,
    ORG_USCC,
    complete,
    file_case,
    move,
    officer_ids,
    propose,
    set_state,
)
from sanxiang.disclosure import services
from sanxiang.disclosure.models import PublicationItem, PublicLogLeaf
from sanxiang.disclosure.rules.tests.helpers import make_id
from sanxiang.records.ledger.canonical import canonical_json

PUBLIC = "/api/public/v1/decisions"
ORG_NAME = "上海某某化工有限公司"
WITNESS = "王小明"
WITNESS_PHONE = "13912345678"
SPEAKER = "赵大勇"
LEGAL_REP = "张三"
FACTS = (f"2026年11月执法人员现场检查时，{ORG_NAME}废气排放口颗粒物浓度超标。该公司员工{WITNESS}"
         f"（电话{WITNESS_PHONE}）在场，{SPEAKER}在询问中承认设备停运。法定代表人{LEGAL_REP}签字确认。")
ADULT_ID = make_id("31011519800101123")  # born 1980-01-01
CHILD_ID = make_id("31011520120615123")  # born 2012-06-15


def org_party(name: str = ORG_NAME, uscc: str = ORG_USCC) -> cases.PartyInput:
    return cases.PartyInput(type="organization", name=name, uscc=uscc, legal_representative=LEGAL_REP,
                            address="上海市浦东新区某路1号", phone="021-58880000")


def person_party(name: str = "李四", id_number: str = ADULT_ID) -> cases.PartyInput:
    return cases.PartyInput(type="person", name=name, id_number=id_number, address="上海市黄浦区某路8弄3号501室",
                            phone="13800138000")


def decide_case(people, *, parties=None, fine: str | None = "20000.00", types=("fine",), facts: str = FACTS,
                title: str = "上海某某化工有限公司超标排放大气污染物案", decided_on: dt.date | None = None,
                conclusion: str = "罚款人民币贰万元整。", **flags):
    """A non-major penalty case decided through the services (two officers on site, a witness
    with his phone, an AV record with a speaker); `flags`: case fields such as `secret=True`."""
    off1 = people["off1"]
    case = file_case(off1, parties=parties or [org_party()], title=title)
    move(case, off1, "investigating")
    activity = cases.activity_record(
        case_id=case.pk, actor=off1, kind="inspection", occurred_at=timezone.now() - dt.timedelta(hours=2),
        officer_ids=officer_ids(off1, people["off2"]), place="上海市浦东新区某路1号",
        participants=[{"name": WITNESS, "role": "witness", "phone": WITNESS_PHONE}])
    complete(case, off1, activity)
    cases.case_evidence_add(case_id=case.pk, actor=off1, kind="audio",
                            recorded_at=timezone.now() - dt.timedelta(hours=1),
                            stream=io.BytesIO(f"audio {case.pk}".encode()), description="询问录音",
                            speakers=[{"name": SPEAKER, "role": "interviewee"}], filename="q.mp3")
    move(case, off1, "examining")
    propose(case, off1, fine=fine, types=types)
    move(case, off1, "notified")
    case = set_state(case, notified_on=timezone.localdate() - dt.timedelta(days=30), **flags)
    decision = cases.case_decide(case_id=case.pk, actor=people["chief"], draft=cases.DecisionDraft(
        kind="penalty", decided_on=decided_on or timezone.localdate(), legal_basis=BASIS, facts=facts,
        conclusion=conclusion, penalty_types=tuple(types), fine_amount=fine))
    return case, decision


def item_of(case) -> PublicationItem:
    return PublicationItem.objects.get(subject=case.ref)


def published(people, **kwargs) -> PublicationItem:
    """A decided case, published by the Pudong publisher."""
    case, _decision = decide_case(people, **kwargs)
    return services.publication_publish(item_id=item_of(case).pk, actor=people["publisher"])


def sha256_of(record: dict) -> str:
    return hashlib.sha256(canonical_json(record)).hexdigest()


def leaves(public_id: str) -> list[tuple[str, str]]:
    """(action, record_sha256) of every leaf about `public_id`, in log order."""
    return list(PublicLogLeaf.objects.filter(item=public_id).order_by("index").values_list("action", "record_sha256"))
