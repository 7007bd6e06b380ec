"""Streaming ingest (证据文件入库): one pass, SHA-256 and SM3, 1 MiB reads, the limit enforced
while streaming, identical content stored once, nothing left behind on refusal."""

from __future__ import annotations

import io
import os
import tracemalloc

import pytest

from sanxiang.core.errors import InvalidInput, TooLarge
from sanxiang.records.models import Blob
from sanxiang.records.services_evidence import CHUNK, blob_ingest
from sanxiang.records.tests.evidence_support import JPEG, MiB, files_under, sha256, sm3

pytestmark = pytest.mark.django_db


class SpyStream(io.RawIOBase):
    """A file-like stream that remembers how much each read asked for."""

    def __init__(self, data: bytes) -> None:
        self.inner = io.BytesIO(data)
        self.requests: list[int] = []

    def read(self, n: int = -1) -> bytes:
        self.requests.append(n)
        return self.inner.read(n)


def test_sm3_known_answer():
    """GB/T 32905-2016 example 1: SM3("abc")."""
    assert sm3(b"abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


def test_ingest_hashes_both_digests_and_stores_by_sha256(any_vault):
    data = os.urandom(3 * MiB + 17)
    info = blob_ingest(io.BytesIO(data), max_bytes=10 * MiB)
    assert (info.sha256, info.sm3, info.size) == (sha256(data), sm3(data), len(data))
    assert info.stored is True
    assert list(any_vault.names()) == [sha256(data)]
    with any_vault.open(info.sha256) as fh:
        assert fh.read() == data
    blob = Blob.objects.get()
    assert (blob.sha256, blob.sm3, blob.size, blob.content_type) == (
        info.sha256, info.sm3, len(data), "application/octet-stream")


def test_reads_are_bounded_to_one_mebibyte(vault):
    spy = SpyStream(os.urandom(5 * MiB))
    blob_ingest(spy, max_bytes=10 * MiB)
    assert max(spy.requests) == CHUNK == MiB
    assert -1 not in spy.requests and len(spy.requests) >= 6


def test_a_large_stream_never_sits_in_memory(vault):
    """64 MiB streamed from a generator: peak Python allocation stays a few MiB."""
    def chunks():
        for i in range(64):
            yield bytes([i]) * MiB

    tracemalloc.start()
    try:
        info = blob_ingest(chunks(), max_bytes=100 * MiB)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert info.size == 64 * MiB
    assert peak < 8 * MiB, f"peak {peak / MiB:.1f} MiB"


def test_identical_content_is_stored_once(any_vault):
    first = blob_ingest([JPEG], max_bytes=MiB)
    second = blob_ingest(io.BytesIO(JPEG), max_bytes=MiB)
    assert first.sha256 == second.sha256
    assert (first.stored, second.stored) == (True, False)
    assert list(any_vault.names()) == [first.sha256]
    assert Blob.objects.count() == 1


def test_limit_is_refused_while_streaming_with_nothing_left(any_vault, settings):
    consumed = []

    def endless():
        while True:
            consumed.append(1)
            yield b"\x00" * MiB

    with pytest.raises(TooLarge) as refused:
        blob_ingest(endless(), max_bytes=3 * MiB)
    assert refused.value.code == "file_too_large" and refused.value.status == 413
    assert refused.value.details["limit"] == 3 * MiB
    assert len(consumed) == 4  # stopped at the first chunk past the limit
    assert list(any_vault.names()) == []
    assert files_under(settings.BLOB_DIR) == []
    assert Blob.objects.count() == 0


def test_exactly_the_limit_is_accepted(vault):
    assert blob_ingest([b"x" * 1000], max_bytes=1000).size == 1000
    with pytest.raises(TooLarge):
        blob_ingest([b"x" * 1001], max_bytes=1000)


def test_empty_content_is_refused(vault, settings):
    with pytest.raises(InvalidInput) as refused:
        blob_ingest(io.BytesIO(b""), max_bytes=MiB)
    assert refused.value.code == "file_empty" and refused.value.details["field"] == "file"
    assert files_under(settings.BLOB_DIR) == []


def test_expected_hash_mismatch_stores_nothing(vault, settings):
    with pytest.raises(InvalidInput) as refused:
        blob_ingest([b"the real content"], max_bytes=MiB, expected_sha256=sha256(b"other"))
    assert refused.value.code == "hash_mismatch"
    assert refused.value.details["actual"] == sha256(b"the real content")
    assert files_under(settings.BLOB_DIR) == [] and Blob.objects.count() == 0


def test_failing_stream_leaves_nothing(vault, settings):
    def broken():
        yield b"a" * MiB
        raise ConnectionResetError("client went away")

    with pytest.raises(ConnectionResetError):
        blob_ingest(broken(), max_bytes=10 * MiB)
    assert files_under(settings.BLOB_DIR) == [] and Blob.objects.count() == 0


def test_text_streams_are_a_programming_error(vault):
    with pytest.raises(TypeError):
        blob_ingest(["not bytes"], max_bytes=MiB)


def test_sniffed_type_is_recorded(vault):
    assert blob_ingest([JPEG], max_bytes=MiB).content_type == "image/jpeg"
    # the head is taken across small chunks
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
    assert blob_ingest([png[i:i + 3] for i in range(0, len(png), 3)], max_bytes=MiB).content_type == "image/png"
