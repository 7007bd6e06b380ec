"""Resumable uploads `/api/v1/uploads` (断点续传) for officers on mobile networks.

    POST /api/v1/uploads                   {"size", "sha256"?, "filename"?, "content_type"?}
                                           → 201 {"id", "offset": 0, "expires_at", "chunk_size"}
    PUT  /api/v1/uploads/{id}?offset=N     raw chunk as the body, header X-Chunk-SHA256
                                           → 200 {"offset"}; 409 offset_mismatch
                                           (details.expected_offset); 400 chunk_hash_mismatch;
                                           413 file_too_large / chunk_too_large
    GET  /api/v1/uploads/{id}              → the current offset (resume after a dropped connection)
    POST /api/v1/uploads/{id}/finish       → {"sha256", "sm3", "size", "content_type"};
                                           400 hash_mismatch (nothing stored)
    DELETE /api/v1/uploads/{id}            → 204, the upload is given up

Only the owner sees a session (anyone else: 404). The chunk body is read from the request
stream piece by piece, never as `request.body`.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from sanxiang.api.schemas import ErrorOut, RequestSchema
from sanxiang.records import selectors
from sanxiang.records import services_uploads as uploads

router = Router(tags=["evidence"])

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 410: ErrorOut,
          413: ErrorOut}


def _owner(request: HttpRequest) -> str:
    return f"user:{request.auth.pk}"


class UploadIn(RequestSchema):
    size: int = Field(description="Size of the whole file in bytes.")
    sha256: str | None = Field(None, description="SHA-256 of the whole file, checked at finish.")
    filename: str | None = Field(None, max_length=1000, description="Original file name (display only).")
    content_type: str | None = Field(None, max_length=200, description="Media type claimed by the client.")


class UploadCreatedOut(Schema):
    id: str
    offset: int
    expires_at: dt.datetime
    chunk_size: int


class UploadOut(Schema):
    id: str
    size: int
    offset: int
    state: str
    expires_at: dt.datetime
    chunk_size: int
    sha256: str | None = None


class OffsetOut(Schema):
    offset: int


class BlobOut(Schema):
    sha256: str
    sm3: str
    size: int
    content_type: str


@router.post("", response={201: UploadCreatedOut, **ERRORS})
def upload_create(request: HttpRequest, payload: UploadIn):
    """Start a resumable upload of `size` bytes."""
    session = uploads.upload_create(owner=_owner(request), size=payload.size, expected_sha256=payload.sha256,
                                    filename=payload.filename or "", claimed_content_type=payload.content_type or "")
    return Status(201, {"id": session.id, "offset": session.offset, "expires_at": session.expires_at,
                 "chunk_size": uploads.CHUNK_MAX})


@router.get("/{upload_id}", response={200: UploadOut, **ERRORS})
def upload_status(request: HttpRequest, upload_id: str):
    """Where to continue: the number of bytes received so far."""
    session = selectors.upload_get(upload_id=upload_id, owner=_owner(request))
    return {"id": session.id, "size": session.size, "offset": session.offset, "state": session.state,
            "expires_at": session.expires_at, "chunk_size": uploads.CHUNK_MAX, "sha256": session.blob_id}


CHUNK_OPENAPI = {
    "requestBody": {"required": True, "description": "The raw bytes of the chunk (at most chunk_size).",
                    "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}},
    "parameters": [{"in": "header", "name": "X-Chunk-SHA256", "required": True,
                    "description": "SHA-256 (hex) of the chunk's bytes.",
                    "schema": {"type": "string", "pattern": "^[0-9a-fA-F]{64}$"}}],
}


@router.put("/{upload_id}", response={200: OffsetOut, **ERRORS}, openapi_extra=CHUNK_OPENAPI)
def upload_chunk(request: HttpRequest, upload_id: str, offset: int):
    """Send the bytes starting at `offset` (the raw body), with their SHA-256 in X-Chunk-SHA256."""
    raw_length = request.META.get("CONTENT_LENGTH") or ""
    length = int(raw_length) if raw_length.isdigit() else None
    session = uploads.upload_put_chunk(upload_id=upload_id, owner=_owner(request), offset=offset,
                                       stream=request, length=length,
                                       chunk_sha256=request.headers.get("X-Chunk-SHA256"))
    return {"offset": session.offset}


@router.post("/{upload_id}/finish", response={200: BlobOut, **ERRORS})
def upload_finish(request: HttpRequest, upload_id: str):
    """Store the complete file (SHA-256 and SM3 computed); register it as evidence with its sha256."""
    return uploads.upload_finish(upload_id=upload_id, owner=_owner(request)).as_dict()


@router.delete("/{upload_id}", response={204: None, **ERRORS})
def upload_abort(request: HttpRequest, upload_id: str):
    """Give the upload up; its partial file is removed."""
    uploads.upload_abort(upload_id=upload_id, owner=_owner(request))
    return Status(204, None)
