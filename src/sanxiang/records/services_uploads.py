"""Resumable uploads (断点续传) for officers on mobile networks.

create (declared size, optional expected SHA-256) → chunks, each sent with the offset it
starts at and its own SHA-256 → finish, which streams the assembled file through
`blob_ingest` (both digests, the size limit) exactly like a direct upload. After a dropped
connection the client asks for the current offset and carries on from there.

A chunk is first received into a spool file of its own and checked (length, hash); only
then, under the session's row lock, is it written into the session's partial file at the
offset and the offset advanced, so a retried or concurrent request can never interleave
bytes. The partial file lives under BLOB_DIR/uploads/, named by the session id (chosen by
the server, checked against its pattern before any path is built). Sessions untouched for
24 h expire; `uploads_expire` (`sanxiang evidence clean-uploads`) removes their files.

Uploads are transient and leave no ledger entry; registering the finished file as
evidence (`evidence_register(blob_sha256=…)`) does.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import re
import secrets
import tempfile
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanxiang.core.errors import Gone, GuardRefused, InvalidInput, NotFound, TooLarge
from sanxiang.records.models import Blob, UploadSession, UploadState
from sanxiang.records.services_evidence import BlobInfo, blob_ingest, normalize_sha256
from sanxiang.records.sniff import sanitize_filename

CHUNK_MAX = 8 * 1024 * 1024
UPLOAD_TTL = dt.timedelta(hours=24)
ORPHAN_GRACE = dt.timedelta(hours=1)
READ_PIECE = 64 * 1024
_ID = re.compile(r"^[A-Za-z0-9_-]{32}$")


def uploads_dir() -> Path:
    path = Path(settings.BLOB_DIR) / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _part_path(session: UploadSession) -> Path:
    if not _ID.match(session.id):  # the id is ours, but never build a path from unchecked text
        raise ValueError(f"bad upload id {session.id!r}")
    return uploads_dir() / f"{session.id}.part"


def _remove_part(session: UploadSession) -> None:
    with contextlib.suppress(FileNotFoundError):
        _part_path(session).unlink()


def _not_found() -> NotFound:
    return NotFound("upload_not_found", _("No such upload."), field="upload_id")


def upload_get(*, upload_id: str, owner: str, now: dt.datetime | None = None,
               lock: bool = False) -> UploadSession:
    """The owner's session; another owner's (or an unknown id) is 404, an expired one 410."""
    if not isinstance(upload_id, str) or not _ID.match(upload_id):
        raise _not_found()
    query = UploadSession.objects.select_for_update() if lock else UploadSession.objects
    session = query.filter(pk=upload_id, owner=owner).first()
    if session is None:
        raise _not_found()
    now = now or timezone.now()
    if session.state == UploadState.EXPIRED or (session.state == UploadState.OPEN and session.expires_at <= now):
        raise Gone("upload_expired", _("This upload has expired; start a new one."), upload_id=upload_id)
    return session


def _require_open(session: UploadSession) -> None:
    if session.state != UploadState.OPEN:
        raise GuardRefused("upload_closed", _("This upload is %(state)s and takes no more data.")
                           % {"state": session.get_state_display()}, state=session.state)


def upload_create(*, owner: str, size: int, expected_sha256: str | None = None, filename: str = "",
                  claimed_content_type: str = "", max_bytes: int | None = None,
                  now: dt.datetime | None = None) -> UploadSession:
    """Open a resumable upload of `size` bytes for `owner` (an opaque actor reference)."""
    if not owner:
        raise InvalidInput("field_required", _("This field is required: %(field)s.") % {"field": "owner"},
                           field="owner")
    limit = settings.MAX_UPLOAD_BYTES if max_bytes is None else max_bytes
    if isinstance(size, bool) or not isinstance(size, int) or size <= 0:
        raise InvalidInput("invalid_size", _("The size must be a whole number of bytes above zero."), field="size")
    if size > limit:
        raise TooLarge("file_too_large", _("The file is larger than the limit of %(limit)d bytes.") % {"limit": limit},
                       field="size", limit=limit)
    content_type = (claimed_content_type or "").split(";", 1)[0].strip().lower()[:100]
    now = now or timezone.now()
    return UploadSession.objects.create(
        id=secrets.token_urlsafe(24), owner=owner, size=size,
        expected_sha256=normalize_sha256(expected_sha256, field="sha256") or "",
        filename=sanitize_filename(filename), claimed_content_type=content_type,
        created_at=now, expires_at=now + UPLOAD_TTL,
    )


def _receive(stream: BinaryIO, length: int, spool: BinaryIO) -> str:
    """Read exactly `length` bytes of `stream` into `spool`; their SHA-256, or chunk_incomplete."""
    digest = hashlib.sha256()
    received = 0
    while received < length:
        try:
            piece = stream.read(min(READ_PIECE, length - received))
        except OSError:  # includes Django's UnreadablePostError: the client went away
            piece = b""
        if not piece:
            raise InvalidInput("chunk_incomplete",
                               _("The connection ended before the whole chunk arrived; ask for the offset and resend."),
                               field="body", expected_length=length, received=received)
        received += len(piece)
        digest.update(piece)
        spool.write(piece)
    return digest.hexdigest()


def upload_put_chunk(*, upload_id: str, owner: str, offset: int, stream: BinaryIO, length: int | None,
                     chunk_sha256: str | None, now: dt.datetime | None = None) -> UploadSession:
    """Append one chunk of `length` bytes read from `stream` at `offset`.

    409 `offset_mismatch` (details.expected_offset) unless `offset` is the current offset;
    400 `chunk_hash_mismatch` when the bytes do not hash to `chunk_sha256`; 413
    `file_too_large` beyond the declared size, `chunk_too_large` above CHUNK_MAX.
    """
    expected = normalize_sha256(chunk_sha256, field="X-Chunk-SHA256")
    if expected is None:
        raise InvalidInput("chunk_hash_required", _("Send the SHA-256 of the chunk in X-Chunk-SHA256."),
                           field="X-Chunk-SHA256")
    if length is None:
        raise InvalidInput("content_length_required", _("Send the chunk with a Content-Length."),
                           field="Content-Length")
    if length <= 0:
        raise InvalidInput("chunk_empty", _("The chunk is empty."), field="body")
    if length > CHUNK_MAX:
        raise TooLarge("chunk_too_large", _("A chunk may be at most %(max)d bytes.") % {"max": CHUNK_MAX},
                       field="body", limit=CHUNK_MAX)
    session = upload_get(upload_id=upload_id, owner=owner, now=now)
    _check_position(session, offset, length)
    with tempfile.SpooledTemporaryFile(max_size=1024 * 1024, dir=uploads_dir()) as spool:
        actual = _receive(stream, length, spool)
        if actual != expected:
            raise InvalidInput("chunk_hash_mismatch", _("The chunk does not match its SHA-256; resend it."),
                               field="X-Chunk-SHA256", expected=expected, actual=actual)
        with transaction.atomic():
            now = now or timezone.now()
            session = upload_get(upload_id=upload_id, owner=owner, now=now, lock=True)
            _check_position(session, offset, length)  # another request may have moved it meanwhile
            if not _write_at(_part_path(session), offset, spool):
                session.state = UploadState.FAILED
                session.save(update_fields=["state"])
            else:
                session.offset = offset + length
                session.expires_at = now + UPLOAD_TTL
                session.save(update_fields=["offset", "expires_at"])
    if session.state == UploadState.FAILED:
        _remove_part(session)
        raise _damaged(session)
    return session


def _write_at(path: Path, offset: int, spool: BinaryIO) -> bool:
    """Write the spooled chunk into the partial file at `offset`, fsynced; False if the file
    is shorter than `offset` (lost or damaged: the upload cannot be completed)."""
    spool.seek(0)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    with os.fdopen(fd, "r+b") as part:
        if os.fstat(part.fileno()).st_size < offset:
            return False
        part.seek(offset)
        while piece := spool.read(1024 * 1024):
            part.write(piece)
        part.truncate()  # drop bytes a crashed earlier write left beyond the offset
        part.flush()
        os.fsync(part.fileno())
    return True


def _damaged(session: UploadSession) -> GuardRefused:
    return GuardRefused("upload_damaged", _("The partial upload was lost; start a new upload."),
                        upload_id=session.id)


def _check_position(session: UploadSession, offset: int, length: int) -> None:
    _require_open(session)
    if offset != session.offset:
        raise GuardRefused("offset_mismatch",
                           _("This upload continues at byte %(offset)d.") % {"offset": session.offset},
                           field="offset", expected_offset=session.offset)
    if offset + length > session.size:
        raise TooLarge("file_too_large", _("The chunk goes beyond the declared size of %(size)d bytes.")
                       % {"size": session.size}, field="body", limit=session.size)


class _Exactly:
    """The first `size` bytes of a file (bytes a crash left beyond the offset are ignored)."""

    def __init__(self, fh: BinaryIO, size: int) -> None:
        self.fh, self.left = fh, size

    def read(self, n: int = -1) -> bytes:
        n = self.left if n < 0 else min(n, self.left)
        data = self.fh.read(n) if n else b""
        self.left -= len(data)
        return data


def _info(blob: Blob) -> BlobInfo:
    return BlobInfo(blob.sha256, blob.sm3, blob.size, blob.content_type, stored=False)


def upload_finish(*, upload_id: str, owner: str, max_bytes: int | None = None,
                  now: dt.datetime | None = None) -> BlobInfo:
    """Assemble the upload into the blob store: the whole file through `blob_ingest`.

    409 `upload_incomplete` until every byte has arrived; 400 `hash_mismatch` (nothing
    stored, the upload marked failed) when the declared SHA-256 does not match. Finishing a
    finished upload again returns the same result.
    """
    with transaction.atomic():
        now = now or timezone.now()
        session = upload_get(upload_id=upload_id, owner=owner, now=now, lock=True)
        if session.state == UploadState.FINISHED:
            return _info(session.blob)
        _require_open(session)
        if session.offset != session.size:
            raise GuardRefused("upload_incomplete",
                               _("%(offset)d of %(size)d bytes received; send the rest first.")
                               % {"offset": session.offset, "size": session.size},
                               expected_offset=session.offset, size=session.size)
        session.expires_at = now + UPLOAD_TTL  # no expiry sweep while the file is being stored
        session.save(update_fields=["expires_at"])
    path = _part_path(session)
    limit = settings.MAX_UPLOAD_BYTES if max_bytes is None else max_bytes
    try:
        short = path.stat().st_size < session.size
    except FileNotFoundError:
        short = True
    if short:
        _close(session, UploadState.FAILED)
        raise _damaged(session)
    try:
        with open(path, "rb") as fh:
            info = blob_ingest(_Exactly(fh, session.size), max_bytes=limit,
                               expected_sha256=session.expected_sha256 or None)
    except FileNotFoundError:
        _close(session, UploadState.FAILED)
        raise _damaged(session) from None
    except (InvalidInput, TooLarge) as exc:
        if exc.code in ("hash_mismatch", "file_too_large"):
            _close(session, UploadState.FAILED)
        raise
    with transaction.atomic():
        locked = UploadSession.objects.select_for_update().get(pk=session.pk)
        if locked.state == UploadState.OPEN:
            locked.state = UploadState.FINISHED
            locked.blob_id = info.sha256
            locked.save(update_fields=["state", "blob"])
    _remove_part(session)
    return info


def _close(session: UploadSession, state: str) -> None:
    with transaction.atomic():
        locked = UploadSession.objects.select_for_update().get(pk=session.pk)
        if locked.state == UploadState.OPEN:
            locked.state = state
            locked.save(update_fields=["state"])
    _remove_part(session)


def upload_abort(*, upload_id: str, owner: str) -> None:
    """The owner gives an upload up: its partial file is removed at once."""
    session = upload_get(upload_id=upload_id, owner=owner)
    _require_open(session)
    _close(session, UploadState.ABORTED)


def uploads_expire(now: dt.datetime | None = None) -> int:
    """Expire sessions untouched for UPLOAD_TTL and remove every partial file no open session
    owns (also files orphaned by a crash). Idempotent; returns the number of sessions expired."""
    now = now or timezone.now()
    expired = 0
    for pk in list(UploadSession.objects.filter(state=UploadState.OPEN, expires_at__lte=now)
                   .values_list("pk", flat=True)):
        with transaction.atomic():
            session = UploadSession.objects.select_for_update().filter(pk=pk).first()
            if session is None or session.state != UploadState.OPEN or session.expires_at > now:
                continue
            session.state = UploadState.EXPIRED
            session.save(update_fields=["state"])
        _remove_part(session)
        expired += 1
    for entry in os.scandir(uploads_dir()):
        if not entry.is_file(follow_symlinks=False):
            continue
        stem, _dot, ext = entry.name.partition(".")
        if ext == "part" and _ID.match(stem):
            state = UploadSession.objects.filter(pk=stem).values_list("state", flat=True).first()
            if state == UploadState.OPEN:
                continue
            orphan = state is None
        else:
            orphan = True  # a chunk spooled by a process that died, or a foreign file
        if orphan and now.timestamp() - entry.stat(follow_symlinks=False).st_mtime < ORPHAN_GRACE.total_seconds():
            continue
        with contextlib.suppress(FileNotFoundError):
            os.unlink(entry.path)
    return expired
