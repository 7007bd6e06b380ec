"""Data migrations 0003–0007: the default catalog is in the database, published and cited."""

from __future__ import annotations

import datetime as dt
import sys
import types
from decimal import Decimal

import pytest
from django.apps import apps

from sanxiang.catalog import seed, selectors
from sanxiang.catalog.constants import Field, PenaltyType
from sanxiang.catalog.data.decision_rules import DECISION_RULES
from sanxiang.catalog.data.matters import MATTERS
from sanxiang.catalog.data.prefixes import ABBREVIATIONS
from sanxiang.catalog.models import (
    DecisionRule,
    DocumentPrefix,
    DocumentTemplate,
    Matter,
    TimeLimitRule,
)

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat
TODAY = D("2026-11-27")


# --- matters (执法事项目录清单) ---------------------------------------------------------------

def test_matters_are_seeded_published_version_1():
    assert Matter.objects.count() == len(MATTERS) >= 40
    assert set(Matter.objects.values_list("status", "version").distinct()) == {("published", 1)}


@pytest.mark.parametrize("field", Field.values)
def test_every_field_has_matters_in_force(field):
    assert selectors.matter_list(field=field, on=TODAY).count() >= 5


def test_every_matter_names_both_provisions_and_a_valid_penalty():
    for m in Matter.objects.all():
        assert m.legal_basis.startswith("《") and "第" in m.legal_basis, m.code
        assert m.penalty_basis.startswith("《") and "第" in m.penalty_basis, m.code
        assert m.penalty_types and set(m.penalty_types) <= set(PenaltyType.values), m.code
        assert m.fine_rule, m.code
        assert any(tag in m.citation for tag in ("[V]", "[S]", "[U]")), m.code
        m.full_clean()


def test_fine_ranges_are_ordered_and_match_the_fine_type():
    for m in Matter.objects.all():
        if m.fine_min is not None and m.fine_max is not None:
            assert m.fine_min <= m.fine_max, m.code
        if m.fine_min is not None or m.fine_max is not None:
            assert "fine" in m.penalty_types, m.code


@pytest.mark.parametrize(
    ("code", "penalty_basis", "fine_min", "fine_max", "types"),
    [
        pytest.param("AIR-001", "第九十九条第二项", "100000", "1000000", {"closure", "daily_continuous_fine"},
                     id="大气法99-2-超标排放"),
        pytest.param("AIR-006", "第一百零八条第一项", "20000", "200000", {"production_suspension"},
                     id="大气法108-1-VOCs"),
        pytest.param("AIR-010", "第一百一十七条第八项", "10000", "100000", {"fine"}, id="大气法117-8-恶臭"),
        pytest.param("WAT-001", "第八十三条第二项", "100000", "1000000", {"closure"}, id="水法83-2-超标"),
        pytest.param("WAT-008", "第八十五条第一款第一项", "100000", "1000000", {"closure"}, id="水法85-1-油类"),
        pytest.param("SW-002", "第一百零二条第一款第八项", "50000", "200000", {"fine"}, id="固废法102-8-台账"),
        pytest.param("HW-005", "第一百一十二条第一款第五项", "100000", "1000000", {"detention_transfer"},
                     id="固废法112-5-转移联单"),
        pytest.param("HW-009", "第一百一十四条第一款", "1000000", "5000000", {"closure"}, id="固废法114-无证经营"),
        pytest.param("NOI-001", "第七十五条", "20000", "200000", {"closure"}, id="噪声法75-工业噪声"),
        pytest.param("PMT-001", "第三十三条第一项", "200000", "1000000", {"detention_transfer"},
                     id="排污许可条例33-1-无证"),
        pytest.param("PMT-002", "第三十四条第一项", "200000", "1000000", {"revoke_license"},
                     id="排污许可条例34-1-超许可"),
        pytest.param("PMT-004", "第三十六条第一项", "20000", "200000", {"production_suspension"},
                     id="排污许可条例36-1-排放口"),
        pytest.param("RAD-001", "第五十二条第一项", "10000", "100000", {"revoke_license", "confiscation"},
                     id="辐射条例52-1-无证"),
        pytest.param("SOIL-001", "第八十六条第一款第一项", "20000", "200000", {"production_suspension"},
                     id="土壤法86-1-自行监测"),
        pytest.param("SOIL-005", "第八十七条", "100000", "2000000", {"detention_transfer"}, id="土壤法87-农用地"),
    ],
)
def test_matter_penalties_follow_the_law(code, penalty_basis, fine_min, fine_max, types):
    m = selectors.matter_get(code, on=TODAY)
    assert penalty_basis in m.penalty_basis
    assert (m.fine_min, m.fine_max) == (Decimal(fine_min), Decimal(fine_max))
    assert types <= set(m.penalty_types)


