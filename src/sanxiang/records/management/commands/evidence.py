"""`sanxiang evidence verify [--json]`, `sanxiang evidence clean-uploads`.

    sanxiang evidence verify          → exit 0 when every stored file rehashes to its SHA-256
                                        and SM3; exit 1 naming each damaged or missing one
    sanxiang evidence verify --json   → {"ok", "checked", "damaged": [{"id", "number",
                                        "sha256", "reason"}], "missing": [...]}
    sanxiang evidence clean-uploads   → expire abandoned resumable uploads, remove their files
                                        (idempotent; run it from cron)
"""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand

from sanxiang.records.blobs import clean_temp_files
from sanxiang.records.services_uploads import uploads_expire
from sanxiang.records.verify_evidence import verify_evidence


class Command(BaseCommand):
    help = "Evidence vault (证据库): verify stored files, clean abandoned uploads."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{verify,clean-uploads}")
        verify = sub.add_parser("verify", help="rehash every stored file (SHA-256 and SM3); exit 1 on any "
                                               "damaged or missing one")
        verify.add_argument("--json", action="store_true", help="print one JSON document")
        clean = sub.add_parser("clean-uploads", help="expire abandoned resumable uploads and remove their files")
        clean.add_argument("--json", action="store_true", help='print {"expired": n, "temp_files_removed": n}')

    def handle(self, *args, **opts):
        if opts["action"] == "clean-uploads":
            expired = uploads_expire()
            removed = len(clean_temp_files())
            if opts["json"]:
                self.stdout.write(json.dumps({"expired": expired, "temp_files_removed": removed}))
            else:
                self.stdout.write(f"expired uploads 过期上传: {expired}; temporary files removed: {removed}")
            return
        self._verify(opts["json"])

    def _verify(self, as_json: bool) -> None:
        tty = sys.stderr.isatty()

        def progress(done: int, total: int) -> None:
            if tty:
                sys.stderr.write(f"\r证据文件校验 verifying evidence files: {done}/{total}")
                sys.stderr.flush()

        report = verify_evidence(progress)
        if tty:
            sys.stderr.write("\n")
        if as_json:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
        elif report.ok:
            self.stdout.write(self.style.SUCCESS(f"evidence intact: {report.checked} files checked"))
        else:
            self.stdout.write(self.style.ERROR(
                f"evidence DAMAGED: {len(report.damaged)} damaged, {len(report.missing)} missing "
                f"({report.checked} files checked)"))
            for kind, items in (("damaged 损坏", report.damaged), ("missing 缺失", report.missing)):
                for item in items:
                    who = (f"evidence {item['id']} ({report.subjects.get(item['id'])} 编号 {item['number']})"
                           if item["id"] else "unattached file")
                    self.stdout.write(f"  - {kind}: {who} sha256 {item['sha256']}: {item['reason']}")
        if not report.ok:
            sys.exit(1)
