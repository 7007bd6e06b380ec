"""Admin: published versions are read-only; changes are drafts published through the service."""

from __future__ import annotations

import datetime as dt

import pytest

from sanxiang.catalog.models import DecisionRule, DocumentPrefix, Matter, TimeLimitRule
from sanxiang.records.models import LedgerEntry

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat


def test_catalog_pages_render(admin_client):
    for model in ("matter", "decisionrule", "timelimitrule", "documenttemplate", "documentprefix"):
        assert admin_client.get(f"/admin/catalog/{model}/").status_code == 200
    row = Matter.objects.get(code="AIR-001")
    page = admin_client.get(f"/admin/catalog/matter/{row.pk}/change/")
    assert page.status_code == 200
    assert 'name="name"' not in page.content.decode()  # read-only: no input


def test_posting_to_a_published_version_changes_nothing(admin_client):
    row = TimeLimitRule.objects.get(code="decision")
    response = admin_client.post(
        f"/admin/catalog/timelimitrule/{row.pk}/change/",
        {"name": "改", "days": "1", "unit": "working", "start_event": "x", "effective_from": "2021-07-15",
         "citation": "x", "note": ""},
    )
    assert response.status_code == 302
    assert TimeLimitRule.objects.get(pk=row.pk).days == 90


def test_published_version_cannot_be_deleted(admin_client):
    row = TimeLimitRule.objects.get(code="decision")
    assert admin_client.get(f"/admin/catalog/timelimitrule/{row.pk}/delete/").status_code == 403


def test_new_draft_then_publish_through_actions(admin_client):
    row = TimeLimitRule.objects.get(code="statement")
    admin_client.post("/admin/catalog/timelimitrule/", {"action": "new_draft", "_selected_action": [row.pk]})
    draft = TimeLimitRule.objects.get(code="statement", status="draft")
    response = admin_client.post(
        f"/admin/catalog/timelimitrule/{draft.pk}/change/",
        {"name": draft.name, "days": "7", "unit": "working", "start_event": draft.start_event,
         "effective_from": "2027-01-01", "citation": "MEE30 [S]", "note": "上海规定"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    draft.refresh_from_db()
    assert (draft.days, draft.effective_from) == (7, D("2027-01-01"))
    admin_client.post("/admin/catalog/timelimitrule/", {"action": "publish_drafts", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    row.refresh_from_db()
    assert (draft.status, row.status, row.effective_to) == ("published", "retired", D("2026-12-31"))
    assert LedgerEntry.objects.filter(subject="time_limit:statement", action="catalog.version_published").exists()


def test_add_creates_a_draft(admin_client):
    response = admin_client.post(
        "/admin/catalog/decisionrule/add/",
        {"code": "major.zz_test", "purpose": "major", "trigger": "flag", "params": '{"flag": "social_risk"}',
         "description": "测试", "effective_from": "2027-01-01", "citation": "test [U]", "note": ""},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    rule = DecisionRule.objects.get(code="major.zz_test")
    assert (rule.status, rule.version, rule.params) == ("draft", 1, {"flag": "social_risk"})


def test_add_refuses_invalid_params(admin_client):
    response = admin_client.post(
        "/admin/catalog/decisionrule/add/",
        {"code": "major.zz_bad", "purpose": "major", "trigger": "flag", "params": '{"flag": "urgent"}',
         "description": "测试", "effective_from": "2027-01-01", "citation": "test [U]", "note": ""},
    )
    assert response.status_code == 200  # form redisplayed with the error
    assert not DecisionRule.objects.filter(code="major.zz_bad").exists()


def test_prefix_change_goes_through_the_service(admin_client):
    row = DocumentPrefix.objects.get(unit_code="xuhui", case_kind="penalty")
    response = admin_client.post(
        f"/admin/catalog/documentprefix/{row.pk}/change/", {"prefix": "沪徐环罚字", "note": "核实"},
    )
    assert response.status_code == 302
    assert DocumentPrefix.objects.get(pk=row.pk).prefix == "沪徐环罚字"
    assert LedgerEntry.objects.filter(subject="document_prefix:xuhui.penalty").exists()
