"""`sanxiang users create NAME --role ROLE … --unit CODE` and `sanxiang users token NAME`."""

import datetime as dt
import getpass

from django.core.management.base import BaseCommand, CommandError

from sanxiang.accounts import services
from sanxiang.accounts.constants import Role
from sanxiang.core.errors import DomainError


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"not a date (YYYY-MM-DD): {value}") from exc


class Command(BaseCommand):
    help = "Create users (with roles, unit, optional enforcement certificate) and issue API tokens."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a user")
        create.add_argument("name", help="login name")
        create.add_argument("--role", action="append", required=True, choices=Role.values,
                            help="role code; repeat for several roles")
        create.add_argument("--unit", required=True, help="unit code, e.g. pudong")
        create.add_argument("--full-name", default="", help="name shown to people (e.g. 张三)")
        create.add_argument("--password", help="password; asked for when omitted on a terminal")
        create.add_argument("--certificate", help="enforcement certificate number (makes the user an officer)")
        create.add_argument("--valid-until", type=_date, help="certificate valid until (YYYY-MM-DD)")
        create.add_argument("--valid-from", type=_date, help="certificate valid from (YYYY-MM-DD)")
        token = sub.add_parser("token", help="print a new API token for a user")
        token.add_argument("name")
        token.add_argument("--label", default="", help="what the token is for")

    def handle(self, *args, **opts):
        try:
            if opts["action"] == "create":
                self._create(opts)
            else:
                user = services.user_get(username=opts["name"])
                _token, raw = services.token_create(user=user, name=opts["label"])
                self.stdout.write(raw)
        except DomainError as exc:
            field = exc.details.get("field")
            raise CommandError(f"{exc.message}" + (f" ({field})" if field else "")) from exc

    def _create(self, opts):
        if bool(opts["certificate"]) != bool(opts["valid_until"]):
            raise CommandError("--certificate and --valid-until go together")
        password = opts["password"]
        if password is None and self.stdin_is_tty():
            password = getpass.getpass("Password: ")
        user = services.user_create(
            username=opts["name"], unit_code=opts["unit"], roles=opts["role"],
            full_name=opts["full_name"], password=password,
            certificate_number=opts["certificate"], valid_until=opts["valid_until"],
            valid_from=opts["valid_from"],
        )
        self.stdout.write(self.style.SUCCESS(
            f"created {user.username} ({', '.join(sorted(user.role_codes))}) in {user.unit.code}"))

    @staticmethod
    def stdin_is_tty() -> bool:
        import sys

        return sys.stdin is not None and sys.stdin.isatty()
