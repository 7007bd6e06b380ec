"""Selectors of legal review: the status the decision gate reads, the reviewer's queue, and
who may see a review (outside scope = 404)."""

from __future__ import annotations

import datetime as dt

import pytest

from sanxiang.core.errors import NotFound
from sanxiang.review import selectors

D = dt.date.fromisoformat


def test_status_of_a_subject_never_submitted(db):
    status = selectors.review_status("case:404")
    assert (status.submission, status.round, status.state, status.approved, status.due_on,
            status.provisional, status.opinion, status.is_open) == (None, 0, None, False, None, False, None, False)
    assert selectors.review_history("case:404") == []
    assert selectors.review_is_approved("case:404") is False


def test_status_follows_the_latest_round(submit, opine, clock):
    clock(D("2026-09-30"))
    submission = submit()
    status = selectors.review_status("case:1")
    assert (status.submission, status.round, status.state, status.approved, status.is_open) == (
        submission, 1, "pending", False, True)
    assert (status.due_on, status.provisional, status.opinion) == (D("2026-10-13"), False, None)
    opinion = opine(submission)
    status = selectors.review_status("case:1")
    assert (status.state, status.approved, status.opinion, status.is_open) == ("approved", True, opinion, False)
    assert selectors.review_is_approved("case:1")


@pytest.fixture
def pending(people, make_user, submit, clock):
    """Pending reviews of Pudong and Huangpu, due on different days, plus a decided one."""
    clock(D("2026-11-20"))
    later = submit("case:1")  # due 11-27
    clock(D("2026-11-16"))
    sooner = submit("case:2", unit_code="huangpu", actor=make_user("huangpu", "unit_head"),
                    involved_user_ids=[people.other_reviewer.pk])  # due 11-23
    done = submit("case:3")
    from sanxiang.review import services
    from sanxiang.review.tests.conftest import FINDINGS
    services.review_give_opinion(review_id=done.pk, reviewer=people.reviewer, result="approved",
                                 findings=FINDINGS, text="同意")
    return {"pudong": later, "huangpu": sooner, "done": done}


def test_queue_of_the_city_legal_unit(people, pending):
    """Pending only, earliest due first; the city legal unit serves every district."""
    assert list(selectors.review_queue(viewer=people.reviewer)) == [pending["huangpu"], pending["pudong"]]


def test_queue_leaves_out_what_the_reviewer_is_involved_in(people, pending):
    """R7.2: never offered a review of a case one took part in."""
    assert list(selectors.review_queue(viewer=people.other_reviewer)) == [pending["pudong"]]


def test_queue_of_a_district_legal_unit(make_user, pending, pudong_legal):
    assert list(selectors.review_queue(viewer=make_user("pudong-legal", "reviewer"))) == [pending["pudong"]]


@pytest.mark.parametrize(("unit", "roles"), [
    ("pudong", ("officer",)), ("pudong", ("reviewer",)), ("city-legal", ("officer",)),
    ("city", ("supervisor", "agency_head")),
])
def test_queue_is_empty_for_non_reviewers(make_user, pending, unit, roles):
    assert list(selectors.review_queue(viewer=make_user(unit, *roles))) == []


def test_queue_leaves_out_what_the_reviewer_submitted(make_user, people, submit):
    submitter = make_user("city-legal", "reviewer", "unit_head")
    own = submit(unit_code="city-legal", actor=submitter, involved_user_ids=[])
    assert list(selectors.review_queue(viewer=submitter)) == []
    assert list(selectors.review_queue(viewer=people.reviewer)) == [own]


@pytest.mark.parametrize(
    ("unit", "roles", "sees"),
    [
        pytest.param("pudong", ("officer",), {"pudong", "done"}, id="handling-unit-officer"),
        pytest.param("huangpu", ("unit_head",), {"huangpu"}, id="other-district"),
        pytest.param("city", ("agency_head",), {"pudong", "huangpu", "done"}, id="city-bureau-scope"),
        pytest.param("city", ("supervisor",), {"pudong", "huangpu", "done"}, id="city-supervisor"),
        pytest.param("city-corps", ("supervisor",), {"pudong", "huangpu", "done"}, id="city-level-supervisor"),
        pytest.param("huangpu", ("supervisor",), {"huangpu"}, id="district-supervisor"),
        pytest.param("city-legal", ("reviewer",), {"pudong", "huangpu", "done"}, id="city-legal-reviewer"),
        pytest.param("city-legal", ("officer",), set(), id="legal-unit-member-not-reviewer"),
        pytest.param("pudong-legal", ("reviewer",), {"pudong", "done"}, id="district-legal-reviewer"),
        pytest.param("city-corps", ("officer",), set(), id="sibling-unit"),
    ],
)
def test_who_may_see_a_review(make_user, pending, pudong_legal, unit, roles, sees):
    viewer = make_user(unit, *roles)
    for name, submission in pending.items():
        if name in sees:
            assert selectors.review_get(viewer=viewer, review_id=str(submission.pk)) == submission
        else:
            with pytest.raises(NotFound) as err:
                selectors.review_get(viewer=viewer, review_id=submission.pk)
            assert err.value.code == "review_not_found"
    assert set(selectors.review_visible(viewer=viewer)) == {pending[n] for n in sees}


def test_review_get_with_a_bad_id_is_not_found(people):
    for review_id in ("x", "", 10**9):
        with pytest.raises(NotFound):
            selectors.review_get(viewer=people.reviewer, review_id=review_id)


def test_history_is_oldest_first(submit, opine, people):
    opine(submit(), "problems")
    opine(submit(), "approved", reviewer=people.other_reviewer)
    submit()
    rounds = selectors.review_history("case:1")
    assert [(r.submission.round, r.submission.status, r.opinion and r.opinion.result) for r in rounds] == [
        (1, "problems", "problems"), (2, "approved", "approved"), (3, "pending", None)]
