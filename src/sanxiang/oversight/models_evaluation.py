"""Case-file evaluation (案卷评查): the rubric as versioned rule data, evaluations of closed
cases with their item scores, sampling batches and rectification requests (整改要求).

The rubric (评查标准) follows the catalog's versioned rules: a code, versions with an
effective date and a citation; its items carry their points, category, the automatic check
they are linked to (empty: scored by hand) and their own citation. An evaluation keeps the
rubric version it was scored under and the automatic results as computed when it was opened.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanxiang.catalog.models.base import VersionedRule
from sanxiang.oversight.constants import RectificationStatus

__all__ = [
    "CheckCode", "Evaluation", "EvaluationBatch", "EvaluationRectification", "EvaluationRubric", "EvaluationScore",
    "EvaluationStatus", "Grade", "RubricCategory", "RubricItem", "SampleMethod",
]


class RubricCategory(models.TextChoices):
    """Categories of rubric items (评查类别)."""

    SUBJECT = "subject", _("Lawful enforcement body")  # 主体合法
    FACTS = "facts", _("Facts clear")  # 事实清楚
    EVIDENCE = "evidence", _("Evidence sufficient")  # 证据充分
    PROCEDURE = "procedure", _("Lawful procedure")  # 程序合法
    LAW = "law", _("Correct legal basis")  # 适用依据正确
    DOCUMENTS = "documents", _("Documents in due form")  # 文书规范
    RECORDING = "recording", _("Whole-process recording")  # 全过程记录
    PUBLICITY = "publicity", _("Publicity")  # 公示


class CheckCode(models.TextChoices):
    """The automatic checks (自动检查) an item may be linked to (``oversight.evaluation_checks``)."""

    REQUIRED_DOCUMENTS = "required_documents", _("Required documents present")  # 必备文书齐全
    STAGE_DEADLINES = "stage_deadlines", _("Stage deadlines met")  # 办案期限
    LEGAL_REVIEW = "legal_review", _("Legal review of a major decision")  # 重大执法决定法制审核
    VIDEO = "video", _("Video of mandatory activities")  # 法定情形音像记录
    PUBLICATION = "publication", _("Decision published on time")  # 按时公示
    TWO_OFFICERS = "two_officers", _("Two certified officers on site")  # 双人持证执法
    DOCUMENTS_FORMAL = "documents_formal", _("Documents numbered and signed")  # 文书编号、签发


class Grade(models.TextChoices):
    """The grade of an evaluation (评查等次), from the score and the rubric's thresholds."""

    EXCELLENT = "excellent", _("Excellent")  # 优秀
    PASS = "pass", _("Pass")  # 合格
    FAIL = "fail", _("Fail")  # 不合格


class EvaluationStatus(models.TextChoices):
    OPEN = "open", _("Being scored")  # 评查中
    SUBMITTED = "submitted", _("Submitted")  # 已提交


class SampleMethod(models.TextChoices):
    RANDOM = "random", _("Random sample")  # 随机抽取
    CHOSEN = "chosen", _("Chosen cases")  # 指定案卷


class EvaluationRubric(VersionedRule):
    """The evaluation rubric (案卷评查标准): one version of the items and the grade thresholds.

    Grades: score ≥ ``excellent_from`` is 优秀, ≥ ``pass_from`` is 合格, below is 不合格.
    """

    name = models.CharField(_("name"), max_length=100)  # 名称
    excellent_from = models.DecimalField(_("excellent from (points)"), max_digits=5, decimal_places=1)  # 优秀分数线
    pass_from = models.DecimalField(_("pass from (points)"), max_digits=5, decimal_places=1)  # 合格分数线

    CONTENT_FIELDS = ("name", "excellent_from", "pass_from")

    class Meta(VersionedRule.Meta):
        verbose_name = _("evaluation rubric")  # 评查标准
        verbose_name_plural = _("evaluation rubrics")
        constraints = [
            *VersionedRule.Meta.constraints,
            models.CheckConstraint(condition=Q(pass_from__gt=0) & Q(pass_from__lt=F("excellent_from")),
                                   name="oversight_rubric_thresholds_ordered"),
        ]


