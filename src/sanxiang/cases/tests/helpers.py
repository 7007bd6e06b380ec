"""Helpers shared by the cases tests: an API client, refusal assertions, builders of case state.

Behaviour goes through the services and the API; a precondition that only the passing of
time produces (a notification ten days ago, a decision last month) is set through the ORM.
Every refusal must leave nothing behind: `service_refuses` and `api_refuses` compare a
snapshot of the ledger and of every case-related table before and after.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable
from contextlib import contextmanager

import pytest
from django.db import transaction
from django.utils import timezone

from sanxiang.accounts import services as accounts
from sanxiang.cases import services
from sanxiang.cases.models import (
    Activity,
    ActivityOfficer,
    Case,
    CaseFlagRecord,
    CaseHandler,
    Decision,
    IssuedDocument,
    PartyResponse,
    Recusal,
)
from sanxiang.core.errors import DomainError
from sanxiang.records.models import Evidence, EvidenceAnnotation, LedgerEntry
from sanxiang.review.models import (
    CollectiveDiscussion,
    ReviewEscalation,
    ReviewOpinion,
    ReviewSubmission,
)

MATERIALS = ["investigation_report", "proposed_decision", "evidence_list", "discretion_basis"]
FINDINGS = {"subject": "执法主体合法", "jurisdiction": "属本机关管辖", "procedure": "程序合法",
            "facts": "事实清楚", "law": "适用法律正确", "evidence": "证据确凿", "discretion": "裁量适当"}
BASIS = "《中华人民共和国大气污染防治法》第九十九条第二项"
ORG_USCC = "91310000717854505W"
PERSON_ID = "11010519491231002X"


# --------------------------------------------------------------------------------------- HTTP


class Api:
    """A bearer-token client of /api/v1 for one user."""

    def __init__(self, client, user):
        _token, raw = accounts.token_create(user=user)
        self.user = user
        self.client, self.headers = client, {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    def post(self, path, body=None):
        return self.client.post(f"/api/v1{path}", json.dumps(body or {}), content_type="application/json",
                                **self.headers)

    def put(self, path, body):
        return self.client.put(f"/api/v1{path}", json.dumps(body), content_type="application/json", **self.headers)

    def get(self, path):
        return self.client.get(f"/api/v1{path}", **self.headers)

    def delete(self, path):
        return self.client.delete(f"/api/v1{path}", **self.headers)

    def upload(self, case_id, *, kind="video", activity_id="", data=b"\x00\x00\x00\x18ftypmp42video",
               name="record.mp4", description="执法记录仪视频"):
        from django.core.files.uploadedfile import SimpleUploadedFile

        form = {"file": SimpleUploadedFile(name, data, content_type="application/octet-stream"), "kind": kind,
                "description": description, "activity_id": activity_id,
                "recorded_at": (timezone.now() - dt.timedelta(minutes=30)).isoformat()}
        return self.client.post(f"/api/v1/cases/{case_id}/evidence", form, **self.headers)


def case_team(make_user) -> dict:
    """The handlers, heads and legal reviewer of a Pudong case (created in this order)."""
    return {
        "off1": make_user("pudong", "officer", certificate=True, full_name="张执法"),
        "off2": make_user("pudong", "officer", certificate=True, full_name="李执法"),
        "head": make_user("pudong", "unit_head", full_name="韩科长"),
        "chief": make_user("pudong", "agency_head", full_name="王局长"),
        "deputy": make_user("pudong", "agency_head", full_name="赵副局长"),
        "reviewer": make_user("city-legal", "reviewer", full_name="陈审核"),
    }


def ok(response, status=200):
    assert response.status_code == status, response.content.decode()
    return response.json()


def refused(response, status, code):
    assert response.status_code == status, response.content.decode()
    assert response.json()["error"]["code"] == code, response.json()
    return response.json()["error"]


# ----------------------------------------------------------------------- nothing left behind

_TABLES = (Case, CaseHandler, CaseFlagRecord, Recusal, Activity, ActivityOfficer, PartyResponse, Decision,
           IssuedDocument, Evidence, EvidenceAnnotation, ReviewSubmission, ReviewOpinion, ReviewEscalation,
           CollectiveDiscussion)


def snapshot(case: Case | None = None) -> dict:
    """Ledger size, row counts of every case-related table and the case row itself."""
    state = {"ledger": LedgerEntry.objects.count()}
    state |= {model.__name__: model.objects.count() for model in _TABLES}
    if case is not None:
        state["case"] = Case.objects.filter(pk=case.pk).values().first()
    return state


def service_refuses(code: str, call: Callable[[], object], *, case: Case | None = None,
                    status: int | None = None) -> DomainError:
    """`call()` raises the domain error `code` and leaves no row and no ledger entry."""
    before = snapshot(case)
    with pytest.raises(DomainError) as caught:
        call()
    assert caught.value.code == code, (caught.value.code, caught.value.details)
    if status is not None:
        assert caught.value.status == status
    assert snapshot(case) == before
    return caught.value


def api_refuses(response_call: Callable[[], object], status: int, code: str, *, case: Case | None = None) -> dict:
    """The API answers `status` with `code` and leaves no row and no ledger entry."""
    before = snapshot(case)
    error = refused(response_call(), status, code)
    assert snapshot(case) == before
    return error


def both_refuse(code: str, status: int, service_call, api_call, *, case: Case | None = None) -> dict:
    """The same attempt refused through the service and through the API, leaving nothing."""
    service_refuses(code, service_call, case=case, status=status)
    return api_refuses(api_call, status, code, case=case)


class _Rollback(Exception):
    pass


@contextmanager
def rolled_back():
    """Run the block in a savepoint that is always rolled back."""
    try:
        with transaction.atomic():
            yield
            raise _Rollback
    except _Rollback:
        pass


# ----------------------------------------------------------------------------- case builders


def org_party(name="上海某某化工有限公司", uscc=ORG_USCC) -> services.PartyInput:
    return services.PartyInput(type="organization", name=name, uscc=uscc, legal_representative="张三",
                               address="上海市浦东新区某路1号")


def person_party(name="李四", id_number=PERSON_ID) -> services.PartyInput:
    return services.PartyInput(type="person", name=name, id_number=id_number)


def reload(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def file_case(actor, *, kind="penalty", title="上海某某化工有限公司超标排放大气污染物案", parties=None,
              unit_code=None) -> Case:
    return services.case_create(actor=actor, kind=kind, title=title, parties=parties or [org_party()],
                                unit_code=unit_code)


def set_state(case: Case, **fields) -> Case:
    """Set fields the passing of time produces (dates, a stage reached long ago) — state, not behaviour."""
    Case.objects.filter(pk=case.pk).update(**fields)
    return reload(case)


def officer_ids(*users) -> list[str]:
    return [str(u.officer.pk) for u in users]


def record(case, actor, *officers, kind="inspection", at: dt.datetime | None = None) -> Activity:
    return services.activity_record(case_id=case.pk, actor=actor, kind=kind,
                                    occurred_at=at or timezone.now() - dt.timedelta(hours=1),
                                    officer_ids=officer_ids(*officers), place="上海市浦东新区某路1号")


def complete(case, actor, activity) -> Activity:
    return services.activity_complete(case_id=case.pk, activity_id=activity.pk, actor=actor)


def attach(case, actor, *, kind="video", activity: Activity | None = None, data: bytes | None = None):
    """Register an evidence item (streamed through the vault) on the case, optionally on an activity."""
    return services.case_evidence_add(
        case_id=case.pk, actor=actor, kind=kind, recorded_at=timezone.now() - dt.timedelta(minutes=30),
        stream=io.BytesIO(data or f"{kind} of case {case.pk}".encode()), description="执法记录",
        activity_id=str(activity.pk) if activity else "", filename=f"record.{kind}")


def propose(case, actor, *, fine="500000.00", types=("fine",), basis=BASIS) -> Case:
    return services.case_propose(case_id=case.pk, actor=actor, penalty_types=list(types), fine_amount=fine,
                                 legal_basis=basis)


def move(case, actor, to, note="") -> Case:
    return services.case_transition(case_id=case.pk, actor=actor, to=to, note=note)


def answer(case, actor, kind, *, on: dt.date | None = None, text="当事人称已整改，请求从轻处罚。"):
    return services.party_response_record(case_id=case.pk, actor=actor, kind=kind,
                                          received_on=on or timezone.localdate(), text=text)


def examining(people, *, fine="500000.00", types=("fine",), parties=None) -> Case:
    """A penalty case investigated by two officers and examined, with a proposed decision."""
    off1 = people["off1"]
    case = file_case(off1, parties=parties)
    move(case, off1, "investigating")
    complete(case, off1, record(case, off1, off1, people["off2"]))
    move(case, off1, "examining")
    if types:
        propose(case, off1, fine=fine, types=types)
    return reload(case)


def notified(people, **kwargs) -> Case:
    """`examining(...)`, then notified today (a hearing offered where the rules say so)."""
    case = examining(people, **kwargs)
    return move(case, people["off1"], "notified")


def notified_long_ago(people, days=30, **kwargs) -> Case:
    """A notified case whose statement and hearing-request periods ran out long ago."""
    case = notified(people, **kwargs)
    return set_state(case, notified_on=timezone.localdate() - dt.timedelta(days=days))


def submit(case, actor):
    return services.case_submit_review(case_id=case.pk, actor=actor, materials=MATERIALS, note="请审核")


def opinion(submission, reviewer, result="approved"):
    return services.case_review_opinion(review_id=submission.pk, reviewer=reviewer, result=result,
                                        findings=FINDINGS, text="书面审核意见")


def approve(case, people):
    submission = submit(case, people["off1"])
    opinion(submission, people["reviewer"])
    return submission


def discuss(case, people, *, on: dt.date | None = None):
    return services.case_collective_discussion(
        case_id=case.pk, actor=people["chief"], held_on=on or timezone.localdate(),
        attendee_ids=[people["chief"].pk, people["deputy"].pk], conclusion="同意拟处罚意见。")


def draft(*, fine="500000.00", types=("fine",), kind="penalty", on: dt.date | None = None):
    return services.DecisionDraft(kind=kind, decided_on=on or timezone.localdate(), legal_basis=BASIS,
                                  facts="当事人超过大气污染物排放标准排放大气污染物。",
                                  conclusion="罚款。", penalty_types=tuple(types), fine_amount=fine)


def decision_body(*, fine="500000.00", types=("fine",), kind="penalty", on: dt.date | None = None) -> dict:
    d = draft(fine=fine, types=types, kind=kind, on=on)
    return {"kind": d.kind, "penalty_types": list(d.penalty_types), "fine_amount": d.fine_amount,
            "decided_on": d.decided_on.isoformat(), "legal_basis": d.legal_basis, "facts": d.facts,
            "conclusion": d.conclusion}


def decide(case, actor, **kwargs) -> Decision:
    return services.case_decide(case_id=case.pk, actor=actor, draft=draft(**kwargs))


def ready_major(people) -> Case:
    """A major penalty case (500,000 yuan fine against a company) ready to be decided."""
    case = notified(people)
    off1 = people["off1"]
    answer(case, off1, "statement")
    answer(case, off1, "hearing_waiver", text="")
    approve(case, people)
    discuss(case, people)
    return reload(case)


def decided(people) -> tuple[Case, Decision]:
    case = ready_major(people)
    decision = decide(case, people["chief"])
    return reload(case), decision


def actions(case) -> list[str]:
    return list(LedgerEntry.objects.filter(subject=case.ref).order_by("seq").values_list("action", flat=True))
