"""Guards on the decision (作出决定) and on the stages around it, each one tried through the
service and through the API, each refusal leaving no row and no ledger entry.

行政处罚法 第44、45条 (notice, statement and defence), 第57条 (collective discussion), 第58条
(legal review of major decisions), 第61条 (service), 第62条 (no decision without hearing the
party), 第63、64条 (hearing); RULES.md R5.8, R6, R7; API.md "Cases", "Decision".
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from sanxiang.cases import deadlines, services
from sanxiang.cases.models import Decision
from sanxiang.cases.tests.helpers import (
    BASIS,
    answer,
    approve,
    attach,
    both_refuse,
    complete,
    decide,
    decided,
    decision_body,
    discuss,
    draft,
    examining,
    move,
    notified,
    notified_long_ago,
    ok,
    opinion,
    propose,
    ready_major,
    record,
    reload,
    service_refuses,
    set_state,
    submit,
)

TODAY = timezone.localdate


def _decide_both(code, status, case, actor_name, people, api, **kwargs):
    client = api(actor_name)
    return both_refuse(code, status, lambda: decide(case, people[actor_name], **kwargs),
                       lambda: client.post(f"/cases/{case.pk}/decision", decision_body(**kwargs)), case=case)


# ------------------------------------------------------------------------- legal review (第58条)


def test_major_decision_without_review_is_refused(people, api):
    """No review at all, then a pending one: 409 legal_review_required naming the reasons."""
    case = notified(people)
    answer(case, people["off1"], "statement")
    answer(case, people["off1"], "hearing_waiver", text="")
    error = _decide_both("legal_review_required", 409, case, "chief", people, api)
    assert [r["code"] for r in error["details"]["reasons"]] == ["major.fine_org"]
    submit(case, people["off1"])
    _decide_both("legal_review_required", 409, reload(case), "chief", people, api)


def test_problems_send_the_case_back_and_keep_blocking_the_decision(people, api):
    """A `problems` opinion moves the case back to examining (ledger `case.transition`); re-notified,
    the decision is still refused while the latest round is not approved."""
    case = notified(people)
    off1 = people["off1"]
    answer(case, off1, "statement")
    answer(case, off1, "hearing_waiver", text="")
    submission = submit(case, off1)
    assert reload(case).stage == "legal_review"
    opinion(submission, people["reviewer"], result="problems")
    case = reload(case)
    assert case.stage == "examining"
    _decide_both("transition_not_allowed", 409, case, "chief", people, api)
    case = set_state(move(case, off1, "notified"), notified_on=TODAY() - dt.timedelta(days=30))
    _decide_both("legal_review_required", 409, case, "chief", people, api)


def test_decision_heavier_than_the_reviewed_proposal_is_refused(people, api):
    """Approved for 500,000 yuan: 600,000 or an added penalty type needs a new review; less is fine."""
    case = ready_major(people)
    error = _decide_both("legal_review_required", 409, case, "chief", people, api, fine="600000.00")
    assert error["details"]["reviewed"]["fine_amount"] == "500000.00"
    _decide_both("legal_review_required", 409, case, "chief", people, api, types=("fine", "confiscation"))
    made = ok(api("chief").post(f"/cases/{case.pk}/decision", decision_body(fine="400000.00")), 201)
    assert made["fine_amount"] == "400000.00"


def test_decision_made_major_by_itself_needs_review(people, api):
    """A case proposed as a warning, decided as a closure: the decision itself is major (API.md)."""
    case = notified_long_ago(people, fine=None, types=("warning",))
    _decide_both("legal_review_required", 409, case, "chief", people, api, fine=None, types=("closure",))


# ----------------------------------------------------------------- collective discussion (第57条)


def test_major_decision_needs_collective_discussion(people, api):
    case = notified(people)
    off1 = people["off1"]
    answer(case, off1, "statement")
    answer(case, off1, "hearing_waiver", text="")
    approve(case, people)
    _decide_both("collective_discussion_required", 409, reload(case), "chief", people, api)
    discuss(case, people)
    ok(api("chief").post(f"/cases/{case.pk}/decision", decision_body()), 201)


def test_collective_discussion_before_the_review_does_not_count(people, api):
    """R7.7: legal review precedes the heads' discussion. A discussion held while the case was not
    yet major (100,000 yuan) does not cover the 500,000-yuan decision reviewed afterwards."""
    case = notified_long_ago(people, fine="100000.00")
    off1 = people["off1"]
    assert not case.major
    discuss(case, people)
    assert reload(case).stage == "collective_discussion"
    move(case, off1, "examining")
    propose(case, off1, fine="500000.00")
    move(case, off1, "notified")
    answer(case, off1, "statement")
    answer(case, off1, "hearing_waiver", text="")
    approve(case, people)
    _decide_both("collective_discussion_required", 409, reload(case), "chief", people, api)
    discuss(case, people)
    decide(case, people["chief"])


def test_decision_heavier_than_the_notified_proposal_needs_a_new_notice(people, api):
    """APL 第44条: the party is told the proposed penalty. Notified of 10,000 yuan, a 40,000-yuan
    decision is refused (409 not_notified); raising the proposal reopens the notice."""
    case = notified_long_ago(people, fine="10000.00")
    _decide_both("not_notified", 409, case, "head", people, api, fine="40000.00")
    propose(case, people["off1"], fine="40000.00")
    case = reload(case)
    assert case.notified_on is None
    _decide_both("not_notified", 409, case, "head", people, api, fine="40000.00")
    move(case, people["off1"], "examining")
    move(case, people["off1"], "notified")
    answer(case, people["off1"], "waiver", text="")
    decide(case, people["head"], fine="40000.00")


def test_collective_discussion_of_a_major_case_waits_for_the_review(people, api):
    case = notified(people)
    chief = api("chief")
    body = {"held_on": TODAY().isoformat(), "attendees": [str(people["chief"].pk), str(people["deputy"].pk)],
            "conclusion": "同意"}
    both_refuse("legal_review_required", 409, lambda: discuss(case, people),
                lambda: chief.post(f"/cases/{case.pk}/collective-discussion", body), case=case)
    head = api("head")
    both_refuse("legal_review_required", 409, lambda: move(case, people["head"], "collective_discussion"),
                lambda: head.post(f"/cases/{case.pk}/transitions", {"to": "collective_discussion"}), case=case)


# ------------------------------------------------- statement and hearing periods (第44、45、62、64条)


def test_decision_refused_while_the_statement_period_runs(people, api):
    """Notified today, no statement nor waiver: 409 statement_period_open with the due date."""
    case = notified(people)
    answer(case, people["off1"], "hearing_waiver", text="")
    approve(case, people)
    discuss(case, people)
    error = _decide_both("statement_period_open", 409, reload(case), "chief", people, api)
    assert error["details"]["due_on"] == deadlines.due(case, "statement").date.isoformat()
    answer(case, people["off1"], "waiver", text="")
    decide(case, people["chief"])


def test_decision_refused_while_the_hearing_request_period_runs(people, api):
    """The statement is in, but the party may still ask for a hearing (APL 第64条)."""
    case = notified(people)
    answer(case, people["off1"], "statement")
    approve(case, people)
    discuss(case, people)
    error = _decide_both("statement_period_open", 409, reload(case), "chief", people, api)
    assert error["details"]["due_on"] == deadlines.due(case, "hearing_request").date.isoformat()


def test_backdated_decision_inside_the_statement_period_is_refused(people, api):
    """The periods ran out long ago, but a decision dated inside them would precede the party's
    chance to answer: the guard reads the decision date, not only today."""
    case = notified_long_ago(people, fine="10000.00")  # not major, no hearing
    case = set_state(case, registered_on=TODAY() - dt.timedelta(days=60))
    inside = case.notified_on + dt.timedelta(days=1)
    _decide_both("statement_period_open", 409, case, "head", people, api, fine="10000.00", on=inside)
    before_notice = case.notified_on - dt.timedelta(days=1)
    service_refuses("invalid_date", lambda: decide(case, people["head"], fine="10000.00", on=before_notice),
                    case=case)
    decide(case, people["head"], fine="10000.00")


def test_statement_received_after_the_decision_date_does_not_count(people, api):
    """A waiver received today cannot cover a decision dated before it."""
    case = notified(people, fine="10000.00")
    case = set_state(case, registered_on=TODAY() - dt.timedelta(days=60),
                     notified_on=TODAY() - dt.timedelta(days=2))
    answer(case, people["off1"], "waiver", text="")
    _decide_both("statement_period_open", 409, case, "head", people, api, fine="10000.00",
                 on=TODAY() - dt.timedelta(days=1))
    decide(case, people["head"], fine="10000.00")


def test_requested_hearing_must_be_held(people, api):
    """60,000 yuan against a company: hearing offered (Shanghai threshold), not major. Requested →
    409 hearing_pending until a hearing activity is complete; the hearing held makes it major."""
    case = notified_long_ago(people, fine="60000.00")
    assert case.hearing_offered and not case.major
    off1 = people["off1"]
    answer(case, off1, "hearing_request", on=case.notified_on + dt.timedelta(days=1), text="申请听证")
    _decide_both("hearing_pending", 409, case, "head", people, api, fine="60000.00")
    hearing = record(case, off1, people["off3"], kind="hearing")
    _decide_both("hearing_pending", 409, case, "head", people, api, fine="60000.00")
    complete(case, off1, hearing)
    _decide_both("role_required", 403, case, "head", people, api, fine="60000.00")
    _decide_both("legal_review_required", 409, case, "chief", people, api, fine="60000.00")


def test_skipping_a_requested_hearing_is_refused(people, api):
    """API.md: skipping the hearing stage is allowed only when no hearing was requested."""
    case = notified_long_ago(people, fine="60000.00")
    answer(case, people["off1"], "hearing_request", on=case.notified_on + dt.timedelta(days=1), text="申请听证")
    head = api("head")
    both_refuse("hearing_pending", 409, lambda: move(case, people["head"], "collective_discussion"),
                lambda: head.post(f"/cases/{case.pk}/transitions", {"to": "collective_discussion"}), case=case)
    off1 = api("off1")
    both_refuse("hearing_pending", 409, lambda: submit(case, people["off1"]),
                lambda: off1.post(f"/cases/{case.pk}/reviews", {"materials": ["investigation_report"]}),
                case=case)
    move(case, people["off1"], "hearing")


def test_hearing_not_offered(people, api):
    """Notified of a warning (no hearing offered), decided with a 60,000-yuan fine: notify again."""
    case = notified_long_ago(people, fine=None, types=("warning",))
    assert not case.hearing_offered
    error = _decide_both("hearing_not_offered", 409, case, "head", people, api, fine="60000.00")
    assert error["details"]["reasons"]
    off1 = api("off1")
    body = {"kind": "hearing_request", "received_on": TODAY().isoformat(), "text": "申请听证"}
    both_refuse("hearing_not_offered", 409,
                lambda: answer(case, people["off1"], "hearing_request"),
                lambda: off1.post(f"/cases/{case.pk}/party-responses", body), case=case)


def test_hearing_request_after_the_period_is_late(people, api):
    case = notified_long_ago(people, fine="60000.00")
    due = deadlines.due(case, "hearing_request").date
    late = due + dt.timedelta(days=1)
    off1 = api("off1")
    body = {"kind": "hearing_request", "received_on": late.isoformat(), "text": "申请听证"}
    error = both_refuse("hearing_request_late", 409,
                        lambda: answer(case, people["off1"], "hearing_request", on=late),
                        lambda: off1.post(f"/cases/{case.pk}/party-responses", body), case=case)
    assert error["details"]["due_on"] == due.isoformat()
    answer(case, people["off1"], "hearing_request", on=due)


def test_not_notified(people, api):
    """Reviewed straight from examining, never notified: 409 not_notified (APL 第44条)."""
    case = examining(people)
    approve(case, people)
    discuss(case, people)
    _decide_both("not_notified", 409, reload(case), "chief", people, api)
    off1 = api("off1")
    body = {"kind": "statement", "received_on": TODAY().isoformat(), "text": "陈述"}
    both_refuse("not_notified", 409, lambda: answer(case, people["off1"], "statement"),
                lambda: off1.post(f"/cases/{case.pk}/party-responses", body), case=case)


def test_proposal_required(people, api):
    case = examining(people, types=())
    off1 = api("off1")
    both_refuse("proposal_required", 409, lambda: move(case, people["off1"], "notified"),
                lambda: off1.post(f"/cases/{case.pk}/transitions", {"to": "notified"}), case=case)
    both_refuse("proposal_required", 409, lambda: submit(case, people["off1"]),
                lambda: off1.post(f"/cases/{case.pk}/reviews", {"materials": ["investigation_report"]}),
                case=case)


# ------------------------------------------------------------------------------ service (第61条)


def test_serving_needs_a_completed_service_record_after_the_decision(people, api):
    case, _decision = decided(people)
    off1 = people["off1"]
    client = api("off1")

    def attempt():
        both_refuse("service_record_required", 409, lambda: move(case, off1, "served"),
                    lambda: client.post(f"/cases/{case.pk}/transitions", {"to": "served"}), case=case)

    attempt()
    earlier = record(case, off1, off1, people["off2"], kind="service",
                     at=timezone.now() - dt.timedelta(days=2))  # e.g. the notice, served before
    complete(case, off1, earlier)
    attempt()
    service = record(case, off1, off1, people["off2"], kind="service")
    attempt()  # recorded, not complete
    complete(case, off1, service)
    assert ok(client.post(f"/cases/{case.pk}/transitions", {"to": "served"}))["stage"] == "served"


# ----------------------------------------------------------------------- closed, decided, roles


def test_decision_cannot_be_made_twice(people, api):
    case, decision = decided(people)
    _decide_both("already_decided", 409, case, "chief", people, api)
    off1 = api("off1")
    both_refuse("already_decided", 409, lambda: propose(case, people["off1"], fine="1.00"),
                lambda: off1.put(f"/cases/{case.pk}/proposal", {"penalty_types": ["fine"], "fine_amount": "1.00",
                                                                "legal_basis": BASIS}), case=case)
    body = {"kind": "statement", "received_on": TODAY().isoformat(), "text": "陈述"}
    both_refuse("already_decided", 409, lambda: answer(case, people["off1"], "statement"),
                lambda: off1.post(f"/cases/{case.pk}/party-responses", body), case=case)
    both_refuse("already_decided", 409,
                lambda: services.case_flag_set(case_id=case.pk, actor=people["off1"], flag="complex", reason="复杂"),
                lambda: off1.post(f"/cases/{case.pk}/flags", {"flag": "complex", "reason": "复杂"}), case=case)
    assert Decision.objects.filter(case=case).count() == 1


def test_closed_case_takes_nothing_more(people, api):
    for stage in ("closed", "withdrawn", "archived"):
        case = set_state(examining(people), stage=stage)
        off1 = api("off1")
        both_refuse("case_closed", 409, lambda case=case: record(case, people["off1"], people["off1"], people["off2"]),
                    lambda case=case: off1.post(f"/cases/{case.pk}/activities", {
                        "kind": "inspection", "occurred_at": timezone.now().isoformat(),
                        "officer_ids": [str(people["off1"].officer.pk), str(people["off2"].officer.pk)]}),
                    case=case)
        both_refuse("case_closed", 409,
                    lambda case=case: services.case_flag_set(case_id=case.pk, actor=people["off1"], flag="complex",
                                                             reason="复杂"),
                    lambda case=case: off1.post(f"/cases/{case.pk}/flags", {"flag": "complex", "reason": "复杂"}),
                    case=case)
        both_refuse("case_closed", 409, lambda case=case: propose(case, people["off1"], fine="1.00"),
                    lambda case=case: off1.put(f"/cases/{case.pk}/proposal", {
                        "penalty_types": ["fine"], "fine_amount": "1.00", "legal_basis": BASIS}), case=case)
        both_refuse("case_closed", 409, lambda case=case: answer(case, people["off1"], "statement"),
                    lambda case=case: off1.post(f"/cases/{case.pk}/party-responses", {
                        "kind": "statement", "received_on": TODAY().isoformat(), "text": "陈述"}), case=case)
        service_refuses("case_closed", lambda case=case: attach(case, people["off1"], kind="photo"), case=case)
        api_refuse_upload = off1.upload(case.pk, kind="photo")
        assert api_refuse_upload.status_code == 409 and api_refuse_upload.json()["error"]["code"] == "case_closed"


def test_who_decides(people, api):
    """Major: the agency head only (403 role_required for the unit head and officers); not major:
    the unit head may decide too (API.md "Who may act")."""
    case = ready_major(people)
    _decide_both("role_required", 403, case, "head", people, api)
    _decide_both("role_required", 403, case, "off1", people, api)
    small = notified_long_ago(people, fine="10000.00")
    _decide_both("role_required", 403, small, "off1", people, api, fine="10000.00")
    made = ok(api("head").post(f"/cases/{small.pk}/decision", decision_body(fine="10000.00")), 201)
    assert made["major"] is False
    services.case_decide(case_id=case.pk, actor=people["chief"], draft=draft())


def test_penalty_case_cannot_be_decided_as_another_kind(people, api):
    """A major penalty case (500,000 yuan proposed) decided as kind `other` without penalty types would
    escape the major and hearing rules and let the unit head decide: 400 decision_kind_mismatch."""
    case = notified_long_ago(people)
    assert case.major
    error = _decide_both("decision_kind_mismatch", 400, case, "head", people, api, kind="other", fine=None, types=())
    assert error["details"]["field"] == "kind" and error["details"]["allowed"] == ["penalty"]


def test_lighter_decision_is_judged_on_its_own_amounts(people, api):
    """Proposed: warning and a 500,000-yuan fine (major). Decided: a warning only — the decision is
    judged on its own (no fine), not on the proposal's amount: not major, the unit head decides."""
    case = notified_long_ago(people, types=("warning", "fine"))
    assert case.major
    made = ok(api("head").post(f"/cases/{case.pk}/decision", decision_body(fine=None, types=("warning",))), 201)
    assert made["major"] is False and made["fine_amount"] is None
