"""Typed domain errors (领域错误). Services raise these; `api.errors` maps them once to HTTP.

Every error carries a stable snake_case `code`, a human `message` in the user's language
and `details` (for bad input, `details["field"]` names the offending field).
"""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error a service may raise; rendered as 400 unless a subclass says else."""

    status = 400

    def __init__(self, code: str, message: str, **details: object) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = message
        self.details = details

    def as_dict(self) -> dict:
        return {"code": self.code, "message": str(self.message), "details": self.details}


class InvalidInput(DomainError):
    """Bad input (400); `field` names the offending field, e.g. `parties[0].uscc`."""

    status = 400

    def __init__(self, code: str, message: str, *, field: str | None = None, **details: object) -> None:
        if field is not None:
            details["field"] = field
        super().__init__(code, message, **details)


class NotAuthenticated(DomainError):
    status = 401


class PermissionDenied(DomainError):
    """The caller may see the object but may not do this (403)."""

    status = 403


class NotFound(DomainError):
    """No such object, or outside the caller's unit scope (404) — the two are indistinguishable."""

    status = 404


class GuardRefused(DomainError):
    """A guard of the three systems refused the change (409): legal_review_required, …"""

    status = 409


class Gone(DomainError):
    status = 410


class TooLarge(DomainError):
    status = 413


class RateLimited(DomainError):
    status = 429
