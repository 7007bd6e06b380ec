"""Loads every year the pinned chinese-calendar package knows (1.11.0: 2004–2026) as official.

Later package versions are loaded with `sanxiang calendar load`; this migration only seeds.
"""

from django.db import migrations
from django.utils import timezone


def load(apps, schema_editor):
    from sanxiang.calendar import seed

    HolidayYear = apps.get_model("calendar", "HolidayYear")
    CalendarDay = apps.get_model("calendar", "CalendarDay")
    db = schema_editor.connection.alias
    now = timezone.now()
    existing_years = set(HolidayYear.objects.using(db).values_list("year", flat=True))
    HolidayYear.objects.using(db).bulk_create(
        HolidayYear(year=y, official=True, source=seed.SOURCE, note=seed.CITATION, loaded_at=now)
        for y in seed.years()
        if y not in existing_years
    )
    existing_days = set(CalendarDay.objects.using(db).values_list("date", flat=True))
    CalendarDay.objects.using(db).bulk_create(
        (
            CalendarDay(
                date=d.date,
                kind=d.kind,
                name=d.name,
                source="chinese_calendar",
                year_id=d.date.year,
            )
            for d in seed.days()
            if d.date not in existing_days
        ),
        batch_size=500,
    )


def unload(apps, schema_editor):
    from sanxiang.calendar import seed

    HolidayYear = apps.get_model("calendar", "HolidayYear")
    CalendarDay = apps.get_model("calendar", "CalendarDay")
    db = schema_editor.connection.alias
    CalendarDay.objects.using(db).filter(source="chinese_calendar").delete()
    HolidayYear.objects.using(db).filter(source=seed.SOURCE, days__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("calendar", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load, unload, elidable=False),
    ]
