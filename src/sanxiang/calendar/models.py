"""Holiday schedule per year (年度放假安排) and its listed days. Edited through `services`."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sanxiang.calendar.constants import DayKind, DaySource


class HolidayYear(models.Model):
    """The holiday schedule of one year (年度节假日安排).

    ``official`` means the listed days are the complete official schedule of the State
    Council notice: unlisted Monday–Friday days are working days, unlisted weekends rest.
    A year that is missing or not official is computed provisionally (暂定) on weekends plus
    the fixed-date holidays of 《全国年节及纪念日放假办法》第二条, plus any rows listed so far.
    """

    year = models.PositiveSmallIntegerField(
        _("year"),  # 年份
        primary_key=True,
        validators=[MinValueValidator(1), MaxValueValidator(9999)],
    )
    official = models.BooleanField(
        _("official data"),  # 正式数据
        default=False,
        help_text=_(
            "Checked against the holiday notice of the General Office of the State Council: "
            "the listed days are the complete schedule of the year. Otherwise the results "
            "for the year are provisional."
        ),
    )
    source = models.CharField(
        _("data source / basis"),  # 数据来源/依据
        max_length=200,
        blank=True,
        help_text=_("For example chinese-calendar 1.11.0, or the title of the notice."),
    )
    notice = models.CharField(
        _("notice number"),  # 通知文号
        max_length=100,
        blank=True,
        help_text=_(
            "Document number of the holiday notice of the General Office of the State "
            "Council, for example 国办发明电〔2025〕7号."
        ),
    )
    loaded_at = models.DateTimeField(_("loaded at"), null=True, blank=True)  # 载入时间
    note = models.TextField(_("note"), blank=True)  # 备注
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)  # 更新时间

    class Meta:
        verbose_name = _("yearly holiday schedule")  # 年度放假安排
        verbose_name_plural = _("yearly holiday schedules")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year__gte=1, year__lte=9999),
                name="calendar_holidayyear_year_range",
                violation_error_message=_("The year must be between 1 and 9999."),
            ),
        ]

    def __str__(self) -> str:
        if self.official:
            return gettext("%(year)s (official)") % {"year": self.year}  # 2026年（正式）
        return gettext("%(year)s (provisional)") % {"year": self.year}  # 2026年（暂定）


class CalendarDay(models.Model):
    """A listed day of a year's schedule: a holiday (放假) or an adjusted workday (调休上班).

    Days not listed follow the week: Monday–Friday work, Saturday/Sunday rest.
    """

    date = models.DateField(_("date"), unique=True)  # 日期
    kind = models.CharField(_("kind"), max_length=16, choices=DayKind.choices)  # 类型
    name = models.CharField(
        _("holiday name"),  # 节日名称
        max_length=100,
        blank=True,
        help_text=_("For example 国庆节 (National Day)."),
    )
    source = models.CharField(  # 来源
        _("source"), max_length=32, choices=DaySource.choices, default=DaySource.ADMIN
    )
    year = models.ForeignKey(
        HolidayYear,
        verbose_name=_("schedule year"),  # 年度
        on_delete=models.CASCADE,
        related_name="days",
        db_column="year",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)  # 备注
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)  # 更新时间

    class Meta:
        verbose_name = _("holiday or adjusted workday")  # 节假日/调休日
        verbose_name_plural = _("holidays and adjusted workdays")
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=DayKind.values),
                name="calendar_calendarday_kind_valid",
                violation_error_message=_(
                    "The kind must be holiday (day off) or adjusted workday."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(source__in=DaySource.values),
                name="calendar_calendarday_source_valid",
            ),
        ]
        indexes = [models.Index(fields=["year", "kind"], name="calendar_day_year_kind")]

    def __str__(self) -> str:
        params = {"date": self.date.isoformat(), "name": self.name}
        if self.kind == DayKind.HOLIDAY:  # 放假
            if self.name:
                return gettext("%(date)s %(name)s day off") % params
            return gettext("%(date)s day off") % params
        if self.name:  # 调休上班
            return gettext("%(date)s %(name)s adjusted workday") % params
        return gettext("%(date)s adjusted workday") % params

    def clean(self) -> None:
        super().clean()
        if self.date and self.year_id and self.date.year != self.year_id:
            raise ValidationError(
                {
                    "date": ValidationError(
                        _("The date %(date)s is not in the year %(year)s."),
                        code="date_outside_year",
                        params={"date": self.date.isoformat(), "year": self.year_id},
                    )
                }
            )
