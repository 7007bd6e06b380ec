"""Selectors answer "as on a date" (DESIGN.md: a decision records the rule versions it was
judged under)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from sanxiang.catalog import selectors, services
from sanxiang.catalog.rules.decisions import DecisionFacts
from sanxiang.core.errors import InvalidInput, NotFound

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat
TODAY = D("2026-11-27")


def org(**kw) -> DecisionFacts:
    return DecisionFacts(case_kind="penalty", party_types=("organization",), **kw)


def test_rule_effective_later_is_not_in_force_today():
    today = timezone.localdate()
    later = today + dt.timedelta(days=30)
    services.decision_rule_publish_new_version(
        code="major.complex_water", actor="user:1",
        changes={"purpose": "major", "trigger": "penalty_type", "params": {"penalty_type": "warning"},
                 "description": "测试：警告也须审核"},
        effective_from=later, citation="test [U]",
    )
    assert "major.complex_water" not in {r.code for r in selectors.rules_in_force("major")}
    assert "major.complex_water" in {r.code for r in selectors.rules_in_force("major", later)}
    assert selectors.decision_matches("major", org(penalty_types=("warning",))) == ()
    assert len(selectors.decision_matches("major", org(penalty_types=("warning",)), later)) == 1


@pytest.mark.parametrize(
    ("facts", "purpose", "codes"),
    [
        pytest.param(org(fine_amount=Decimal("500000")), "major", {"major.fine_org"},
                     id="APL58-fine-500k-org-major"),
        pytest.param(org(fine_amount=Decimal("50000")), "hearing", {"hearing.fine_org_shanghai"},
                     id="APL63-hearing-org-50k-Shanghai"),
        pytest.param(org(fine_amount=Decimal("50000")), "major", set(), id="APL58-org-50k-not-major"),
        pytest.param(org(penalty_types=("closure",)), None,
                     {"major.closure", "hearing.closure", "collective.closure"},
                     id="closure-major-hearing-collective"),
        pytest.param(org(flags={"complex": ""}), None, set(), id="flag-without-reason-ignored"),
    ],
)
def test_decision_matches_with_the_seeded_catalog(facts, purpose, codes):
    assert {m.code for m in selectors.decision_matches(purpose, facts, TODAY)} == codes


def test_matches_carry_version_and_citation():
    (match,) = selectors.decision_matches("major", org(fine_amount=Decimal("500000")), TODAY)
    assert (match.version, match.purpose) == (1, "major")
    assert "第五十八条" in match.citation
    assert match.reason == "罚款金额 500000.00 元达到单位 200000 元的审核标准"


def test_rules_in_force_refuses_unknown_purpose():
    with pytest.raises(InvalidInput):
        selectors.rules_in_force("appeal", TODAY)


def test_time_limit_missing_is_not_found():
    with pytest.raises(NotFound) as exc:
        selectors.time_limit("no_such_limit", TODAY)
    assert exc.value.code == "time_limit_not_found"
    with pytest.raises(NotFound):
        selectors.time_limit("decision", D("2021-07-14"))  # before the seeded version


def test_time_limits_in_force_by_name():
    limits = selectors.time_limits_in_force(TODAY)
    assert limits["decision"].days == 90 and limits["service"].unit == "working"


def test_time_limit_accepts_an_aware_datetime():
    at = dt.datetime(2026, 11, 27, 1, 0, tzinfo=dt.UTC)
    assert selectors.time_limit("payment", at).days == 15


def test_matter_list_filters():
    air = selectors.matter_list(field="air", on=TODAY)
    assert air.count() >= 10 and {m.field for m in air} == {"air"}
    hits = selectors.matter_list(q="危险废物", on=TODAY)
    assert hits.exists() and all(m.field == "hazardous_waste" or "危险废物" in m.name for m in hits)
    assert list(selectors.matter_list(q="AIR-001", on=TODAY).values_list("code", flat=True)) == ["AIR-001"]
    assert selectors.matter_list(case_kind="permit", on=TODAY).count() == 0
    assert selectors.matter_list(q="第九十九条第二项", on=TODAY).filter(code="AIR-001").exists()
    with pytest.raises(InvalidInput):
        selectors.matter_list(field="space")


def test_matter_get():
    assert selectors.matter_get("WAT-003", TODAY).penalty_basis.endswith("第八十三条第三项")
    with pytest.raises(NotFound):
        selectors.matter_get("NONE-999", TODAY)


def test_template_in_force_and_not_found():
    services.template_publish_new_version(
        code="zz_letter", actor="user:1",
        changes={"name": "测试函", "blocks": [{"type": "p", "text": "{party_name}"}]},
        effective_from=D("2026-01-01"), citation="test [U]",
    )
    assert selectors.template_in_force("zz_letter", TODAY).placeholders == ("party_name",)
    with pytest.raises(NotFound):
        selectors.template_in_force("zz_letter", D("2025-12-31"))


def test_document_prefix_falls_back_to_the_parent_unit_then_the_default(units):
    from sanxiang.accounts.services import unit_create

    unit_create(code="pudong-team1", name="浦东执法一队", kind="team", level="district",
                region_code="310115", parent_code="pudong")
    found = selectors.document_prefix_lookup("pudong-team1", "penalty")
    assert (found.prefix, found.source, found.unit_code) == ("沪浦环罚", "ancestor", "pudong")
    default = selectors.document_prefix_lookup("unknown-unit", "coercion")
    assert (default.prefix, default.source) == ("沪环强", "default")
    assert default.note
    with pytest.raises(InvalidInput):
        selectors.document_prefix("pudong", "trial")
