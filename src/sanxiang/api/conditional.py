"""Conditional GET of the public API (条件请求): ETags and `If-None-Match` → 304."""

from __future__ import annotations

import hashlib

from django.http import HttpRequest, HttpResponse

from sanxiang.records.ledger.canonical import canonical_json


def etag_of(payload: dict) -> str:
    """A strong ETag of a JSON payload (SHA-256 of its canonical JSON, 128 bits)."""
    return '"' + hashlib.sha256(canonical_json(payload)).hexdigest()[:32] + '"'


def etag_of_body(body: bytes) -> str:
    """A strong ETag of a rendered answer (SHA-256 of its bytes, 128 bits): for an answer that is
    rendered anyway, cheaper than `etag_of` and exactly as strong."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def not_modified(request: HttpRequest, etag: str, cache_control: str) -> HttpResponse | None:
    """A 304 answer when `If-None-Match` names `etag` (weak comparison, RFC 9110 §13.1.2) or `*`."""
    wanted = request.headers.get("If-None-Match", "")
    tags = {t.strip().removeprefix("W/") for t in wanted.split(",") if t.strip()}
    if etag not in tags and "*" not in tags:
        return None
    response = HttpResponse(status=304)
    response["ETag"], response["Cache-Control"] = etag, cache_control
    return response
