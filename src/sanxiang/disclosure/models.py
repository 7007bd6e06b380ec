"""The publication queue (公示队列)."""

from __future__ import annotations

import json

from django.db import models
from django.utils.translation import gettext_lazy as _


class PublicationState(models.TextChoices):
    PENDING = "pending", _("Pending")  # 待公示
    PUBLISHED = "published", _("Published")  # 已公示
    CORRECTED = "corrected", _("Corrected")  # 已更正
    WITHDRAWN = "withdrawn", _("Withdrawn")  # 已撤回
    EXPIRED = "expired", _("Expired")  # 公示期满


class DisplayClass(models.TextChoices):
    """Credit-platform display class (信用信息分类), RULES.md R2.9.3."""

    MINOR = "minor", _("Minor")  # 轻微
    GENERAL = "general", _("General")  # 一般
    SERIOUS = "serious", _("Serious")  # 严重


class WithdrawalEvent(models.TextChoices):
    """Why a published decision must be withdrawn (RULES.md R2.5: APL 第48条, GD-GS 第24条)."""

    CHANGED = "changed", _("Decision changed")  # 变更
    REVOKED = "revoked", _("Decision revoked")  # 撤销
    FOUND_UNLAWFUL = "found_unlawful", _("Decision found unlawful")  # 确认违法
    FOUND_INVALID = "found_invalid", _("Decision found invalid")  # 确认无效
    PUBLISHED_IN_ERROR = "published_in_error", _("Should not have been published")  # 不应公开而公开


#: States in which a decision is on the portal (while in its display period).
LIVE_STATES = (PublicationState.PUBLISHED, PublicationState.CORRECTED)
#: States of a decision that was published and no longer is.
GONE_STATES = (PublicationState.WITHDRAWN, PublicationState.EXPIRED)


#: Indexes of `PublicationItem` the public search walks by name (`selectors_search._walked`).
PARTY_INDEX = "disclosure_item_state_party"
ORDER_INDEX = "disclosure_item_order"
UNIT_ORDER_INDEX = "disclosure_item_unit_order"


