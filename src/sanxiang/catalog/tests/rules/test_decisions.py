"""Decision rules of the review catalog (RULES.md §6, §7) — pure, no database.

The table runs the default rules of ``catalog.data.decision_rules`` (the rows the data
migration publishes) through ``evaluate``; each id cites the provision.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from sanxiang.catalog import constants
from sanxiang.catalog.data.decision_rules import DECISION_RULES
from sanxiang.catalog.rules import decisions
from sanxiang.catalog.rules.decisions import (
    DecisionFacts,
    Match,
    RuleParamsError,
    RuleVersion,
    evaluate,
    validate_params,
)

DEFAULTS = tuple(
    RuleVersion(
        code=r["code"], version=1, purpose=r["purpose"], trigger=r["trigger"],
        params=validate_params(r["trigger"], r["params"]), citation=r["citation"],
        description=r["description"],
    )
    for r in DECISION_RULES
)
ORG = ("organization",)
PERSON = ("person",)
IB = ("individual_business",)


def facts(**kw) -> DecisionFacts:
    kw.setdefault("case_kind", "penalty")
    kw.setdefault("party_types", ORG)
    return DecisionFacts(**kw)


def purposes(matches) -> set[str]:
    return {m.purpose for m in matches}


def codes(matches) -> set[str]:
    return {m.code for m in matches}


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        pytest.param(facts(fine_amount=Decimal("500000")), {"major", "hearing"},
                     id="APL58-fine-500k-org-major"),
        pytest.param(facts(fine_amount=Decimal("200000")), {"major", "hearing"},
                     id="APL58-MEE30-89-fine-200k-org-inclusive-major"),
        pytest.param(facts(fine_amount=Decimal("199999.99")), {"hearing"},
                     id="APL58-fine-199999.99-org-not-major"),
        pytest.param(facts(fine_amount=Decimal("50000")), {"hearing"},
                     id="APL63-hearing-org-50k-Shanghai"),
        pytest.param(facts(fine_amount=Decimal("49999.99")), set(),
                     id="APL63-org-below-50k-nothing"),
        pytest.param(facts(party_types=PERSON, fine_amount=Decimal("5000")), {"major", "hearing"},
                     id="APL63-natural-person-5000-inclusive"),
        pytest.param(facts(party_types=PERSON, fine_amount=Decimal("4999.99")), set(),
                     id="APL63-natural-person-4999.99-nothing"),
        pytest.param(facts(party_types=IB, fine_amount=Decimal("5000")), {"major", "hearing"},
                     id="APL63-individual-business-person-threshold"),
        pytest.param(facts(party_types=PERSON, fine_amount=Decimal("50000")), {"major", "hearing"},
                     id="APL63-person-50k"),
        pytest.param(facts(fine_amount=Decimal("1000000")), {"major", "hearing", "collective"},
                     id="APL57-fine-1m-org-collective"),
        pytest.param(facts(penalty_types=("closure",)), {"major", "hearing", "collective"},
                     id="APL57-58-63-closure-major-hearing-collective"),
        pytest.param(facts(penalty_types=("revoke_license",)), {"major", "hearing", "collective"},
                     id="APL57-58-63-revoke-licence"),
        pytest.param(facts(penalty_types=("production_suspension",)), {"major", "hearing", "collective"},
                     id="APL63-MEE30-46-production-suspension"),
        pytest.param(facts(penalty_types=("suspend_license",)), {"hearing"},
                     id="APL63-5-suspend-licence-hearing-only"),
        pytest.param(facts(penalty_types=("daily_continuous_fine",)), {"major"},
                     id="EPL59-daily-fine-major"),
        pytest.param(facts(penalty_types=("detention_transfer",)), {"major", "collective"},
                     id="EPL63-detention-transfer-major-collective"),
        pytest.param(facts(penalty_types=("warning",)), set(), id="APL-warning-nothing"),
        pytest.param(facts(confiscation_amount=Decimal("50000")), {"hearing"},
                     id="APL63-2-confiscation-org-50k-hearing"),
        pytest.param(facts(confiscation_amount=Decimal("200000")), {"major", "hearing"},
                     id="APL58-confiscation-org-200k-major"),
        pytest.param(facts(flags={"complex": "涉及多个法律关系"}), {"major", "collective"},
                     id="APL58-3-APL57-complex-with-reason"),
        pytest.param(facts(flags={"complex": ""}), set(), id="APL58-complex-flag-without-reason-ignored"),
        pytest.param(facts(flags={"complex": "   "}), set(), id="APL58-complex-flag-blank-reason-ignored"),
        pytest.param(facts(flags={"public_interest": "饮用水水源地"}), {"major"},
                     id="APL58-1-public-interest"),
        pytest.param(facts(flags={"social_risk": "群体性投诉"}), {"major"},
                     id="GOV118-GD-FS-10-social-risk"),
        pytest.param(facts(hearing_held=True), {"major"}, id="APL58-2-hearing-held"),
        pytest.param(facts(flags={"hearing_held": "2026-11-10 举行听证"}), {"major"},
                     id="APL58-2-hearing-held-flag-with-reason"),
        pytest.param(facts(flags={"hearing_held": ""}), set(), id="APL58-2-hearing-held-flag-without-reason"),
        pytest.param(facts(), set(), id="nothing-proposed-nothing-matches"),
    ],
)
def test_default_rules(case, expected):
    assert purposes(evaluate(case, DEFAULTS)) == expected


def test_500k_company_reason_names_rule_and_value():
    """APL 第五十八条 / MEE30 第八十九条: the reason is a sentence naming rule and value."""
    matches = evaluate(facts(fine_amount=Decimal("500000")), DEFAULTS)
    major = next(m for m in matches if m.code == "major.fine_org")
    assert major == Match(
        "major.fine_org", 1, "major", "罚款金额 500000.00 元达到单位 200000 元的审核标准", major.citation,
    )
    assert "第五十八条" in major.citation
    assert major.as_dict()["reason"] == major.reason


def test_hearing_either_threshold_both_reasons_are_recorded():
    """RULES.md R6.3: either the Shanghai (¥50,000) or the MEE30 (¥200,000) threshold."""
    matches = evaluate(facts(fine_amount=Decimal("300000")), DEFAULTS)
    assert {"hearing.fine_org_shanghai", "hearing.fine_org"} <= codes(matches)


def test_hearing_rules_apply_to_penalty_cases_only():
    """APL 第六十三条 is a penalty procedure; a coercion case's amounts do not trigger it."""
    case = facts(case_kind="coercion", fine_amount=Decimal("500000"), penalty_types=("closure",))
    assert "hearing" not in purposes(evaluate(case, DEFAULTS))
    assert {"major", "collective"} <= purposes(evaluate(case, DEFAULTS))


