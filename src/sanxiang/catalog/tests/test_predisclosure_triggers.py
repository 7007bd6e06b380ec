"""Database guard of pre-disclosure documents (catalog.triggers_predisclosure): a published
version is frozen even for code that writes around the services; it may only be retired."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from sanxiang.catalog.models import PreDisclosureDocument

pytestmark = pytest.mark.django_db


def refused(fn) -> bool:
    try:
        with transaction.atomic():
            fn()
    except IntegrityError:
        return True
    return False


def rows(pk):
    return PreDisclosureDocument.objects.filter(pk=pk)


@pytest.fixture
def published():
    return PreDisclosureDocument.objects.get(slug="city-procedures", status="published")


@pytest.mark.parametrize("change", [
    {"body": "<p>改写</p>"}, {"title": "x"}, {"change_note": "x"}, {"unit_code": "pudong"},
    {"category": "other"}, {"version": 9}, {"slug": "other-slug"}, {"effective_from": "2020-01-01"},
    {"published_at": None}, {"status": "draft"}, {"retired_at": timezone.now()}, {"retire_note": "x"},
])
def test_published_content_cannot_be_updated(published, change):
    assert refused(lambda: rows(published.pk).update(**change))
    after = rows(published.pk).get()
    assert (after.body, after.title, after.status) == (published.body, published.title, "published")


def test_a_published_row_may_only_be_retired_then_never_changes(published):
    now = timezone.now()
    assert not refused(lambda: rows(published.pk).update(status="retired", retired_at=now, retire_note="撤下"))
    assert refused(lambda: rows(published.pk).update(retire_note="改理由"))
    assert refused(lambda: rows(published.pk).update(status="published"))
    assert refused(lambda: rows(published.pk).update(body="x"))
    assert rows(published.pk).get().retire_note == "撤下"


def test_saving_an_unchanged_published_row_is_harmless(published):
    published.save()


def test_drafts_are_free():
    doc = PreDisclosureDocument.objects.create(
        category="other", slug="free-draft", title="t", body="b", unit_code="city", version=1)
    assert not refused(lambda: rows(doc.pk).update(body="changed", title="t2", unit_code="pudong"))


def test_check_constraints():
    base = {"category": "other", "slug": "c", "title": "t", "body": "b", "unit_code": "city"}
    assert refused(lambda: PreDisclosureDocument.objects.create(version=1, status="published", **base))  # undated
    assert refused(lambda: PreDisclosureDocument.objects.create(
        version=1, status="retired", published_at=timezone.now(), effective_from="2026-01-01", **base))
    assert refused(lambda: PreDisclosureDocument.objects.create(version=1, **{**base, "category": "x"}))
    PreDisclosureDocument.objects.create(version=1, **base)
    assert refused(lambda: PreDisclosureDocument.objects.create(version=2, **base))  # a second draft
