"""Choices of the calendar app (工作日历)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from sanxiang.calendar import seed
from sanxiang.calendar.rules import workdays as rules


class DayKind(models.TextChoices):
    """Kind of a listed day."""

    HOLIDAY = seed.HOLIDAY, _("Holiday (day off)")  # 放假（节假日）
    WORKDAY = seed.WORKDAY, _("Adjusted workday (make-up working day)")  # 调休上班


class DaySource(models.TextChoices):
    """Where a listed day comes from."""

    CHINESE_CALENDAR = "chinese_calendar", _("chinese-calendar package")
    ADMIN = "admin", _("Entered by an administrator")  # 管理员录入


HOL_CITATION = rules.HOL_CITATION
