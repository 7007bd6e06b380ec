"""Pure rules of legal review, table-tested with their sources."""

from __future__ import annotations

import pytest

from sanxiang.review.constants import (
    FINDING_KEYS,
    HEARING_MATERIALS,
    REQUIRED_MATERIALS,
    SubmissionStatus,
)
from sanxiang.review.rules import checklist, serving, states

ALL_REQUIRED = list(REQUIRED_MATERIALS)


@pytest.mark.parametrize(
    ("materials", "hearing_held", "missing"),
    [
        pytest.param(ALL_REQUIRED, False, [], id="GD-FS14-complete"),
        pytest.param(ALL_REQUIRED + ["risk_assessment", "expert_opinion"], False, [], id="GD-FS14-extras-ok"),
        pytest.param(ALL_REQUIRED[:-1], False, ["discretion_basis"], id="GD-FS14-no-discretion-basis"),
        pytest.param([], False, ALL_REQUIRED, id="GD-FS14-nothing"),
        pytest.param(ALL_REQUIRED, True, ["hearing_report"], id="GD-FS14-hearing-held-no-report"),
        pytest.param(ALL_REQUIRED + ["hearing_report"], True, [], id="GD-FS14-hearing-report"),
        pytest.param(["proposed_decision"], True,
                     ["investigation_report", "evidence_list", "discretion_basis", "hearing_report"],
                     id="GD-FS14-order-of-required"),
    ],
)
def test_missing_materials(materials, hearing_held, missing):
    """GD-FS 第14条 (RULES.md R7.3): what a submission must carry."""
    assert checklist.missing_materials(materials, required=REQUIRED_MATERIALS, hearing=HEARING_MATERIALS,
                                       hearing_held=hearing_held) == missing


def test_unknown_codes_once_in_order():
    assert checklist.unknown_codes(["b", "x", "a", "x", "y"], known={"a", "b"}) == ["x", "y"]


COMPLETE = dict.fromkeys(FINDING_KEYS, "ok")


@pytest.mark.parametrize(
    ("findings", "expected"),
    [
        pytest.param(COMPLETE, [], id="R7.4-seven-points"),
        pytest.param({k: v for k, v in COMPLETE.items() if k != "law"}, [("law", "missing")], id="R7.4-missing"),
        pytest.param({**COMPLETE, "discretion": "  "}, [("discretion", "empty")], id="R7.4-blank"),
        pytest.param({**COMPLETE, "facts": None}, [("facts", "not_text")], id="R7.4-not-text"),
        pytest.param({**COMPLETE, "mood": "fine"}, [("mood", "unknown")], id="R7.4-unknown-point"),
        pytest.param({}, [(k, "missing") for k in FINDING_KEYS], id="R7.4-none"),
    ],
)
def test_findings_problems(findings, expected):
    """RULES.md R7.4: one written finding for each of the seven review points, nothing else."""
    got = checklist.findings_problems(findings, keys=FINDING_KEYS)
    assert [(p.key, p.problem) for p in got] == expected


def test_seven_review_points():
    """R7.4: 执法主体, 管辖权限, 执法程序, 事实认定, 法律适用, 证据使用, 自由裁量权运用."""
    assert FINDING_KEYS == ("subject", "jurisdiction", "procedure", "facts", "law", "evidence", "discretion")


ALLOWED = {
    ("pending", "approved"), ("pending", "problems"), ("pending", "withdrawn"),
    ("problems", "escalated"),
    ("escalated", "settled_approved"), ("escalated", "settled_upheld"), ("escalated", "withdrawn"),
}


@pytest.mark.parametrize("source", states.STATES)
@pytest.mark.parametrize("target", states.STATES)
def test_every_transition_pair(source, target):
    """R7.5: opinion from pending; escalation after problems; the head settles an escalation."""
    assert states.can_move(source, target) is ((source, target) in ALLOWED)


def test_state_table_matches_the_model_choices():
    assert set(states.STATES) == set(SubmissionStatus.values)


@pytest.mark.parametrize(
    ("kind", "parent_path", "unit_path", "serves"),
    [
        pytest.param("legal", "/city/", "/city/pudong/", True, id="city-legal-serves-a-district"),
        pytest.param("legal", "/city/", "/city/pudong/team1/", True, id="city-legal-serves-a-team"),
        pytest.param("legal", "/city/", "/city/city-legal/", True, id="city-legal-serves-itself"),
        pytest.param("legal", "/city/pudong/", "/city/pudong/", True, id="district-legal-serves-its-district"),
        pytest.param("legal", "/city/pudong/", "/city/huangpu/", False, id="district-legal-not-another"),
        pytest.param("legal", "/city/pudong/", "/city/", False, id="district-legal-not-the-city"),
        pytest.param("bureau", "/city/", "/city/pudong/", False, id="not-a-legal-unit"),
        pytest.param("legal", None, "/anything/", True, id="legal-unit-at-the-root"),
    ],
)
def test_serves(kind, parent_path, unit_path, serves):
    """GD-FS 第6条: the agency's legal unit reviews for the units under the agency."""
    assert serving.serves(legal_kind=kind, parent_path=parent_path, unit_path=unit_path) is serves
