"""Vocabulary of legal review (法制审核用语): statuses, results, materials, review points.

Enum values are lower_snake_case English (API.md); labels are English msgids, translated
to Chinese in the zh_Hans catalogue (the Chinese term is in the comment beside each).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SubmissionStatus(models.TextChoices):
    """Where a review submission (送审) stands; only the review services set it."""

    PENDING = "pending", _("Pending review")  # 待审核
    APPROVED = "approved", _("Approved")  # 同意
    PROBLEMS = "problems", _("Problems found")  # 存在问题
    ESCALATED = "escalated", _("Disagreement escalated")  # 意见分歧，提请协调
    SETTLED_APPROVED = "settled_approved", _("Settled by the agency head: approved")  # 机关负责人决定：同意
    SETTLED_UPHELD = "settled_upheld", _("Settled by the agency head: review opinion upheld")  # 机关负责人决定：维持审核意见
    WITHDRAWN = "withdrawn", _("Withdrawn")  # 撤回


# A subject has at most one open submission (a database constraint holds it too).
OPEN_STATUSES = frozenset({SubmissionStatus.PENDING, SubmissionStatus.ESCALATED})
# The states in which the decision may be made (行政处罚法 第58条: not without an approved review).
APPROVED_STATUSES = frozenset({SubmissionStatus.APPROVED, SubmissionStatus.SETTLED_APPROVED})


class OpinionResult(models.TextChoices):
    """The written opinion's outcome (审核结论) — RULES.md R7.5 (GOV118)."""

    APPROVED = "approved", _("Approved")  # 同意
    PROBLEMS = "problems", _("Problems found")  # 存在问题


class Settlement(models.TextChoices):
    """How the agency head settles a disagreement (机关负责人协调决定) — RULES.md R7.5."""

    APPROVED = "approved", _("Approve the proposed decision")  # 同意拟处理决定
    UPHELD = "upheld", _("Uphold the review opinion")  # 维持法制审核意见


class Material(models.TextChoices):
    """Materials of a review submission (送审材料) — GD-FS 第14条, RULES.md R7.3."""

    INVESTIGATION_REPORT = "investigation_report", _("Investigation report")  # 调查终结报告
    PROPOSED_DECISION = "proposed_decision", _("Proposed decision")  # 拟处理决定
    EVIDENCE_LIST = "evidence_list", _("List of evidence")  # 证据材料清单
    STATEMENT_RECORD = "statement_record", _("Statement and defence record")  # 陈述申辩材料
    HEARING_REPORT = "hearing_report", _("Hearing report")  # 听证报告 (required when a hearing was held)
    RISK_ASSESSMENT = "risk_assessment", _("Risk assessment report")  # 风险评估报告
    EXPERT_OPINION = "expert_opinion", _("Expert opinion")  # 专家意见
    DISCRETION_BASIS = "discretion_basis", _("Statement of the discretion benchmark applied")  # 裁量基准适用说明


# Always required (GD-FS 第14条: proposed decision with facts, evidence, legal basis and
# discretion rule; investigation records).
REQUIRED_MATERIALS: tuple[str, ...] = (
    Material.INVESTIGATION_REPORT,
    Material.PROPOSED_DECISION,
    Material.EVIDENCE_LIST,
    Material.DISCRETION_BASIS,
)
# Required in addition when a hearing was held (GD-FS 第14条: hearing transcript/report).
HEARING_MATERIALS: tuple[str, ...] = (Material.HEARING_REPORT,)


class Finding(models.TextChoices):
    """The seven review points (审核要点), one finding each — RULES.md R7.4."""

    SUBJECT = "subject", _("Enforcement body")  # 执法主体
    JURISDICTION = "jurisdiction", _("Jurisdiction")  # 管辖权限
    PROCEDURE = "procedure", _("Procedure")  # 执法程序
    FACTS = "facts", _("Finding of facts")  # 事实认定
    LAW = "law", _("Application of law")  # 法律适用
    EVIDENCE = "evidence", _("Use of evidence")  # 证据使用
    DISCRETION = "discretion", _("Exercise of discretion")  # 自由裁量权运用


FINDING_KEYS: tuple[str, ...] = tuple(Finding.values)

# Names of the review time limits in the catalog (catalog.selectors.time_limit) — R7.6.
TIME_LIMIT_REVIEW = "review"
TIME_LIMIT_COMPLEX_EXTENSION = "review_complex_extension"
