"""Canonical JSON (规范化 JSON) for ledger entries and public records. Stdlib only.

`canonical_json(obj)` gives the bytes that get hashed. The rules:

* only JSON data: `dict` with `str` keys, `list`, `str`, `int`, `bool`, `None`;
  subclasses of `str`/`int` (e.g. `StrEnum`, Django `TextChoices`) are written as their
  plain value; anything else (`Decimal`, `datetime`, `date`, `tuple`, `set`, `bytes`,
  non-`str` keys) raises `TypeError`: callers convert it first, e.g. amounts to a decimal
  string (`"1.50"`) or to an int in 分, datetimes with `.isoformat()`;
* no floats at all, and no NaN/Infinity: `ValueError`. A float has no representation
  shared by all JSON implementations (Python writes `1.0` and `1e-07`, JavaScript `1` and
  `1e-7`), so a hash over it could not be recomputed elsewhere;
* integers within the I-JSON range |i| <= 2**53 - 1 (RFC 7493 §2.2), else `ValueError`;
* strings must be encodable as UTF-8 (no lone surrogates), else `ValueError`;
* object keys sorted by their UTF-16 code units, no insignificant whitespace
  (separators `,` and `:`), non-ASCII written as UTF-8 (`ensure_ascii=False`), control
  characters escaped as JSON requires;
* a container that contains itself raises `ValueError`.

With these rules the output is byte for byte what RFC 8785 (JSON Canonicalization Scheme)
gives for the same value, so anyone can recompute `record_sha256` with a JCS library.
"""

from __future__ import annotations

import hashlib
import json
import math
from typing import Any

__all__ = ["MAX_SAFE_INTEGER", "canonical_json", "canonical_sha256", "sha256_hex"]

MAX_SAFE_INTEGER = 2**53 - 1

_ENCODER = json.JSONEncoder(
    ensure_ascii=False, allow_nan=False, sort_keys=False, separators=(",", ":"), check_circular=False
)


def canonical_json(obj: Any) -> bytes:
    """The canonical UTF-8 JSON bytes of `obj` (see the module docstring for the rules)."""
    text = _ENCODER.encode(_normalise(obj, set(), "$"))
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:  # lone surrogate inside a string
        raise ValueError(f"string is not valid Unicode (lone surrogate): {exc.reason}") from None


def sha256_hex(data: bytes) -> str:
    """Lower-case hex SHA-256 of `data` (`printf ... | sha256sum`)."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError(f"sha256_hex needs bytes, not {type(data).__name__}")
    return hashlib.sha256(data).hexdigest()


def canonical_sha256(obj: Any) -> str:
    """`sha256_hex(canonical_json(obj))`, e.g. the `record_sha256` of a public record."""
    return sha256_hex(canonical_json(obj))


def _utf16_key(key: str) -> bytes:
    # RFC 8785 §3.2.3 sorts by UTF-16 code units; surrogatepass keeps lone surrogates
    # sortable here so that the UTF-8 step reports them as ValueError.
    return key.encode("utf-16-be", "surrogatepass")


def _normalise(obj: Any, active: set[int], path: str) -> Any:
    """A plain-typed copy of `obj` with sorted dicts, or raise TypeError/ValueError."""
    if obj is None or obj is True or obj is False:
        return obj
    if isinstance(obj, str):
        return str.__str__(obj)
    if isinstance(obj, int):
        value = int.__index__(obj)
        if abs(value) > MAX_SAFE_INTEGER:
            raise ValueError(f"{path}: integer {value} is outside ±(2**53 - 1) (I-JSON)")
        return value
    if isinstance(obj, float):
        if not math.isfinite(obj):
            raise ValueError(f"{path}: NaN and Infinity are not JSON")
        raise ValueError(f"{path}: floats are not canonical; use an int or a decimal string")
    if isinstance(obj, dict | list):
        if id(obj) in active:
            raise ValueError(f"{path}: circular reference")
        active.add(id(obj))
        try:
            if isinstance(obj, list):
                return [_normalise(item, active, f"{path}[{i}]") for i, item in enumerate(obj)]
            for key in obj:
                if not isinstance(key, str):
                    raise TypeError(f"{path}: object key {key!r} is not a str")
            plain = {str.__str__(k): v for k, v in obj.items()}
            if len(plain) != len(obj):
                raise ValueError(f"{path}: two keys have the same text")
            return {
                k: _normalise(plain[k], active, f"{path}.{k}") for k in sorted(plain, key=_utf16_key)
            }
        finally:
            active.discard(id(obj))
    raise TypeError(
        f"{path}: {type(obj).__name__} is not JSON data; convert it first "
        "(Decimal → str, datetime → isoformat())"
    )
