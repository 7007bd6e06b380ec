"""Enumerations of the cases context (执法案件)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    """Case stages (案件阶段), API.md "Cases"."""

    REGISTERED = "registered", _("Registered")  # 立案
    INVESTIGATING = "investigating", _("Investigating")  # 调查取证
    EXAMINING = "examining", _("Examining")  # 案件审查
    NOTIFIED = "notified", _("Notified")  # 告知
    HEARING = "hearing", _("Hearing")  # 听证
    LEGAL_REVIEW = "legal_review", _("Legal review")  # 法制审核
    COLLECTIVE_DISCUSSION = "collective_discussion", _("Collective discussion")  # 集体讨论
    DECIDED = "decided", _("Decided")  # 决定
    SERVED = "served", _("Served")  # 送达
    EXECUTING = "executing", _("Executing")  # 执行
    CLOSED = "closed", _("Closed")  # 结案
    ARCHIVED = "archived", _("Archived")  # 归档
    NOT_PUNISHED = "not_punished", _("Not punished")  # 不予处罚
    WITHDRAWN = "withdrawn", _("Filing withdrawn")  # 撤销立案
    TRANSFERRED = "transferred", _("Transferred")  # 移送


class ActivityKind(models.TextChoices):
    """On-site and procedural acts (执法活动), API.md "Activities and evidence"."""

    INSPECTION = "inspection", _("On-site inspection")  # 现场检查
    INTERVIEW = "interview", _("Interview")  # 调查询问
    EVIDENCE_COLLECTION = "evidence_collection", _("Evidence collection")  # 调取证据
    SAMPLING = "sampling", _("Sampling")  # 采样
    SEIZURE = "seizure", _("Seizure")  # 查封扣押
    PRODUCTION_RESTRICTION = "production_restriction", _("Production restriction or suspension")  # 限产停产
    CLOSURE = "closure", _("Closure")  # 停业关闭
    HEARING = "hearing", _("Hearing")  # 听证
    SERVICE = "service", _("Service of documents")  # 送达


class PartyResponseKind(models.TextChoices):
    STATEMENT = "statement", _("Statement and defence")  # 陈述申辩
    WAIVER = "waiver", _("Waiver of statement and defence")  # 放弃陈述申辩
    HEARING_REQUEST = "hearing_request", _("Hearing request")  # 申请听证
    HEARING_WAIVER = "hearing_waiver", _("Hearing waiver")  # 放弃听证


class ParticipantRole(models.TextChoices):
    PARTY_STAFF = "party_staff", _("Party's staff")  # 当事人工作人员
    WITNESS = "witness", _("Witness")  # 见证人
    INTERVIEWEE = "interviewee", _("Interviewee")  # 被询问人
    AGENT = "agent", _("Agent")  # 委托代理人
    OTHER = "other", _("Other")  # 其他
