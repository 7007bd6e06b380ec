"""The enforcement case (执法案件), its parties, handlers, flags, responses and deadlines."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanxiang.cases.constants import PartyResponseKind, Stage
from sanxiang.catalog.constants import CaseFlag, CaseKind, PartyType


class Counter(models.Model):
    """A gapless sequence (流水号), e.g. case numbers per unit and year, 文号 per prefix and year.

    Incremented only under a row lock inside the caller's transaction.
    """

    key = models.CharField(max_length=120, primary_key=True)
    value = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("counter")
        verbose_name_plural = _("counters")

    def __str__(self) -> str:
        return f"{self.key}={self.value}"


class Case(models.Model):
    """An enforcement case (执法案件) of one of four kinds, handled by one unit."""

    number = models.CharField(_("case number"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=CaseKind.choices)
    title = models.CharField(_("title"), max_length=200)
    unit = models.ForeignKey("accounts.Unit", verbose_name=_("handling unit"), on_delete=models.PROTECT,
                             related_name="cases")
    matter_code = models.CharField(_("enforcement matter"), max_length=40, blank=True)
    stage = models.CharField(_("stage"), max_length=30, choices=Stage.choices, default=Stage.REGISTERED)
    stage_changed_at = models.DateTimeField(_("stage changed at"))
    facts = models.TextField(_("facts"), blank=True)
    registered_on = models.DateField(_("registered on"))
    discovered_on = models.DateField(_("clue discovered on"), null=True, blank=True)
    notified_on = models.DateField(_("notified on"), null=True, blank=True)
    hearing_offered = models.BooleanField(_("hearing offered"), default=False)
    decision_extension_days = models.PositiveSmallIntegerField(_("approved extension of the decision period (days)"),
                                                               default=0)
    # Proposed decision (拟处理意见): drives the major / hearing / collective determinations.
    proposed_penalty_types = models.JSONField(_("proposed penalty types"), default=list, blank=True)
    proposed_fine_amount = models.DecimalField(_("proposed fine (yuan)"), max_digits=14, decimal_places=2,
                                               null=True, blank=True)
    proposed_confiscation_amount = models.DecimalField(_("proposed confiscation (yuan)"), max_digits=14,
                                                       decimal_places=2, null=True, blank=True)
    proposed_legal_basis = models.TextField(_("proposed legal basis"), blank=True)
    # Determinations with their stored reasons (重大执法决定认定及理由).
    major = models.BooleanField(_("major decision"), default=False)
    major_reasons = models.JSONField(_("reasons it is major"), default=list, blank=True)
    hearing_reasons = models.JSONField(_("reasons a hearing must be offered"), default=list, blank=True)
    collective_reasons = models.JSONField(_("reasons collective discussion is required"), default=list, blank=True)
    secret = models.BooleanField(_("not to be published (secret)"), default=False)
    involves_minor = models.BooleanField(_("party is a minor"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["unit", "stage"], name="cases_case_unit_stage"),
                   models.Index(fields=["stage", "kind"], name="cases_case_stage_kind")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def ref(self) -> str:
        """The opaque subject reference other contexts use (records, review, disclosure)."""
        return f"case:{self.pk}"


class Party(models.Model):
    """A party (当事人) of a case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    position = models.PositiveSmallIntegerField(default=0)
    type = models.CharField(_("party type"), max_length=30, choices=PartyType.choices)
    name = models.CharField(_("name"), max_length=200)
    uscc = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    id_number = models.CharField(_("resident ID number"), max_length=18, blank=True)
    legal_representative = models.CharField(_("legal representative"), max_length=50, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["case", "position"]

    def __str__(self) -> str:
        return self.name


class CaseHandler(models.Model):
    """A handler (承办人) of a case: the officer who filed it and those assigned."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="handlers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="handled_cases")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("handler")
        verbose_name_plural = _("handlers")
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="cases_handler_unique")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.case_id}"


class Recusal(models.Model):
    """A declared conflict (回避): the user may neither handle nor take part in the case (APL 第43条)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="recusals")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="recusals")
    reason = models.TextField(_("reason"))
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("recusal")
        verbose_name_plural = _("recusals")
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="cases_recusal_unique")]

    def __str__(self) -> str:
        return f"{self.user} ↛ {self.case_id}"


class CaseFlagRecord(models.Model):
    """A flag set on a case with its reason (complex, public interest, social risk, hearing held)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="flags")
    flag = models.CharField(_("flag"), max_length=30, choices=CaseFlag.choices)
    reason = models.TextField(_("reason"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("case flag")
        verbose_name_plural = _("case flags")
        constraints = [models.UniqueConstraint(fields=["case", "flag"], name="cases_flag_unique")]

    def __str__(self) -> str:
        return self.get_flag_display()


class PartyResponse(models.Model):
    """The party's statement, waiver, hearing request or hearing waiver (陈述申辩、听证申请)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="responses")
    kind = models.CharField(_("kind"), max_length=20, choices=PartyResponseKind.choices)
    received_on = models.DateField(_("received on"))
    text = models.TextField(_("text"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("party response")
        verbose_name_plural = _("party responses")
        ordering = ["received_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.received_on}"


class CaseDeadline(models.Model):
    """A legal time limit of a case (办案期限), recomputed by the services on every change."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deadlines")
    name = models.CharField(_("name"), max_length=40)
    due_on = models.DateField(_("due on"))
    provisional = models.BooleanField(_("provisional"), default=False)
    met_on = models.DateField(_("met on"), null=True, blank=True)
    citation = models.CharField(_("citation"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["due_on"]
        constraints = [models.UniqueConstraint(fields=["case", "name"], name="cases_deadline_unique")]
        indexes = [models.Index(fields=["met_on", "due_on"], name="cases_deadline_open_due")]

    def __str__(self) -> str:
        return f"{self.name} {self.due_on}"