def test_matters_with_a_multiple_instead_of_an_amount():
    """环评法 第三十一条: 1%–5% of the total investment — no yuan range."""
    m = selectors.matter_get("EIA-001", on=TODAY)
    assert (m.fine_min, m.fine_max) == (None, None)
    assert "百分之一以上百分之五以下" in m.fine_rule


def test_matters_take_effect_with_their_instrument():
    """噪声污染防治法 in force 2022-06-05: its matters do not exist before."""
    assert selectors.matter_list(field="noise", on=D("2022-06-04")).count() == 0
    assert selectors.matter_list(field="noise", on=D("2022-06-05")).count() > 0


# --- review catalog, time limits, prefixes ---------------------------------------------------

def test_decision_rules_are_seeded_with_citations():
    assert DecisionRule.objects.count() == len(DECISION_RULES)
    assert {r.purpose for r in DecisionRule.objects.all()} == {"major", "hearing", "collective"}
    for rule in DecisionRule.objects.all():
        assert rule.citation and rule.status == "published"
        rule.full_clean()  # params valid for the trigger


def test_decision_rules_are_in_force_from_the_2021_penalty_law():
    assert selectors.rules_in_force("major", D("2021-07-14")) == ()
    assert len(selectors.rules_in_force("major", D("2021-07-15"))) == 13


@pytest.mark.parametrize(
    ("name", "days", "unit", "cites"),
    [
        pytest.param("filing", 15, "calendar", "第十八条", id="MEE30-18-filing-15d"),
        pytest.param("filing_extension", 15, "calendar", "第十八条", id="MEE30-18-filing-extension-15d"),
        pytest.param("decision", 90, "calendar", "第六十条", id="APL60-decision-90d"),
        pytest.param("decision_extension", 30, "calendar", "第五十七条", id="MEE30-57-extension-30d"),
        pytest.param("decision_second_extension", 30, "calendar", "第五十七条", id="MEE30-57-second-30d"),
        pytest.param("service", 7, "working", "第六十一条", id="APL61-service-7wd"),
        pytest.param("statement", 5, "working", "R5.8", id="R5.8-statement-5wd"),
        pytest.param("hearing_request", 5, "working", "第六十四条", id="APL64-hearing-request-5wd"),
        pytest.param("hearing_notice", 7, "working", "第六十四条", id="APL64-hearing-notice-7wd"),
        pytest.param("review", 5, "working", "R7.6", id="R7.6-review-5wd"),
        pytest.param("review_complex_extension", 3, "working", "R7.6", id="R7.6-review-extension-3wd"),
        pytest.param("payment", 15, "calendar", "第六十七条", id="APL67-payment-15d"),
        pytest.param("publication_penalty", 7, "working", "第二十一条", id="GOV118-GD-GS21-penalty-7wd"),
        pytest.param("publication_permit", 7, "working", "第二十一条", id="GOV118-GD-GS21-permit-7wd"),
        pytest.param("publication_other", 20, "working", "第二十一条", id="GOV118-GD-GS21-other-20wd"),
        pytest.param("withdrawal", 3, "working", "第四十八条", id="APL48-85-withdrawal-3wd"),
        pytest.param("correction", 5, "working", "R2.6", id="R2.6-correction-5wd"),
        pytest.param("seizure", 30, "calendar", "第二十五条", id="ACL25-seizure-30d"),
        pytest.param("seizure_extension", 30, "calendar", "第二十五条", id="ACL25-seizure-extension-30d"),
        pytest.param("evidence_preservation", 7, "working", "第五十六条", id="APL56-preservation-7wd"),
        pytest.param("court_enforcement_wait", 10, "working", "第五十四条", id="ACL54-court-wait-10wd"),
        pytest.param("random_inspection_publication", 20, "working", "R11.2", id="R11.2-random-20wd"),
        pytest.param("av_upload", 1, "working", "第二十三条", id="GD-JL23-av-upload-1wd"),
    ],
)
def test_time_limits_are_seeded_with_citations(name, days, unit, cites):
    limit = selectors.time_limit(name, TODAY)
    assert (limit.days, limit.unit, limit.version) == (days, unit, 1)
    assert cites in limit.citation
    assert any(tag in limit.citation for tag in ("[V]", "[S]", "[U]"))


