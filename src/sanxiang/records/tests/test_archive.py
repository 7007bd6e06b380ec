"""Archive packages (电子档案归档包): BagIt (RFC 8493) build and the four-properties check of
档案法 第三十九条 / DA/T 70-2018 (RULES.md R8.7–R8.9): a fresh package passes, and it fails
when any file in it is changed, removed or added."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import json
import os
import shutil
import stat
import struct
import wave
import zlib
from pathlib import Path

import bagit
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from django.utils import timezone

from sanxiang.core.errors import Gone, GuardRefused, InvalidInput
from sanxiang.records import archive, blobs, keys
from sanxiang.records.archive import archive_build, archive_check
from sanxiang.records.models import LedgerEntry
from sanxiang.records.services import ledger_append
from sanxiang.records.services_evidence import evidence_annotate, evidence_register
from sanxiang.records.tests import evidence_support

pytestmark = pytest.mark.django_db

moto_endpoint = evidence_support.moto_endpoint  # session fixture: an in-process S3 (moto) server

SUBJECT = "case:archive-1"
SUMMARY = {"case_number": "沪环罚〔2026〕12号", "title": "某化工有限公司超标排放水污染物案",
           "party": "某化工有限公司", "organization": "上海市生态环境局"}


# --- small real files of each format ---------------------------------------------------------

def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
            + chunk(b"IEND", b""))


def jpeg() -> bytes:
    return (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
            + b"\xff\xdb\x00\x43\x00" + bytes(range(1, 65)) + b"\xff\xd9")


def wav() -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\x00\x01" * 800)
    return out.getvalue()


def pdf() -> bytes:
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
            b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
            b"trailer<</Root 1 0 R>>\n%%EOF\n")


def mp4() -> bytes:
    ftyp = b"ftypisom\x00\x00\x02\x00isomiso2avc1mp41"
    return struct.pack(">I", 8 + len(ftyp)) + ftyp + struct.pack(">I", 8 + 64) + b"mdat" + bytes(64)


GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x00\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"


@pytest.fixture
def store(settings, tmp_path):
    """A fresh local blob store of this test."""
    settings.BLOB_DIR = tmp_path / "blobs"
    settings.BLOB_STORE = ""
    settings.BLOB_DIR.mkdir()
    return blobs.blob_store()


def an_hour_ago() -> dt.datetime:
    return timezone.now() - dt.timedelta(hours=1)


def register(subject: str = SUBJECT, *, kind: str, data: bytes, **extra):
    fields = {"description": "现场检查：废水排放口取样", "recorded_at": an_hour_ago(), "actor": "user:7",
              "speakers": [{"name": "张三", "role": "执法人员"}, {"name": "李四", "role": "当事人"}],
              "device": "执法记录仪 DSJ-001"}
    fields.update(extra)
    return evidence_register(subject=subject, kind=kind, stream=io.BytesIO(data), **fields)


def make_evidence(subject: str = SUBJECT) -> list:
    """Five items of the subject, an annotation, and other subjects' entries in between."""
    items = [register(subject, kind="video", data=mp4(), recorded_until=timezone.now(), filename="现场.mp4")]
    ledger_append(subject="case:other", action="case.noted", actor="user:1", payload={"i": 1})
    items.append(register(subject, kind="photo", data=png(), filename="排放口.png"))
    items.append(register(subject, kind="photo", data=jpeg(), filename="厂区.jpg"))
    ledger_append(subject="case:other", action="case.noted", actor="user:1", payload={"i": 2})
    items.append(register(subject, kind="audio", data=wav(), filename="询问.wav",
                          recorded_until=timezone.now()))
    items.append(register(subject, kind="document", data=pdf(), speakers=[], filename="检查笔录.pdf"))
    evidence_annotate(evidence_id=items[0].pk, actor="user:8", text="00:03:10 处为取样过程")
    ledger_append(subject=subject, action="case.noted", actor="user:7", payload={"note": "归档前"})
    return items


def build(tmp_path: Path, subject: str = SUBJECT, name: str = "pkg", **kwargs) -> Path:
    directory = tmp_path / name
    archive_build(subject=subject, directory=directory, summary=SUMMARY, actor="user:9", **kwargs)
    return directory


