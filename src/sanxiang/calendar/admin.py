"""Admin of the holiday schedule (节假日安排管理): every write goes through `services`."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from sanxiang.calendar import services
from sanxiang.calendar.models import CalendarDay, HolidayYear

_WEEKDAYS = (  # 一二三四五六日
    pgettext_lazy("one-character weekday", "Mon"),
    pgettext_lazy("one-character weekday", "Tue"),
    pgettext_lazy("one-character weekday", "Wed"),
    pgettext_lazy("one-character weekday", "Thu"),
    pgettext_lazy("one-character weekday", "Fri"),
    pgettext_lazy("one-character weekday", "Sat"),
    pgettext_lazy("one-character weekday", "Sun"),
)


class CalendarDayInline(admin.TabularInline):
    """The listed days of one year: add, change or remove holidays and 调休 workdays."""

    model = CalendarDay
    fields = ("date", "kind", "name", "note", "source")
    readonly_fields = ("source",)
    extra = 1
    ordering = ("date",)


@admin.register(HolidayYear)
class HolidayYearAdmin(admin.ModelAdmin):
    list_display = ("year", "official", "source", "notice", "day_count", "loaded_at", "updated_at")
    list_filter = ("official", "source")
    search_fields = ("=year", "notice", "source", "note")
    fields = ("year", "official", "source", "notice", "note", "loaded_at", "updated_at")
    readonly_fields = ("loaded_at", "updated_at")
    inlines = (CalendarDayInline,)
    actions = ("mark_official", "mark_provisional")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_day_count=Count("days"))

    @admin.display(description=_("number of listed days"), ordering="_day_count")  # 所列日期数
    def day_count(self, obj: HolidayYear) -> int:
        return obj._day_count

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        return ("year", *fields) if obj is not None else fields

    def save_model(self, request, obj, form, change):
        saved = services.calendar_year_mark_official(
            year=obj.year,
            official=obj.official,
            source=obj.source,
            notice=obj.notice,
            note=obj.note,
        )
        obj.pk, obj.updated_at = saved.pk, saved.updated_at

    def save_formset(self, request, form, formset, change):
        if formset.model is not CalendarDay:
            super().save_formset(request, form, formset, change)
            return
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        with transaction.atomic():
            for f in formset.deleted_forms:
                if f.instance.pk:
                    services.calendar_day_delete(day=f.instance.date)
                    formset.deleted_objects.append(f.instance)
            for f in formset.forms:
                if f in formset.deleted_forms or not f.has_changed() or not f.cleaned_data:
                    continue
                data = f.cleaned_data
                is_new = f.instance.pk is None
                if not is_new and "date" in f.changed_data:
                    old = CalendarDay.objects.get(pk=f.instance.pk).date
                    services.calendar_day_delete(day=old)
                saved = services.calendar_day_set(
                    day=data["date"], kind=data["kind"], name=data["name"], note=data["note"]
                )
                if is_new:
                    formset.new_objects.append(saved)
                else:
                    formset.changed_objects.append((saved, f.changed_data))

    def delete_model(self, request, obj):
        services.calendar_year_delete(year=obj.year)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for year in list(queryset.values_list("year", flat=True)):
                services.calendar_year_delete(year=year)

    @admin.action(description=_("Mark as official data"))  # 标记为正式数据
    def mark_official(self, request, queryset):
        self._mark(request, queryset, official=True)

    @admin.action(description=_("Mark as provisional (not official)"))  # 标记为暂定
    def mark_provisional(self, request, queryset):
        self._mark(request, queryset, official=False)

    def _mark(self, request, queryset, *, official: bool) -> None:
        years = list(queryset.values_list("year", flat=True))
        with transaction.atomic():
            for year in years:
                services.calendar_year_mark_official(year=year, official=official)
        if official:
            message = ngettext(
                "Marked %(count)d year as official.",
                "Marked %(count)d years as official.",
                len(years),
            )
        else:
            message = ngettext(
                "Marked %(count)d year as provisional.",
                "Marked %(count)d years as provisional.",
                len(years),
            )
        self.message_user(request, message % {"count": len(years)}, messages.SUCCESS)


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "weekday", "kind", "name", "source", "year", "year_official")
    list_filter = ("kind", "source", "year__official", "year")
    search_fields = ("name", "note")
    date_hierarchy = "date"
    fields = ("date", "kind", "name", "note", "source", "year")
    readonly_fields = ("source", "year")
    list_select_related = ("year",)

    @admin.display(description=_("weekday"))  # 星期
    def weekday(self, obj: CalendarDay) -> str:
        return str(_WEEKDAYS[obj.date.weekday()])

    @admin.display(description=_("official data"), boolean=True)  # 正式数据
    def year_official(self, obj: CalendarDay) -> bool:
        return obj.year.official

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        return ("date", *fields) if obj is not None else fields

    def save_model(self, request, obj, form, change):
        saved = services.calendar_day_set(day=obj.date, kind=obj.kind, name=obj.name, note=obj.note)
        obj.pk, obj.year, obj.source = saved.pk, saved.year, saved.source

    def delete_model(self, request, obj):
        services.calendar_day_delete(day=obj.date)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for day in list(queryset.values_list("date", flat=True)):
                services.calendar_day_delete(day=day)
