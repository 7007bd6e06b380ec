"""Display periods of published penalty decisions (信用公示期), RULES.md R2.9. Pure: no Django.

Two parts, both versioned rule data with a citation and a status tag per item:

* **Regimes** (:class:`Regime`): the minimum and maximum display period of each class.
  Until 2026-03-31 NDRC58 (《失信行为纠正后的信用信息修复管理办法（试行）》, R2.9.1 [S]):
  penalty information min 3 months, max 3 years, whatever its class. From 2026-04-01
  NDRC2025 (《信用修复管理办法》, R2.9.3 [S]): minor 0–3 months (not published in principle),
  general 3 months–1 year, serious 1–3 years. The regime is the one in force on the
  **decision date** (R2.9 engine: "period counted from the date of the instrument"; which
  regime governs a record straddling 2026-04-01 is RULES.md open question 4 — this is the
  documented default).
* **Classification** (:class:`ClassMapping`): which class (minor / general / serious) a
  decision falls in, from its penalty types, amounts and the party type. R2.9.3 gives only
  press examples [S/U]; every threshold here is a configurable default for the legal unit to
  sign off. When a decision has several penalty types the most severe class wins — "the
  longest period applies" (R2.9.1).

Engine (R2.9): ``start = decided_on``; ``min_until = start + min``; ``expires_on = start +
max`` — the first day the decision is no longer displayed (auto-stop at the maximum). An
early end is allowed only from ``min_until`` on, on request (repair, 信用修复).

Months are calendar months; a day that does not exist in the target month falls on that
month's last day (2026-01-31 + 1 month = 2026-02-28).

Decisions other than penalties (permit, coercion, other) are not credit records: they have
no display period here (:func:`display_period` returns None) and stay public until withdrawn.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

__all__ = [
    "CLASSES",
    "DEFAULT_MAPPING",
    "GENERAL",
    "MINOR",
    "NDRC2025",
    "NDRC58",
    "REGIMES",
    "SERIOUS",
    "ClassMapping",
    "ClassPeriod",
    "DisplayPeriod",
    "PeriodError",
    "Regime",
    "TypeRule",
    "add_months",
    "classify",
    "display_period",
    "regime_for",
]

MINOR = "minor"  # 轻微失信信息
GENERAL = "general"  # 一般失信信息
SERIOUS = "serious"  # 严重失信信息
CLASSES = (MINOR, GENERAL, SERIOUS)  # least severe first

PENALTY = "penalty"
PERSON = "person"


class PeriodError(ValueError):
    """Malformed rule data, or no regime in force on a date."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months, clamped to the last day of the target month."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# ------------------------------------------------------------------------------- regimes


@dataclass(frozen=True, slots=True)
class ClassPeriod:
    """Minimum and maximum display period of one class, in months."""

    display_class: str
    min_months: int
    max_months: int
    citation: str
    published_in_principle: bool = True

    def __post_init__(self) -> None:
        if self.display_class not in CLASSES:
            raise PeriodError("period_class", f"Unknown class {self.display_class!r}.")
        if not 0 <= self.min_months <= self.max_months or self.max_months == 0:
            raise PeriodError("period_months", "Need 0 <= min_months <= max_months, max > 0.")


@dataclass(frozen=True, slots=True)
class Regime:
    """A display-period regime in force from ``effective_from`` (inclusive) to ``effective_to``
    (exclusive, None: open)."""

    code: str
    title_zh: str
    effective_from: date
    citation: str
    periods: tuple[ClassPeriod, ...]
    effective_to: date | None = None
    version: int = 1
    _by_class: dict[str, ClassPeriod] = field(default_factory=dict, init=False, repr=False,
                                              compare=False)

    def __post_init__(self) -> None:
        if sorted(p.display_class for p in self.periods) != sorted(CLASSES):
            raise PeriodError("regime_classes", f"{self.code}: one period per class is required.")
        if self.effective_to is not None and self.effective_to <= self.effective_from:
            raise PeriodError("regime_dates", f"{self.code}: effective_to must follow effective_from.")
        object.__setattr__(self, "_by_class", {p.display_class: p for p in self.periods})

    def period(self, display_class: str) -> ClassPeriod:
        return self._by_class[display_class]

    def in_force(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on < self.effective_to)


_NDRC58 = "国家发展改革委令第58号《失信行为纠正后的信用信息修复管理办法（试行）》[S] (RULES.md R2.9.1)"
_NDRC2025 = "《信用修复管理办法》(2025-11-20 公布，2026-04-01 施行) [S] (RULES.md R2.9.3)"

