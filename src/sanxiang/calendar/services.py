"""Writes to the holiday schedule (节假日安排维护). Keyword-only, one transaction each.

Every service clears the per-process calendar cache once its transaction commits; other
processes notice the change through the fingerprint check in `selectors.current_calendar`.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from sanxiang.calendar import seed
from sanxiang.calendar.constants import DayKind, DaySource
from sanxiang.calendar.models import CalendarDay, HolidayYear
from sanxiang.calendar.selectors import invalidate_calendar_cache
from sanxiang.core.errors import InvalidInput

__all__ = [
    "LoadReport",
    "calendar_day_delete",
    "calendar_day_set",
    "calendar_year_delete",
    "calendar_year_load_package",
    "calendar_year_mark_official",
]


def _changed() -> None:
    invalidate_calendar_cache()
    transaction.on_commit(invalidate_calendar_cache)


def _year_row(year: int) -> HolidayYear:
    if not 1 <= year <= 9999:
        raise InvalidInput(
            "year_out_of_range",
            gettext("The year must be between 1 and 9999."),  # 年份应在 1–9999 之间。
            field="year",
            year=year,
        )
    row, _ = HolidayYear.objects.select_for_update().get_or_create(pk=year)
    return row


@transaction.atomic
def calendar_day_set(
    *,
    day: _dt.date,
    kind: str,
    name: str = "",
    note: str = "",
    source: str = DaySource.ADMIN,
) -> CalendarDay:
    """Lists ``day`` as a holiday (放假) or an adjusted workday (调休上班), creating the year
    (not official) when missing; replaces an existing row for that date."""
    if kind not in DayKind.values:
        raise InvalidInput(
            "calendar_day_kind_invalid",
            gettext("Unknown day kind: %(kind)s") % {"kind": kind},  # 未知的日期类型
            field="kind",
        )
    if source not in DaySource.values:
        raise InvalidInput(
            "calendar_day_source_invalid",
            gettext("Unknown source: %(source)s") % {"source": source},  # 未知的来源
            field="source",
        )
    if isinstance(day, _dt.datetime):
        day = day.date()
    year = _year_row(day.year)
    row = CalendarDay.objects.select_for_update().filter(date=day).first() or CalendarDay(date=day)
    row.kind, row.name, row.note, row.source, row.year = kind, name, note, source, year
    row.full_clean()
    row.save()
    _changed()
    return row


@transaction.atomic
def calendar_day_delete(*, day: _dt.date) -> bool:
    """Removes the listed row of ``day`` (the day then follows the week). True if one existed."""
    if isinstance(day, _dt.datetime):
        day = day.date()
    deleted, _ = CalendarDay.objects.filter(date=day).delete()
    if deleted:
        _changed()
    return bool(deleted)


@transaction.atomic
def calendar_year_mark_official(
    *,
    year: int,
    official: bool = True,
    source: str | None = None,
    notice: str | None = None,
    note: str | None = None,
) -> HolidayYear:
    """Marks ``year``'s schedule official (正式) — or back to provisional with
    ``official=False``. Fields given as None are left unchanged."""
    row = _year_row(year)
    row.official = official
    if source is not None:
        row.source = source
    if notice is not None:
        row.notice = notice
    if note is not None:
        row.note = note
    row.full_clean()
    row.save()
    _changed()
    return row


@transaction.atomic
def calendar_year_delete(*, year: int) -> bool:
    """Deletes ``year``'s schedule and its listed days; the year then computes provisionally
    on the fallback. True if it existed."""
    deleted, _ = HolidayYear.objects.filter(pk=year).delete()
    if deleted:
        _changed()
    return bool(deleted)


@dataclass(frozen=True)
class LoadReport:
    """What `calendar_year_load_package` did for one year."""

    year: int
    created: int
    updated: int
    removed: int
    kept_admin: tuple[_dt.date, ...]


@transaction.atomic
def calendar_year_load_package(*, year: int | None = None) -> list[LoadReport]:
    """Loads the ``chinese-calendar`` schedule of ``year`` (or of every year it knows) and
    marks those years official with source ``seed.SOURCE``.

    Rows an admin entered (source ``admin``) are overrides and are kept; package rows of
    the year that the package no longer lists are removed. Raises `InvalidInput` when the
    package has no data for ``year``.
    """
    known = seed.years()
    if year is not None and year not in known:
        raise InvalidInput(
            "calendar_year_unknown_to_package",
            gettext("%(source)s has no data for %(year)s (it covers %(first)s–%(last)s).")
            % {"source": seed.SOURCE, "year": year, "first": known[0], "last": known[-1]},
            field="year",
            year=year,
        )
    now = timezone.now()
    reports = []
    for y in [year] if year is not None else known:
        row = _year_row(y)
        row.official, row.source, row.loaded_at = True, seed.SOURCE, now
        row.save()
        existing = {d.date: d for d in CalendarDay.objects.select_for_update().filter(year=row)}
        wanted = {s.date: s for s in seed.days(y)}
        created, updated, kept = [], [], []
        for date, s in wanted.items():
            current = existing.get(date)
            if current is None:
                created.append(
                    CalendarDay(
                        date=date,
                        kind=s.kind,
                        name=s.name,
                        source=DaySource.CHINESE_CALENDAR,
                        year=row,
                    )
                )
            elif current.source == DaySource.ADMIN:
                if (current.kind, current.name) != (s.kind, s.name):
                    kept.append(date)
            elif (current.kind, current.name) != (s.kind, s.name):
                current.kind, current.name, current.updated_at = s.kind, s.name, now
                updated.append(current)
        stale = [
            d.pk
            for date, d in existing.items()
            if date not in wanted and d.source == DaySource.CHINESE_CALENDAR
        ]
        CalendarDay.objects.bulk_create(created)
        CalendarDay.objects.bulk_update(updated, ["kind", "name", "updated_at"])
        CalendarDay.objects.filter(pk__in=stale).delete()
        reports.append(LoadReport(y, len(created), len(updated), len(stale), tuple(sorted(kept))))
    _changed()
    return reports
