"""Portal pages of published decisions (执法决定公示): search, decision page with its verification
(核验), withdrawal notice, organisation history — and no personal data on any of them."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from sanxiang.disclosure import selectors_portal, services
from sanxiang.disclosure.models import PublicationItem
from sanxiang.disclosure.tests import conftest as disclosure_fixtures
from sanxiang.disclosure.tests.helpers import (
    ADULT_ID,
    ORG_NAME,
    SPEAKER,
    WITNESS,
    WITNESS_PHONE,
    decide_case,
    item_of,
    org_party,
    person_party,
    published,
)

#: The fixtures of the disclosure tests: the people around a Pudong case, a fresh cache.
people = disclosure_fixtures.people
_fresh_cache = disclosure_fixtures._fresh_cache

SEARCH = "/gongshi/decisions/"
MIDDLE_OF_FACTS = "排放口颗粒物浓度"  # from the middle of helpers.FACTS


def zh(msgid: str) -> str:
    """`msgid` as the portal shows it (zh-Hans, the default language)."""
    with translation.override("zh-hans"):
        return gettext(msgid)


def page(client, url: str, params: dict | None = None, status: int = 200) -> str:
    response = client.get(url, params or {})
    assert response.status_code == status, response.content.decode()[:2000]
    return response.content.decode()


def hits(html: str) -> list[str]:
    """Public ids linked from the result list, in order."""
    return re.findall(r'<h3 class="decision-title"><a href="/gongshi/decisions/([^/"]+)/">', html)


def detail(public_id: str) -> str:
    return f"{SEARCH}{public_id}/"


# ------------------------------------------------------------------------------- search


def test_search_finds_a_chinese_substring_from_the_middle_of_the_facts(db, client, people):
    item = published(people)
    other = published(people, title="某餐饮店油烟排放案", facts="某餐饮店油烟净化设施未正常运行。",
                      parties=[org_party(name="上海某某餐饮有限公司")])
    html = page(client, SEARCH, {"q": MIDDLE_OF_FACTS})
    assert hits(html) == [item.public_id]
    count = re.search(r'class="result-count"[^>]*>([^<]*)<', html).group(1)
    assert re.search(r"(?<!\d)1(?!\d)", count), count
    assert ORG_NAME in html and "沪浦环罚" in html and "20,000.00" in html and "上海市浦东新区生态环境局" in html
    assert hits(page(client, SEARCH, {"q": "油烟"})) == [other.public_id]  # two characters: no trigram
    assert set(hits(page(client, SEARCH))) == {item.public_id, other.public_id}  # no query: everything on show
    assert hits(page(client, SEARCH, {"q": "不存在的违法行为描述"})) == []


def test_filters_sort_and_pages_that_keep_the_filters(db, client, people, monkeypatch):
    today = timezone.localdate()
    small = published(people, title="小额罚款案", fine="5000.00")
    large = published(people, title="大额罚款案", fine="80000.00")
    warning = published(people, title="警告案", fine=None, types=("warning",), conclusion="予以警告。")
    # Decisions of earlier days (a decision date cannot lie before its case was filed today).
    for item, days in ((small, 10), (large, 5)):
        PublicationItem.objects.filter(pk=item.pk).update(decided_on=today - dt.timedelta(days=days))

    assert set(hits(page(client, SEARCH, {"unit": "pudong"}))) == {small.public_id, large.public_id, warning.public_id}
    assert len(hits(page(client, SEARCH, {"unit": "city"}))) == 3  # a unit includes the units below it
    assert hits(page(client, SEARCH, {"unit": "huangpu"})) == []
    assert hits(page(client, SEARCH, {"kind": "permit"})) == []
    assert len(hits(page(client, SEARCH, {"kind": "penalty"}))) == 3
    assert hits(page(client, SEARCH, {"penalty_type": "warning"})) == [warning.public_id]
    assert hits(page(client, SEARCH, {"amount_min": "10000"})) == [large.public_id]
    assert hits(page(client, SEARCH, {"amount_min": "1000", "amount_max": "5000"})) == [small.public_id]
    window = {"date_from": (today - dt.timedelta(days=12)).isoformat(),
              "date_to": (today - dt.timedelta(days=8)).isoformat()}
    assert hits(page(client, SEARCH, window)) == [small.public_id]
    assert hits(page(client, SEARCH, {"sort": "fine"}))[:2] == [large.public_id, small.public_id]
    assert hits(page(client, SEARCH, {"sort": "oldest"}))[0] == small.public_id
    assert hits(page(client, SEARCH, {"sort": "newest"}))[0] == warning.public_id

    monkeypatch.setattr(selectors_portal, "PAGE_SIZE", 1)
    first = page(client, SEARCH, {"q": "罚款案", "sort": "fine"})
    assert hits(first) == [large.public_id]
    links = re.findall(r'<a rel="next" href="([^"]+)"', first)
    assert len(links) == 1 and "q=%E7%BD%9A%E6%AC%BE%E6%A1%88" in links[0] and "sort=fine" in links[0]
    second = page(client, SEARCH + links[0].replace("&amp;", "&"))
    assert hits(second) == [small.public_id]
    assert 'aria-current="page">2<' in second
    assert hits(page(client, SEARCH, {"q": "罚款案", "sort": "fine", "page": "9"})) == [small.public_id]  # last


@pytest.mark.parametrize(("params", "field", "msgid"), [
    ({"amount_min": "一万"}, "amount_min", "Enter an amount in yuan, such as 5000 or 5000.50."),
    ({"amount_max": "-5"}, "amount_max", "The amount cannot be negative."),
    ({"amount_min": "9000", "amount_max": "100"}, "amount_max", "The upper fine bound is below the lower one."),
    ({"date_from": "2026-13-45"}, "date_from", "Enter a date as YYYY-MM-DD, such as 2026-11-20."),
    ({"date_from": "2026-11-20", "date_to": "2026-11-01"}, "date_to", "The end date is before the start date."),
    ({"sort": "cheapest"}, "sort", "Choose a sort order from the list."),
    ({"unit": "atlantis"}, "unit", "Choose a unit from the list."),
    ({"penalty_type": "flogging"}, "penalty_type", "Choose a penalty type from the list."),
    ({"page": "0"}, "page", "The page number must be a whole number from 1."),
    ({"q": "字" * 101}, "q", "Search for at most 100 characters."),
])
def test_bad_input_is_a_400_with_the_message_at_the_field(db, client, people, params, field, msgid):
    published(people)
    html = page(client, SEARCH, params, status=400)
    assert escape(zh(msgid)) in html
    assert 'role="alert"' in html and "Traceback" not in html
    assert hits(html) == []
    if field != "page":
        assert re.search(rf'id="id_{field}"[^>]*aria-invalid="true"', html), field
        assert f'id="id_{field}-error"' in html


# ------------------------------------------------------------------------- the decision


def test_decision_page_shows_the_record_and_the_verified_panel(db, client, people):
    item = published(people)
    html = page(client, detail(item.public_id))
    record = json.loads(item.public_record)
    for key in ("decision_number", "party_name", "uscc", "legal_representative", "legal_basis", "facts",
                "conclusion", "agency", "decided_on", "display_until"):
        assert escape(record[key]) in html, key
    assert "20,000.00" in html
    assert 'data-verified="true"' in html and 'class="check-failed"' not in html
    assert item.record_sha256 in html
    head = json.loads(client.get("/api/public/v1/log/head").content)
    assert head["root_hash"] in html and f"<dd>{head['tree_size']}</dd>" in html
    assert f'href="/api/public/v1/decisions/{item.public_id}"' in html
    assert f"/api/public/v1/decisions/{item.public_id}/proof?tree_size={head['tree_size']}" in html
    assert 'href="/api/public/v1/log/head"' in html and "docs/verify-a-decision.md" in html
    assert f'href="/gongshi/entities/{record["uscc"]}/"' in html


def test_a_tampered_record_is_not_shown_as_verified(db, client, people):
    item = published(people)
    forged = item.public_record.replace("20000.00", "2000.00")
    PublicationItem.objects.filter(pk=item.pk).update(public_record=forged)
    html = page(client, detail(item.public_id))
    assert 'data-verified="false"' in html
    assert escape(zh("The SHA-256 of the served record differs from the one committed in the log.")) in html
    verification = selectors_portal.verify_record(PublicationItem.objects.get(pk=item.pk))
    assert (verification.record_hash_ok, verification.inclusion_ok, verification.signature_ok) == (False, True, True)
    assert not verification.verified


def test_corrections_history_and_version(db, client, people):
    item = published(people)
    services.publication_correct(item_id=item.pk, actor=people["publisher"], fields={"fine_amount": "30000.00"},
                                 reason="罚款金额笔误更正")
    html = page(client, detail(item.public_id))
    assert "罚款金额笔误更正" in html and "30,000.00" in html and "20,000.00" not in html
    assert escape(zh("Version %(version)s") % {"version": 2}) in html
    assert 'data-verified="true"' in html


def test_withdrawn_decision_is_410_with_the_notice_and_gone_from_search(db, client, people):
    item = published(people)
    assert hits(page(client, SEARCH, {"q": MIDDLE_OF_FACTS})) == [item.public_id]
    services.publication_withdraw(item_id=item.pk, actor=people["publisher"], reason="该决定已被依法撤销")
    html = page(client, detail(item.public_id), status=410)
    assert "该决定已被依法撤销" in html
    assert timezone.localdate().isoformat() in html
    assert escape(zh("This decision has been withdrawn.")) in html
    for record_text in ("沪浦环罚", ORG_NAME, MIDDLE_OF_FACTS, "20,000.00"):
        assert record_text not in html
    assert hits(page(client, SEARCH, {"q": MIDDLE_OF_FACTS})) == []
    assert hits(page(client, SEARCH)) == []


def test_ended_display_period_is_410(db, client, people):
    item = published(people)
    PublicationItem.objects.filter(pk=item.pk).update(expires_on=timezone.localdate())
    html = page(client, detail(item.public_id), status=410)
    assert escape(zh("The display period of this decision has ended.")) in html
    assert MIDDLE_OF_FACTS not in html


def test_unknown_and_unpublished_ids_are_404(db, client, people):
    case, _decision = decide_case(people)
    assert item_of(case).public_id is None
    for unknown in ("neverpublished00", "x" * 40, "%E5%95%8A"):
        html = page(client, detail(unknown), status=404)
        assert escape(zh("Decision not found")) in html


# ---------------------------------------------------------------------------- entities


def test_entity_page_lists_the_organisations_decisions(db, client, people):
    first = published(people)
    second = published(people, title="上海某某化工有限公司未按规定贮存危险废物案")
    published(people, parties=[person_party()], title="李四露天焚烧案", facts="当事人李四露天焚烧废弃物。",
              fine="2000.00", conclusion="罚款人民币贰仟元整。")
    html = page(client, f"/gongshi/entities/{org_party().uscc}/")
    assert set(hits(html)) == {first.public_id, second.public_id}
    assert ORG_NAME in html and org_party().uscc in html
    lower = page(client, f"/gongshi/entities/{org_party().uscc.lower()}/")  # normalised
    assert set(hits(lower)) == {first.public_id, second.public_id}


def test_entity_page_bad_code_is_400_and_unknown_is_404(db, client, people):
    published(people)
    html = page(client, "/gongshi/entities/91310000717854505X/", status=400)
    assert escape(zh("The check character of the unified social credit code is wrong.")) in html
    page(client, "/gongshi/entities/not-a-code/", status=400)
    html = page(client, "/gongshi/entities/91310115MA1H7XXXXX/", status=400)
    other = "91110000600037341L"  # a valid code with nothing published
    html = page(client, f"/gongshi/entities/{other}/", status=404)
    assert other in html


# ----------------------------------------------------------------- personal data, escaping


def test_no_personal_data_on_any_portal_page(db, client, people):
    phone = "13800138000"
    facts = (f"当事人李四（公民身份号码{ADULT_ID}，手机{phone}）在其经营场所露天焚烧废弃物，"
             f"现场由{WITNESS}（电话{WITNESS_PHONE}）指认，{SPEAKER}在询问中作证。")
    person = published(people, parties=[person_party()], facts=facts, title="李四露天焚烧废弃物案",
                       fine="2000.00", conclusion="罚款人民币贰仟元整。")
    org = published(people)
    pages = [
        page(client, SEARCH),
        page(client, SEARCH, {"q": "露天焚烧"}),
        page(client, SEARCH, {"q": MIDDLE_OF_FACTS}),
        page(client, detail(person.public_id)),
        page(client, detail(org.public_id)),
        page(client, f"/gongshi/entities/{org_party().uscc}/"),
    ]
    text = "\n".join(pages)
    assert "露天焚烧" in text and "李某" in text
    for secret in (ADULT_ID, ADULT_ID[6:14], phone, phone[3:], WITNESS, WITNESS_PHONE, SPEAKER, "李四"):
        assert secret not in text, secret


def test_record_text_is_escaped(db, client, people):
    item = published(people, title="<script>alert(1)</script>案", facts="排污口<img src=x onerror=alert(2)>超标，"
                      "数值\"120\" & 'mg'。", conclusion="罚款<b>贰万元</b>。")
    for html in (page(client, detail(item.public_id)), page(client, SEARCH, {"q": "script"})):
        assert "<script>alert(1)" not in html and "<img src=x" not in html and "<b>贰万元" not in html
    html = page(client, detail(item.public_id))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;案" in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html and "&lt;b&gt;贰万元&lt;/b&gt;" in html


def test_a_broad_search_says_how_far_it_counted(db, client, people, monkeypatch):
    from sanxiang.disclosure import selectors

    for title in ("甲公司超标排放案", "乙公司超标排放案"):
        published(people, title=title)
    monkeypatch.setattr(selectors, "PUBLIC_COUNT_CAP", 1)
    html = page(client, "/gongshi/decisions/", {"q": "超标排放"})
    assert "找到超过 1 条决定" in html and "仅列出前 1 条" in html
    assert len(hits(html)) == 1
