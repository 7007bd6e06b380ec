"""Decision rules of the review catalog (法制审核目录清单): which facts make a decision major,
require a hearing or collective discussion. Pure: imports no Django.

Sources (RULES.md): 《行政处罚法》第五十七条 (collective discussion), 第五十八条 (legal review),
第六十三条 (hearing); 国办发〔2018〕118号 and 《广东省重大行政执法决定法制审核办法》第十条
(social impact or risk); 《生态环境行政处罚办法》第四十六条、第八十九条 (hearing scope and
thresholds). The thresholds themselves are rule *data* (``catalog.DecisionRule`` rows, one
version each), handed in here as frozen :class:`RuleVersion` values.

Triggers and their ``params``:

* ``amount`` — ``{"party_types": [...], "threshold": "200000", "inclusive": true,
  "amount": "fine" | "confiscation"}``: matches when one of the case's party types is listed
  and the amount reaches the threshold (``>=`` when inclusive, ``>`` otherwise — 《民法典》
  第一千二百五十九条 reads "以上" as inclusive; RULES.md R6.3 notes the open question);
* ``penalty_type`` — ``{"penalty_type": "closure"}``: the proposed decision has that type;
* ``flag`` — ``{"flag": "complex"}``: the case carries that flag **with a non-empty reason**;
* ``hearing_held`` — ``{}``: a hearing was held (``DecisionFacts.hearing_held``, or the flag
  ``hearing_held`` set with a reason).

Every trigger also takes an optional ``"case_kinds": [...]`` restricting it to those kinds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from types import MappingProxyType

__all__ = [
    "AMOUNT",
    "AMOUNT_KINDS",
    "CASE_KINDS",
    "FLAG",
    "FLAGS",
    "HEARING_HELD",
    "PARTY_TYPES",
    "PENALTY_TYPE",
    "PENALTY_TYPES",
    "PURPOSES",
    "TRIGGERS",
    "DecisionFacts",
    "Match",
    "RuleParamsError",
    "RuleVersion",
    "evaluate",
    "match_rule",
    "validate_params",
]

# Values shared with sanxiang.catalog.constants (a test keeps them in step).
CASE_KINDS = ("penalty", "coercion", "inspection", "permit")
PARTY_TYPES = ("organization", "person", "individual_business")
PENALTY_TYPES = (
    "warning", "fine", "confiscation", "suspend_license", "revoke_license",
    "production_suspension", "closure", "daily_continuous_fine", "detention_transfer",
)
FLAGS = ("complex", "public_interest", "social_risk", "hearing_held")
PURPOSES = ("major", "hearing", "collective")

AMOUNT = "amount"
PENALTY_TYPE = "penalty_type"
FLAG = "flag"
HEARING_HELD = "hearing_held"
TRIGGERS = (AMOUNT, PENALTY_TYPE, FLAG, HEARING_HELD)
AMOUNT_KINDS = ("fine", "confiscation")

# Chinese wording of the reasons (the reason is a sentence shown to staff and stored).
_PARTY_LABELS = {"organization": "单位", "person": "个人", "individual_business": "个体工商户"}
_AMOUNT_LABELS = {"fine": "罚款", "confiscation": "没收违法所得、没收非法财物"}
_PENALTY_LABELS = {
    "warning": "警告",
    "fine": "罚款",
    "confiscation": "没收违法所得、没收非法财物",
    "suspend_license": "暂扣许可证件",
    "revoke_license": "吊销许可证件",
    "production_suspension": "责令限制生产、停产整治",
    "closure": "责令停业、关闭",
    "daily_continuous_fine": "按日连续处罚",
    "detention_transfer": "移送公安机关行政拘留",
}
_FLAG_LABELS = {
    "complex": "案情疑难复杂、涉及多个法律关系",
    "public_interest": "涉及重大公共利益",
    "social_risk": "可能造成重大社会影响或引发社会风险",
    "hearing_held": "经过听证程序",
}
_STANDARD = {"major": "审核标准", "hearing": "听证标准", "collective": "集体讨论标准"}
_CATALOG = {
    "major": "重大执法决定法制审核目录",
    "hearing": "应当告知听证权利的情形",
    "collective": "应当集体讨论决定的情形",
}


class RuleParamsError(ValueError):
    """The params of a rule do not fit its trigger; ``field`` names the offending key."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _decimal(value: object, what: str) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, float | bool):
        raise TypeError(f"{what} must be a Decimal, int or decimal string, not {type(value).__name__}")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int | str):
        try:
            result = Decimal(str(value).strip())
        except InvalidOperation:
            raise ValueError(f"{what} is not a decimal number: {value!r}") from None
    else:
        raise TypeError(f"{what} must be a Decimal, int or decimal string, not {type(value).__name__}")
    if not result.is_finite():
        raise ValueError(f"{what} must be finite: {value!r}")
    return result


