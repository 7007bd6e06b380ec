"""Versioning services: a new version retires the old one, overlaps are refused, published
versions are frozen, every change is in the ledger (DESIGN.md "Rules are data")."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from sanxiang.catalog import selectors, services
from sanxiang.catalog.models import DecisionRule, DocumentPrefix, Matter, TimeLimitRule
from sanxiang.core.errors import GuardRefused, InvalidInput, NotFound
from sanxiang.records.models import LedgerEntry

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat
ACTOR = "user:7"


def last_entry() -> tuple[str, str, str, dict]:
    e = LedgerEntry.objects.order_by("-seq").first()
    return e.subject, e.action, e.actor, json.loads(e.body)["payload"]


def test_new_version_retires_the_old_one_the_day_before():
    new = services.decision_rule_publish_new_version(
        code="major.fine_org", actor=ACTOR, changes={"params": {
            "party_types": ["organization"], "threshold": "100000", "inclusive": True, "amount": "fine"}},
        effective_from=D("2027-01-01"), citation="本机关法制审核目录（2027年修订）[U]",
    )
    old = DecisionRule.objects.get(code="major.fine_org", version=1)
    assert (new.version, new.status, new.effective_to) == (2, "published", None)
    assert (old.status, old.effective_to) == ("retired", D("2026-12-31"))
    assert new.description == old.description and new.purpose == "major"  # unchanged fields carried
    assert new.params["threshold"] == "100000"
    subject, action, actor, payload = last_entry()
    assert (subject, action, actor) == ("rule:major.fine_org", "catalog.version_published", ACTOR)
    assert payload["version"] == 2 and payload["previous_version"] == 1
    assert payload["previous_effective_to"] == "2026-12-31"


def test_rules_are_judged_under_the_version_of_their_date():
    services.decision_rule_publish_new_version(
        code="major.fine_org", actor=ACTOR, changes={"params": {
            "party_types": ["organization"], "threshold": "100000", "inclusive": True, "amount": "fine"}},
        effective_from=D("2027-01-01"), citation="c [U]",
    )
    by_code = lambda day: {r.code: r for r in selectors.rules_in_force("major", day)}  # noqa: E731
    assert by_code(D("2026-12-31"))["major.fine_org"].version == 1
    assert by_code(D("2026-12-31"))["major.fine_org"].params["threshold"] == "200000"
    assert by_code(D("2027-01-01"))["major.fine_org"].version == 2


@pytest.mark.parametrize("start", ["2021-07-15", "2021-07-14", "2020-01-01"])
def test_overlapping_version_is_refused(start):
    """A new version must start after the version in force took effect."""
    with pytest.raises(GuardRefused) as exc:
        services.time_limit_publish_new_version(
            code="decision", actor=ACTOR, changes={"days": 60}, effective_from=D(start), citation="c",
        )
    assert exc.value.code == "version_overlap"
    assert TimeLimitRule.objects.filter(code="decision").count() == 1
    assert TimeLimitRule.objects.get(code="decision").status == "published"


def test_new_version_after_retirement_must_start_after_the_end():
    services.version_retire(kind="time_limit", code="av_upload", actor=ACTOR, last_day=D("2026-12-31"),
                            reason="上海规定另行明确")
    with pytest.raises(GuardRefused):
        services.time_limit_publish_new_version(
            code="av_upload", actor=ACTOR, changes={}, effective_from=D("2026-12-31"), citation="c",
        )
    new = services.time_limit_publish_new_version(
        code="av_upload", actor=ACTOR, changes={"days": 2}, effective_from=D("2027-02-01"), citation="c [U]",
    )
    assert (new.version, new.days) == (2, 2)
    with pytest.raises(NotFound):
        selectors.time_limit("av_upload", D("2027-01-15"))  # the gap has no rule


def test_published_version_cannot_be_edited_as_a_draft():
    row = TimeLimitRule.objects.get(code="decision")
    with pytest.raises(GuardRefused) as exc:
        services.version_draft_update(kind="time_limit", pk=row.pk, actor=ACTOR, changes={"days": 1})
    assert exc.value.code == "version_frozen"
    assert TimeLimitRule.objects.get(pk=row.pk).days == 90


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"version": 5}, "version"),
        ({"status": "draft"}, "status"),
        ({"days": 0}, "days"),
        ({"unit": "weeks"}, "unit"),
    ],
)
def test_invalid_changes_are_refused_with_the_field(changes, field):
    with pytest.raises(InvalidInput) as exc:
        services.time_limit_publish_new_version(
            code="payment", actor=ACTOR, changes=changes, effective_from=D("2027-01-01"), citation="c",
        )
    assert exc.value.details["field"] == field
    assert TimeLimitRule.objects.filter(code="payment").count() == 1


def test_invalid_rule_params_are_refused():
    with pytest.raises(InvalidInput) as exc:
        services.decision_rule_publish_new_version(
            code="major.closure", actor=ACTOR, changes={"params": {"penalty_type": "jail"}},
            effective_from=D("2027-01-01"), citation="c",
        )
    assert exc.value.details["field"] == "params"


def test_citation_is_required():
    with pytest.raises(InvalidInput) as exc:
        services.template_publish_new_version(
            code="penalty_decision", actor=ACTOR, changes={}, effective_from=D("2027-01-01"), citation=" ",
        )
    assert exc.value.details["field"] == "citation"


def test_a_new_code_needs_every_field_then_is_version_1():
    with pytest.raises(InvalidInput) as exc:
        services.decision_rule_publish_new_version(
            code="major.fine_org_huge", actor=ACTOR, changes={"purpose": "major"},
            effective_from=D("2027-01-01"), citation="c",
        )
    assert exc.value.code == "missing_field"
    rule = services.decision_rule_publish_new_version(
        code="major.public_interest_water", actor=ACTOR,
        changes={"purpose": "major", "trigger": "flag", "params": {"flag": "public_interest"},
                 "description": "涉及饮用水水源"},
        effective_from=D("2027-01-01"), citation="本机关目录 [U]",
    )
    assert (rule.version, rule.status) == (1, "published")


def test_matter_new_version_after_a_law_revision():
    new = services.matter_publish_new_version(
        code="AIR-001", actor=ACTOR, changes={"fine_rule": "（修订后）……"},
        effective_from=D("2027-03-01"), citation="《中华人民共和国大气污染防治法》（修订）[U]",
    )
    assert selectors.matter_get("AIR-001", D("2027-02-28")).version == 1
    assert selectors.matter_get("AIR-001", D("2027-03-01")) == new
    assert new.penalty_basis == Matter.objects.get(code="AIR-001", version=1).penalty_basis


def test_draft_workflow_create_update_publish():
    draft = services.version_draft_create(
        kind="time_limit", code="review", actor=ACTOR, effective_from=D("2027-01-01"),
    )
    assert (draft.status, draft.version, draft.days) == ("draft", 2, 5)
    assert selectors.time_limit("review", D("2027-06-01")).version == 1  # drafts never count
    draft = services.version_draft_update(
        kind="time_limit", pk=draft.pk, actor=ACTOR, changes={"days": 7},
        citation="《上海市重大行政执法决定法制审核办法》[U]",
    )
    published = services.version_draft_publish(kind="time_limit", pk=draft.pk, actor=ACTOR)
    assert (published.status, published.days) == ("published", 7)
    assert selectors.time_limit("review", D("2026-12-31")).days == 5
    assert selectors.time_limit("review", D("2027-01-01")).days == 7
    subject, action, _, payload = last_entry()
    assert (subject, action, payload["from_draft"]) == ("time_limit:review", "catalog.version_published", True)
    with pytest.raises(GuardRefused):
        services.version_draft_publish(kind="time_limit", pk=draft.pk, actor=ACTOR)


def test_outdated_draft_is_refused():
    draft = services.version_draft_create(
        kind="time_limit", code="correction", actor=ACTOR, effective_from=D("2027-06-01"),
    )
    services.time_limit_publish_new_version(
        code="correction", actor=ACTOR, changes={"days": 3}, effective_from=D("2027-01-01"), citation="c",
    )
    with pytest.raises(GuardRefused) as exc:
        services.version_draft_publish(kind="time_limit", pk=draft.pk, actor=ACTOR)
    assert exc.value.code == "draft_outdated"


def test_retire_without_successor():
    row = services.version_retire(kind="matter", code="NOI-006", actor=ACTOR, last_day=D("2026-12-31"),
                                  reason="上海由住房城乡建设部门实施")
    assert (row.status, row.effective_to) == ("retired", D("2026-12-31"))
    assert selectors.matter_get("NOI-006", D("2026-12-31")).code == "NOI-006"
    with pytest.raises(NotFound):
        selectors.matter_get("NOI-006", D("2027-01-01"))
    assert last_entry()[:2] == ("matter:NOI-006", "catalog.version_retired")


def test_user_objects_are_recorded_as_user_refs(make_user):
    user = make_user("city", "admin")
    services.time_limit_publish_new_version(
        code="payment", actor=user, changes={}, effective_from=D("2027-01-01"), citation="c [V]",
    )
    assert last_entry()[2] == f"user:{user.pk}"


def test_document_prefix_set_records_the_change():
    row = services.document_prefix_set(unit_code="pudong", case_kind="penalty", prefix="浦城管罚",
                                       actor=ACTOR, note="浦东新区城管执法局")
    assert DocumentPrefix.objects.get(unit_code="pudong", case_kind="penalty") == row
    assert selectors.document_prefix("pudong", "penalty") == "浦城管罚"
    subject, action, _, payload = last_entry()
    assert (subject, action) == ("document_prefix:pudong.penalty", "catalog.prefix_set")
    assert (payload["previous"], payload["prefix"]) == ("沪浦环罚", "浦城管罚")
    with pytest.raises(InvalidInput):
        services.document_prefix_set(unit_code="pudong", case_kind="penalty", prefix="沪〔浦〕", actor=ACTOR)
    with pytest.raises(InvalidInput):
        services.document_prefix_set(unit_code="pudong", case_kind="trial", prefix="沪浦", actor=ACTOR)


def test_actor_is_required():
    with pytest.raises(InvalidInput):
        services.time_limit_publish_new_version(
            code="payment", actor="", changes={}, effective_from=D("2027-01-01"), citation="c",
        )
