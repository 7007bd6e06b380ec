"""Publication queue API (公示接口) — API.md "Publication (事后公开)".

* `GET /publications?state=pending|published|corrected|withdrawn|expired|overdue` (scoped, paginated);
* `GET /publications/{id}` — the item, its versions and, for the publisher of the deciding
  unit, the preview with every redaction marked;
* `POST /publications/{id}/publish|correct|withdraw|redactions|withdrawal-required|end-early`.

Thin: parse, call one service or selector, serialize.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field

from sanxiang.api.schemas import ErrorOut, RequestSchema
from sanxiang.core.paging import DEFAULT_PAGE_SIZE, paginate
from sanxiang.disclosure import selectors, services
from sanxiang.disclosure.models import PublicationItem

router = Router(tags=["publications"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class PublicationFilters(Schema):
    state: str | None = None
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE


class PublicationOut(Schema):
    id: str
    subject: str
    title: str
    unit: str
    decision_kind: str
    decided_on: dt.date
    due_on: dt.date
    provisional: bool
    state: str
    overdue: bool
    overdue_reason: str | None
    public_id: str | None
    published_at: dt.datetime | None
    expires_on: dt.date | None
    min_until: dt.date | None
    display_class: str | None
    log_index: int | None
    record_sha256: str | None
    version: int
    withdrawal: dict | None
    withdrawn_at: dt.datetime | None
    withdrawal_reason: str | None
    ended_at: dt.datetime | None


class PublicationPage(Schema):
    items: list[PublicationOut]
    total: int
    page: int
    page_size: int


class PublicationDetailOut(PublicationOut):
    record: dict | None
    versions: list[dict]
    redaction_report: dict
    manual_redactions: list[dict]
    display_period: dict | None
    preview: dict | None


class PublishedOut(Schema):
    id: str
    state: str
    public_id: str
    published_at: dt.datetime
    expires_on: dt.date | None
    log_index: int


class ReasonIn(RequestSchema):
    reason: str = Field(max_length=2000)


class CorrectIn(RequestSchema):
    fields: dict
    reason: str = Field(max_length=2000)


class RedactionIn(RequestSchema):
    field: str = Field(max_length=200)
    start: int
    end: int
    reason: str = Field(max_length=2000)
    category: str = "other"


class WithdrawalRequiredIn(RequestSchema):
    event: str
    event_on: dt.date


def item_out(item: PublicationItem, today: dt.date | None = None) -> dict:
    reason = selectors.overdue_reason(item, today or timezone.localdate())
    withdrawal = None
    if item.withdrawal_event:
        withdrawal = {"event": item.withdrawal_event, "event_on": item.withdrawal_event_on,
                      "due_on": item.withdrawal_due_on, "provisional": item.withdrawal_due_provisional}
    return {
        "id": str(item.pk), "subject": item.subject, "title": item.title, "unit": item.unit_code,
        "decision_kind": item.decision_kind, "decided_on": item.decided_on, "due_on": item.due_on,
        "provisional": item.provisional, "state": item.state, "overdue": reason is not None,
        "overdue_reason": reason, "public_id": item.public_id, "published_at": item.published_at,
        "expires_on": item.expires_on, "min_until": item.min_until, "display_class": item.display_class or None,
        "log_index": item.log_index, "record_sha256": item.record_sha256 or None, "version": item.version,
        "withdrawal": withdrawal, "withdrawn_at": item.withdrawn_at,
        "withdrawal_reason": item.withdrawal_reason or None, "ended_at": item.ended_at,
    }


def detail_out(item: PublicationItem, viewer) -> dict:
    out = item_out(item)
    preview = None
    if selectors.may_publish(viewer, item.unit_code) and item.source:
        preview = selectors.preview_of(item).as_dict()
    out.update({
        "record": item.record,
        "versions": [{"number": v.number, "action": v.action, "record_sha256": v.record_sha256,
                      "log_index": v.log_index, "reason": v.reason, "actor": v.actor, "at": v.created_at}
                     for v in item.versions.order_by("number")],
        "redaction_report": item.redaction_report or {},
        "manual_redactions": item.manual_redactions or [],
        "display_period": item.display_period or None,
        "preview": preview,
    })
    return out


@router.get("/publications", response={200: PublicationPage, **ERRORS})
def publication_list(request: HttpRequest, filters: Query[PublicationFilters]):
    """The publication queue in the caller's scope (公示队列), newest first; `state=overdue` is derived."""
    result = paginate(selectors.publication_list(viewer=request.auth, state=filters.state),
                      filters.page, filters.page_size)
    today = timezone.localdate()
    return {"items": [item_out(i, today) for i in result.items], "total": result.total, "page": result.page,
            "page_size": result.page_size}


