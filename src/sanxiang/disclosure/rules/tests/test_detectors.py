"""Pattern detectors (RULES.md R3.1, R9.1, R9.2) — pure, no database."""

from __future__ import annotations

from datetime import date

import pytest

from sanxiang.disclosure.rules.detectors import (
    credit_code_spans,
    find_emails,
    find_numbers,
    luhn_valid,
)
from sanxiang.disclosure.rules.textview import normalize

from .helpers import (
    ORG_USCC,
    PARTY_CARD,
    PARTY_ID,
    PARTY_ID_X,
    PUDONG_USCC,
    fullwidth,
    spaced,
)

WRONG_CHECK_ID = PARTY_ID[:17] + ("3" if PARTY_ID[17] != "3" else "4")


def found(text: str) -> list[tuple[str, str, str]]:
    view = normalize(text)
    hits = find_numbers(view, today=date(2026, 11, 20)) + find_emails(view)
    return sorted({(text[h.start : h.end], h.category, h.detector) for h in hits})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(f"身份证号{PARTY_ID}。", PARTY_ID, id="R9.1-GD-GS14-id-plain"),
        pytest.param(f"身份证号 {spaced(PARTY_ID)} 。", spaced(PARTY_ID),
                     id="R9.1-GD-GS14-id-spaced-4"),
        pytest.param(f"身份证号{PARTY_ID[:6]}-{PARTY_ID[6:14]}-{PARTY_ID[14:]}",
                     f"{PARTY_ID[:6]}-{PARTY_ID[6:14]}-{PARTY_ID[14:]}",
                     id="R9.1-GD-GS14-id-dashed-6-8-4"),
        pytest.param(f"身份证号{fullwidth(PARTY_ID)}", fullwidth(PARTY_ID),
                     id="R9.1-GD-GS14-id-fullwidth"),
        pytest.param(f"身份证{PARTY_ID_X.lower()}号", PARTY_ID_X.lower(),
                     id="R9.1-GD-GS14-id-lowercase-x"),
        pytest.param("电话13800138000。", "13800138000", id="R3.1-GD-GS14-mobile-plain"),
        pytest.param("电话138-0013-8000", "138-0013-8000", id="R3.1-GD-GS14-mobile-dashed"),
        pytest.param("电话 138 0013 8000 ", "138 0013 8000", id="R3.1-GD-GS14-mobile-spaced"),
        pytest.param("电话+86 138 0013 8000", "+86 138 0013 8000",
                     id="R3.1-GD-GS14-mobile-plus86"),
        pytest.param("电话008613800138000", "008613800138000", id="R3.1-GD-GS14-mobile-0086"),
        pytest.param("电话１３８００１３８０００", "１３８００１３８０００",
                     id="R3.1-GD-GS14-mobile-fullwidth"),
        pytest.param("电话021-61234567", "021-61234567", id="R3.1-GD-GS14-landline-021"),
        pytest.param("电话(021)6123 4567", "(021)6123 4567", id="R3.1-GD-GS14-landline-brackets"),
        pytest.param("电话（０２１）６１２３４５６７", "（０２１）６１２３４５６７",
                     id="R3.1-GD-GS14-landline-fullwidth-brackets"),
        pytest.param("电话0571-8765432", "0571-8765432", id="R3.1-GD-GS14-landline-4-digit-area"),
        pytest.param(f"账号{PARTY_CARD}", PARTY_CARD, id="R3.1-GD-GS14-bank-card-plain"),
        pytest.param(f"账号 {spaced(PARTY_CARD)}", spaced(PARTY_CARD),
                     id="R3.1-GD-GS14-bank-card-spaced"),
        pytest.param("邮箱zhang.san@example.com。", "zhang.san@example.com",
                     id="R3.1-GD-GS14-email"),
        pytest.param("邮箱ｚｈａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ", "ｚｈａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ",
                     id="R3.1-GD-GS14-email-fullwidth"),
    ],
)
def test_detected(text, expected):
    assert expected in {hit[0] for hit in found(text)}


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(f"统一社会信用代码{ORG_USCC}", id="R9.2-credit-code"),
        pytest.param(f"统一社会信用代码：{PUDONG_USCC}", id="R9.2-credit-code-pudong"),
        pytest.param("沪浦环罚〔2026〕12号", id="R9.3-document-number"),
        pytest.param("罚款人民币500000.00元", id="R4.3-amount"),
        pytest.param("罚款 13900000000 元", id="R4.3-amount-looks-like-mobile"),
        pytest.param("货值¥13900000000", id="R4.3-amount-currency-sign"),
        pytest.param("2026年11月20日、2026-11-20", id="R4.3-dates"),
        pytest.param("《大气污染防治法》第一百零八条第一项、第99条", id="R4.2-article-numbers"),
        pytest.param("颗粒物浓度35.6mg/m³，化学需氧量 120 mg/L，pH 6.5", id="R4.2-monitoring-values"),
        pytest.param(f"编号{WRONG_CHECK_ID}", id="R9.1-18-digits-wrong-check"),
        pytest.param("编号622202123456789", id="R3.1-15-digits-bank-like"),
        pytest.param(f"编号{PARTY_CARD[:-1]}{(int(PARTY_CARD[-1]) + 1) % 10}",
                     id="R3.1-19-digits-luhn-fails"),
        pytest.param(f"ID{PARTY_ID}A", id="R9.1-touching-letters"),
    ],
)
def test_not_detected(text):
    assert found(text) == []


def test_neighbouring_numbers_are_found_separately():
    """R3.1: a landline and a mobile number side by side, each found, no card made of both."""
    assert found("电话 021 61234567 13800138000") == [
        ("021 61234567", "phone", "landline"), ("13800138000", "phone", "mobile"),
    ]


def test_wrong_check_digit_fixture_passes_luhn():
    """Precondition of R9.1-18-digits-wrong-check: the number passes Luhn, so the test
    shows that an ID-shaped number with a wrong check character is not taken for a card."""
    assert luhn_valid(WRONG_CHECK_ID)


def test_id_born_after_today_is_no_id():
    """R9.1: the date of birth must not be in the future (validate_id_number)."""
    from .helpers import make_id

    future = make_id("31011520270101123")
    assert found(future) == []


@pytest.mark.parametrize(
    ("digits", "valid"),
    [("79927398713", True), ("79927398710", False), (PARTY_CARD, True), ("12a4", False)],
    ids=["iso7812-example", "iso7812-wrong", "card-fixture", "not-digits"],
)
def test_luhn(digits, valid):
    assert luhn_valid(digits) is valid


def test_credit_codes_are_listed_as_protected_spans():
    """R9.2: valid credit codes are public data; an invalid one is not protected."""
    text = f"A {ORG_USCC} B {PUDONG_USCC} C 91310000717854505X"
    spans = credit_code_spans(normalize(text))
    assert [text[a:b] for a, b in spans] == [ORG_USCC, PUDONG_USCC]
