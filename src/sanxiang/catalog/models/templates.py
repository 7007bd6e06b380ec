"""Document templates (执法文书模板), versioned."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanxiang.catalog.models.base import VersionedRule
from sanxiang.catalog.rules.templates import TemplateError, placeholders, validate_blocks


class DocumentTemplate(VersionedRule):
    """A document template (文书模板), e.g. ``penalty_decision`` 行政处罚决定书: the body as
    structured ``blocks`` with ``{placeholder}`` fields. Rendering belongs to the documents
    engineer; a published version is frozen, a change is a new version."""

    name = models.CharField(_("name"), max_length=100)  # 文书名称
    blocks = models.JSONField(_("blocks"), default=list, blank=True)  # 文书结构

    CONTENT_FIELDS = ("name", "blocks")

    class Meta(VersionedRule.Meta):
        verbose_name = _("document template")  # 文书模板
        verbose_name_plural = _("document templates")

    def clean(self) -> None:
        super().clean()
        try:
            validate_blocks(self.blocks)
        except TemplateError as exc:
            raise ValidationError({"blocks": f"{exc.field}: {exc.message}"}) from None

    @property
    def placeholders(self) -> tuple[str, ...]:
        return placeholders(self.blocks)
