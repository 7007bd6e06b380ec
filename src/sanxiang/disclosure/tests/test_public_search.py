"""Public search of published decisions (公示检索): substring matching of Chinese text and filters.

The same file runs on SQLite (FTS5 trigram index) and on PostgreSQL (pg_trgm GIN index): the
answers must be the same — exactly the decisions whose public text contains the query.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from sanxiang.core.errors import InvalidInput
from sanxiang.core.paging import paginate
from sanxiang.disclosure import search, selectors, services
from sanxiang.disclosure.models import PublicationItem
from sanxiang.disclosure.tests.helpers import (
    ORG_NAME,
    WITNESS,
    WITNESS_PHONE,
    org_party,
    person_party,
    published,
)

FACTS_A = ("经查，该公司在生产过程中未按规定运行水污染防治设施，将未经处理的含镍废水经雨水管网排入外环境，"
           "现场采样监测结果显示总镍浓度为2.31mg/L，超过《电镀污染物排放标准》限值。")
FACTS_B = "经查，该单位危险废物贮存场所未设置识别标志，且废矿物油与一般固废混合堆放，违反固体废物污染环境防治法。"


@pytest.fixture
def decisions(db, people):
    """Three live decisions (two organisations, one person) and one withdrawn."""
    today = timezone.localdate()
    a = published(people, title="镍超标排放案", facts=FACTS_A, fine="150000.00", types=("fine",))
    b = published(people, title="危废贮存不规范案", facts=FACTS_B, fine="30000.00", types=("warning", "fine"),
                  parties=[org_party(name="上海乙公司", uscc="91110000600037341L")])
    c = published(people, title="个人焚烧垃圾案", facts="当事人在农田露天焚烧生活垃圾。ABC-Test", fine=None,
                  types=("warning",), parties=[person_party()])
    gone = published(people, title="已撤回的镍废水案", facts=FACTS_A)
    services.publication_withdraw(item_id=gone.pk, actor=people["publisher"], reason="决定已被撤销")
    # Decided on different days (what only the passing of time produces: set through the ORM).
    for item, days in ((a, 3), (b, 1), (c, 2)):
        PublicationItem.objects.filter(pk=item.pk).update(decided_on=today - dt.timedelta(days=days))
    return {"a": a, "b": b, "c": c, "gone": gone}


def found(**filters) -> list[int]:
    return list(selectors.public_decisions(**filters).values_list("pk", flat=True))


# One set of decisions serves each whole table (a decided, published case costs a second).
QUERIES = [
    pytest.param("含镍废水经雨水管网", ["a"], id="middle-of-facts-chinese"),
    pytest.param("镍", ["a"], id="one-character-no-trigram"),
    pytest.param("危废", ["b"], id="two-characters-no-trigram"),
    pytest.param("经查，该", ["b", "a"], id="punctuation-inside"),
    pytest.param("2.31mg/l", ["a"], id="ascii-any-case"),
    pytest.param("abc-test", ["c"], id="ascii-lower-finds-upper"),
    pytest.param("《电镀污染物排放标准》", ["a"], id="book-title-marks"),
    pytest.param('"或" OR *', [], id="fts-syntax-is-literal"),
    pytest.param("100%", [], id="like-wildcard-percent-literal"),
    pytest.param("镍_废", [], id="like-wildcard-underscore-literal"),
    pytest.param("已撤回的镍废水案", [], id="withdrawn-never-found"),
    pytest.param("不存在的字符串内容", [], id="no-match"),
]


def test_substring_search_same_on_every_database(decisions, monkeypatch):
    """Both ways of answering a text query give the table's answers: by the index's ids (a rare
    text) and along the order of the live decisions (a common one: `PROBE_LIMIT` exceeded)."""
    for probe_limit in (search.PROBE_LIMIT, 0):
        monkeypatch.setattr(search, "PROBE_LIMIT", probe_limit)
        for case in QUERIES:
            query, expected = case.values
            assert found(q=query) == [decisions[k].pk for k in expected], (case.id, probe_limit, connection.vendor)
            result = selectors.public_search(q=query)
            page = paginate(result.rows, 1, 20, count_cap=100, count_qs=result.counted)
            assert (page.total, page.total_capped) == (len(expected), False), (case.id, probe_limit)


def test_search_follows_corrections_and_withdrawals(decisions, people):
    a = decisions["a"]
    services.publication_correct(item_id=a.pk, actor=people["publisher"],
                                 fields={"facts": "经查，该公司总铬浓度超标排放。"}, reason="事实表述有误")
    assert found(q="含镍废水") == []
    assert found(q="总铬浓度超标") == [a.pk]
    services.publication_withdraw(item_id=a.pk, actor=people["publisher"], reason="决定已被撤销")
    assert found(q="总铬浓度超标") == []


def test_personal_values_are_not_searchable(decisions):
    for value in (WITNESS, WITNESS_PHONE, WITNESS_PHONE[3:9]):
        assert found(q=value) == [], value


FILTERS = [
    pytest.param({"penalty_type": "warning"}, ["b", "c"], id="penalty-type-warning"),
    pytest.param({"penalty_type": "fine"}, ["b", "a"], id="penalty-type-fine"),
    pytest.param({"penalty_type": "fin"}, [], id="penalty-type-no-prefix-match"),
    pytest.param({"amount_min": Decimal("30000")}, ["b", "a"], id="amount-min-inclusive"),
    pytest.param({"amount_max": Decimal("30000")}, ["b"], id="amount-max-inclusive"),
    pytest.param({"amount_min": Decimal("30000.01"), "amount_max": Decimal("150000")}, ["a"], id="amount-range"),
    pytest.param({"party_code": "91110000600037341L"}, ["b"], id="entity-by-credit-code"),
    pytest.param({"sort": "oldest"}, ["a", "c", "b"], id="sort-oldest"),
    pytest.param({"sort": "fine"}, ["a", "b", "c"], id="sort-largest-fine"),
    pytest.param({"q": "经查", "penalty_type": "fine", "amount_max": Decimal("50000")}, ["b"], id="combined"),
]


def test_filters_and_sorting(decisions):
    for case in FILTERS:
        filters, expected = case.values
        assert found(**filters) == [decisions[k].pk for k in expected], (case.id, connection.vendor)


def test_date_range_and_invalid_filters(decisions):
    today = timezone.localdate()
    assert found(date_from=today - dt.timedelta(days=2), date_to=today - dt.timedelta(days=1)) == [
        decisions["b"].pk, decisions["c"].pk]
    for filters, code in (({"sort": "random"}, "invalid_sort"),
                          ({"amount_min": Decimal(5), "amount_max": Decimal(1)}, "invalid_range"),
                          ({"date_from": today, "date_to": today - dt.timedelta(days=1)}, "invalid_range")):
        with pytest.raises(InvalidInput) as exc:
            found(**filters)
        assert exc.value.code == code


def test_public_columns_hold_only_public_values(decisions):
    person = PublicationItem.objects.get(pk=decisions["c"].pk)
    assert person.party_name.endswith("某") and person.party_code == ""
    org = PublicationItem.objects.get(pk=decisions["a"].pk)
    assert (org.party_name, org.fine_amount, org.penalty_codes) == (ORG_NAME, Decimal("150000.00"), ",fine,")


def test_public_api_filters(decisions, client):
    response = client.get("/api/public/v1/decisions", {"q": "经查", "penalty_type": "fine", "amount_max": "50000",
                                                        "sort": "fine"})
    assert response.status_code == 200
    assert [i["public_id"] for i in response.json()["items"]] == [decisions["b"].public_id]
    for params, code in (({"sort": "random"}, "invalid_sort"), ({"amount_min": "-1"}, None),
                         ({"amount_min": "9", "amount_max": "1"}, "invalid_range")):
        response = client.get("/api/public/v1/decisions", params)
        assert response.status_code == 400, params
        if code:
            assert response.json()["error"]["code"] == code


def test_counting_stops_at_the_cap(decisions, client, monkeypatch):
    monkeypatch.setattr(selectors, "PUBLIC_COUNT_CAP", 2)
    body = client.get("/api/public/v1/decisions", {"page_size": 1}).json()
    assert (body["total"], body["total_capped"], len(body["items"])) == (2, True, 1)
    assert client.get("/api/public/v1/decisions", {"page_size": 1, "page": 3}).json()["items"] == []
    body = client.get("/api/public/v1/decisions", {"q": "镍超标"}).json()
    assert (body["total"], body["total_capped"]) == (1, False)


def test_conditional_get_of_list_and_detail(decisions, client, people):
    url = "/api/public/v1/decisions"
    first = client.get(url, {"q": "经查"})
    etag = first["ETag"]
    again = client.get(url, {"q": "经查"}, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and not again.content and again["Cache-Control"] == "no-cache"
    detail = client.get(f"{url}/{decisions['b'].public_id}")
    assert client.get(f"{url}/{decisions['b'].public_id}", HTTP_IF_NONE_MATCH=detail["ETag"]).status_code == 304
    services.publication_withdraw(item_id=decisions["b"].pk, actor=people["publisher"], reason="决定已被撤销")
    assert client.get(url, {"q": "经查"}, HTTP_IF_NONE_MATCH=etag).status_code == 200  # the list changed
    gone = client.get(f"{url}/{decisions['b'].public_id}", HTTP_IF_NONE_MATCH=detail["ETag"])
    assert gone.status_code == 410  # never a stale 304 for a withdrawn decision
