"""Joint punishment feed (联合惩戒): which published decisions meet serious dishonesty. Pure.

RULES.md R2.9.3 (NDRC2025 《信用修复管理办法》, in force 2026-04-01 [S]) names three credit
classes and gives only **press examples** [S/U] of the serious class (严重失信): huge fines,
licence revocation, occupational bans. Repair of a record "stops sharing/use and lifts joint
punishment" — so a decision leaves the feed when it is withdrawn or its display ends, and the
feed says so (a lifting row, no personal data).

The criteria below are **configurable rule data** (:class:`Criterion`, one per matched
ground, each with its citation and a status tag V / S / U — see RULES.md "Status tags").
Thresholds are platform defaults for the legal unit (法制机构) to sign off, kept equal to the
serious thresholds of :data:`.periods.DEFAULT_MAPPING` so that a decision in the feed is also
shown for a serious period. Which eco-environment penalties map to which class is RULES.md
open question 4.

:func:`assess` returns the criteria a decision meets (empty: not in the feed); :func:`row`
builds the feed row from the 双公示 penalty row plus the basis: the criteria matched, the
decision's legal basis, the display class and the end of the display period.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

__all__ = ["CRITERIA", "FEED_HEADER", "KIND", "Criterion", "JointPunishmentError", "Match", "assess", "row"]

KIND = "joint-punishment"
_PRESS = "RULES.md R2.9.3 (NDRC2025 《信用修复管理办法》) press examples of 严重失信"
_HUGE = Decimal("1000000")  # 巨额: placeholder [U], same as periods._HUGE


class JointPunishmentError(ValueError):
    """Malformed rule data."""


@dataclass(frozen=True, slots=True)
class Criterion:
    """One ground of serious dishonesty.

    Matches when the decision names one of ``penalty_types`` (any, when empty) and, with
    ``amount_field`` set, that amount (yuan) is at least ``amount_from``.
    """

    code: str
    title_zh: str
    citation: str
    status: str  # V | S | U
    penalty_types: tuple[str, ...] = ()
    amount_field: str = ""
    amount_from: Decimal | None = None
    effective_from: date = date(2026, 4, 1)
    effective_to: date | None = None

    def __post_init__(self) -> None:
        if self.status not in ("V", "S", "U"):
            raise JointPunishmentError(f"{self.code}: status must be V, S or U")
        if self.amount_field not in ("", "fine_amount", "confiscation_amount"):
            raise JointPunishmentError(f"{self.code}: unknown amount field {self.amount_field!r}")
        if bool(self.amount_field) != (self.amount_from is not None):
            raise JointPunishmentError(f"{self.code}: amount_field and amount_from go together")
        if not self.penalty_types and not self.amount_field:
            raise JointPunishmentError(f"{self.code}: a criterion needs penalty types or an amount")

    def in_force(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on < self.effective_to)

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "title": self.title_zh, "citation": self.citation, "status": self.status}


#: Default criteria (versioned data; the legal unit signs off thresholds and the [U] items).
CRITERIA: tuple[Criterion, ...] = (
    Criterion("huge_fine", "巨额罚款", f"{_PRESS} [S]: 巨额罚款 → 严重; 金额 ≥ 1,000,000 元为平台默认值 [U]",
              "S", penalty_types=("fine", "daily_continuous_fine"), amount_field="fine_amount",
              amount_from=_HUGE),
    Criterion("huge_confiscation", "巨额没收", f"{_PRESS}: 没收违法所得、非法财物数额巨大 → 严重 [U]; "
              "金额 ≥ 1,000,000 元 [U]", "U", penalty_types=("confiscation",),
              amount_field="confiscation_amount", amount_from=_HUGE),
    Criterion("licence_revocation", "吊销许可证件", f"{_PRESS} [S]: 吊销许可证件 → 严重; 《行政处罚法》第九条第(三)项 [V]",
              "S", penalty_types=("revoke_license",)),
    Criterion("occupational_ban", "限制从业", f"{_PRESS} [S]: 从业禁止 → 严重; 《行政处罚法》第九条第(四)项 限制从业 [V]",
              "S", penalty_types=("occupation_ban", "restrict_occupation")),
    Criterion("closure", "责令关闭", "责令停业、关闭 → 严重 [U] (comparable to licence revocation; "
              "《行政处罚法》第九条第(四)项 [V] names the penalty, not its class)", "U", penalty_types=("closure",)),
)


@dataclass(frozen=True, slots=True)
class Match:
    criterion: Criterion
    detail: str

    def as_dict(self) -> dict[str, str]:
        return {**self.criterion.as_dict(), "detail": self.detail}


def _amount(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return None


def assess(source: Mapping[str, Any], *, decision_kind: str, decided_on: date,
           criteria: Sequence[Criterion] = CRITERIA) -> tuple[Match, ...]:
    """The criteria a decision meets (none: not serious dishonesty). Penalties only.

    ``source``: the decision data (``penalty_types``, ``fine_amount``,
    ``confiscation_amount``); a criterion counts when in force on ``decided_on`` (R2.9:
    the regime of the instrument's date).
    """
    if decision_kind != "penalty":
        return ()
    types = set(source.get("penalty_types") or ())
    found = []
    for c in criteria:
        if not c.in_force(decided_on):
            continue
        hit = sorted(types.intersection(c.penalty_types)) if c.penalty_types else []
        if c.penalty_types and not hit:
            continue
        detail = "、".join(hit)
        if c.amount_field:
            amount = _amount(source.get(c.amount_field))
            if amount is None or amount < c.amount_from:
                continue
            detail = f"{detail} {c.amount_field}={amount} ≥ {c.amount_from}".strip()
        found.append(Match(c, detail))
    return tuple(found)


#: Feed columns: the identifying 双公示 penalty columns, then the basis.
FEED_HEADER = (
    "行政相对人名称", "行政相对人类别", "行政相对人代码_1(统一社会信用代码)", "法定代表人", "证件类型", "证件号码",
    "行政处罚决定书文号", "处罚类别", "罚款金额(万元)", "没收违法所得、没收非法财物的金额(万元)", "处罚依据",
    "处罚决定日期", "处罚机关", "处罚机关统一社会信用代码", "失信等级", "公示截止期", "认定依据", "惩戒状态", "备注",
)
_CLASS_ZH = {"minor": "轻微失信", "general": "一般失信", "serious": "严重失信"}


def row(dsgs_row: Mapping[str, str], matches: Sequence[Match], *, display_class: str, live: bool,
        legal_basis: str) -> dict[str, str]:
    """The feed row: from the 双公示 penalty row (already free of personal data when the item
    is gone) plus the basis. ``legal_basis`` is the decision's (public record); a gone row
    keeps its basis codes but not the content."""
    out = {h: dsgs_row.get(h, "") for h in FEED_HEADER}
    out.update({
        "处罚依据": legal_basis if live else "",
        "失信等级": _CLASS_ZH.get(display_class, ""),
        "认定依据": "；".join(f"{m.criterion.code} {m.criterion.title_zh} [{m.criterion.status}]"
                          f"（{m.detail}）：{m.criterion.citation}" for m in matches),
        "惩戒状态": "实施中" if live else "已解除",
    })
    if not live:
        out["处罚类别"] = out["罚款金额(万元)"] = out["没收违法所得、没收非法财物的金额(万元)"] = ""
    return out
