"""The submission state machine (送审状态) as a table. Pure.

pending → approved | problems (the opinion, R7.5) | withdrawn;
problems → escalated (disagreement raised by the handling unit, R7.5);
escalated → settled_approved | settled_upheld (the agency head, on the record) | withdrawn.
Every other state is final for its round; a new round is a new submission (GD-FS 第20条).
"""

from __future__ import annotations

PENDING = "pending"
APPROVED = "approved"
PROBLEMS = "problems"
ESCALATED = "escalated"
SETTLED_APPROVED = "settled_approved"
SETTLED_UPHELD = "settled_upheld"
WITHDRAWN = "withdrawn"

STATES: tuple[str, ...] = (
    PENDING, APPROVED, PROBLEMS, ESCALATED, SETTLED_APPROVED, SETTLED_UPHELD, WITHDRAWN,
)

TRANSITIONS: dict[str, frozenset[str]] = {
    PENDING: frozenset({APPROVED, PROBLEMS, WITHDRAWN}),
    APPROVED: frozenset(),
    PROBLEMS: frozenset({ESCALATED}),
    ESCALATED: frozenset({SETTLED_APPROVED, SETTLED_UPHELD, WITHDRAWN}),
    SETTLED_APPROVED: frozenset(),
    SETTLED_UPHELD: frozenset(),
    WITHDRAWN: frozenset(),
}


def can_move(source: str, target: str) -> bool:
    """Whether a submission in `source` may move to `target`."""
    return target in TRANSITIONS.get(source, frozenset())
