"""Display periods (信用公示期), RULES.md R2.9 — pure table tests of `disclosure.rules.periods`.

NDRC58 (国家发展改革委令第58号, until 2026-03-31, R2.9.1 [S]): min 3 months, max 3 years.
NDRC2025 (《信用修复管理办法》, from 2026-04-01, R2.9.3 [S]): minor ≤ 3 months, general 3 months–
1 year, serious 1–3 years. Classification defaults (R2.9.3 press examples [S/U], APL 第51条 [V]
for the simple-procedure amounts) are configurable data.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from sanxiang.disclosure.rules import periods
from sanxiang.disclosure.rules.periods import (
    GENERAL,
    MINOR,
    SERIOUS,
    ClassMapping,
    PeriodError,
    TypeRule,
)


@pytest.mark.parametrize(("day", "months", "expected"), [
    pytest.param(date(2026, 1, 31), 1, date(2026, 2, 28), id="clamped-to-month-end"),
    pytest.param(date(2028, 1, 31), 1, date(2028, 2, 29), id="leap-february"),
    pytest.param(date(2026, 11, 20), 3, date(2027, 2, 20), id="across-the-year"),
    pytest.param(date(2026, 2, 28), 36, date(2029, 2, 28), id="three-years"),
    pytest.param(date(2028, 2, 29), 12, date(2029, 2, 28), id="leap-day-plus-one-year"),
    pytest.param(date(2026, 5, 5), 0, date(2026, 5, 5), id="zero"),
])
def test_add_months(day, months, expected):
    assert periods.add_months(day, months) == expected


@pytest.mark.parametrize(("decided_on", "types", "fine", "party", "regime", "cls", "min_until", "expires_on"), [
    # R2.9.1 NDRC58: every class 3 months – 3 years.
    pytest.param(date(2025, 6, 10), ["fine"], "500000.00", "organization", "NDRC58", GENERAL,
                 date(2025, 9, 10), date(2028, 6, 10), id="R2.9.1-NDRC58-fine-3m-3y"),
    pytest.param(date(2026, 3, 31), ["warning"], None, "person", "NDRC58", MINOR,
                 date(2026, 6, 30), date(2029, 3, 31), id="R2.9.1-NDRC58-last-day-warning-3m-3y"),
    pytest.param(date(2024, 1, 15), ["revoke_license"], None, "organization", "NDRC58", SERIOUS,
                 date(2024, 4, 15), date(2027, 1, 15), id="R2.9.1-NDRC58-revocation-3m-3y"),
    # R2.9.3 NDRC2025 from 2026-04-01.
    pytest.param(date(2026, 4, 1), ["warning"], None, "organization", "NDRC2025", MINOR,
                 date(2026, 4, 1), date(2026, 7, 1), id="R2.9.3-NDRC2025-first-day-warning-minor-0-3m"),
    pytest.param(date(2026, 11, 20), ["fine"], "3000.00", "organization", "NDRC2025", MINOR,
                 date(2026, 11, 20), date(2027, 2, 20), id="R2.9.3-APL51-org-fine-3000-minor"),
    pytest.param(date(2026, 11, 20), ["fine"], "3000.01", "organization", "NDRC2025", GENERAL,
                 date(2027, 2, 20), date(2027, 11, 20), id="R2.9.3-org-fine-above-3000-general-3m-1y"),
    pytest.param(date(2026, 11, 20), ["fine"], "200.00", "person", "NDRC2025", MINOR,
                 date(2026, 11, 20), date(2027, 2, 20), id="R2.9.3-APL51-person-fine-200-minor"),
    pytest.param(date(2026, 11, 20), ["fine"], "201.00", "person", "NDRC2025", GENERAL,
                 date(2027, 2, 20), date(2027, 11, 20), id="R2.9.3-person-fine-201-general"),
    pytest.param(date(2026, 11, 20), ["fine"], "500000.00", "organization", "NDRC2025", GENERAL,
                 date(2027, 2, 20), date(2027, 11, 20), id="R2.9.3-larger-fine-general"),
    pytest.param(date(2026, 11, 20), ["fine"], "1000000.00", "organization", "NDRC2025", SERIOUS,
                 date(2027, 11, 20), date(2029, 11, 20), id="R2.9.3-huge-fine-U-serious-1y-3y"),
    pytest.param(date(2026, 11, 20), ["confiscation"], None, "organization", "NDRC2025", GENERAL,
                 date(2027, 2, 20), date(2027, 11, 20), id="R2.9.3-confiscation-general"),
    pytest.param(date(2026, 11, 20), ["revoke_license"], None, "organization", "NDRC2025", SERIOUS,
                 date(2027, 11, 20), date(2029, 11, 20), id="R2.9.3-revocation-serious"),
    pytest.param(date(2026, 11, 20), ["warning", "fine", "closure"], "1000.00", "organization", "NDRC2025",
                 SERIOUS, date(2027, 11, 20), date(2029, 11, 20), id="R2.9.1-several-types-longest-wins"),
    pytest.param(date(2026, 11, 20), ["made_up_type"], None, "organization", "NDRC2025", GENERAL,
                 date(2027, 2, 20), date(2027, 11, 20), id="unknown-type-never-minor-by-omission"),
])
def test_display_period(decided_on, types, fine, party, regime, cls, min_until, expires_on):
    period = periods.display_period(decision_kind="penalty", decided_on=decided_on, penalty_types=types,
                                    fine_amount=fine, party_type=party)
    assert (period.regime, period.display_class, period.start) == (regime, cls, decided_on)
    assert (period.min_until, period.expires_on) == (min_until, expires_on)
    assert period.reasons and period.citation


def test_minor_is_not_published_in_principle_under_ndrc2025():
    """R2.9.3: minor — not published in principle, at most 3 months if deemed necessary."""
    period = periods.display_period(decision_kind="penalty", decided_on=date(2026, 5, 6), penalty_types=["warning"])
    assert period.published_in_principle is False
    old = periods.display_period(decision_kind="penalty", decided_on=date(2026, 3, 6), penalty_types=["warning"])
    assert old.published_in_principle is True


@pytest.mark.parametrize("kind", ["permit", "coercion", "other"])
def test_only_penalties_have_a_display_period(kind):
    """R2.9 covers penalty (credit) information; a granted permit stays public (ALL 第40条)."""
    assert periods.display_period(decision_kind=kind, decided_on=date(2026, 11, 20)) is None


def test_regime_switches_on_2026_04_01():
    assert periods.regime_for(date(2026, 3, 31)).code == "NDRC58"
    assert periods.regime_for(date(2026, 4, 1)).code == "NDRC2025"
    with pytest.raises(PeriodError):
        periods.regime_for(date(2026, 4, 1), regimes=[periods.NDRC58])


def test_the_mapping_is_configurable_data():
    strict = ClassMapping(name="strict", version=2, effective_from=date(2026, 4, 1), citation="test",
                          rules=(TypeRule("warning", GENERAL, "test: warnings are general"),))
    cls, reasons = periods.classify(penalty_types=["warning"], mapping=strict)
    assert cls == GENERAL and "test: warnings are general" in reasons[0]
    assert periods.classify(penalty_types=["fine"], fine_amount=Decimal("50"), party_type="person",
                            mapping=strict)[0] == GENERAL  # no rule for fines: unknown_class


def test_every_default_rule_carries_a_status_and_a_citation():
    for rule in periods.DEFAULT_MAPPING.rules:
        assert rule.status in ("V", "S", "U") and rule.citation
    for regime in periods.REGIMES:
        assert all(p.citation for p in regime.periods)
    with pytest.raises(PeriodError):
        TypeRule("warning", "tiny", "bad class")
