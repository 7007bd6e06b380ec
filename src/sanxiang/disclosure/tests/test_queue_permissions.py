"""Who may act on the publication queue: 谁执法谁公示 (DESIGN.md "Users"; API.md "Who may act").

Publish, correct, withdraw, redact: the publisher of the deciding unit or of a unit above it.
Outside the caller's unit scope the item does not exist (404); inside it, anyone else is 403.
Every refusal leaves nothing behind: no ledger entry, no leaf, no change of the item.
"""

from __future__ import annotations

import pytest

from sanxiang.cases.tests.helpers import Api, ok, refused
from sanxiang.core.errors import DomainError
from sanxiang.disclosure import selectors, services
from sanxiang.disclosure.models import PublicationItem, PublicLogLeaf
from sanxiang.disclosure.tests.helpers import decide_case, item_of
from sanxiang.records.models import LedgerEntry


def state(item) -> tuple:
    row = PublicationItem.objects.filter(pk=item.pk).values().first()
    return LedgerEntry.objects.count(), PublicLogLeaf.objects.count(), row


ACTIONS = {
    "publish": ("/publish", None, lambda i, u: services.publication_publish(item_id=i, actor=u)),
    "redactions": ("/redactions", {"field": "facts", "start": 0, "end": 2, "reason": "隐私"},
                   lambda i, u: services.publication_add_redaction(item_id=i, actor=u, field="facts", start=0,
                                                                   end=2, reason="隐私")),
}
LIVE_ACTIONS = {
    "withdraw": ("/withdraw", {"reason": "决定被撤销"},
                 lambda i, u: services.publication_withdraw(item_id=i, actor=u, reason="决定被撤销")),
    "correct": ("/correct", {"fields": {"facts": "更正后的事实"}, "reason": "笔误"},
                lambda i, u: services.publication_correct(item_id=i, actor=u, fields={"facts": "更正后的事实"},
                                                          reason="笔误")),
    "end-early": ("/end-early", {"reason": "信用修复"},
                  lambda i, u: services.publication_end_early(item_id=i, actor=u, reason="信用修复")),
}


def _refuses(client, people, item, who, actions, status, code):
    api = Api(client, people[who])  # issuing the token is a ledger entry: before the snapshot
    for name, (path, body, call) in actions.items():
        before = state(item)
        with pytest.raises(DomainError) as caught:
            call(item.pk, people[who])
        assert (caught.value.status, caught.value.code) == (status, code), (who, name)
        refused(api.post(f"/publications/{item.pk}{path}", body), status, code)
        assert state(item) == before, (who, name)


@pytest.mark.parametrize(("who", "status", "code"), [
    pytest.param("hp_publisher", 404, "publication_not_found", id="publisher-of-another-district-404"),
    pytest.param("off1", 403, "publisher_required", id="officer-of-the-unit-403"),
    pytest.param("head", 403, "publisher_required", id="unit-head-403"),
    pytest.param("chief", 403, "publisher_required", id="agency-head-403"),
    pytest.param("supervisor", 403, "publisher_required", id="city-supervisor-sees-but-403"),
])
def test_only_the_deciding_units_publisher_acts_on_a_pending_item(db, client, people, who, status, code):
    case, _decision = decide_case(people)
    _refuses(client, people, item_of(case), who, ACTIONS, status, code)


@pytest.mark.parametrize(("who", "status", "code"), [
    pytest.param("hp_publisher", 404, "publication_not_found", id="publisher-of-another-district-404"),
    pytest.param("off1", 403, "publisher_required", id="officer-403"),
    pytest.param("supervisor", 403, "publisher_required", id="supervisor-403"),
])
def test_only_the_deciding_units_publisher_acts_on_a_published_item(db, client, people, who, status, code):
    case, _decision = decide_case(people)
    item = services.publication_publish(item_id=item_of(case).pk, actor=people["publisher"])
    _refuses(client, people, item, who, LIVE_ACTIONS, status, code)


def test_publisher_of_a_unit_above_may_publish(db, client, people):
    """API.md: `publisher` of the deciding unit or of a unit above it (city over pudong)."""
    case, _decision = decide_case(people)
    published = ok(Api(client, people["city_publisher"]).post(f"/publications/{item_of(case).pk}/publish"))
    assert published["state"] == "published"


def test_scope_of_the_list_and_the_detail(db, client, people):
    case, _decision = decide_case(people)
    item = item_of(case)
    listed = ok(Api(client, people["publisher"]).get("/publications?state=pending"))
    assert [i["id"] for i in listed["items"]] == [str(item.pk)]
    assert ok(Api(client, people["supervisor"]).get("/publications"))["total"] == 1
    assert ok(Api(client, people["hp_publisher"]).get("/publications"))["total"] == 0
    refused(Api(client, people["hp_publisher"]).get(f"/publications/{item.pk}"), 404, "publication_not_found")
    refused(Api(client, people["publisher"]).get("/publications/nope"), 404, "publication_not_found")
    refused(Api(client, people["publisher"]).get("/publications?state=lost"), 400, "invalid_state")
    assert client.get("/api/v1/publications").status_code == 401
    with pytest.raises(DomainError) as caught:
        selectors.publication_preview(item_id=item.pk, viewer=people["off1"])
    assert caught.value.code == "publisher_required"


def test_withdrawal_required_only_by_the_deciding_units_publisher_or_heads(db, people):
    """R2.5: the event that makes withdrawal due is recorded by the deciding unit."""
    import datetime as dt

    case, _decision = decide_case(people)
    item = services.publication_publish(item_id=item_of(case).pk, actor=people["publisher"])
    for who, code in (("off1", "role_required"), ("hp_publisher", "publication_not_found")):
        with pytest.raises(DomainError) as caught:
            services.publication_withdrawal_required(item=item.pk, event="revoked", event_on=dt.date.today(),
                                                     actor=people[who])
        assert caught.value.code == code
    recorded = services.publication_withdrawal_required(item=item, event="revoked",
                                                        event_on=item.decided_on, actor=people["head"])
    assert recorded.withdrawal_event == "revoked"
