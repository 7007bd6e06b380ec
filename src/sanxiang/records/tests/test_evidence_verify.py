"""`sanxiang evidence verify [--json]` (DESIGN.md "Stable interfaces"; API.md "Commands"):
rehash every blob, name each damaged or missing one, exit 1 on any."""

from __future__ import annotations

import io
import json
import os

import pytest
from django.core.management import call_command

from sanxiang.records import blobs
from sanxiang.records.services_evidence import blob_ingest
from sanxiang.records.tests.evidence_support import JPEG, MiB, register

pytestmark = pytest.mark.django_db


def verify(*args) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("evidence", "verify", *args, stdout=out)
    except SystemExit as exc:
        return exc.code, out.getvalue()
    return 0, out.getvalue()


def flip_a_byte(store, sha256: str, position: int = 100) -> None:
    """Damage the stored file the way bit rot or an editor would."""
    if isinstance(store, blobs.LocalBlobStore):
        path = store.root / sha256
        os.chmod(path, 0o644)
        with open(path, "r+b") as fh:
            fh.seek(position)
            byte = fh.read(1)
            fh.seek(position)
            fh.write(bytes([byte[0] ^ 0x01]))
    else:
        with store.open(sha256) as fh:
            data = bytearray(fh.read())
        data[position] ^= 0x01
        store.client.put_object(Bucket=store.bucket, Key=store._key(sha256), Body=bytes(data))


def test_intact_vault_exits_0(any_vault):
    register()
    register(subject="case:2", kind="photo", stream=[JPEG])
    code, out = verify("--json")
    assert code == 0
    assert json.loads(out) == {"ok": True, "checked": 2, "damaged": [], "missing": []}


def test_empty_vault_is_intact(vault):
    assert verify("--json") == (0, json.dumps({"ok": True, "checked": 0, "damaged": [], "missing": []}) + "\n")


def test_flipped_byte_is_damage_naming_the_evidence(any_vault):
    good = register(subject="case:1")
    bad = register(subject="case:2", kind="photo", stream=[JPEG])
    flip_a_byte(any_vault, bad.blob_id)
    code, out = verify("--json")
    assert code == 1
    report = json.loads(out)
    assert set(report) == {"ok", "checked", "damaged", "missing"}
    assert report["ok"] is False and report["checked"] == 2 and report["missing"] == []
    assert report["damaged"] == [{"id": str(bad.pk), "number": 1, "sha256": bad.blob_id,
                                  "reason": "SHA-256 mismatch; SM3 mismatch"}]
    assert good.blob_id not in out


def test_missing_file_is_reported_per_evidence_item(any_vault):
    first = register(subject="case:1")
    second = register(subject="case:7")  # the same content: one blob, two evidence items
    any_vault.delete(first.blob_id)
    code, out = verify("--json")
    assert code == 1
    report = json.loads(out)
    assert report["damaged"] == []
    assert report["missing"] == [
        {"id": str(first.pk), "number": 1, "sha256": first.blob_id, "reason": "missing"},
        {"id": str(second.pk), "number": 1, "sha256": first.blob_id, "reason": "missing"},
    ]


def test_truncated_file_reports_its_size(vault):
    evidence = register()
    path = vault.root / evidence.blob_id
    os.chmod(path, 0o644)
    os.truncate(path, 10)
    _code, out = verify("--json")
    reason = json.loads(out)["damaged"][0]["reason"]
    assert reason.startswith(f"size 10 bytes, recorded {evidence.blob.size}")


def test_unattached_blob_is_reported_without_an_evidence_id(vault):
    info = blob_ingest([b"uploaded, never registered"], max_bytes=MiB)
    vault.delete(info.sha256)
    report = json.loads(verify("--json")[1])
    assert report["missing"] == [{"id": None, "number": None, "sha256": info.sha256, "reason": "missing"}]


def test_human_output_names_subject_and_number(vault):
    evidence = register(subject="case:42")
    flip_a_byte(vault, evidence.blob_id)
    code, out = verify()
    assert code == 1
    assert "case:42" in out and "编号 1" in out and evidence.blob_id in out and "SHA-256 mismatch" in out


def test_progress_is_not_written_when_stderr_is_not_a_terminal(vault, capsys):
    register()
    assert verify()[0] == 0
    assert capsys.readouterr().err == ""


def test_clean_uploads_command_is_idempotent(vault):
    out = io.StringIO()
    call_command("evidence", "clean-uploads", "--json", stdout=out)
    call_command("evidence", "clean-uploads", "--json", stdout=out)
    assert [json.loads(line) for line in out.getvalue().splitlines()] == [
        {"expired": 0, "temp_files_removed": 0}, {"expired": 0, "temp_files_removed": 0}]
