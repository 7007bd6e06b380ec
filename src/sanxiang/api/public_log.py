"""Public transparency log API (公开透明日志接口): `/api/public/v1/log/…` (API.md "Public API").

* `GET log/head` — the signed tree head covering every leaf appended so far;
* `GET log/entries?start=&end=` — leaves `start`..`end` inclusive (at most 1000), base64;
* `GET log/consistency?first=&second=` — RFC 6962 consistency proof.

Caching: the head changes with every append, so it is cacheable for a few seconds only;
entries and proofs of a fixed range never change (the log is append-only), so they are
`immutable` for a year. Every answer carries an ETag and honours `If-None-Match` (304).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from sanxiang.api.conditional import etag_of, not_modified
from sanxiang.api.ratelimit import rate_limited
from sanxiang.api.schemas import ErrorOut
from sanxiang.disclosure import publiclog

HEAD_CACHE_CONTROL = "public, max-age=10"
FIXED_CACHE_CONTROL = "public, max-age=31536000, immutable"

router = Router(tags=["transparency log"])
router.add_decorator(rate_limited, mode="view")  # also when the API-wide limit is not installed


class LogHeadOut(Schema):
    tree_size: int
    root_hash: str
    timestamp: int
    signature: str
    public_key: str
    algorithm: str


class LogEntryOut(Schema):
    index: int
    leaf: str


class LogEntriesOut(Schema):
    entries: list[LogEntryOut]


class ConsistencyOut(Schema):
    proof: list[str]


def _cached(request: HttpRequest, response: HttpResponse, payload: dict, cache_control: str):
    """Set ETag and Cache-Control; 304 when the client already holds this representation."""
    etag = etag_of(payload)
    if (unchanged := not_modified(request, etag, cache_control)) is not None:
        return unchanged
    response["ETag"], response["Cache-Control"] = etag, cache_control
    return payload


@router.get("/head", response={200: LogHeadOut, 429: ErrorOut})
def log_head(request: HttpRequest, response: HttpResponse):
    """Signed tree head (签名树头): Ed25519 over "{tree_size}\\n{root_hash}\\n{timestamp}\\n"."""
    return _cached(request, response, publiclog.public_head().as_dict(), HEAD_CACHE_CONTROL)


@router.get("/entries", response={200: LogEntriesOut, 400: ErrorOut, 429: ErrorOut})
def log_entries(request: HttpRequest, response: HttpResponse, start: int, end: int):
    """Leaves `start`..`end` (both inclusive, at most 1000): the exact canonical JSON bytes, base64."""
    payload = {"entries": [e.as_dict() for e in publiclog.public_entries(start, end)]}
    return _cached(request, response, payload, FIXED_CACHE_CONTROL)


@router.get("/consistency", response={200: ConsistencyOut, 400: ErrorOut, 429: ErrorOut})
def log_consistency(request: HttpRequest, response: HttpResponse, first: int, second: int):
    """Consistency proof (一致性证明) between the trees of sizes `first` and `second`, hex hashes."""
    return _cached(request, response, publiclog.public_consistency(first, second), FIXED_CACHE_CONTROL)
