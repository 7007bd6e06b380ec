"""Portal home, statistics, open data and officer cards (首页、统计、开放数据、执法证卡片).

Decisions are decided and published through the services (`disclosure.tests.helpers`); what
only the passing of time produces — an older decision date, a display period that ran out —
is set through the ORM. Every number is exact, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import pytest
import segno
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sanxiang.accounts.services import unit_create
from sanxiang.disclosure import selectors_stats as stats
from sanxiang.disclosure import services
from sanxiang.disclosure.models import PublicationItem
from sanxiang.disclosure.tests import conftest as disclosure_fixtures
from sanxiang.disclosure.tests.helpers import (
    ADULT_ID,
    FACTS,
    ORG_NAME,
    SPEAKER,
    WITNESS,
    WITNESS_PHONE,
    decide_case,
    item_of,
    person_party,
    published,
)

pytestmark = pytest.mark.django_db

# The people around a Pudong case, and a fresh cache per test (fixtures of the disclosure tests).
people = disclosure_fixtures.people
_fresh_cache = disclosure_fixtures._fresh_cache


def _withdrawn(people, **kwargs) -> PublicationItem:
    item = published(people, **kwargs)
    return services.publication_withdraw(item_id=item.pk, actor=people["publisher"], reason="决定已被撤销")


@pytest.fixture
def team_people(people, make_user):
    """Officers of a team below the Pudong bureau (浦东新区执法大队): its decisions count for Pudong."""
    unit_create(code="pudong-team", name="上海市浦东新区生态环境执法大队", kind="team", level="district",
                region_code="310115", parent_code="pudong")
    return {**people, "off1": make_user("pudong-team", "officer", certificate=True),
            "off2": make_user("pudong-team", "officer", certificate=True)}


@pytest.fixture
def huangpu_people(people, make_user):
    return {**people, "off1": make_user("huangpu", "officer", certificate=True),
            "off2": make_user("huangpu", "officer", certificate=True),
            "chief": make_user("huangpu", "agency_head"), "publisher": people["hp_publisher"]}


@pytest.fixture
def decisions(people, team_people, huangpu_people):
    """Three decisions on the portal, one withdrawn, one ended, one pending."""
    today = timezone.localdate()
    last_december = dt.date(today.year - 1, 12, 15)
    a = published(people, title="浦东罚款案", fine="20000.00", types=("fine",))
    b = published(team_people, title="大队罚款警告案", fine="3000.00", types=("fine", "warning"),
                  parties=[person_party()])
    PublicationItem.objects.filter(pk=b.pk).update(decided_on=last_december)
    c = published(huangpu_people, title="黄浦警告案", fine=None, types=("warning",))
    withdrawn = _withdrawn(people, title="已撤回案", fine="9000.00", types=("fine",))
    ended = published(people, title="期满案", fine="8000.00", types=("fine",))
    PublicationItem.objects.filter(pk=ended.pk).update(expires_on=today)
    pending_case, _decision = decide_case(people, title="待公示案", fine="7000.00")
    return {"a": a, "b": b, "c": c, "withdrawn": withdrawn, "ended": ended, "pending": item_of(pending_case),
            "last_december": last_december}


# ------------------------------------------------------------------------------ statistics


def test_statistics_count_only_decisions_on_the_portal(decisions):
    """Withdrawn, ended and pending decisions are not counted; a team's decisions count for its district."""
    today = timezone.localdate()
    data = stats.portal_stats()

    assert data["headline"] == {"year": today.year, "decisions": 3, "decisions_this_year": 2,
                                "fines_this_year": "20000.00", "fines_this_year_wan": "2.00"}

    months = data["months"]
    assert len(months) == stats.MONTHS
    assert months[-1]["month"] == today.strftime("%Y-%m")
    assert months[0]["month"] == stats._month_start(today, 23).strftime("%Y-%m")
    by_month = {m["month"]: m for m in months}
    assert by_month[today.strftime("%Y-%m")] == {"month": today.strftime("%Y-%m"), "decisions": 2,
                                                 "fines": "20000.00", "fines_wan": "2.000000"}
    december = decisions["last_december"].strftime("%Y-%m")
    assert by_month[december] == {"month": december, "decisions": 1, "fines": "3000.00", "fines_wan": "0.300000"}
    assert sum(m["decisions"] for m in months) == 3
    assert all(m["decisions"] == 0 and m["fines"] == "0.00" for k, m in by_month.items()
               if k not in (december, today.strftime("%Y-%m")))

    districts = {d["code"]: d for d in data["districts"]}
    assert districts["pudong"] == {"code": "pudong", "name": "上海市浦东新区生态环境局", "decisions": 2,
                                   "fines": "23000.00", "fines_wan": "2.300000"}
    assert districts["huangpu"]["decisions"] == 1 and districts["huangpu"]["fines"] == "0.00"
    assert "pudong-team" not in districts  # aggregated under its district
    assert districts[stats.CITY_LEVEL]["decisions"] == 0
    assert sum(d["decisions"] for d in data["districts"]) == 3
    assert [d["code"] for d in data["districts"]][-1] == stats.CITY_LEVEL

    types = {p["code"]: p["decisions"] for p in data["penalty_types"]}
    assert types["fine"] == 2 and types["warning"] == 2
    assert types["closure"] == 0 and types["confiscation"] == 0