#: Until 2026-03-31: every penalty record min 3 months, max 3 years (R2.9.1). The earlier
#: 发改办财金〔2019〕527号 periods (R2.9.2) are superseded and not modelled: a record decided
#: before NDRC58 (2023-05-01) is shown under NDRC58, the regime in force when this platform
#: publishes it.
NDRC58 = Regime(
    code="NDRC58", title_zh="失信行为纠正后的信用信息修复管理办法（试行）",
    effective_from=date(1949, 10, 1), effective_to=date(2026, 4, 1), citation=_NDRC58,
    periods=tuple(ClassPeriod(c, 3, 36, f"{_NDRC58}: 行政处罚信息最短3个月、最长3年")
                  for c in CLASSES),
)
#: From 2026-04-01 (R2.9.3): three classes.
NDRC2025 = Regime(
    code="NDRC2025", title_zh="信用修复管理办法", effective_from=date(2026, 4, 1),
    citation=_NDRC2025,
    periods=(
        ClassPeriod(MINOR, 0, 3, f"{_NDRC2025}: 轻微失信信息原则上不公示，确需公示的最长3个月",
                    published_in_principle=False),
        ClassPeriod(GENERAL, 3, 12, f"{_NDRC2025}: 一般失信信息最短3个月、最长1年"),
        ClassPeriod(SERIOUS, 12, 36, f"{_NDRC2025}: 严重失信信息最短1年、最长3年"),
    ),
)
REGIMES: tuple[Regime, ...] = (NDRC58, NDRC2025)


def regime_for(on: date, regimes: Iterable[Regime] = REGIMES) -> Regime:
    """The regime in force on ``on`` (the latest ``effective_from`` among those in force)."""
    candidates = [r for r in regimes if r.in_force(on)]
    if not candidates:
        raise PeriodError("regime_missing", f"No display-period regime is in force on {on}.")
    return max(candidates, key=lambda r: (r.effective_from, r.version))


# ------------------------------------------------------------------------ classification


@dataclass(frozen=True, slots=True)
class TypeRule:
    """The class one penalty type puts a decision in.

    ``amount_field`` (``fine_amount`` / ``confiscation_amount``): the amount that may move
    the class — up to ``minor_up_to[party_type]`` (inclusive) it is minor, from
    ``serious_from`` (inclusive) it is serious, otherwise ``display_class``.
    ``status``: V (verified), S (secondary sources), U (unverified placeholder).
    """

    penalty_type: str
    display_class: str
    citation: str
    status: str = "U"
    amount_field: str = ""
    minor_up_to: tuple[tuple[str, Decimal], ...] = ()
    serious_from: Decimal | None = None

    def __post_init__(self) -> None:
        if self.display_class not in CLASSES:
            raise PeriodError("mapping_class", f"Unknown class {self.display_class!r}.")
        if self.status not in ("V", "S", "U"):
            raise PeriodError("mapping_status", "status must be V, S or U.")
        if self.amount_field not in ("", "fine_amount", "confiscation_amount"):
            raise PeriodError("mapping_amount", f"Unknown amount field {self.amount_field!r}.")


@dataclass(frozen=True, slots=True)
class ClassMapping:
    """Penalty types and amounts → class (RULES.md R2.9.3 examples; configurable)."""

    name: str
    version: int
    effective_from: date
    citation: str
    rules: tuple[TypeRule, ...]
    #: The class of a penalty type no rule names: never "minor" by omission.
    unknown_class: str = GENERAL

    def rule(self, penalty_type: str) -> TypeRule | None:
        for rule in self.rules:
            if rule.penalty_type == penalty_type:
                return rule
        return None


_APL51 = "《行政处罚法》第五十一条 [V]: 简易程序 — 对公民二百元以下、对法人或者其他组织三千元以下罚款或者警告"
_PRESS = "RULES.md R2.9.3 press examples [S/U]"
_SIMPLE = (("person", Decimal("200")), ("organization", Decimal("3000")),
           ("individual_business", Decimal("3000")))
_HUGE = Decimal("1000000")  # 巨额罚款: placeholder [U], for the legal unit to set

