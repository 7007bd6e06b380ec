"""`collective_discussion_record` (集体讨论记录) — 行政处罚法 第57条, RULES.md R7.7."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sanxiang.core.errors import InvalidInput, NotFound, PermissionDenied
from sanxiang.review import selectors, services
from sanxiang.review.models import CollectiveDiscussion
from sanxiang.review.tests.conftest import ledger


@pytest.fixture
def record(people):
    def _record(**kwargs):
        kwargs.setdefault("subject", "case:1")
        kwargs.setdefault("unit_code", "pudong")
        kwargs.setdefault("actor", people.head)
        kwargs.setdefault("held_on", timezone.localdate())
        kwargs.setdefault("attendee_ids", [people.city_head.pk, people.unit_head.pk])
        kwargs.setdefault("conclusion", "同意按拟处理决定作出处罚。")
        return services.collective_discussion_record(**kwargs)

    return _record


def test_record_a_discussion(people, record):
    discussion = record(opinions="张局：同意；李局：同意。")
    assert discussion.chaired_by == discussion.recorded_by == people.head
    assert discussion.attendee_ids == sorted([people.head.pk, people.city_head.pk, people.unit_head.pk])
    assert selectors.collective_discussion_exists("case:1")
    assert not selectors.collective_discussion_exists("case:2")
    assert list(selectors.collective_discussions("case:1")) == [discussion]
    [entry] = ledger("case:1")
    assert (entry["action"], entry["actor"]) == ("collective_discussion.recorded", f"user:{people.head.pk}")
    assert entry["payload"]["attendee_ids"] == discussion.attendee_ids
    assert entry["payload"]["conclusion"] == "同意按拟处理决定作出处罚。"


def test_city_head_may_record_for_a_district(people, record):
    assert record(actor=people.city_head, attendee_ids=[people.head.pk]).unit_id == "pudong"


@pytest.mark.parametrize(
    ("unit", "roles"),
    [
        pytest.param("pudong", ("unit_head",), id="unit-head"),
        pytest.param("pudong", ("officer",), id="officer"),
        pytest.param("city-legal", ("reviewer",), id="reviewer"),
        pytest.param("huangpu", ("agency_head",), id="head-of-another-district"),
    ],
)
def test_non_head_is_refused(make_user, record, unit, roles):
    with pytest.raises(PermissionDenied) as err:
        record(actor=make_user(unit, *roles))
    assert err.value.code == "not_agency_head"
    assert not CollectiveDiscussion.objects.exists()
    assert ledger("case:1") == []


def test_unknown_unit_is_not_found(record):
    with pytest.raises(NotFound):
        record(unit_code="nowhere")


@pytest.mark.parametrize(
    ("kwargs", "code", "field"),
    [
        pytest.param({"attendee_ids": [987654]}, "unknown_attendees", "attendees", id="unknown-attendee"),
        pytest.param({"attendee_ids": []}, "attendees_too_few", "attendees", id="chair-alone"),
        pytest.param({"attendee_ids": ["5"]}, "invalid_user_ids", "attendees", id="attendee-not-an-id"),
        pytest.param({"held_on": dt.date(2999, 1, 1)}, "held_on_in_future", "held_on",
                     id="held-tomorrow"),
        pytest.param({"held_on": "2026-01-05"}, "invalid_date", "held_on", id="held-on-a-string"),
        pytest.param({"conclusion": " "}, "conclusion_required", "conclusion", id="no-conclusion"),
    ],
)
def test_bad_record_is_refused(record, kwargs, code, field):
    with pytest.raises(InvalidInput) as err:
        record(**kwargs)
    assert (err.value.code, err.value.details["field"]) == (code, field)
    assert not CollectiveDiscussion.objects.exists()


def test_chair_listed_is_counted_once(people, record):
    with pytest.raises(InvalidInput):
        record(attendee_ids=[people.head.pk, people.head.pk])
    assert record(attendee_ids=[people.head.pk, people.unit_head.pk]).attendee_ids == sorted(
        [people.head.pk, people.unit_head.pk])
