"""Public JSON API `/api/public/v1/` (公开接口): no authentication, only public data."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import NinjaAPI

from sanxiang.accounts import selectors as accounts
from sanxiang.api import errors, public_log, ratelimit
from sanxiang.api.public_decisions import router as decisions_router
from sanxiang.api.schemas import ErrorOut, PublicOfficerOut

api = NinjaAPI(
    title="Sanxiang public API (三项制度 公开接口)",
    version="1",
    urls_namespace="api-public-v1",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)
ratelimit.install(api)


@api.get("/officers/{certificate_number}", response={200: PublicOfficerOut, 404: ErrorOut},
         tags=["officers"])
def officer(request: HttpRequest, certificate_number: str):
    """Verify an enforcement certificate (执法证查询): name, unit, status and validity."""
    return accounts.officer_public_record(accounts.officer_public(certificate_number=certificate_number))


api.add_router("/log", public_log.router)
api.add_router("/decisions", decisions_router)
