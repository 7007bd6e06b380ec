"""API authentication: `Authorization: Bearer <token>` or the staff session (with CSRF)."""

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from sanxiang.accounts.services import token_authenticate


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        user = token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class StaffSession(SessionAuth):
    """The logged-in staff session; refuses locked or inactive accounts."""

    def authenticate(self, request: HttpRequest, key):
        user = super().authenticate(request, key)
        if user is None or not user.is_active or user.is_locked():
            return None
        return user


STAFF_AUTH = [BearerToken(), StaffSession()]
