"""The pure draw (rules.draw): quotas by ratio and rounding (RULES.md R11.1), seed, DRBG,
sampling, recusal (R11.3). No database."""

from __future__ import annotations

import hashlib
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanxiang.inspections.rules.draw import (
    DrawParams,
    Drbg,
    EntityRow,
    InspectorRow,
    Ratio,
    TooFewInspectors,
    draw,
    normalize_beacon,
    quota,
    seed_for,
    shortfalls,
)


@pytest.mark.parametrize("n, percent, rounding, expected", [
    # R11.1 config examples: ≥25% key, 15% special, 5% general, as minimums → round up.
    pytest.param(4, "25", "ceil", 1, id="R11.1-key-25pct-of-4-exact"),
    pytest.param(10, "25", "ceil", 3, id="R11.1-key-25pct-of-10-ceil-2.5"),
    pytest.param(7, "15", "ceil", 2, id="R11.1-special-15pct-of-7-ceil-1.05"),
    pytest.param(20, "5", "ceil", 1, id="R11.1-general-5pct-of-20-exact"),
    pytest.param(21, "5", "ceil", 2, id="R11.1-general-5pct-of-21-ceil-1.05"),
    pytest.param(1, "5", "ceil", 1, id="R11.1-general-5pct-of-1-at-least-one"),
    pytest.param(0, "25", "ceil", 0, id="R11.1-empty-level-draws-none"),
    pytest.param(9, "0", "ceil", 0, id="R11.1-zero-ratio-draws-none"),
    pytest.param(3, "100", "ceil", 3, id="R11.1-full-ratio-draws-all"),
    pytest.param(3, "33.34", "ceil", 2, id="R11.1-decimal-percent-exact-arithmetic"),
    pytest.param(10, "25", "half_up", 3, id="R11.1-half-up-2.5-rounds-up"),
    pytest.param(9, "15", "half_up", 1, id="R11.1-half-up-1.35-rounds-down"),
    pytest.param(10, "15", "half_up", 2, id="R11.1-half-up-1.5-rounds-up"),
    pytest.param(10, "25", "floor", 2, id="R11.1-floor-2.5"),
    pytest.param(1, "5", "floor", 0, id="R11.1-floor-may-draw-none"),
])
def test_quota(n, percent, rounding, expected):
    """RULES.md R11.1: ratio per risk level, turned into a whole number by the rounding rule."""
    assert quota(n, Ratio(percent=Decimal(percent), rounding=rounding)) == expected


@pytest.mark.parametrize("percent", ["-1", "100.01", "abc", "NaN"])
def test_ratio_refuses_out_of_range(percent):
    with pytest.raises(ValueError):
        Ratio(percent=percent)


def test_seed_known_answer():
    """docs/random-inspection-draws.md: printf '%s\\0%s' '福彩3D 2026320期 开奖号码 5 8 1' 17 | sha256sum"""
    assert seed_for("福彩3D 2026320期 开奖号码 5 8 1", 17).hex() == (
        "cd79b96b5f7caafc9942ddae1ea9f5a50c37b8a61242ac1faacde93a1b0978d1")


def test_seed_is_sha256_of_beacon_nul_plan_id():
    """Seed = SHA-256(UTF-8(beacon) ‖ 0x00 ‖ ASCII(plan id)) — docs/random-inspection-draws.md."""
    assert seed_for("  上证指数 3211.58 ", 42) == hashlib.sha256("上证指数 3211.58".encode() + b"\x0042").digest()
    assert seed_for("x1", 2) != seed_for("x", 12)


@pytest.mark.parametrize("beacon, code", [
    ("", "beacon_required"), ("   ", "beacon_required"), ("a\x00b", "beacon_control_characters"),
    ("a" * 501, "beacon_too_long"),
])
def test_beacon_refused(beacon, code):
    with pytest.raises(ValueError) as exc:
        normalize_beacon(beacon)
    assert exc.value.code == code


def test_beacon_nfc():
    assert normalize_beacon("e\u0301") == "\u00e9"


def test_drbg_counter_mode_known_answer():
    """Block i = SHA-256(seed ‖ uint64_be(i)); the first word of the stream is its first 8 bytes."""
    seed = bytes(32)
    block0 = hashlib.sha256(bytes(32) + (0).to_bytes(8, "big")).digest()
    block1 = hashlib.sha256(bytes(32) + (1).to_bytes(8, "big")).digest()
    assert Drbg(seed).read(64) == block0 + block1
    assert Drbg(seed).below(1000) == int.from_bytes(block0[:8], "big") % 1000


def test_drbg_below_is_in_range_and_deterministic():
    a, b = Drbg(bytes(range(32))), Drbg(bytes(range(32)))
    xs = [a.below(7) for _ in range(500)]
    assert xs == [b.below(7) for _ in range(500)]
    assert set(xs) == set(range(7))