def test_party_type_must_be_listed():
    """The ¥5,000 natural-person rule does not apply to an organization's ¥6,000 fine."""
    assert evaluate(facts(fine_amount=Decimal("6000")), DEFAULTS) == ()


def test_exclusive_threshold_needs_more_than_the_number():
    rule = RuleVersion("x", 1, "major", "amount", validate_params(
        "amount", {"party_types": ["organization"], "threshold": "200000", "inclusive": False}))
    assert evaluate(facts(fine_amount=Decimal("200000")), [rule]) == ()
    (match,) = evaluate(facts(fine_amount=Decimal("200000.01")), [rule])
    assert match.reason == "罚款金额 200000.01 元超过单位 200000 元的审核标准"


def test_amounts_compare_as_decimals():
    """Amounts given as strings or ints are exact decimals; floats are refused."""
    assert facts(fine_amount="200000.00").fine_amount == Decimal("200000")
    assert facts(fine_amount=200000).fine_amount == Decimal("200000")
    with pytest.raises(TypeError):
        facts(fine_amount=200000.0)
    with pytest.raises(ValueError):
        facts(fine_amount="二十万")


def test_flag_reason_text_is_quoted():
    (match,) = list(evaluate(facts(flags={"social_risk": "周边居民集体投诉"}), DEFAULTS))
    assert match.reason == "案件标记为“可能造成重大社会影响或引发社会风险”（理由：周边居民集体投诉），属于重大执法决定法制审核目录"


