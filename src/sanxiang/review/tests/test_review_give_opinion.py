"""`review_give_opinion` (出具审核意见): who may review (R7.2), the seven points (R7.4)."""

from __future__ import annotations

import pytest

from sanxiang.core.errors import GuardRefused, InvalidInput, NotFound, PermissionDenied
from sanxiang.review import services
from sanxiang.review.models import ReviewOpinion
from sanxiang.review.tests.conftest import FINDINGS, ledger


@pytest.mark.parametrize("result", ["approved", "problems"])
def test_opinion_sets_the_status(people, submit, opine, result):
    submission = submit()
    opinion = opine(submission, result)
    submission.refresh_from_db()
    assert submission.status == result
    assert (opinion.result, opinion.reviewer, opinion.reviewer_unit_id) == (result, people.reviewer, "city-legal")
    assert opinion.findings == FINDINGS


def test_opinion_writes_one_ledger_entry(people, submit, opine):
    submission = submit()
    opine(submission, "problems", findings={**FINDINGS, "evidence": "  证据不足  "})
    entries = ledger("case:1")
    assert [e["action"] for e in entries] == ["review.submitted", "review.opinion_given"]
    entry = entries[-1]
    assert entry["actor"] == f"user:{people.reviewer.pk}"
    assert entry["payload"]["result"] == "problems"
    assert entry["payload"]["findings"]["evidence"] == "证据不足"
    assert entry["payload"]["reviewer_unit"] == "city-legal"


# --- separation of duties (R7.2, DESIGN.md): each way around it is refused -------------------

def test_reviewer_who_handles_the_case_is_refused(people, make_user, submit, opine):
    legal_handler = make_user("city-legal", "reviewer", "officer")
    submission = submit(involved_user_ids=[people.handler.pk, legal_handler.pk])
    with pytest.raises(PermissionDenied) as err:
        opine(submission, reviewer=legal_handler)
    assert err.value.code == "reviewer_conflict"


def test_reviewer_who_took_part_is_refused(people, make_user, submit, opine):
    """A participant of an on-site act (not a handler) is involved too."""
    witness = make_user("city-legal", "reviewer")
    submission = submit(involved_user_ids=[people.handler.pk, people.participant.pk, witness.pk])
    with pytest.raises(PermissionDenied) as err:
        opine(submission, reviewer=witness)
    assert err.value.code == "reviewer_conflict"


def test_reviewer_who_submitted_is_refused(make_user, submit, opine):
    """A case of the legal unit itself, submitted by one of its reviewers, not listed as involved."""
    submitter = make_user("city-legal", "reviewer", "unit_head")
    submission = submit(unit_code="city-legal", actor=submitter, involved_user_ids=[])
    with pytest.raises(PermissionDenied) as err:
        opine(submission, reviewer=submitter)
    assert err.value.code == "reviewer_conflict"
    assert opine(submission, reviewer=make_user("city-legal", "reviewer")).result == "approved"


@pytest.mark.parametrize(
    ("unit", "roles"),
    [
        pytest.param("pudong", ("officer",), id="handling-unit-officer"),
        pytest.param("pudong", ("unit_head", "agency_head"), id="heads-are-not-reviewers"),
        pytest.param("city-legal", ("officer",), id="legal-unit-member-without-reviewer-role"),
        pytest.param("pudong", ("reviewer",), id="reviewer-role-in-a-unit-that-is-not-legal"),
        pytest.param("city", ("reviewer",), id="reviewer-role-in-the-bureau"),
        pytest.param("city-corps", ("reviewer", "supervisor"), id="reviewer-role-in-the-corps"),
    ],
)
def test_non_reviewers_are_refused(make_user, submit, opine, unit, roles):
    submission = submit()
    with pytest.raises(PermissionDenied) as err:
        opine(submission, reviewer=make_user(unit, *roles))
    assert err.value.code == "not_a_reviewer"
    assert not ReviewOpinion.objects.exists()
    submission.refresh_from_db()
    assert submission.status == "pending"
    assert len(ledger("case:1")) == 1


def test_district_legal_unit_serves_only_its_district(make_user, people, submit, opine, pudong_legal):
    pudong_reviewer = make_user("pudong-legal", "reviewer")
    huangpu_case = submit("case:2", unit_code="huangpu", actor=make_user("huangpu", "unit_head"))
    with pytest.raises(PermissionDenied) as err:
        opine(huangpu_case, reviewer=pudong_reviewer)
    assert err.value.code == "not_a_reviewer"
    assert opine(submit("case:1"), reviewer=pudong_reviewer).reviewer_unit_id == "pudong-legal"
    # the city's legal unit serves the whole city, Huangpu included
    assert opine(huangpu_case, reviewer=people.reviewer).result == "approved"


def test_opinion_on_a_review_that_is_not_pending_is_refused(people, submit, opine):
    submission = submit()
    opine(submission, "problems")
    with pytest.raises(GuardRefused) as err:
        opine(submission, "approved", reviewer=people.other_reviewer)
    assert (err.value.code, err.value.details["status"]) == ("review_not_pending", "problems")
    assert ReviewOpinion.objects.count() == 1


def test_opinion_on_a_withdrawn_review_is_refused(people, submit, opine):
    submission = submit()
    services.review_withdraw(review_id=submission.pk, actor=people.unit_head, reason="撤销立案")
    with pytest.raises(GuardRefused) as err:
        opine(submission)
    assert err.value.code == "review_not_pending"


def test_unknown_review_is_not_found(people):
    for review_id in (999999, "abc", None):
        with pytest.raises(NotFound):
            services.review_give_opinion(review_id=review_id, reviewer=people.reviewer, result="approved",
                                         findings=FINDINGS, text="同意")


INCOMPLETE = [
    pytest.param({"result": "agreed"}, "invalid_result", "result", id="result-unknown"),
    pytest.param({"findings": None}, "findings_required", "findings", id="findings-none"),
    pytest.param({"text": "   "}, "text_required", "text", id="text-blank"),
    pytest.param({"findings": {"mood": "ok", **FINDINGS}}, "unknown_field", "findings.mood", id="findings-extra"),
] + [
    pytest.param({"findings": {k: v for k, v in FINDINGS.items() if k != key}}, "finding_required",
                 f"findings.{key}", id=f"R7.4-missing-{key}")
    for key in FINDINGS
] + [
    pytest.param({"findings": {**FINDINGS, key: " "}}, "finding_required", f"findings.{key}",
                 id=f"R7.4-blank-{key}")
    for key in ("subject", "discretion")
]


@pytest.mark.parametrize(("kwargs", "code", "field"), INCOMPLETE)
def test_incomplete_opinion_is_refused(submit, opine, kwargs, code, field):
    """R7.4: one written finding per review point; R7.5: a written opinion."""
    submission = submit()
    result = kwargs.pop("result", "approved")
    with pytest.raises(InvalidInput) as err:
        opine(submission, result, **kwargs)
    assert (err.value.code, err.value.details["field"]) == (code, field)
    submission.refresh_from_db()
    assert submission.status == "pending"
    assert not ReviewOpinion.objects.exists()
    assert [e["action"] for e in ledger("case:1")] == ["review.submitted"]
