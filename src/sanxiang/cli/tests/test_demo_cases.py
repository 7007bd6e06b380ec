"""`sanxiang demo --cases N`: cases at every stage, made through the services, honest and verifiable.

One run of 40 cases (the first 40 plans cover every scenario but one) is checked as a whole:
stages, major decisions with approved reviews and collective discussions, overdue deadlines,
valid identifiers, evidence files of the right types, mandatory video, the ledger and the
evidence vault verified by their own commands, and a second run that adds nothing.
"""

from __future__ import annotations

import io
import json
import struct
import wave
import zlib
from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from sanxiang.cli import demo_cases, demo_media
from sanxiang.cli.demo_entities import DISTRICTS, build_entities
from sanxiang.core.identifiers import is_valid_uscc, validate_id_number, validate_uscc
from sanxiang.records.sniff import sniff

PENALTY_STAGES = {"registered", "investigating", "examining", "notified", "hearing", "legal_review",
                  "collective_discussion", "decided", "served", "executing", "closed", "not_punished",
                  "withdrawn", "transferred"}


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_demo_cases_every_stage_through_the_services(db):
    from sanxiang.cases.models import Activity, Case, CaseDeadline, Party
    from sanxiang.disclosure.models import PublicationItem
    from sanxiang.records import blobs
    from sanxiang.records.models import Evidence, LedgerEntry
    from sanxiang.review import selectors as review

    output = run("demo", "--cases", "40")
    assert "40 cases created" in output
    ids = demo_cases.demo_case_ids()
    demo = Case.objects.filter(pk__in=ids)
    assert demo.count() == 40

    # every stage of the penalty flow, and every kind
    stages = {kind: set(demo.filter(kind=kind).values_list("stage", flat=True)) for kind in
              ("penalty", "coercion", "inspection", "permit")}
    assert stages["penalty"] >= PENALTY_STAGES, PENALTY_STAGES - stages["penalty"]
    assert stages["coercion"] >= {"investigating", "decided", "executing", "closed"}
    assert stages["inspection"] >= {"registered", "investigating", "closed"}
    assert stages["permit"] >= {"registered", "examining", "decided", "closed", "withdrawn"}
    assert len(set(demo.values_list("unit__code", flat=True))) >= 6

    # major decisions: approved legal review and collective discussion before the decision
    major_decided = demo.filter(major=True, decision__isnull=False)
    assert major_decided.count() >= 4
    for case in major_decided:
        assert review.review_status(case.ref).approved, case.number
        assert review.collective_discussion_exists(case.ref), case.number
        assert case.decision.decided_by.has_role("agency_head")
    assert any(c.decision.fine_amount and c.decision.fine_amount >= Decimal("200000") for c in major_decided)
    assert demo.filter(stage="legal_review", major=True).exists()  # pending review
    problems = [c for c in demo.filter(stage="examining", major=True) if review.review_status(c.ref).state == "problems"]
    assert problems, "a review that found problems sent a case back to examination"

    # fines within the matter's legal range; decisions published (queued)
    from sanxiang.catalog.selectors import matter_get

    for case in demo.filter(kind="penalty", decision__isnull=False):
        matter = matter_get(case.matter_code)
        fine = case.decision.fine_amount
        if fine is not None and matter.fine_min is not None:
            assert fine >= matter.fine_min, case.number
        if fine is not None and matter.fine_max is not None:
            assert fine <= matter.fine_max, case.number
    decided = demo.filter(decision__isnull=False)
    assert PublicationItem.objects.filter(subject__in=[c.ref for c in decided]).count() == decided.count()

    # overdue: deadlines passed and not met, from honestly backdated cases
    today = timezone.localdate()
    overdue = set(CaseDeadline.objects.filter(case__in=demo, met_on__isnull=True, due_on__lt=today)
                  .values_list("name", flat=True))
    assert {"decision", "service", "payment", "statement"} <= overdue, overdue
    backdated = LedgerEntry.objects.filter(action=demo_cases.BACKDATE_ACTION)
    assert backdated.count() >= 5
    for entry in backdated:
        payload = json.loads(entry.body)["payload"]
        assert payload["reason"] and ("registered_on" in payload or "notified_on" in payload)

    # identifiers: every credit code and ID number passes its check characters
    parties = Party.objects.filter(case__in=demo)
    assert {p.type for p in parties} >= {"organization"}
    for party in parties:
        if party.uscc:
            validate_uscc(party.uscc)
            assert party.uscc[2:8] in {d.region for d in DISTRICTS.values()}
        if party.id_number:
            validate_id_number(party.id_number, today=today)
        assert party.uscc or party.id_number

    # evidence: real files of the claimed type, stored; video for every mandatory-AV act
    evidence = Evidence.objects.filter(subject__in=[c.ref for c in demo]).select_related("blob")
    kinds = Counter((e.kind, e.sniffed_content_type) for e in evidence)
    for kind, ctype in (("photo", "image/png"), ("photo", "image/jpeg"), ("audio", "audio/wav"),
                        ("video", "video/mp4")):
        assert kinds[(kind, ctype)] > 0, (kind, ctype, kinds)
    store = blobs.blob_store()
    for item in evidence:
        assert store.exists(item.blob_id), item.blob_id
        if item.kind in ("photo", "audio", "video"):
            assert item.claimed_content_type == item.sniffed_content_type
    for activity in Activity.objects.filter(case__in=demo, kind__in=["seizure", "production_restriction", "closure"]):
        assert activity.complete
        assert evidence.filter(activity=activity.ref, kind="video").exists()
    assert Activity.objects.filter(case__in=demo, kind="seizure").exists()

    # the records verify, by their own commands
    assert json.loads(run("ledger", "verify", "--json"))["ok"] is True
    assert json.loads(run("evidence", "verify", "--json"))["ok"] is True

    # idempotent: a second run adds nothing
    entries, cases = LedgerEntry.objects.count(), Case.objects.count()  # with the random inspection's cases
    again = run("demo", "--cases", "40")
    assert "already present" in again
    assert len(demo_cases.demo_case_ids()) == 40
    assert Case.objects.count() == cases and LedgerEntry.objects.count() == entries