def test_no_other_time_limits_are_seeded():
    """The catalog's 23 time limits and those other apps seed into the catalog (oversight)."""
    from sanxiang.catalog.data.time_limits import TIME_LIMITS
    from sanxiang.oversight.data.time_limits import TIME_LIMITS as OVERSIGHT_TIME_LIMITS

    assert len(TIME_LIMITS) == 23
    expected = {t["code"] for t in (*TIME_LIMITS, *OVERSIGHT_TIME_LIMITS)}
    assert set(TimeLimitRule.objects.values_list("code", flat=True)) == expected
    assert TimeLimitRule.objects.count() == len(expected)


def test_prefixes_for_every_standard_unit_and_kind():
    """R9.3: abbreviation + kind; [U] real prefixes unverified."""
    assert DocumentPrefix.objects.count() == len(ABBREVIATIONS) * 4 == 76
    assert selectors.document_prefix("pudong", "penalty") == "沪浦环罚"
    assert selectors.document_prefix("city", "coercion") == "沪环强"
    assert selectors.document_prefix("xuhui", "inspection") == "沪徐环检"
    assert selectors.document_prefix("huangpu", "permit") == "沪黄环许"
    assert all("[U]" in p.note for p in DocumentPrefix.objects.all())


def test_prefix_units_are_the_accounts_standard_units():
    from sanxiang.accounts.data.units import STANDARD_UNITS

    assert set(ABBREVIATIONS) == {u[0] for u in STANDARD_UNITS}


# --- document templates (0007) ------------------------------------------------------------

FAKE = "sanxiang.catalog.data.document_templates"


@pytest.fixture
def fake_templates(monkeypatch):
    """A stand-in for the documents engineer's module, with one test-only template."""
    module = types.ModuleType(FAKE)
    module.DEFAULT_TEMPLATES = [
        {"code": "zz_test_notice", "name": "测试告知书", "version": 1, "effective_from": "2023-07-01",
         "citation": "《中华人民共和国行政处罚法》第四十四条 [V]",
         "blocks": [{"type": "title", "text": "告知书"}, {"type": "p", "text": "{party_name}："}]},
        {"code": "zz_test_notice", "name": "测试告知书", "version": 2, "effective_from": "2026-01-01",
         "citation": "《中华人民共和国行政处罚法》第四十四条 [V]",
         "blocks": [{"type": "title", "text": "告知书（第二版）"}]},
    ]
    monkeypatch.setitem(sys.modules, FAKE, module)
    return module


def test_template_loader_chains_versions(fake_templates):
    assert seed.load_templates(apps, "default") == 2
    v1, v2 = DocumentTemplate.objects.filter(code="zz_test_notice").order_by("version")
    assert (v1.status, v1.effective_to) == ("retired", D("2025-12-31"))
    assert (v2.status, v2.effective_to) == ("published", None)
    assert selectors.template_in_force("zz_test_notice", D("2025-06-01")).version == 1
    assert selectors.template_in_force("zz_test_notice", D("2026-01-01")).version == 2
    assert v1.placeholders == ("party_name",)
    assert seed.load_templates(apps, "default") == 0  # idempotent


def test_template_loader_without_the_module_loads_nothing(monkeypatch):
    monkeypatch.setitem(sys.modules, FAKE, None)  # import raises ModuleNotFoundError
    assert seed.default_templates() is None
    assert seed.load_templates(apps, "default") == 0


def test_template_loader_refuses_malformed_entries():
    with pytest.raises(ValueError, match="lacks"):
        seed.template_rows([{"code": "x", "name": "x"}])
    with pytest.raises(ValueError, match="start after"):
        seed.template_rows([
            {"code": "x", "name": "x", "version": 1, "effective_from": "2026-01-01", "citation": "c", "blocks": []},
            {"code": "x", "name": "x", "version": 2, "effective_from": "2026-01-01", "citation": "c", "blocks": []},
        ])


def test_migration_loaded_the_documents_module_when_present():
    """0007 loads DEFAULT_TEMPLATES of the documents engineer's module if it is installed."""
    templates = seed.default_templates()
    if templates is None:
        pytest.skip("catalog.data.document_templates is not installed")
    codes = {t["code"] for t in templates}
    assert codes <= set(DocumentTemplate.objects.values_list("code", flat=True))
    for code in codes:
        assert selectors.template_in_force(code, TODAY).status == "published"


def test_loaders_are_idempotent():
    """Running a seed migration's loader again creates nothing (codes already present)."""
    assert seed.load_matters(apps) == 0
    assert seed.load_decision_rules(apps) == 0
    assert seed.load_time_limits(apps) == 0
    assert seed.load_prefixes(apps) == 0
