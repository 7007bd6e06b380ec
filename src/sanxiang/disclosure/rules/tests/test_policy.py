"""The redaction policy as versioned rule data (RULES.md §3, §4)."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from sanxiang.catalog.rules.decisions import PARTY_TYPES as CATALOG_PARTY_TYPES
from sanxiang.disclosure.rules import policy as P
from sanxiang.disclosure.rules.policy import (
    DEFAULT_POLICY,
    CategoryRule,
    FieldRule,
    NeverPublish,
    PolicyError,
    policy_for,
)


@pytest.mark.parametrize(
    ("category", "cites"),
    [
        pytest.param(P.ID_NUMBER, "第十四条", id="R3.1-GD-GS14-id_number"),
        pytest.param(P.PHONE, "第十四条", id="R3.1-GD-GS14-phone"),
        pytest.param(P.ADDRESS, "第十四条", id="R3.1-GD-GS14-address"),
        pytest.param(P.BANK_ACCOUNT, "第十四条", id="R3.1-GD-GS14-bank_account"),
        pytest.param(P.HEALTH, "第二十八条", id="R3.5-PIPL28-health"),
        pytest.param(P.EMAIL, "第十四条", id="R3.1-GD-GS14-email"),
        pytest.param(P.OTHER_PERSON_NAME, "第六十四条", id="R3.2-MEE30-64-other_person_name"),
        pytest.param(P.BIOMETRIC, "第二十八条", id="R3.5-PIPL28-biometric"),
        pytest.param(P.PARTY_NAME, "R3.4", id="R3.4-party_name"),
    ],
)
def test_default_policy_removes_every_category_with_a_citation(category, cites):
    rule = DEFAULT_POLICY.category(category)
    assert rule.remove
    assert cites in rule.citation
    assert rule.replacement


def test_every_item_of_the_default_policy_carries_a_citation():
    """STYLE.md §4.4: rule values are versioned data with a citation."""
    assert DEFAULT_POLICY.version == 1 and DEFAULT_POLICY.effective_from == date(2023, 7, 1)
    assert DEFAULT_POLICY.citation
    assert all(rule.citation for rule in DEFAULT_POLICY.categories)
    assert all(rule.citation for rule in DEFAULT_POLICY.field_rules)
    assert all(item.citation and item.title_zh for item in DEFAULT_POLICY.never_publish)
    assert DEFAULT_POLICY.person_name_pattern == "{surname}某"


def test_replacement_tokens_name_their_category_and_are_distinct():
    """Tokens say what kind of value was removed and nothing of the value itself."""
    tokens = [DEFAULT_POLICY.replacement(c) for c in P.CATEGORIES if c != P.PARTY_NAME]
    assert len(set(tokens)) == len(tokens)
    assert all(t.startswith("［") and t.endswith("已隐去］") for t in tokens)
    assert not any(ch.isdigit() for t in tokens for ch in t)


@pytest.mark.parametrize(
    ("field", "party_type", "action"),
    [
        pytest.param("party_name", P.PERSON, P.MASK_NAME, id="R3.4-person-name-masked"),
        pytest.param("party_name", P.ORGANIZATION, P.PUBLISH, id="R3.1-organisation-named"),
        pytest.param("party_name", P.INDIVIDUAL_BUSINESS, P.PUBLISH,
                     id="R3.1-individual-business-named"),
        pytest.param("uscc", P.ORGANIZATION, P.PUBLISH, id="R4.3-credit-code-public"),
        pytest.param("legal_representative", P.ORGANIZATION, P.PUBLISH,
                     id="R4.3-legal-representative-published"),
        pytest.param("legal_representative", P.PERSON, P.WITHHOLD,
                     id="R3.2-guardian-of-person-withheld"),
        pytest.param("address", P.PERSON, P.WITHHOLD, id="R3.1-GD-GS14-person-address-withheld"),
        pytest.param("address", P.ORGANIZATION, P.PUBLISH, id="R4.1-APL59-organisation-address"),
        pytest.param("id_number", P.PERSON, P.WITHHOLD, id="R3.1-GD-GS14-id-withheld"),
        pytest.param("legal_representative_id_number", P.ORGANIZATION, P.WITHHOLD,
                     id="R3.1-R4.3-legal-representative-id-withheld"),
        pytest.param("bank_account", P.ORGANIZATION, P.WITHHOLD,
                     id="R3.1-GD-GS14-organisation-bank-account-withheld"),
        pytest.param("phone", P.ORGANIZATION, P.WITHHOLD, id="R3.1-GD-GS14-phone-withheld"),
        pytest.param("decision_number", P.PERSON, P.PUBLISH, id="R4.2-GD-GS13-decision-number"),
        pytest.param("facts", P.PERSON, None, id="R4.2-facts-scanned"),
    ],
)
def test_field_rules(field, party_type, action):
    rule = DEFAULT_POLICY.field_rule(field, party_type)
    assert (rule.action if rule else None) == action


def test_party_types_are_those_of_the_catalog():
    assert set(P.PARTY_TYPES) == set(CATALOG_PARTY_TYPES)


@pytest.mark.parametrize(
    ("change", "code"),
    [
        pytest.param({"categories": DEFAULT_POLICY.categories[1:]}, "policy_categories",
                     id="missing-category"),
        pytest.param({"categories": (*DEFAULT_POLICY.categories[:-1],
                                     CategoryRule(P.OTHER, True, "", "c"))},
                     "policy_replacement", id="empty-token"),
        pytest.param({"field_rules": (FieldRule("x", "publish-later", "c"),)}, "policy_action",
                     id="unknown-action"),
        pytest.param({"field_rules": (FieldRule("x", P.PUBLISH, "c", party_types=("robot",)),)},
                     "policy_party_type", id="unknown-party-type"),
        pytest.param({"never_publish": (NeverPublish("a", "a", "a", "c"),) * 2},
                     "policy_never_publish", id="duplicate-never-publish"),
        pytest.param({"effective_to": date(2020, 1, 1)}, "policy_period", id="period-reversed"),
        pytest.param({"partial_min_digits": 3}, "policy_partial", id="partial-too-short"),
        pytest.param({"version": "1"}, "policy_identity", id="version-not-int"),
    ],
)
def test_malformed_policies_are_refused(change, code):
    with pytest.raises(PolicyError) as exc:
        dataclasses.replace(DEFAULT_POLICY, **change)
    assert exc.value.code == code


def test_policy_for_picks_the_version_in_force():
    v2 = dataclasses.replace(DEFAULT_POLICY, version=2, effective_from=date(2026, 4, 1))
    v1 = dataclasses.replace(DEFAULT_POLICY, effective_to=date(2026, 4, 1))
    assert policy_for(date(2026, 3, 31), [v1, v2]) is v1
    assert policy_for(date(2026, 4, 1), [v1, v2]) is v2
    with pytest.raises(PolicyError) as exc:
        policy_for(date(2020, 1, 1), [v1, v2])
    assert exc.value.code == "policy_missing"


def test_as_dict_identifies_the_version():
    assert DEFAULT_POLICY.as_dict() == {
        "name": "shanghai-default", "version": 1, "effective_from": "2023-07-01",
        "effective_to": None,
    }
