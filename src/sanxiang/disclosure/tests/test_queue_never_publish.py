"""Decisions never published (不予公示): RULES.md R3.3 (GD-GS 第15条), R3.5 (个人信息保护法 第28条).

A minor party — flagged, or visible from the ID number's date of birth (GB 11643, R9.1) — or a
secret case is refused with 409 `not_publishable` naming the reasons, through the service and
the API, and nothing reaches the public log.
"""

from __future__ import annotations

import pytest

from sanxiang.cases.tests.helpers import Api, ok, refused
from sanxiang.core.errors import GuardRefused
from sanxiang.disclosure import services
from sanxiang.disclosure.models import PublicLogLeaf
from sanxiang.disclosure.tests.helpers import CHILD_ID, PUBLIC, decide_case, item_of, person_party


@pytest.mark.parametrize(("kwargs", "reasons"), [
    pytest.param({"involves_minor": True}, ["minor"], id="GD-GS15-1-minor-flag"),
    pytest.param({"parties": [person_party("小明", CHILD_ID)], "fine": "100.00"}, ["minor"],
                 id="GD-GS15-1-minor-from-id-number-R9.1"),
    pytest.param({"secret": True}, ["secret"], id="GD-GS15-2-secret-APL50"),
    pytest.param({"secret": True, "involves_minor": True}, ["minor", "secret"], id="GD-GS15-minor-and-secret"),
])
def test_never_published(db, client, people, kwargs, reasons):
    case, _decision = decide_case(people, **kwargs)
    item = item_of(case)
    leaves = PublicLogLeaf.objects.count()
    with pytest.raises(GuardRefused) as caught:
        services.publication_publish(item_id=item.pk, actor=people["publisher"])
    assert caught.value.code == "not_publishable" and caught.value.details["reasons"] == reasons
    error = refused(Api(client, people["publisher"]).post(f"/publications/{item.pk}/publish"), 409,
                    "not_publishable")
    assert error["details"]["reasons"] == reasons
    item.refresh_from_db()
    assert (item.state, item.public_id, item.public_record) == ("pending", None, "")
    assert PublicLogLeaf.objects.count() == leaves
    assert ok(Api(client, people["publisher"]).get(f"/publications/{item.pk}"))["preview"]["not_publishable"] \
        == reasons
    assert client.get(PUBLIC).json()["total"] == 0


def test_natural_person_party_is_masked(db, client, people):
    """R3.4 [U]: a natural-person party as surname + 某; ID number, phone and address withheld (R3.1)."""
    party = person_party("李四")
    case, _decision = decide_case(people, parties=[party], fine="1000.00",
                                  facts=f"当事人李四（身份证号{party.id_number}，住{party.address}）露天焚烧垃圾。",
                                  title="李四露天焚烧垃圾案")
    item = services.publication_publish(item_id=item_of(case).pk, actor=people["publisher"])
    record = client.get(f"{PUBLIC}/{item.public_id}").json()["record"]
    assert record["party_name"] == "李某" and record["title"] == "李某露天焚烧垃圾案"
    assert "id_number" not in record and "phone" not in record and "address" not in record
    text = item.public_record
    for value in ("李四", party.id_number, party.phone, "某路8弄3号"):
        assert value not in text
    assert item.display_class == "general"  # a citizen's fine above APL 第51条's 200 yuan (R2.9.3)
