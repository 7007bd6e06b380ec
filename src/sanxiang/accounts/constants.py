"""Role codes and enumerations of the accounts context (账户)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The seven role codes of API.md ("Roles and units")."""

    OFFICER = "officer", _("Enforcement officer")  # 执法人员
    UNIT_HEAD = "unit_head", _("Unit head")  # 承办机构负责人
    REVIEWER = "reviewer", _("Legal reviewer")  # 法制审核人员
    AGENCY_HEAD = "agency_head", _("Agency head")  # 机关负责人
    PUBLISHER = "publisher", _("Publicity officer")  # 公示管理员
    SUPERVISOR = "supervisor", _("Supervisor")  # 监督考核人员
    ADMIN = "admin", _("Administrator")  # 系统管理员


class UnitKind(models.TextChoices):
    BUREAU = "bureau", _("Bureau")  # 生态环境局
    LEGAL = "legal", _("Legal unit")  # 法制机构
    CORPS = "corps", _("Enforcement corps")  # 执法总队
    DEPARTMENT = "department", _("Department")  # 处室
    TEAM = "team", _("Team")  # 执法大队/中队


class UnitLevel(models.TextChoices):
    CITY = "city", _("City")  # 市级
    DISTRICT = "district", _("District")  # 区级


class CertificateStatus(models.TextChoices):
    """Enforcement certificate (执法证) status as shown to the public."""

    ACTIVE = "active", _("Valid")  # 有效
    SUSPENDED = "suspended", _("Suspended")  # 暂扣
    EXPIRED = "expired", _("Expired")  # 过期
    REVOKED = "revoked", _("Revoked")  # 注销/吊销


CERTIFICATE_NUMBER_PATTERN = r"^[A-Za-z0-9]{6,32}$"
