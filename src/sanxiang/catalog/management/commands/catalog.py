"""`sanxiang catalog load-templates` / `sanxiang catalog rules [--purpose P] [--on DATE] [--json]`.

``load-templates`` loads ``DEFAULT_TEMPLATES`` of ``sanxiang.catalog.data.document_templates``
for template codes not yet in the database (when the module arrived after migration 0007).
``rules`` prints the decision rules in force on a date with their citations.
"""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from sanxiang.catalog import selectors, services
from sanxiang.catalog.constants import RulePurpose
from sanxiang.core.errors import DomainError


class Command(BaseCommand):
    help = "Catalog and rules (目录与规则): load default templates, list rules in force."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{load-templates,rules}")
        sub.add_parser("load-templates", help="load the default document templates not yet loaded")
        rules = sub.add_parser("rules", help="decision rules in force on a date")
        rules.add_argument("--purpose", choices=RulePurpose.values)
        rules.add_argument("--on", type=dt.date.fromisoformat, help="date (YYYY-MM-DD), default today")
        rules.add_argument("--json", action="store_true", help="print a JSON document")

    def handle(self, *args, **options):
        try:
            if options["action"] == "load-templates":
                created = services.templates_load_defaults(actor="system:cli")
                self.stdout.write(f"loaded {created} template version(s)")
            else:
                self._rules(options["purpose"], options["on"], options["json"])
        except DomainError as exc:
            raise CommandError(exc.message) from None

    def _rules(self, purpose, on, as_json: bool) -> None:
        rules = selectors.rules_in_force(purpose, on)
        if as_json:
            self.stdout.write(json.dumps(
                [{"code": r.code, "version": r.version, "purpose": r.purpose, "trigger": r.trigger,
                  "params": dict(r.params), "description": r.description, "citation": r.citation}
                 for r in rules],
                ensure_ascii=False, indent=2,
            ))
            return
        for r in rules:
            self.stdout.write(f"{r.purpose:10} {r.code:36} v{r.version}  {r.description}  [{r.citation}]")
