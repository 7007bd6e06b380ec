"""Evidence register / annotate / open (全过程记录 GD-JL 第23、26、27条; RULES.md R8.4–R8.5):
numbering per subject, metadata validated before any byte is stored, one ledger entry per
change, insert-only rows, access log on every read."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from sanxiang.core.errors import Gone, InvalidInput, NotFound, TooLarge
from sanxiang.records import selectors
from sanxiang.records.ledger.canonical import canonical_sha256
from sanxiang.records.models import Blob, Evidence, EvidenceAccess, EvidenceAnnotation, LedgerEntry
from sanxiang.records.services_evidence import blob_ingest, evidence_annotate, evidence_open
from sanxiang.records.tests.evidence_support import (
    JPEG,
    MP4,
    MiB,
    an_hour_ago,
    files_under,
    ledger_size,
    register,
    sha256,
    sm3,
)

pytestmark = pytest.mark.django_db


def last_entry() -> dict:
    return json.loads(LedgerEntry.objects.order_by("-seq").first().body)


def test_register_stores_metadata_and_appends_one_ledger_entry(any_vault):
    before = ledger_size()
    start = an_hour_ago()
    evidence = register(recorded_at=start, recorded_until=start + dt.timedelta(minutes=42))
    evidence.refresh_from_db()
    assert (evidence.subject, evidence.number, evidence.kind) == ("case:1", 1, "video")
    assert evidence.blob.sha256 == sha256(MP4) and evidence.blob.sm3 == sm3(MP4)
    assert evidence.sniffed_content_type == "video/mp4" and evidence.claimed_content_type == "video/mp4"
    assert evidence.speakers == [{"name": "张三", "role": "执法人员"}, {"name": "李四", "role": "当事人"}]
    assert evidence.filename == "现场录像.mp4" and evidence.device == "执法记录仪 DSJ-001"
    assert evidence.activity == "activity:3" and evidence.uploaded_by == "user:7"
    assert evidence.recorded_until - evidence.recorded_at == dt.timedelta(minutes=42)
    assert ledger_size() == before + 1
    entry = last_entry()
    assert (entry["subject"], entry["action"], entry["actor"]) == ("case:1", "evidence.registered", "user:7")
    payload = entry["payload"]
    assert payload["evidence_id"] == str(evidence.pk) and payload["number"] == 1
    assert (payload["sha256"], payload["sm3"], payload["size"]) == (sha256(MP4), sm3(MP4), len(MP4))
    assert payload["metadata_sha256"] == canonical_sha256({
        "description": evidence.description, "speakers": evidence.speakers, "device": evidence.device,
        "filename": evidence.filename})
    assert "张三" not in LedgerEntry.objects.order_by("-seq").first().body  # personal data stays in the vault


def test_numbers_are_gapless_per_subject(vault):
    numbers = [register(subject="case:1", stream=[f"clip {i}".encode()]).number for i in range(3)]
    assert numbers == [1, 2, 3]
    assert register(subject="case:2").number == 1
    assert register(subject="case:1").number == 4
    assert [e.number for e in selectors.evidence_list(subject="case:1")] == [1, 2, 3, 4]


def test_a_failed_registration_does_not_use_up_a_number(vault):
    register()
    with pytest.raises(InvalidInput):
        register(kind="hologram")
    assert register().number == 2


def test_claimed_and_sniffed_types_are_recorded_side_by_side(vault):
    evidence = register(kind="photo", stream=[JPEG], claimed_content_type="video/mp4; codecs=avc1",
                        filename="clip.mp4")
    assert evidence.claimed_content_type == "video/mp4"
    assert evidence.sniffed_content_type == "image/jpeg"


def test_identical_files_are_two_evidence_items_on_one_blob(any_vault):
    first = register(subject="case:1")
    second = register(subject="case:9")
    assert first.blob_id == second.blob_id
    assert Blob.objects.count() == 1 and list(any_vault.names()) == [first.blob_id]


def test_register_by_sha256_of_an_uploaded_blob(vault):
    info = blob_ingest([JPEG], max_bytes=MiB)
    evidence = register(kind="photo", blob_sha256=info.sha256.upper())
    assert evidence.blob_id == info.sha256


@pytest.mark.parametrize("sha", ["0" * 64, "not-a-hash", ""])
def test_register_by_unknown_sha256_is_refused(vault, sha):
    with pytest.raises((NotFound, InvalidInput)) as refused:
        register(blob_sha256=sha)
    assert refused.value.details["field"] in {"blob_sha256", "file"}
    assert Evidence.objects.count() == 0


def test_register_needs_exactly_one_source_of_content(vault):
    with pytest.raises(InvalidInput) as refused:
        register(stream=[MP4], blob_sha256=sha256(MP4))
    assert refused.value.code == "file_required"


FUTURE = timezone.now() + dt.timedelta(days=1)


@pytest.mark.parametrize("overrides, code, field", [
    pytest.param({"kind": "hologram"}, "invalid_kind", "kind", id="kind"),
    pytest.param({"kind": ""}, "invalid_kind", "kind", id="kind-empty"),
    pytest.param({"subject": ""}, "field_required", "subject", id="subject"),
    pytest.param({"actor": "  "}, "field_required", "actor", id="actor"),
    pytest.param({"description": ""}, "field_required", "description", id="description"),
    pytest.param({"description": "x" * 10_001}, "too_long", "description", id="description-long"),
    pytest.param({"description": "bad\x00byte"}, "invalid_input", "description", id="description-nul"),
    pytest.param({"speakers": "张三"}, "invalid_speakers", "speakers", id="speakers-not-list"),
    pytest.param({"speakers": ["张三"]}, "invalid_speakers", "speakers[0]", id="speaker-not-object"),
    pytest.param({"speakers": [{"name": "张三"}]}, "field_required", "speakers[0].role", id="speaker-no-role"),
    pytest.param({"speakers": [{"name": "张三", "role": "当事人"}, {"name": " ", "role": "证人"}]},
                 "field_required", "speakers[1].name", id="speaker-blank-name"),
    pytest.param({"speakers": [{"name": "张三", "role": "当事人", "phone": "1"}]},
                 "unknown_field", "speakers[0].phone", id="speaker-extra-key"),
    pytest.param({"recorded_at": None}, "field_required", "recorded_at", id="no-start"),
    pytest.param({"recorded_at": "yesterday"}, "invalid_datetime", "recorded_at", id="start-garbage"),
    pytest.param({"recorded_at": FUTURE, "recorded_until": None}, "recorded_in_future", "recorded_at", id="future"),
    pytest.param({"recorded_until": an_hour_ago() - dt.timedelta(hours=1)}, "time_span_order",
                 "recorded_until", id="ends-before-start"),
    pytest.param({"claimed_content_type": "not a type"}, "invalid_content_type", "content_type", id="claimed-type"),
    pytest.param({"device": "d" * 201}, "too_long", "device", id="device-long"),
])
def test_bad_metadata_is_refused_naming_the_field_before_any_byte_is_stored(vault, settings, overrides, code, field):
    consumed = []

    def stream():
        consumed.append(1)
        yield MP4

    before = ledger_size()
    with pytest.raises(InvalidInput) as refused:
        register(stream=stream(), **overrides)
    assert (refused.value.code, refused.value.details["field"]) == (code, field)
    assert consumed == []
    assert files_under(settings.BLOB_DIR) == [] and Blob.objects.count() == 0
    assert Evidence.objects.count() == 0 and ledger_size() == before


def test_too_large_upload_leaves_no_blob_row_or_ledger_entry(vault, settings):
    before = ledger_size()
    with pytest.raises(TooLarge):
        register(stream=[b"x" * MiB] * 3, max_bytes=2 * MiB)
    assert files_under(settings.BLOB_DIR) == [] and Blob.objects.count() == 0
    assert Evidence.objects.count() == 0 and ledger_size() == before


def test_naive_and_iso_times_are_read_in_the_bureau_time_zone(vault):
    evidence = register(recorded_at="2026-01-05T09:30:00", recorded_until=None)
    assert evidence.recorded_at == dt.datetime(2026, 1, 5, 1, 30, tzinfo=dt.UTC)


def test_file_names_are_sanitised_and_never_become_paths(vault, settings):
    evidence = register(filename="../../etc/passwd\x00.mp4")
    assert evidence.filename == "passwd.mp4"
    assert files_under(settings.BLOB_DIR) == [evidence.blob_id]
    assert register(filename="C:\\evil\\..\\CON", stream=[b"other"]).filename == "_CON"
    assert sorted(files_under(settings.BLOB_DIR)) == sorted({e.blob_id for e in Evidence.objects.all()})


# --- annotations -------------------------------------------------------------------------------

def test_annotations_append_and_are_ledgered(vault):
    evidence = register()
    before = ledger_size()
    first = evidence_annotate(evidence_id=evidence.pk, actor="user:8", text="02:15 处当事人承认夜间偷排")
    second = evidence_annotate(evidence_id=str(evidence.pk), actor="user:9", text="更正：应为 02:51 处")
    assert [a.text for a in selectors.evidence_annotations(evidence_id=evidence.pk)] == [first.text, second.text]
    assert ledger_size() == before + 2
    entry = last_entry()
    assert entry["action"] == "evidence.annotated" and entry["subject"] == "case:1"
    assert entry["payload"]["annotation_id"] == str(second.pk)
    assert entry["payload"]["text_sha256"] == sha256(second.text.encode())


@pytest.mark.parametrize("evidence_id, text, error", [
    pytest.param("999999", "note", NotFound, id="unknown-evidence"),
    pytest.param("abc", "note", NotFound, id="garbage-id"),
    pytest.param(None, "", InvalidInput, id="blank-text"),
])
def test_annotation_guards(vault, evidence_id, text, error):
    evidence = register()
    before = ledger_size()
    with pytest.raises(error):
        evidence_annotate(evidence_id=evidence_id or evidence.pk, actor="user:1", text=text)
    assert EvidenceAnnotation.objects.count() == 0 and ledger_size() == before


# --- reading -------------------------------------------------------------------------------------

def test_every_read_is_recorded(any_vault):
    evidence = register()
    before = ledger_size()
    with evidence_open(evidence_id=evidence.pk, actor="user:12", purpose="法制审核 调阅") as fh:
        assert fh.read() == MP4
    evidence_open(evidence_id=evidence.pk, actor="user:13", purpose="案卷评查").close()
    log = list(selectors.evidence_accesses(evidence_id=evidence.pk))
    assert [(a.actor, a.purpose) for a in log] == [("user:12", "法制审核 调阅"), ("user:13", "案卷评查")]
    assert all(abs((timezone.now() - a.at).total_seconds()) < 60 for a in log)
    assert ledger_size() == before + 2
    entry = last_entry()
    assert entry["action"] == "evidence.accessed" and entry["actor"] == "user:13"
    assert entry["payload"]["sha256"] == evidence.blob_id


def test_open_needs_a_purpose(vault):
    evidence = register()
    with pytest.raises(InvalidInput) as refused:
        evidence_open(evidence_id=evidence.pk, actor="user:1", purpose=" ")
    assert refused.value.details["field"] == "purpose"
    assert EvidenceAccess.objects.count() == 0


def test_open_of_a_missing_file_is_gone_and_not_logged_as_read(any_vault):
    evidence = register()
    any_vault.delete(evidence.blob_id)
    with pytest.raises(Gone) as refused:
        evidence_open(evidence_id=evidence.pk, actor="user:1", purpose="复核")
    assert refused.value.code == "evidence_file_missing"
    assert EvidenceAccess.objects.count() == 0


# --- insert-only ---------------------------------------------------------------------------------

def _refused(action) -> None:
    with pytest.raises(DatabaseError) as refused, transaction.atomic():
        action()
    assert "insert-only" in str(refused.value)


def _sql(statement: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement)


@pytest.mark.parametrize("model, field", [
    (Blob, "content_type"), (Evidence, "description"), (EvidenceAnnotation, "text"), (EvidenceAccess, "purpose"),
])
def test_evidence_tables_refuse_update_and_delete(vault, model, field):
    evidence = register()
    evidence_annotate(evidence_id=evidence.pk, actor="user:1", text="备注")
    evidence_open(evidence_id=evidence.pk, actor="user:1", purpose="查看").close()
    table = model._meta.db_table
    _refused(lambda: model.objects.all().update(**{field: "tampered"}))
    _refused(lambda: _sql(f"UPDATE {table} SET {field} = 'tampered'"))
    _refused(lambda: _sql(f"DELETE FROM {table}"))
    assert model.objects.count() == 1
    assert not model.objects.filter(**{field: "tampered"}).exists()


def test_saving_a_changed_evidence_row_is_refused(vault):
    evidence = register()
    evidence.description = "剪辑后的说明"
    _refused(evidence.save)
    evidence.refresh_from_db()
    assert evidence.description != "剪辑后的说明"
