"""Document-number prefixes (文号前缀), one per unit and case kind."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sanxiang.catalog.constants import CaseKind

PREFIX_PATTERN = r"^[^\s〔〕\[\]()（）0-9]{1,20}$"


class DocumentPrefix(models.Model):
    """The agency abbreviation and kind of a unit's document numbers (发文机关代字), e.g.
    沪浦环罚 in 沪浦环罚〔2026〕12号 (GB/T 9704-2012, RULES.md R9.3). Not versioned: an issued
    number keeps its text; changes are recorded in the ledger."""

    unit_code = models.SlugField(
        _("unit code"), max_length=40, help_text=_("Code of the unit in accounts, e.g. pudong."),
    )  # 单位编码
    case_kind = models.CharField(_("case kind"), max_length=20, choices=CaseKind.choices)  # 案件类别
    prefix = models.CharField(
        _("prefix"), max_length=20,
        validators=[RegexValidator(PREFIX_PATTERN, _("No spaces, digits or brackets."))],
    )  # 文号前缀
    note = models.CharField(_("note"), max_length=200, blank=True)  # 备注（来源）
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)  # 更新时间

    class Meta:
        verbose_name = _("document number prefix")  # 文号前缀
        verbose_name_plural = _("document number prefixes")
        ordering = ["unit_code", "case_kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit_code", "case_kind"], name="catalog_documentprefix_unit_kind_unique",
            ),
            models.CheckConstraint(
                condition=Q(case_kind__in=CaseKind.values), name="catalog_documentprefix_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_code}/{self.case_kind}: {self.prefix}"