@pytest.fixture
def package(store, tmp_path) -> Path:
    make_evidence()
    return build(tmp_path)


def failed(report) -> set[str]:
    return {c.code for c in report.failed()}


def rebag(root: Path) -> None:
    """Rewrite manifests, tag manifests and Payload-Oxum as a forger who has no signing key would."""
    payload = sorted(p for p in (root / "data").rglob("*") if p.is_file() or p.is_symlink())
    size = 0
    for alg in ("sha256", "sm3"):
        lines = []
        for p in payload:
            data = p.read_bytes()
            lines.append(f"{hashlib.new(alg, data).hexdigest()}  {p.relative_to(root).as_posix()}\n")
        (root / f"manifest-{alg}.txt").write_text("".join(lines))
    size = sum(p.stat().st_size for p in payload)
    info = [line for line in (root / "bag-info.txt").read_text().splitlines() if not line.startswith("Payload-Oxum")]
    (root / "bag-info.txt").write_text("\n".join([*info, f"Payload-Oxum: {size}.{len(payload)}"]) + "\n")
    tags = ["bagit.txt", "bag-info.txt", "manifest-sha256.txt", "manifest-sm3.txt"]
    for alg in ("sha256", "sm3"):
        (root / f"tagmanifest-{alg}.txt").write_text("".join(
            f"{hashlib.new(alg, (root / t).read_bytes()).hexdigest()}  {t}\n" for t in tags))


def edit_json(path: Path, change) -> None:
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def ledger_rows(root: Path) -> list[dict]:
    return [json.loads(line) for line in (root / "data/ledger.jsonl").read_text().splitlines()]


