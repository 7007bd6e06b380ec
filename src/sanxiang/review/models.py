"""Legal review of major decisions (重大执法决定法制审核): submissions, opinions, escalations,
collective discussions.

The review context knows nothing about cases: a submission concerns an opaque `subject`
("case:42") of a handling unit, and the caller names the users involved in it (handlers
and participants) so that none of them reviews it (RULES.md R7.2).

History is insert-only by convention: opinions and collective-discussion records are never
changed, an escalation is written once when raised and once when settled, and only the
submission's `status` moves — all through `sanxiang.review.services`. No update path is
offered and the admin is read-only.
"""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sanxiang.review.constants import (
    OPEN_STATUSES,
    OpinionResult,
    Settlement,
    SubmissionStatus,
)


class ReviewSubmission(models.Model):
    """One round of submission for legal review (送审, 第N轮) of a subject's proposed decision."""

    subject = models.CharField(_("subject"), max_length=100, db_index=True,
                               help_text=_('Opaque reference of what is reviewed, e.g. "case:42".'))
    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("handling unit"), to_field="code", db_column="unit_code",
        on_delete=models.PROTECT, related_name="+",
    )
    round = models.PositiveIntegerField(_("round"), help_text=_("1, 2, … per subject."))
    note = models.TextField(_("note"), blank=True)
    materials = models.JSONField(_("materials"), default=list,
                                 help_text=_("Codes of the submitted materials (GD-FS art. 14)."))
    major_reasons = models.JSONField(
        _("reasons the decision is major"), default=list, blank=True,
        help_text=_("Each {code, version, reason, citation}, as judged by the handling unit."),
    )
    proposal = models.JSONField(_("proposed decision"), default=dict, blank=True, encoder=DjangoJSONEncoder,
                                help_text=_("Summary of the proposed decision that is reviewed."))
    involved_user_ids = models.JSONField(
        _("involved users"), default=list, blank=True,
        help_text=_("Ids of the handlers and participants; none of them may review (R7.2)."),
    )
    hearing_held = models.BooleanField(_("hearing held"), default=False)
    complex_extension = models.BooleanField(_("complex case extension"), default=False)
    time_limits = models.JSONField(
        _("time limits applied"), default=list, blank=True,
        help_text=_("Each {name, days, unit, citation, version} of the rules the due date used."),
    )
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"),
                                     on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"))
    due_on = models.DateField(_("review due on"))
    due_provisional = models.BooleanField(
        _("due date provisional"), default=False,
        help_text=_("Computed on a year without an official holiday schedule (R10.3)."),
    )
    status = models.CharField(_("status"), max_length=20, choices=SubmissionStatus.choices,
                              default=SubmissionStatus.PENDING)

    class Meta:
        verbose_name = _("review submission")  # 法制审核送审
        verbose_name_plural = _("review submissions")
        ordering = ["subject", "round"]
        constraints = [
            models.UniqueConstraint(fields=["subject", "round"], name="review_submission_subject_round"),
            models.UniqueConstraint(
                fields=["subject"], condition=Q(status__in=sorted(OPEN_STATUSES)),
                name="review_submission_one_open_per_subject",
                violation_error_message=_("A review of this subject is already under way."),
            ),
            models.CheckConstraint(condition=Q(round__gte=1), name="review_submission_round_positive"),
            models.CheckConstraint(condition=Q(status__in=SubmissionStatus.values),
                                   name="review_submission_status_known"),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="review_submission_queue")]

    def __str__(self) -> str:
        return f"{self.subject} #{self.round} ({self.status})"

    @property
    def unit_code(self) -> str:
        return self.unit_id

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ReviewOpinion(models.Model):
    """The written review opinion (书面审核意见) with one finding per review point (R7.4).

    Never changed once given: a new opinion needs a new round.
    """

    submission = models.OneToOneField(ReviewSubmission, verbose_name=_("submission"),
                                      on_delete=models.PROTECT, related_name="opinion")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewer"),
                                 on_delete=models.PROTECT, related_name="+")
    reviewer_unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("legal unit"), to_field="code", db_column="reviewer_unit_code",
        on_delete=models.PROTECT, related_name="+",
    )
    result = models.CharField(_("result"), max_length=10, choices=OpinionResult.choices)
    findings = models.JSONField(_("findings"),
                                help_text=_("One written finding per review point (seven keys)."))
    text = models.TextField(_("written opinion"))
    given_at = models.DateTimeField(_("given at"))

    class Meta:
        verbose_name = _("review opinion")  # 法制审核意见
        verbose_name_plural = _("review opinions")
        ordering = ["given_at"]
        constraints = [
            models.CheckConstraint(condition=Q(result__in=OpinionResult.values),
                                   name="review_opinion_result_known"),
        ]

    def __str__(self) -> str:
        return f"{self.submission} → {self.result}"


class ReviewEscalation(models.Model):
    """A disagreement with a `problems` opinion, raised by the handling unit and settled by
    the agency head on the record (意见分歧协调) — RULES.md R7.5, DESIGN.md separation of duties.

    Written once when raised and once when settled; never otherwise changed.
    """

    submission = models.OneToOneField(ReviewSubmission, verbose_name=_("submission"),
                                      on_delete=models.PROTECT, related_name="escalation")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("raised by"),
                                  on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"))
    raised_at = models.DateTimeField(_("raised at"))
    settled_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("settled by"),
                                   on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True)
    settlement = models.CharField(_("settlement"), max_length=10, choices=Settlement.choices, blank=True)
    settlement_text = models.TextField(_("settlement text"), blank=True)

    class Meta:
        verbose_name = _("review escalation")  # 审核意见分歧协调
        verbose_name_plural = _("review escalations")
        ordering = ["raised_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(settled_at__isnull=True, settled_by__isnull=True, settlement="")
                           | Q(settled_at__isnull=False, settled_by__isnull=False,
                               settlement__in=Settlement.values)),
                name="review_escalation_settled_completely",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.submission} ⇒ {self.settlement or '…'}"

    @property
    def is_settled(self) -> bool:
        return self.settled_at is not None


class CollectiveDiscussion(models.Model):
    """Collective discussion by the agency heads (负责人集体讨论) — 行政处罚法 第57条, RULES.md R7.7:
    attendees, opinions and conclusion on the record. Never changed once recorded."""

    subject = models.CharField(_("subject"), max_length=100, db_index=True)
    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("handling unit"), to_field="code", db_column="unit_code",
        on_delete=models.PROTECT, related_name="+",
    )
    held_on = models.DateField(_("held on"))
    chaired_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("chaired by"),
                                   on_delete=models.PROTECT, related_name="+")
    attendee_ids = models.JSONField(_("attendees"), default=list, help_text=_("User ids, the chair included."))
    opinions = models.TextField(_("opinions"), blank=True)
    conclusion = models.TextField(_("conclusion"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("collective discussion")  # 集体讨论
        verbose_name_plural = _("collective discussions")
        ordering = ["subject", "held_on", "recorded_at"]

    def __str__(self) -> str:
        return f"{self.subject} {self.held_on}"
