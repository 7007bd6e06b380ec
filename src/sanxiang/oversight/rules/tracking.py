"""Tracking codes of complaints (查询码). Pure.

A code is 16 characters of an alphabet without look-alikes (no 0/O, 1/I/L, U), about 78 random bits (30 symbols, 16 places)
from ``secrets``, shown in four groups (``K7QM-3XWD-9PTA-HC4R``). Only its SHA-256 is stored,
so the code is shown once and cannot be recovered from the database.
"""

from __future__ import annotations

import hashlib
import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 16
GROUP = 4
_SEPARATORS = re.compile(r"[\s\-_－—]")


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(raw[i:i + GROUP] for i in range(0, LENGTH, GROUP))


def normalize(code: str) -> str | None:
    """The canonical form of a typed code (case, spaces and dashes ignored); None if malformed."""
    text = _SEPARATORS.sub("", (code or "").strip().upper())
    if len(text) != LENGTH or any(ch not in ALPHABET for ch in text):
        return None
    return text


def digest(code: str) -> str | None:
    """SHA-256 hex of the normalized code, or None when the code is malformed."""
    text = normalize(code)
    return hashlib.sha256(text.encode()).hexdigest() if text else None
