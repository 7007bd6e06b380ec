"""`sanxiang db optimize [--json]`: statistics for the database's planner and for the public
search (cron it nightly, next to `sanxiang disclosure sweep`).

* SQLite: `ANALYZE` with `PRAGMA analysis_limit` (each index sampled: 18 s for 1,000,000
  published decisions), then `PRAGMA optimize`; PostgreSQL: `ANALYZE` (autovacuum does the
  same in time; 1–2 s at 1,000,000).
  Without statistics a planner guesses: a list that reads 20 rows along an index can read and
  sort every row instead.
* The public search's trigram statistics (`disclosure.search.refresh_statistics`).

Statistics choose how a query runs, never what it answers.
"""

from __future__ import annotations

import json
import time

from django.core.management.base import BaseCommand
from django.db import connection

from sanxiang.disclosure import search

#: SQLite `PRAGMA analysis_limit`: index entries examined per index by `ANALYZE`.
SQLITE_ANALYSIS_LIMIT = 1000


def analyze() -> None:
    """Gather the planner's statistics of every table of the database in use."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA analysis_limit = {SQLITE_ANALYSIS_LIMIT}")
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA optimize")
        else:
            cursor.execute("ANALYZE")


class Command(BaseCommand):
    help = "Database maintenance: `optimize` gathers planner and search statistics."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        optimize = actions.add_parser("optimize", help="gather planner and public-search statistics")
        optimize.add_argument("--json", action="store_true", help="print one JSON document")

    def handle(self, *args, **opts):
        started = time.perf_counter()
        analyze()
        analyzed = time.perf_counter() - started
        report = {"database": connection.vendor, "analyze_seconds": round(analyzed, 3),
                  "search": search.refresh_statistics(),
                  "seconds": round(time.perf_counter() - started, 3)}
        if opts["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False))
            return
        found = report["search"]
        self.stdout.write(f"{connection.vendor}: statistics gathered in {analyzed:.1f} s; public search: "
                          f"{found['sampled']:,} of {found['live']:,} live decisions sampled, "
                          f"{found['kept']:,} common trigrams ({report['seconds']:.1f} s in all)")