def test_facts_are_immutable():
    case = facts(flags={"complex": "x"})
    with pytest.raises(AttributeError):
        case.fine_amount = Decimal("1")
    with pytest.raises(TypeError):
        case.flags["complex"] = "y"


def test_rules_keep_their_given_order():
    rules = list(reversed(DEFAULTS))
    matches = evaluate(facts(penalty_types=("closure",)), rules)
    assert [m.code for m in matches] == [r.code for r in rules if r.code in codes(matches)]


@pytest.mark.parametrize(
    ("trigger", "params", "field"),
    [
        pytest.param("amount", {"party_types": [], "threshold": "1"}, "party_types", id="no-party-types"),
        pytest.param("amount", {"party_types": ["company"], "threshold": "1"}, "party_types", id="bad-party"),
        pytest.param("amount", {"party_types": ["person"], "threshold": "abc"}, "threshold", id="bad-threshold"),
        pytest.param("amount", {"party_types": ["person"], "threshold": 1.5}, "threshold", id="float-threshold"),
        pytest.param("amount", {"party_types": ["person"], "threshold": "-1"}, "threshold", id="negative"),
        pytest.param("amount", {"party_types": ["person"], "threshold": "1", "inclusive": "yes"}, "inclusive",
                     id="inclusive-not-bool"),
        pytest.param("amount", {"party_types": ["person"], "threshold": "1", "amount": "tax"}, "amount",
                     id="bad-amount-kind"),
        pytest.param("penalty_type", {"penalty_type": "jail"}, "penalty_type", id="bad-penalty"),
        pytest.param("flag", {"flag": "urgent"}, "flag", id="bad-flag"),
        pytest.param("flag", {"flag": "complex", "extra": 1}, "extra", id="unknown-key"),
        pytest.param("hearing_held", {"case_kinds": ["trial"]}, "case_kinds", id="bad-case-kind"),
        pytest.param("magic", {}, "trigger", id="bad-trigger"),
    ],
)
def test_validate_params_names_the_offending_key(trigger, params, field):
    with pytest.raises(RuleParamsError) as exc:
        validate_params(trigger, params)
    assert exc.value.field == field


def test_validate_params_normalises_threshold_and_defaults():
    assert validate_params("amount", {"party_types": ["organization"], "threshold": 200000}) == {
        "party_types": ["organization"], "threshold": "200000", "inclusive": True, "amount": "fine",
    }
    assert validate_params("amount", {"party_types": ["person"], "threshold": "5000.50"})["threshold"] == "5000.5"


def test_vocabulary_matches_the_shared_constants():
    """The pure module repeats catalog.constants' values; they must stay in step."""
    assert set(decisions.CASE_KINDS) == set(constants.CaseKind.values)
    assert set(decisions.PARTY_TYPES) == set(constants.PartyType.values)
    assert set(decisions.PENALTY_TYPES) == set(constants.PenaltyType.values)
    assert set(decisions.FLAGS) == set(constants.CaseFlag.values)
    assert set(decisions.PURPOSES) == set(constants.RulePurpose.values)


def test_every_default_rule_is_valid_and_cited():
    assert len({r.code for r in DEFAULTS}) == len(DEFAULTS)
    for rule in DEFAULTS:
        assert rule.code.startswith(rule.purpose + ".")
        assert rule.citation and any(tag in rule.citation for tag in ("[V]", "[S]", "[U]"))
