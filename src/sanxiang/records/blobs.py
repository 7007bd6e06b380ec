"""The blob store (证据文件存储): content-addressed files named by their SHA-256 hex.

Two backends behind one small protocol:

* `LocalBlobStore` — a directory (default `SANXIANG_HOME/blobs/`): a finished temporary file
  is fsynced, hard-linked to its final name (which fails if that name exists, so nothing is
  ever overwritten) and the directory fsynced;
* `S3BlobStore` — S3-compatible object storage, selected by `SANXIANG_BLOB_STORE=s3://bucket/prefix`
  (endpoint `SANXIANG_S3_ENDPOINT_URL`, credentials from the usual AWS variables); writes are
  conditional (`If-None-Match: *`) so an existing object is never replaced.

Whatever the backend, content is first streamed into a temporary file under
`BLOB_DIR/tmp/`, named with the host and PID of the writing process, and hashed on the way;
a store only ever receives complete files whose hash is known. Temporary files of dead
processes (or older than 24 h) are removed at the next start (`clean_temp_files`).
"""

from __future__ import annotations

import base64
import contextlib
import errno
import os
import re
import secrets
import socket
import time
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO, Protocol, runtime_checkable
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")
TEMP_MAX_AGE = 24 * 3600
COPY_CHUNK = 1024 * 1024


class BlobMissing(LookupError):
    """The store has no blob of that name."""


def check_name(sha256: str) -> str:
    if not isinstance(sha256, str) or not SHA256_HEX.match(sha256):
        raise ValueError(f"not a SHA-256 hex name: {sha256!r}")
    return sha256


