"""The Ed25519 signing key of the logs (签名密钥), kept under SANXIANG_HOME/keys (mode 0600)."""

from __future__ import annotations

import base64
import hashlib
import os
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

KEY_FILE = "log-ed25519.pem"


def _key_path() -> Path:
    return Path(settings.KEYS_DIR) / KEY_FILE


@lru_cache(maxsize=4)
def _load(path: str) -> Ed25519PrivateKey:
    p = Path(path)
    if not p.exists():
        p.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        try:
            fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process created it first: use that one
        else:
            with os.fdopen(fd, "wb") as fh:
                fh.write(pem)
                fh.flush()
                os.fsync(fh.fileno())
    key = serialization.load_pem_private_key(p.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{p} is not an Ed25519 private key")
    return key


def signing_key() -> Ed25519PrivateKey:
    """The private key (generated on first use)."""
    return _load(str(_key_path()))


def public_key_raw() -> bytes:
    """The raw 32-byte Ed25519 public key."""
    return signing_key().public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_key_b64() -> str:
    return base64.b64encode(public_key_raw()).decode()


def public_key_pem() -> str:
    return signing_key().public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def key_id(raw_public: bytes | None = None) -> str:
    return hashlib.sha256(raw_public or public_key_raw()).hexdigest()


def sign(message: bytes) -> str:
    """Base64 Ed25519 signature of `message`."""
    return base64.b64encode(signing_key().sign(message)).decode()


def verify(message: bytes, signature_b64: str, raw_public: bytes | None = None) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(raw_public or public_key_raw()).verify(
            base64.b64decode(signature_b64), message)
    except Exception:
        return False
    return True


def head_message(tree_size: int, root_hex: str, timestamp_ms: int) -> bytes:
    """The signed message of a tree head (API.md "Public API")."""
    return f"{tree_size}\n{root_hex}\n{timestamp_ms}\n".encode()