@dataclass(frozen=True, slots=True)
class DecisionFacts:
    """What a (proposed) decision is judged on.

    ``flags`` maps a flag (``complex``, ``public_interest``, ``social_risk``,
    ``hearing_held``) to the handler's reason; a flag without a reason does not count.
    Amounts are yuan (``Decimal``, ``int`` or a decimal string; never ``float``).
    ``party_types`` lists the types of the parties the decision is against; amount rules
    only match a listed type, so pass them (an empty tuple matches no amount rule).
    """

    case_kind: str
    party_types: tuple[str, ...] = ()
    fine_amount: Decimal | None = None
    confiscation_amount: Decimal | None = None
    penalty_types: tuple[str, ...] = ()
    flags: Mapping[str, str] = field(default_factory=dict, hash=False)
    hearing_held: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "party_types", tuple(self.party_types))
        object.__setattr__(self, "penalty_types", tuple(self.penalty_types))
        object.__setattr__(self, "fine_amount", _decimal(self.fine_amount, "fine_amount"))
        object.__setattr__(
            self, "confiscation_amount", _decimal(self.confiscation_amount, "confiscation_amount")
        )
        object.__setattr__(self, "flags", MappingProxyType(dict(self.flags or {})))
        object.__setattr__(self, "hearing_held", bool(self.hearing_held))

    def amount(self, kind: str) -> Decimal | None:
        return self.fine_amount if kind == "fine" else self.confiscation_amount

    def flag_reason(self, flag: str) -> str:
        """The reason given for ``flag``, stripped; "" when unset or blank."""
        reason = self.flags.get(flag)
        return reason.strip() if isinstance(reason, str) else ""


@dataclass(frozen=True, slots=True)
class RuleVersion:
    """One published version of a decision rule (a ``catalog.DecisionRule`` row)."""

    code: str
    version: int
    purpose: str
    trigger: str
    params: Mapping[str, object] = field(default_factory=dict, hash=False)
    citation: str = ""
    description: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", MappingProxyType(dict(self.params or {})))


@dataclass(frozen=True, slots=True)
class Match:
    """A rule that matched, with the reason (a Chinese sentence naming the rule and value)."""

    code: str
    version: int
    purpose: str
    reason: str
    citation: str

    def as_dict(self) -> dict:
        """JSON data, e.g. to keep with the decision the rule versions it was judged under."""
        return {
            "code": self.code, "version": self.version, "purpose": self.purpose,
            "reason": self.reason, "citation": self.citation,
        }


def _plain(amount: Decimal) -> str:
    """200000 → "200000", 1234.5 → "1234.5" (no exponent, no trailing zeros)."""
    if amount == amount.to_integral_value():
        return str(int(amount))
    return format(amount.normalize(), "f")


def _str_list(params: Mapping, key: str, allowed: tuple[str, ...], *, required: bool) -> list[str]:
    value = params.get(key)
    if value is None and not required:
        return []
    if not isinstance(value, list | tuple) or not value or not all(isinstance(v, str) for v in value):
        raise RuleParamsError(key, f"{key} must be a non-empty list of strings")
    unknown = [v for v in value if v not in allowed]
    if unknown:
        raise RuleParamsError(key, f"{key}: unknown value(s) {', '.join(unknown)}")
    return list(dict.fromkeys(value))