class PublicationItem(models.Model):
    """A decision to be published (待公示事项), due within the time limit of its kind.

    Created by the deciding service ("publication follows the decision") with a snapshot of
    the decision (`source`) and of every personal value the case holds (`known_values`) —
    both private, staff only; the unit that decided is the one that publishes (谁执法谁公示).
    Publishing stores the exact public record (`public_record`, canonical JSON text: the
    bytes hashed into `record_sha256`, committed in the public log at `log_index` and served
    as they are); every published or corrected version is kept in `PublicationVersion`.
    `overdue` is derived (`selectors.overdue_q`): pending past `due_on`, or a required
    withdrawal past `withdrawal_due_on`; the sweep stamps `overdue_since` /
    `withdrawal_overdue_since` the first time it sees either.
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
    # The snapshot handed over by the deciding context (private).
    source = models.JSONField(_("decision data"), default=dict, blank=True,
                              help_text=_("Structured decision data the public record is built from (staff only)."))
    known_values = models.JSONField(_("personal values of the case"), default=list, blank=True,
                                    help_text=_("Every personal value the case holds, for redaction (staff only)."))
    manual_redactions = models.JSONField(_("manual redactions"), default=list, blank=True)
    redaction_report = models.JSONField(_("redaction report"), default=dict, blank=True)
    # What the public sees.
    public_id = models.CharField(_("public id"), max_length=40, unique=True, null=True, blank=True)
    public_record = models.TextField(_("public record (canonical JSON)"), blank=True,
                                     help_text=_("The exact bytes hashed, committed in the public log and served."))
    public_text = models.TextField(_("public record text (search)"), blank=True)
    # Columns of the public record kept beside it for the portal's filters, entity pages and
    # statistics (set with the record by `services._commit_record`; public values only).
    party_name = models.CharField(_("party as published"), max_length=200, blank=True)
    party_code = models.CharField(_("party's credit code"), max_length=40, blank=True,
                                  help_text=_("Unified social credit code of an organisation party; "
                                              "blank for natural persons."))
    penalty_codes = models.CharField(_("penalty types"), max_length=300, blank=True,
                                     help_text=_("Comma-delimited penalty type codes, e.g. ',fine,warning,'."))
    fine_amount = models.DecimalField(_("fine (yuan)"), max_digits=16, decimal_places=2, null=True, blank=True)
    record_sha256 = models.CharField(_("record SHA-256"), max_length=64, blank=True)
    log_index = models.PositiveBigIntegerField(_("public log leaf of the record"), null=True, blank=True)
    version = models.PositiveIntegerField(_("published version"), default=0)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    changed_at = models.DateTimeField(_("last published, corrected, withdrawn or ended at"), null=True,
                                      blank=True, db_index=True)
    # Display period (信用公示期, RULES.md R2.9).
    display_class = models.CharField(_("display class"), max_length=20, choices=DisplayClass.choices,
                                     blank=True)
    display_period = models.JSONField(_("display period applied"), default=dict, blank=True)
    min_until = models.DateField(_("minimum display period ends"), null=True, blank=True)
    expires_on = models.DateField(_("display period ends"), null=True, blank=True,
                                  help_text=_("First day the decision is no longer displayed."))
    # Withdrawal (撤回, RULES.md R2.5) and the end of display.
    withdrawal_event = models.CharField(_("withdrawal required because"), max_length=30,
                                        choices=WithdrawalEvent.choices, blank=True)
    withdrawal_event_on = models.DateField(_("event date"), null=True, blank=True)
    withdrawal_due_on = models.DateField(_("withdrawal due on"), null=True, blank=True)
    withdrawal_due_provisional = models.BooleanField(_("withdrawal due date provisional"), default=False)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("withdrawal reason (public)"), blank=True)
    ended_at = models.DateTimeField(_("display ended at"), null=True, blank=True)
    ended_early = models.BooleanField(_("ended before the maximum period"), default=False)
    end_log_index = models.PositiveBigIntegerField(_("public log leaf of the withdrawal or end"), null=True,
                                                   blank=True)
    overdue_since = models.DateField(_("publication overdue since"), null=True, blank=True)
    withdrawal_overdue_since = models.DateField(_("withdrawal overdue since"), null=True, blank=True)

    class Meta:
        verbose_name = _("publication item")
        verbose_name_plural = _("publication items")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["state", "due_on"], name="disclosure_item_state_due"),
            models.Index(fields=["state", "expires_on"], name="disclosure_item_state_exp"),
            models.Index(fields=["state", "decided_on"], name="disclosure_item_state_dec"),
            models.Index(fields=["state", "party_code", "decided_on"], name=PARTY_INDEX),
            # The public search's default order: a page of a common text is found by walking it.
            models.Index(fields=["-decided_on", "-published_at", "-id"], name=ORDER_INDEX),
            # The same order within a unit: a district's decisions (the portal's unit filter,
            # the commonest narrowing) are walked and counted within the unit's rows alone.
            models.Index(fields=["unit_code", "-decided_on", "-published_at", "-id"], name=UNIT_ORDER_INDEX),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state="pending") | (models.Q(public_id__isnull=False)
                                                       & models.Q(log_index__isnull=False)),
                name="disclosure_item_published_has_public_id",
                violation_error_message=_("A published item has a public id and a log index.")),
            models.CheckConstraint(
                condition=~models.Q(state="withdrawn") | (models.Q(withdrawn_at__isnull=False)
                                                          & ~models.Q(withdrawal_reason="")),
                name="disclosure_item_withdrawn_has_reason",
                violation_error_message=_("A withdrawn item has its time and its public reason.")),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def record(self) -> dict | None:
        """The public record as data (None before the first publication)."""
        return json.loads(self.public_record) if self.public_record else None

    @property
    def live(self) -> bool:
        return self.state in LIVE_STATES


class PublicationVersion(models.Model):
    """One published version of a decision (公示版本): the first publication and each correction.

    Insert-only (database triggers, migration 0003): the history of what the public was shown,
    with the SHA-256 of each record and the public-log leaf that committed it.
    """

    item = models.ForeignKey(PublicationItem, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    action = models.CharField(_("action"), max_length=20)  # publish | correct
    record = models.TextField(_("public record (canonical JSON)"))
    record_sha256 = models.CharField(_("record SHA-256"), max_length=64)
    log_index = models.PositiveBigIntegerField(_("public log leaf"))
    reason = models.TextField(_("reason"), blank=True)
    actor = models.CharField(_("actor"), max_length=100)
    created_at = models.DateTimeField(_("published at"))

    class Meta:
        verbose_name = _("publication version")
        verbose_name_plural = _("publication versions")
        ordering = ["item", "number"]
        constraints = [models.UniqueConstraint(fields=["item", "number"], name="disclosure_version_unique")]

    def __str__(self) -> str:
        return f"{self.item_id} v{self.number}"


class SearchTrigram(models.Model):
    """How many live decisions hold a three-character substring (检索三字组统计): statistics of
    the public search, as a database planner keeps statistics of its columns.

    Estimated from a sample of the newest live decisions by `search.refresh_statistics`
    (`sanxiang db optimize`, run by cron) and replaced whole each time; only the trigrams held
    by at least `search.PROBE_LIMIT` decisions are kept. They only choose how a search runs
    (`selectors_search`: a text whose trigrams are all common may be common itself), never what
    it finds: derived data, not a record of the bureau's acts.
    """

    trigram = models.CharField(_("trigram"), max_length=3, primary_key=True)
    share = models.FloatField(_("share of sampled decisions holding it"))
    decisions = models.PositiveIntegerField(_("estimated live decisions holding it"))

    class Meta:
        verbose_name = _("search trigram statistic")
        verbose_name_plural = _("search trigram statistics")

    def __str__(self) -> str:
        return f"{self.trigram} {self.share:.4f}"


from sanxiang.disclosure.models_log import PublicLogLeaf  # noqa: E402,F401
