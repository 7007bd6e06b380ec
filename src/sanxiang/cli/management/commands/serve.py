"""`sanxiang serve [--host H] [--port P]`: the production server (gunicorn + whitenoise)."""

import os
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Sanxiang with gunicorn (static files included)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=max(2, (os.cpu_count() or 1) + 1))
        parser.add_argument("--no-migrate", action="store_true", help="do not apply migrations first")

    def handle(self, *args, **opts):
        if not opts["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"Sanxiang on http://{opts['host']}:{opts['port']}/ (portal: /gongshi/)")
        self.stdout.flush()
        argv = [
            sys.executable, "-m", "gunicorn", "sanxiang.wsgi:application",
            "--bind", f"{opts['host']}:{opts['port']}",
            "--workers", str(opts["workers"]),
            "--access-logfile", "-",
            "--forwarded-allow-ips", os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
        ]
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.conf.base")
        os.execv(sys.executable, argv)
