"""Holiday schedule per year (年度放假安排) and its listed days. Edited through `services`."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from sanxiang.calendar.constants import DayKind, DaySource


class HolidayYear(models.Model):
    """The holiday schedule of one year (年度节假日安排).

    ``official`` means the listed days are the complete official schedule of the State
    Council notice: unlisted Monday–Friday days are working days, unlisted weekends rest.
    A year that is missing or not official is computed provisionally (暂定) on weekends plus
    the fixed-date holidays of 《全国年节及纪念日放假办法》第二条, plus any rows listed so far.
    """

    year = models.PositiveSmallIntegerField(
        "年份",
        primary_key=True,
        validators=[MinValueValidator(1), MaxValueValidator(9999)],
    )
    official = models.BooleanField(
        "正式数据",
        default=False,
        help_text="已按国务院办公厅放假安排通知核对，所列日期即全年完整安排；否则该年计算结果为暂定。",
    )
    source = models.CharField(
        "数据来源/依据",
        max_length=200,
        blank=True,
        help_text="例如 chinese-calendar 1.11.0，或通知标题。",
    )
    notice = models.CharField(
        "通知文号",
        max_length=100,
        blank=True,
        help_text="国务院办公厅放假安排通知的文号，例如 国办发明电〔2025〕7号。",
    )
    loaded_at = models.DateTimeField("载入时间", null=True, blank=True)
    note = models.TextField("备注", blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "年度放假安排"
        verbose_name_plural = "年度放假安排"
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year__gte=1, year__lte=9999),
                name="calendar_holidayyear_year_range",
                violation_error_message="年份应在 1–9999 之间。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年（{'正式' if self.official else '暂定'}）"


class CalendarDay(models.Model):
    """A listed day of a year's schedule: a holiday (放假) or an adjusted workday (调休上班).

    Days not listed follow the week: Monday–Friday work, Saturday/Sunday rest.
    """

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=16, choices=DayKind.choices)
    name = models.CharField("节日名称", max_length=100, blank=True, help_text="例如 国庆节。")
    source = models.CharField(
        "来源", max_length=32, choices=DaySource.choices, default=DaySource.ADMIN
    )
    year = models.ForeignKey(
        HolidayYear,
        verbose_name="年度",
        on_delete=models.CASCADE,
        related_name="days",
        db_column="year",
    )
    note = models.CharField("备注", max_length=200, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "节假日/调休日"
        verbose_name_plural = "节假日/调休日"
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=DayKind.values),
                name="calendar_calendarday_kind_valid",
                violation_error_message="类型只能是放假或调休上班。",
            ),
            models.CheckConstraint(
                condition=models.Q(source__in=DaySource.values),
                name="calendar_calendarday_source_valid",
            ),
        ]
        indexes = [models.Index(fields=["year", "kind"], name="calendar_day_year_kind")]

    def __str__(self) -> str:
        label = "放假" if self.kind == DayKind.HOLIDAY else "调休上班"
        return f"{self.date.isoformat()} {self.name or ''}{label}"

    def clean(self) -> None:
        super().clean()
        if self.date and self.year_id and self.date.year != self.year_id:
            raise ValidationError(
                {"date": f"日期 {self.date.isoformat()} 不属于 {self.year_id} 年。"}
            )
