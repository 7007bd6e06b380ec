"""Shared vocabulary of enforcement (执法用语): case kinds, party types, penalty types, flags.

Enum values are lower_snake_case English (API.md); labels are English msgids translated
to Chinese in the zh_Hans catalogue.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseKind(models.TextChoices):
    PENALTY = "penalty", _("Administrative penalty")  # 行政处罚
    COERCION = "coercion", _("Administrative coercion")  # 行政强制
    INSPECTION = "inspection", _("Administrative inspection")  # 行政检查
    PERMIT = "permit", _("Administrative permit")  # 行政许可


class PartyType(models.TextChoices):
    ORGANIZATION = "organization", _("Legal person or other organization")  # 法人及非法人组织
    PERSON = "person", _("Natural person")  # 自然人
    INDIVIDUAL_BUSINESS = "individual_business", _("Individual business")  # 个体工商户


class PenaltyType(models.TextChoices):
    """Penalty types (处罚种类) of API.md, after 行政处罚法 第9条 and the field's laws."""

    WARNING = "warning", _("Warning")  # 警告
    FINE = "fine", _("Fine")  # 罚款
    CONFISCATION = "confiscation", _("Confiscation of illegal gains or property")  # 没收违法所得、没收非法财物
    SUSPEND_LICENSE = "suspend_license", _("Suspension of a licence")  # 暂扣许可证件
    REVOKE_LICENSE = "revoke_license", _("Revocation of a licence")  # 吊销许可证件
    PRODUCTION_SUSPENSION = "production_suspension", _("Order to restrict or suspend production")  # 责令限制生产、停产整治
    CLOSURE = "closure", _("Order to suspend business or close")  # 责令停业、关闭
    DAILY_CONTINUOUS_FINE = "daily_continuous_fine", _("Daily continuous fine")  # 按日连续处罚
    DETENTION_TRANSFER = "detention_transfer", _("Transfer for administrative detention")  # 移送行政拘留


class DecisionKind(models.TextChoices):
    PENALTY = "penalty", _("Penalty decision")  # 行政处罚决定
    PERMIT = "permit", _("Permit decision")  # 行政许可决定
    COERCION = "coercion", _("Coercive measure decision")  # 行政强制决定
    OTHER = "other", _("Other decision")  # 其他执法决定


class CaseFlag(models.TextChoices):
    """Flags a handler sets with a reason; each may make a decision major (RULES.md R7.1)."""

    COMPLEX = "complex", _("Complex case")  # 案情疑难复杂、涉及多个法律关系
    PUBLIC_INTEREST = "public_interest", _("Major public interest")  # 涉及重大公共利益
    SOCIAL_RISK = "social_risk", _("Major social impact or risk")  # 可能造成重大社会影响或引发社会风险
    HEARING_HELD = "hearing_held", _("Hearing held")  # 经过听证程序


class RulePurpose(models.TextChoices):
    """What a decision rule decides."""

    MAJOR = "major", _("Major decision requiring legal review")  # 重大执法决定法制审核目录
    HEARING = "hearing", _("Hearing must be offered")  # 应当告知听证权利
    COLLECTIVE = "collective", _("Collective discussion required")  # 集体讨论


class Field(models.TextChoices):
    """Fields of eco-environment enforcement (执法领域)."""

    AIR = "air", _("Air")  # 大气
    WATER = "water", _("Water")  # 水
    SOLID_WASTE = "solid_waste", _("Solid waste")  # 固体废物
    HAZARDOUS_WASTE = "hazardous_waste", _("Hazardous waste")  # 危险废物
    NOISE = "noise", _("Noise")  # 噪声
    EIA_PERMIT = "eia_permit", _("EIA and discharge permits")  # 环评与排污许可
    RADIATION = "radiation", _("Radiation")  # 辐射
    SOIL = "soil", _("Soil")  # 土壤
