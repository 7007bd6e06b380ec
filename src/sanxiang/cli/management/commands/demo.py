"""`sanxiang demo [--reset]`: migrate and seed the demo data set; prints the demo logins."""

import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection

from sanxiang.cli import demo


class Command(BaseCommand):
    help = "Migrate and seed a realistic demo data set under SANXIANG_HOME (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="start from an empty database first")

    def handle(self, *args, **opts):
        if opts["reset"]:
            self._reset()
        self.stdout.write("[1/%d] migrate" % (len(demo.STEPS) + 1))
        call_command("migrate", interactive=False, verbosity=0)
        for number, (title, step) in enumerate(demo.STEPS, start=2):
            self.stdout.write(f"[{number}/{len(demo.STEPS) + 1}] {title}")
            step(self._progress)
        if sys.stdout.isatty():
            self.stdout.write("")
        self._print_logins()

    def _progress(self, text: str) -> None:
        if sys.stdout.isatty():
            self.stdout.write(f"\r    {text:<40}", ending="")
            self.stdout.flush()

    def _reset(self) -> None:
        db = settings.DATABASES["default"]
        if db["ENGINE"].endswith("sqlite3"):
            connection.close()
            for suffix in ("", "-wal", "-shm"):
                path = f"{db['NAME']}{suffix}"
                import os

                if os.path.exists(path):
                    os.remove(path)
        else:
            with connection.cursor() as cursor:
                cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        self.stdout.write("database reset")

    def _print_logins(self) -> None:
        self.stdout.write(self.style.SUCCESS("\nDemo logins (演示账号) — password for all: %s" % demo.DEMO_PASSWORD))
        self.stdout.write(f"{'login':<14} {'roles':<22} {'unit':<12} name")
        for spec in demo.DEMO_USERS:
            roles = ",".join(spec.roles)
            self.stdout.write(f"{spec.username:<14} {roles:<22} {spec.unit:<12} {spec.full_name}")
        self.stdout.write("Staff: http://127.0.0.1:8000/  ·  Portal: http://127.0.0.1:8000/gongshi/")
