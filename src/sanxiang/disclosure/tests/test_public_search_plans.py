"""How the public search reads its rows on SQLite, whatever the planner's statistics say
(公示检索执行计划).

A database that grew from empty has no statistics (`ANALYZE` never ran): SQLite then takes
any index on `state` for every search, reads every live decision and sorts them — seconds
at a million decisions. The search names the index to walk (`INDEXED BY`) and reads given
ids by id (`NOT INDEXED`); these tests run every statement of a search through `EXPLAIN QUERY
PLAN` and fail when a walk would read every live decision through the index on `state`
or sort the rows it walked (no index gives the order asked for), or when a read of given ids
would walk an index.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sanxiang.disclosure import search, selectors_search
from sanxiang.disclosure.models import PARTY_INDEX
from sanxiang.disclosure.tests.helpers import ORG_USCC, published

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query planner")

TEXT = "废气排放口"  # in every decision of `published`
SEARCHES = [
    {"q": TEXT},
    {"q": TEXT, "sort": "oldest"},
    {"q": TEXT, "sort": "fine"},
    {"q": TEXT, "unit": "pudong"},
    {"q": TEXT, "unit": "pudong", "sort": "oldest"},
    {},
    {"sort": "fine"},
    {"unit": "pudong"},
    {"q": "废气"},  # two characters: no trigram, walked like a search without text
]


def plans(filters: dict) -> list[tuple[str, list[str]]]:
    """(statement, plan lines) of every statement of one uncached search."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        selectors_search.search_page(**filters)
    out = []
    with connection.cursor() as cursor:
        for query in queries.captured_queries:
            sql = query["sql"]
            if "disclosure_publicationitem" not in sql:
                continue
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            out.append((sql, [row[3] for row in cursor.fetchall()]))
    return out


@pytest.fixture
def no_statistics(db):
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # creates sqlite_stat1 …
        cursor.execute("DELETE FROM sqlite_stat1")  # … and forgets every statistic
    connection.close()  # a new connection reads the (empty) statistics again


@pytest.mark.parametrize("filters", SEARCHES, ids=lambda f: ",".join(f"{k}={v}" for k, v in f.items()) or "all")
@pytest.mark.parametrize("mode", ["common", "rare"])
def test_walks_follow_the_order_and_ids_are_read_by_id(db, people, no_statistics, monkeypatch, filters, mode):
    for title in ("甲案", "乙案", "丙案"):
        published(people, title=title)
    if mode == "common":
        monkeypatch.setattr(search, "PROBE_LIMIT", 0)
    seen = plans(filters)
    assert seen, "the search ran no statement on the decisions"
    for sql, plan in seen:
        text = " ".join(line for line in plan if "records_loghead" not in line)  # the log's state, read along
        if "NOT INDEXED" in sql:  # given ids (a rare text's, a cached page's, the FTS5 walk's)
            assert "USING INDEX" not in text, (sql, plan)
        else:  # a walk: along an order, never every live decision sorted afterwards
            assert PARTY_INDEX not in text, (sql, plan)
            if "ORDER BY" in sql:
                assert "USE TEMP B-TREE FOR ORDER BY" not in text, (sql, plan)


def test_one_partys_decisions_are_read_through_its_index(db, people, no_statistics):
    published(people)
    (sql, plan), *_ = [p for p in plans({"party_code": ORG_USCC}) if "INDEXED BY" in p[0]]
    assert PARTY_INDEX in " ".join(plan), (sql, plan)
