"""The public search's page and its exact caches (公示检索缓存): never a stale count, never a
withdrawn decision.

`selectors_search.search_page` must answer exactly what `selectors.public_search` +
`core.paging.paginate` answer, cached or not. Each test fills the caches first, then changes
what is public — a publication, a correction, a withdrawal, the end of a display period — and
asks again. Every test runs four times: with the real probe limit (a rare text goes by the
index's ids, its few rows read whole), with `READ_WHOLE_IDS = 0` (the page of a rare text
chosen on the sort keys first), with `PROBE_LIMIT = 0` (every text is "common": the cached
count and page path) and with every text taken for common without asking the index.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sanxiang.core.paging import paginate
from sanxiang.disclosure import search, selectors, selectors_search, services
from sanxiang.disclosure.models import PublicationItem
from sanxiang.disclosure.tests.helpers import PUBLIC, org_party, published

TEXT = "雨水管网排入外环境"
FACTS = f"经查，该公司将未经处理的含镍废水经{TEXT}，现场采样监测结果显示总镍浓度超标。"


@pytest.fixture(params=["rare", "rare-two-pass", "common", "taken-for-common"])
def probe(request, monkeypatch):
    """"rare-two-pass": a rare text's page chosen on the sort keys first, as for a text held by
    many items; "common": the index holds every text for too many items (the counted, cached
    path); "taken-for-common": the search statistics call every text common, so the index is
    never asked (`selectors_search._surely_common`, PostgreSQL's shortcut, forced here on both
    databases)."""
    if request.param == "rare-two-pass":
        monkeypatch.setattr(selectors_search, "READ_WHOLE_IDS", 0)
    if request.param == "common":
        monkeypatch.setattr(search, "PROBE_LIMIT", 0)
    if request.param == "taken-for-common":
        monkeypatch.setattr(selectors_search, "_surely_common", lambda cursor, text: True)
    return request.param


def page(**filters):
    result = selectors_search.search_page(**filters)
    return [row.public_id for row in result.items], result.total, result.total_capped


def reference(page: int = 1, page_size: int = 20, **filters):
    """What the ORM search answers (no cache involved)."""
    found = selectors.public_search(**filters)
    result = paginate(found.rows, page, page_size, count_cap=selectors.PUBLIC_COUNT_CAP, count_qs=found.counted)
    return [item.public_id for item in result.items], result.total, result.total_capped


def test_a_new_publication_is_counted_at_once(db, people, probe):
    first = published(people, facts=FACTS)
    assert page(q=TEXT) == ([first.public_id], 1, False)
    assert page(q=TEXT) == ([first.public_id], 1, False)  # from the caches
    second = published(people, facts=FACTS, title="第二件雨水管网案")
    ids, total, _capped = page(q=TEXT)
    assert total == 2 and set(ids) == {first.public_id, second.public_id}
    assert page(q=TEXT) == reference(q=TEXT)


def test_a_withdrawal_drops_the_count_and_the_row(db, people, probe):
    keep = published(people, facts=FACTS)
    gone = published(people, facts=FACTS, title="将被撤回的案")
    assert page(q=TEXT)[1] == 2
    assert page(q=TEXT, page_size=1)[1] == 2 and page(q=TEXT, page_size=1, page=2)[1] == 2
    services.publication_withdraw(item_id=gone.pk, actor=people["publisher"], reason="决定已被撤销")
    assert page(q=TEXT) == ([keep.public_id], 1, False)
    assert page(q=TEXT, page_size=1) == ([keep.public_id], 1, False)
    assert page(q=TEXT, page_size=1, page=2) == ([], 1, False)
    assert page() == reference()  # no text: the count of every live decision, cached too


def test_a_correction_that_removes_the_text_drops_it(db, people, probe):
    item = published(people, facts=FACTS)
    assert page(q=TEXT)[1] == 1
    services.publication_correct(item_id=item.pk, actor=people["publisher"],
                                 fields={"facts": "经查，该公司超标排放大气污染物。"}, reason="事实表述更正")
    assert page(q=TEXT) == ([], 0, False)
    assert page(q="超标排放大气污染物") == ([item.public_id], 1, False)


def test_the_end_of_a_display_period_drops_it_the_next_day(db, people, probe, monkeypatch):
    """No leaf marks midnight: today's date is part of every cache key."""
    today = timezone.localdate()
    item = published(people, facts=FACTS)
    # Published earlier with a period ending tomorrow (what only the passing of time produces).
    PublicationItem.objects.filter(pk=item.pk).update(expires_on=today + dt.timedelta(days=1))
    assert page(q=TEXT) == ([item.public_id], 1, False)
    assert page(q=TEXT, today=today) == ([item.public_id], 1, False)
    assert page(q=TEXT, today=today + dt.timedelta(days=1)) == ([], 0, False)
    assert page(today=today + dt.timedelta(days=1)) == reference(today=today + dt.timedelta(days=1))
    # Through the API, on the day after (the clock moved, nothing was appended to the log).
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today + dt.timedelta(days=1))
    from django.test import Client

    body = Client().get(PUBLIC, {"q": TEXT}).json()
    assert (body["items"], body["total"]) == ([], 0)


