"""The one place where errors become HTTP: `{"error": {"code", "message", "details"}}`.

Domain errors carry their own status; validation errors become 400 with `details.field`
as a path such as `parties[0].uscc`; unknown request fields are `unknown_field`.
"""

from __future__ import annotations

import logging

from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError

from sanxiang.core.errors import DomainError

log = logging.getLogger(__name__)

_LOCATION_ROOTS = {"body", "query", "path", "header", "cookie", "form", "file"}


def error_response(status: int, code: str, message: str, details: dict | None = None,
                   headers: dict | None = None) -> JsonResponse:
    response = JsonResponse(
        {"error": {"code": code, "message": str(message), "details": details or {}}},
        status=status, json_dumps_params={"ensure_ascii": False},
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def field_path(loc: list | tuple) -> str:
    """["body", "payload", "parties", 0, "uscc"] → "parties[0].uscc"."""
    parts = list(loc)
    if parts and parts[0] in _LOCATION_ROOTS:
        parts = parts[1:]
        if len(parts) > 1 and parts[0] in {"payload", "data", "body", "filters"}:
            parts = parts[1:]
    path = ""
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def _error_field(error: dict) -> str:
    loc = list(error.get("loc", ()))
    extra = (error.get("ctx") or {}).get("field")
    return field_path([*loc, extra] if extra else loc)


def _validation_error(errors: list[dict]) -> JsonResponse:
    first = errors[0] if errors else {}
    kind = first.get("type", "")
    field = _error_field(first)
    if (first.get("ctx") or {}).get("domain"):
        code, message = kind, first.get("msg", "")
    elif kind == "extra_forbidden":
        code, message = "unknown_field", _("Unknown field: %(field)s.") % {"field": field}
    elif kind == "missing":
        code, message = "field_required", _("This field is required: %(field)s.") % {"field": field}
    else:
        code = "invalid_input"
        message = _("Invalid value for %(field)s: %(reason)s") % {"field": field, "reason": first.get("msg", "")}
    problems = [{"field": _error_field(e), "type": e.get("type"), "message": e.get("msg")}
                for e in errors]
    return error_response(400, code, message, {"field": field, "problems": problems})


def install(api: NinjaAPI) -> None:
    """Register the error mapping on a NinjaAPI instance."""

    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError):
        headers = {"Retry-After": str(exc.details["retry_after"])} if "retry_after" in exc.details else None
        return error_response(exc.status, exc.code, exc.message, exc.details, headers)

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError):
        return _validation_error(list(exc.errors))

    @api.exception_handler(AuthenticationError)
    def authentication_error(request: HttpRequest, exc: AuthenticationError):
        return error_response(401, "not_authenticated",
                              _("Authentication required: log in or send Authorization: Bearer <token>."),
                              headers={"WWW-Authenticate": 'Bearer realm="sanxiang"'})

    @api.exception_handler(AuthorizationError)
    def authorization_error(request: HttpRequest, exc: AuthorizationError):
        return error_response(403, "forbidden", _("You may not do this."))

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404):
        return error_response(404, "not_found", _("Not found."))

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError):
        codes = {400: "bad_request", 401: "not_authenticated", 403: "forbidden", 404: "not_found",
                 405: "method_not_allowed", 413: "too_large", 429: "rate_limited"}
        return error_response(exc.status_code, codes.get(exc.status_code, "error"), str(exc))

    @api.exception_handler(Exception)
    def internal_error(request: HttpRequest, exc: Exception):
        log.exception("unhandled API error")
        return error_response(500, "internal_error", _("Internal error; it has been logged."))