def validate_params(trigger: str, params: Mapping[str, object]) -> dict:
    """Check ``params`` against ``trigger`` and return them normalised (threshold as a
    decimal string). Raises :class:`RuleParamsError` naming the offending key."""
    if trigger not in TRIGGERS:
        raise RuleParamsError("trigger", f"unknown trigger {trigger!r}")
    if not isinstance(params, Mapping):
        raise RuleParamsError("params", "params must be an object")
    allowed_keys = {
        AMOUNT: {"party_types", "threshold", "inclusive", "amount"},
        PENALTY_TYPE: {"penalty_type"},
        FLAG: {"flag"},
        HEARING_HELD: set(),
    }[trigger] | {"case_kinds"}
    extra = sorted(set(params) - allowed_keys)
    if extra:
        raise RuleParamsError(extra[0], f"unknown parameter {extra[0]!r} for trigger {trigger}")
    result: dict[str, object] = {}
    if "case_kinds" in params:
        result["case_kinds"] = _str_list(params, "case_kinds", CASE_KINDS, required=True)
    if trigger == AMOUNT:
        result["party_types"] = _str_list(params, "party_types", PARTY_TYPES, required=True)
        raw = params.get("threshold")
        if isinstance(raw, bool) or not isinstance(raw, str | int):
            raise RuleParamsError("threshold", "threshold must be a decimal string in yuan")
        try:
            threshold = _decimal(raw, "threshold")
        except (TypeError, ValueError) as exc:
            raise RuleParamsError("threshold", str(exc)) from None
        if threshold is None or threshold < 0:
            raise RuleParamsError("threshold", "threshold must be zero or more")
        result["threshold"] = _plain(threshold)
        inclusive = params.get("inclusive", True)
        if not isinstance(inclusive, bool):
            raise RuleParamsError("inclusive", "inclusive must be true or false")
        result["inclusive"] = inclusive
        kind = params.get("amount", "fine")
        if kind not in AMOUNT_KINDS:
            raise RuleParamsError("amount", f"amount must be one of {', '.join(AMOUNT_KINDS)}")
        result["amount"] = kind
    elif trigger == PENALTY_TYPE:
        value = params.get("penalty_type")
        if value not in PENALTY_TYPES:
            raise RuleParamsError("penalty_type", f"unknown penalty type {value!r}")
        result["penalty_type"] = value
    elif trigger == FLAG:
        value = params.get("flag")
        if value not in FLAGS:
            raise RuleParamsError("flag", f"unknown flag {value!r}")
        result["flag"] = value
    return result


def match_rule(rule: RuleVersion, facts: DecisionFacts) -> str | None:
    """The reason ``rule`` matches ``facts``, or ``None``."""
    params = rule.params
    case_kinds = params.get("case_kinds")
    if case_kinds and facts.case_kind not in case_kinds:
        return None
    standard = _STANDARD.get(rule.purpose, "标准")
    catalog = _CATALOG.get(rule.purpose, "目录")
    if rule.trigger == AMOUNT:
        kind = str(params.get("amount", "fine"))
        amount = facts.amount(kind)
        listed = [p for p in params.get("party_types", ()) if isinstance(p, str)]
        if amount is None or not set(listed).intersection(facts.party_types):
            return None
        threshold = Decimal(str(params["threshold"]))
        inclusive = params.get("inclusive", True) is not False
        if not (amount >= threshold if inclusive else amount > threshold):
            return None
        parties = "、".join(_PARTY_LABELS.get(p, p) for p in listed)
        verb = "达到" if inclusive else "超过"
        return (
            f"{_AMOUNT_LABELS.get(kind, kind)}金额 {amount:.2f} 元{verb}"
            f"{parties} {_plain(threshold)} 元的{standard}"
        )
    if rule.trigger == PENALTY_TYPE:
        penalty = params.get("penalty_type")
        if penalty not in facts.penalty_types:
            return None
        return f"拟作出“{_PENALTY_LABELS.get(penalty, penalty)}”，属于{catalog}"
    if rule.trigger == FLAG:
        flag = str(params.get("flag"))
        reason = facts.flag_reason(flag)
        if not reason:
            return None
        return f"案件标记为“{_FLAG_LABELS.get(flag, flag)}”（理由：{reason}），属于{catalog}"
    if rule.trigger == HEARING_HELD:
        reason = facts.flag_reason("hearing_held")
        if not (facts.hearing_held or reason):
            return None
        suffix = f"（{reason}）" if reason else ""
        return f"案件经过听证程序{suffix}，属于{catalog}"
    return None


def evaluate(facts: DecisionFacts, rules: Iterable[RuleVersion]) -> tuple[Match, ...]:
    """Every rule of ``rules`` that matches ``facts``, in the order given."""
    matches = []
    for rule in rules:
        reason = match_rule(rule, facts)
        if reason is not None:
            matches.append(Match(rule.code, rule.version, rule.purpose, reason, rule.citation))
    return tuple(matches)