def test_different_filters_never_share_an_entry(db, people, probe):
    a = published(people, facts=FACTS, fine="150000.00", types=("fine",))
    b = published(people, facts=FACTS, fine=None, types=("warning",), title="警告案",
                  parties=[org_party(name="上海乙公司", uscc="91110000600037341L")])
    PublicationItem.objects.filter(pk=a.pk).update(decided_on=timezone.localdate() - dt.timedelta(days=40))
    variants = [
        {}, {"unit": "pudong"}, {"unit": "huangpu"}, {"unit": "city"}, {"unit": "nosuch"}, {"kind": "penalty"},
        {"kind": "permit"}, {"penalty_type": "fine"}, {"penalty_type": "warning"},
        {"amount_min": Decimal("100000")}, {"amount_max": Decimal("100000")},
        {"date_from": timezone.localdate() - dt.timedelta(days=10)},
        {"date_to": timezone.localdate() - dt.timedelta(days=10)},
        {"party_code": "91110000600037341L"}, {"sort": "fine"}, {"sort": "oldest"},
    ]
    queries = [{"q": q, **v} for q in (TEXT, None, "上海乙公司", "不存在的文字") for v in variants]
    expected = [reference(**q) for q in queries]
    for _ in range(2):  # the second time every answer comes from whatever the first one cached
        for q in queries + queries[::-1]:
            assert page(**q) == expected[queries.index(q)], q
    assert {b.public_id} == set(page(q=TEXT, penalty_type="warning")[0])


def test_pages_and_counts_match_the_orm_search(db, people, probe, monkeypatch):
    """Small caps make every path reachable: the capped count, pages past the cap, a page past
    the last one."""
    items = [published(people, facts=FACTS, title=f"第{i}件案", fine=f"{(i + 1) * 1000}.00") for i in range(5)]
    monkeypatch.setattr(selectors, "PUBLIC_COUNT_CAP", 3)
    for filters in ({"q": TEXT}, {}, {"q": TEXT, "sort": "fine"}, {"q": TEXT, "sort": "oldest"}):
        for number, size in ((1, 2), (2, 2), (3, 2), (1, 3), (2, 3), (1, 20), (4, 1), (7, 1)):
            want = reference(page=number, page_size=size, **filters)
            assert page(page=number, page_size=size, **filters) == want, (filters, number, size)
            assert page(page=number, page_size=size, **filters) == want, (filters, number, size)
    assert len(items) == 5


def test_repeated_search_is_one_statement(db, people, probe):
    """The page's rows and the log's state, read together: the state this process saw last is
    checked by the statement that reads the rows."""
    first = published(people, facts=FACTS)
    cache.clear()
    page(q=TEXT)
    with CaptureQueriesContext(connection) as queries:
        assert page(q=TEXT) == ([first.public_id], 1, False)
    assert len(queries) == 1, [q["sql"] for q in queries]
    second = published(people, facts=FACTS, title="第二件雨水管网案")  # the state seen last is old now
    with CaptureQueriesContext(connection) as queries:
        ids, total, _capped = page(q=TEXT)
    assert total == 2 and set(ids) == {first.public_id, second.public_id}
    assert any("FROM records_loghead WHERE log" in q["sql"] for q in queries)
    with CaptureQueriesContext(connection) as queries:
        assert page(q=TEXT)[1] == 2
    assert len(queries) == 1


def counted(**filters) -> tuple[tuple, bool]:
    """The answer, and whether the search counted (a `COUNT` statement ran)."""
    with CaptureQueriesContext(connection) as queries:
        answer = page(**filters)
    return answer, any("SELECT COUNT(*) FROM (SELECT 1" in q["sql"] for q in queries)


