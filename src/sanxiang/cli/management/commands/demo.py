"""`sanxiang demo [--reset] [--cases N]`: migrate and seed the demo data set; prints the demo logins."""

import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from sanxiang.cli import demo


class Command(BaseCommand):
    help = "Migrate and seed a realistic demo data set under SANXIANG_HOME (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="start from an empty database first")
        parser.add_argument("--cases", type=int, default=200, metavar="N",
                            help="how many demo cases to create (default 200; 0 for none)")

    def handle(self, *args, **opts):
        if opts["cases"] < 0:
            raise CommandError("--cases must be 0 or more")
        if opts["reset"]:
            self._reset()
        steps = demo.steps(cases=opts["cases"])
        self.stdout.write("[1/%d] migrate" % (len(steps) + 1))
        call_command("migrate", interactive=False, verbosity=0)
        report = None
        for number, (title, step) in enumerate(steps, start=2):
            self.stdout.write(f"[{number}/{len(steps) + 1}] {title}")
            result = step(self._progress)
            if self._tty():
                self.stdout.write("\r" + " " * 60 + "\r", ending="")
            if isinstance(result, dict) and "created" in result:
                report = result
                self._print_cases(result)
        self._print_logins()
        if report and report["failed"]:
            raise CommandError("%d demo case(s) were refused by the services (see above)" % len(report["failed"]))

    def _tty(self) -> bool:
        return sys.stdout.isatty() and getattr(self.stdout, "_out", None) is sys.stdout

    def _progress(self, text: str) -> None:
        if self._tty():
            self.stdout.write(f"\r    {text:<50}", ending="")
            self.stdout.flush()

    def _print_cases(self, report: dict) -> None:
        if not report["requested"]:
            self.stdout.write(f"    no cases requested (--cases 0); demo cases present: {report['existing']}")
            return
        if report["skipped"]:
            self.stdout.write(f"    demo cases already present: {report['existing']} (use --reset to start over)")
            return
        self.stdout.write(f"    {report['created']} cases created in {report['seconds']:.1f} s "
                          f"({report['existing']} were already there); evidence files: {report['evidence']} "
                          f"(video: {report['video_source']})")
        for kind, stages in report["stages"].items():
            text = ", ".join(f"{stage} {n}" for stage, n in stages.items())
            self.stdout.write(f"    {kind}: {text}")
        for failure in report["failed"]:
            self.stderr.write(f"    plan {failure['plan']} ({failure['scenario']}): {failure['code']}: "
                              f"{failure['message']}")

    def _reset(self) -> None:
        db = settings.DATABASES["default"]
        if db["ENGINE"].endswith("sqlite3"):
            connection.close()
            for suffix in ("", "-wal", "-shm"):
                path = f"{db['NAME']}{suffix}"
                if os.path.exists(path):
                    os.remove(path)
        else:
            with connection.cursor() as cursor:
                cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        self.stdout.write("database reset")

    def _print_logins(self) -> None:
        self.stdout.write(self.style.SUCCESS("\nDemo logins (演示账号) — password for all: %s" % demo.DEMO_PASSWORD))
        for line in demo.login_table():
            self.stdout.write(line)
        self.stdout.write("Staff: http://127.0.0.1:8000/  ·  Portal: http://127.0.0.1:8000/gongshi/")
