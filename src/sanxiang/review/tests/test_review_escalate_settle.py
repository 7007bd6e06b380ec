"""Disagreement (意见分歧): `review_escalate` after a `problems` opinion, `review_settle` by the
agency head on the record (RULES.md R7.5, DESIGN.md separation of duties); resubmission rounds
(GD-FS 第20条)."""

from __future__ import annotations

import pytest

from sanxiang.core.errors import GuardRefused, InvalidInput, NotFound, PermissionDenied
from sanxiang.review import selectors, services
from sanxiang.review.models import ReviewEscalation
from sanxiang.review.tests.conftest import ledger


@pytest.fixture
def problems(submit, opine):
    submission = submit()
    opine(submission, "problems")
    return submission


@pytest.fixture
def escalated(people, problems):
    services.review_escalate(review_id=problems.pk, actor=people.unit_head, reason="处理单位认为证据已充分")
    return problems


def test_escalate_after_problems(people, problems):
    escalation = services.review_escalate(review_id=problems.pk, actor=people.handler, reason="证据已充分")
    problems.refresh_from_db()
    assert problems.status == "escalated"
    assert (escalation.raised_by, escalation.reason, escalation.is_settled) == (people.handler, "证据已充分", False)
    entry = ledger("case:1")[-1]
    assert (entry["action"], entry["actor"]) == ("review.escalated", f"user:{people.handler.pk}")
    assert entry["payload"] == {"review": problems.pk, "round": 1, "reason": "证据已充分"}


def test_escalate_before_any_opinion_is_refused(people, submit):
    submission = submit()
    with pytest.raises(GuardRefused) as err:
        services.review_escalate(review_id=submission.pk, actor=people.unit_head, reason="x")
    assert (err.value.code, err.value.details["status"]) == ("not_escalatable", "pending")
    assert not ReviewEscalation.objects.exists()


def test_escalate_an_approved_review_is_refused(people, submit, opine):
    submission = submit()
    opine(submission, "approved")
    with pytest.raises(GuardRefused) as err:
        services.review_escalate(review_id=submission.pk, actor=people.unit_head, reason="x")
    assert err.value.code == "not_escalatable"


def test_escalate_twice_is_refused(people, escalated):
    with pytest.raises(GuardRefused) as err:
        services.review_escalate(review_id=escalated.pk, actor=people.unit_head, reason="again")
    assert err.value.code == "not_escalatable"
    assert ReviewEscalation.objects.count() == 1


def test_escalate_a_superseded_round_is_refused(people, problems, submit):
    submit()  # round 2 after fixing the problems
    with pytest.raises(GuardRefused) as err:
        services.review_escalate(review_id=problems.pk, actor=people.unit_head, reason="x")
    assert err.value.code == "not_escalatable"


def test_escalate_needs_a_reason_and_the_scope(people, problems):
    with pytest.raises(InvalidInput) as err:
        services.review_escalate(review_id=problems.pk, actor=people.unit_head, reason="  ")
    assert (err.value.code, err.value.details["field"]) == ("reason_required", "reason")
    with pytest.raises(NotFound):
        services.review_escalate(review_id=problems.pk, actor=people.huangpu_officer, reason="x")
    problems.refresh_from_db()
    assert problems.status == "problems"


def test_escalated_subject_cannot_be_resubmitted(escalated, submit):
    with pytest.raises(GuardRefused) as err:
        submit()
    assert err.value.code == "review_pending"


@pytest.mark.parametrize(("settlement", "status", "approved"), [
    ("approved", "settled_approved", True),
    ("upheld", "settled_upheld", False),
])
def test_agency_head_settles(people, escalated, settlement, status, approved):
    escalation = services.review_settle(review_id=escalated.pk, agency_head=people.head,
                                        settlement=settlement, text="经协调，作出决定。")
    escalated.refresh_from_db()
    assert escalated.status == status
    assert (escalation.settled_by, escalation.settlement, escalation.is_settled) == (people.head, settlement, True)
    assert selectors.review_status("case:1").approved is approved
    entry = ledger("case:1")[-1]
    assert (entry["action"], entry["actor"]) == ("review.settled", f"user:{people.head.pk}")
    assert entry["payload"]["settlement"] == settlement


