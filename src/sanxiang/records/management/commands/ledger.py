"""`sanxiang ledger verify [--json]`, `sanxiang ledger sign`, `sanxiang ledger public-key`."""

import json
import sys

from django.core.management.base import BaseCommand

from sanxiang.records import keys, services
from sanxiang.records.verify import verify_ledger


class Command(BaseCommand):
    help = "Verify the tamper-evident ledger, issue a signed tree head, export the public key."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="recompute chain, tree and signatures; exit 1 on any break")
        verify.add_argument("--json", action="store_true", help="print one JSON document")
        sub.add_parser("sign", help="issue a signed tree head of the ledger now")
        key = sub.add_parser("public-key", help="print the log signing public key")
        key.add_argument("--pem", action="store_true", help="PEM instead of raw base64")

    def handle(self, *args, **opts):
        action = opts["action"]
        if action == "sign":
            self.stdout.write(json.dumps(services.ledger_sign_head().as_dict()))
        elif action == "public-key":
            self.stdout.write(keys.public_key_pem() if opts["pem"] else keys.public_key_b64())
        else:
            self._verify(opts["json"])

    def _verify(self, as_json: bool) -> None:
        tty = sys.stderr.isatty()

        def progress(done: int, total: int) -> None:
            if tty:
                sys.stderr.write(f"\r台账校验 verifying ledger: {done}/{total}")
                sys.stderr.flush()

        report = verify_ledger(progress)
        if tty:
            sys.stderr.write("\n")
        if as_json:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
        elif report.ok:
            self.stdout.write(self.style.SUCCESS(f"ledger intact: {report.checked} entries"))
        else:
            self.stdout.write(self.style.ERROR(
                f"ledger BROKEN at sequence number {report.first_bad_seq} ({report.checked} entries checked)"))
            for problem in report.problems:
                self.stdout.write(f"  - {problem}")
        if not report.ok:
            sys.exit(1)