def test_a_new_publication_shows_at_once(people):
    assert stats.portal_stats()["headline"]["decisions"] == 0
    published(people, fine="1000.00")
    assert stats.portal_stats()["headline"]["decisions"] == 1  # new log leaf → new cache key
    item = published(people, fine="1000.00")
    assert stats.portal_stats()["headline"]["fines_this_year"] == "2000.00"
    services.publication_withdraw(item_id=item.pk, actor=people["publisher"], reason="决定已被撤销")
    assert stats.portal_stats()["headline"]["decisions"] == 1


def test_statistics_are_set_based(decisions, django_assert_max_num_queries):
    """A fixed number of queries however many decisions (GROUP BY per dimension, no per-decision reads)."""
    from django.core.cache import cache

    cache.clear()
    with django_assert_max_num_queries(6):
        stats.portal_stats()
    with django_assert_max_num_queries(1):  # cached: only the log size is read
        stats.portal_stats()


def test_stats_page_and_json_show_the_same_numbers(client, decisions):
    response = client.get("/gongshi/stats/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="stats-data"' in html and 'type="application/json"' in html
    assert "/static/vendor/echarts.min.js" in html and "/static/sanxiang/charts.js" in html
    assert 'data-chart="months-decisions"' in html and 'id="table-months"' in html
    assert "<script>" not in html  # CSP: no inline script (json_script is data, not code)
    assert " style=" not in html
    chart = response.context["chart_data"]
    assert [r for r in chart["districts"] if r[0] == "上海市浦东新区生态环境局"] == [
        ["上海市浦东新区生态环境局", 2, "2.300000", "浦东新区生态环境局"]]
    assert "上海市浦东新区生态环境局" in html and "23000.00" in html

    data = client.get("/gongshi/stats.json").json()
    assert data["headline"]["decisions"] == 3
    assert {d["code"]: d["decisions"] for d in data["districts"]}["pudong"] == 2
    assert {p["code"]: p["decisions"] for p in data["penalty_types"]}["warning"] == 2
    assert all(p["name"] for p in data["penalty_types"])


# ------------------------------------------------------------------------------- home


def test_home_shows_the_latest_decisions_and_headline(client, decisions):
    response = client.get("/gongshi/")
    assert response.status_code == 200
    html = response.content.decode()
    latest = response.context["latest"]
    # newest decision first (b was decided last December), then the latest published
    assert [d["public_id"] for d in latest] == [decisions[k].public_id for k in ("c", "a", "b")]
    for key in ("a", "b", "c"):
        assert f"/gongshi/decisions/{decisions[key].public_id}/" in html
    assert "浦东罚款案" in html and "黄浦警告案" in html and "李某" in html
    for gone in ("withdrawn", "ended"):
        assert decisions[gone].public_id not in html
    assert "已撤回案" not in html and "待公示案" not in html and "期满案" not in html
    assert 'id="stat-decisions">3<' in html and 'id="stat-fines-year">2.00<' in html
    assert 'name="number"' in html  # officer check
    assert "/gongshi/pre/" in html  # standing information


def test_latest_decisions_are_newest_first_and_limited(people):
    ids = [published(people, title=f"案{n}").public_id for n in range(3)]
    assert [d["public_id"] for d in stats.latest_decisions(2)] == ids[::-1][:2]


# ------------------------------------------------------------------------------ open data

PERSONAL = (WITNESS, WITNESS_PHONE, SPEAKER, ADULT_ID, "13800138000", "李四", "021-58880000")


def _body(response) -> bytes:
    assert response.streaming
    return b"".join(response.streaming_content)


def test_csv_download(client, decisions):
    response = client.get("/gongshi/data/decisions.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    body = _body(response)
    assert body.startswith("\ufeff".encode())
    text = body.decode("utf-8")[1:]
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0].keys()) == [f.name for f in stats.OPEN_DATA_FIELDS]
    assert sorted(r["public_id"] for r in rows) == sorted(decisions[k].public_id for k in ("a", "b", "c"))
    a = next(r for r in rows if r["public_id"] == decisions["a"].public_id)
    assert a["party_name"] == ORG_NAME and a["fine_amount"] == "20000.00" and a["penalty_types"] == "fine"
    assert a["unit"] == "pudong" and a["state"] == "published" and a["decision_kind"] == "penalty"
    assert a["record_sha256"] == decisions["a"].record_sha256 and a["log_index"] == str(decisions["a"].log_index)
    b = next(r for r in rows if r["public_id"] == decisions["b"].public_id)
    assert b["party_name"] == "李某" and b["penalty_types"] == "fine;warning" and b["uscc"] == ""
    assert "在场" in a["facts"]  # the text is there, its personal data is not
    for value in PERSONAL:
        assert value not in text, value
    assert decisions["withdrawn"].public_id not in text and decisions["ended"].public_id not in text
    assert "已撤回案" not in text and "待公示案" not in text


