"""Legal review guards (法制审核): who may give the opinion, what `problems` does, who escalates
and settles — each tried through the service and through the API.

行政处罚法 第58条; RULES.md R7.2 (never the handler; separation of duties), R7.5 (outcomes,
resubmission, disagreement settled by the agency head); API.md "Legal review".
"""

from __future__ import annotations

from sanxiang.cases import services
from sanxiang.cases.models import CaseHandler
from sanxiang.cases.tests.helpers import (
    FINDINGS,
    MATERIALS,
    actions,
    answer,
    both_refuse,
    decide,
    discuss,
    notified,
    ok,
    opinion,
    record,
    reload,
    submit,
)

BODY = {"result": "approved", "findings": FINDINGS, "text": "同意拟处罚意见。"}


def _submitted(people):
    case = notified(people)
    answer(case, people["off1"], "statement")
    answer(case, people["off1"], "hearing_waiver", text="")
    return reload(case), submit(case, people["off1"])


def _opinion_both(code, status, submission, case, name, people, api, result="approved"):
    client = api(name)
    return both_refuse(code, status, lambda: opinion(submission, people[name], result=result),
                       lambda: client.post(f"/reviews/{submission.pk}/opinion", {**BODY, "result": result}),
                       case=case)


def test_reviewer_who_took_part_is_in_conflict(people, api):
    """A legal-unit reviewer who joined the inspection (联合执法) cannot review: 403 reviewer_conflict."""
    case = notified(people)
    record(case, people["off1"], people["off1"], people["joined"])
    submission = submit(case, people["off1"])
    _opinion_both("reviewer_conflict", 403, submission, case, "joined", people, api)


def test_reviewer_who_handles_the_case_is_in_conflict(people, api):
    case = notified(people)
    CaseHandler.objects.create(case=case, user=people["joined"])  # assigned as handler (承办人)
    submission = submit(case, people["off1"])
    _opinion_both("reviewer_conflict", 403, submission, case, "joined", people, api)


def test_reviewer_who_took_part_after_the_submission_is_in_conflict(people, api):
    """Separation of duties is judged when the opinion is given, not only at submission."""
    case, submission = _submitted(people)
    record(case, people["off1"], people["off1"], people["joined"], kind="sampling")
    _opinion_both("reviewer_conflict", 403, submission, case, "joined", people, api)


def test_recused_reviewer_is_in_conflict(people, api):
    case, submission = _submitted(people)
    services.case_recusal_declare(case_id=case.pk, actor=people["head"], user_id=people["reviewer"].pk,
                                  reason="与当事人法定代表人系近亲属")
    _opinion_both("reviewer_conflict", 403, submission, case, "reviewer", people, api)


def test_only_a_legal_unit_reviewer_may_give_the_opinion(people, api, make_user):
    """Handlers, heads and a `reviewer` outside a legal unit: 403 not_a_reviewer."""
    case, submission = _submitted(people)
    people["unit_reviewer"] = make_user("pudong", "reviewer")  # role, but not in a legal unit
    for name in ("off1", "off3", "head", "chief", "unit_reviewer"):
        _opinion_both("not_a_reviewer", 403, submission, case, name, people, api)
    ok(api("reviewer").post(f"/reviews/{submission.pk}/opinion", BODY))


def test_outside_the_scope_a_review_is_not_found(people, api):
    """Another district's staff: 404 on opinion, escalation and settlement alike."""
    case, submission = _submitted(people)
    hp_officer, hp_head, hp_chief = api("hp_officer"), api("hp_head"), api("hp_chief")
    both_refuse("review_not_found", 404, lambda: opinion(submission, people["hp_officer"]),
                lambda: hp_officer.post(f"/reviews/{submission.pk}/opinion", BODY), case=case)
    opinion(submission, people["reviewer"], result="problems")
    both_refuse("review_not_found", 404,
                lambda: services.case_review_escalate(review_id=submission.pk, actor=people["hp_head"], reason="异议"),
                lambda: hp_head.post(f"/reviews/{submission.pk}/escalate", {"reason": "异议"}), case=case)
    services.case_review_escalate(review_id=submission.pk, actor=people["head"], reason="对审核意见有异议")
    both_refuse("review_not_found", 404,
                lambda: services.case_review_settle(review_id=submission.pk, actor=people["hp_chief"],
                                                    settlement="approved", text="同意"),
                lambda: hp_chief.post(f"/reviews/{submission.pk}/settle", {"settlement": "approved", "text": "同意"}),
                case=case)


def test_problems_send_the_case_back_then_escalation_and_settlement(people, api):
    """`problems` → the case is back at examining (ledger `case.transition`); a non-handler may not
    escalate (403 not_a_handler); a unit head may not settle (403 not_agency_head); the agency
    head settles `approved` and the latest round counts as approved."""
    case, submission = _submitted(people)
    ok(api("reviewer").post(f"/reviews/{submission.pk}/opinion", {**BODY, "result": "problems"}))
    case = reload(case)
    assert case.stage == "examining"
    off3 = api("off3")
    both_refuse("not_a_handler", 403,
                lambda: services.case_review_escalate(review_id=submission.pk, actor=people["off3"], reason="异议"),
                lambda: off3.post(f"/reviews/{submission.pk}/escalate", {"reason": "异议"}), case=case)
    ok(api("off1").post(f"/reviews/{submission.pk}/escalate", {"reason": "处罚幅度符合裁量基准"}))
    head = api("head")
    both_refuse("not_agency_head", 403,
                lambda: services.case_review_settle(review_id=submission.pk, actor=people["head"],
                                                    settlement="approved", text="同意"),
                lambda: head.post(f"/reviews/{submission.pk}/settle", {"settlement": "approved", "text": "同意"}),
                case=case)
    settled = ok(api("chief").post(f"/reviews/{submission.pk}/settle", {"settlement": "approved", "text": "同意"}))
    assert settled["status"] == "settled_approved"


def test_a_second_opinion_on_the_same_round_is_refused(people, api):
    case, submission = _submitted(people)
    opinion(submission, people["reviewer"])
    _opinion_both("review_not_pending", 409, submission, case, "reviewer", people, api, result="problems")


def test_settled_approval_lets_the_case_go_ahead(people, api):
    """R7.5: after the agency head settles `approved`, the case returns to legal review and can be
    discussed and decided without a new notice or a new round."""
    case, submission = _submitted(people)
    opinion(submission, people["reviewer"], result="problems")
    services.case_review_escalate(review_id=submission.pk, actor=people["off1"], reason="处罚幅度符合裁量基准")
    ok(api("chief").post(f"/reviews/{submission.pk}/settle", {"settlement": "approved", "text": "同意拟处理意见"}))
    case = reload(case)
    assert case.stage == "legal_review"
    discuss(case, people)
    decide(case, people["chief"])
    assert reload(case).stage == "decided"


def test_pulling_the_case_back_withdraws_the_pending_review(people, api):
    """legal_review → examining while the review is pending: the round is withdrawn (ledger
    `review.withdrawn`), so the case can be submitted again (round 2)."""
    case, submission = _submitted(people)
    ok(api("off1").post(f"/cases/{case.pk}/transitions", {"to": "examining", "note": "补充调查"}))
    submission.refresh_from_db()
    assert submission.status == "withdrawn"
    assert "review.withdrawn" in actions(case)
    again = ok(api("off1").post(f"/cases/{case.pk}/reviews", {"materials": MATERIALS}), 201)
    assert again["round"] == 2
