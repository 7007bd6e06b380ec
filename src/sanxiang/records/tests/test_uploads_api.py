"""Resumable uploads `/api/v1/uploads` (断点续传, mobile enforcement): create → chunks with
offsets and hashes → finish; resume after a dropped connection; only the owner; expiry."""

from __future__ import annotations

import datetime as dt
import io
import json
import os

import pytest
from django.http import HttpRequest
from django.utils import timezone

from sanxiang.accounts import services as accounts
from sanxiang.records.models import Blob, UploadSession
from sanxiang.records.services_uploads import CHUNK_MAX, uploads_expire
from sanxiang.records.tests.evidence_support import MP4, MiB, files_under, register, sha256, sm3

pytestmark = pytest.mark.django_db

URL = "/api/v1/uploads"


@pytest.fixture
def officer(make_user):
    return make_user("pudong", "officer", certificate=True)


def bearer(user) -> dict:
    _token, raw = accounts.token_create(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"} and body["error"]["code"] == code and body["error"]["message"]
    return body["error"]


class Api:
    def __init__(self, client, user) -> None:
        self.client, self.auth = client, bearer(user)

    def create(self, **body):
        return self.client.post(URL, json.dumps(body), content_type="application/json", **self.auth)

    def put(self, upload_id: str, offset, chunk: bytes, chunk_hash: str | None = None, **extra):
        headers = dict(self.auth)
        if chunk_hash is not False:
            headers["HTTP_X_CHUNK_SHA256"] = chunk_hash or sha256(chunk)
        return self.client.generic("PUT", f"{URL}/{upload_id}?offset={offset}", chunk,
                                   content_type="application/octet-stream", **headers, **extra)

    def status(self, upload_id: str):
        return self.client.get(f"{URL}/{upload_id}", **self.auth)

    def finish(self, upload_id: str):
        return self.client.post(f"{URL}/{upload_id}/finish", **self.auth)

    def abort(self, upload_id: str):
        return self.client.delete(f"{URL}/{upload_id}", **self.auth)


@pytest.fixture
def api(client, officer, vault):
    return Api(client, officer)


class DroppedConnection:
    """A request body whose sender vanished after `sent` bytes (what the server sees)."""

    def __init__(self, data: bytes) -> None:
        self.inner = io.BytesIO(data)

    def read(self, n: int = -1) -> bytes:
        return self.inner.read(n)

    def readline(self, *args) -> bytes:
        return self.inner.readline(*args)


DATA = os.urandom(2 * MiB + 1234)
PARTS = [DATA[:MiB], DATA[MiB:2 * MiB], DATA[2 * MiB:]]


def test_create_upload(api):
    response = api.create(size=len(DATA), sha256=sha256(DATA), filename="../现场录像.mp4", content_type="video/mp4")
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"id", "offset", "expires_at", "chunk_size"}
    assert body["offset"] == 0 and body["chunk_size"] == CHUNK_MAX == 8 * MiB
    assert len(body["id"]) == 32
    expires = dt.datetime.fromisoformat(body["expires_at"])
    assert dt.timedelta(hours=23) < expires - timezone.now() <= dt.timedelta(hours=24)
    session = UploadSession.objects.get(pk=body["id"])
    assert session.filename == "现场录像.mp4" and session.claimed_content_type == "video/mp4"