@router.get("/publications/{item_id}", response={200: PublicationDetailOut, **ERRORS})
def publication_detail(request: HttpRequest, item_id: str):
    """One item with its versions; the preview (original text, redactions marked) for its publisher."""
    return detail_out(selectors.publication_get(viewer=request.auth, item_id=item_id), request.auth)


@router.post("/publications/{item_id}/publish", response={200: PublishedOut, **ERRORS})
def publication_publish(request: HttpRequest, item_id: str):
    """Publish (公示): 409 `not_publishable` with the reasons for a minor party or a secret case."""
    item = services.publication_publish(item_id=item_id, actor=request.auth)
    return {"id": str(item.pk), "state": item.state, "public_id": item.public_id,
            "published_at": item.published_at, "expires_on": item.expires_on, "log_index": item.log_index}


@router.post("/publications/{item_id}/correct", response={200: PublicationDetailOut, **ERRORS})
def publication_correct(request: HttpRequest, item_id: str, payload: CorrectIn):
    """Correct (更正): a new version, the history kept, a new leaf."""
    item = services.publication_correct(item_id=item_id, actor=request.auth, fields=payload.fields,
                                        reason=payload.reason)
    return detail_out(item, request.auth)


@router.post("/publications/{item_id}/withdraw", response={200: PublicationDetailOut, **ERRORS})
def publication_withdraw(request: HttpRequest, item_id: str, payload: ReasonIn):
    """Withdraw (撤回): the reason is public; the decision leaves the portal in this request."""
    item = services.publication_withdraw(item_id=item_id, actor=request.auth, reason=payload.reason)
    return detail_out(item, request.auth)


@router.post("/publications/{item_id}/redactions", response={201: PublicationDetailOut, **ERRORS})
def publication_redaction(request: HttpRequest, item_id: str, payload: RedactionIn):
    """Add a manual redaction (人工遮蔽) of `[start, end)` of the original text of `field`, with a reason."""
    item = services.publication_add_redaction(item_id=item_id, actor=request.auth, field=payload.field,
                                              start=payload.start, end=payload.end, reason=payload.reason,
                                              category=payload.category)
    return Status(201, detail_out(item, request.auth))


@router.post("/publications/{item_id}/withdrawal-required", response={200: PublicationDetailOut, **ERRORS})
def publication_withdrawal_required(request: HttpRequest, item_id: str, payload: WithdrawalRequiredIn):
    """Record that the decision was changed, revoked, found unlawful or invalid: withdrawal due in 3 WD."""
    item = services.publication_withdrawal_required(item=item_id, event=payload.event, event_on=payload.event_on,
                                                    actor=request.auth)
    return detail_out(item, request.auth)


@router.post("/publications/{item_id}/end-early", response={200: PublicationDetailOut, **ERRORS})
def publication_end_early(request: HttpRequest, item_id: str, payload: ReasonIn):
    """End the display early on request (信用修复): 409 `minimum_period_running` before the minimum."""
    item = services.publication_end_early(item_id=item_id, actor=request.auth, reason=payload.reason)
    return detail_out(item, request.auth)
