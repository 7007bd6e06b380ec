"""Staff JSON API `/api/v1/` (thin: parse, call a selector or service, serialize)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from ninja import NinjaAPI, Query, Schema

from sanxiang.accounts import selectors as accounts
from sanxiang.api import errors
from sanxiang.api.auth import STAFF_AUTH
from sanxiang.api.cases import router as cases_router
from sanxiang.api.exports import router as exports_router
from sanxiang.api.publications import router as publications_router
from sanxiang.api.schemas import ErrorOut, MeOut, OfficerPage, PartiesIn, PartiesOut
from sanxiang.api.uploads import router as uploads_router
from sanxiang.core.paging import DEFAULT_PAGE_SIZE, paginate

api = NinjaAPI(
    title="Sanxiang staff API (三项制度 工作接口)",
    version="1",
    urls_namespace="api-v1",
    auth=STAFF_AUTH,
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)
api.add_router("/uploads", uploads_router)
api.add_router("", cases_router)
api.add_router("", publications_router)
api.add_router("", exports_router)

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


@api.get("/me", response={200: MeOut, **ERRORS}, tags=["accounts"])
def me(request: HttpRequest):
    """The caller: roles, unit and, for a certified officer, the certificate."""
    user = request.auth
    officer = getattr(user, "officer", None)
    return {
        "id": str(user.pk),
        "username": user.username,
        "full_name": user.full_name,
        "roles": sorted(user.role_codes),
        "unit": user.unit.code if user.unit else None,
        "unit_name": user.unit.name if user.unit else None,
        "officer": {"id": str(officer.pk), "certificate_number": officer.certificate_number} if officer else None,
    }


class OfficerFilters(Schema):
    unit: str | None = None
    q: str | None = None
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE


@api.get("/officers", response={200: OfficerPage, **ERRORS}, tags=["accounts"])
def officers(request: HttpRequest, filters: Query[OfficerFilters]):
    """Certified officers in the caller's scope (`unit` narrows to a unit and its subtree)."""
    result = paginate(accounts.officer_list(viewer=request.auth, unit=filters.unit, q=filters.q),
                      filters.page, filters.page_size)
    today = timezone.localdate()
    return {
        "items": [
            {
                "id": str(o.pk), "name": o.user.full_name, "certificate_number": o.certificate_number,
                "unit": o.user.unit.code, "unit_name": o.user.unit.name,
                "valid_until": o.valid_until, "status": o.status_on(today),
            }
            for o in result.items
        ],
        "total": result.total, "page": result.page, "page_size": result.page_size,
    }


@api.post("/parties/check", response={200: PartiesOut, **ERRORS}, tags=["cases"])
def parties_check(request: HttpRequest, payload: PartiesIn):
    """Check parties before filing (当事人信息校验): identifiers normalized or refused with the field."""
    return {"parties": [p.model_dump(exclude_none=True) for p in payload.parties]}
