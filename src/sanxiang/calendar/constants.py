"""Choices of the calendar app (工作日历)."""

from django.db import models

from sanxiang.calendar import seed
from sanxiang.calendar.rules import workdays as rules


class DayKind(models.TextChoices):
    """Kind of a listed day."""

    HOLIDAY = seed.HOLIDAY, "放假（节假日）"
    WORKDAY = seed.WORKDAY, "调休上班（调整后的工作日）"


class DaySource(models.TextChoices):
    """Where a listed day comes from."""

    CHINESE_CALENDAR = "chinese_calendar", "chinese-calendar 软件包"
    ADMIN = "admin", "管理员录入"


HOL_CITATION = rules.HOL_CITATION
