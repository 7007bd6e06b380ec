"""Test data builders. State comes from factories; behaviour goes through services."""

from __future__ import annotations

import datetime as dt
import itertools

from sanxiang.accounts import services
from sanxiang.accounts.models import User

PASSWORD = "Correct-Horse-Battery-9"
_seq = itertools.count(1)


def make_user(unit: str = "pudong", *roles: str, certificate: bool | str = False,
              valid_until: dt.date | None = None, password: str = PASSWORD,
              username: str | None = None, full_name: str | None = None) -> User:
    """A user of `unit` with `roles` (default officer); `certificate=True` certifies him."""
    n = next(_seq)
    roles = roles or ("officer",)
    number = certificate if isinstance(certificate, str) else (f"TEST{n:06d}" if certificate else None)
    return services.user_create(
        username=username or f"user{n}", full_name=full_name or f"测试{n}", unit_code=unit,
        roles=roles, password=password, certificate_number=number,
        valid_until=(valid_until or dt.date(2030, 12, 31)) if number else None,
    )

