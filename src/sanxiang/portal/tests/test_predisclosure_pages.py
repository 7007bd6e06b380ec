"""Public pre-disclosure pages (事前公开, /gongshi/pre/): the seven categories with dates, the
current version of each document beside the live lists, the change history — no login, drafts
never shown, a publisher's text always shown as text."""

from __future__ import annotations

import pytest
from django.utils import timezone

from sanxiang.catalog import services_predisclosure as services
from sanxiang.catalog.models import Matter, PreDisclosureDocument
from sanxiang.catalog.models.predisclosure import PreDisclosureCategory

pytestmark = pytest.mark.django_db


@pytest.fixture
def publisher(make_user):
    return make_user("pudong", "publisher")


def publish(actor, slug="pudong-duties", category="organisation", **kw):
    fields = {"title": "浦东新区生态环境局职责", "body": "浦东职责正文", "change_note": "首次公开"}
    doc = services.predisclosure_draft_save(actor=actor, category=category, slug=slug, unit_code="pudong",
                                            **{**fields, **kw})
    return services.predisclosure_publish(actor=actor, document_id=doc.pk)


def html(client, url, status=200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def test_index_lists_the_seven_categories_with_dates(client):
    page = html(client, "/gongshi/pre/")
    for category in PreDisclosureCategory:
        assert f'href="/gongshi/pre/{category.value}/"' in page
    for label in ("执法事项目录清单", "权力和责任清单", "执法流程、监督方式和救济渠道"):
        assert label in page
    assert timezone.localdate().isoformat() in page  # the seeded versions were published today
    assert "最后更新" in page


def test_home_and_navigation_link_to_it(client):
    page = html(client, "/gongshi/")
    assert page.count('href="/gongshi/pre/"') >= 2


def test_category_page_shows_the_current_version_only(client, publisher):
    publish(publisher, body="第一版正文")
    publish(publisher, body="第二版正文", change_note="修订")
    services.predisclosure_draft_save(actor=publisher, category="organisation", slug="pudong-duties",
                                      unit_code="pudong", title="草稿标题", body="草稿正文", change_note="x")
    page = html(client, "/gongshi/pre/organisation/")
    assert "第二版正文" in page and "第一版正文" not in page
    assert "草稿正文" not in page and "草稿标题" not in page
    assert "上海市浦东新区生态环境局" in page and "版本 2" in page
    assert 'href="/gongshi/pre/organisation/pudong-duties/history/"' in page
    assert "执法主体" in page  # the seeded city-wide document comes first
    assert page.index("执法主体") < page.index("第二版正文")


def test_body_markup_is_rendered_and_html_is_shown_as_text(client, publisher):
    publish(publisher, body="## 职责\n- 监督检查\n\n<script>alert('x')</script><b>粗</b>")
    page = html(client, "/gongshi/pre/organisation/")
    assert "<h3>职责</h3>" in page and "<li>监督检查</li>" in page
    assert "<script>alert" not in page and "<b>粗</b>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&lt;b&gt;粗&lt;/b&gt;" in page


def test_title_and_notes_are_escaped_too(client, publisher):
    publish(publisher, title="<i>标题</i>", change_note="<img src=x onerror=alert(1)>")
    page = html(client, "/gongshi/pre/organisation/pudong-duties/history/")
    assert "<i>标题</i>" not in page and "&lt;i&gt;标题&lt;/i&gt;" in page
    assert "<img src=x" not in page


def test_organisation_lists_officers_live(client, make_user):
    make_user("huangpu", full_name="孙执法", certificate="SH3101010777")
    page = html(client, "/gongshi/pre/organisation/")
    assert "孙执法" in page and "SH3101010777" in page and "上海市黄浦区生态环境局" in page
    assert 'href="/gongshi/officers/SH3101010777/"' in page
    assert "有效" in page
    assert 'action="/gongshi/officers/"' in page  # verification form


def test_matter_catalog_and_random_inspection_are_live(client):
    matter = Matter.objects.filter(status="published", random_inspection=True).order_by("code").first()
    off_list = Matter.objects.filter(status="published", random_inspection=False).order_by("code").first()
    catalog = html(client, "/gongshi/pre/matter_catalog/")
    assert matter.code in catalog and off_list.code in catalog and matter.name in catalog
    random = html(client, "/gongshi/pre/random_inspection/")
    assert matter.code in random and f"matter-{off_list.code}" not in random
    powers = html(client, "/gongshi/pre/power_list/")
    assert matter.code in powers and "行政处罚" in powers


def test_procedures_show_time_limits_and_review_catalogue_with_citations(client):
    page = html(client, "/gongshi/pre/procedures/")
    assert "作出行政处罚决定期限" in page and "90" in page and "第六十条" in page
    assert "法制审核目录" in page and "第五十八条" in page
    assert "行政复议" in page and "六十日" in page


def test_regulations_list_the_laws_the_matters_cite(client):
    page = html(client, "/gongshi/pre/regulations/")
    assert "《中华人民共和国大气污染防治法》" in page


def test_history_lists_versions_with_dates_and_notes(client, publisher):
    publish(publisher, change_note="首次公开")
    publish(publisher, change_note="增加举报电话", title="浦东新区生态环境局职责（修订）")
    page = html(client, "/gongshi/pre/organisation/pudong-duties/history/")
    assert page.index("版本 2") < page.index("版本 1")
    assert "增加举报电话" in page and "首次公开" in page
    assert "现行版本" in page and "已被替换" in page
    assert timezone.localdate().isoformat() in page


def test_history_of_a_withdrawn_document_stays_public(client, publisher):
    publish(publisher)
    services.predisclosure_retire(actor=publisher, slug="pudong-duties", reason="职责调整")
    assert "浦东职责正文" not in html(client, "/gongshi/pre/organisation/")
    page = html(client, "/gongshi/pre/organisation/pudong-duties/history/")
    assert "职责调整" in page and "已停止公开" in page


def test_unknown_category_slug_or_draft_only_is_404(client, publisher):
    html(client, "/gongshi/pre/gossip/", 404)
    html(client, "/gongshi/pre/organisation/nope/history/", 404)
    services.predisclosure_draft_save(actor=publisher, category="other", slug="draft-only", unit_code="pudong",
                                      title="t", body="b")
    html(client, "/gongshi/pre/other/draft-only/history/", 404)


def test_history_under_the_wrong_category_redirects(client):
    response = client.get("/gongshi/pre/other/city-procedures/history/")
    assert response.status_code == 301
    assert response["Location"] == "/gongshi/pre/procedures/city-procedures/history/"


def test_pages_are_in_english_on_request(client):
    client.cookies["django_language"] = "en"
    page = html(client, "/gongshi/pre/")
    assert "Enforcement matter catalog" in page and "Last updated" in page


def test_every_category_page_renders(client):
    for category in PreDisclosureCategory:
        page = html(client, f"/gongshi/pre/{category.value}/")
        assert PreDisclosureDocument.objects.get(slug=f"city-{category.value.replace('_', '-')}").title in page