@runtime_checkable
class BlobStore(Protocol):
    """Where blob files live. Names are lowercase SHA-256 hex; content never changes."""

    def put(self, sha256: str, path: Path) -> bool:
        """Store the complete local file `path` as `sha256`; False (and nothing written) if it exists."""

    def open(self, sha256: str) -> BinaryIO:
        """A binary file object reading the blob; raises BlobMissing."""

    def exists(self, sha256: str) -> bool: ...

    def size(self, sha256: str) -> int:
        """Size in bytes; raises BlobMissing."""

    def names(self) -> Iterator[str]:
        """Every stored blob name."""

    def delete(self, sha256: str) -> None:
        """Remove a blob. For tests only: the vault itself never deletes."""


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class LocalBlobStore:
    """Blobs as read-only files `<root>/<sha256>`."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def __repr__(self) -> str:
        return f"LocalBlobStore({str(self.root)!r})"

    def _path(self, sha256: str) -> Path:
        return self.root / check_name(sha256)

    def put(self, sha256: str, path: Path) -> bool:
        final = self._path(sha256)
        self.root.mkdir(parents=True, exist_ok=True)
        os.chmod(path, 0o444)
        try:
            os.link(path, final)  # atomic, and refuses to replace an existing name
        except FileExistsError:
            return False
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
                raise
            if final.exists():  # file system without hard links: check, then rename
                return False
            os.replace(path, final)
        fsync_dir(self.root)
        return True

    def open(self, sha256: str) -> BinaryIO:
        try:
            return open(self._path(sha256), "rb")  # noqa: SIM115 - the caller closes it
        except FileNotFoundError:
            raise BlobMissing(sha256) from None

    def exists(self, sha256: str) -> bool:
        return self._path(sha256).is_file()

    def size(self, sha256: str) -> int:
        try:
            return self._path(sha256).stat().st_size
        except FileNotFoundError:
            raise BlobMissing(sha256) from None

    def names(self) -> Iterator[str]:
        with contextlib.suppress(FileNotFoundError), os.scandir(self.root) as entries:
            for entry in entries:
                if SHA256_HEX.match(entry.name) and entry.is_file():
                    yield entry.name

    def delete(self, sha256: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self._path(sha256).unlink()


class S3BlobStore:
    """Blobs as objects `<prefix>/<sha256>` of an S3-compatible bucket."""

    SINGLE_PUT_MAX = 64 * 1024 * 1024
    PART_SIZE = 16 * 1024 * 1024

    def __init__(self, bucket: str, prefix: str = "", client=None) -> None:
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.client = client if client is not None else s3_client()

    def __repr__(self) -> str:
        return f"S3BlobStore(s3://{self.bucket}/{self.prefix})"

    def _key(self, sha256: str) -> str:
        check_name(sha256)
        return f"{self.prefix}/{sha256}" if self.prefix else sha256

    @staticmethod
    def _code(exc) -> str:
        return str(exc.response.get("Error", {}).get("Code", ""))

    def exists(self, sha256: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self._key(sha256))
        except ClientError as exc:
            if self._code(exc) in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True

    def size(self, sha256: str) -> int:
        from botocore.exceptions import ClientError

        try:
            return int(self.client.head_object(Bucket=self.bucket, Key=self._key(sha256))["ContentLength"])
        except ClientError as exc:
            if self._code(exc) in ("404", "NoSuchKey", "NotFound"):
                raise BlobMissing(sha256) from None
            raise

    def put(self, sha256: str, path: Path) -> bool:
        from botocore.exceptions import ClientError

        key = self._key(sha256)
        if self.exists(sha256):
            return False
        try:
            if os.path.getsize(path) <= self.SINGLE_PUT_MAX:
                with open(path, "rb") as fh:
                    self.client.put_object(
                        Bucket=self.bucket, Key=key, Body=fh, IfNoneMatch="*",
                        ContentType="application/octet-stream",
                        ChecksumSHA256=base64.b64encode(bytes.fromhex(sha256)).decode())
            else:
                self._multipart(key, path)
        except ClientError as exc:
            if self._code(exc) in ("PreconditionFailed", "412", "ConditionalRequestConflict"):
                return False  # written meanwhile by another process: same content
            raise
        return True

    def _multipart(self, key: str, path: Path) -> None:
        upload = self.client.create_multipart_upload(
            Bucket=self.bucket, Key=key, ContentType="application/octet-stream")
        upload_id = upload["UploadId"]
        parts = []
        try:
            with open(path, "rb") as fh:
                number = 1
                while chunk := fh.read(self.PART_SIZE):
                    part = self.client.upload_part(Bucket=self.bucket, Key=key, UploadId=upload_id,
                                                   PartNumber=number, Body=chunk)
                    parts.append({"PartNumber": number, "ETag": part["ETag"]})
                    number += 1
            self.client.complete_multipart_upload(
                Bucket=self.bucket, Key=key, UploadId=upload_id, IfNoneMatch="*",
                MultipartUpload={"Parts": parts})
        except BaseException:
            with contextlib.suppress(Exception):
                self.client.abort_multipart_upload(Bucket=self.bucket, Key=key, UploadId=upload_id)
            raise

    def open(self, sha256: str) -> BinaryIO:
        from botocore.exceptions import ClientError

        try:
            return self.client.get_object(Bucket=self.bucket, Key=self._key(sha256))["Body"]
        except ClientError as exc:
            if self._code(exc) in ("404", "NoSuchKey", "NotFound"):
                raise BlobMissing(sha256) from None
            raise

    def names(self) -> Iterator[str]:
        paginator = self.client.get_paginator("list_objects_v2")
        prefix = f"{self.prefix}/" if self.prefix else ""
        for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix):
            for item in page.get("Contents", []):
                name = item["Key"][len(prefix):]
                if SHA256_HEX.match(name):
                    yield name

    def delete(self, sha256: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._key(sha256))


def s3_client():
    """A boto3 S3 client: endpoint from SANXIANG_S3_ENDPOINT_URL, credentials the AWS way."""
    import boto3
    from botocore.config import Config

    endpoint = getattr(settings, "S3_ENDPOINT_URL", "") or None
    config = Config(s3={"addressing_style": "path"} if endpoint else {},
                    retries={"max_attempts": 5, "mode": "standard"})
    return boto3.session.Session().client("s3", endpoint_url=endpoint, config=config)


def parse_store_url(url: str) -> tuple[str, str]:
    """"s3://bucket/some/prefix" → ("bucket", "some/prefix")."""
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.netloc or parts.query or parts.fragment:
        raise ImproperlyConfigured(
            f"SANXIANG_BLOB_STORE must be empty (local directory) or s3://bucket/prefix, not {url!r}")
    return parts.netloc, parts.path.strip("/")


@lru_cache(maxsize=8)
def _store_for(url: str, blob_dir: str, endpoint: str) -> BlobStore:
    if not url:
        return LocalBlobStore(Path(blob_dir))
    bucket, prefix = parse_store_url(url)
    return S3BlobStore(bucket, prefix)


def blob_store() -> BlobStore:
    """The configured store (`settings.BLOB_STORE`, empty = `settings.BLOB_DIR`)."""
    return _store_for(getattr(settings, "BLOB_STORE", "") or "", str(settings.BLOB_DIR),
                      getattr(settings, "S3_ENDPOINT_URL", "") or "")


# --- temporary files ------------------------------------------------------------------------

_TEMP_NAME = re.compile(r"^(\d+)\.([0-9a-f]{16})\.([A-Za-z0-9-]+)\.part$")


def _host() -> str:
    return re.sub(r"[^A-Za-z0-9-]", "-", socket.gethostname())[:60] or "host"


def temp_dir() -> Path:
    path = Path(settings.BLOB_DIR) / "tmp"
    path.mkdir(parents=True, exist_ok=True)
    return path


@contextlib.contextmanager
def temp_file() -> Iterator[tuple[BinaryIO, Path]]:
    """A new temporary file under BLOB_DIR/tmp (named with host and PID), removed on exit."""
    path = temp_dir() / f"{os.getpid()}.{secrets.token_hex(8)}.{_host()}.part"
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    fh = os.fdopen(fd, "w+b")
    try:
        yield fh, path
    finally:
        fh.close()
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    return True


def clean_temp_files(*, now: float | None = None, max_age: float = TEMP_MAX_AGE) -> list[str]:
    """Remove temporary files left by dead processes of this host, or older than `max_age`.

    A file of a live process on this host is kept (it is uploading); files of other hosts
    sharing the directory are judged by age only. Returns the names removed.
    """
    directory = Path(settings.BLOB_DIR) / "tmp"
    now = time.time() if now is None else now
    host = _host()
    removed = []
    try:
        entries = list(os.scandir(directory))
    except FileNotFoundError:
        return removed
    for entry in entries:
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            old = now - entry.stat(follow_symlinks=False).st_mtime > max_age
        except FileNotFoundError:
            continue
        match = _TEMP_NAME.match(entry.name)
        if match and match.group(3) == host:
            stale = old or not _pid_alive(int(match.group(1)))
        else:
            stale = old
        if stale:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(entry.path)
            removed.append(entry.name)
    return removed
