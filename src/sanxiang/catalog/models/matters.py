"""Enforcement matters (执法事项目录清单)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from sanxiang.accounts.constants import UnitLevel
from sanxiang.catalog.constants import CaseKind, Field, PenaltyType
from sanxiang.catalog.models.base import VersionedRule


class Matter(VersionedRule):
    """An enforcement matter (执法事项): one kind of violation with the provision it violates
    (违法依据), the provision that punishes it (处罚依据), the penalty types and fine range the
    law sets (处罚种类、罚款幅度) and the level responsible (实施层级). ``random_inspection``
    marks the matters on the random-inspection list (随机抽查事项清单, 双随机、一公开)."""

    name = models.CharField(_("name"), max_length=200)  # 事项名称
    field = models.CharField(_("field"), max_length=20, choices=Field.choices)  # 执法领域
    case_kind = models.CharField(
        _("case kind"), max_length=20, choices=CaseKind.choices, default=CaseKind.PENALTY,
    )  # 执法类别
    legal_basis = models.TextField(
        _("violated provision"),
        help_text=_("The provision violated, e.g. 《中华人民共和国大气污染防治法》第十八条."),
    )  # 违法依据
    penalty_basis = models.TextField(
        _("penalty provision"),
        help_text=_("The provision that sets the penalty, e.g. 《中华人民共和国大气污染防治法》第九十九条第二项."),
    )  # 处罚依据
    penalty_types = models.JSONField(
        _("penalty types"), default=list, blank=True,
        help_text=_("List of penalty type values, e.g. [\"fine\", \"closure\"]."),
    )  # 处罚种类
    fine_min = models.DecimalField(
        _("minimum fine (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True,
    )  # 罚款下限（元）
    fine_max = models.DecimalField(
        _("maximum fine (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True,
    )  # 罚款上限（元）
    fine_rule = models.TextField(
        _("fine rule"), blank=True,
        help_text=_("The penalty as the law words it, including multiples and aggravating cases."),
    )  # 处罚幅度（法条原文）
    level = models.CharField(
        _("responsible level"), max_length=10, choices=UnitLevel.choices, default=UnitLevel.DISTRICT,
    )  # 实施层级
    random_inspection = models.BooleanField(_("on the random-inspection list"), default=False)  # 随机抽查事项

    CONTENT_FIELDS = (
        "name", "field", "case_kind", "legal_basis", "penalty_basis", "penalty_types",
        "fine_min", "fine_max", "fine_rule", "level", "random_inspection",
    )

    class Meta(VersionedRule.Meta):
        verbose_name = _("enforcement matter")  # 执法事项
        verbose_name_plural = _("enforcement matters")
        constraints = [
            *VersionedRule.Meta.constraints,
            models.CheckConstraint(
                condition=Q(fine_min__isnull=True) | Q(fine_max__isnull=True)
                | Q(fine_min__lte=F("fine_max")),
                name="catalog_matter_fine_range_ordered",
                violation_error_message=_("The minimum fine cannot exceed the maximum."),
            ),
            models.CheckConstraint(
                condition=(Q(fine_min__isnull=True) | Q(fine_min__gte=0))
                & (Q(fine_max__isnull=True) | Q(fine_max__gte=0)),
                name="catalog_matter_fine_not_negative",
            ),
        ]
        indexes = [models.Index(fields=["field", "case_kind"], name="catalog_matter_field_kind")]

    def __str__(self) -> str:
        return f"{self.code} {self.name} (v{self.version})"

    def clean(self) -> None:
        super().clean()
        types = self.penalty_types
        if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
            raise ValidationError({"penalty_types": _("Give a list of penalty type values.")})
        unknown = [t for t in types if t not in PenaltyType.values]
        if unknown:
            raise ValidationError(
                {"penalty_types": _("Unknown penalty type: %(value)s.") % {"value": ", ".join(unknown)}}
            )
        if len(set(types)) != len(types):
            raise ValidationError({"penalty_types": _("A penalty type is listed twice.")})
        if self.fine_min is not None and self.fine_max is not None and self.fine_min > self.fine_max:
            raise ValidationError({"fine_min": _("The minimum fine cannot exceed the maximum.")})
