"""On-site acts (执法活动) and the officers who took part."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanxiang.cases.constants import ActivityKind


class Activity(models.Model):
    """An act of enforcement (现场检查、询问、查封扣押…) with the officers present."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(_("kind"), max_length=30, choices=ActivityKind.choices)
    occurred_at = models.DateTimeField(_("occurred at"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    participants = models.JSONField(_("other persons present"), default=list, blank=True)
    av_required = models.BooleanField(_("audio-video record required"), default=False)
    complete = models.BooleanField(_("complete"), default=False)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["occurred_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_at:%Y-%m-%d %H:%M}"

    @property
    def ref(self) -> str:
        return f"activity:{self.pk}"


class ActivityOfficer(models.Model):
    """An officer present at an activity, with the certificate as it stood on the day."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="officers")
    officer = models.ForeignKey("accounts.Officer", on_delete=models.PROTECT, related_name="activities")
    certificate_number = models.CharField(_("certificate number"), max_length=32)

    class Meta:
        verbose_name = _("officer present")
        verbose_name_plural = _("officers present")
        constraints = [models.UniqueConstraint(fields=["activity", "officer"], name="cases_activityofficer_unique")]

    def __str__(self) -> str:
        return self.certificate_number