def test_scenario_sequence_covers_every_stage_early():
    first = demo_cases.scenario_sequence(40)
    assert {s.target for s in first if s.kind == "penalty"} >= PENALTY_STAGES
    assert {"overdue"} <= {s.variant for s in first}
    assert demo_cases.scenario_sequence(200)[:40] == first  # plan i does not depend on the count
    weights = Counter(s.name for s in demo_cases.scenario_sequence(200))
    assert weights["p_closed"] > weights["p_closed_escalated"]


def test_entities_are_deterministic_and_valid():
    first, second = build_entities(), build_entities()
    assert first == second
    names = [e.name for entities in first.values() for e in entities]
    assert len(names) == len(set(names))
    for district, entities in first.items():
        region = DISTRICTS[district].region
        assert {e.type for e in entities} == {"organization", "individual_business", "person"}
        for e in entities:
            if e.type == "person":
                assert validate_id_number(e.id_number).startswith(region)
            else:
                assert is_valid_uscc(e.uscc) and e.uscc[2:8] == region
                assert e.uscc[:2] == ("92" if e.type == "individual_business" else "91")
            assert e.address.startswith(f"上海市{DISTRICTS[district].name}")


@pytest.mark.parametrize("amount, text", [
    ("150000", "壹拾伍万元整"), ("16000", "壹万陆仟元整"), ("1005000", "壹佰万零伍仟元整"),
    ("200500", "贰拾万零伍佰元整"), ("3050", "叁仟零伍拾元整"), ("1010000", "壹佰零壹万元整"),
    ("10500.50", "壹万零伍佰元伍角"), ("4800", "肆仟捌佰元整"),
])
def test_rmb_upper(amount, text):
    assert demo_cases.rmb_upper(Decimal(amount)) == text


def _png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, offset = [], 8
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset:offset + 4])
        kind, body = data[offset + 4:offset + 8], data[offset + 8:offset + 8 + length]
        (crc,) = struct.unpack(">I", data[offset + 8 + length:offset + 12 + length])
        assert zlib.crc32(kind + body) & 0xFFFFFFFF == crc
        chunks.append((kind, body))
        offset += 12 + length
    return chunks


def test_media_files_are_valid():
    png = demo_media.png_photo(["PUDONG-2026-00012", "#3"], seed=1)
    chunks = dict(_png_chunks(png))
    width, height = struct.unpack(">II", chunks[b"IHDR"][:8])
    assert len(zlib.decompress(chunks[b"IDAT"])) == height * (1 + 3 * width)
    assert sniff(png) == "image/png"

    jpeg = demo_media.jpeg_photo("NO.2", seed=1)
    assert jpeg[:2] == b"\xff\xd8" and jpeg[-2:] == b"\xff\xd9" and sniff(jpeg) == "image/jpeg"
    for marker in (b"\xff\xdb", b"\xff\xc0", b"\xff\xc4", b"\xff\xda"):
        assert marker in jpeg

    wav = demo_media.wav_tone(seed=2)
    with wave.open(io.BytesIO(wav)) as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, 8000) and w.getnframes() > 0
    assert sniff(wav) == "audio/wav"

    one, two = demo_media.mp4_video("A #1"), demo_media.mp4_video("A #2")
    assert one != two and sniff(one) == "video/mp4"
    boxes = demo_media.top_level_boxes(one)
    assert boxes[0] == b"ftyp" and b"????" not in boxes and b"mdat" in boxes and boxes[-1] == b"free"
    if demo_media.video_source() == "ffmpeg":
        assert b"moov" in boxes


def test_minimal_mp4_without_ffmpeg(monkeypatch):
    monkeypatch.setattr(demo_media, "_ffmpeg_base_video", lambda: None)
    data = demo_media.mp4_video("B #1")
    assert demo_media.video_source() == "minimal"
    assert demo_media.top_level_boxes(data) == [b"ftyp", b"free", b"mdat"] and sniff(data) == "video/mp4"
