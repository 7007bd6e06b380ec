"""Reads of 事前公开: the category index with dates, live sections drawn from the records the
platform keeps (never copies), public citations, and the staff view with drafts in scope only."""

from __future__ import annotations

import pytest
from django.utils import timezone

from sanxiang.catalog import selectors_predisclosure as pre
from sanxiang.catalog import services, services_predisclosure
from sanxiang.catalog.models import Matter
from sanxiang.catalog.models.predisclosure import PreDisclosureCategory
from sanxiang.core.errors import NotFound

pytestmark = pytest.mark.django_db


def test_index_has_the_seven_categories_in_the_plans_order():
    index = pre.predisclosure_index()
    assert [c.value for c in index] == [
        "regulations", "organisation", "procedures", "matter_catalog", "random_inspection", "power_list", "other"]
    assert all(c.documents == 1 and c.last_updated is not None for c in index)  # the seed
    assert index[-1].live_sections == () and "matters" in index[3].live_sections


def test_last_updated_follows_the_latest_publication_or_retirement(make_user):
    publisher = make_user("city", "publisher")
    before = {c.value: c.last_updated for c in pre.predisclosure_index()}
    services_predisclosure.predisclosure_retire(actor=publisher, slug="city-other", reason="测试")
    after = {c.value: c.last_updated for c in pre.predisclosure_index()}
    assert after["other"] > before["other"] and after["regulations"] == before["regulations"]
    assert next(c for c in pre.predisclosure_index() if c.value == "other").documents == 0


def test_unknown_category_is_not_found():
    with pytest.raises(NotFound):
        pre.predisclosure_category("gossip")
    with pytest.raises(NotFound):
        pre.predisclosure_live_sections("gossip")


def test_live_matter_sections_follow_the_catalog_without_copies():
    """A new matter version shows at once: the sections read the catalog, they store nothing."""
    matter = Matter.objects.filter(status="published", random_inspection=True).order_by("code").first()
    (section,) = pre.predisclosure_live_sections("random_inspection")
    codes = [m["code"] for g in section.groups for m in g["rows"]]
    assert matter.code in codes
    assert section.extra["count"] == Matter.objects.filter(status="published", random_inspection=True).count()
    services.matter_publish_new_version(
        code=matter.code, actor="user:1", changes={"random_inspection": False},
        effective_from=timezone.localdate(), citation=matter.citation,
    )
    (section,) = pre.predisclosure_live_sections("random_inspection")
    assert matter.code not in [m["code"] for g in section.groups for m in g["rows"]]
    (catalog,) = pre.predisclosure_live_sections("matter_catalog")
    assert matter.code in [m["code"] for g in catalog.groups for m in g["rows"]]


def test_officer_sections_publish_name_unit_number_and_status(make_user):
    make_user("pudong", full_name="甲执法", certificate="SH0000000101")
    make_user("pudong", full_name="乙执法", certificate="SH0000000102", valid_until=timezone.localdate().replace(year=2020))
    make_user("pudong", "publisher")  # no certificate: not an officer
    units, officers = pre.predisclosure_live_sections("organisation")
    assert [(o["name"], o["certificate_number"], o["status"]) for o in officers.rows] == [
        ("甲执法", "SH0000000101", "active"), ("乙执法", "SH0000000102", "expired")]
    assert all(o["unit_name"] == "上海市浦东新区生态环境局" for o in officers.rows)
    assert "user" not in str(officers.rows[0].keys())
    assert units.rows == ({"code": "pudong", "name": "上海市浦东新区生态环境局", "valid": 1, "total": 2},)


def test_procedure_sections_carry_public_citations():
    time_limits, review, hearing = pre.predisclosure_live_sections("procedures")
    decision = next(t for t in time_limits.rows if t["title"] == "作出行政处罚决定期限")
    assert decision["days"] == 90 and not decision["working_days"]
    assert decision["citation"] == "《中华人民共和国行政处罚法》第六十条"
    assert review.rows and hearing.rows
    assert all("RULES.md" not in r["citation"] and "[V]" not in r["citation"] for r in review.rows)


@pytest.mark.parametrize("raw, public", [
    ("《中华人民共和国行政处罚法》第六十条 [V]；RULES.md R5.4", "《中华人民共和国行政处罚法》第六十条"),
    ("RULES.md R7.6：参照《广东省重大行政执法决定法制审核办法》[V]；上海 [U]",
     "参照《广东省重大行政执法决定法制审核办法》；上海〔待确认〕"),
    ("《行政处罚法》第四十四条 [V]；期限为默认值，RULES.md R5.8 [U]", "《行政处罚法》第四十四条；期限为默认值〔待确认〕"),
    ("", ""),
])
def test_public_citation(raw, public):
    assert pre.public_citation(raw) == public


def test_laws_section_lists_each_instrument_once_with_its_matter_count():
    (laws,) = pre.predisclosure_live_sections("regulations")
    names = [row["name"] for row in laws.rows]
    assert len(names) == len(set(names)) and "《中华人民共和国大气污染防治法》" in names
    assert all(row["matters"] >= 1 for row in laws.rows)


def test_staff_see_drafts_of_their_scope_only(make_user):
    pudong = make_user("pudong", "publisher")
    huangpu = make_user("huangpu", "publisher")
    city = make_user("city", "publisher")
    services_predisclosure.predisclosure_draft_save(
        actor=pudong, category="other", slug="pudong-draft", unit_code="pudong", title="草稿", body="b")
    assert "pudong-draft" in [d.slug for d in pre.predisclosure_staff_list(viewer=pudong, category="other")]
    assert "pudong-draft" in [d.slug for d in pre.predisclosure_staff_list(viewer=city, category="other")]
    assert "pudong-draft" not in [d.slug for d in pre.predisclosure_staff_list(viewer=huangpu, category="other")]
    with pytest.raises(NotFound):
        pre.predisclosure_staff_get(viewer=huangpu, slug="pudong-draft")
    # published city documents are visible to all, editable from the city only
    seeded = pre.predisclosure_staff_get(viewer=huangpu, slug="city-other")
    assert not seeded.can_edit and seeded.published is not None
    assert pre.predisclosure_staff_get(viewer=city, slug="city-other").can_edit
    assert pre.predisclosure_staff_get(viewer=pudong, slug="pudong-draft").can_edit


def test_every_category_has_a_label():
    assert len(PreDisclosureCategory) == 7
