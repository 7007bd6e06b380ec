"""Staff editor of 事前公开 (/publicity/pre/): list per category, new and edit draft, preview with
the changes, publish (publisher of the unit or above only), history and retire."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sanxiang.catalog.models import PreDisclosureDocument
from sanxiang.records.models import LedgerEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def publisher(client, make_user):
    user = make_user("pudong", "publisher", full_name="浦东公示员")
    client.force_login(user)
    return user


def new_document(client, **overrides):
    data = {"slug": "pudong-duties", "title": "浦东职责", "unit_code": "pudong",
            "body": "## 职责\n- 监督检查", "change_note": "首次公开", "effective_from": "", **overrides}
    return client.post(reverse("web:predisclosure-new", args=["organisation"]), data)


def test_index_and_list_need_login(client, db):
    response = client.get("/publicity/pre/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_index_lists_the_categories(client, publisher):
    html = client.get("/publicity/pre/").content.decode()
    assert "执法事项目录清单" in html and 'href="/publicity/pre/procedures/"' in html


def test_new_draft_preview_publish(client, publisher):
    response = new_document(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("web:predisclosure-preview", args=["pudong-duties"])
    preview = client.get(response["Location"]).content.decode()
    assert "<h3>职责</h3>" in preview and "首个版本" in preview
    assert PreDisclosureDocument.objects.get(slug="pudong-duties").status == "draft"
    response = client.post(reverse("web:predisclosure-publish", args=["pudong-duties"]), {"effective_from": ""})
    assert response.status_code == 302
    assert response["Location"] == reverse("web:predisclosure-list", args=["organisation"])
    doc = PreDisclosureDocument.objects.get(slug="pudong-duties")
    assert (doc.status, doc.version, doc.published_by) == ("published", 1, publisher)
    listing = client.get(response["Location"]).content.decode()
    assert "门户网站现行版本 1" in listing and "版本 1 已在门户网站发布" in listing


def test_edit_starts_a_new_version_and_preview_shows_the_changes(client, publisher):
    new_document(client)
    client.post(reverse("web:predisclosure-publish", args=["pudong-duties"]), {})
    form = client.get(reverse("web:predisclosure-edit", args=["pudong-duties"])).content.decode()
    assert "监督检查" in form  # prefilled from the published version
    response = client.post(reverse("web:predisclosure-edit", args=["pudong-duties"]), {
        "title": "浦东职责", "body": "## 职责\n- 监督检查\n- 投诉举报", "change_note": "增加投诉举报",
        "slug": "ignored", "unit_code": "city"})
    assert response.status_code == 302
    draft = PreDisclosureDocument.objects.get(slug="pudong-duties", status="draft")
    assert (draft.version, draft.unit_code) == (2, "pudong")  # identifier and unit are fixed
    preview = client.get(reverse("web:predisclosure-preview", args=["pudong-duties"])).content.decode()
    assert 'class="pd-add"' in preview and "投诉举报" in preview
    client.post(reverse("web:predisclosure-publish", args=["pudong-duties"]), {})
    history = client.get(reverse("web:predisclosure-history", args=["pudong-duties"])).content.decode()
    assert "增加投诉举报" in history and "首次公开" in history and "浦东公示员" in history


def test_errors_are_shown_on_the_form(client, publisher):
    response = new_document(client, slug="Bad Slug")
    assert response.status_code == 400
    assert "请使用小写字母" in response.content.decode()
    new_document(client, change_note="")
    response = client.post(reverse("web:predisclosure-publish", args=["pudong-duties"]), {})
    assert response.status_code == 400 and "修改说明" in response.content.decode()
    assert PreDisclosureDocument.objects.get(slug="pudong-duties").status == "draft"


def test_the_body_is_escaped_in_the_preview(client, publisher):
    new_document(client, body="<script>alert(1)</script>")
    html = client.get(reverse("web:predisclosure-preview", args=["pudong-duties"])).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_non_publishers_cannot_write(client, make_user):
    client.force_login(make_user("pudong", "officer", "unit_head"))
    assert client.get(reverse("web:predisclosure-new", args=["organisation"])).status_code == 403
    assert new_document(client).status_code == 403
    assert client.get(reverse("web:predisclosure-edit", args=["city-procedures"])).status_code == 403
    list_html = client.get(reverse("web:predisclosure-list", args=["procedures"])).content.decode()
    assert "city-procedures" in list_html and "新建文件" not in list_html  # reading is fine
    assert not PreDisclosureDocument.objects.filter(slug="pudong-duties").exists()


def test_a_district_publisher_cannot_publish_for_the_city(client, publisher):
    assert client.get(reverse("web:predisclosure-edit", args=["city-procedures"])).status_code == 403
    response = client.post(reverse("web:predisclosure-edit", args=["city-procedures"]),
                           {"title": "x", "body": "y", "change_note": "z"})
    assert response.status_code == 403
    response = new_document(client, unit_code="city", slug="pudong-city")
    assert response.status_code == 400  # the city is not among the units offered
    response = client.post(reverse("web:predisclosure-history", args=["city-procedures"]), {"reason": "x"})
    assert response.status_code == 403
    assert PreDisclosureDocument.objects.get(slug="city-procedures", status="published").version == 1


def test_another_districts_draft_is_not_found(client, publisher, make_user):
    new_document(client)
    client.force_login(make_user("huangpu", "publisher"))
    assert client.get(reverse("web:predisclosure-preview", args=["pudong-duties"])).status_code == 404
    assert client.post(reverse("web:predisclosure-publish", args=["pudong-duties"]), {}).status_code == 404


def test_the_city_publisher_publishes_a_district_draft(client, publisher, make_user):
    new_document(client)
    client.force_login(make_user("city", "publisher"))
    response = client.post(reverse("web:predisclosure-publish", args=["pudong-duties"]), {})
    assert response.status_code == 302
    assert PreDisclosureDocument.objects.get(slug="pudong-duties").status == "published"


def test_discard_and_retire(client, publisher):
    new_document(client)
    client.post(reverse("web:predisclosure-discard", args=["pudong-duties"]))
    assert not PreDisclosureDocument.objects.filter(slug="pudong-duties").exists()
    new_document(client)
    client.post(reverse("web:predisclosure-publish", args=["pudong-duties"]), {})
    response = client.post(reverse("web:predisclosure-history", args=["pudong-duties"]), {"reason": ""})
    assert response.status_code == 400
    response = client.post(reverse("web:predisclosure-history", args=["pudong-duties"]), {"reason": "职责划转"})
    assert response.status_code == 302
    doc = PreDisclosureDocument.objects.get(slug="pudong-duties")
    assert (doc.status, doc.retire_note) == ("retired", "职责划转")
    assert LedgerEntry.objects.order_by("-seq").first().action == "predisclosure.retired"
