"""The publication queue (公示队列)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PublicationState(models.TextChoices):
    PENDING = "pending", _("Pending")  # 待公示
    PUBLISHED = "published", _("Published")  # 已公示
    CORRECTED = "corrected", _("Corrected")  # 已更正
    WITHDRAWN = "withdrawn", _("Withdrawn")  # 已撤回
    EXPIRED = "expired", _("Expired")  # 公示期满


class PublicationItem(models.Model):
    """A decision to be published (待公示事项), due within the time limit of its kind.

    Created by the deciding service ("publication follows the decision"); the unit that
    decided is the one that publishes (谁执法谁公示).
    """

    subject = models.CharField(_("subject"), max_length=100, unique=True)
    unit_code = models.CharField(_("deciding unit"), max_length=40, db_index=True)
    decision_kind = models.CharField(_("decision kind"), max_length=20)
    title = models.CharField(_("title"), max_length=200)
    decided_on = models.DateField(_("decided on"))
    due_on = models.DateField(_("due on"))
    provisional = models.BooleanField(_("due date provisional"), default=False)
    time_limit = models.JSONField(_("time limit applied"), default=dict)
    state = models.CharField(_("state"), max_length=20, choices=PublicationState.choices,
                             default=PublicationState.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("publication item")
        verbose_name_plural = _("publication items")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["state", "due_on"], name="disclosure_item_state_due")]

    def __str__(self) -> str:
        return self.title
from sanxiang.disclosure.models_log import PublicLogLeaf  # noqa: E402,F401
