"""Blob store backends: the same behaviour on a local directory and on S3 (moto server mode);
temporary files of dead processes removed at start, those of live ones kept."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from django.core.exceptions import ImproperlyConfigured

from sanxiang.records import blobs
from sanxiang.records.tests.evidence_support import AWS_ENV, new_bucket, s3_client, sha256


@pytest.fixture(params=["local", "s3"])
def store(request, tmp_path):
    if request.param == "local":
        return blobs.LocalBlobStore(tmp_path / "blobs")
    endpoint = request.getfixturevalue("moto_endpoint")
    return blobs.S3BlobStore(new_bucket(endpoint), "some/prefix", client=s3_client(endpoint))


def a_file(tmp_path, data: bytes, name: str = "upload.part"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_put_then_read_back(store, tmp_path):
    data = b"evidence bytes \x00\x01\x02" * 1000
    name = sha256(data)
    assert not store.exists(name)
    assert store.put(name, a_file(tmp_path, data)) is True
    assert store.exists(name)
    assert store.size(name) == len(data)
    with store.open(name) as fh:
        assert fh.read() == data
    assert list(store.names()) == [name]


def test_put_never_overwrites_an_existing_blob(store, tmp_path):
    original = b"original content"
    name = sha256(original)
    assert store.put(name, a_file(tmp_path, original, "a")) is True
    assert store.put(name, a_file(tmp_path, b"something else entirely", "b")) is False
    with store.open(name) as fh:
        assert fh.read() == original


def test_missing_blob(store):
    name = "0" * 64
    assert not store.exists(name)
    with pytest.raises(blobs.BlobMissing):
        store.open(name)
    with pytest.raises(blobs.BlobMissing):
        store.size(name)


def test_names_lists_every_blob_and_delete_is_for_tests(store, tmp_path):
    names = set()
    for i in range(3):
        data = f"blob {i}".encode()
        names.add(sha256(data))
        store.put(sha256(data), a_file(tmp_path, data, f"f{i}"))
    assert set(store.names()) == names
    victim = sorted(names)[0]
    store.delete(victim)
    assert set(store.names()) == names - {victim}
    assert not store.exists(victim)


@pytest.mark.parametrize("name", ["../../etc/passwd", "A" * 64, "abc", "0" * 63 + "/", ""])
def test_only_sha256_hex_names_are_accepted(store, tmp_path, name):
    with pytest.raises(ValueError):
        store.put(name, a_file(tmp_path, b"x"))
    with pytest.raises(ValueError):
        store.exists(name)


def test_s3_large_file_goes_up_in_parts(moto_endpoint, tmp_path, monkeypatch):
    store = blobs.S3BlobStore(new_bucket(moto_endpoint), "p", client=s3_client(moto_endpoint))
    monkeypatch.setattr(blobs.S3BlobStore, "SINGLE_PUT_MAX", 6 * 1024 * 1024)
    monkeypatch.setattr(blobs.S3BlobStore, "PART_SIZE", 5 * 1024 * 1024)
    data = os.urandom(11 * 1024 * 1024)
    name = sha256(data)
    assert store.put(name, a_file(tmp_path, data)) is True
    assert store.size(name) == len(data)
    with store.open(name) as fh:
        assert sha256(fh.read()) == name
    assert store.put(name, a_file(tmp_path, data, "again")) is False
    assert s3_client(moto_endpoint).list_multipart_uploads(Bucket=store.bucket).get("Uploads", []) == []


def test_local_blobs_are_read_only_files_named_by_hash(tmp_path):
    store = blobs.LocalBlobStore(tmp_path / "blobs")
    data = b"content"
    store.put(sha256(data), a_file(tmp_path, data))
    path = tmp_path / "blobs" / sha256(data)
    assert path.is_file()
    assert path.stat().st_mode & 0o222 == 0


def test_store_is_selected_by_settings(settings, tmp_path, moto_endpoint, monkeypatch):
    settings.BLOB_DIR = tmp_path / "b"
    settings.BLOB_STORE = ""
    local = blobs.blob_store()
    assert isinstance(local, blobs.LocalBlobStore) and local.root == tmp_path / "b"
    for name, value in AWS_ENV.items():
        monkeypatch.setenv(name, value)
    bucket = new_bucket(moto_endpoint)
    settings.BLOB_STORE = f"s3://{bucket}/sanxiang/evidence/"
    settings.S3_ENDPOINT_URL = moto_endpoint
    remote = blobs.blob_store()
    assert isinstance(remote, blobs.S3BlobStore)
    assert (remote.bucket, remote.prefix) == (bucket, "sanxiang/evidence")
    data = b"via settings"
    remote.put(sha256(data), a_file(tmp_path, data))
    listed = s3_client(moto_endpoint).list_objects_v2(Bucket=bucket)["Contents"]
    assert [o["Key"] for o in listed] == [f"sanxiang/evidence/{sha256(data)}"]


@pytest.mark.parametrize("url", ["file:///srv/blobs", "s3://", "http://bucket/x", "s3://bucket/p?x=1"])
def test_unknown_store_urls_are_refused(url):
    with pytest.raises(ImproperlyConfigured):
        blobs.parse_store_url(url)


# --- temporary files ----------------------------------------------------------------------------

def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_temp_file_is_named_with_pid_and_removed_when_done(settings, tmp_path):
    settings.BLOB_DIR = tmp_path
    with blobs.temp_file() as (fh, path):
        fh.write(b"partial")
        assert path.parent == tmp_path / "tmp"
        assert path.name.startswith(f"{os.getpid()}.")
        assert blobs.clean_temp_files() == []  # ours, and we are alive
        assert path.exists()
    assert not path.exists()


def test_start_removes_temp_files_of_dead_processes_and_old_ones_only(settings, tmp_path):
    settings.BLOB_DIR = tmp_path
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    host = blobs._host()
    live = tmp / f"{os.getpid()}.{'a' * 16}.{host}.part"
    dead = tmp / f"{_dead_pid()}.{'b' * 16}.{host}.part"
    old_live = tmp / f"{os.getpid()}.{'c' * 16}.{host}.part"
    other_host = tmp / f"1.{'d' * 16}.elsewhere-01.part"
    other_host_old = tmp / f"1.{'e' * 16}.elsewhere-01.part"
    foreign = tmp / "something.bin"
    for path in (live, dead, old_live, other_host, other_host_old, foreign):
        path.write_bytes(b"x")
    day_ago = time.time() - 25 * 3600
    for path in (old_live, other_host_old):
        os.utime(path, (day_ago, day_ago))
    removed = blobs.clean_temp_files()
    assert sorted(removed) == sorted([dead.name, old_live.name, other_host_old.name])
    assert sorted(p.name for p in tmp.iterdir()) == sorted([live.name, other_host.name, foreign.name])
    assert blobs.clean_temp_files() == []  # idempotent


def test_app_start_cleans_temp_files(tmp_path):
    """A new process (any command) runs RecordsConfig.ready(), which removes the leftovers."""
    tmp = tmp_path / "blobs" / "tmp"
    tmp.mkdir(parents=True)
    leftover = tmp / f"{_dead_pid()}.{'f' * 16}.{blobs._host()}.part"
    leftover.write_bytes(b"half an upload")
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(SANXIANG_HOME=str(tmp_path), DJANGO_SETTINGS_MODULE="sanxiang.conf.base")
    subprocess.run([sys.executable, "-m", "sanxiang", "check"], env=env, check=True, timeout=120,
                   capture_output=True)
    assert not leftover.exists()


def test_s3_conditional_write_refuses_an_object_written_meanwhile(moto_endpoint, tmp_path, monkeypatch):
    """Two processes storing the same content: the later write must not replace the first."""
    store = blobs.S3BlobStore(new_bucket(moto_endpoint), "", client=s3_client(moto_endpoint))
    data = b"first writer"
    name = sha256(data)
    assert store.put(name, a_file(tmp_path, data)) is True
    monkeypatch.setattr(store, "exists", lambda sha: False)  # lost the race between check and write
    assert store.put(name, a_file(tmp_path, data, "second")) is False
    assert s3_client(moto_endpoint).head_object(Bucket=store.bucket, Key=name)["ContentLength"] == len(data)
