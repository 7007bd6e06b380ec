"""Fixtures of the publication-queue tests: the people around a Pudong case and their neighbours."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from sanxiang.cases.tests.helpers import case_team
from sanxiang.disclosure import search


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Signed heads and rate-limit counters live in the (per-process) default cache, the
    search statistics a process read in `search.statistics`."""
    cache.clear()
    search.forget_statistics()
    yield
    cache.clear()
    search.forget_statistics()


@pytest.fixture
def people(make_user):
    """The handlers and heads of a Pudong case, its publishers, and people who may not publish."""
    return {
        **case_team(make_user),
        "publisher": make_user("pudong", "publisher", full_name="钱公示"),
        "city_publisher": make_user("city", "publisher", full_name="市公示"),
        "hp_publisher": make_user("huangpu", "publisher", full_name="黄公示"),
        "supervisor": make_user("city", "supervisor", full_name="孙监督"),
    }
