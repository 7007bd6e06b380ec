"""The `sanxiang` console script: every Django management command, under one name."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a management command (`sanxiang demo`, `sanxiang workdays add …`, `sanxiang check`)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.conf.base")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else ["sanxiang", *argv])
    args[0] = "sanxiang"
    execute_from_command_line(args)