class RubricItem(models.Model):
    """One item of a rubric version (评查项目): its points, category, linked check and source."""

    rubric = models.ForeignKey(EvaluationRubric, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    code = models.CharField(_("code"), max_length=20)  # 项目编码（跨版本稳定）
    category = models.CharField(_("category"), max_length=20, choices=RubricCategory.choices)  # 类别
    title = models.CharField(_("title"), max_length=300)  # 评查内容
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=1)  # 分值
    check_code = models.CharField(_("automatic check"), max_length=30, choices=CheckCode.choices, blank=True,
                             help_text=_("Empty: the evaluator scores the item by hand."))  # 关联自动检查
    citation = models.TextField(_("citation"), help_text=_("Source, with [V], [S] or [U] as in RULES.md."))  # 依据

    class Meta:
        verbose_name = _("rubric item")  # 评查项目
        verbose_name_plural = _("rubric items")
        ordering = ["rubric", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["rubric", "code"], name="oversight_rubricitem_code_once"),
            models.CheckConstraint(condition=Q(points__gt=0), name="oversight_rubricitem_points_positive"),
            models.CheckConstraint(condition=Q(category__in=RubricCategory.values),
                                   name="oversight_rubricitem_category_valid"),
            models.CheckConstraint(condition=Q(check_code="") | Q(check_code__in=CheckCode.values),
                                   name="oversight_rubricitem_check_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class EvaluationBatch(models.Model):
    """A batch (评查批次): a random or chosen sample of a unit's closed cases in a period."""

    number = models.CharField(_("batch number"), max_length=20, unique=True)  # 批次编号
    unit = models.ForeignKey("accounts.Unit", verbose_name=_("unit evaluated"), on_delete=models.PROTECT,
                             related_name="evaluation_batches")
    period_start = models.DateField(_("closed from"))
    period_end = models.DateField(_("closed until"))
    method = models.CharField(_("sampling"), max_length=10, choices=SampleMethod.choices)
    seed = models.CharField(_("random seed"), max_length=64, blank=True)  # 随机种子（可复现）
    population = models.PositiveIntegerField(_("closed cases in the period"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("evaluation batch")  # 评查批次
        verbose_name_plural = _("evaluation batches")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.number

    @property
    def ref(self) -> str:
        return f"evaluation-batch:{self.pk}"


class Evaluation(models.Model):
    """The evaluation of one closed case file (案卷评查)."""

    number = models.CharField(_("evaluation number"), max_length=20, unique=True)  # 评查编号
    case = models.ForeignKey("cases.Case", verbose_name=_("case"), on_delete=models.PROTECT,
                             related_name="evaluations")
    unit = models.ForeignKey("accounts.Unit", verbose_name=_("handling unit"), on_delete=models.PROTECT,
                             related_name="evaluations")  # 承办单位（评查时）
    batch = models.ForeignKey(EvaluationBatch, verbose_name=_("batch"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="evaluations")
    rubric = models.ForeignKey(EvaluationRubric, verbose_name=_("rubric"), on_delete=models.PROTECT,
                               related_name="evaluations")
    status = models.CharField(_("status"), max_length=10, choices=EvaluationStatus.choices,
                              default=EvaluationStatus.OPEN)
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("evaluator"), on_delete=models.PROTECT,
                                  related_name="evaluations")  # 评查人
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    checked_on = models.DateField(_("checks computed on"))  # 自动检查日期
    checks = models.JSONField(_("automatic check results"), default=dict)  # 自动检查结果
    comment = models.TextField(_("overall comment"), blank=True)  # 总体评价
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1, null=True, blank=True)
    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("case-file evaluation")  # 案卷评查
        verbose_name_plural = _("case-file evaluations")
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["unit", "status"], name="ovs_eval_unit_status")]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=Q(status="open"), name="oversight_eval_one_open"),
            models.CheckConstraint(condition=Q(status__in=EvaluationStatus.values),
                                   name="oversight_eval_status_valid"),
            models.CheckConstraint(condition=Q(grade="") | Q(grade__in=Grade.values),
                                   name="oversight_eval_grade_valid"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def ref(self) -> str:
        return f"evaluation:{self.pk}"


class EvaluationScore(models.Model):
    """The score of one rubric item in one evaluation (评查得分).

    ``suggested`` is what the automatic check pre-fills (full points when it passes or the
    item is manual, nothing when it fails); an ``awarded`` score that differs from it needs a
    ``reason`` (调整理由), recorded with the score and on the ledger.
    """

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(RubricItem, on_delete=models.PROTECT, related_name="scores")
    auto_passed = models.BooleanField(_("automatic check passed"), null=True)  # None: manual item
    evidence = models.JSONField(_("check evidence"), default=list, blank=True)  # 检查发现
    suggested = models.DecimalField(_("pre-filled score"), max_digits=5, decimal_places=1)
    awarded = models.DecimalField(_("score"), max_digits=5, decimal_places=1)
    reason = models.TextField(_("reason for the adjustment"), blank=True)
    note = models.TextField(_("note"), blank=True)  # 扣分说明

    class Meta:
        verbose_name = _("item score")  # 评查得分
        verbose_name_plural = _("item scores")
        ordering = ["item__position", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "item"], name="oversight_score_item_once"),
            models.CheckConstraint(condition=Q(awarded__gte=0), name="oversight_score_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.evaluation_id}/{self.item_id}={self.awarded}"

    @property
    def adjusted(self) -> bool:
        return self.awarded != self.suggested


class EvaluationRectification(models.Model):
    """A rectification request (整改要求) from an evaluation to the handling unit, its reply and
    the evaluator's verdict (accepted or returned)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="rectifications")
    unit = models.ForeignKey("accounts.Unit", verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="evaluation_rectifications")
    requirement = models.TextField(_("required rectification"))  # 整改要求
    due_on = models.DateField(_("rectify by"))  # 整改期限
    status = models.CharField(_("status"), max_length=10, choices=RectificationStatus.choices,
                              default=RectificationStatus.PENDING)
    round = models.PositiveSmallIntegerField(_("round"), default=0)
    reply = models.TextField(_("rectification reply"), blank=True)  # 整改回复
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    review_comment = models.TextField(_("review comment"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)

    class Meta:
        verbose_name = _("rectification request")  # 整改要求
        verbose_name_plural = _("rectification requests")
        ordering = ["issued_at", "id"]
        constraints = [models.CheckConstraint(condition=Q(status__in=RectificationStatus.values),
                                              name="oversight_evalrect_status_valid")]

    def __str__(self) -> str:
        return f"{self.evaluation_id} → {self.unit_id}"

    def is_overdue(self, today=None) -> bool:
        return self.status != RectificationStatus.ACCEPTED and self.due_on < (today or timezone.localdate())
