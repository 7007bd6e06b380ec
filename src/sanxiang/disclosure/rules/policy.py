"""Redaction policy (去标识化规则) as versioned rule data. Pure: imports no Django.

A :class:`RedactionPolicy` says, for one period of validity, and with a citation for every
item (RULES.md §3, §4):

* which **categories** of personal information are removed from free text, and the
  replacement token of each (:class:`CategoryRule`);
* how a natural-person party's name is **masked** — surname + 某 (R3.4 [U]), configurable;
* what happens to each **structured field** of the public record (:class:`FieldRule`):
  published verbatim, withheld, masked, or scanned like free text — depending on the party
  type where the rule says so (organisations are named in full, R3.1 Shanghai default);
* when a decision is **never published** (:class:`NeverPublish`, GD-GS 第15条, R3.3).

Replacement tokens: one token per category, in full-width brackets (``［身份证号已隐去］``)
rather than a uniform ``＊＊＊``. A reader of the public decision sees that *something* was
removed and what kind of thing it was (the usual presentation of published decisions), and
the token carries no trace of the value (not its length, not a masked fragment: a partly
masked number such as ``138****8000`` would still be matched against other disclosures).
The natural-person party is the exception: the name becomes ``张某`` (R3.4).

The engine (:mod:`.redaction`) receives a policy as a frozen value; a publication keeps the
``name``/``version`` it used (report ``policy``), so a later policy never rewrites history.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

__all__ = [
    "ACTIONS",
    "ADDRESS",
    "BANK_ACCOUNT",
    "BIOMETRIC",
    "BIRTH_DATE",
    "CATEGORIES",
    "DEFAULT_POLICY",
    "EMAIL",
    "FINANCIAL_STATUS",
    "HEALTH",
    "ID_NUMBER",
    "INDIVIDUAL_BUSINESS",
    "MASK_NAME",
    "NAME_CATEGORIES",
    "NUMERIC_CATEGORIES",
    "ORGANIZATION",
    "OTHER",
    "OTHER_PERSON_NAME",
    "PARTY_NAME",
    "PARTY_TYPES",
    "PERSON",
    "PHONE",
    "PROPERTY_CERTIFICATE",
    "PUBLISH",
    "SCAN",
    "WHEREABOUTS",
    "WITHHOLD",
    "CategoryRule",
    "FieldRule",
    "NeverPublish",
    "PolicyError",
    "RedactionPolicy",
    "policy_for",
]

# ------------------------------------------------------------------------- vocabulary

#: Categories of personal information, **most sensitive first**: when marks of different
#: categories overlap and merge, the merged mark takes the earliest category of this tuple.
ID_NUMBER = "id_number"  # 身份证号码 / 证件号码
BANK_ACCOUNT = "bank_account"  # 银行账号
PHONE = "phone"  # 电话号码
EMAIL = "email"  # 电子邮箱
BIRTH_DATE = "birth_date"  # 出生日期
HEALTH = "health"  # 健康信息
BIOMETRIC = "biometric"  # 生物识别信息
WHEREABOUTS = "whereabouts"  # 行踪轨迹
ADDRESS = "address"  # 自然人住址
PROPERTY_CERTIFICATE = "property_certificate"  # 不动产权证书号
FINANCIAL_STATUS = "financial_status"  # 财产状况
OTHER_PERSON_NAME = "other_person_name"  # 当事人以外的自然人姓名
PARTY_NAME = "party_name"  # 自然人当事人姓名 (masked, not removed)
OTHER = "other"  # manual redactions without a more specific category

CATEGORIES = (
    ID_NUMBER, BANK_ACCOUNT, PHONE, EMAIL, BIRTH_DATE, HEALTH, BIOMETRIC, WHEREABOUTS, ADDRESS,
    PROPERTY_CERTIFICATE, FINANCIAL_STATUS, OTHER_PERSON_NAME, PARTY_NAME, OTHER,
)
#: Numbers: matched also as partial runs of digits (RedactionPolicy.partial_min_digits).
NUMERIC_CATEGORIES = frozenset({ID_NUMBER, BANK_ACCOUNT, PHONE, PROPERTY_CERTIFICATE})
#: Personal names: a 1-character value is ignored (it would match everywhere).
NAME_CATEGORIES = frozenset({PARTY_NAME, OTHER_PERSON_NAME})

# Party types, as sanxiang.catalog.constants.PartyType (a test keeps them in step).
ORGANIZATION = "organization"  # 法人及非法人组织
PERSON = "person"  # 自然人
INDIVIDUAL_BUSINESS = "individual_business"  # 个体工商户
PARTY_TYPES = (ORGANIZATION, PERSON, INDIVIDUAL_BUSINESS)

# Structured-field actions.
PUBLISH = "publish"  # published verbatim, not scanned (codes, dates, amounts, types)
WITHHOLD = "withhold"  # removed from the public record; its value is searched in free text
MASK_NAME = "mask_name"  # natural-person name → surname + 某
SCAN = "scan"  # treated as free text (the default for every field without a rule)
ACTIONS = (PUBLISH, WITHHOLD, MASK_NAME, SCAN)


class PolicyError(ValueError):
    """A policy is malformed, or no policy is in force on a date."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


