"""Statistics of the public search (检索统计) and `sanxiang db optimize`.

The statistics say how many live decisions hold each common trigram; on PostgreSQL they let a
search skip the index probe of a text that many decisions hold. They choose how a search
runs, never what it finds: the answers here are compared with the ORM search every time.
"""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sanxiang.core.paging import paginate
from sanxiang.disclosure import search, selectors, selectors_search, services
from sanxiang.disclosure.models import SearchTrigram
from sanxiang.disclosure.tests.helpers import published

TEXT = "雨水管网排入外环境"
FACTS = f"经查，该公司将未经处理的含镍废水经{TEXT}，现场采样监测结果显示总镍浓度超标。"
ONCE = "夜间偷排漂白废液"  # held by one decision only
PROBE = {"sqlite": "SELECT rowid FROM disclosure_search WHERE", "postgresql": "SELECT id FROM disclosure_publicationitem WHERE"}


def answer(**filters):
    result = selectors_search.search_page(**filters)
    return [row.public_id for row in result.items], result.total, result.total_capped


def reference(**filters):
    found = selectors.public_search(**filters)
    result = paginate(found.rows, 1, 20, count_cap=selectors.PUBLIC_COUNT_CAP, count_qs=found.counted)
    return [item.public_id for item in result.items], result.total, result.total_capped


def probes(**filters) -> int:
    """How many statements of one search were the index probe."""
    with CaptureQueriesContext(connection) as queries:
        found = answer(**filters)
    assert found == reference(**filters)
    return sum(PROBE[connection.vendor] in q["sql"] for q in queries.captured_queries)


@pytest.fixture
def decisions(db, people, monkeypatch):
    """Five live decisions holding TEXT (one of them also ONCE) and one withdrawn decision whose
    text is its own; a text held by two decisions or more counts as common here."""
    monkeypatch.setattr(search, "PROBE_LIMIT", 2)
    items = [published(people, facts=FACTS, title=f"雨水管网案{n}") for n in range(4)]
    items.append(published(people, facts=FACTS + ONCE, title="漂白废液案"))
    gone = published(people, facts="撤回的决定独有文字甲乙丙", title="撤回案")
    services.publication_withdraw(item_id=gone.pk, actor=people["publisher"], reason="决定已被撤销")
    return items


def test_statistics_keep_the_trigrams_many_live_decisions_hold(decisions):
    report = search.refresh_statistics()
    assert report == {"live": 5, "sampled": 5, "kept": SearchTrigram.objects.count()}
    kept = dict(SearchTrigram.objects.values_list("trigram", "decisions"))
    assert kept["雨水管"] == 5 and kept["外环境"] == 5
    assert "漂白废" not in kept  # one decision: rarer than PROBE_LIMIT
    assert "甲乙丙" not in kept  # a withdrawn decision's text is not public any more
    assert search.statistics()["雨水管"] == (1.0, 5)


def test_refreshing_replaces_the_statistics(decisions, monkeypatch):
    search.refresh_statistics()
    monkeypatch.setattr(search, "PROBE_LIMIT", 6)  # now no trigram is held by enough decisions
    assert search.refresh_statistics()["kept"] == 0
    assert not SearchTrigram.objects.exists() and search.statistics() == {}


def test_db_optimize_gathers_planner_and_search_statistics(decisions):
    out = StringIO()
    call_command("db", "optimize", "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert report["database"] == connection.vendor
    assert report["search"]["live"] == 5 and report["search"]["kept"] > 0
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'disclosure_publicationitem'")
        else:
            cursor.execute("SELECT COUNT(*) FROM pg_stats WHERE tablename = 'disclosure_publicationitem'")
        assert cursor.fetchone()[0] > 0
    out = StringIO()
    call_command("db", "optimize", stdout=out)
    assert "common trigrams" in out.getvalue()


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_skips_the_probe_of_a_text_the_statistics_call_common(decisions, monkeypatch):
    monkeypatch.setattr(selectors_search, "COMMON_MARGIN", 2)  # common: held by 2 × 2 decisions or more
    assert probes(q=TEXT) == 1  # no statistics yet: the index is asked
    search.refresh_statistics()
    assert probes(q="排入外环境") == 0  # every trigram common, and the text itself in all five decisions
    assert probes(q=ONCE) == 1  # a trigram held by one decision: the index is asked
    monkeypatch.setattr(selectors_search, "COMMON_MARGIN", 100)
    assert probes(q="管网排入外") == 1  # every trigram common, the text not held by 200 decisions


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_sqlite_always_asks_its_index(decisions):
    search.refresh_statistics()
    assert probes(q="排入外环境") == 1  # the FTS5 probe stops at PROBE_LIMIT + 1 ids: always cheap


def test_a_wrong_guess_changes_no_answer(decisions, monkeypatch):
    """Every text taken for common (the probe never runs): the same rows and counts."""
    monkeypatch.setattr(selectors_search, "_surely_common", lambda cursor, text: True)
    for text in (TEXT, ONCE, "甲乙丙", "没有这段文字的决定", "雨水"):
        assert answer(q=text) == reference(q=text)
        assert answer(q=text, unit="pudong", kind="penalty") == reference(q=text, unit="pudong", kind="penalty")
