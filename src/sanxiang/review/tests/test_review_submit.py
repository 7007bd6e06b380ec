"""`review_submit` (送审): rounds, materials, due dates in working days, and its guards."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from sanxiang.calendar.selectors import add_working_days
from sanxiang.core.errors import GuardRefused, InvalidInput, NotFound
from sanxiang.review import services
from sanxiang.review.constants import REQUIRED_MATERIALS
from sanxiang.review.models import ReviewSubmission
from sanxiang.review.tests.conftest import ledger

D = dt.date.fromisoformat


def test_submit_opens_round_one(people, submit):
    submission = submit(note="拟罚款50万元", hearing_held=False,
                        major_reasons=[{"code": "fine_large", "version": 1, "reason": "罚款50万元",
                                        "citation": "行政处罚法 第58条"}],
                        proposal={"kind": "penalty", "fine_amount": Decimal("500000.00")})
    assert (submission.round, submission.status, submission.unit_code) == (1, "pending", "pudong")
    assert submission.involved_user_ids == sorted([people.handler.pk, people.participant.pk])
    assert submission.proposal == {"kind": "penalty", "fine_amount": "500000.00"}
    assert submission.submitted_by == people.unit_head
    assert [t["name"] for t in submission.time_limits] == ["review"]


def test_submit_writes_one_ledger_entry(people, submit):
    submission = submit(proposal={"fine_amount": "500000.00"})
    [entry] = ledger("case:1")
    assert entry["action"] == "review.submitted"
    assert entry["actor"] == f"user:{people.unit_head.pk}"
    payload = entry["payload"]
    assert payload["review"] == submission.pk and payload["round"] == 1
    assert payload["unit"] == "pudong"
    assert payload["materials"] == list(REQUIRED_MATERIALS)
    assert payload["due_on"] == submission.due_on.isoformat()
    assert payload["proposal"] == {"fine_amount": "500000.00"}


@pytest.mark.parametrize(
    ("submitted", "complex_case", "due", "provisional"),
    [
        # 5 WD after 09-30 skipping Oct 1–7 (National Day), counting Sat 10-10 (调休):
        # Oct 8, 9, 10, 12, 13.
        pytest.param("2026-09-30", False, "2026-10-13", False, id="R7.6-5wd-over-national-day-2026"),
        pytest.param("2026-09-30", True, "2026-10-16", False, id="R7.6-5+3wd-complex"),
        pytest.param("2026-11-20", False, "2026-11-27", False, id="R7.6-5wd-ordinary-week"),
        # 2027 has no official schedule yet (R10.3): computed on weekends + Jan 1, provisional.
        pytest.param("2026-12-28", False, "2027-01-05", True, id="R7.6-into-2027-provisional"),
    ],
)
def test_due_date_in_working_days(submit, clock, submitted, complex_case, due, provisional):
    """RULES.md R7.6: 5 working days, +3 when complex (GD-FS); 行政处罚法 第85条 counting."""
    clock(D(submitted))
    submission = submit(complex_case=complex_case)
    assert (submission.due_on, submission.due_provisional) == (D(due), provisional)
    assert submission.complex_extension is complex_case
    names = ["review", "review_complex_extension"] if complex_case else ["review"]
    assert [(t["name"], t["unit"]) for t in submission.time_limits] == [(n, "working") for n in names]
    assert all("R7.6" in t["citation"] and t["version"] for t in submission.time_limits)  # catalog data
    expected = add_working_days(D(submitted), 8 if complex_case else 5)  # what the calendar gives
    assert (submission.due_on, submission.due_provisional) == (expected.date, expected.provisional)


def test_submitted_date_is_shanghai_local(submit, clock):
    """Submitted at 01:00 Shanghai on 10-09 (still 10-08 in UTC): counted from 10-09."""
    clock(D("2026-10-09"), hour=1)
    assert submit().due_on == D("2026-10-15")  # Oct 10 (调休), 12, 13, 14, 15 (from 10-08: 10-14)


def test_pending_twice_is_refused(submit):
    submit()
    with pytest.raises(GuardRefused) as err:
        submit()
    assert err.value.code == "review_pending"
    assert ReviewSubmission.objects.filter(subject="case:1").count() == 1
    assert len(ledger("case:1")) == 1


def test_other_subjects_are_independent(submit):
    submit("case:1")
    assert submit("case:2").round == 1


def test_one_open_submission_per_subject_is_a_database_constraint(submit):
    """Even a write that skips the service cannot open a second pending round."""
    first = submit()
    twin = ReviewSubmission(subject=first.subject, unit=first.unit, round=2, submitted_by=first.submitted_by,
                            submitted_at=first.submitted_at, due_on=first.due_on)
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_losing_a_race_is_refused_like_the_guard(submit, monkeypatch):
    """Two submissions of one subject at once: the one that passed the guard second hits the
    database constraint and is refused with the same code, leaving nothing half written."""
    submit()
    monkeypatch.setattr(services, "_has_open_submission", lambda subject: False)  # the guard raced
    with pytest.raises(GuardRefused) as err:
        submit()
    assert err.value.code == "review_pending"
    assert ReviewSubmission.objects.filter(subject="case:1").count() == 1
    assert [e["action"] for e in ledger("case:1")] == ["review.submitted"]


@pytest.mark.parametrize("missing", REQUIRED_MATERIALS)
def test_missing_required_material_is_refused(submit, missing):
    """GD-FS 第14条: each required material, left out, is named."""
    materials = [m for m in REQUIRED_MATERIALS if m != missing]
    with pytest.raises(InvalidInput) as err:
        submit(materials=materials)
    assert err.value.code == "materials_missing"
    assert err.value.details == {"field": "materials", "missing": [missing]}
    assert not ReviewSubmission.objects.exists()
    assert ledger("case:1") == []


def test_hearing_held_requires_the_hearing_report(submit):
    with pytest.raises(InvalidInput) as err:
        submit(hearing_held=True)
    assert err.value.details["missing"] == ["hearing_report"]
    assert submit(hearing_held=True, materials=[*REQUIRED_MATERIALS, "hearing_report"]).hearing_held


def test_unknown_material_is_refused(submit):
    with pytest.raises(InvalidInput) as err:
        submit(materials=[*REQUIRED_MATERIALS, "selfie"])
    assert (err.value.code, err.value.details["field"], err.value.details["unknown"]) == (
        "unknown_material", "materials", ["selfie"])


@pytest.mark.parametrize(
    ("kwargs", "code", "field"),
    [
        pytest.param({"materials": "investigation_report"}, "invalid_materials", "materials", id="materials-str"),
        pytest.param({"involved_user_ids": ["7"]}, "invalid_user_ids", "involved_user_ids", id="ids-str"),
        pytest.param({"involved_user_ids": [True]}, "invalid_user_ids", "involved_user_ids", id="ids-bool"),
        pytest.param({"major_reasons": [{"reason": "no code"}]}, "reason_code_required",
                     "major_reasons[0].code", id="reason-without-code"),
        pytest.param({"major_reasons": [{"code": "x", "mood": "y"}]}, "unknown_field",
                     "major_reasons[0].mood", id="reason-unknown-key"),
        pytest.param({"major_reasons": ["x"]}, "invalid_major_reasons", "major_reasons[0]", id="reason-str"),
        pytest.param({"proposal": {"fine_amount": 1.5}}, "float_not_allowed", "proposal", id="proposal-float"),
        pytest.param({"proposal": {"x": object()}}, "invalid_json", "proposal", id="proposal-object"),
        pytest.param({"proposal": {"fen": [2**53]}}, "integer_too_large", "proposal", id="proposal-huge-int"),
        pytest.param({"subject": "  "}, "subject_required", "subject", id="subject-blank"),
    ],
)
def test_bad_input_names_the_field(submit, kwargs, code, field):
    subject = kwargs.pop("subject", "case:1")
    with pytest.raises(InvalidInput) as err:
        submit(subject, **kwargs)
    assert (err.value.code, err.value.details["field"]) == (code, field)
    assert not ReviewSubmission.objects.exists()


def test_submitting_outside_ones_scope_is_not_found(people, submit):
    with pytest.raises(NotFound):
        submit(actor=people.huangpu_officer)
    with pytest.raises(NotFound):
        submit(unit_code="no-such-unit")
    assert not ReviewSubmission.objects.exists()


def test_city_staff_may_submit_for_a_district(people, submit):
    """The city bureau's scope holds every district (API.md: within the caller's unit scope)."""
    assert submit(actor=people.city_head).unit_code == "pudong"


def test_withdrawn_submission_frees_the_subject(people, submit):
    first = submit()
    services.review_withdraw(review_id=first.pk, actor=people.unit_head, reason="撤销立案")
    first.refresh_from_db()
    assert first.status == "withdrawn"
    assert submit().round == 2
    assert [e["action"] for e in ledger("case:1")] == ["review.submitted", "review.withdrawn", "review.submitted"]


def test_withdraw_guards(people, submit, opine):
    first = submit()
    with pytest.raises(NotFound):
        services.review_withdraw(review_id=first.pk, actor=people.huangpu_officer, reason="x")
    with pytest.raises(InvalidInput) as err:
        services.review_withdraw(review_id=first.pk, actor=people.unit_head, reason=" ")
    assert err.value.details["field"] == "reason"
    opine(first)
    with pytest.raises(GuardRefused) as err:
        services.review_withdraw(review_id=first.pk, actor=people.unit_head, reason="x")
    assert err.value.code == "not_withdrawable"
