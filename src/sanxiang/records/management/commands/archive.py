"""`sanxiang archive check DIR [--json] [--public-key FILE]` (and `export`, added by the cases app).

    sanxiang archive check DIR          → the four-properties report (四性检测, DA/T 70-2018)
                                          grouped by 真实性 / 完整性 / 可用性 / 安全性; exit 1
                                          on any failed check
    sanxiang archive check DIR --json   → {"ok", "directory", "subject", "key_id", "properties":
                                          {"authenticity" | "integrity" | "usability" | "security":
                                          {"name", "label", "ok", "checks": [{"code", "title", "ok",
                                          "checked", "problems", "omitted_problems"}]}}}
    --public-key FILE                   → also require the package to be signed by this key
                                          (PEM, or the raw key in base64 as `sanxiang ledger
                                          public-key` prints it)

`sanxiang archive export CASE_NUMBER DIR` belongs to the cases app (records knows no cases):
it registers itself with `sanxiang.records.archive.archive_subcommand_register` from its
`AppConfig.ready`, and appears here as a further action.
"""

from __future__ import annotations

import base64
import binascii
import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sanxiang.records.archive import PROPERTIES, archive_check, archive_subcommands


def _trusted_key(path: str) -> bytes:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        text = Path(path).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"cannot read the public key {path}: {exc}") from None
    try:
        if "BEGIN PUBLIC KEY" in text:
            key = serialization.load_pem_public_key(text.encode())
            if not isinstance(key, Ed25519PublicKey):
                raise ValueError("not an Ed25519 key")
            return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        raw = base64.b64decode(text, validate=True)
        if len(raw) != 32:
            raise ValueError("not 32 bytes")
        return raw
    except (ValueError, TypeError, binascii.Error) as exc:
        raise CommandError(f"{path} is not an Ed25519 public key (PEM or raw base64): {exc}") from None


class Command(BaseCommand):
    help = "Archive packages (电子档案归档包): four-properties check of a BagIt package."

    def add_arguments(self, parser):
        extra = archive_subcommands()
        names = ",".join(["check", *(s.name for s in extra)])
        sub = parser.add_subparsers(dest="action", required=True, metavar=f"{{{names}}}")
        check = sub.add_parser("check", help="four-properties check (真实性、完整性、可用性、安全性) of the "
                                             "package in DIR; exit 1 on any failure")
        check.add_argument("directory", metavar="DIR")
        check.add_argument("--json", action="store_true", help="print one JSON document")
        check.add_argument("--public-key", metavar="FILE",
                           help="require the tree head to be signed by this Ed25519 key (PEM or base64)")
        for subcommand in extra:  # e.g. `export CASE_NUMBER DIR`, from the cases app
            subcommand.add_arguments(sub.add_parser(subcommand.name, help=subcommand.help))

    def handle(self, *args, **opts):
        action = opts["action"]
        if action != "check":
            handler = {s.name: s for s in archive_subcommands()}[action]
            code = handler.handle(self, opts)
            if code:
                sys.exit(code)
            return
        trusted = _trusted_key(opts["public_key"]) if opts.get("public_key") else None
        tty = sys.stderr.isatty() and not opts["json"]

        def progress(done: int, total: int) -> None:
            if tty:
                sys.stderr.write(f"\r四性检测 checking files: {done}/{total}")
                sys.stderr.flush()

        report = archive_check(opts["directory"], trusted_public_key=trusted, progress=progress)
        if tty:
            sys.stderr.write("\n")
        if opts["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
        else:
            self._print(report)
        if not report.ok:
            sys.exit(1)

    def _print(self, report) -> None:
        out = self.stdout
        out.write(f"四性检测 Four-properties check (DA/T 70-2018): {report.directory}")
        out.write(f"  对象 subject: {report.subject or '-'}")
        out.write(f"  签名公钥 signing key id: {report.key_id or '-'} (compare with the published key)")
        groups = report.by_property()
        for key, zh, en in PROPERTIES:
            checks = groups[key]
            ok = all(c.ok for c in checks)
            verdict = self.style.SUCCESS("通过 PASS") if ok else self.style.ERROR("不通过 FAIL")
            out.write(f"\n{zh} {en}: {verdict}")
            for c in checks:
                mark = "✓" if c.ok else self.style.ERROR("✗")
                out.write(f"  {mark} {c.title} ({c.checked})")
                for problem in c.problems:
                    out.write(f"      - {problem}")
                if c.omitted:
                    out.write(f"      … and {c.omitted} more")
        failed = report.failed()
        if failed:
            out.write(self.style.ERROR(
                f"\n结论 Result: 不通过 FAIL — {len(failed)} of {len(report.checks)} checks failed"))
        else:
            out.write(self.style.SUCCESS(f"\n结论 Result: 通过 PASS — all {len(report.checks)} checks passed"))
