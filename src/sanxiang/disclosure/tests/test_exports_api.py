"""`/api/v1/exports/dsgs` — incremental pulls of the 双公示 data sets for the city platform.

Ordered by change sequence (the public-log index of each decision's latest leaf): a client
pulling with the returned cursor never misses nor duplicates a change, whatever happens
between its pulls; withdrawn decisions come back without personal data; only a supervisor or
admin of the city unit may pull.
"""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from django.utils import timezone

from sanxiang.cases.tests.helpers import Api, ok, refused
from sanxiang.disclosure import services
from sanxiang.disclosure.models import PublicationItem
from sanxiang.disclosure.rules import dsgs
from sanxiang.disclosure.tests.helpers import ADULT_ID, person_party, published

PATH = "/exports/dsgs?kind=penalty"


def numbers(page) -> list[str]:
    return [r["行政处罚决定书文号"] for r in page["items"]]


def pull_all(api, since=None, limit=2):
    """Pull until has_more is false; every page and the final cursor."""
    pages, cursor = [], since
    while True:
        page = ok(api.get(PATH + f"&limit={limit}" + (f"&since={quote(cursor)}" if cursor else "")))
        pages.append(page)
        cursor = page["next"]
        if not page["has_more"]:
            return pages, cursor


def test_paging_never_misses_or_duplicates_across_changes(db, people, client):
    a, b, c = (published(people) for _ in range(3))
    api = Api(client, people["supervisor"])
    first = ok(api.get(PATH + "&limit=2"))
    assert numbers(first) == [a.record["decision_number"], b.record["decision_number"]] and first["has_more"]
    assert set(first["items"][0]) == set(dsgs.PENALTY_HEADER)

    # Between two pages of the same pull: A corrected (its change moves after C).
    services.publication_correct(item_id=a.pk, actor=people["publisher"], fields={"fine_amount": "30000.00"},
                                 reason="金额笔误")
    rest, cursor = pull_all(api, first["next"])
    assert [n for p in rest for n in numbers(p)] == [c.record["decision_number"], a.record["decision_number"]]
    assert rest[-1]["items"][-1]["罚款金额(万元)"] == "3.000000"
    assert rest[-1]["items"][-1]["备注"].startswith("已更正")

    # Nothing new: an empty page, the same cursor.
    idle = ok(api.get(f"{PATH}&since={quote(cursor)}"))
    assert idle == {"items": [], "next": cursor, "has_more": False}

    # Between pulls: B withdrawn, D published, C's display ended by the sweep.
    services.publication_withdraw(item_id=b.pk, actor=people["publisher"], reason="行政复议决定撤销原处罚决定")
    d = published(people)
    PublicationItem.objects.filter(pk=c.pk).update(expires_on=timezone.localdate())
    services.disclosure_sweep()
    later, cursor2 = pull_all(api, cursor)
    got = [n for p in later for n in numbers(p)]
    assert got == [b.record["decision_number"], d.record["decision_number"], c.record["decision_number"]]
    remarks = {r["行政处罚决定书文号"]: r["备注"] for p in later for r in p["items"]}
    assert remarks[b.record["decision_number"]].startswith("已撤回")
    assert remarks[c.record["decision_number"]].startswith("公示期届满")

    # A client starting from scratch sees each decision once, in change order, in its latest state.
    pages, final = pull_all(api, None, limit=3)
    everything = [n for p in pages for n in numbers(p)]
    assert everything == [x.record["decision_number"] for x in (a, b, d, c)]
    assert final == cursor2


def test_pending_and_other_kind_are_not_pulled(db, people, client):
    from sanxiang.disclosure.tests.helpers import decide_case

    decide_case(people, title="尚未公示的案件")
    api = Api(client, people["supervisor"])
    assert ok(api.get(PATH))["items"] == []
    assert ok(api.get("/exports/dsgs?kind=permit"))["items"] == []


def test_withdrawn_item_without_personal_data(db, people, client):
    item = published(people, parties=[person_party("王五", ADULT_ID)], fine="1000.00", title="王五露天焚烧垃圾案",
                     facts="当事人王五露天焚烧垃圾，烟尘扰民。")
    api = Api(client, people["supervisor"])
    live = ok(api.get(PATH))["items"][0]
    assert live["行政相对人名称"] == "王某" and live["证件号码"] == ADULT_ID[:6] + "********" + ADULT_ID[-4:]
    services.publication_withdraw(item_id=item.pk, actor=people["publisher"], reason="行政复议决定撤销原处罚决定")
    body = api.get(PATH)
    row = ok(body)["items"][0]
    assert row["备注"].startswith("已撤回") and row["行政处罚决定书文号"] == item.record["decision_number"]
    assert row["行政相对人名称"] == row["证件号码"] == row["违法事实"] == row["罚款金额(万元)"] == ""
    text = body.content.decode("utf-8")
    assert ADULT_ID not in text and ADULT_ID[-4:] not in text and "王" not in text and "焚烧" not in text


def test_since_iso_datetime(db, people, client):
    a = published(people)
    api = Api(client, people["supervisor"])
    before = (a.published_at - timezone.timedelta(seconds=1)).isoformat()
    assert numbers(ok(api.get(f"{PATH}&since={quote(before)}"))) == [a.record["decision_number"]]
    after = (timezone.now() + timezone.timedelta(seconds=5)).isoformat()
    page = ok(api.get(f"{PATH}&since={quote(after)}"))
    assert page["items"] == [] and page["has_more"] is False
    b = published(people)
    assert numbers(ok(api.get(f"{PATH}&since={quote(page['next'])}"))) == [b.record["decision_number"]]


@pytest.mark.parametrize(("query", "field"), [
    ("/exports/dsgs?kind=coercion", "kind"),
    ("/exports/dsgs?kind=penalty&since=c1.!!!", "since"),
    ("/exports/dsgs?kind=penalty&since=yesterday", "since"),
    ("/exports/dsgs?kind=penalty&limit=0", "limit"),
    ("/exports/dsgs?kind=penalty&limit=5000", "limit"),
])
def test_bad_parameters(db, people, client, query, field):
    response = Api(client, people["supervisor"]).get(query)
    assert response.status_code == 400, response.content
    assert response.json()["error"]["details"]["field"] == field


@pytest.mark.parametrize("who", ["off1", "publisher", "city_publisher", "reviewer", "pudong_supervisor"])
def test_only_city_supervisor_or_admin(db, people, client, make_user, who):
    published(people)
    user = make_user("pudong", "supervisor") if who == "pudong_supervisor" else people[who]
    api = Api(client, user)
    for path in (PATH, "/exports/joint-punishment"):
        refused(api.get(path), 403, "export_forbidden")


def test_city_supervisor_and_admin_may_pull(db, people, client, make_user):
    item = published(people)
    for user in (people["supervisor"], make_user("city", "admin")):
        api = Api(client, user)
        assert numbers(ok(api.get(PATH))) == [item.record["decision_number"]]
        assert ok(api.get("/exports/joint-punishment"))["items"] == []
    assert client.get("/api/v1" + PATH).status_code == 401
    assert json.loads(client.get("/api/v1" + PATH).content)["error"]
