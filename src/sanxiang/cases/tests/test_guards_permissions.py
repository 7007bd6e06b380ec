"""Who may act (API.md "Who may act"), and the unit scope: every case endpoint tried by every
role that may not use it, and by staff of another district — 403 inside the scope, 404 outside
it, nothing written either way.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sanxiang.cases import services
from sanxiang.cases.tests.helpers import (
    BASIS,
    FINDINGS,
    ORG_USCC,
    api_refuses,
    attach,
    examining,
    ok,
    record,
    refused,
    reload,
    service_refuses,
    submit,
)
from sanxiang.core.errors import InvalidInput


@pytest.fixture
def world(people):
    """A Pudong penalty case under legal review, with an open activity and an evidence item."""
    case = examining(people)
    submission = submit(case, people["off1"])
    activity = record(case, people["off1"], people["off1"], people["off2"], kind="sampling")
    evidence = attach(case, people["off1"], kind="photo")
    return {"case": reload(case), "review": submission, "activity": activity, "evidence": evidence}


def _endpoints(world, people):
    """(name, method, path, body) of every endpoint acting on one case."""
    cid, rid = world["case"].pk, world["review"].pk
    today = timezone.localdate().isoformat()
    officers = [str(people["off1"].officer.pk), str(people["off2"].officer.pk)]
    return [
        ("transition", "post", f"/cases/{cid}/transitions", {"to": "examining"}),
        ("flag", "post", f"/cases/{cid}/flags", {"flag": "complex", "reason": "涉及多个法律关系"}),
        ("proposal", "put", f"/cases/{cid}/proposal", {"penalty_types": ["warning"], "legal_basis": BASIS}),
        ("recusal", "post", f"/cases/{cid}/recusals", {"user_id": str(people["off2"].pk), "reason": "利害关系"}),
        ("activity", "post", f"/cases/{cid}/activities", {
            "kind": "inspection", "occurred_at": (timezone.now() - dt.timedelta(hours=1)).isoformat(),
            "officer_ids": officers}),
        ("complete", "post", f"/cases/{cid}/activities/{world['activity'].pk}/complete", None),
        ("party_response", "post", f"/cases/{cid}/party-responses",
         {"kind": "statement", "received_on": today, "text": "陈述"}),
        ("evidence", "upload", cid, None),
        ("evidence_from_upload", "post", f"/cases/{cid}/evidence/from-upload",
         {"sha256": world["evidence"].blob_id, "kind": "photo", "recorded_at": timezone.now().isoformat(),
          "description": "复用"}),
        ("annotation", "post", f"/evidence/{world['evidence'].pk}/annotations", {"text": "更正说明"}),
        ("review_submit", "post", f"/cases/{cid}/reviews", {"materials": ["investigation_report"]}),
        ("opinion", "post", f"/reviews/{rid}/opinion", {"result": "approved", "findings": FINDINGS, "text": "同意"}),
        ("escalate", "post", f"/reviews/{rid}/escalate", {"reason": "异议"}),
        ("settle", "post", f"/reviews/{rid}/settle", {"settlement": "approved", "text": "同意"}),
        ("collective", "post", f"/cases/{cid}/collective-discussion", {
            "held_on": today, "attendees": [str(people["chief"].pk), str(people["deputy"].pk)],
            "conclusion": "同意"}),
        ("decision", "post", f"/cases/{cid}/decision", {
            "kind": "penalty", "penalty_types": ["warning"], "decided_on": today, "legal_basis": BASIS,
            "facts": "事实", "conclusion": "警告"}),
    ]


def _call(client, method, path, body):
    if method == "upload":
        return lambda: client.upload(path, kind="photo", data=b"another photo")
    if method == "put":
        return lambda: client.put(path, body)
    return lambda: client.post(path, body)


@pytest.mark.parametrize("outsider", ["hp_officer", "hp_head", "hp_chief"])
def test_another_district_gets_404_everywhere(outsider, world, people, api):
    """Outside the unit scope a case (and its reviews, evidence) does not exist: 404, nothing written."""
    client = api(outsider)
    case = world["case"]
    refused(client.get(f"/cases/{case.pk}"), 404, "case_not_found")
    assert ok(client.get("/cases"))["total"] == 0
    for name, method, path, body in _endpoints(world, people):
        response = api_refuses(_call(client, method, path, body), 404,
                               "review_not_found" if str(path).startswith("/reviews") else "case_not_found", case=case)
        assert response, name


# Expected status and code per role for each endpoint of a case they can see but may not change.
NOT_HANDLER = {
    "transition": "not_a_handler", "flag": "not_a_handler", "proposal": "not_a_handler",
    "recusal": "role_required", "activity": "not_a_handler", "complete": "not_a_handler",
    "party_response": "not_a_handler", "evidence": "not_a_handler", "evidence_from_upload": "not_a_handler",
    "annotation": "not_a_handler", "review_submit": "not_a_handler", "opinion": "not_a_reviewer",
    "escalate": "not_a_handler", "settle": "not_agency_head", "collective": "not_agency_head",
    "decision": "role_required",
}
NO_OFFICER_ROLE = NOT_HANDLER | {"activity": "role_required"}


@pytest.mark.parametrize("role, codes", [
    ("off3", NOT_HANDLER),  # an officer of the unit who does not handle the case
    ("publisher", NO_OFFICER_ROLE),
    ("supervisor", NO_OFFICER_ROLE),  # city supervisor: reads everything, changes nothing
])
def test_roles_that_may_only_read(role, codes, world, people, api):
    client = api(role)
    case = world["case"]
    assert ok(client.get(f"/cases/{case.pk}"))["id"] == str(case.pk)
    for name, method, path, body in _endpoints(world, people):
        error = api_refuses(_call(client, method, path, body), 403, codes[name], case=case)
        assert error, name


def test_roles_that_may_not_file(people, api):
    body = {"kind": "penalty", "title": "某案", "parties": [
        {"type": "organization", "name": "某公司", "uscc": ORG_USCC}]}
    for role in ("publisher", "supervisor", "reviewer", "chief"):
        client = api(role)
        api_refuses(lambda client=client: client.post("/cases", body), 403, "role_required")
    refused(api("hp_head").post("/cases", {**body, "unit": "pudong"}), 400, "unknown_unit")
    assert ok(api("head").post("/cases", body), 201)["unit"] == "pudong"


def test_officer_joins_a_case_by_taking_part(world, people, api):
    """API.md: an officer who records an act he takes part in becomes a handler of the case."""
    case = world["case"]
    client = api("off3")
    body = {"kind": "inspection", "occurred_at": (timezone.now() - dt.timedelta(hours=1)).isoformat(),
            "officer_ids": [str(people["off3"].officer.pk), str(people["off2"].officer.pk)]}
    ok(client.post(f"/cases/{case.pk}/activities", body), 201)
    assert services.is_handler(case, people["off3"])
    ok(client.post(f"/cases/{case.pk}/flags", {"flag": "complex", "reason": "涉及多个法律关系"}))


def test_unit_head_acts_on_every_case_of_his_unit(world, people, api):
    case = world["case"]
    client = api("head")
    body = {"kind": "inspection", "occurred_at": (timezone.now() - dt.timedelta(hours=1)).isoformat(),
            "officer_ids": [str(people["off1"].officer.pk), str(people["off2"].officer.pk)]}
    ok(client.post(f"/cases/{case.pk}/activities", body), 201)
    assert not services.is_handler(case, people["head"])
    assert ok(client.post(f"/cases/{case.pk}/transitions", {"to": "examining"}))["stage"] == "examining"


def _service_calls(world, people, actor):
    """The same acts through the services (the API is only a thin layer over them)."""
    case, rid = world["case"], world["review"].pk
    today = timezone.localdate()
    return {
        "transition": lambda: services.case_transition(case_id=case.pk, actor=actor, to="examining"),
        "flag": lambda: services.case_flag_set(case_id=case.pk, actor=actor, flag="complex", reason="复杂"),
        "proposal": lambda: services.case_propose(case_id=case.pk, actor=actor, penalty_types=["warning"],
                                                  legal_basis=BASIS),
        "complete": lambda: services.activity_complete(case_id=case.pk, activity_id=world["activity"].pk,
                                                       actor=actor),
        "party_response": lambda: services.party_response_record(case_id=case.pk, actor=actor, kind="statement",
                                                                 received_on=today, text="陈述"),
        "evidence": lambda: attach(case, actor, kind="photo"),
        "annotation": lambda: services.case_evidence_annotate(evidence_id=world["evidence"].pk, actor=actor,
                                                              text="更正"),
        "review_submit": lambda: services.case_submit_review(case_id=case.pk, actor=actor, materials=[]),
        "escalate": lambda: services.case_review_escalate(review_id=rid, actor=actor, reason="异议"),
        "decision": lambda: services.case_decide(case_id=case.pk, actor=actor, draft=services.DecisionDraft(
            kind="penalty", decided_on=today, legal_basis=BASIS, facts="事实", conclusion="警告",
            penalty_types=("warning",))),
    }


@pytest.mark.parametrize("role, status, codes", [
    ("off3", 403, NOT_HANDLER),
    ("supervisor", 403, NO_OFFICER_ROLE),
    ("hp_head", 404, None),
])
def test_the_services_refuse_alike(role, status, codes, world, people):
    for name, call in _service_calls(world, people, people[role]).items():
        code = codes[name] if codes else ("review_not_found" if name == "escalate" else "case_not_found")
        assert service_refuses(code, call, case=world["case"], status=status), name


def test_filing_with_assigned_handlers(people):
    """The handlers named at filing (e.g. inspectors drawn at random) handle the case instead of
    the filer; each must be an officer of the handling unit (or a unit below it)."""
    party = [services.PartyInput(type="organization", name="某公司", uscc=ORG_USCC)]
    case = services.case_create(actor=people["head"], kind="inspection", title="随机抽查", parties=party,
                                handlers=[people["off1"], people["off2"], people["off1"]])
    assert set(case.handlers.values_list("user_id", flat=True)) == {people["off1"].pk, people["off2"].pk}
    for stranger in (people["hp_officer"], people["publisher"]):
        with pytest.raises(InvalidInput) as exc:
            services.case_create(actor=people["head"], kind="inspection", title="随机抽查", parties=party,
                                 handlers=[people["off1"], stranger])
        assert exc.value.code == "invalid_handler"
