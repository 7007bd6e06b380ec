"""Pre-disclosure documents (事前公开): the standing information a bureau publishes before it
enforces — seven categories after the bureau's plan (推进实施方案 三(一)1 "强化事前公开").

A document is identified by its ``slug`` (unique across units and categories; its unit and
category never change). Each change is a new ``version``: a draft while the publisher
(公示管理员) prepares it, published once it is on the portal, retired when a newer version
supersedes it or the document is withdrawn. Published and retired rows are frozen at the
database (``catalog.triggers_predisclosure``): a published row may only be retired.
``services_predisclosure`` is the only code that publishes or retires.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sanxiang.catalog.choices import RuleStatus


class PreDisclosureCategory(models.TextChoices):
    """The seven categories of 事前公开, in the order of the bureau's plan."""

    REGULATIONS = "regulations", _("Laws, regulations, standards and discretion benchmarks")  # (1) 法律、法规、规章、标准和行政处罚自由裁量基准
    ORGANISATION = "organisation", _("Organisation, duties and officers")  # (2) 机构设置、工作职责、执法人员
    PROCEDURES = "procedures", _("Procedures, supervision and remedies")  # (3) 执法流程、监督方式和救济渠道
    MATTER_CATALOG = "matter_catalog", _("Enforcement matter catalog")  # (4) 执法事项目录清单
    RANDOM_INSPECTION = "random_inspection", _("Random-inspection matters and rules")  # (5) "双随机"抽查事项清单和抽查工作细则
    POWER_LIST = "power_list", _("Power and responsibility list")  # (6) 权力和责任清单
    OTHER = "other", _("Other information required by law")  # (7) 其他依法应当公开的执法信息


SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


class PreDisclosureDocument(models.Model):
    """One version of a pre-disclosure document (事前公开文件)."""

    category = models.CharField(_("category"), max_length=20, choices=PreDisclosureCategory.choices)  # 公开类别
    slug = models.CharField(
        _("identifier"), max_length=64, db_index=True,
        validators=[RegexValidator(SLUG_PATTERN, _("Lower-case letters, digits and hyphens, e.g. pudong-duties."))],
        help_text=_("Stable identifier shared by all versions, e.g. pudong-duties."),
    )  # 标识
    title = models.CharField(_("title"), max_length=200)  # 标题
    body = models.TextField(
        _("text"),
        help_text=_("Plain text. A blank line starts a new paragraph; lines starting with \"- \" "
                    "or \"1. \" form lists; \"## \" starts a heading. HTML is shown as text."),
    )  # 正文
    unit_code = models.CharField(
        _("owner unit"), max_length=40,
        help_text=_("Code of the unit that publishes and answers for it, e.g. city or pudong."),
    )  # 公开单位
    version = models.PositiveIntegerField(_("version"), validators=[MinValueValidator(1)])  # 版本
    status = models.CharField(
        _("status"), max_length=10, choices=RuleStatus.choices, default=RuleStatus.DRAFT,
    )  # 状态
    effective_from = models.DateField(_("effective from"), null=True, blank=True)  # 施行日期
    change_note = models.TextField(_("change note"), blank=True)  # 修改说明
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # 编辑人
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("published by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # 发布人
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)  # 创建时间
    updated_at = models.DateTimeField(_("updated at"), null=True, blank=True)  # 草稿修改时间
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)  # 发布时间
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)  # 停止公开时间
    retire_note = models.TextField(_("reason for retirement"), blank=True)  # 停止公开原因

    class Meta:
        verbose_name = _("pre-disclosure document")  # 事前公开文件
        verbose_name_plural = _("pre-disclosure documents")
        ordering = ["category", "slug", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug", "version"], name="catalog_predisclosure_slug_version_unique",
                violation_error_message=_("This version of the document already exists."),
            ),
            models.UniqueConstraint(
                fields=["slug"], condition=Q(status="published"),
                name="catalog_predisclosure_one_published",
                violation_error_message=_("Only one version of a document can be published."),
            ),
            models.UniqueConstraint(
                fields=["slug"], condition=Q(status="draft"),
                name="catalog_predisclosure_one_draft",
                violation_error_message=_("A document has at most one draft."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published", "retired"]),
                name="catalog_predisclosure_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(category__in=PreDisclosureCategory.values),
                name="catalog_predisclosure_category_valid",
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1), name="catalog_predisclosure_version_positive",
            ),
            models.CheckConstraint(
                condition=Q(status="draft")
                | (Q(published_at__isnull=False) & Q(effective_from__isnull=False)),
                name="catalog_predisclosure_published_dated",
                violation_error_message=_("A published version needs its publication and effective dates."),
            ),
            models.CheckConstraint(
                condition=~Q(status="retired") | Q(retired_at__isnull=False),
                name="catalog_predisclosure_retired_dated",
                violation_error_message=_("A retired version needs its retirement time."),
            ),
        ]
        indexes = [models.Index(fields=["category", "status"], name="catalog_predisclosure_cat")]

    def __str__(self) -> str:
        return f"{self.slug} v{self.version}"

    @property
    def frozen(self) -> bool:
        """Published and retired versions can no longer be edited (只读)."""
        return self.status != RuleStatus.DRAFT