def test_whole_upload_resumed_after_a_dropped_connection(api, settings):
    upload_id = api.create(size=len(DATA), sha256=sha256(DATA)).json()["id"]
    assert api.put(upload_id, 0, PARTS[0]).json() == {"offset": MiB}

    # the connection drops halfway through the second chunk
    half = PARTS[1][: len(PARTS[1]) // 2]
    dropped = api.put(upload_id, MiB, PARTS[1], **{"wsgi.input": DroppedConnection(half)})
    details = error(dropped, 400, "chunk_incomplete")["details"]
    assert details["received"] == len(half) and details["expected_length"] == len(PARTS[1])

    # the client comes back, asks where to continue, and carries on
    status = api.status(upload_id).json()
    assert status["offset"] == MiB and status["size"] == len(DATA) and status["state"] == "open"
    assert api.put(upload_id, MiB, PARTS[1]).json() == {"offset": 2 * MiB}
    assert api.put(upload_id, 2 * MiB, PARTS[2]).json() == {"offset": len(DATA)}

    response = api.finish(upload_id)
    assert response.status_code == 200, response.content
    assert response.json() == {"sha256": sha256(DATA), "sm3": sm3(DATA), "size": len(DATA),
                               "content_type": "application/octet-stream"}
    assert Blob.objects.filter(pk=sha256(DATA)).exists()
    assert files_under(settings.BLOB_DIR) == [sha256(DATA)]  # partial file and spools gone
    assert api.finish(upload_id).json()["sha256"] == sha256(DATA)  # a lost answer can be asked again
    assert api.status(upload_id).json()["state"] == "finished"

    evidence = register(blob_sha256=response.json()["sha256"])
    assert evidence.blob.size == len(DATA)


def test_a_retried_chunk_at_an_old_offset_is_409_with_the_offset_to_resume_from(api):
    upload_id = api.create(size=len(DATA)).json()["id"]
    api.put(upload_id, 0, PARTS[0])
    for wrong in (0, 2 * MiB, 5):
        details = error(api.put(upload_id, wrong, PARTS[1]), 409, "offset_mismatch")["details"]
        assert details["expected_offset"] == MiB
    assert api.status(upload_id).json()["offset"] == MiB


def test_wrong_chunk_hash_is_refused_and_nothing_advances(api):
    upload_id = api.create(size=len(DATA)).json()["id"]
    response = api.put(upload_id, 0, PARTS[0], chunk_hash=sha256(b"something else"))
    assert error(response, 400, "chunk_hash_mismatch")["details"]["field"] == "X-Chunk-SHA256"
    assert api.status(upload_id).json()["offset"] == 0
    error(api.put(upload_id, 0, PARTS[0], chunk_hash=False), 400, "chunk_hash_required")
    error(api.put(upload_id, 0, PARTS[0], chunk_hash="xyz"), 400, "invalid_sha256")


def test_a_corrupted_chunk_in_transit_is_caught_by_its_hash(api):
    upload_id = api.create(size=len(DATA)).json()["id"]
    corrupted = bytearray(PARTS[0])
    corrupted[1000] ^= 0xFF
    error(api.put(upload_id, 0, bytes(corrupted), chunk_hash=sha256(PARTS[0])), 400, "chunk_hash_mismatch")


def test_beyond_the_declared_size_is_413(api):
    upload_id = api.create(size=10).json()["id"]
    details = error(api.put(upload_id, 0, b"x" * 11), 413, "file_too_large")["details"]
    assert details["limit"] == 10


def test_declared_size_above_the_limit_is_413(api, settings):
    settings.MAX_UPLOAD_BYTES = 5 * MiB
    assert error(api.create(size=5 * MiB + 1), 413, "file_too_large")["details"]["field"] == "size"
    assert api.create(size=5 * MiB).status_code == 201


def test_chunk_above_the_chunk_limit_is_413_before_reading_it(api):
    upload_id = api.create(size=100 * MiB).json()["id"]
    response = api.put(upload_id, 0, b"x", CONTENT_LENGTH=str(CHUNK_MAX + 1))
    assert error(response, 413, "chunk_too_large")["details"]["limit"] == CHUNK_MAX


@pytest.mark.parametrize("body, code, field", [
    pytest.param({"size": 0}, "invalid_size", "size", id="zero"),
    pytest.param({"size": -5}, "invalid_size", "size", id="negative"),
    pytest.param({}, "field_required", "size", id="missing"),
    pytest.param({"size": 10, "sha256": "abc"}, "invalid_sha256", "sha256", id="bad-hash"),
    pytest.param({"size": 10, "colour": "red"}, "unknown_field", "colour", id="unknown-field"),
])
def test_create_validation(api, body, code, field):
    assert error(api.create(**body), 400, code)["details"]["field"] == field


def test_missing_offset_is_400(api):
    upload_id = api.create(size=10).json()["id"]
    response = api.client.generic("PUT", f"{URL}/{upload_id}", b"x" * 10, content_type="application/octet-stream",
                                  HTTP_X_CHUNK_SHA256=sha256(b"x" * 10), **api.auth)
    assert error(response, 400, "field_required")["details"]["field"] == "offset"


def test_only_the_owner_may_use_a_session(api, client, make_user):
    upload_id = api.create(size=len(PARTS[0])).json()["id"]
    api.put(upload_id, 0, PARTS[0][:100])
    other = Api(client, make_user("pudong", "officer", certificate=True))
    error(other.status(upload_id), 404, "upload_not_found")
    error(other.put(upload_id, 100, PARTS[0][100:]), 404, "upload_not_found")
    error(other.finish(upload_id), 404, "upload_not_found")
    error(other.abort(upload_id), 404, "upload_not_found")
    assert api.status(upload_id).json()["offset"] == 100


@pytest.mark.parametrize("upload_id, code", [
    ("nope", "upload_not_found"), ("A" * 32, "upload_not_found"), ("x" * 500, "upload_not_found"),
    ("../../etc/passwd", "not_found"), ("%2e%2e%2fetc", "not_found"),
])
def test_unknown_ids_are_404(api, upload_id, code):
    error(api.status(upload_id), 404, code)


def test_unauthenticated_is_401(client, vault, db):
    assert client.post(URL, json.dumps({"size": 1}), content_type="application/json").status_code == 401


def test_expected_hash_mismatch_stores_nothing(api, settings):
    upload_id = api.create(size=len(PARTS[0]), sha256=sha256(b"what the client meant")).json()["id"]
    api.put(upload_id, 0, PARTS[0])
    details = error(api.finish(upload_id), 400, "hash_mismatch")["details"]
    assert details["actual"] == sha256(PARTS[0])
    assert Blob.objects.count() == 0
    assert files_under(settings.BLOB_DIR) == []
    error(api.finish(upload_id), 409, "upload_closed")
    error(api.put(upload_id, len(PARTS[0]), b"x"), 409, "upload_closed")


def test_finish_before_every_byte_arrived_is_409(api):
    upload_id = api.create(size=len(DATA)).json()["id"]
    api.put(upload_id, 0, PARTS[0])
    details = error(api.finish(upload_id), 409, "upload_incomplete")["details"]
    assert details["expected_offset"] == MiB and details["size"] == len(DATA)


def test_abort_removes_the_partial_file(api, settings):
    upload_id = api.create(size=len(DATA)).json()["id"]
    api.put(upload_id, 0, PARTS[0])
    assert api.abort(upload_id).status_code == 204
    assert files_under(settings.BLOB_DIR / "uploads") == []
    error(api.put(upload_id, MiB, PARTS[1]), 409, "upload_closed")


def test_the_request_body_is_streamed_never_loaded_whole(api, monkeypatch):
    upload_id = api.create(size=len(PARTS[0])).json()["id"]

    def forbidden(request):
        raise AssertionError("request.body was read")

    monkeypatch.setattr(HttpRequest, "body", property(forbidden))
    assert api.put(upload_id, 0, PARTS[0]).json() == {"offset": MiB}


def test_identical_uploads_share_one_blob(api, settings):
    for _ in range(2):
        upload_id = api.create(size=len(MP4)).json()["id"]
        api.put(upload_id, 0, MP4)
        assert api.finish(upload_id).json()["content_type"] == "video/mp4"
    assert Blob.objects.count() == 1 and files_under(settings.BLOB_DIR) == [sha256(MP4)]


# --- expiry ------------------------------------------------------------------------------------

def test_abandoned_uploads_expire_and_their_files_are_removed(api, settings):
    abandoned = api.create(size=len(DATA)).json()["id"]
    api.put(abandoned, 0, PARTS[0])
    active = api.create(size=len(DATA)).json()["id"]
    api.put(active, 0, PARTS[0])
    later = timezone.now() + dt.timedelta(hours=20)
    api.put(active, MiB, PARTS[1])  # activity keeps a session alive for another 24 h
    UploadSession.objects.filter(pk=active).update(expires_at=later + dt.timedelta(hours=24))
    uploads = settings.BLOB_DIR / "uploads"
    assert sorted(files_under(uploads)) == sorted([f"{abandoned}.part", f"{active}.part"])

    sweep_at = timezone.now() + dt.timedelta(hours=25)
    assert uploads_expire(sweep_at) == 1
    assert files_under(uploads) == [f"{active}.part"]
    assert UploadSession.objects.get(pk=abandoned).state == "expired"
    assert uploads_expire(sweep_at) == 0  # idempotent
    assert files_under(uploads) == [f"{active}.part"]
    error(api.status(abandoned), 410, "upload_expired")
    error(api.put(abandoned, MiB, PARTS[1]), 410, "upload_expired")
    assert api.status(active).json()["offset"] == 2 * MiB


def test_an_expired_session_is_refused_even_before_the_sweep(api):
    upload_id = api.create(size=10).json()["id"]
    UploadSession.objects.filter(pk=upload_id).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    error(api.put(upload_id, 0, b"x" * 10), 410, "upload_expired")


def test_sweep_removes_orphaned_partial_files_but_not_fresh_spools(vault, settings):
    uploads = settings.BLOB_DIR / "uploads"
    uploads.mkdir()
    orphan = uploads / ("Z" * 32 + ".part")
    spool = uploads / "tmpab12cd"
    for path in (orphan, spool):
        path.write_bytes(b"left by a crash")
    old = timezone.now().timestamp() - 2 * 3600
    os.utime(orphan, (old, old))
    uploads_expire()
    assert files_under(uploads) == ["tmpab12cd"]
    uploads_expire(timezone.now() + dt.timedelta(hours=2))
    assert files_under(uploads) == []


def test_register_by_hash_can_require_the_actors_own_finished_upload(api, officer, make_user):
    """Knowing a file's SHA-256 must not let someone else attach (and then read) it."""
    from sanxiang.core.errors import NotFound

    upload_id = api.create(size=len(MP4)).json()["id"]
    api.put(upload_id, 0, MP4)
    sha = api.finish(upload_id).json()["sha256"]
    stranger = make_user("huangpu", "officer", certificate=True)
    with pytest.raises(NotFound):
        register(blob_sha256=sha, upload_owner=f"user:{stranger.pk}", actor=f"user:{stranger.pk}")
    evidence = register(blob_sha256=sha, upload_owner=f"user:{officer.pk}", actor=f"user:{officer.pk}")
    assert evidence.blob_id == sha
