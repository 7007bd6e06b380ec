"""Pre-disclosure documents (事前公开, 推进实施方案 三(一)1): drafts become versions, a new version
retires the old one, the history keeps every published version with its dates and notes, only a
publisher of the unit or a unit above it may write, and every write is in the ledger."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
from django.utils import timezone

from sanxiang.catalog import selectors_predisclosure as pre
from sanxiang.catalog import services_predisclosure as services
from sanxiang.catalog.models import PreDisclosureDocument
from sanxiang.core.errors import GuardRefused, InvalidInput, NotFound, PermissionDenied
from sanxiang.records.models import LedgerEntry

pytestmark = pytest.mark.django_db


def last_entry() -> tuple[str, str, str, dict]:
    e = LedgerEntry.objects.order_by("-seq").first()
    return e.subject, e.action, e.actor, json.loads(e.body)["payload"]


@pytest.fixture
def city_publisher(make_user):
    return make_user("city", "publisher", full_name="市公示员")


@pytest.fixture
def pudong_publisher(make_user):
    return make_user("pudong", "publisher", full_name="浦东公示员")


def draft(actor, slug="pudong-duties", unit="pudong", category="organisation", **kw):
    fields = {"title": "浦东新区生态环境局职责", "body": "## 职责\n- 监督检查", "change_note": "首次公开"}
    return services.predisclosure_draft_save(
        actor=actor, category=category, slug=slug, unit_code=unit, **{**fields, **kw})


def publish(actor, **kw):
    return services.predisclosure_publish(actor=actor, document_id=draft(actor, **kw).pk)


# --- versioning -------------------------------------------------------------------------------

def test_a_draft_is_not_public_until_published(pudong_publisher):
    doc = draft(pudong_publisher)
    assert (doc.version, doc.status, doc.published_at) == (1, "draft", None)
    assert [d.slug for d in pre.predisclosure_current("organisation")].count("pudong-duties") == 0
    with pytest.raises(NotFound):
        pre.predisclosure_history("pudong-duties")


def test_saving_again_updates_the_one_draft(pudong_publisher):
    first = draft(pudong_publisher)
    second = draft(pudong_publisher, title="新标题")
    assert first.pk == second.pk
    assert PreDisclosureDocument.objects.filter(slug="pudong-duties").count() == 1
    assert PreDisclosureDocument.objects.get(pk=first.pk).title == "新标题"


def test_publishing_puts_it_on_the_portal_with_dates(pudong_publisher):
    doc = publish(pudong_publisher)
    assert doc.status == "published" and doc.published_at is not None
    assert doc.effective_from == timezone.localdate()
    assert doc.published_by == pudong_publisher and doc.author == pudong_publisher
    current = {d.slug: d for d in pre.predisclosure_current("organisation")}
    assert current["pudong-duties"].version == 1
    assert current["pudong-duties"].unit_name == "上海市浦东新区生态环境局"


def test_a_new_version_supersedes_and_retires_the_old_one(pudong_publisher):
    v1 = publish(pudong_publisher)
    v2 = publish(pudong_publisher, title="浦东新区生态环境局职责（修订）", change_note="增加投诉举报渠道")
    v1.refresh_from_db()
    assert (v2.version, v2.status) == (2, "published")
    assert v1.status == "retired" and v1.retired_at == v2.published_at
    assert v1.retire_note == ""
    assert PreDisclosureDocument.objects.filter(slug="pudong-duties", status="published").count() == 1
    current = [d for d in pre.predisclosure_current("organisation") if d.slug == "pudong-duties"]
    assert [(d.version, d.title) for d in current] == [(2, "浦东新区生态环境局职责（修订）")]


def test_history_lists_published_versions_newest_first_with_dates_and_notes(pudong_publisher):
    publish(pudong_publisher, change_note="首次公开")
    publish(pudong_publisher, change_note="第二版")
    draft(pudong_publisher, change_note="尚未发布的草稿")
    history = pre.predisclosure_history("pudong-duties")
    assert [v.version for v in history.versions] == [2, 1]  # the draft is never public
    assert [v.change_note for v in history.versions] == ["第二版", "首次公开"]
    newest, oldest = history.versions
    assert newest.status == "published" and newest.superseded_by is None
    assert oldest.status == "retired" and oldest.superseded_by == 2
    assert oldest.published_at <= oldest.retired_at == newest.published_at
    assert history.on_portal and history.unit_code == "pudong"


def test_publishing_needs_a_change_note(pudong_publisher):
    doc = draft(pudong_publisher, change_note="")
    with pytest.raises(InvalidInput) as err:
        services.predisclosure_publish(actor=pudong_publisher, document_id=doc.pk)
    assert err.value.code == "change_note_required" and err.value.details["field"] == "change_note"


def test_effective_date_is_not_in_the_future_nor_before_the_previous_version(pudong_publisher):
    today = timezone.localdate()
    doc = draft(pudong_publisher)
    with pytest.raises(InvalidInput) as err:
        services.predisclosure_publish(actor=pudong_publisher, document_id=doc.pk,
                                       effective_from=today + dt.timedelta(days=1))
    assert err.value.code == "effective_in_future"
    services.predisclosure_publish(actor=pudong_publisher, document_id=doc.pk, effective_from=today)
    nxt = draft(pudong_publisher, change_note="修订")
    with pytest.raises(InvalidInput) as err:
        services.predisclosure_publish(actor=pudong_publisher, document_id=nxt.pk,
                                       effective_from=today - dt.timedelta(days=1))
    assert err.value.code == "effective_before_previous"


def test_a_published_version_cannot_be_published_again_or_discarded(pudong_publisher):
    doc = publish(pudong_publisher)
    with pytest.raises(GuardRefused) as err:
        services.predisclosure_publish(actor=pudong_publisher, document_id=doc.pk)
    assert err.value.code == "version_frozen"
    with pytest.raises(GuardRefused):
        services.predisclosure_draft_discard(actor=pudong_publisher, document_id=doc.pk)


def test_a_slug_keeps_its_unit_and_category(city_publisher, pudong_publisher):
    publish(pudong_publisher)
    with pytest.raises(GuardRefused) as err:
        draft(pudong_publisher, category="procedures")
    assert err.value.code == "slug_taken"
    with pytest.raises(GuardRefused):
        draft(city_publisher, unit="city")


def test_bad_input_names_the_field(pudong_publisher):
    cases = [
        ({"slug": "Not A Slug"}, "slug"), ({"title": " "}, "title"), ({"body": ""}, "body"),
        ({"unit": "nowhere"}, "unit_code"), ({"category": "gossip"}, "category"),
        ({"effective_from": "2026-13-01"}, "effective_from"),
    ]
    for kwargs, field in cases:
        with pytest.raises(InvalidInput) as err:
            draft(pudong_publisher, **kwargs)
        assert err.value.details["field"] == field, kwargs


def test_retire_takes_it_off_the_portal_and_keeps_the_history(pudong_publisher):
    publish(pudong_publisher)
    retired = services.predisclosure_retire(actor=pudong_publisher, slug="pudong-duties", reason="职责调整")
    assert retired.status == "retired" and retired.retire_note == "职责调整"
    assert "pudong-duties" not in [d.slug for d in pre.predisclosure_current("organisation")]
    history = pre.predisclosure_history("pudong-duties")
    assert not history.on_portal and history.versions[0].retire_note == "职责调整"
    with pytest.raises(NotFound):
        services.predisclosure_retire(actor=pudong_publisher, slug="pudong-duties", reason="again")


def test_a_discarded_draft_leaves_the_published_version(pudong_publisher):
    publish(pudong_publisher)
    doc = draft(pudong_publisher, title="改了一半")
    services.predisclosure_draft_discard(actor=pudong_publisher, document_id=doc.pk)
    assert list(PreDisclosureDocument.objects.filter(slug="pudong-duties").values_list("status", flat=True)) == [
        "published"]


# --- permissions --------------------------------------------------------------------------------

def test_only_publishers_write(make_user):
    officer = make_user("pudong", "officer", "unit_head", "agency_head")
    with pytest.raises(PermissionDenied) as err:
        draft(officer)
    assert err.value.code == "publisher_required" and err.value.status == 403


def test_a_district_publisher_cannot_write_for_the_city_or_another_district(pudong_publisher):
    for unit in ("city", "huangpu"):
        with pytest.raises(PermissionDenied) as err:
            draft(pudong_publisher, slug=f"{unit}-x", unit=unit)
        assert err.value.code == "outside_unit_scope"


def test_the_city_publisher_may_publish_for_a_district(city_publisher, pudong_publisher):
    doc = draft(pudong_publisher)
    published = services.predisclosure_publish(actor=city_publisher, document_id=doc.pk)
    assert published.published_by == city_publisher


def test_a_district_publisher_cannot_publish_or_retire_another_units_document(make_user, pudong_publisher):
    huangpu = make_user("huangpu", "publisher")
    doc = draft(pudong_publisher)
    with pytest.raises(PermissionDenied):
        services.predisclosure_publish(actor=huangpu, document_id=doc.pk)
    with pytest.raises(PermissionDenied):
        services.predisclosure_draft_discard(actor=huangpu, document_id=doc.pk)
    services.predisclosure_publish(actor=pudong_publisher, document_id=doc.pk)
    with pytest.raises(PermissionDenied):
        services.predisclosure_retire(actor=huangpu, slug="pudong-duties", reason="x")
    with pytest.raises(PermissionDenied):
        services.predisclosure_retire(actor=make_user("pudong", "officer"), slug="pudong-duties", reason="x")


def test_a_refused_write_leaves_no_trace(make_user, pudong_publisher):
    huangpu = make_user("huangpu", "publisher")
    doc = draft(pudong_publisher)
    before = LedgerEntry.objects.count()
    with pytest.raises(PermissionDenied):
        services.predisclosure_publish(actor=huangpu, document_id=doc.pk)
    doc.refresh_from_db()
    assert doc.status == "draft" and LedgerEntry.objects.count() == before


# --- ledger ---------------------------------------------------------------------------------

def test_every_write_appends_one_ledger_entry(pudong_publisher):
    ref = f"user:{pudong_publisher.pk}"
    doc = draft(pudong_publisher)
    subject, action, actor, payload = last_entry()
    assert (subject, action, actor) == ("predisclosure:pudong-duties", "predisclosure.draft_saved", ref)
    assert payload["created"] is True
    services.predisclosure_publish(actor=pudong_publisher, document_id=doc.pk)
    subject, action, actor, payload = last_entry()
    assert (subject, action, actor) == ("predisclosure:pudong-duties", "predisclosure.published", ref)
    assert payload["version"] == 1 and payload["previous_version"] is None
    assert payload["body_sha256"] == hashlib.sha256(doc.body.encode()).hexdigest()
    assert payload["change_note"] == "首次公开" and payload["unit"] == "pudong"
    publish(pudong_publisher, change_note="第二版")
    assert last_entry()[3]["previous_version"] == 1
    services.predisclosure_retire(actor=pudong_publisher, slug="pudong-duties", reason="撤销")
    assert last_entry()[1:3] == ("predisclosure.retired", ref)
