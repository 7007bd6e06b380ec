"""Database guards (catalog.triggers): published versions are frozen and versions of one code
never overlap — even for code that writes around the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from sanxiang.catalog.models import DecisionRule, TimeLimitRule

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat


def refused(fn) -> bool:
    try:
        with transaction.atomic():
            fn()
    except IntegrityError:
        return True
    return False


def test_published_content_cannot_be_updated():
    row = TimeLimitRule.objects.get(code="decision")
    assert refused(lambda: TimeLimitRule.objects.filter(pk=row.pk).update(days=1))
    assert refused(lambda: TimeLimitRule.objects.filter(pk=row.pk).update(citation="x"))
    assert refused(lambda: TimeLimitRule.objects.filter(pk=row.pk).update(status="draft"))
    assert TimeLimitRule.objects.get(pk=row.pk).days == 90


def test_published_row_may_only_be_retired_then_never_changes():
    row = DecisionRule.objects.get(code="major.closure")
    assert not refused(lambda: DecisionRule.objects.filter(pk=row.pk).update(
        status="retired", effective_to=D("2026-12-31")))
    assert refused(lambda: DecisionRule.objects.filter(pk=row.pk).update(effective_to=D("2027-12-31")))
    assert refused(lambda: DecisionRule.objects.filter(pk=row.pk).update(status="published"))


def test_saving_an_unchanged_published_row_is_harmless():
    row = TimeLimitRule.objects.get(code="decision")
    row.save()  # every column written with its own value


def test_overlapping_published_versions_are_refused():
    base = TimeLimitRule.objects.get(code="decision")
    fields = {"code": "decision", "name": "x", "days": 60, "unit": "calendar", "start_event": "x", "citation": "c"}
    # a second published version: refused by the one-published constraint or the overlap trigger
    assert refused(lambda: TimeLimitRule.objects.create(
        version=2, status="published", effective_from=D("2030-01-01"), **fields))
    # a retired version whose window overlaps the published one
    assert refused(lambda: TimeLimitRule.objects.create(
        version=2, status="retired", effective_from=D("2020-01-01"), effective_to=D("2021-07-15"), **fields))
    # a retired version that ends before the published one starts is fine
    assert not refused(lambda: TimeLimitRule.objects.create(
        version=2, status="retired", effective_from=D("2020-01-01"), effective_to=D("2021-07-14"), **fields))
    # drafts never clash
    assert not refused(lambda: TimeLimitRule.objects.create(
        version=3, status="draft", effective_from=D("2021-07-15"), **fields))
    assert TimeLimitRule.objects.get(pk=base.pk).status == "published"


def test_check_constraints():
    fields = {"code": "zz", "name": "x", "days": 1, "unit": "working", "start_event": "x", "citation": "c"}
    assert refused(lambda: TimeLimitRule.objects.create(
        version=1, status="retired", effective_from=D("2026-01-01"), **fields))  # retired needs an end
    assert refused(lambda: TimeLimitRule.objects.create(
        version=1, status="draft", effective_from=D("2026-01-02"), effective_to=D("2026-01-01"), **fields))
    assert refused(lambda: TimeLimitRule.objects.create(
        version=1, status="draft", effective_from=D("2026-01-01"), **{**fields, "days": 0}))
