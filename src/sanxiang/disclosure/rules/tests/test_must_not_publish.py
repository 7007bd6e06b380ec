"""Decisions never published (不予公示), RULES.md R3.3 — GD-GS 第15条, 个人信息保护法 第28条."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from sanxiang.disclosure.rules.redaction import must_not_publish

from .helpers import PARTY_ID, make_id

CHILD_ID = make_id("31011520100615123")  # born 2010-06-15
TURNS_18 = make_id("31011520081120123")  # born 2008-11-20


@pytest.mark.parametrize(
    ("facts", "reasons"),
    [
        pytest.param({}, (), id="GD-GS15-nothing-publish"),
        pytest.param({"involves_minor": True}, ("minor",), id="GD-GS15-1-minor-PIPL28"),
        pytest.param({"secret": True}, ("secret",), id="GD-GS15-2-secret-flag"),
        pytest.param({"secret": True, "involves_minor": True}, ("minor", "secret"),
                     id="GD-GS15-minor-and-secret"),
        pytest.param({"state_secret": "涉及国家秘密"}, ("state_secret",),
                     id="GD-GS15-2-state-secret-reason-string"),
        pytest.param({"commercial_secret": True}, ("commercial_secret",),
                     id="GD-GS15-2-commercial-secret"),
        pytest.param({"commercial_secret": True, "right_holder_consents": True}, (),
                     id="GD-GS15-2-commercial-secret-consent"),
        pytest.param({"personal_privacy": True, "public_interest_override": True}, (),
                     id="GD-GS15-2-privacy-public-interest"),
        pytest.param({"involves_minor": True, "right_holder_consents": True}, ("minor",),
                     id="GD-GS15-1-minor-not-overridable"),
        pytest.param({"secret": True, "public_interest_override": True}, ("secret",),
                     id="GD-GS15-secret-not-overridable"),
        pytest.param({"security_risk": True, "related_investigation": True,
                      "legal_prohibition": True},
                     ("security_risk", "related_investigation", "legal_prohibition"),
                     id="GD-GS15-3-4-5"),
        pytest.param({"involves_minor": False, "secret": ""}, (), id="GD-GS15-flags-unset"),
    ],
)
def test_must_not_publish(facts, reasons):
    assert must_not_publish(facts) == reasons


@pytest.mark.parametrize(
    ("numbers", "decided_on", "reasons"),
    [
        pytest.param([CHILD_ID], date(2026, 11, 20), ("minor",), id="GD-GS15-1-minor-from-id"),
        pytest.param([PARTY_ID, CHILD_ID], date(2026, 11, 20), ("minor",),
                     id="GD-GS15-1-one-of-two-parties-minor"),
        pytest.param([PARTY_ID], date(2026, 11, 20), (), id="GD-GS15-1-adult"),
        pytest.param([TURNS_18], date(2026, 11, 19), ("minor",), id="GD-GS15-1-day-before-18"),
        pytest.param([TURNS_18], date(2026, 11, 20), (), id="GD-GS15-1-18th-birthday"),
        pytest.param(["not an id"], date(2026, 11, 20), (), id="R9.1-invalid-number-ignored"),
    ],
)
def test_minor_is_derived_from_the_party_id_number(numbers, decided_on, reasons):
    """The flag may be forgotten; the date of birth is in the number (R9.1)."""
    assert must_not_publish({"party_id_numbers": numbers, "decided_on": decided_on}) == reasons


def test_facts_may_be_an_object():
    @dataclass
    class CaseFacts:
        secret: bool = False
        involves_minor: bool = True

    assert must_not_publish(CaseFacts()) == ("minor",)
