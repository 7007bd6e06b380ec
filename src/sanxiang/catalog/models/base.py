"""Versioned rule rows (版本化规则数据): the fields and constraints every catalog rule shares.

A rule is identified by ``code``; each change is a new ``version`` with an effective date and
a citation. A version is a draft while it is prepared, published once it is in force, and
retired when a newer version replaces it (its ``effective_to`` then closes the window it
governed, so decisions judged under it can still be explained). Published and retired rows
are frozen: ``catalog.triggers`` refuses any change to their content at the database, and
the services are the only code that publishes or retires.

Date windows are inclusive on both ends: a version is in force on ``day`` when
``effective_from <= day`` and (``effective_to`` is empty or ``day <= effective_to``).
"""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from sanxiang.catalog.choices import RuleStatus


class VersionedRule(models.Model):
    """Abstract base of every versioned rule row (规则版本)."""

    code = models.CharField(
        _("code"), max_length=64, db_index=True,
        help_text=_("Stable identifier shared by all versions, e.g. major.fine_org or AIR-001."),
    )  # 编码
    version = models.PositiveIntegerField(_("version"), validators=[MinValueValidator(1)])  # 版本
    status = models.CharField(
        _("status"), max_length=10, choices=RuleStatus.choices, default=RuleStatus.DRAFT,
    )  # 状态
    effective_from = models.DateField(_("effective from"))  # 生效日期
    effective_to = models.DateField(
        _("effective to"), null=True, blank=True,
        help_text=_("Last day in force (inclusive); empty while in force without end."),
    )  # 失效日期（含当日）
    citation = models.TextField(
        _("citation"),
        help_text=_("Source and article, with the status tag of RULES.md ([V], [S] or [U])."),
    )  # 依据
    note = models.TextField(_("note"), blank=True)  # 备注
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)  # 创建时间
    created_by = models.CharField(_("created by"), max_length=64, blank=True)  # 创建人
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)  # 发布时间
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)  # 停用时间

    CONTENT_FIELDS: tuple[str, ...] = ()
    """Fields a new version may change (besides the version fields)."""

    class Meta:
        abstract = True
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"], name="%(app_label)s_%(class)s_code_version_unique",
                violation_error_message=_("This version of the rule already exists."),
            ),
            models.UniqueConstraint(
                fields=["code"], condition=Q(status="published"),
                name="%(app_label)s_%(class)s_one_published_per_code",
                violation_error_message=_("Only one version of a rule can be published."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published", "retired"]),
                name="%(app_label)s_%(class)s_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1), name="%(app_label)s_%(class)s_version_positive",
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
                name="%(app_label)s_%(class)s_window_ordered",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=~Q(status="retired") | Q(effective_to__isnull=False),
                name="%(app_label)s_%(class)s_retired_has_end",
                violation_error_message=_("A retired version needs an end date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"

    @property
    def frozen(self) -> bool:
        """Published and retired versions can no longer be edited (只读)."""
        return self.status != RuleStatus.DRAFT

    def in_force_on(self, day) -> bool:
        return (
            self.status in (RuleStatus.PUBLISHED, RuleStatus.RETIRED)
            and self.effective_from <= day
            and (self.effective_to is None or day <= self.effective_to)
        )