def write_rows(root: Path, rows: list[dict]) -> None:
    (root / "data/ledger.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))


# --- build --------------------------------------------------------------------------------------

def test_fresh_package_passes_all_four_properties(package):
    report = archive_check(package)
    assert report.ok, report.as_dict()
    assert {key for key, _zh, _en in archive.PROPERTIES} == {c.prop for c in report.checks}
    assert all(c.checked > 0 for c in report.checks if c.code not in ("metadata_readable",)), \
        [c.code for c in report.checks if not c.checked]
    assert report.subject == SUBJECT and report.key_id == keys.key_id()


def test_fresh_package_is_a_valid_bagit_1_0_bag(package):
    bag = bagit.Bag(str(package))
    bag.validate()  # full validation by the reference library: structure, oxum, SHA-256 fixity
    assert bag.version_info == (1, 0)
    assert bag.info["Source-Organization"] == "上海市生态环境局"
    assert bag.info["External-Identifier"] == SUBJECT
    top = sorted(p.name for p in package.iterdir())
    assert top == ["bag-info.txt", "bagit.txt", "data", "manifest-sha256.txt", "manifest-sm3.txt",
                   "tagmanifest-sha256.txt", "tagmanifest-sm3.txt"]
    sm3_lines = (package / "manifest-sm3.txt").read_text().splitlines()
    payload = sorted(p.relative_to(package).as_posix() for p in (package / "data").rglob("*") if p.is_file())
    assert [line.split("  ", 1)[1] for line in sm3_lines] == payload
    for line in sm3_lines:
        digest, path = line.split("  ", 1)
        assert hashlib.new("sm3", (package / path).read_bytes()).hexdigest() == digest
    assert all(not p.stat().st_mode & 0o111 for p in package.rglob("*") if p.is_file())


def test_package_contents(package, store):
    metadata = json.loads((package / "data/metadata.json").read_text())
    assert metadata["subject"] == SUBJECT and metadata["summary"] == SUMMARY
    assert [i["number"] for i in metadata["items"]] == [1, 2, 3, 4, 5]
    assert [i["content_type"] for i in metadata["items"]] == [
        "video/mp4", "image/png", "image/jpeg", "audio/wav", "application/pdf"]
    first = metadata["items"][0]
    assert first["path"] == f"data/evidence/0001-{first['sha256'][:12]}.mp4"
    assert (package / first["path"]).read_bytes() == mp4()
    assert first["annotations"][0]["text"] == "00:03:10 处为取样过程"
    assert first["speakers"][0] == {"name": "张三", "role": "执法人员"}
    assert first["recorded_until"] is not None and first["device"] == "执法记录仪 DSJ-001"
    assert metadata["counts"] == {"items": 5, "evidence_files": 5, "ledger_entries": 7, "annotations": 1}

    rows = ledger_rows(package)
    assert len(rows) == 7
    assert {json.loads(r["body"])["subject"] for r in rows} == {SUBJECT}
    assert [r["seq"] for r in rows] == sorted(r["seq"] for r in rows)
    assert rows[1]["seq"] == rows[0]["seq"] + 2  # another subject's entry in between: not packaged
    head = json.loads((package / "data/tree-head.json").read_text())
    assert head["tree_size"] == rows[-1]["seq"] + 1 and head["algorithm"] == "ed25519"
    assert keys.verify(keys.head_message(head["tree_size"], head["root_hash"], head["timestamp"]),
                       head["signature"])
    assert (package / "data/public-key.pem").read_text() == keys.public_key_pem()


def test_export_is_ledgered_with_the_package_fingerprint(package):
    entry = LedgerEntry.objects.filter(subject=SUBJECT).order_by("-seq").first()
    assert entry.action == "archive.exported" and entry.actor == "user:9"
    payload = json.loads(entry.body)["payload"]
    head = json.loads((package / "data/tree-head.json").read_text())
    assert payload["tagmanifest_sha256"] == hashlib.sha256((package / "tagmanifest-sha256.txt").read_bytes()).hexdigest()
    assert payload["tree_size"] == head["tree_size"] == entry.seq  # signed just before the export entry
    assert payload["items"] == 5 and payload["ledger_entries"] == 7


def test_package_from_the_s3_store(settings, tmp_path, monkeypatch, moto_endpoint):
    settings.BLOB_DIR = tmp_path / "blobs"
    settings.BLOB_DIR.mkdir()
    for name, value in evidence_support.AWS_ENV.items():
        monkeypatch.setenv(name, value)
    settings.BLOB_STORE = f"s3://{evidence_support.new_bucket(moto_endpoint)}/sanxiang/evidence"
    settings.S3_ENDPOINT_URL = moto_endpoint
    make_evidence()
    assert archive_check(build(tmp_path)).ok


def test_progress_is_reported_per_evidence_file(store, tmp_path):
    make_evidence()
    seen = []
    build(tmp_path, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]


def test_a_subject_without_evidence_still_packages_its_ledger(store, tmp_path):
    ledger_append(subject="case:empty", action="case.noted", actor="user:1", payload={})
    report = archive_check(build(tmp_path, subject="case:empty"))
    assert report.ok, report.as_dict()


@pytest.mark.parametrize("existing", ["non-empty", "file"])
def test_directory_must_not_exist_or_be_empty(store, tmp_path, existing):
    make_evidence()
    target = tmp_path / "pkg"
    if existing == "non-empty":
        target.mkdir()
        (target / "old.txt").write_text("keep me")
    else:
        target.write_text("a file")
    before = LedgerEntry.objects.count()
    with pytest.raises(InvalidInput) as refused:
        archive_build(subject=SUBJECT, directory=target, summary=SUMMARY, actor="user:9")
    assert refused.value.code == "archive_directory_not_empty"
    assert LedgerEntry.objects.count() == before
    assert (target / "old.txt").read_text() == "keep me" if existing == "non-empty" else target.is_file()


def test_an_existing_empty_directory_is_used(store, tmp_path):
    make_evidence()
    (tmp_path / "pkg").mkdir()
    assert archive_check(build(tmp_path)).ok


def test_a_missing_file_in_the_vault_leaves_nothing(store, tmp_path):
    items = make_evidence()
    store.delete(items[2].blob_id)
    before = LedgerEntry.objects.count()
    with pytest.raises(Gone) as refused:
        build(tmp_path)
    assert refused.value.code == "evidence_file_missing"
    assert not (tmp_path / "pkg").exists()
    assert LedgerEntry.objects.filter(seq__gte=before, action="archive.exported").count() == 0


def test_a_damaged_file_in_the_vault_is_not_packaged(store, tmp_path):
    items = make_evidence()
    path = store.root / items[1].blob_id
    os.chmod(path, 0o644)
    data = bytearray(path.read_bytes())
    data[-5] ^= 0x01
    path.write_bytes(bytes(data))
    (tmp_path / "pkg").mkdir()
    with pytest.raises(GuardRefused) as refused:
        build(tmp_path)
    assert refused.value.code == "evidence_damaged"
    assert list((tmp_path / "pkg").iterdir()) == []  # emptied, not removed: it existed before


def test_a_format_off_the_archival_list_is_warned_and_fails_usability(store, tmp_path):
    register(kind="photo", data=GIF)
    result = archive_build(subject=SUBJECT, directory=tmp_path / "pkg", summary=SUMMARY, actor="user:9")
    assert result.warnings and "image/gif" in result.warnings[0]
    report = archive_check(tmp_path / "pkg")
    assert failed(report) == {"formats_allowed"}


# --- acceptance: any file changed, removed or added --------------------------------------------

def all_files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_changing_removing_or_adding_any_file_fails(package, tmp_path):
    names = all_files(package)
    assert len(names) == 6 + 5 + 4  # tag files, evidence, other payload
    for name in names:
        copy = tmp_path / "changed"
        shutil.copytree(package, copy, symlinks=True)
        data = bytearray((copy / name).read_bytes())
        data[len(data) // 2] ^= 0x01
        (copy / name).write_bytes(bytes(data))
        assert not archive_check(copy).ok, f"changing {name} went unnoticed"
        shutil.rmtree(copy)

        shutil.copytree(package, copy, symlinks=True)
        (copy / name).unlink()
        assert not archive_check(copy).ok, f"removing {name} went unnoticed"
        shutil.rmtree(copy)
    for name in ("data/evidence/0006-extra.pdf", "data/extra.txt", "extra.txt", "more/extra.txt"):
        copy = tmp_path / "added"
        shutil.copytree(package, copy, symlinks=True)
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        (copy / name).write_bytes(pdf())
        report = archive_check(copy)
        assert not report.ok, f"adding {name} went unnoticed"
        assert not report.property_ok("integrity")
        shutil.rmtree(copy)


def test_one_changed_byte_of_an_evidence_file_fails_authenticity(package):
    path = next((package / "data/evidence").glob("0002-*.png"))
    data = bytearray(path.read_bytes())
    data[-3] ^= 0x01
    path.write_bytes(bytes(data))
    report = archive_check(package)
    assert failed(report) == {"payload_fixity_sha256", "payload_fixity_sm3", "metadata_content"}
    assert report.property_ok("integrity") and report.property_ok("security")
    assert not report.property_ok("authenticity")


def test_removed_file_fails_integrity(package):
    next((package / "data/evidence").glob("0004-*.wav")).unlink()
    report = archive_check(package)
    assert {"bagit_structure", "payload_manifests_complete", "counts_match", "items_have_files"} <= failed(report)
    assert not report.property_ok("integrity")


def test_added_file_fails_integrity(package):
    (package / "data/evidence/0006-aaaaaaaaaaaa.jpg").write_bytes(jpeg())
    report = archive_check(package)
    assert {"bagit_structure", "payload_manifests_complete", "counts_match", "items_have_files"} <= failed(report)
    assert report.property_ok("authenticity") and report.property_ok("security")


def test_removed_evidence_rebagged_still_fails_on_numbers_and_counts(package):
    """A forger who removes item 3 and rewrites the manifests leaves a gap in the numbers."""
    path = next((package / "data/evidence").glob("0003-*.jpg"))
    path.unlink()
    edit_json(package / "data/metadata.json",
              lambda m: m.update(items=[i for i in m["items"] if i["number"] != 3]))
    rebag(package)
    assert {"numbering", "counts_match"} <= failed(archive_check(package))


def test_changed_ledger_body_fails_authenticity(package):
    rows = ledger_rows(package)
    assert rows[2]["seq"] == rows[1]["seq"] + 1  # consecutive: the chain link is checked
    rows[1]["body"] = rows[1]["body"].replace('"actor":"user:7"', '"actor":"user:666"')
    write_rows(package, rows)
    report = archive_check(package)
    assert {"payload_fixity_sha256", "payload_fixity_sm3", "ledger_entry_hashes"} <= failed(report)

    rebag(package)  # a forger who rewrites the manifests too
    assert failed(archive_check(package)) == {"ledger_entry_hashes"}

    rows[1]["entry_hash"] = hashlib.sha256(rows[1]["body"].encode()).hexdigest()  # and the entry hash
    write_rows(package, rows)
    rebag(package)
    assert failed(archive_check(package)) == {"ledger_inclusion", "ledger_chain"}


def test_dropped_ledger_entry_fails_counts(package):
    rows = ledger_rows(package)
    write_rows(package, rows[:2] + rows[3:])
    rebag(package)
    assert "counts_match" in failed(archive_check(package))


def test_changed_metadata_note_fails_against_the_ledger(package):
    edit_json(package / "data/metadata.json",
              lambda m: m["items"][0].update(description="剪辑后的说明"))
    rebag(package)
    report = archive_check(package)
    assert failed(report) == {"evidence_ledger_link"}


def test_tampered_signature_fails(package):
    def flip(head):
        raw = bytearray(base64.b64decode(head["signature"]))
        raw[0] ^= 0x01
        head["signature"] = base64.b64encode(bytes(raw)).decode()
    edit_json(package / "data/tree-head.json", flip)
    rebag(package)
    assert failed(archive_check(package)) == {"tree_head_signature"}


def test_forged_head_with_another_key_fails_against_the_trusted_key(package):
    """Re-signed with a forger's key: consistent inside, caught by the published key."""
    forger = Ed25519PrivateKey.generate()
    raw = forger.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)

    def resign(head):
        head["timestamp"] += 1
        head["signature"] = base64.b64encode(forger.sign(keys.head_message(
            head["tree_size"], head["root_hash"], head["timestamp"]))).decode()
        head["public_key"] = base64.b64encode(raw).decode()
    edit_json(package / "data/tree-head.json", resign)
    (package / "data/public-key.pem").write_bytes(forger.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    rebag(package)
    assert archive_check(package).key_id == keys.key_id(raw) != keys.key_id()
    assert failed(archive_check(package, trusted_public_key=keys.public_key_raw())) == {"tree_head_signature"}
    assert archive_check(package, trusted_public_key=raw).ok


def test_symlink_fails_security(package):
    (package / "data/evidence/0006-link.pdf").symlink_to("/etc/passwd")
    report = archive_check(package)
    assert "no_links" in failed(report) and not report.property_ok("security")


def test_rebagged_symlink_escaping_the_package_fails_security(package, tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("secret")
    (package / "data/notes.txt").symlink_to(outside)
    rebag(package)
    assert {"no_links", "inside_package"} <= failed(archive_check(package))


def test_unsafe_manifest_paths_fail_security(package):
    with (package / "manifest-sha256.txt").open("a") as fh:
        fh.write(f"{'0' * 64}  data/../../etc/passwd\n{'0' * 64}  /etc/shadow\n")
    report = archive_check(package)
    assert {"manifest_paths_safe", "inside_package"} <= failed(report)
    problems = " ".join(report.check("manifest_paths_safe").problems)
    assert "'..' in path" in problems and "absolute path" in problems


def test_executable_permission_fails_security(package):
    path = next((package / "data/evidence").glob("0005-*.pdf"))
    path.chmod(0o755)
    assert failed(archive_check(package)) == {"no_executable_bits"}


@pytest.mark.parametrize("content", [b"#!/bin/sh\nrm -rf /\n", b"\x7fELF\x02\x01\x01" + bytes(57),
                                     b"MZ\x90\x00" + bytes(60)])
def test_executable_content_fails_security(package, content):
    (package / "data/readme.txt").write_bytes(content)
    rebag(package)
    assert failed(archive_check(package)) == {"no_executable_content"}


def test_declared_type_mismatch_fails_usability(package):
    def declare_pdf(m):
        m["items"][1]["content_type"] = "application/pdf"
    edit_json(package / "data/metadata.json", declare_pdf)
    rebag(package)
    report = archive_check(package)
    assert "formats_match" in failed(report) and not report.property_ok("usability")
    assert "declared application/pdf, content is image/png" in " ".join(report.check("formats_match").problems)


def test_unreadable_metadata_fails_usability_and_integrity(package):
    (package / "data/metadata.json").write_text("{not json")
    rebag(package)
    report = archive_check(package)
    assert {"metadata_readable", "required_metadata", "numbering"} <= failed(report)


def test_missing_directory_fails(tmp_path):
    report = archive_check(tmp_path / "nowhere")
    assert not report.ok and failed(report) == {"package_directory"}


# --- command ------------------------------------------------------------------------------------

def run(*args) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("archive", *args, stdout=out)
    except SystemExit as exc:
        return int(exc.code), out.getvalue()
    return 0, out.getvalue()


def test_command_passes_a_fresh_package(package):
    code, out = run("check", str(package))
    assert code == 0
    for word in ("真实性", "完整性", "可用性", "安全性", "Authenticity", "Security", "通过 PASS"):
        assert word in out
    assert "不通过" not in out


def test_command_fails_with_exit_1_and_names_the_file(package):
    path = next((package / "data/evidence").glob("0001-*.mp4"))
    path.write_bytes(path.read_bytes() + b"\x00")
    code, out = run("check", str(package))
    assert code == 1
    assert "不通过 FAIL" in out and path.name in out


def test_command_json_shape(package):
    code, out = run("check", str(package), "--json")
    report = json.loads(out)
    assert code == 0 and report["ok"] is True and report["subject"] == SUBJECT
    assert set(report) == {"ok", "directory", "subject", "key_id", "properties"}
    assert list(report["properties"]) == ["authenticity", "integrity", "usability", "security"]
    assert report["properties"]["authenticity"]["name"] == "真实性"
    check = report["properties"]["security"]["checks"][0]
    assert set(check) == {"code", "title", "ok", "checked", "problems", "omitted_problems"}

    (package / "extra.bin").write_bytes(b"\x00")
    code, out = run("check", str(package), "--json")
    report = json.loads(out)
    assert code == 1 and report["ok"] is False and report["properties"]["integrity"]["ok"] is False


def test_command_checks_against_a_trusted_key(package, tmp_path):
    good = tmp_path / "good.pem"
    good.write_text(keys.public_key_pem())
    assert run("check", str(package), "--public-key", str(good))[0] == 0
    raw = tmp_path / "raw.b64"
    raw.write_text(keys.public_key_b64())
    assert run("check", str(package), "--public-key", str(raw))[0] == 0
    other = tmp_path / "other.pem"
    other.write_bytes(Ed25519PrivateKey.generate().public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    assert run("check", str(package), "--public-key", str(other))[0] == 1


def test_command_accepts_further_actions_from_higher_apps(monkeypatch, tmp_path):
    """The hook the cases app uses for `sanxiang archive export CASE_NUMBER DIR`."""
    monkeypatch.setattr(archive, "_SUBCOMMANDS", {})
    calls = []

    def add_arguments(parser):
        parser.add_argument("case_number")
        parser.add_argument("directory")

    def handle(command, opts):
        calls.append((opts["case_number"], opts["directory"]))
        command.stdout.write("exported")
        return 3

    archive.archive_subcommand_register(archive.ArchiveSubcommand("export", "export a case", add_arguments, handle))
    assert run("export", "沪环罚〔2026〕12号", str(tmp_path)) == (3, "exported\n")
    assert calls == [("沪环罚〔2026〕12号", str(tmp_path))]
    with pytest.raises(ValueError):
        archive.archive_subcommand_register(archive.ArchiveSubcommand("check", "", add_arguments, handle))


def test_check_reads_without_following_links_or_executing(package, tmp_path):
    """A FIFO would block a naive reader; a link to a directory would lead outside."""
    os.mkfifo(package / "data/pipe")
    (package / "data/elsewhere").symlink_to(tmp_path, target_is_directory=True)
    report = archive_check(package)
    assert {"no_links"} <= failed(report)
    problems = " ".join(report.check("no_links").problems)
    assert "data/pipe: special file" in problems and "data/elsewhere: symbolic link" in problems
    assert stat.S_ISFIFO(os.lstat(package / "data/pipe").st_mode)
