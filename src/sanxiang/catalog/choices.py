"""Enumerations private to the catalog (目录与规则). Shared vocabulary (case kinds, party and
penalty types, flags, purposes, fields) lives in ``catalog.constants``.

Values equal the plain strings of the pure ``catalog.rules`` modules (a test keeps them in
step).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RuleStatus(models.TextChoices):
    """Life cycle of a rule version. A published version is frozen (database triggers); a new
    version retires it."""

    DRAFT = "draft", _("Draft")  # 草稿
    PUBLISHED = "published", _("Published")  # 已发布
    RETIRED = "retired", _("Retired")  # 已停用


IN_FORCE_STATUSES = (RuleStatus.PUBLISHED, RuleStatus.RETIRED)
"""Statuses whose date window counts: a retired version still governs the dates it covered."""


class Trigger(models.TextChoices):
    """What a decision rule looks at."""

    AMOUNT = "amount", _("Amount threshold")  # 金额标准
    PENALTY_TYPE = "penalty_type", _("Penalty type")  # 处罚种类
    FLAG = "flag", _("Flag with a reason")  # 标记（须说明理由）
    HEARING_HELD = "hearing_held", _("Hearing held")  # 经过听证


class AmountKind(models.TextChoices):
    FINE = "fine", _("Fine")  # 罚款
    CONFISCATION = "confiscation", _("Confiscation")  # 没收违法所得、没收非法财物


class DayUnit(models.TextChoices):
    WORKING = "working", _("Working days")  # 工作日
    CALENDAR = "calendar", _("Calendar days")  # 自然日


STANDARD_TEMPLATE_CODES: dict[str, str] = {
    "filing_approval": "立案审批表",
    "inspection_record": "现场检查（勘察）笔录",
    "interview_record": "调查询问笔录",
    "penalty_notice": "行政处罚事先告知书",
    "hearing_notice": "听证告知书",
    "review_opinion": "法制审核意见书",
    "penalty_decision": "行政处罚决定书",
    "service_receipt": "送达回证",
}
"""The document templates every unit needs (codes are free; these are the standard ones)."""

PREFIX_SUFFIXES: dict[str, str] = {
    "penalty": "罚",
    "coercion": "强",
    "inspection": "检",
    "permit": "许",
}
"""Document-number kind suffix by case kind (RULES.md R9.3: agency abbreviation + kind)."""

DEFAULT_AGENCY_ABBREVIATION = "沪环"
"""Fallback abbreviation (上海市生态环境局) when a unit has no prefix of its own [U]."""