DEFAULT_MAPPING = ClassMapping(
    name="shanghai-credit-class", version=1, effective_from=date(2026, 4, 1),
    citation="RULES.md R2.9.3 [S]; thresholds are platform defaults [U] for the legal unit",
    rules=(
        TypeRule("warning", MINOR, f"{_PRESS}: 警告 → 轻微; {_APL51}", status="S"),
        TypeRule("fine", GENERAL, f"{_PRESS}: 简易程序罚款 → 轻微 ({_APL51}); 较大数额罚款 → 一般; "
                 "巨额罚款 → 严重 (1,000,000 元起 [U])", status="S", amount_field="fine_amount",
                 minor_up_to=_SIMPLE, serious_from=_HUGE),
        TypeRule("daily_continuous_fine", GENERAL, "按日连续处罚 → 一般 [U]; 巨额 → 严重 [U]",
                 amount_field="fine_amount", serious_from=_HUGE),
        TypeRule("confiscation", GENERAL, f"{_PRESS}: 没收 → 一般; 巨额 → 严重 [U]", status="S",
                 amount_field="confiscation_amount", serious_from=_HUGE),
        TypeRule("suspend_license", GENERAL, "暂扣许可证件 → 一般 [U]"),
        TypeRule("production_suspension", GENERAL, "责令限制生产、停产整治 → 一般 [U]"),
        TypeRule("revoke_license", SERIOUS, f"{_PRESS}: 吊销许可证件 → 严重", status="S"),
        TypeRule("closure", SERIOUS, "责令停业、关闭 → 严重 [U] (comparable to licence revocation)"),
        TypeRule("detention_transfer", SERIOUS, "移送行政拘留 → 严重 [U]"),
    ),
)


def _amount(value: Decimal | str | None) -> Decimal | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def classify(*, penalty_types: Sequence[str], fine_amount: Decimal | str | None = None,
             confiscation_amount: Decimal | str | None = None, party_type: str = "",
             mapping: ClassMapping = DEFAULT_MAPPING) -> tuple[str, tuple[str, ...]]:
    """The class of a penalty decision and the reasons (one per penalty type).

    The most severe class of its penalty types wins (R2.9.1: the longest period applies).
    A decision naming no penalty type is ``general`` (never minor by omission).
    """
    amounts = {"fine_amount": _amount(fine_amount), "confiscation_amount": _amount(confiscation_amount)}
    found: list[tuple[str, str]] = []
    for penalty_type in penalty_types:
        rule = mapping.rule(penalty_type)
        if rule is None:
            found.append((mapping.unknown_class, f"{penalty_type}: no rule, {mapping.unknown_class}"))
            continue
        cls, why = rule.display_class, rule.citation
        amount = amounts.get(rule.amount_field) if rule.amount_field else None
        if amount is not None:
            limit = dict(rule.minor_up_to).get(party_type)
            if rule.serious_from is not None and amount >= rule.serious_from:
                cls, why = SERIOUS, f"{rule.amount_field} {amount} >= {rule.serious_from}: {rule.citation}"
            elif limit is not None and amount <= limit:
                cls, why = MINOR, f"{rule.amount_field} {amount} <= {limit} ({party_type}): {rule.citation}"
        found.append((cls, f"{penalty_type} → {cls} [{rule.status}]: {why}"))
    if not found:
        return mapping.unknown_class, ("no penalty type: general",)
    worst = max((cls for cls, _ in found), key=CLASSES.index)
    return worst, tuple(why for _, why in found)


# -------------------------------------------------------------------------------- engine


@dataclass(frozen=True, slots=True)
class DisplayPeriod:
    """The display period of one decision."""

    regime: str
    regime_version: int
    display_class: str
    start: date
    min_until: date
    expires_on: date
    published_in_principle: bool
    citation: str
    reasons: tuple[str, ...]
    mapping: str

    def as_dict(self) -> dict:
        return {
            "regime": self.regime, "regime_version": self.regime_version,
            "display_class": self.display_class, "start": self.start.isoformat(),
            "min_until": self.min_until.isoformat(), "expires_on": self.expires_on.isoformat(),
            "published_in_principle": self.published_in_principle, "citation": self.citation,
            "reasons": list(self.reasons), "mapping": self.mapping,
        }


def display_period(*, decision_kind: str, decided_on: date, penalty_types: Sequence[str] = (),
                   fine_amount: Decimal | str | None = None,
                   confiscation_amount: Decimal | str | None = None, party_type: str = "",
                   regimes: Iterable[Regime] = REGIMES,
                   mapping: ClassMapping = DEFAULT_MAPPING) -> DisplayPeriod | None:
    """The display period of a decision decided on ``decided_on``; None for non-penalties."""
    if decision_kind != PENALTY:
        return None
    regime = regime_for(decided_on, regimes)
    cls, reasons = classify(penalty_types=penalty_types, fine_amount=fine_amount,
                            confiscation_amount=confiscation_amount, party_type=party_type,
                            mapping=mapping)
    period = regime.period(cls)
    return DisplayPeriod(
        regime=regime.code, regime_version=regime.version, display_class=cls, start=decided_on,
        min_until=add_months(decided_on, period.min_months),
        expires_on=add_months(decided_on, period.max_months),
        published_in_principle=period.published_in_principle, citation=period.citation,
        reasons=reasons, mapping=f"{mapping.name}/{mapping.version}",
    )