# ---------------------------------------------------------------------------- items


@dataclass(frozen=True, slots=True)
class CategoryRule:
    """Whether a category is removed from free text, its replacement token, and why."""

    category: str
    remove: bool
    replacement: str
    citation: str


@dataclass(frozen=True, slots=True)
class FieldRule:
    """What happens to one structured field of the public record.

    ``party_types`` restricts the rule to records whose ``party_type`` is listed (empty:
    any); the first matching rule of the policy wins. ``category`` is the kind of value a
    withheld field holds: its value is then also searched for (and removed) in free text.
    """

    field: str
    action: str
    citation: str
    party_types: tuple[str, ...] = ()
    category: str = ""


@dataclass(frozen=True, slots=True)
class NeverPublish:
    """A reason a decision is not published at all (不予公示情形).

    ``flag`` is the key of the facts mapping that sets it. ``overridable``: publication
    (desensitized) is still allowed when the right-holder consents or non-publication would
    seriously harm the public interest (R3.3, GD-GS 第15条 last paragraph).
    """

    code: str
    flag: str
    title_zh: str
    citation: str
    overridable: bool = False


@dataclass(frozen=True, slots=True)
class RedactionPolicy:
    """One version of the redaction policy. Compare :data:`DEFAULT_POLICY`."""

    name: str
    version: int
    effective_from: date
    citation: str
    categories: tuple[CategoryRule, ...]
    field_rules: tuple[FieldRule, ...]
    never_publish: tuple[NeverPublish, ...]
    person_name_pattern: str = "{surname}某"
    person_name_citation: str = ""
    #: A run of at least this many consecutive digits of a known number is removed.
    partial_min_digits: int = 6
    #: …provided the run, when it is not the whole number, holds at least this many distinct
    #: digits: "000000" inside an amount is no trace of a bank account.
    partial_min_distinct: int = 3
    partial_citation: str = ""
    effective_to: date | None = None
    _by_category: dict[str, CategoryRule] = field(default_factory=dict, init=False,
                                                  repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.name or isinstance(self.version, bool) or not isinstance(self.version, int):
            raise PolicyError("policy_identity", "A policy needs a name and an integer version.")
        if self.effective_to is not None and self.effective_to <= self.effective_from:
            raise PolicyError("policy_period", "effective_to must be after effective_from.")
        seen = [rule.category for rule in self.categories]
        if sorted(seen) != sorted(CATEGORIES):
            raise PolicyError("policy_categories",
                              "A policy must give exactly one rule per category: "
                              + ", ".join(CATEGORIES))
        for rule in self.categories:
            if not rule.replacement:
                raise PolicyError("policy_replacement",
                                  f"Category {rule.category} needs a replacement token.")
        for rule in self.field_rules:
            if rule.action not in ACTIONS:
                raise PolicyError("policy_action", f"Unknown field action {rule.action!r}.")
            if any(t not in PARTY_TYPES for t in rule.party_types):
                raise PolicyError("policy_party_type",
                                  f"Unknown party type in the rule for {rule.field!r}.")
            if rule.category and rule.category not in CATEGORIES:
                raise PolicyError("policy_category", f"Unknown category {rule.category!r}.")
        codes = [item.code for item in self.never_publish]
        if len(codes) != len(set(codes)):
            raise PolicyError("policy_never_publish", "Never-publish codes must be unique.")
        if self.partial_min_digits < 4 or self.partial_min_distinct < 1:
            raise PolicyError("policy_partial",
                              "partial_min_digits must be at least 4 and partial_min_distinct "
                              "at least 1.")
        object.__setattr__(self, "_by_category", {r.category: r for r in self.categories})

    # ------------------------------------------------------------------ look-ups

    def category(self, category: str) -> CategoryRule:
        return self._by_category[category]

    def removes(self, category: str) -> bool:
        return self._by_category[category].remove

    def replacement(self, category: str) -> str:
        return self._by_category[category].replacement

    def field_rule(self, name: str, party_type: str | None) -> FieldRule | None:
        """The first rule for ``name`` that applies to ``party_type``; None: scan it."""
        for rule in self.field_rules:
            if rule.field == name and (not rule.party_types or party_type in rule.party_types):
                return rule
        return None

    def in_force(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on < self.effective_to)

    def as_dict(self) -> dict:
        """The identity of the policy, for the redaction report and the ledger."""
        return {
            "name": self.name, "version": self.version,
            "effective_from": self.effective_from.isoformat(),
            "effective_to": self.effective_to.isoformat() if self.effective_to else None,
        }


def policy_for(on: date, policies: Iterable[RedactionPolicy]) -> RedactionPolicy:
    """The policy in force on ``on`` (the latest ``effective_from`` among those in force)."""
    candidates = [p for p in policies if p.in_force(on)]
    if not candidates:
        raise PolicyError("policy_missing", f"No redaction policy is in force on {on}.")
    return max(candidates, key=lambda p: (p.effective_from, p.version))


# --------------------------------------------------------------------- default data

_GD14 = "《广东省行政执法公示办法》第十四条 [V] (RULES.md R3.1)"
_MEE64 = "《生态环境行政处罚办法》第六十四条 [S; item list U] (RULES.md R3.2)"
_PIPL28 = "《个人信息保护法》第二十八条 [V] (RULES.md R3.5)"
_GD15 = "《广东省行政执法公示办法》第十五条 [V] (RULES.md R3.3)"
_DSGS = "双公示行政处罚/许可信息字段 [S] (RULES.md R4.3/R4.4)"

_CATEGORY_RULES = (
    CategoryRule(ID_NUMBER, True, "［身份证号已隐去］", f"{_GD14}; {_MEE64}"),
    CategoryRule(BANK_ACCOUNT, True, "［银行账号已隐去］",
                 f"{_GD14} (natural persons and organisations); {_MEE64}"),
    CategoryRule(PHONE, True, "［电话已隐去］", f"{_GD14}; {_MEE64} (联系方式)"),
    CategoryRule(EMAIL, True, "［电子邮箱已隐去］", _GD14),
    CategoryRule(BIRTH_DATE, True, "［出生日期已隐去］", _GD14),
    CategoryRule(HEALTH, True, "［健康信息已隐去］", f"{_GD14}; {_MEE64}; {_PIPL28}"),
    CategoryRule(BIOMETRIC, True, "［生物识别信息已隐去］", f"{_GD14}; {_PIPL28}"),
    CategoryRule(WHEREABOUTS, True, "［行踪信息已隐去］", f"{_GD14}; {_PIPL28}"),
    CategoryRule(ADDRESS, True, "［住址已隐去］",
                 f"{_GD14} (natural persons' address); {_MEE64} (home address)"),
    CategoryRule(PROPERTY_CERTIFICATE, True, "［产权证号已隐去］", _GD14),
    CategoryRule(FINANCIAL_STATUS, True, "［财产状况已隐去］", f"{_GD14}; {_MEE64}"),
    CategoryRule(OTHER_PERSON_NAME, True, "［姓名已隐去］",
                 f"{_MEE64} (names of natural persons other than the party)"),
    # The token of PARTY_NAME is only a fallback: the engine masks the name itself (张某).
    CategoryRule(PARTY_NAME, True, "某", "RULES.md R3.4 [U] (surname + 某, common practice)"),
    CategoryRule(OTHER, True, "［已隐去］",
                 "《行政处罚法》第五十条 [V] (secrets and privacy kept confidential, R3.5)"),
)

_CODES = ("uscc", "registration_number", "organization_code", "tax_number",
          "institution_code", "social_organization_code")

_FIELD_RULES = (
    # The party.
    FieldRule("party_name", MASK_NAME, "RULES.md R3.4 [U]: natural person → surname + 某",
              party_types=(PERSON,), category=PARTY_NAME),
    FieldRule("party_name", PUBLISH,
              "RULES.md R3.1: Shanghai default, organisations (and 个体工商户 under their "
              "registered name) are named in full"),
    FieldRule("party_type", PUBLISH, f"{_DSGS} 行政相对人类别"),
    *(FieldRule(code, PUBLISH, f"{_DSGS} 行政相对人代码_1…_6 (organisations' codes are public)")
      for code in _CODES),
    FieldRule("legal_representative", WITHHOLD,
              f"{_MEE64}: for a natural-person party this is a guardian/agent (法定代理人), "
              "a natural person other than the party", party_types=(PERSON,),
              category=OTHER_PERSON_NAME),
    FieldRule("legal_representative", PUBLISH,
              f"{_DSGS} 法定代表人 (registered, public information of the organisation); in "
              "free text the name is still removed when the caller lists it as a known "
              "other_person_name (R3.2)"),
    FieldRule("address", WITHHOLD, f"{_GD14}: natural persons' address",
              party_types=(PERSON,), category=ADDRESS),
    FieldRule("address", PUBLISH, "《行政处罚法》第五十九条 [V] (R4.1): the organisation's "
              "address is part of the decision and public"),
    *(FieldRule(name, WITHHOLD, f"{_GD14}; {_DSGS} (证件号码 not published)", category=ID_NUMBER)
      for name in ("id_number", "certificate_number", "legal_representative_id_number",
                   "legal_representative_certificate_number")),
    FieldRule("certificate_type", PUBLISH, f"{_DSGS} 证件类型"),
    FieldRule("legal_representative_certificate_type", PUBLISH, f"{_DSGS} 法定代表人证件类型"),
    FieldRule("phone", WITHHOLD, _GD14, category=PHONE),
    FieldRule("email", WITHHOLD, _GD14, category=EMAIL),
    FieldRule("bank_account", WITHHOLD, _GD14, category=BANK_ACCOUNT),
    FieldRule("birth_date", WITHHOLD, _GD14, category=BIRTH_DATE),
    # The decision: codes, dates, amounts and the deciding agency are published as they are.
    *(FieldRule(name, PUBLISH, f"{_DSGS}; 《广东省行政执法公示办法》第十三条 [V] (R4.2)")
      for name in ("decision_number", "decision_kind", "penalty_types", "penalty_type",
                   "fine_amount", "confiscation_amount", "decided_on", "valid_until",
                   "display_until", "agency", "agency_uscc", "data_source",
                   "data_source_uscc")),
)

_NEVER_PUBLISH = (
    NeverPublish("minor", "involves_minor", "当事人是未成年人",
                 f"{_GD15} 第一项; {_PIPL28} (minors' data)"),
    NeverPublish("secret", "secret", "案件标记为不予公开（涉密）",
                 f"{_GD15} 第二项; 《行政处罚法》第五十条 [V]"),
    NeverPublish("state_secret", "state_secret", "主要事实涉及国家秘密", f"{_GD15} 第二项"),
    NeverPublish("commercial_secret", "commercial_secret", "主要事实涉及商业秘密",
                 f"{_GD15} 第二项", overridable=True),
    NeverPublish("personal_privacy", "personal_privacy", "主要事实涉及个人隐私",
                 f"{_GD15} 第二项", overridable=True),
    NeverPublish("security_risk", "security_risk",
                 "公开后可能危及国家安全、公共安全、经济安全或社会稳定", f"{_GD15} 第三项"),
    NeverPublish("related_investigation", "related_investigation",
                 "公开后可能影响相关案件调查", f"{_GD15} 第四项"),
    NeverPublish("legal_prohibition", "legal_prohibition", "法律、法规、规章规定不予公开",
                 f"{_GD15} 第五项; 《生态环境行政处罚办法》第六十三条 [S; list U]"),
)

#: The Shanghai default (RULES.md §3): every R3.1/R3.2 category enabled, natural-person
#: parties masked to surname + 某, organisations named in full. Effective from the day MEE30
#: (whose 第六十四条 governs privacy in publication) entered into force. SH-36 may add local
#: rules (R3.6, unverified): a new version, not an edit of this one.
DEFAULT_POLICY = RedactionPolicy(
    name="shanghai-default",
    version=1,
    effective_from=date(2023, 7, 1),
    citation="RULES.md §3 R3.1–R3.6, §4 R4.2–R4.4 (to be signed off by the legal unit)",
    categories=_CATEGORY_RULES,
    field_rules=_FIELD_RULES,
    never_publish=_NEVER_PUBLISH,
    person_name_pattern="{surname}某",
    person_name_citation="RULES.md R3.4 [U]",
    partial_min_digits=6,
    partial_min_distinct=3,
    partial_citation="platform default [U]: a run of 6+ digits of a known number identifies it",
)
