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


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty default cache (rate-limit counters, signed heads, the public
    search's caches): the database is rolled back between tests, so a public log of the same
    state can come back, and nothing cached by another test may answer for it."""
    from django.core.cache import cache

    cache.clear()
    yield


def pytest_report_header(config):
    from django.conf import settings

    db = settings.DATABASES["default"]
    where = f"{db.get('HOST')}:{db.get('PORT')}" if db.get("HOST") else "embedded"
    return f"sanxiang database: {db['ENGINE'].rsplit('.', 1)[-1]} ({where})"


# --- insert-only tables vs. the flush ending a transactional test ---------------------------
# `transactional_db`, `live_server` and `django_db(transaction=True)` tests end with a flush
# (DELETE on SQLite, TRUNCATE on PostgreSQL) that the insert-only triggers refuse. Around
# pytest-django's database helper: drop the triggers just before the flush, re-install after.

@pytest.fixture
def _insert_only_reinstall(django_db_blocker):
    """Set up before the database helper, hence torn down after its flush: re-install."""
    dropped: list[str] = []
    yield dropped
    if dropped:
        from django.db import connection

        from sanxiang.records import triggers

        with django_db_blocker.unblock():
            triggers.apply(connection, dropped, install=True)
            _reseed_reference_data(connection)


# The flush also empties the reference data the migrations seed (holiday schedules, the
# catalog's rules, time limits and templates, log heads). Put it back for the next test by
# running the same data-migration functions again.
REFERENCE_DATA_MIGRATIONS = (
    ("calendar", "0002_load_chinese_calendar", "load"),
    ("catalog", "0003_seed_matters", "load"),
    ("catalog", "0004_seed_decision_rules", "load"),
    ("catalog", "0005_seed_time_limits", "load"),
    ("catalog", "0006_seed_document_prefixes", "load"),
    ("catalog", "0007_document_templates", "load"),
    ("catalog", "0009_predisclosure_seed", "load"),
    ("records", "0002_insert_only_triggers", "create_heads"),
    ("oversight", "0002_seed_time_limits", "load"),
    ("inspections", "0002_seed_draw_ratios", "load"),
    ("oversight", "0004_seed_evaluation_rubric", "load"),
)


def _reseed_reference_data(connection) -> None:
    import importlib
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import transaction

    from sanxiang.catalog.models import TimeLimitRule

    if TimeLimitRule.objects.exists():
        return
    editor = SimpleNamespace(connection=connection)
    with transaction.atomic():
        for app, name, function in REFERENCE_DATA_MIGRATIONS:
            module = importlib.import_module(f"sanxiang.{app}.migrations.{name}")
            getattr(module, function)(apps, editor)


@pytest.fixture
def _django_db_helper(_insert_only_reinstall, _django_db_helper, django_db_blocker):
    """pytest-django's helper; for a transactional test, drop the triggers before its flush."""
    from django.db import connection

    transactional = not connection.in_atomic_block  # a plain `db` test runs inside atomic blocks
    yield _django_db_helper
    if transactional:
        from sanxiang.records import triggers

        with django_db_blocker.unblock():
            tables = triggers.installed_tables(connection)  # every app's insert-only tables
            triggers.apply(connection, tables, install=False)
        _insert_only_reinstall.extend(tables)