def test_jsonl_download(client, decisions):
    response = client.get("/gongshi/data/decisions.jsonl")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/x-ndjson")
    text = _body(response).decode("utf-8")
    rows = [json.loads(line) for line in text.splitlines()]
    assert len(rows) == 3
    assert all(list(r) == [f.name for f in stats.OPEN_DATA_FIELDS] for r in rows)
    b = next(r for r in rows if r["public_id"] == decisions["b"].public_id)
    assert b["penalty_types"] == ["fine", "warning"] and b["fine_amount"] == "3000.00"
    assert b["party_type"] == "person" and b["party_name"] == "李某" and b["unit"] == "pudong-team"
    c = next(r for r in rows if r["public_id"] == decisions["c"].public_id)
    assert c["fine_amount"] is None and c["penalty_type"] == "警告"
    for value in PERSONAL:
        assert value not in text, value
    assert decisions["withdrawn"].public_id not in text


def test_open_data_reads_in_chunks_and_never_the_private_snapshot(people):
    ids = [published(people, title=f"案{n}").public_id for n in range(3)]
    with CaptureQueriesContext(connection) as queries:
        rows = list(stats.open_data_rows(chunk=2))
    assert [r["public_id"] for r in rows] == ids
    selects = [q["sql"] for q in queries.captured_queries if "disclosure_publicationitem" in q["sql"]]
    assert len(selects) == 2  # two chunks of at most two rows
    assert all('."source"' not in sql and "known_values" not in sql for sql in selects)


def test_facts_hold_the_personal_data_that_the_downloads_leave_out():
    """The personal values checked above are really in the decision's original text."""
    assert WITNESS in FACTS and WITNESS_PHONE in FACTS and SPEAKER in FACTS


def test_data_pages(client, decisions):
    html = client.get("/gongshi/data/").content.decode()
    assert "/gongshi/data/decisions.csv" in html and "/gongshi/data/decisions.jsonl" in html
    assert "/gongshi/data/dictionary/" in html and "/api/public/v1/log/head" in html
    response = client.get("/gongshi/data/dictionary/")
    assert response.status_code == 200
    html = response.content.decode()
    for field in stats.OPEN_DATA_FIELDS:
        assert f'id="field-{field.name}"' in html and field.label_zh in html
    # The rule of a withheld-for-persons field comes from the redaction policy in force.
    assert "surname + 某" in html or "姓" in html


# ---------------------------------------------------------------------------- officer card


def test_officer_card_has_a_qr_code_of_the_verification_page(client, make_user):
    make_user("huangpu", full_name="孙执法", certificate="SH3101010777")
    response = client.get("/gongshi/officers/sh3101010777/card/")
    assert response.status_code == 200
    url = "http://testserver/gongshi/officers/SH3101010777/"
    assert response.context["verify_url"] == url
    html = response.content.decode()
    assert "孙执法" in html and "上海市黄浦区生态环境局" in html and "2030-12-31" in html
    svg = re.search(r"<svg[^>]*class=\"qr\".*?</svg>", html, re.S)
    assert svg, "inline SVG QR code"
    expected = segno.make(url, error="m", micro=False).svg_inline(
        scale=4, border=4, omitsize=True, svgclass="qr", lineclass="qr-line", title="x")
    path = re.search(r' d="([^"]+)"', expected).group(1)
    assert path in svg.group(0)  # the same modules as a QR code of exactly this URL
    assert "<script" not in svg.group(0) and "style=" not in svg.group(0)
    assert "/gongshi/officers/SH3101010777/card/" in client.get(
        "/gongshi/officers/SH3101010777/").content.decode()


def test_officer_card_of_an_unknown_number_is_404(client, db):
    assert client.get("/gongshi/officers/NOSUCH0001/card/").status_code == 404


@pytest.mark.parametrize(("value", "expected"), [
    pytest.param("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")", id="formula-equals"),
    pytest.param("+1+1", "'+1+1", id="formula-plus"),
    pytest.param("-2+3", "'-2+3", id="formula-minus"),
    pytest.param("@SUM(A1)", "'@SUM(A1)", id="formula-at"),
    pytest.param("上海某某公司", "上海某某公司", id="plain-text"),
    pytest.param(["fine", "warning"], "fine;warning", id="codes"),
    pytest.param(None, "", id="empty"),
])
def test_open_data_csv_cells_never_run_as_formulas(value, expected):
    assert stats.csv_value(value) == expected
