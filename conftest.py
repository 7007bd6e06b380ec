"""Shared fixtures: the standard unit tree, users of each role, API clients."""

from __future__ import annotations

import pytest


@pytest.fixture
def units(db):
    """The standard unit tree of API.md (city, city-legal, city-corps, 16 districts)."""
    from sanxiang.accounts.services import units_ensure_standard

    return {u.code: u for u in units_ensure_standard()}


@pytest.fixture
def make_user(units):
    """Build a user through the service: make_user("pudong", "officer", certificate=True)."""
    from tests.factories import make_user as _make_user

    return _make_user


def pytest_report_header(config):
    from django.conf import settings

    db = settings.DATABASES["default"]
    where = f"{db.get('HOST')}:{db.get('PORT')}" if db.get("HOST") else "embedded"
    return f"sanxiang database: {db['ENGINE'].rsplit('.', 1)[-1]} ({where})"
