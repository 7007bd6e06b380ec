"""`sanxiang disclosure sweep` and `sanxiang disclosure export` (DESIGN.md "Stable interfaces").

* `sweep [--json]` — the periodic job (cron / systemd timer, any number of hosts): ends the
  display of decisions whose maximum period has run, flags overdue items, appends the
  internal ledger's checkpoint to the public log and issues its signed head. Idempotent.
* `export --kind penalty|permit --format csv|jsonl|xlsx [--since DATE] [--output FILE]` — the
  双公示 data set (RULES.md R4.3 / R4.4, API.md "Commands (details)") of every decision that
  is or was published, streamed: CSV in UTF-8 with a BOM (opens in Excel and WPS), header
  texts exactly as API.md; JSON Lines with the same keys; XLSX when `openpyxl` is installed.
  `--since DATE`: only rows published, corrected, withdrawn or ended on or after DATE.
  `--kind joint-punishment`: the joint punishment feed (联合惩戒, `rules.joint_punishment`).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from contextlib import contextmanager

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sanxiang.disclosure.models import GONE_STATES, LIVE_STATES, PublicationItem
from sanxiang.disclosure.rules import dsgs, joint_punishment
from sanxiang.disclosure.selectors_export import export_facts, joint_punishment_rows

FORMATS = ("csv", "jsonl", "xlsx")
BOM = "\ufeff"
CHUNK = 500


def export_rows(kind: str, since: dt.date | None = None):
    """Yield the rows (header → text) of the data set `kind`, oldest decision first."""
    qs = PublicationItem.objects.filter(decision_kind=kind, state__in=(*LIVE_STATES, *GONE_STATES))
    if since is not None:
        start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
        qs = qs.filter(changed_at__gte=start)
    qs = qs.only("public_record", "state", "source", "expires_on", "withdrawn_at", "withdrawal_reason", "ended_at",
                 "ended_early", "changed_at", "version", "provisional").order_by("decided_on", "id")
    for item in qs.iterator(chunk_size=CHUNK):
        yield dsgs.row(kind, item.record or {}, export_facts(item))


class _Text:
    """A text sink writing UTF-8 to a binary stream (stdout's buffer or a file)."""

    def __init__(self, binary):
        self.binary = binary

    def write(self, text: str) -> int:
        self.binary.write(text.encode("utf-8"))
        return len(text)


@contextmanager
def _binary_output(path: str | None, stdout):
    if path:
        with open(path, "wb") as fh:
            yield fh
    else:
        raw = getattr(stdout, "_out", stdout)  # below Django's OutputWrapper (it adds line endings)
        buffer = getattr(raw, "buffer", None)
        if buffer is None:  # a text stream (tests: StringIO)
            yield _TextAsBinary(raw)
        else:
            yield buffer
            buffer.flush()


class _TextAsBinary:
    def __init__(self, text):
        self.text = text

    def write(self, data: bytes) -> int:
        self.text.write(data.decode("utf-8"))
        return len(data)


class Command(BaseCommand):
    help = "Publication queue: sweep (periodic) and 双公示 export."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sweep = sub.add_parser("sweep", help="expire, flag overdue, checkpoint, sign the head (idempotent)")
        sweep.add_argument("--json", action="store_true", help="print one JSON document")
        export = sub.add_parser("export", help="双公示 data set of decisions that are or were published")
        export.add_argument("--kind", required=True, choices=[*sorted(dsgs.KINDS), joint_punishment.KIND])
        export.add_argument("--format", required=True, choices=FORMATS)
        export.add_argument("--since", type=dt.date.fromisoformat, metavar="DATE",
                            help="only rows published, corrected, withdrawn or ended on or after DATE")
        export.add_argument("--output", metavar="FILE", help="write to FILE instead of stdout")

    def handle(self, *args, **opts):
        if opts["action"] == "sweep":
            self._sweep(opts)
        else:
            self._export(opts)

    def _sweep(self, opts) -> None:
        from sanxiang.disclosure.services import disclosure_sweep

        report = disclosure_sweep()
        if opts["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
            return
        head = report.head or {}
        self.stdout.write(f"{report.today}: {len(report.expired)} expired, {len(report.overdue)} overdue for "
                          f"publication, {len(report.withdrawal_overdue)} overdue for withdrawal; checkpoint leaf "
                          f"{report.checkpoint_index}; signed head: {head.get('tree_size')} leaves, root "
                          f"{head.get('root_hash')}")

    def _export(self, opts) -> None:
        kind, fmt = opts["kind"], opts["format"]
        if fmt == "xlsx":
            try:
                import openpyxl  # noqa: F401
            except ImportError:
                raise CommandError("xlsx needs the openpyxl package, which is not installed; "
                                   "use --format csv or jsonl") from None
        tty = sys.stderr.isatty()
        count = 0
        with _binary_output(opts["output"], self.stdout) as out:
            header = joint_punishment.FEED_HEADER if kind == joint_punishment.KIND else dsgs.header(kind)
            rows = (joint_punishment_rows(opts["since"]) if kind == joint_punishment.KIND
                    else export_rows(kind, opts["since"]))
            if fmt == "xlsx":
                count = self._xlsx(out, kind, header, rows)
            else:
                text = _Text(out)
                writer = None
                if fmt == "csv":
                    text.write(BOM)
                    writer = csv.writer(text, lineterminator="\r\n")
                    writer.writerow(header)
                for row in rows:
                    if writer is not None:
                        writer.writerow([row[h] for h in header])
                    else:
                        text.write(json.dumps(row, ensure_ascii=False) + "\n")
                    count += 1
                    if tty and count % CHUNK == 0:
                        sys.stderr.write(f"\r双公示导出 exporting: {count}")
        if tty:
            sys.stderr.write(f"\r双公示导出 exported: {count} rows\n")

    @staticmethod
    def _xlsx(out, kind: str, header, rows) -> int:
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet(title={"penalty": "行政处罚", "permit": "行政许可"}.get(kind, "联合惩戒"))
        sheet.append(list(header))
        count = 0
        for row in rows:
            sheet.append([row[h] for h in header])
            count += 1
        book.save(out)
        return count