def test_drbg_rejects_biased_words():
    """Rejection sampling: for n = 2**63 + 1 a word ≥ limit is drawn again, not reduced."""
    rng = Drbg(bytes(32))
    n = 2**63 + 1
    limit = 2**64 - (2**64 % n)
    for _ in range(50):
        assert 0 <= rng.below(n) < n
    assert limit == n  # only one full residue class fits: about half the words are rejected


def _pools(n_entities=12, n_inspectors=6):
    risks = ["key", "special", "general"]
    entities = [EntityRow(key=f"E{i:03d}", risk=risks[i % 3], district_path="/city/pudong/")
                for i in range(n_entities)]
    inspectors = [InspectorRow(ref=f"officer:{i}", unit_path="/city/pudong/") for i in range(1, n_inspectors + 1)]
    return entities, inspectors


PARAMS = DrawParams(ratios={"key": Ratio(Decimal(50)), "special": Ratio(Decimal(25)), "general": Ratio(Decimal(25))})


def test_draw_is_reproducible_and_beacon_sensitive():
    entities, inspectors = _pools()
    first = draw(seed_for("beacon A", 7), entities, inspectors, [], PARAMS)
    again = draw(seed_for("beacon A", 7), entities, inspectors, [], PARAMS)
    other = draw(seed_for("beacon B", 7), entities, inspectors, [], PARAMS)
    assert first.pairs() == again.pairs()
    assert first.pairs() != other.pairs()
    assert first.quotas == {"key": {"pool": 4, "drawn": 2}, "special": {"pool": 4, "drawn": 1},
                            "general": {"pool": 4, "drawn": 1}}


def test_too_few_inspectors_after_recusal():
    """R11.3: conflicted pairs are excluded; fewer than two left → refusal, not a lone inspector."""
    entities, inspectors = _pools(n_entities=3, n_inspectors=3)
    conflicts = [(e.key, "officer:1") for e in entities] + [(e.key, "officer:2") for e in entities]
    params = DrawParams(ratios={level: Ratio(Decimal(100)) for level in ("key", "special", "general")})
    with pytest.raises(TooFewInspectors) as exc:
        draw(seed_for("b", 1), entities, inspectors, conflicts, params)
    assert exc.value.eligible == 1 and exc.value.needed == 2
    assert shortfalls(entities, inspectors, conflicts, params) == [(e.key, 1) for e in entities]


def test_cross_scope_never_draws_own_district():
    entities = [EntityRow(key="E1", risk="key", district_path="/city/pudong/")]
    inspectors = [InspectorRow(ref="officer:1", unit_path="/city/pudong/"),
                  InspectorRow(ref="officer:2", unit_path="/city/huangpu/"),
                  InspectorRow(ref="officer:3", unit_path="/city/xuhui/")]
    params = DrawParams(ratios={"key": Ratio(Decimal(100))}, scope="cross")
    (pick,) = draw(seed_for("b", 1), entities, inspectors, [], params).picks
    assert sorted(pick.inspectors) == ["officer:2", "officer:3"]


@st.composite
def pools_and_conflicts(draw_):
    n_e = draw_(st.integers(1, 15))
    n_i = draw_(st.integers(2, 8))
    risks = draw_(st.lists(st.sampled_from(["key", "special", "general"]), min_size=n_e, max_size=n_e))
    entities = [EntityRow(key=f"E{i:03d}", risk=r, district_path="/city/pudong/") for i, r in enumerate(risks)]
    inspectors = [InspectorRow(ref=f"officer:{i}", unit_path="/city/pudong/") for i in range(1, n_i + 1)]
    conflicts = draw_(st.lists(st.tuples(st.sampled_from([e.key for e in entities]),
                                         st.sampled_from([i.ref for i in inspectors])), max_size=20))
    return entities, inspectors, conflicts


@settings(max_examples=200, deadline=None)
@given(pools=pools_and_conflicts(), beacon=st.text(min_size=1, max_size=40).filter(lambda s: s.strip()
       and "\x00" not in s and all(ord(c) >= 32 and not 0x7f <= ord(c) < 0xa0 for c in s)),
       per=st.integers(2, 3), percents=st.tuples(*[st.integers(0, 100)] * 3))
def test_property_conflicted_inspector_never_drawn_for_that_entity(pools, beacon, per, percents):
    """R11.3: whatever the pools, beacon and ratios, a conflicted inspector is never drawn for
    that entity; inspectors of one entity are distinct; quotas are met or the draw refuses."""
    entities, inspectors, conflicts = pools
    params = DrawParams(ratios={lvl: Ratio(Decimal(p)) for lvl, p in zip(("key", "special", "general"), percents,
                                                                            strict=True)}, per_entity=per)
    try:
        outcome = draw(seed_for(beacon, 1), entities, inspectors, conflicts, params)
    except TooFewInspectors as exc:
        assert exc.eligible < per
        return
    barred = set(conflicts)
    for pick in outcome.picks:
        assert len(pick.inspectors) == per == len(set(pick.inspectors))
        assert not any((pick.entity, ref) in barred for ref in pick.inspectors)
    assert len(outcome.picks) == sum(q["drawn"] for q in outcome.quotas.values())
