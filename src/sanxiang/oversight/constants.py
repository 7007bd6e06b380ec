"""Enumerations of the oversight context (考核监督): complaints and supervision notices."""

from django.db import models
from django.utils.translation import gettext_lazy as _

#: The time limit (catalog ``TimeLimitRule.code``) a complaint is handled within.
COMPLAINT_TIME_LIMIT = "complaint_handling"


class ComplaintStatus(models.TextChoices):
    """Where a complaint (投诉举报) stands."""

    RECEIVED = "received", _("Received")  # 已受理，待分派
    HANDLING = "handling", _("Being handled")  # 办理中
    REPLIED = "replied", _("Replied")  # 已答复
    CLOSED = "closed", _("Closed")  # 已办结


OPEN_COMPLAINT_STATES = (ComplaintStatus.RECEIVED, ComplaintStatus.HANDLING)
"""States in which the handling deadline runs (a complaint is overdue only in these)."""


class ComplaintChannel(models.TextChoices):
    """How the complaint reached the bureau (来源渠道)."""

    PORTAL = "portal", _("Public portal")  # 网上投诉
    PHONE = "phone", _("Phone")  # 电话
    LETTER = "letter", _("Letter")  # 来信
    VISIT = "visit", _("Visit")  # 来访
    EMAIL = "email", _("E-mail")  # 电子邮件


STAFF_CHANNELS = [c for c in ComplaintChannel.choices if c[0] != ComplaintChannel.PORTAL]


class RectificationStatus(models.TextChoices):
    """Where one unit stands on a supervision notice (督查通报整改情况)."""

    PENDING = "pending", _("Rectification pending")  # 待整改
    SUBMITTED = "submitted", _("Report submitted")  # 已报送整改报告
    ACCEPTED = "accepted", _("Accepted")  # 已验收
    RETURNED = "returned", _("Returned for more work")  # 退回重报


OPEN_RECTIFICATION_STATES = (RectificationStatus.PENDING, RectificationStatus.RETURNED,
                             RectificationStatus.SUBMITTED)
