"""Random inspections (双随机、一公开): one list, two pools (一单两库), reproducible draws with
recusal, results and their publication (RULES.md §11)."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from sanxiang.catalog.models.base import VersionedRule
from sanxiang.inspections.constants import (
    MIN_INSPECTORS_PER_ENTITY,
    InspectorScope,
    Outcome,
    PlanStatus,
    RiskLevel,
    Rounding,
)


class DrawRatioRule(VersionedRule):
    """Draw ratio of a risk level (抽查比例) as versioned rule data (RULES.md R11.1).

    ``code`` is ``ratio.<risk level>``; the percent is a minimum share of the level's pool per
    plan, turned into a whole number by ``rounding``. The shipped values are the config
    examples of R11.1 [S]; the Shanghai ratios are unverified [U]."""

    risk_level = models.CharField(_("risk level"), max_length=10, choices=RiskLevel.choices)  # 监管类别
    percent = models.DecimalField(
        _("percent"), max_digits=5, decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )  # 抽查比例（%）
    rounding = models.CharField(
        _("rounding"), max_length=10, choices=Rounding.choices, default=Rounding.CEIL,
    )  # 取整规则

    CONTENT_FIELDS = ("risk_level", "percent", "rounding")

    class Meta(VersionedRule.Meta):
        verbose_name = _("draw ratio")  # 抽查比例
        verbose_name_plural = _("draw ratios")
        constraints = [
            *VersionedRule.Meta.constraints,
            models.CheckConstraint(condition=Q(percent__gte=0) & Q(percent__lte=100),
                                   name="inspections_ratio_percent_range"),
            models.CheckConstraint(condition=Q(risk_level__in=RiskLevel.values),
                                   name="inspections_ratio_risk_valid"),
            models.CheckConstraint(condition=Q(rounding__in=Rounding.values),
                                   name="inspections_ratio_rounding_valid"),
        ]


class RegulatedEntity(models.Model):
    """A regulated entity of the target pool (被检查对象库 / 检查对象名录库)."""

    name = models.CharField(_("name"), max_length=200)  # 名称
    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True)  # 统一社会信用代码
    district = models.ForeignKey(
        "accounts.Unit", verbose_name=_("district unit"), on_delete=models.PROTECT, related_name="+",
    )  # 属地单位
    category = models.CharField(_("category"), max_length=100, blank=True)  # 行业类别
    risk_level = models.CharField(_("risk level"), max_length=10, choices=RiskLevel.choices)  # 监管类别
    address = models.CharField(_("address"), max_length=300, blank=True)  # 地址
    active = models.BooleanField(_("in the pool"), default=True)  # 在库
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("regulated entity")  # 被检查对象
        verbose_name_plural = _("regulated entities")
        ordering = ["uscc"]
        constraints = [
            models.CheckConstraint(condition=Q(risk_level__in=RiskLevel.values),
                                   name="inspections_entity_risk_valid"),
        ]

    def __str__(self) -> str:
        return self.name


class PoolInspector(models.Model):
    """Membership of the inspector pool (执法检查人员库): a certified, on-post officer."""

    officer = models.OneToOneField(
        "accounts.Officer", verbose_name=_("officer"), on_delete=models.PROTECT, related_name="inspector_pool",
    )  # 执法人员
    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+",
    )  # 所属单位
    active = models.BooleanField(_("in the pool"), default=True)  # 在库
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("pool inspector")  # 执法检查人员
        verbose_name_plural = _("pool inspectors")
        ordering = ["officer__certificate_number"]

    def __str__(self) -> str:
        return str(self.officer)


class Conflict(models.Model):
    """A recorded conflict of interest (回避): this inspector is never drawn for this entity
    (RULES.md R11.3; 行政处罚法 第四十三条 by analogy)."""

    officer = models.ForeignKey(
        "accounts.Officer", verbose_name=_("officer"), on_delete=models.PROTECT, related_name="+",
    )  # 执法人员
    entity = models.ForeignKey(
        RegulatedEntity, verbose_name=_("regulated entity"), on_delete=models.PROTECT, related_name="conflicts",
    )  # 检查对象
    reason = models.TextField(_("reason"))  # 回避理由
    recorded_by = models.ForeignKey(
        "accounts.User", verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest")  # 回避关系
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.UniqueConstraint(fields=["officer", "entity"], name="inspections_conflict_unique",
                                    violation_error_message=_("This conflict is already recorded.")),
        ]

    def __str__(self) -> str:
        return f"{self.officer} × {self.entity}"


class InspectionPlan(models.Model):
    """A random-inspection plan (抽查计划): one matter of the random-inspection list, a unit,
    a period, the ratios per risk level and the inspectors per entity; then its beacon
    (随机源) and its frozen pool snapshot, published before the draw."""

    title = models.CharField(_("title"), max_length=200)  # 计划名称
    matter_code = models.CharField(_("enforcement matter"), max_length=64)  # 抽查事项编码
    matter_version = models.PositiveIntegerField(_("matter version"))
    matter_name = models.CharField(_("matter name"), max_length=200)  # 抽查事项名称
    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+",
    )  # 实施单位
    period_start = models.DateField(_("period start"))  # 抽查期间（起）
    period_end = models.DateField(_("period end"))  # 抽查期间（止）
    ratios = models.JSONField(
        _("ratios"), default=dict,
        help_text=_("Per risk level: percent, rounding, and the rule version or override it came from."),
    )  # 抽查比例
    inspectors_per_entity = models.PositiveSmallIntegerField(
        _("inspectors per entity"), default=MIN_INSPECTORS_PER_ENTITY,
        validators=[MinValueValidator(MIN_INSPECTORS_PER_ENTITY)],
    )  # 每户检查人员数
    inspector_scope = models.CharField(
        _("inspector scope"), max_length=10, choices=InspectorScope.choices, default=InspectorScope.SUBTREE,
    )  # 人员范围
    status = models.CharField(_("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    beacon = models.CharField(_("beacon"), max_length=500, blank=True)  # 公开随机源
    beacon_source = models.CharField(_("beacon source"), max_length=300, blank=True)  # 随机源说明
    beacon_published_at = models.DateTimeField(_("beacon published at"), null=True, blank=True)
    beacon_published_by = models.ForeignKey(
        "accounts.User", verbose_name=_("beacon published by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    snapshot = models.JSONField(
        _("pool snapshot"), default=dict, blank=True,
        help_text=_("The pools frozen when the beacon was published: entities, inspectors, conflicts."),
    )  # 名录库快照
    snapshot_hashes = models.JSONField(_("snapshot hashes"), default=dict, blank=True)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("inspection plan")  # 抽查计划
        verbose_name_plural = _("inspection plans")
        ordering = ["-period_start", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")),
                                   name="inspections_plan_period_ordered",
                                   violation_error_message=_("The period cannot end before it starts.")),
            models.CheckConstraint(condition=Q(inspectors_per_entity__gte=MIN_INSPECTORS_PER_ENTITY),
                                   name="inspections_plan_two_officers"),
            models.CheckConstraint(condition=Q(status__in=PlanStatus.values), name="inspections_plan_status_valid"),
            models.CheckConstraint(
                condition=Q(status=PlanStatus.DRAFT) | (Q(beacon_published_at__isnull=False) & ~Q(beacon="")),
                name="inspections_plan_beacon_before_draw",
                violation_error_message=_("A plan is announced or drawn only with a published beacon."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def ref(self) -> str:
        return f"inspection_plan:{self.pk}"


class Draw(models.Model):
    """The draw of a plan (抽取记录): one per plan, with everything needed to recompute it."""

    plan = models.OneToOneField(InspectionPlan, verbose_name=_("plan"), on_delete=models.PROTECT,
                                related_name="draw")
    beacon = models.CharField(_("beacon"), max_length=500)  # 公开随机源
    seed = models.CharField(_("seed (SHA-256, hex)"), max_length=64)  # 随机种子
    algorithm = models.CharField(_("algorithm version"), max_length=20)  # 算法版本
    params = models.JSONField(_("parameters"), default=dict)  # ratios, rounding, per-entity, scope
    snapshot_hashes = models.JSONField(_("snapshot hashes"), default=dict)
    quotas = models.JSONField(_("quotas"), default=dict)
    pairs = models.JSONField(_("drawn pairs"), default=list)  # [{"entity", "risk", "inspectors", "excluded"}]
    drawn_at = models.DateTimeField(_("drawn at"))
    drawn_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("draw")  # 抽取记录
        verbose_name_plural = _("draws")
        ordering = ["-drawn_at"]

    def __str__(self) -> str:
        return f"{self.plan} · {self.drawn_at:%Y-%m-%d}"


class DrawnEntity(models.Model):
    """A drawn entity (抽中的检查对象) with its inspection case and, later, its result (检查结果)."""

    draw = models.ForeignKey(Draw, on_delete=models.PROTECT, related_name="entities")
    position = models.PositiveIntegerField(_("position"))  # order drawn
    entity = models.ForeignKey(RegulatedEntity, verbose_name=_("regulated entity"), on_delete=models.PROTECT,
                               related_name="+")
    risk_level = models.CharField(_("risk level"), max_length=10, choices=RiskLevel.choices)
    case = models.ForeignKey("cases.Case", verbose_name=_("inspection case"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")  # 检查案件
    # Result (检查结果), RULES.md R11.2
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    finished_on = models.DateField(_("inspection finished on"), null=True, blank=True)  # 检查完成日期
    public_summary = models.TextField(_("public summary"), blank=True)  # 公开的检查情况
    recorded_at = models.DateTimeField(_("result recorded at"), null=True, blank=True)
    recorded_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    publication_due_on = models.DateField(_("publish by"), null=True, blank=True)  # 公示期限
    due_provisional = models.BooleanField(_("provisional due date"), default=False)
    time_limit = models.JSONField(_("time limit"), default=dict, blank=True)
    published = models.BooleanField(_("published"), default=False)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")

    class Meta:
        verbose_name = _("drawn entity")  # 抽中对象
        verbose_name_plural = _("drawn entities")
        ordering = ["draw", "position"]
        constraints = [
            models.UniqueConstraint(fields=["draw", "position"], name="inspections_drawn_position_unique"),
            models.UniqueConstraint(fields=["draw", "entity"], name="inspections_drawn_entity_unique"),
            models.CheckConstraint(
                condition=Q(outcome="") | (Q(finished_on__isnull=False) & Q(publication_due_on__isnull=False)),
                name="inspections_result_dated",
            ),
            models.CheckConstraint(condition=Q(published=False) | (~Q(outcome="") & Q(published_on__isnull=False)),
                                   name="inspections_published_has_result"),
        ]

    def __str__(self) -> str:
        return f"{self.entity} ({self.draw.plan})"

    @property
    def has_result(self) -> bool:
        return bool(self.outcome)


class DrawnInspector(models.Model):
    """An inspector drawn for an entity (选派的执法检查人员)."""

    drawn_entity = models.ForeignKey(DrawnEntity, on_delete=models.PROTECT, related_name="inspectors")
    position = models.PositiveSmallIntegerField(_("position"))
    officer = models.ForeignKey("accounts.Officer", verbose_name=_("officer"), on_delete=models.PROTECT,
                                related_name="+")

    class Meta:
        verbose_name = _("drawn inspector")
        verbose_name_plural = _("drawn inspectors")
        ordering = ["drawn_entity", "position"]
        constraints = [
            models.UniqueConstraint(fields=["drawn_entity", "officer"], name="inspections_drawn_officer_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.officer} → {self.drawn_entity}"
