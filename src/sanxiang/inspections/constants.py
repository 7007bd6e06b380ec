"""Enumerations of random inspections (双随机、一公开). Values equal the plain strings of
``inspections.rules.draw``."""

from django.db import models
from django.utils.translation import gettext_lazy as _

#: The named time limit of the catalog for publishing a result (RULES.md R11.2: 20 WD).
PUBLICATION_TIME_LIMIT = "random_inspection_publication"
#: Officers per on-site inspection: at least two (行政处罚法 第四十二条, RULES.md R5.5).
MIN_INSPECTORS_PER_ENTITY = 2


class RiskLevel(models.TextChoices):
    """Supervision class of a regulated entity (监管类别)."""

    KEY = "key", _("Key")  # 重点排污单位
    SPECIAL = "special", _("Special")  # 特殊监管对象
    GENERAL = "general", _("General")  # 一般排污单位


class Rounding(models.TextChoices):
    """How a ratio times a pool size becomes a whole number of entities."""

    CEIL = "ceil", _("Round up")  # 向上取整
    HALF_UP = "half_up", _("Round half up")  # 四舍五入
    FLOOR = "floor", _("Round down")  # 向下取整


class InspectorScope(models.TextChoices):
    """Which pool inspectors may be drawn for an entity."""

    SUBTREE = "subtree", _("Inspectors of the plan's unit and the units below it")  # 本级及下级
    CROSS = "cross", _("As above, but never of the entity's own district")  # 交叉检查


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")  # 草拟
    ANNOUNCED = "announced", _("Beacon published")  # 已公布随机源
    DRAWN = "drawn", _("Drawn")  # 已抽取


class Outcome(models.TextChoices):
    """Result of one inspection (检查结果)."""

    NO_PROBLEM = "no_problem", _("No problem found")  # 未发现问题
    RECTIFY = "rectify", _("Problem found, ordered to rectify")  # 发现问题，责令整改
    CASE_FILED = "case_filed", _("Violation found, case filed")  # 发现违法行为，已立案查处
    NOT_OPERATING = "not_operating", _("Entity not found or not operating")  # 未发现检查对象/停产
