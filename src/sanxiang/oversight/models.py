"""Complaints about enforcement (投诉举报) and supervision notices (督查通报).

The complainant's identity lives in its own table (`Complainant`), never in a ledger payload,
on the portal or in an export; other rows and the ledger refer to it by id. Handling notes
are insert-only (triggers refuse UPDATE and DELETE): the handling record can only grow.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanxiang.oversight.constants import (
    OPEN_COMPLAINT_STATES,
    ComplaintChannel,
    ComplaintStatus,
    RectificationStatus,
)


class Complaint(models.Model):
    """A complaint or report about enforcement (行政执法投诉举报), routed to the unit it concerns."""

    number = models.CharField(_("complaint number"), max_length=20, unique=True)  # 投诉编号
    tracking_digest = models.CharField(max_length=64, unique=True, editable=False)  # 查询码摘要
    unit = models.ForeignKey("accounts.Unit", verbose_name=_("receiving unit"), on_delete=models.PROTECT,
                             related_name="complaints")  # 承办单位
    channel = models.CharField(_("channel"), max_length=10, choices=ComplaintChannel.choices)  # 来源渠道
    anonymous = models.BooleanField(_("anonymous"), default=False)  # 匿名
    officer_certificate = models.CharField(_("officer certificate number"), max_length=32, blank=True)  # 执法证号
    case_reference = models.CharField(_("case or decision number"), max_length=60, blank=True)  # 案号/文号
    facts = models.TextField(_("facts and request"))  # 投诉事实和请求
    received_on = models.DateField(_("received on"))  # 受理日期
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    status = models.CharField(_("status"), max_length=10, choices=ComplaintStatus.choices,
                              default=ComplaintStatus.RECEIVED)
    due_on = models.DateField(_("handle by"))  # 办理期限
    due_provisional = models.BooleanField(_("due date provisional"), default=False)  # 暂定
    time_limit = models.JSONField(_("time limit applied"), default=dict)  # 适用期限规则（版本、依据）
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("handler"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="complaints_handled")  # 承办人
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    reply = models.TextField(_("reply (public)"), blank=True)  # 答复意见（公开）
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("registered by"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")  # 登记人
    cases = models.ManyToManyField("cases.Case", through="ComplaintCaseLink", related_name="complaints",
                                   verbose_name=_("linked cases"))

    class Meta:
        verbose_name = _("complaint")  # 投诉举报
        verbose_name_plural = _("complaints")
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["unit", "status"], name="ovs_complaint_unit_status"),
                   models.Index(fields=["status", "due_on"], name="ovs_complaint_due")]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ComplaintStatus.values),
                                   name="oversight_complaint_status_valid"),
            models.CheckConstraint(condition=Q(channel__in=ComplaintChannel.values),
                                   name="oversight_complaint_channel_valid"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def ref(self) -> str:
        """The ledger subject (台账主体) of the complaint."""
        return f"complaint:{self.pk}"

    def is_overdue(self, today=None) -> bool:
        """Derived: still open after its handling deadline (逾期)."""
        return self.status in OPEN_COMPLAINT_STATES and self.due_on < (today or timezone.localdate())


class Complainant(models.Model):
    """The complainant's identity (投诉人身份信息): personal data, kept apart and shown only to the
    handling staff; never in a ledger payload, on the portal or in an export."""

    complaint = models.OneToOneField(Complaint, on_delete=models.PROTECT, related_name="complainant")
    name = models.CharField(_("name"), max_length=50, blank=True)  # 姓名
    phone = models.CharField(_("phone"), max_length=30, blank=True)  # 联系电话
    id_number = models.CharField(_("ID number"), max_length=18, blank=True)  # 身份证号
    email = models.EmailField(_("e-mail"), max_length=120, blank=True)  # 电子邮箱

    class Meta:
        verbose_name = _("complainant")  # 投诉人
        verbose_name_plural = _("complainants")

    def __str__(self) -> str:
        return f"complainant:{self.pk}"


class ComplaintNote(models.Model):
    """One entry of the handling record (办理记录); insert-only."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("handling note")  # 办理记录
        verbose_name_plural = _("handling notes")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"note:{self.pk}"


class ComplaintCaseLink(models.Model):
    """A case the complaint concerns (关联案件), linked by someone who may see the case."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="case_links")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="complaint_links")
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    linked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("linked case")
        verbose_name_plural = _("linked cases")
        constraints = [models.UniqueConstraint(fields=["complaint", "case"], name="oversight_complaint_case_once")]

    def __str__(self) -> str:
        return f"{self.complaint_id} → {self.case_id}"


class SupervisionNotice(models.Model):
    """A supervision notice (督查通报): findings and the rectification required of units by a date."""

    number = models.CharField(_("notice number"), max_length=20, unique=True)  # 通报编号
    title = models.CharField(_("title"), max_length=200)  # 标题
    findings = models.TextField(_("findings"))  # 督查发现的问题
    required_rectification = models.TextField(_("required rectification"))  # 整改要求
    due_on = models.DateField(_("rectify by"))  # 整改期限
    issuing_unit = models.ForeignKey("accounts.Unit", verbose_name=_("issuing unit"), on_delete=models.PROTECT,
                                     related_name="notices_issued")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.PROTECT,
                                  related_name="+")
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)

    class Meta:
        verbose_name = _("supervision notice")  # 督查通报
        verbose_name_plural = _("supervision notices")
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def ref(self) -> str:
        return f"notice:{self.pk}"


class NoticeRecipient(models.Model):
    """One unit a notice is addressed to, with its rectification status (整改情况)."""

    notice = models.ForeignKey(SupervisionNotice, on_delete=models.PROTECT, related_name="recipients")
    unit = models.ForeignKey("accounts.Unit", verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="notices_received")
    status = models.CharField(_("status"), max_length=10, choices=RectificationStatus.choices,
                              default=RectificationStatus.PENDING)
    round = models.PositiveSmallIntegerField(_("round"), default=0)  # 报送轮次
    report = models.TextField(_("rectification report"), blank=True)  # 最近一次整改报告
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    review_comment = models.TextField(_("review comment"), blank=True)  # 审核意见
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        verbose_name = _("notice recipient")  # 通报对象单位
        verbose_name_plural = _("notice recipients")
        ordering = ["unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["notice", "unit"], name="oversight_notice_unit_once"),
            models.CheckConstraint(condition=Q(status__in=RectificationStatus.values),
                                   name="oversight_recipient_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.notice_id} → {self.unit_id}"

    def is_overdue(self, today=None) -> bool:
        """Derived: not accepted after the notice's due date (逾期未整改)."""
        return (self.status != RectificationStatus.ACCEPTED
                and self.notice.due_on < (today or timezone.localdate()))
from sanxiang.oversight.models_evaluation import *  # noqa: E402,F401,F403
