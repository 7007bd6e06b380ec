"""Stage machines (案件阶段流转) per case kind — the one table the transition service reads.

API.md "Cases": stages per kind and side exits. `TRANSITIONS[kind][stage]` lists the stages
the generic transition may move to; `legal_review` and `decided` are entered only through
their own services (review submission, decision), listed in `ENDPOINT_ONLY`.
Skips allowed by RULES.md: no hearing when none was requested (notified → decided /
legal_review), no legal review when not major (→ decided), no collective discussion when
not required.
"""

from __future__ import annotations

PENALTY = "penalty"
COERCION = "coercion"
INSPECTION = "inspection"
PERMIT = "permit"

SIDE_EXITS = ("not_punished", "withdrawn", "transferred")
TERMINAL = frozenset({"archived", *SIDE_EXITS})
ENDPOINT_ONLY = frozenset({"legal_review", "decided"})

STAGES: dict[str, tuple[str, ...]] = {
    PENALTY: ("registered", "investigating", "examining", "notified", "hearing", "legal_review",
              "collective_discussion", "decided", "served", "executing", "closed", "archived", *SIDE_EXITS),
    COERCION: ("registered", "investigating", "decided", "executing", "closed", "archived", "withdrawn"),
    INSPECTION: ("registered", "investigating", "closed", "archived"),
    PERMIT: ("registered", "examining", "decided", "closed", "archived", "withdrawn"),
}

TRANSITIONS: dict[str, dict[str, tuple[str, ...]]] = {
    PENALTY: {
        "registered": ("investigating", "withdrawn", "transferred"),
        "investigating": ("examining", "withdrawn", "transferred"),
        "examining": ("notified", "investigating", "not_punished", "transferred", "legal_review"),
        "notified": ("hearing", "examining", "collective_discussion", "legal_review", "decided", "not_punished"),
        "hearing": ("collective_discussion", "legal_review", "decided", "not_punished"),
        "legal_review": ("collective_discussion", "decided", "examining", "not_punished"),
        "collective_discussion": ("decided", "not_punished", "examining"),
        "decided": ("served",),
        "served": ("executing", "closed"),
        "executing": ("closed",),
        "closed": ("archived",),
    },
    COERCION: {
        "registered": ("investigating", "withdrawn"),
        "investigating": ("decided", "withdrawn"),
        "decided": ("executing",),
        "executing": ("closed",),
        "closed": ("archived",),
    },
    INSPECTION: {
        "registered": ("investigating",),
        "investigating": ("closed",),
        "closed": ("archived",),
    },
    PERMIT: {
        "registered": ("examining", "withdrawn"),
        "examining": ("decided", "withdrawn"),
        "decided": ("closed",),
        "closed": ("archived",),
    },
}

# Stages from which a decision may be made (the decision service checks its own guards).
DECIDABLE_FROM: dict[str, frozenset[str]] = {
    PENALTY: frozenset({"notified", "hearing", "legal_review", "collective_discussion"}),
    COERCION: frozenset({"investigating"}),
    PERMIT: frozenset({"examining"}),
    INSPECTION: frozenset(),
}
# The decision kinds a case of each kind ends with (a penalty case is decided by a penalty
# decision: another kind would escape the penalty types the major and hearing rules read).
DECISION_KINDS: dict[str, frozenset[str]] = {
    PENALTY: frozenset({"penalty"}),
    COERCION: frozenset({"coercion", "other"}),
    PERMIT: frozenset({"permit"}),
    INSPECTION: frozenset(),
}
REVIEWABLE_FROM: dict[str, frozenset[str]] = {
    PENALTY: frozenset({"examining", "notified", "hearing"}),
    COERCION: frozenset({"investigating"}),
    PERMIT: frozenset({"examining"}),
    INSPECTION: frozenset(),
}


def allowed_next(kind: str, stage: str) -> tuple[str, ...]:
    """Every stage reachable from `stage` (endpoint-only ones included)."""
    return TRANSITIONS.get(kind, {}).get(stage, ())


def generic_transition_allowed(kind: str, stage: str, target: str) -> bool:
    """May the generic transition move `stage` → `target`? (not into endpoint-only stages)"""
    return target in allowed_next(kind, stage) and target not in ENDPOINT_ONLY
