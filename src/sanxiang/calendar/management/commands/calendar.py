"""`sanxiang calendar load [--year Y]` / `sanxiang calendar status [--json]` — holiday data.

``load`` (re)loads the schedule of the pinned ``chinese-calendar`` package into the database
and marks those years official; rows entered by an admin are kept as overrides.
``status`` lists the years in the database and flags the current and next year when they
have no official schedule (RULES.md R10.3: alert admins to load the year).
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count, Q
from django.utils import timezone

from sanxiang.calendar import seed, selectors, services
from sanxiang.calendar.constants import DayKind
from sanxiang.calendar.models import HolidayYear
from sanxiang.core.errors import DomainError


class Command(BaseCommand):
    help = "Holiday schedule data (节假日数据): load from chinese-calendar, show status."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{load,status}")
        load = sub.add_parser("load", help=f"load the schedule of {seed.SOURCE} (all years or one)")
        load.add_argument(
            "--year", type=int, help=f"one year ({seed.years()[0]}–{seed.years()[-1]})"
        )
        status = sub.add_parser("status", help="years in the database, official or provisional")
        status.add_argument("--json", action="store_true", help="print a JSON document")

    def handle(self, *args, **options):
        if options["action"] == "load":
            self._load(options["year"])
        else:
            self._status(options["json"])

    def _load(self, year: int | None) -> None:
        try:
            reports = services.calendar_year_load_package(year=year)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        for r in reports:
            line = f"{r.year}: +{r.created} ~{r.updated} -{r.removed}"
            if r.kept_admin:
                kept = ", ".join(d.isoformat() for d in r.kept_admin)
                line += f" (admin overrides kept: {kept})"
            self.stdout.write(line)
        self.stdout.write(f"loaded {len(reports)} year(s) from {seed.SOURCE}, marked official")

    def _status(self, as_json: bool) -> None:
        rows = HolidayYear.objects.annotate(
            holidays=Count("days", filter=Q(days__kind=DayKind.HOLIDAY)),
            workdays=Count("days", filter=Q(days__kind=DayKind.WORKDAY)),
        ).order_by("year")
        this_year = timezone.localdate().year
        missing = selectors.years_without_official_data(this_year, this_year + 1)
        years = [
            {
                "year": r.year,
                "official": r.official,
                "source": r.source,
                "notice": r.notice,
                "holidays": r.holidays,
                "workdays": r.workdays,
            }
            for r in rows
        ]
        if as_json:
            self.stdout.write(
                json.dumps({"years": years, "missing_official": missing}, ensure_ascii=False)
            )
            return
        for y in years:
            flag = "official 正式" if y["official"] else "provisional 暂定"
            self.stdout.write(
                f"{y['year']}  {flag}  holidays={y['holidays']} workdays={y['workdays']}  "
                f"{y['source']} {y['notice']}".rstrip()
            )
        for y in missing:
            self.stderr.write(
                f"warning: no official holiday schedule for {y}; results are provisional (暂定)"
            )
