"""Helpers that shape case data into template context values (pure, no Django)."""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["REVIEW_POINTS", "review_findings_rows"]

# RULES.md R7.4: the seven review points (审核要点), keyed as in the review opinion API
# (API.md ``findings``), in the order they appear on the 法制审核意见书.
REVIEW_POINTS: tuple[tuple[str, str], ...] = (
    ("subject", "执法主体"),
    ("jurisdiction", "管辖权限"),
    ("procedure", "执法程序"),
    ("facts", "事实认定"),
    ("law", "法律适用"),
    ("evidence", "证据使用"),
    ("discretion", "自由裁量权运用"),
)


def review_findings_rows(findings: Mapping[str, str]) -> list[dict[str, str]]:
    """The ``findings`` rows of the ``review_opinion`` template, one per review point.

    ``findings`` is keyed like the API (``subject``, ``jurisdiction``, …); a missing point
    raises ``KeyError`` naming it, since the opinion must address all seven.
    """
    rows = []
    for key, label in REVIEW_POINTS:
        if key not in findings or findings[key] is None:
            raise KeyError(key)
        rows.append({"item": label, "opinion": str(findings[key])})
    return rows
