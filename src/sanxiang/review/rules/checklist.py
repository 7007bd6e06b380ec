"""What a submission must carry and what an opinion must say (送审材料、审核要点). Pure.

* Materials — GD-FS 第14条 (RULES.md R7.3): the proposed decision with facts, evidence,
  legal basis and discretion rule, the investigation records; the hearing report where a
  hearing was held.
* Findings — RULES.md R7.4: one written finding per review point (执法主体, 管辖权限,
  执法程序, 事实认定, 法律适用, 证据使用, 自由裁量权运用).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass


def missing_materials(
    materials: Iterable[str], *, required: Sequence[str], hearing: Sequence[str] = (),
    hearing_held: bool = False,
) -> list[str]:
    """The required material codes absent from `materials`, in the order of `required`."""
    given = set(materials)
    needed = list(required) + (list(hearing) if hearing_held else [])
    return [code for code in dict.fromkeys(needed) if code not in given]


def unknown_codes(codes: Iterable[str], *, known: Iterable[str]) -> list[str]:
    """Codes that are not in `known`, in the order given, each once."""
    known = set(known)
    return [c for c in dict.fromkeys(codes) if c not in known]


@dataclass(frozen=True, slots=True)
class FindingProblem:
    """One defect of a findings mapping: `key` and what is wrong (missing, empty, unknown)."""

    key: str
    problem: str  # "missing" | "empty" | "unknown" | "not_text"


def findings_problems(findings: Mapping[str, object], *, keys: Sequence[str]) -> list[FindingProblem]:
    """Defects of `findings`: every key of `keys` must be present with non-blank text,
    and no other key may appear. Ordered: the review points first, then unknown keys."""
    problems: list[FindingProblem] = []
    for key in keys:
        if key not in findings:
            problems.append(FindingProblem(key, "missing"))
        elif not isinstance(findings[key], str):
            problems.append(FindingProblem(key, "not_text"))
        elif not findings[key].strip():
            problems.append(FindingProblem(key, "empty"))
    problems.extend(FindingProblem(str(k), "unknown") for k in findings if k not in keys)
    return problems
