"""`sanxiang archive export CASE_NUMBER DIR` (结案归档): the package of a closed case passes the
four-properties check (档案法 第三十九条, DA/T 70-2018, RULES.md R8.7–R8.8), holds the issued
documents, and the case moves to `archived` — the only way there. An open case is refused; a
package changed afterwards fails `sanxiang archive check`.
"""

from __future__ import annotations

import hashlib
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sanxiang.cases import issuing, services
from sanxiang.cases.models import Case
from sanxiang.cases.tests import case_file
from sanxiang.cases.tests.helpers import Api, refused
from sanxiang.core.errors import GuardRefused, PermissionDenied
from sanxiang.records.archive import archive_check
from sanxiang.records.models import LedgerEntry

pytestmark = pytest.mark.django_db


def export(number: str, directory, *args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("archive", "export", number, str(directory), *args, stdout=out)
    return out.getvalue()


def check(directory) -> tuple[int, dict]:
    from io import StringIO

    out = StringIO()
    try:
        call_command("archive", "check", str(directory), "--json", stdout=out)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, json.loads(out.getvalue())


@pytest.fixture
def closed_case(people):
    return case_file.closed(people)


def test_export_of_a_closed_case_passes_the_check_and_archives_it(closed_case, tmp_path):
    case = closed_case.case
    package = tmp_path / "package"
    printed = export(case.number, package)
    assert "通过 PASS" in printed

    code, report = check(package)
    assert code == 0 and report["ok"] is True, report
    case = Case.objects.get(pk=case.pk)
    assert case.stage == "archived"

    fingerprint = hashlib.sha256((package / "tagmanifest-sha256.txt").read_bytes()).hexdigest()
    last = LedgerEntry.objects.filter(subject=case.ref).order_by("-seq").first()
    body = json.loads(last.body)
    assert body["action"] == "case.transition" and body["actor"] == "system"
    assert body["payload"]["from"] == "closed" and body["payload"]["to"] == "archived"
    assert body["payload"]["package"]["fingerprint"] == fingerprint
    exported = LedgerEntry.objects.get(seq=body["payload"]["package"]["export_seq"])
    assert json.loads(exported.body)["payload"]["tagmanifest_sha256"] == fingerprint

    metadata = json.loads((package / "data" / "metadata.json").read_text(encoding="utf-8"))
    summary = metadata["summary"]
    assert summary["case_number"] == case.number and summary["stage"] == "closed"
    assert summary["decision"]["document_number"] == closed_case.decision.document_number
    assert summary["parties"][0]["uscc"] == case_file.USCC and summary["retention"] == "permanent"
    # Every issued document is in the package as a vault item, checked like any evidence file.
    items = {i["sha256"]: i for i in metadata["items"]}
    documents = summary["documents"]
    assert [d["template"] for d in documents] == [d.template_code for d in case.documents.order_by("issued_at", "id")]
    for doc in documents:
        item = items[doc["sha256"]]
        assert item["kind"] == "document" and item["number"] == doc["evidence_number"]
        assert item["content_type"] == issuing.DOCX and item["path"].endswith(".docx")
        assert hashlib.sha256((package / item["path"]).read_bytes()).hexdigest() == doc["sha256"]

    # Archived is final: no more documents, no second export, no generic transition.
    with pytest.raises(GuardRefused) as caught:
        issuing.case_document_issue(case_id=case.pk, actor=closed_case.case.created_by,
                                    template_code="inspection_record", activity_id=str(closed_case.inspection.pk))
    assert caught.value.code == "case_archived"
    with pytest.raises(CommandError, match="case_not_closed"):
        export(case.number, tmp_path / "again")


def test_personal_identifiers_are_masked_in_the_summary(people, tmp_path):
    services.case_create(actor=people["off1"], kind="inspection", title="李四个体经营场所检查", parties=[
        services.PartyInput(type="person", name="李四", id_number=case_file.ONSITE_ID)])
    case = Case.objects.get(title="李四个体经营场所检查")
    for to in ("investigating", "closed"):
        services.case_transition(case_id=case.pk, actor=people["off1"], to=to)
    export(case.number, tmp_path / "p")
    summary = json.loads((tmp_path / "p" / "data" / "metadata.json").read_text(encoding="utf-8"))["summary"]
    assert summary["parties"][0]["id_number"] == "310115********0016"
    assert case_file.ONSITE_ID not in (tmp_path / "p" / "data" / "metadata.json").read_text(encoding="utf-8")
    assert summary["documents"] == [] and summary["retention"] == "30_years"
    assert Case.objects.get(pk=case.pk).stage == "archived"


def test_export_of_an_open_case_is_refused(people, tmp_path, client):
    file = case_file.decided(people)
    target = tmp_path / "package"
    with pytest.raises(CommandError, match="case_not_closed") as caught:
        export(file.case.number, target)
    assert "decided" in str(caught.value)
    assert not target.exists()
    assert Case.objects.get(pk=file.case.pk).stage == "decided"
    assert not LedgerEntry.objects.filter(subject=file.case.ref, action="archive.exported").exists()
    with pytest.raises(CommandError, match="case_not_found"):
        export("pudong-1999-99999", target)
    # The generic transition never reaches `archived` (API and service).
    refused(Api(client, people["off1"]).post(f"/cases/{file.case.pk}/transitions", {"to": "archived"}), 409,
            "transition_not_allowed")


def test_archiving_is_for_handlers_and_the_unit_head(closed_case, people, tmp_path):
    case = closed_case.case
    with pytest.raises(PermissionDenied):
        services.case_archive(case_id=case.pk, actor=people["off3"], directory=tmp_path / "x")
    with pytest.raises(CommandError, match="no active user"):
        export(case.number, tmp_path / "y", "--user", "nobody")
    printed = export(case.number, tmp_path / "z", "--user", people["head"].username, "--json")
    assert json.loads(printed)["stage"] == "archived"
    last = json.loads(LedgerEntry.objects.filter(subject=case.ref).order_by("-seq").first().body)
    assert last["actor"] == f"user:{people['head'].pk}"


def test_a_changed_package_fails_the_check(closed_case, tmp_path):
    package = tmp_path / "package"
    export(closed_case.case.number, package)
    metadata = json.loads((package / "data" / "metadata.json").read_text(encoding="utf-8"))
    decision = next(d for d in metadata["summary"]["documents"] if d["template"] == "penalty_decision")
    path = package / next(i["path"] for i in metadata["items"] if i["sha256"] == decision["sha256"])
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01  # one bit of the issued decision
    path.write_bytes(bytes(data))
    code, report = check(package)
    assert code == 1 and report["ok"] is False
    assert report["properties"]["authenticity"]["ok"] is False
    assert not archive_check(package).ok


def test_a_failed_check_leaves_the_case_closed(closed_case, tmp_path, monkeypatch):
    """Should the fresh package fail its check (e.g. a vault file in a format not fit for
    archiving), the case is not archived and the report is printed."""
    from sanxiang.records import archive as records_archive

    monkeypatch.setattr(records_archive, "ALLOWED_FORMATS",
                        {k: v for k, v in records_archive.ALLOWED_FORMATS.items() if k != issuing.DOCX})
    with pytest.raises(CommandError, match="archive_check_failed"):
        export(closed_case.case.number, tmp_path / "package")
    assert Case.objects.get(pk=closed_case.case.pk).stage == "closed"
