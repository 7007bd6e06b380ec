"""The review catalog (法制审核目录清单) and time limits (期限) as versioned rules."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sanxiang.catalog.choices import DayUnit, Trigger
from sanxiang.catalog.constants import RulePurpose
from sanxiang.catalog.models.base import VersionedRule
from sanxiang.catalog.rules.decisions import RuleParamsError, RuleVersion, validate_params
from sanxiang.catalog.rules.time_limits import TimeLimit, TimeLimitError, validate_time_limit


class DecisionRule(VersionedRule):
    """A rule of the review catalog (法制审核目录): when a decision is major and needs legal
    review (重大执法决定, 行政处罚法 第五十八条), when a hearing must be offered (听证, 第六十三条)
    or when the heads must discuss it collectively (集体讨论, 第五十七条).

    ``trigger`` and ``params`` are documented in ``catalog.rules.decisions``."""

    purpose = models.CharField(_("purpose"), max_length=20, choices=RulePurpose.choices)  # 用途
    trigger = models.CharField(_("trigger"), max_length=20, choices=Trigger.choices)  # 触发条件
    params = models.JSONField(_("parameters"), default=dict, blank=True)  # 参数
    description = models.CharField(
        _("description"), max_length=200, help_text=_("Short Chinese wording of the rule."),
    )  # 规则表述

    CONTENT_FIELDS = ("purpose", "trigger", "params", "description")

    class Meta(VersionedRule.Meta):
        verbose_name = _("decision rule")  # 决定规则（法制审核/听证/集体讨论目录）
        verbose_name_plural = _("decision rules")
        constraints = [
            *VersionedRule.Meta.constraints,
            models.CheckConstraint(
                condition=Q(purpose__in=RulePurpose.values), name="catalog_decisionrule_purpose_valid",
            ),
            models.CheckConstraint(
                condition=Q(trigger__in=Trigger.values), name="catalog_decisionrule_trigger_valid",
            ),
        ]
        indexes = [models.Index(fields=["purpose", "status"], name="catalog_rule_purpose_status")]

    def clean(self) -> None:
        super().clean()
        try:
            self.params = validate_params(self.trigger, self.params)
        except RuleParamsError as exc:
            raise ValidationError({"params": f"{exc.field}: {exc.message}"}) from None

    def as_rule_version(self) -> RuleVersion:
        return RuleVersion(
            code=self.code, version=self.version, purpose=self.purpose, trigger=self.trigger,
            params=self.params, citation=self.citation, description=self.description,
        )


class TimeLimitRule(VersionedRule):
    """A named time limit (期限), e.g. ``decision``: 90 calendar days from filing
    (行政处罚法 第六十条). ``code`` is the name other apps ask for."""

    name = models.CharField(_("name"), max_length=100)  # 期限名称
    days = models.PositiveIntegerField(_("days"))  # 天数
    unit = models.CharField(_("unit"), max_length=10, choices=DayUnit.choices)  # 计算单位
    start_event = models.CharField(
        _("counted from"), max_length=200, help_text=_("The event the period starts from."),
    )  # 起算事件

    CONTENT_FIELDS = ("name", "days", "unit", "start_event")

    class Meta(VersionedRule.Meta):
        verbose_name = _("time limit")  # 期限
        verbose_name_plural = _("time limits")
        constraints = [
            *VersionedRule.Meta.constraints,
            models.CheckConstraint(condition=Q(days__gte=1), name="catalog_timelimitrule_days_positive"),
            models.CheckConstraint(
                condition=Q(unit__in=DayUnit.values), name="catalog_timelimitrule_unit_valid",
            ),
        ]

    def clean(self) -> None:
        super().clean()
        if self.days is not None and self.unit:
            try:
                validate_time_limit(self.days, self.unit)
            except TimeLimitError as exc:
                raise ValidationError({exc.field: exc.message}) from None

    def as_time_limit(self) -> TimeLimit:
        return TimeLimit(
            name=self.code, days=self.days, unit=self.unit, citation=self.citation,
            version=self.version, title=self.name, start_event=self.start_event,
        )