@pytest.mark.parametrize("filters", [{"q": TEXT}, {}], ids=["text", "no-text"])
def test_a_capped_count_outlives_publications_while_it_stays_past_the_cap(db, people, monkeypatch, filters):
    """Each leaf of the public log moves a count by one at most: a count past the cap by more
    than the leaves appended since still says "more than the cap", and is not counted again."""
    monkeypatch.setattr(search, "PROBE_LIMIT", 0)  # the counted path for the text too
    monkeypatch.setattr(selectors, "PUBLIC_COUNT_CAP", 2)
    monkeypatch.setattr(selectors_search, "COUNT_SLACK", 2)  # counted to 5
    items = [published(people, facts=FACTS, title=f"第{i}件案") for i in range(5)]
    assert counted(**filters) == (reference(**filters), True)
    published(people, facts=FACTS, title="第6件案")  # one leaf: 5 - 1 > 2
    assert counted(**filters) == (reference(**filters), False)
    assert counted(**filters)[1] is False
    services.publication_withdraw(item_id=items[0].pk, actor=people["publisher"], reason="决定已被撤销")
    assert counted(**filters) == (reference(**filters), False)  # two leaves: 5 - 2 > 2
    published(people, facts="经查，该公司危险废物贮存场所未设置识别标志。", title="其他案")
    assert counted(**filters) == (reference(**filters), True)  # three: 5 - 3 is not past the cap
    for item in items[1:4]:  # counted 5 again (the slack), three leaves, now 2 left: counted again
        services.publication_withdraw(item_id=item.pk, actor=people["publisher"], reason="决定已被撤销")
    answer, again = counted(**filters)
    assert again and answer == reference(**filters)
    assert answer[1:] == ((2, False) if filters else (2, True))  # no text: 3 live decisions


def test_a_count_from_another_history_of_the_log_is_not_used(db, people, monkeypatch):
    """The database restored from a backup and its log grown again: the leaf that was last
    when the count was made is not in its place any more, so the count is made again."""
    monkeypatch.setattr(search, "PROBE_LIMIT", 0)
    monkeypatch.setattr(selectors, "PUBLIC_COUNT_CAP", 2)
    for i in range(2):
        published(people, facts=FACTS, title=f"第{i}件案")

    class Restored(Exception):
        pass

    with pytest.raises(Restored), transaction.atomic():  # what happens here is lost, as after a restore
        for i in range(2, 4):
            published(people, facts=FACTS, title=f"第{i}件案")
        assert counted(q=TEXT) == (reference(q=TEXT), True)
        assert page(q=TEXT)[1:] == (2, True)
        raise Restored
    for i in range(3):  # a longer log again, with other leaves
        published(people, facts="经查，该公司危险废物贮存场所未设置识别标志。", title=f"其他案{i}")
    assert counted(q=TEXT) == (reference(q=TEXT), True)
    assert page(q=TEXT)[1:] == (2, False)


def test_sort_orders_are_those_of_the_orm_search():
    assert set(selectors_search._ORDER) == set(selectors.PUBLIC_SORTS)


def test_cased_and_caseless_texts_match_as_the_orm_search(db, people, probe):
    """A caseless text is counted without re-reading the row's text (SQLite) or with a plain
    `LIKE` (PostgreSQL); a text with cased letters keeps the exact condition."""
    published(people, facts=FACTS + "ABC-Test，Ｋ线检测。", title="大小写案")
    published(people, facts=FACTS, title="另一件案")
    for q in ("abc-test", "ABC-TEST", TEXT, "雨水管网", "Ｋ线检测", "ｋ线检测", "K线检测", "，Ｋ线"):
        assert page(q=q) == reference(q=q), q
        assert page(q=q) == reference(q=q), q  # cached


def test_a_stale_etag_gets_the_new_page(db, people, client, probe):
    published(people, facts=FACTS)
    gone = published(people, facts=FACTS, title="将被撤回的案")
    first = client.get(PUBLIC, {"q": TEXT})
    etag = first["ETag"]
    assert first.json()["total"] == 2
    assert client.get(PUBLIC, {"q": TEXT}, HTTP_IF_NONE_MATCH=etag).status_code == 304
    services.publication_withdraw(item_id=gone.pk, actor=people["publisher"], reason="决定已被撤销")
    after = client.get(PUBLIC, {"q": TEXT}, HTTP_IF_NONE_MATCH=etag)
    assert after.status_code == 200 and after["ETag"] != etag
    assert after.json()["total"] == 1
    assert gone.public_id not in {i["public_id"] for i in after.json()["items"]}
