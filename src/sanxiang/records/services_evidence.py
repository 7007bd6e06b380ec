"""Evidence vault services (证据库): ingest, register, annotate, open.

Every file goes through `blob_ingest`: streamed in 1 MiB chunks into a temporary file,
SHA-256 and SM3 (国密) computed in the same pass, the size limit enforced while streaming,
fsynced, then handed to the blob store under its SHA-256 name (identical content is stored
once). Nothing reaches the database or the ledger until the file is complete, so a failed
or killed upload leaves no blob, no row and no ledger entry.

The registering, annotating and opening services each write their rows and append exactly
one ledger entry in one transaction. Rows are insert-only (database triggers): no update, no
delete; a correction is a new annotation (GD-JL 第27条). Every read of an evidence file is
recorded (GD-JL 第26条).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import re
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import BinaryIO

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from sanxiang.core.errors import Gone, InvalidInput, NotFound, TooLarge
from sanxiang.records import blobs, logs
from sanxiang.records.ledger.canonical import canonical_sha256, sha256_hex
from sanxiang.records.models import (
    Blob,
    Evidence,
    EvidenceAccess,
    EvidenceAnnotation,
    EvidenceKind,
    UploadSession,
    UploadState,
)
from sanxiang.records.models.ledger import LEDGER_LOG
from sanxiang.records.services import ledger_append
from sanxiang.records.sniff import HEAD_BYTES, sanitize_filename, sniff

log = logging.getLogger(__name__)

CHUNK = 1024 * 1024
CLOCK_SKEW = dt.timedelta(minutes=5)
MAX_TEXT = 10_000
MAX_SPEAKERS = 100
_MEDIA_TYPE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}$")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class BlobInfo:
    """What `blob_ingest` stored: both digests, the size, the sniffed type; `stored` is False
    when identical content was already in the store."""

    sha256: str
    sm3: str
    size: int
    content_type: str
    stored: bool = True

    def as_dict(self) -> dict:
        return {"sha256": self.sha256, "sm3": self.sm3, "size": self.size, "content_type": self.content_type}


# --- ingest -----------------------------------------------------------------------------------

def _chunks(stream) -> Iterator[bytes]:
    """Chunks of a file-like object (read in CHUNK pieces) or of an iterable of bytes."""
    read = getattr(stream, "read", None)
    if read is not None:
        while True:
            chunk = read(CHUNK)
            if not chunk:
                return
            yield chunk
    else:
        for chunk in stream:
            if isinstance(chunk, str):
                raise TypeError("a byte stream was expected, got str")
            if chunk:
                yield chunk


def _too_large(limit: int, **details) -> TooLarge:
    return TooLarge("file_too_large",
                    _("The file is larger than the limit of %(limit)d bytes.") % {"limit": limit},
                    field="file", limit=limit, **details)


def normalize_sha256(value: str | None, *, field: str) -> str | None:
    if value is None or value == "":
        return None
    text = str(value).strip().lower()
    if not _HEX64.match(text):
        raise InvalidInput("invalid_sha256", _("Not a SHA-256 hex digest (64 hex digits)."), field=field)
    return text


def blob_ingest(stream: BinaryIO | Iterable[bytes], *, max_bytes: int,
                expected_sha256: str | None = None) -> BlobInfo:
    """Store a stream as a blob: one pass, both digests, limit checked while streaming.

    Refuses with `TooLarge("file_too_large")` as soon as more than `max_bytes` arrive,
    `InvalidInput("file_empty")` for no bytes and `InvalidInput("hash_mismatch")` when
    `expected_sha256` is given and differs; in each case the temporary file is removed and
    nothing is stored. Creates the `Blob` row if it is new (content-addressed storage; the
    ledger records the evidence that uses it, not the storage).

    Call it outside any transaction: a large upload must not hold the database.
    """
    expected = normalize_sha256(expected_sha256, field="sha256")
    sha, sm3 = hashlib.sha256(), hashlib.new("sm3")
    size = 0
    head = bytearray()
    store = blobs.blob_store()
    # SM3 (no hardware support in OpenSSL) runs on a second thread while this one hashes
    # SHA-256 and writes; hashlib releases the GIL on large updates. At most one chunk is
    # in flight, so memory stays bounded.
    with blobs.temp_file() as (fh, path), ThreadPoolExecutor(max_workers=1) as sm3_worker:
        pending = None
        for chunk in _chunks(stream):
            size += len(chunk)
            if size > max_bytes:
                raise _too_large(max_bytes)
            if pending is not None:
                pending.result()
            pending = sm3_worker.submit(sm3.update, chunk)
            sha.update(chunk)
            fh.write(chunk)
            if len(head) < HEAD_BYTES:
                head += chunk[:HEAD_BYTES - len(head)]
        if pending is not None:
            pending.result()
        if size == 0:
            raise InvalidInput("file_empty", _("The file is empty."), field="file")
        fh.flush()
        os.fsync(fh.fileno())
        digest = sha.hexdigest()
        if expected is not None and digest != expected:
            raise InvalidInput("hash_mismatch",
                               _("The content does not match the expected SHA-256; nothing was stored."),
                               field="sha256", expected=expected, actual=digest)
        content_type = sniff(bytes(head), path)
        stored = store.put(digest, path)
    if not stored:
        try:
            existing = store.size(digest)
        except blobs.BlobMissing:
            existing = None
        if existing != size:
            log.error("blob %s already stored with size %s, expected %s: run `sanxiang evidence verify`",
                      digest, existing, size)
    info = BlobInfo(digest, sm3.hexdigest(), size, content_type, stored)
    _blob_row(info)
    return info


def _blob_row(info: BlobInfo) -> Blob:
    blob = Blob.objects.filter(pk=info.sha256).first()
    if blob is not None:
        return blob
    try:
        with transaction.atomic():
            return Blob.objects.create(sha256=info.sha256, sm3=info.sm3, size=info.size,
                                       content_type=info.content_type, created_at=timezone.now())
    except IntegrityError:  # inserted meanwhile by another upload of the same content
        return Blob.objects.get(pk=info.sha256)


# --- validation -------------------------------------------------------------------------------

def _required_text(value, field: str, max_length: int, *, required: bool = True) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput("invalid_input", _("Expected text: %(field)s.") % {"field": field}, field=field)
    text = value.strip()
    if "\x00" in text or any("\ud800" <= ch <= "\udfff" for ch in text):
        raise InvalidInput("invalid_input", _("Invalid characters in %(field)s.") % {"field": field},
                           field=field)
    if required and not text:
        raise InvalidInput("field_required", _("This field is required: %(field)s.") % {"field": field},
                           field=field)
    if len(text) > max_length:
        raise InvalidInput("too_long", _("Too long (at most %(max)d characters): %(field)s.")
                           % {"max": max_length, "field": field}, field=field, max_length=max_length)
    return text


def _ref(value, field: str) -> str:
    return _required_text(value, field, 100)


def _speakers(value) -> list[dict]:
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        raise InvalidInput("invalid_speakers", _("Speakers must be a list of {name, role}."), field="speakers")
    if len(value) > MAX_SPEAKERS:
        raise InvalidInput("invalid_speakers", _("At most %(max)d speakers.") % {"max": MAX_SPEAKERS},
                           field="speakers")
    speakers = []
    for i, item in enumerate(value):
        if not isinstance(item, dict):
            raise InvalidInput("invalid_speakers", _("Each speaker must be an object {name, role}."),
                               field=f"speakers[{i}]")
        for key in item:
            if key not in ("name", "role"):
                raise InvalidInput("unknown_field", _("Unknown field: %(field)s.") % {"field": f"speakers[{i}].{key}"},
                                   field=f"speakers[{i}].{key}")
        speakers.append({"name": _required_text(item.get("name"), f"speakers[{i}].name", 50),
                         "role": _required_text(item.get("role"), f"speakers[{i}].role", 50)})
    return speakers


def _moment(value, field: str, *, required: bool) -> dt.datetime | None:
    if value is None:
        if required:
            raise InvalidInput("field_required", _("This field is required: %(field)s.") % {"field": field},
                               field=field)
        return None
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            raise InvalidInput("invalid_datetime", _("Not an ISO 8601 date and time: %(field)s.") % {"field": field},
                               field=field) from None
    if not isinstance(value, dt.datetime):
        raise InvalidInput("invalid_datetime", _("Not a date and time: %(field)s.") % {"field": field}, field=field)
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > timezone.now() + CLOCK_SKEW:
        raise InvalidInput("recorded_in_future", _("The recording time lies in the future: %(field)s.")
                           % {"field": field}, field=field)
    return value


def _content_type(value) -> str:
    if not value:
        return ""
    text = str(value).split(";", 1)[0].strip().lower()
    if not _MEDIA_TYPE.match(text):
        raise InvalidInput("invalid_content_type", _("Not a media type such as video/mp4."), field="content_type")
    return text


@dataclass(frozen=True)
class _Metadata:
    subject: str
    kind: str
    actor: str
    description: str
    speakers: list
    device: str
    recorded_at: dt.datetime
    recorded_until: dt.datetime | None
    activity: str
    claimed_content_type: str
    filename: str


def _validated(*, subject, kind, actor, description, speakers, device, recorded_at, recorded_until,
               activity, claimed_content_type, filename) -> _Metadata:
    subject = _ref(subject, "subject")
    actor = _ref(actor, "actor")
    if kind not in EvidenceKind.values:
        raise InvalidInput("invalid_kind", _("Unknown evidence kind: %(kind)s.") % {"kind": kind},
                           field="kind", allowed=list(EvidenceKind.values))
    start = _moment(recorded_at, "recorded_at", required=True)
    end = _moment(recorded_until, "recorded_until", required=False)
    if end is not None and end < start:
        raise InvalidInput("time_span_order", _("The recording cannot end before it starts."),
                           field="recorded_until")
    return _Metadata(
        subject=subject, kind=kind, actor=actor,
        description=_required_text(description, "description", MAX_TEXT),
        speakers=_speakers(speakers),
        device=_required_text(device, "device", 200, required=False),
        recorded_at=start, recorded_until=end,
        activity=_required_text(activity, "activity", 100, required=False),
        claimed_content_type=_content_type(claimed_content_type),
        filename=sanitize_filename(filename),
    )


# --- services ---------------------------------------------------------------------------------

def evidence_register(*, subject: str, kind: str, actor: str, description: str,
                      recorded_at: dt.datetime | str, blob_sha256: str | None = None,
                      stream: BinaryIO | Iterable[bytes] | None = None, speakers: list | None = None,
                      device: str = "", recorded_until: dt.datetime | str | None = None,
                      activity: str = "", claimed_content_type: str = "", filename: str = "",
                      max_bytes: int | None = None, upload_owner: str | None = None) -> Evidence:
    """Register an evidence item or AV record (证据登记 / 音像记录归档) for `subject`.

    The content is either a `stream` (ingested here, after the metadata has been checked)
    or the `blob_sha256` of content already stored (e.g. by a finished resumable upload).
    With `upload_owner`, a `blob_sha256` is accepted only if that actor finished an upload of
    it: knowing a hash must not be a way to attach (and then read) someone else's file.
    The item gets the next number (编号) of its subject, gapless from 1: numbering is
    serialised by the lock on the ledger head. Appends `evidence.registered`.
    """
    meta = _validated(subject=subject, kind=kind, actor=actor, description=description,
                      speakers=speakers, device=device, recorded_at=recorded_at,
                      recorded_until=recorded_until, activity=activity,
                      claimed_content_type=claimed_content_type, filename=filename)
    if (blob_sha256 is None) == (stream is None):
        raise InvalidInput("file_required", _("Give either the file or the SHA-256 of an uploaded file."),
                           field="file")
    if stream is not None:
        sha256 = blob_ingest(stream, max_bytes=settings.MAX_UPLOAD_BYTES if max_bytes is None else max_bytes).sha256
    else:
        sha256 = normalize_sha256(blob_sha256, field="blob_sha256")
        uploaded = UploadSession.objects.filter(owner=upload_owner, state=UploadState.FINISHED, blob_id=sha256)
        if (sha256 is None or not Blob.objects.filter(pk=sha256).exists()
                or (upload_owner is not None and not uploaded.exists()) or not blobs.blob_store().exists(sha256)):
            raise NotFound("blob_not_found", _("No uploaded file with this SHA-256."), field="blob_sha256")
    with transaction.atomic():
        blob = Blob.objects.get(pk=sha256)
        logs.locked_head(LEDGER_LOG)  # serialises numbering with every other ledger writer
        last = Evidence.objects.filter(subject=meta.subject).aggregate(n=Max("number"))["n"] or 0
        evidence = Evidence.objects.create(
            subject=meta.subject, number=last + 1, kind=meta.kind, blob=blob,
            claimed_content_type=meta.claimed_content_type, sniffed_content_type=blob.content_type,
            filename=meta.filename, description=meta.description, speakers=meta.speakers,
            device=meta.device, recorded_at=meta.recorded_at, recorded_until=meta.recorded_until,
            activity=meta.activity, uploaded_by=meta.actor, created_at=timezone.now(),
        )
        metadata_hash = canonical_sha256({
            "description": meta.description, "speakers": meta.speakers, "device": meta.device,
            "filename": meta.filename,
        })
        ledger_append(subject=meta.subject, action="evidence.registered", actor=meta.actor, payload={
            "evidence_id": str(evidence.pk), "number": evidence.number, "kind": evidence.kind,
            "sha256": blob.sha256, "sm3": blob.sm3, "size": blob.size,
            "content_type": blob.content_type, "claimed_content_type": meta.claimed_content_type,
            "recorded_at": meta.recorded_at.isoformat(),
            "recorded_until": meta.recorded_until.isoformat() if meta.recorded_until else None,
            "activity": meta.activity or None, "metadata_sha256": metadata_hash,
        })
    return evidence


def _evidence(evidence_id) -> Evidence:
    try:
        pk = int(str(evidence_id))
    except ValueError:
        pk = None
    evidence = Evidence.objects.select_related("blob").filter(pk=pk).first() if pk is not None else None
    if evidence is None:
        raise NotFound("evidence_not_found", _("No such evidence."), field="evidence_id")
    return evidence


@transaction.atomic
def evidence_annotate(*, evidence_id: int | str, actor: str, text: str) -> EvidenceAnnotation:
    """Annotate evidence (备注 / 更正说明): append-only; a correction is a new annotation.
    Appends `evidence.annotated` (the ledger keeps the SHA-256 of the text)."""
    actor = _ref(actor, "actor")
    text = _required_text(text, "text", MAX_TEXT)
    evidence = _evidence(evidence_id)
    annotation = EvidenceAnnotation.objects.create(evidence=evidence, text=text, actor=actor, at=timezone.now())
    ledger_append(subject=evidence.subject, action="evidence.annotated", actor=actor, payload={
        "evidence_id": str(evidence.pk), "number": evidence.number, "annotation_id": str(annotation.pk),
        "text_sha256": sha256_hex(text.encode()),
    })
    return annotation


def evidence_open(*, evidence_id: int | str, actor: str, purpose: str) -> BinaryIO:
    """Open an evidence file for reading (调阅), recording who, when and why.

    Writes an `EvidenceAccess` row and appends `evidence.accessed`; the caller closes the
    returned binary file object. A file missing from the store is `Gone("evidence_file_missing")`.
    """
    actor = _ref(actor, "actor")
    purpose = _required_text(purpose, "purpose", 200)
    evidence = _evidence(evidence_id)
    try:
        fh = blobs.blob_store().open(evidence.blob_id)
    except blobs.BlobMissing:
        raise Gone("evidence_file_missing",
                   _("The file of this evidence is missing from the vault; run `sanxiang evidence verify`."),
                   evidence_id=str(evidence.pk)) from None
    try:
        with transaction.atomic():
            access = EvidenceAccess.objects.create(evidence=evidence, actor=actor, purpose=purpose,
                                                   at=timezone.now())
            ledger_append(subject=evidence.subject, action="evidence.accessed", actor=actor, payload={
                "evidence_id": str(evidence.pk), "number": evidence.number, "sha256": evidence.blob_id,
                "access_id": str(access.pk), "purpose": purpose,
            })
    except BaseException:
        fh.close()
        raise
    return fh
