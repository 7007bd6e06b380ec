"""Incremental pull endpoints for the city platform (数据推送/增量拉取) — `/api/v1/exports/`.

* `GET /exports/dsgs?kind=penalty|permit&since=<cursor or ISO datetime>&limit=` — the 双公示
  rows (RULES.md R4.3 / R4.4, the exact field names of API.md "Commands (details)");
* `GET /exports/joint-punishment?since=&limit=` — the joint punishment feed (联合惩戒):
  decisions meeting the serious-dishonesty criteria with their basis.

Both answer `{"items": [...], "next": cursor, "has_more": bool}`, ordered by change sequence
(the public-log index of each decision's latest publish / correct / withdraw / expire leaf):
pull again with `since=<next>` until `has_more` is false, and keep `next` for the next pull.
Withdrawn and ended decisions come back as changes, their state in 备注 and no personal data.

Auth: bearer token or staff session of a **supervisor or admin of the `city` unit**; anyone
else gets 403 `export_forbidden` (`selectors_export.require_puller`).
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema

from sanxiang.api.schemas import ErrorOut
from sanxiang.disclosure import selectors_export as exports

router = Router(tags=["exports"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut}


class ExportPageOut(Schema):
    items: list[dict]
    next: str
    has_more: bool


class DsgsFilters(Schema):
    kind: str
    since: str | None = None
    limit: int | None = None


class FeedFilters(Schema):
    since: str | None = None
    limit: int | None = None


@router.get("/exports/dsgs", response={200: ExportPageOut, **ERRORS})
def dsgs_pull(request: HttpRequest, filters: Query[DsgsFilters]):
    """双公示 rows changed after `since` (cursor or ISO datetime), oldest change first."""
    exports.require_puller(request.auth)
    return exports.dsgs_changes(kind=filters.kind, since=filters.since, limit=filters.limit).as_dict()


@router.get("/exports/joint-punishment", response={200: ExportPageOut, **ERRORS})
def joint_punishment_pull(request: HttpRequest, filters: Query[FeedFilters]):
    """Joint punishment feed (联合惩戒) changed after `since`, with the basis of each row."""
    exports.require_puller(request.auth)
    return exports.joint_punishment_changes(since=filters.since, limit=filters.limit).as_dict()
