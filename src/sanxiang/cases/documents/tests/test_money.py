"""Capital-numeral amounts (中文大写金额).

Rules: 中国人民银行《支付结算办法》附件一《正确填写票据和结算凭证的基本规定》 and
《会计基础工作规范》第五十二条 — 整 after 元 when there is no 角/分 (optional after 角, omitted
here); 零 for a zero 角 before a non-zero 分; one 零 for a run of zeros inside the integer part;
壹拾 keeps its 壹.
"""

from decimal import Decimal

import pytest

from sanxiang.cases.documents.formatting import format_money, format_money_figures, money_in_words
from sanxiang.cases.documents.render import money_in_words as reexported


@pytest.mark.parametrize(
    "amount, words",
    [
        pytest.param("0", "零元整", id="zero"),
        pytest.param("0.00", "零元整", id="zero-cents"),
        pytest.param("0.05", "伍分", id="fen-only"),
        pytest.param("0.50", "伍角", id="jiao-only"),
        pytest.param("0.15", "壹角伍分", id="jiao-fen"),
        pytest.param("1", "壹元整", id="one"),
        pytest.param("1.05", "壹元零伍分", id="zero-jiao-gets-ling"),
        pytest.param("1.50", "壹元伍角", id="jiao-no-zheng"),
        pytest.param("10", "壹拾元整", id="ten-keeps-yi"),
        pytest.param("10.50", "壹拾元伍角", id="ten-fifty"),
        pytest.param("15", "壹拾伍元整", id="fifteen"),
        pytest.param("101", "壹佰零壹元整", id="inner-zero"),
        pytest.param("110", "壹佰壹拾元整", id="trailing-zero"),
        pytest.param("1001", "壹仟零壹元整", id="two-inner-zeros-one-ling"),
        pytest.param("1010", "壹仟零壹拾元整", id="zero-then-ten"),
        pytest.param("1680.32", "壹仟陆佰捌拾元叁角贰分", id="pboc-example"),
        pytest.param("10000", "壹万元整", id="wan"),
        pytest.param("10001", "壹万零壹元整", id="wan-ling-yi"),
        pytest.param("10100", "壹万零壹佰元整", id="wan-ling-bai"),
        pytest.param("11000", "壹万壹仟元整", id="wan-qian"),
        pytest.param("100010", "壹拾万零壹拾元整", id="shi-wan-ling-shi"),
        pytest.param("200000", "贰拾万元整", id="mee30-hearing-threshold"),
        pytest.param("500000", "伍拾万元整", id="fine-500k"),
        pytest.param("500000.00", "伍拾万元整", id="fine-500k-cents"),
        pytest.param("1000000", "壹佰万元整", id="one-million"),
        pytest.param("1000001.01", "壹佰万零壹元零壹分", id="million-and-one-fen"),
        pytest.param("1010000", "壹佰零壹万元整", id="inner-zero-in-wan-group"),
        pytest.param("12345678.90", "壹仟贰佰叁拾肆万伍仟陆佰柒拾捌元玖角", id="all-digits"),
        pytest.param("100000000", "壹亿元整", id="yi"),
        pytest.param("100001000", "壹亿零壹仟元整", id="yi-ling-qian"),
        pytest.param("100100000", "壹亿零壹拾万元整", id="yi-ling-shi-wan"),
        pytest.param("110000000", "壹亿壹仟万元整", id="yi-qian-wan"),
        pytest.param("1000000000000", "壹万亿元整", id="wan-yi"),
        pytest.param(
            "9999999999999999.99",
            "玖仟玖佰玖拾玖万玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分",
            id="max",
        ),
    ],
)
def test_money_in_words(amount, words):
    assert money_in_words(Decimal(amount)) == words


def test_int_and_str_accepted():
    assert money_in_words(500000) == "伍拾万元整"
    assert money_in_words("1,000,001.01") == "壹佰万零壹元零壹分"
    assert reexported(Decimal("1.05")) == "壹元零伍分"


@pytest.mark.parametrize(
    "amount",
    [
        pytest.param(Decimal("-1"), id="negative"),
        pytest.param(Decimal("0.001"), id="sub-fen"),
        pytest.param(Decimal("10.505"), id="three-places"),
        pytest.param(Decimal("NaN"), id="nan"),
        pytest.param(Decimal("Infinity"), id="infinity"),
        pytest.param(Decimal("10000000000000000"), id="too-large"),
        pytest.param("abc", id="not-a-number"),
    ],
)
def test_money_in_words_refuses(amount):
    with pytest.raises(ValueError):
        money_in_words(amount)


@pytest.mark.parametrize("amount", [1.5, True])
def test_floats_and_bools_refused(amount):
    with pytest.raises(TypeError):
        money_in_words(amount)


@pytest.mark.parametrize(
    "amount, figures, text",
    [
        ("500000", "500,000.00", "500,000.00元（伍拾万元整）"),
        ("0", "0.00", "0.00元（零元整）"),
        ("1234.5", "1,234.50", "1,234.50元（壹仟贰佰叁拾肆元伍角）"),
        ("100000000", "100,000,000.00", "100,000,000.00元（壹亿元整）"),
    ],
)
def test_format_money(amount, figures, text):
    assert format_money_figures(Decimal(amount)) == figures
    assert format_money(Decimal(amount)) == text
