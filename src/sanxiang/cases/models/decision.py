"""Decisions (执法决定) and issued documents (执法文书)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanxiang.catalog.constants import DecisionKind


class Decision(models.Model):
    """The decision of a case (处罚/许可/强制决定). Made once; changes are new documents."""

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="decision")
    kind = models.CharField(_("kind"), max_length=20, choices=DecisionKind.choices)
    penalty_types = models.JSONField(_("penalty types"), default=list, blank=True)
    fine_amount = models.DecimalField(_("fine (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True)
    confiscation_amount = models.DecimalField(_("confiscation (yuan)"), max_digits=14, decimal_places=2,
                                              null=True, blank=True)
    decided_on = models.DateField(_("decided on"))
    legal_basis = models.TextField(_("legal basis"))
    facts = models.TextField(_("facts"))
    conclusion = models.TextField(_("decision"))
    document_number = models.CharField(_("document number"), max_length=60, unique=True)
    major = models.BooleanField(_("major decision"), default=False)
    major_reasons = models.JSONField(_("reasons it is major"), default=list, blank=True)
    rule_versions = models.JSONField(_("rule versions applied"), default=dict, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return self.document_number


class IssuedDocument(models.Model):
    """An issued document (已出具文书): stored in the evidence vault, never changed.

    A correction is a new version that names the one it supersedes.
    """

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="documents")
    template_code = models.CharField(_("template"), max_length=40)
    template_version = models.PositiveIntegerField(_("template version"))
    title = models.CharField(_("title"), max_length=100)
    document_number = models.CharField(_("document number"), max_length=60, blank=True)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    supersedes = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="superseded_by")
    correction_reason = models.TextField(_("reason for the correction"), blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    sm3 = models.CharField(_("SM3"), max_length=64)
    size = models.PositiveBigIntegerField(_("size"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    # Added in 0003 (nullable, so the column is added without rebuilding the insert-only table).
    activity = models.ForeignKey("cases.Activity", verbose_name=_("activity"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="documents")
    evidence = models.ForeignKey("records.Evidence", verbose_name=_("vault item"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+",
                                 help_text=_("The evidence item (kind document) holding the issued file."))
    context = models.JSONField(_("rendered values"), null=True, blank=True,
                               help_text=_("The values the template was rendered with (typed JSON)."))

    class Meta:
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        ordering = ["issued_at", "id"]
        constraints = [
            # A version is corrected at most once: the versions of a document form a chain.
            models.UniqueConstraint(fields=["supersedes"], condition=models.Q(supersedes__isnull=False),
                                    name="cases_issueddocument_one_correction"),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"

    @property
    def ref(self) -> str:
        return f"document:{self.pk}"
