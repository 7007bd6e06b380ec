"""Fixtures and builders shared by the evidence, blob and upload tests (imported explicitly)."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.utils import timezone

from sanxiang.records import blobs
from sanxiang.records.models import LogHead
from sanxiang.records.models.ledger import LEDGER_LOG

MiB = 1024 * 1024


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def moto_endpoint():
    """A moto S3 server in this process, on a free loopback port (no network needed)."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


AWS_ENV = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}


def s3_client(endpoint: str):
    import boto3

    return boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id="testing", aws_secret_access_key="testing")


def new_bucket(endpoint: str) -> str:
    name = f"evidence-{uuid.uuid4().hex[:12]}"
    s3_client(endpoint).create_bucket(Bucket=name)
    return name


@pytest.fixture
def vault(settings, tmp_path):
    """A fresh local blob store under this test's own BLOB_DIR."""
    settings.BLOB_DIR = tmp_path / "blobs"
    settings.BLOB_STORE = ""
    settings.BLOB_DIR.mkdir()
    return blobs.blob_store()


@pytest.fixture(params=["local", "s3"])
def any_vault(request, settings, tmp_path, monkeypatch):
    """The same test against the local directory and S3 (moto), selected through the settings."""
    settings.BLOB_DIR = tmp_path / "blobs"
    settings.BLOB_DIR.mkdir()
    if request.param == "local":
        settings.BLOB_STORE = ""
    else:
        endpoint = request.getfixturevalue("moto_endpoint")
        for name, value in AWS_ENV.items():
            monkeypatch.setenv(name, value)
        settings.BLOB_STORE = f"s3://{new_bucket(endpoint)}/sanxiang/evidence"
        settings.S3_ENDPOINT_URL = endpoint
    return blobs.blob_store()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sm3(data: bytes) -> str:
    return hashlib.new("sm3", data).hexdigest()


def ledger_size() -> int:
    head = LogHead.objects.filter(log=LEDGER_LOG).first()
    return head.size if head else 0


def an_hour_ago() -> dt.datetime:
    return timezone.now() - dt.timedelta(hours=1)


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 8
MP4 = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41" + b"\x00" * 4000


def register(**overrides):
    """evidence_register with plausible defaults (a short MP4 video of an on-site inspection)."""
    from sanxiang.records.services_evidence import evidence_register

    fields = {
        "subject": "case:1", "kind": "video", "actor": "user:7",
        "description": "现场检查全程录像：进入厂区、检查废水排放口",
        "speakers": [{"name": "张三", "role": "执法人员"}, {"name": "李四", "role": "当事人"}],
        "device": "执法记录仪 DSJ-001", "recorded_at": an_hour_ago(), "recorded_until": timezone.now(),
        "activity": "activity:3", "claimed_content_type": "video/mp4", "filename": "现场录像.mp4",
    }
    fields.update(overrides)
    if "stream" not in fields and "blob_sha256" not in fields:
        fields["stream"] = [MP4]
    return evidence_register(**fields)


def files_under(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


# --- other processes on a database of their own -----------------------------------------------

def base_env(home: Path) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL",
                        "SANXIANG_BLOB_STORE", "SANXIANG_S3_ENDPOINT_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="sanxiang.conf.base", SANXIANG_HOME=str(home), SANXIANG_HTTPS="0",
               PYTHONUNBUFFERED="1")
    return env


@pytest.fixture
def fresh_home(tmp_path):
    """An empty, migrated database of the vendor under test (SQLite file or a new PostgreSQL
    database) and its own SANXIANG_HOME, reachable from other processes."""
    from django.db import connection

    home = tmp_path / "home"
    env = base_env(home)
    created = None
    if connection.vendor == "postgresql":
        import psycopg

        s = connection.settings_dict
        created = f"sanxiang_ev_{uuid.uuid4().hex[:8]}"
        params = {"user": s["USER"], "host": s["HOST"], "port": s["PORT"],
                  "password": s.get("PASSWORD") or None, "dbname": "postgres", "autocommit": True}
        with psycopg.connect(**params) as conn:
            conn.execute(f'CREATE DATABASE "{created}"')
        env["DATABASE_URL"] = f"postgres://{s['USER']}@{s['HOST']}:{s['PORT']}/{created}"
    subprocess.run([sys.executable, "-m", "sanxiang", "migrate", "-v0"], env=env, check=True, timeout=300)
    yield home, env
    if created:
        with psycopg.connect(**params) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{created}" WITH (FORCE)')