def test_head_of_a_unit_above_may_settle(people, escalated):
    services.review_settle(review_id=escalated.pk, agency_head=people.city_head, settlement="upheld", text="维持")
    escalated.refresh_from_db()
    assert escalated.status == "settled_upheld"


@pytest.mark.parametrize(
    ("unit", "roles"),
    [
        pytest.param("pudong", ("unit_head",), id="unit-head"),
        pytest.param("pudong", ("officer",), id="handler"),
        pytest.param("city-legal", ("reviewer",), id="reviewer"),
        pytest.param("city", ("supervisor",), id="city-supervisor"),
        pytest.param("huangpu", ("agency_head",), id="head-of-another-district"),
        pytest.param("city-corps", ("agency_head",), id="head-of-a-sibling-unit"),
    ],
)
def test_settle_by_non_head_is_refused(make_user, escalated, unit, roles):
    with pytest.raises(PermissionDenied) as err:
        services.review_settle(review_id=escalated.pk, agency_head=make_user(unit, *roles),
                               settlement="approved", text="同意")
    assert err.value.code == "not_agency_head"
    escalated.refresh_from_db()
    assert escalated.status == "escalated"
    assert ledger("case:1")[-1]["action"] == "review.escalated"


def test_settle_what_is_not_escalated_is_refused(people, problems):
    with pytest.raises(GuardRefused) as err:
        services.review_settle(review_id=problems.pk, agency_head=people.head, settlement="approved", text="x")
    assert err.value.code == "not_escalated"


def test_settle_twice_is_refused(people, escalated):
    services.review_settle(review_id=escalated.pk, agency_head=people.head, settlement="upheld", text="维持")
    with pytest.raises(GuardRefused) as err:
        services.review_settle(review_id=escalated.pk, agency_head=people.city_head, settlement="approved",
                               text="改判")
    assert err.value.code == "not_escalated"
    escalation = ReviewEscalation.objects.get()
    assert (escalation.settlement, escalation.settled_by) == ("upheld", people.head)


@pytest.mark.parametrize(("settlement", "text", "code", "field"), [
    ("agreed", "x", "invalid_settlement", "settlement"),
    ("approved", " ", "text_required", "text"),
])
def test_settle_bad_input(people, escalated, settlement, text, code, field):
    with pytest.raises(InvalidInput) as err:
        services.review_settle(review_id=escalated.pk, agency_head=people.head, settlement=settlement, text=text)
    assert (err.value.code, err.value.details["field"]) == (code, field)
    assert not ReviewEscalation.objects.get().is_settled


def test_withdraw_an_escalation(people, escalated, submit):
    services.review_withdraw(review_id=escalated.pk, actor=people.unit_head, reason="补充证据后重新送审")
    assert submit().round == 2


# --- rounds (GD-FS 第20条: resubmit after fixing) ------------------------------------------------

def test_problems_then_round_two_approved(people, submit, opine):
    first = submit()
    opine(first, "problems")
    status = selectors.review_status("case:1")
    assert (status.round, status.state, status.approved) == (1, "problems", False)

    second = submit(note="已补充证据", materials=[*first.materials, "expert_opinion"])
    assert second.round == 2
    opine(second, "approved", reviewer=people.other_reviewer)

    status = selectors.review_status("case:1")
    assert (status.round, status.state, status.approved) == (2, "approved", True)
    assert status.opinion.reviewer == people.other_reviewer
    history = selectors.review_history("case:1")
    assert [(r.submission.round, r.opinion.result) for r in history] == [(1, "problems"), (2, "approved")]
    assert [e["action"] for e in ledger("case:1")] == [
        "review.submitted", "review.opinion_given", "review.submitted", "review.opinion_given"]


def test_upheld_then_round_two(people, escalated, submit):
    services.review_settle(review_id=escalated.pk, agency_head=people.head, settlement="upheld", text="维持")
    assert submit().round == 2
    history = selectors.review_history("case:1")
    assert history[0].escalation.settlement == "upheld"
    assert history[1].escalation is None and history[1].opinion is None


def test_approved_then_a_new_round_is_possible(submit, opine):
    """An approved review does not block a new round (e.g. the proposed decision changed)."""
    opine(submit())
    second = submit()
    assert second.round == 2
    assert selectors.review_status("case:1").approved is False  # the latest round decides
