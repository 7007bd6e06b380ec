"""`sanxiang inspections recompute DRAW_ID [--json]`: recompute a past draw (抽取复核)."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from sanxiang.inspections.models import Draw
from sanxiang.inspections.recompute import recompute


class Command(BaseCommand):
    help = "Random inspections (双随机): recompute a past draw from its beacon, plan and pool snapshot."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        again = sub.add_parser("recompute", help="recompute a draw; exit 1 unless the pairs are identical")
        again.add_argument("draw_id", type=int, help="id of the draw")
        again.add_argument("--json", action="store_true", help="print one JSON document")

    def handle(self, *args, **opts):
        draw = Draw.objects.select_related("plan").filter(pk=opts["draw_id"]).first()
        if draw is None:
            raise CommandError(f"no draw with id {opts['draw_id']}")
        report = recompute(draw)
        if opts["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
        elif report.ok:
            self.stdout.write(self.style.SUCCESS(
                f"draw {draw.pk} (plan {draw.plan_id}): pairs identical — {len(draw.pairs)} entities, "
                f"seed {draw.seed}, algorithm {draw.algorithm}"))
        else:
            self.stdout.write(self.style.ERROR(f"draw {draw.pk} (plan {draw.plan_id}): NOT identical"))
            for problem in report.problems:
                self.stdout.write(f"  - {problem}")
        if not report.ok:
            sys.exit(1)
