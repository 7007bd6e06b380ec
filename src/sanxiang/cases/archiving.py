"""Archiving a closed case (结案归档): the package summary and `sanxiang archive export`.

The package itself is built and checked by the records context (`records.archive`: BagIt,
SHA-256 + SM3 manifests, the case's ledger slice with inclusion proofs, the signed head); the
case's evidence — the issued documents among it, each a vault item of kind ``document`` — is
copied in and checked there. This module describes the case for the package (`summary`) and
plugs `export CASE_NUMBER DIR` into `sanxiang archive`. Moving the case to ``archived`` is
`services.case_archive`, the only way into that stage.
"""

from __future__ import annotations

import sys

from django.utils import timezone

from sanxiang.cases.models import Case
from sanxiang.core.identifiers import mask_id_number

#: RULES.md R8.6: retention of penalty case files unverified — default permanent for major
#: cases, 30 years otherwise (国家档案局令第8号 classes).
RETENTION_MAJOR = "permanent"
RETENTION_DEFAULT = "30_years"


def _iso(value):
    return value.isoformat() if value is not None else None


def _money(value):
    return f"{value:.2f}" if value is not None else None


def case_archive_summary(case: Case) -> dict:
    """What the package says about the case (metadata.json `summary`): number, title, kind,
    unit, parties (personal identifiers masked, R3.1), dates, decision and the issued documents
    (every version, each with the evidence number under which its file is in the package)."""
    decision = getattr(case, "decision", None)
    docs = list(case.documents.select_related("evidence").order_by("issued_at", "id"))
    superseded = {d.supersedes_id for d in docs if d.supersedes_id}
    return {
        "organization": case.unit.name,
        "case_number": case.number,
        "title": case.title,
        "kind": case.kind,
        "kind_label": str(case.get_kind_display()),
        "unit": case.unit.code,
        "unit_name": case.unit.name,
        "matter_code": case.matter_code or None,
        "stage": case.stage,
        "major": {"value": case.major, "reasons": case.major_reasons},
        "retention": RETENTION_MAJOR if case.major else RETENTION_DEFAULT,
        "parties": [{"type": p.type, "name": p.name, "uscc": p.uscc or None,
                     "id_number": mask_id_number(p.id_number) or None,
                     "legal_representative": p.legal_representative or None}
                    for p in case.parties.order_by("position")],
        "dates": {
            "discovered_on": _iso(case.discovered_on),
            "registered_on": _iso(case.registered_on),
            "notified_on": _iso(case.notified_on),
            "decided_on": _iso(decision.decided_on) if decision else None,
            "closed_on": _iso(timezone.localdate(case.stage_changed_at)) if case.stage == "closed" else None,
        },
        "decision": None if decision is None else {
            "document_number": decision.document_number, "kind": decision.kind,
            "penalty_types": decision.penalty_types, "fine_amount": _money(decision.fine_amount),
            "confiscation_amount": _money(decision.confiscation_amount),
            "decided_on": _iso(decision.decided_on), "legal_basis": decision.legal_basis,
            "conclusion": decision.conclusion, "major": decision.major,
        },
        "documents": [{
            "id": str(d.pk), "template": d.template_code, "template_version": d.template_version,
            "title": d.title, "document_number": d.document_number or None, "version": d.version,
            "supersedes": str(d.supersedes_id) if d.supersedes_id else None, "current": d.pk not in superseded,
            "correction_reason": d.correction_reason or None, "sha256": d.sha256, "sm3": d.sm3, "size": d.size,
            "evidence_number": d.evidence.number if d.evidence_id else None, "issued_at": _iso(d.issued_at),
        } for d in docs],
    }


# ------------------------------------------------------------------------------ sanxiang archive export


def _add_arguments(parser) -> None:
    parser.add_argument("case_number", metavar="CASE_NUMBER", help="the case number, e.g. pudong-2026-00012")
    parser.add_argument("directory", metavar="DIR", help="where to write the package (absent or empty)")
    parser.add_argument("--user", metavar="USERNAME",
                        help="act as this user (a handler or the unit head); default: the operator (system)")
    parser.add_argument("--json", action="store_true", help="print one JSON document")


def _handle(command, options: dict) -> int:
    import json

    from django.core.management.base import CommandError

    from sanxiang.accounts.models import User
    from sanxiang.cases import services
    from sanxiang.core.errors import DomainError

    case = Case.objects.filter(number=options["case_number"]).first()
    if case is None:
        raise CommandError(f"no case numbered {options['case_number']!r} (case_not_found)")
    actor = None
    if options.get("user"):
        actor = User.objects.filter(username=options["user"], is_active=True).first()
        if actor is None:
            raise CommandError(f"no active user {options['user']!r}")
    tty = sys.stderr.isatty() and not options.get("json")

    def progress(done: int, total: int) -> None:
        if tty:
            sys.stderr.write(f"\r归档 exporting evidence files: {done}/{total}")
            sys.stderr.flush()

    try:
        archived = services.case_archive(case_id=case.pk, actor=actor, directory=options["directory"],
                                         progress=progress)
    except DomainError as exc:
        if tty:
            sys.stderr.write("\n")
        report = getattr(exc, "report", None)  # the failed four-properties report, when the check failed
        if report is not None and not options.get("json"):
            command._print(report)
        raise CommandError(f"{exc.message} ({exc.code}, {exc.status})") from None
    if tty:
        sys.stderr.write("\n")
    result = archived.result
    if options.get("json"):
        command.stdout.write(json.dumps({"case_number": case.number, "stage": archived.case.stage,
                                         **result.as_dict(), "check_ok": archived.report.ok}, ensure_ascii=False))
        return 0
    out = command.stdout
    out.write(f"归档 Archived {case.number} {case.title}")
    out.write(f"  package: {result.directory}")
    out.write(f"  items: {result.items} files, {result.ledger_entries} ledger entries, {result.bytes} bytes")
    out.write(f"  fingerprint (SHA-256 of tagmanifest-sha256.txt): {result.tagmanifest_sha256}")
    out.write(f"  四性检测 four-properties check: 通过 PASS ({len(archived.report.checks)} checks)")
    for warning in result.warnings:
        out.write(f"  warning: {warning}")
    return 0


def register() -> None:
    """Add `export CASE_NUMBER DIR` to `sanxiang archive` (called from `CasesConfig.ready`)."""
    from sanxiang.records.archive import ArchiveSubcommand, archive_subcommand_register

    archive_subcommand_register(ArchiveSubcommand(
        "export", "archival package of a closed case (归档包); the case moves to archived when the package "
                  "passes the four-properties check",
        _add_arguments, _handle))
