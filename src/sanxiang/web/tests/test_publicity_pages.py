"""Staff pages of the publication queue: scope, the preview's marks, publish / withdraw via the pages."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from sanxiang.disclosure import services
from sanxiang.disclosure.models import PublicationItem
from sanxiang.disclosure.tests.helpers import WITNESS, WITNESS_PHONE, decide_case, item_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def people(make_user):
    return {
        "off1": make_user("pudong", "officer", certificate=True, full_name="张执法"),
        "off2": make_user("pudong", "officer", certificate=True, full_name="李执法"),
        "chief": make_user("pudong", "agency_head", full_name="王局长"),
        "publisher": make_user("pudong", "publisher", full_name="钱公示"),
        "hp_publisher": make_user("huangpu", "publisher", full_name="黄公示"),
    }


@pytest.fixture
def item(people) -> PublicationItem:
    case, _decision = decide_case(people)
    return item_of(case)


def _client(client, user):
    client.force_login(user)
    return client


def test_queue_is_scoped_to_the_viewer(client, people, item):
    page = _client(client, people["publisher"]).get(reverse("web:module-publicity"))
    assert page.status_code == 200
    assert item.title in page.content.decode()
    assert reverse("web:publication", args=[item.pk]) in page.content.decode()
    pending = client.get(reverse("web:module-publicity"), {"state": "pending"}).content.decode()
    assert f'data-item="{item.pk}"' in pending
    assert f'data-item="{item.pk}"' not in client.get(reverse("web:module-publicity"),
                                                      {"state": "withdrawn"}).content.decode()
    client.logout()
    other = _client(client, people["hp_publisher"]).get(reverse("web:module-publicity")).content.decode()
    assert f'data-item="{item.pk}"' not in other


def test_publisher_of_another_district_gets_404(client, people, item):
    c = _client(client, people["hp_publisher"])
    assert c.get(reverse("web:publication", args=[item.pk])).status_code == 404
    assert c.post(reverse("web:publication-publish", args=[item.pk])).status_code == 404
    item.refresh_from_db()
    assert item.state == "pending"


def test_preview_shows_every_mark_with_its_label(client, people, item):
    html = _client(client, people["publisher"]).get(reverse("web:publication", args=[item.pk])).content.decode()
    assert 'id="preview"' in html
    assert html.count("<mark ") >= 2
    assert f">{WITNESS_PHONE}</mark>" in html  # the original, highlighted (publisher only)
    assert 'data-category="phone"' in html and 'data-category="other_person_name"' in html
    assert WITNESS in html
    assert 'class="mark-label"' in html and 'title="' in html


def test_publish_via_the_page_and_withdraw_needs_a_reason(client, people, item):
    c = _client(client, people["publisher"])
    response = c.post(reverse("web:publication-publish", args=[item.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("web:publication", args=[item.pk])
    item.refresh_from_db()
    assert item.state == "published" and item.public_id
    html = c.get(response["Location"]).content.decode()
    assert f"/api/public/v1/decisions/{item.public_id}" in html
    assert item.record_sha256 in html

    refused = c.post(reverse("web:publication-withdraw", args=[item.pk]), {"reason": "  "})
    assert refused.status_code == 400
    assert 'class="field-error"' in refused.content.decode()
    item.refresh_from_db()
    assert item.state == "published"

    done = c.post(reverse("web:publication-withdraw", args=[item.pk]), {"reason": "决定已被撤销"})
    assert done.status_code == 302
    item.refresh_from_db()
    assert item.state == "withdrawn" and item.withdrawal_reason == "决定已被撤销"


def test_correct_via_the_page(client, people, item):
    services.publication_publish(item_id=item.pk, actor=people["publisher"])
    c = _client(client, people["publisher"])
    bad = c.post(reverse("web:publication-correct", args=[item.pk]),
                 {"field": "fine_amount", "value": "abc", "reason": "金额笔误"})
    assert bad.status_code == 400 and 'class="field-error"' in bad.content.decode()
    ok = c.post(reverse("web:publication-correct", args=[item.pk]),
                {"field": "fine_amount", "value": "30000", "reason": "金额笔误"})
    assert ok.status_code == 302
    item.refresh_from_db()
    assert item.state == "corrected" and item.version == 2


def test_manual_redaction_by_exact_text(client, people, item):
    c = _client(client, people["publisher"])
    response = c.post(reverse("web:publication-redaction", args=[item.pk]),
                      {"field": "facts", "text": "设备停运", "category": "other", "reason": "涉及商业秘密"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.manual_redactions[0]["field"] == "facts"
    facts = item.source["facts"]
    m = item.manual_redactions[0]
    assert facts[m["start"]:m["end"]] == "设备停运"
    missing = c.post(reverse("web:publication-redaction", args=[item.pk]),
                     {"field": "facts", "text": "不存在的文字", "category": "other", "reason": "x"})
    assert missing.status_code == 400


def test_officer_cannot_publish(client, people, item):
    c = _client(client, people["off1"])
    html = c.get(reverse("web:publication", args=[item.pk])).content.decode()
    assert 'id="preview"' not in html and "<mark " not in html
    assert "disabled" in html and 'id="publish-why"' in html
    response = c.post(reverse("web:publication-publish", args=[item.pk]))
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.state == "pending"


def test_workbench_lists_items_to_publish(client, people, item):
    html = _client(client, people["publisher"]).get(reverse("web:workbench")).content.decode()
    assert 'id="to-publish"' in html and reverse("web:publication", args=[item.pk]) in html
    client.logout()
    assert 'id="to-publish"' not in _client(client, people["off1"]).get(reverse("web:workbench")).content.decode()
