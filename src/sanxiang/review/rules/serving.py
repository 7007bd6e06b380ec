"""Which units a legal unit serves (法制机构的审核范围). Pure, on unit tree paths.

A legal unit (法制机构, unit kind `legal`) reviews for the units under its parent: the
city's 法规处 `city-legal` (parent path "/city/") serves everything under "/city/"; a
district legal unit under "/city/pudong/" serves only Pudong's subtree (GD-FS 第6条: the
agency's legal unit reviews the agency's decisions).
"""

from __future__ import annotations

LEGAL_KIND = "legal"


def served_root(parent_path: str | None) -> str:
    """Path prefix of the units a legal unit serves: its parent's subtree ("/" at the root)."""
    return parent_path or "/"


def serves(*, legal_kind: str, parent_path: str | None, unit_path: str) -> bool:
    """Whether a unit of kind `legal_kind` whose parent is at `parent_path` serves `unit_path`."""
    return legal_kind == LEGAL_KIND and unit_path.startswith(served_root(parent_path))
