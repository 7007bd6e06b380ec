"""`sanxiang workdays add|count|is …` — working-day arithmetic on the loaded calendar.

    sanxiang workdays add 2026-09-30 7 [--json]        → 2026-10-15
    sanxiang workdays add 2026-09-16 15 --calendar-days → 2026-10-08 (《民法典》第201、203条)
    sanxiang workdays count 2026-09-30 2026-10-15      → 7   (working days in (A, B])
    sanxiang workdays is 2026-10-10 [--json]           → 2026-10-10 working day (调休 国庆节)

With ``--json`` stdout holds exactly one JSON document, e.g.
``{"date": "2026-10-15", "provisional": false}``. A provisional result (a consulted year
has no official schedule) is marked "（暂定）" and explained on stderr.
"""

from __future__ import annotations

import datetime as _dt
import json
import re

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from sanxiang.calendar import seed, selectors
from sanxiang.calendar.models import HolidayYear
from sanxiang.calendar.rules import workdays as rules
from sanxiang.calendar.rules.workdays import HOL_CITATION

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
PROVISIONAL_MARK = "（暂定）"


def parse_date(value: str, name: str) -> _dt.date:
    """A YYYY-MM-DD date, or CommandError naming the argument."""
    text = value.strip()
    if _ISO_DATE.match(text):
        try:
            return _dt.date.fromisoformat(text)
        except ValueError:
            pass
    raise CommandError(
        f"{name}: invalid date {value!r}; expected YYYY-MM-DD (0001-01-01 to 9999-12-31)"
    )


def parse_count(value: str, name: str = "N") -> int:
    """A whole number ≥ 0, or CommandError naming the argument."""
    try:
        n = int(value.strip())
    except ValueError:
        raise CommandError(
            f"{name}: invalid number {value!r}; expected a whole number ≥ 0"
        ) from None
    if n < 0:
        raise CommandError(f"{name}: must be zero or positive, got {n}")
    return n


class Command(BaseCommand):
    help = "Working-day arithmetic (工作日计算) on the loaded holiday schedule: add, count, is."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{add,count,is}")
        add = sub.add_parser(
            "add",
            help="the date N working days after DATE (行政处罚法 第85条; DATE not counted)",
        )
        add.add_argument("date", metavar="DATE", help="start date, YYYY-MM-DD (not counted)")
        add.add_argument("n", metavar="N", help="number of days, ≥ 0 (0 returns DATE)")
        add.add_argument(
            "--calendar-days",
            action="store_true",
            help="count N calendar days instead; a last day on a holiday or rest day moves to "
            "the next working day (《民法典》第201、203条)",
        )
        add.add_argument("--json", action="store_true", help='print {"date": …, "provisional": …}')

        count = sub.add_parser(
            "count", help="number of working days in (A, B]: A excluded, B included"
        )
        count.add_argument("a", metavar="A", help="YYYY-MM-DD (excluded)")
        count.add_argument("b", metavar="B", help="YYYY-MM-DD (included)")
        count.add_argument(
            "--json", action="store_true", help='print {"count": …, "provisional": …}'
        )

        is_ = sub.add_parser(
            "is", help="whether DATE is a working day (调休 make-up days included)"
        )
        is_.add_argument("date", metavar="DATE", help="YYYY-MM-DD")
        is_.add_argument("--json", action="store_true", help="print a JSON document")

    def _calendar(self):
        """The database schedule; on a database not yet migrated, the package's own data."""
        if HolidayYear._meta.db_table in connection.introspection.table_names():
            return selectors.current_calendar()
        self.stderr.write(
            "数据库尚未初始化 (database not migrated): using the chinese-calendar package data; "
            "run `sanxiang migrate` to use the schedule maintained by the administrators."
        )
        return seed.package_calendar()

    def handle(self, *args, **options):
        action = options["action"]
        cal = self._calendar()
        if action == "add":
            start = parse_date(options["date"], "DATE")
            n = parse_count(options["n"])
            compute = (
                rules.add_calendar_days
                if options["calendar_days"]
                else rules.add_working_days
            )
            result = compute(start, n, cal)
            payload = {"date": result.date.isoformat(), "provisional": result.provisional}
            human = result.date.isoformat()
            years = result.provisional_years
        elif action == "count":
            a = parse_date(options["a"], "A")
            b = parse_date(options["b"], "B")
            result = rules.working_days_between(a, b, cal)
            payload = {"count": result.count, "provisional": result.provisional}
            human = str(result.count)
            years = result.provisional_years
        else:
            d = parse_date(options["date"], "DATE")
            status = rules.is_working_day(d, cal)
            payload = {
                "date": d.isoformat(),
                "working": status.working,
                "provisional": status.provisional,
                "name": status.name,
            }
            label = "working day 工作日" if status.working else "not a working day 休息日"
            detail = f" ({status.name})" if status.name else ""
            human = f"{d.isoformat()} {label}{detail}"
            years = (d.year,) if status.provisional else ()

        if options["json"]:
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
            return
        provisional = payload["provisional"]
        self.stdout.write(human + (PROVISIONAL_MARK if provisional else ""))
        if provisional:
            listed = ", ".join(str(y) for y in years) or "?"
            self.stderr.write(
                f"暂定 (provisional): no official holiday schedule for {listed}; computed on "
                f"weekends plus the fixed-date holidays of {HOL_CITATION}. Load the schedule "
                "(`sanxiang calendar load` or the admin) and recompute."
            )
