"""Published decisions (行政执法决定公示): `/api/public/v1/decisions…` (API.md "Public API").

* `GET decisions?q=&unit=&kind=&penalty_type=&amount_min=&amount_max=&from=&to=&sort=&page=` —
  decisions on the portal now (published or corrected, in their display period), newest first
  (`sort=oldest|fine`); `q` matches any substring of the public record's text
  (`disclosure.search`); amounts in yuan; counting stops at `PUBLIC_COUNT_CAP` (then
  `total_capped` is true and no page lies beyond it);
* `GET decisions/{public_id}` — `{"record": <the exact public record>, "log_index", …}`: the
  record's bytes are the stored canonical JSON, byte for byte what was hashed into the leaf's
  `record_sha256`; 404 when never published; 410 `withdrawn` / `expired` with
  `details.at` and `details.reason` (the withdrawal reason is public);
* `GET decisions/{public_id}/proof?tree_size=N` — the RFC 6962 inclusion proof of the
  record's leaf (of the withdraw / expire leaf once the decision is gone).

Answers are `no-cache` (revalidate every time: a withdrawal takes effect on the next request)
with an ETag; `If-None-Match` with the current one gives 304 without a body.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from ninja.responses import NinjaJSONEncoder
from pydantic import Field

from sanxiang.api.conditional import etag_of_body, not_modified
from sanxiang.api.ratelimit import rate_limited
from sanxiang.api.schemas import ErrorOut
from sanxiang.core.paging import DEFAULT_PAGE_SIZE
from sanxiang.disclosure import publiclog, selectors, selectors_search

router = Router(tags=["decisions"])
router.add_decorator(rate_limited, mode="view")  # also when the API-wide limit is not installed

NO_CACHE = "no-cache"
JSON = "application/json; charset=utf-8"
SUMMARY_FIELDS = ("title", "decision_number", "party_name", "party_type", "penalty_type", "fine_amount",
                  "agency", "decided_on", "display_until")


class DecisionFilters(Schema):
    q: str | None = Field(None, max_length=100)
    unit: str | None = None
    kind: str | None = None
    penalty_type: str | None = Field(None, max_length=40)
    amount_min: Decimal | None = Field(None, ge=0, max_digits=16, decimal_places=2)
    amount_max: Decimal | None = Field(None, ge=0, max_digits=16, decimal_places=2)
    sort: str | None = None
    date_from: dt.date | None = Field(None, alias="from")
    date_to: dt.date | None = Field(None, alias="to")
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE


class DecisionSummaryOut(Schema):
    public_id: str
    decision_kind: str
    unit: str
    state: str
    published_at: dt.datetime
    log_index: int
    summary: dict


class DecisionPage(Schema):
    items: list[DecisionSummaryOut]
    total: int
    total_capped: bool = Field(False, description="more decisions match than `total` (counting stops there)")
    page: int
    page_size: int


class ProofOut(Schema):
    leaf_index: int
    tree_size: int
    audit_path: list[str]


@router.get("", response={200: DecisionPage, 400: ErrorOut, 429: ErrorOut})
def decision_search(request: HttpRequest, filters: Query[DecisionFilters]):
    """Search published decisions (决定公示查询)."""
    result = selectors_search.search_page(
        q=filters.q, unit=filters.unit, kind=filters.kind, penalty_type=filters.penalty_type,
        amount_min=filters.amount_min, amount_max=filters.amount_max, date_from=filters.date_from,
        date_to=filters.date_to, sort=filters.sort, page=filters.page, page_size=filters.page_size)
    items = []
    for item in result.items:
        record = item.record or {}
        items.append({"public_id": item.public_id, "decision_kind": item.decision_kind, "unit": item.unit_code,
                      "state": item.state, "published_at": item.published_at, "log_index": item.log_index,
                      "summary": {k: record[k] for k in SUMMARY_FIELDS if k in record}})
    payload = {"items": items, "total": result.total, "total_capped": result.total_capped, "page": result.page,
               "page_size": result.page_size}
    # Already in the shape of `DecisionPage` (built from the stored public records): rendered as
    # Ninja renders it, without validating the page again; the ETag is that of the bytes.
    body = json.dumps(payload, cls=NinjaJSONEncoder).encode("utf-8")
    etag = etag_of_body(body)
    if (unchanged := not_modified(request, etag, NO_CACHE)) is not None:
        return unchanged
    response = HttpResponse(body, content_type=JSON)
    response["Cache-Control"] = NO_CACHE
    response["ETag"] = etag
    return response


@router.get("/{public_id}", response={200: dict, 404: ErrorOut, 410: ErrorOut, 429: ErrorOut})
def decision_detail(request: HttpRequest, public_id: str):
    """One published decision: the exact public record and the index of the leaf committing it."""
    item = selectors.public_decision(public_id)
    etag = f'"{item.record_sha256[:32]}-{item.log_index}"'
    if (unchanged := not_modified(request, etag, NO_CACHE)) is not None:
        return unchanged
    body = b"".join([
        b'{"log_index":', str(item.log_index).encode(), b',"public_id":', json.dumps(item.public_id).encode(),
        b',"record":', item.public_record.encode("utf-8"), b',"record_sha256":', json.dumps(item.record_sha256).encode(),
        b',"state":', json.dumps(item.state).encode(), b',"version":', str(item.version).encode(), b"}",
    ])
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Cache-Control"] = NO_CACHE
    response["ETag"] = etag
    return response


@router.get("/{public_id}/proof", response={200: ProofOut, 400: ErrorOut, 404: ErrorOut, 429: ErrorOut})
def decision_proof(request: HttpRequest, public_id: str, tree_size: int | None = None):
    """Inclusion proof (包含证明) of the decision's leaf in the tree of `tree_size` (default: now)."""
    return publiclog.public_proof(selectors.public_proof_index(public_id), tree_size)
