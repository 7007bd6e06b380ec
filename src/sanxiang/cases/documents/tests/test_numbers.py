"""Document numbers (发文字号) — RULES.md R9.3.

GB/T 9704-2012 §7.2.3: 机关代字 + 年份 + 发文顺序号; year in full, in 六角括号 〔〕; sequence
number without 第 and without padding zeros (1 is not written 01), followed by 号.
"""

import pytest

from sanxiang.cases.documents.numbers import (
    DocumentNumber,
    format_document_number,
    parse_document_number,
)


@pytest.mark.parametrize(
    "prefix, year, seq, text",
    [
        pytest.param("沪环罚", 2026, 12, "沪环罚〔2026〕12号", id="rules-r9.3-example"),
        pytest.param("沪浦环罚", 2026, 12, "沪浦环罚〔2026〕12号", id="district"),
        pytest.param("沪环罚", 2026, 1, "沪环罚〔2026〕1号", id="gbt9704-1-not-01"),
        pytest.param("沪环罚告", 2027, 1005, "沪环罚告〔2027〕1005号", id="four-digit-seq"),
    ],
)
def test_format_and_parse_round_trip(prefix, year, seq, text):
    """GB/T 9704-2012 §7.2.3."""
    assert format_document_number(prefix, year, seq) == text
    assert parse_document_number(text) == DocumentNumber(prefix, year, seq)
    assert str(parse_document_number(text)) == text


def test_brackets_are_u3014_u3015():
    """GB/T 9704-2012 §7.2.3: 六角括号, not square brackets or parentheses."""
    text = format_document_number("沪环罚", 2026, 12)
    assert "\u3014" in text and "\u3015" in text
    assert not set("[]()（）【】") & set(text)


@pytest.mark.parametrize(
    "text, reason",
    [
        pytest.param("沪环罚[2026]12号", "〔〕", id="square-brackets"),
        pytest.param("沪环罚(2026)12号", "〔〕", id="parentheses"),
        pytest.param("沪环罚（2026）12号", "〔〕", id="fullwidth-parentheses"),
        pytest.param("沪环罚【2026】12号", "〔〕", id="lenticular-brackets"),
        pytest.param("沪环罚〔2026〕012号", "leading zeros", id="leading-zero"),
        pytest.param("沪环罚〔2026〕0号", "leading zeros", id="zero"),
        pytest.param("沪环罚〔2026〕第12号", "第", id="di"),
        pytest.param("沪环罚〔26〕12号", "", id="two-digit-year"),
        pytest.param("沪环罚〔２０２６〕12号", "", id="fullwidth-digits"),
        pytest.param("沪环罚〔2026〕12", "号", id="no-hao"),
        pytest.param("〔2026〕12号", "", id="no-prefix"),
        pytest.param(" 沪环罚〔2026〕12号", "whitespace", id="leading-space"),
        pytest.param("沪环罚〔2026〕12号\n", "whitespace", id="trailing-newline"),
        pytest.param("沪环 罚〔2026〕12号", "", id="space-in-prefix"),
        pytest.param("沪〔环〕罚〔2026〕12号", "brackets", id="bracket-in-prefix"),
        pytest.param("", "", id="empty"),
    ],
)
def test_parse_refuses(text, reason):
    """GB/T 9704-2012 §7.2.3; RULES.md R9.3 pattern."""
    with pytest.raises(ValueError) as excinfo:
        parse_document_number(text)
    assert reason in str(excinfo.value)


@pytest.mark.parametrize(
    "prefix, year, seq",
    [
        pytest.param("", 2026, 1, id="empty-prefix"),
        pytest.param("沪环罚", 26, 1, id="two-digit-year"),
        pytest.param("沪环罚", 2026, 0, id="zero-seq"),
        pytest.param("沪环罚", 2026, -3, id="negative-seq"),
        pytest.param("沪环罚", 2026, "12", id="seq-as-string"),
        pytest.param("沪环罚", 2026, True, id="seq-bool"),
        pytest.param("沪环罚第", 2026, 12, id="prefix-ends-with-di"),
        pytest.param("沪环 罚", 2026, 12, id="space"),
        pytest.param("沪环罚[", 2026, 12, id="bracket"),
    ],
)
def test_format_refuses(prefix, year, seq):
    with pytest.raises(ValueError):
        format_document_number(prefix, year, seq)
