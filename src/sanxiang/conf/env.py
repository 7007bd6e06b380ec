"""Environment variables: each one read here, once, with its help text and a safe default.

`sanxiang config` prints this table; the README lists the same variables.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Var:
    name: str
    default: str
    help: str


VARIABLES: tuple[Var, ...] = (
    Var("SANXIANG_HOME", "./var", "Data directory: SQLite database, evidence blobs, keys."),
    Var("DATABASE_URL", "", "postgres://user:pass@host:port/db moves the data to PostgreSQL; empty = SQLite under SANXIANG_HOME."),
    Var("SANXIANG_BLOB_STORE", "", "Evidence storage: empty = the directory SANXIANG_HOME/blobs; s3://bucket/prefix = S3-compatible object storage."),
    Var("SANXIANG_S3_ENDPOINT_URL", "", "Endpoint of the S3-compatible storage (e.g. https://oss.example.gov.cn or a MinIO URL); empty = AWS."),
    Var("AWS_ACCESS_KEY_ID", "", "Access key of the S3 blob store (read by boto3 itself, like the other AWS_* variables)."),
    Var("AWS_SECRET_ACCESS_KEY", "", "Secret key of the S3 blob store (read by boto3 itself)."),
    Var("AWS_DEFAULT_REGION", "", "Region of the S3 blob store (read by boto3 itself); most S3-compatible stores accept us-east-1."),
    Var("SANXIANG_SECRET_KEY", "", "Django secret key; empty = generated once into SANXIANG_HOME/keys/secret_key (mode 0600)."),
    Var("SANXIANG_DEBUG", "0", "1 = development mode (never in production)."),
    Var("SANXIANG_HTTPS", "1", "1 = served behind HTTPS: secure cookies, HSTS, redirect to HTTPS. 0 only for a loopback trial."),
    Var("SANXIANG_ALLOWED_HOSTS", "127.0.0.1,localhost", "Comma-separated host names the server answers to."),
    Var("SANXIANG_MAX_UPLOAD_BYTES", str(4 * 1024**3), "Largest evidence file accepted, in bytes (default 4 GiB)."),
    Var("SANXIANG_LOCKOUT_ATTEMPTS", "5", "Failed logins in a row that lock an account."),
    Var("SANXIANG_LOCKOUT_MINUTES", "15", "How long a locked account stays locked."),
    Var("SANXIANG_PUBLIC_COUNT_CAP", "2000", "The public search counts matches exactly up to this many (at least 100), then says \"more than N\" and serves no page beyond N; a lower cap makes broad searches cheaper."),
)
_BY_NAME = {v.name: v for v in VARIABLES}


def get(name: str) -> str:
    """The value of a documented variable (its default when unset)."""
    return os.environ.get(name, _BY_NAME[name].default)


def flag(name: str) -> bool:
    return get(name).strip().lower() in {"1", "true", "yes", "on"}


def home() -> Path:
    return Path(get("SANXIANG_HOME")).expanduser().resolve()


def secret_key(keys_dir: Path) -> str:
    """The secret key: from the environment, else generated once (0600) under keys/."""
    explicit = get("SANXIANG_SECRET_KEY")
    if explicit:
        return explicit
    import secrets

    keys_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = keys_dir / "secret_key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as fh:
        fh.write(secrets.token_urlsafe(64))
    return path.read_text().strip()
