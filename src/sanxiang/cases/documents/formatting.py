"""Text forms of values in enforcement documents (文书中的日期、金额).

Pure: standard library only.

* Dates follow GB/T 9704-2012 §7.3.5.5 (成文日期): Arabic numerals, the full year, month and
  day without padding zeros — ``2026年11月2日`` (not ``2026年11月02日``).
* Amounts in capital numerals (中文大写金额) follow the People's Bank of China rules for filling
  in bills (《支付结算办法》附件一《正确填写票据和结算凭证的基本规定》) and 《会计基础工作规范》
  第五十二条: 壹贰叁肆伍陆柒捌玖拾佰仟万亿 with 元角分; ``整`` after 元 when there are no
  角/分 (it may be omitted after 角, which we do); a zero 角 between 元 and a non-zero 分 is
  written ``零``; runs of zeros inside the integer part are written as one ``零``; ``壹拾``
  keeps its ``壹``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

__all__ = [
    "format_date_cn",
    "format_datetime_cn",
    "format_money",
    "format_money_figures",
    "money_in_words",
    "to_decimal_yuan",
]

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ("", "拾", "佰", "仟")  # within a group of four digits
_CENT = Decimal("0.01")
_LIMIT = 10**16  # up to 仟万亿 (9,999,999,999,999,999.99)


def to_decimal_yuan(amount: Decimal | int | str) -> Decimal:
    """An amount in yuan as an exact Decimal with two places; refuses floats and sub-cent values."""
    if isinstance(amount, bool | float):
        raise TypeError("money must be a Decimal, int or str, never a float or bool")
    if isinstance(amount, int | str):
        try:
            amount = Decimal(str(amount).strip().replace(",", ""))
        except InvalidOperation:
            raise ValueError(f"not an amount of money: {amount!r}") from None
    if not isinstance(amount, Decimal):
        raise TypeError(f"money must be a Decimal, int or str, not {type(amount).__name__}")
    if not amount.is_finite():
        raise ValueError(f"not a finite amount: {amount}")
    if amount < 0:
        raise ValueError(f"negative amount: {amount}")
    quantized = amount.quantize(_CENT)
    if quantized != amount:
        raise ValueError(f"amount has more than two decimal places (分): {amount}")
    if quantized >= _LIMIT:
        raise ValueError(f"amount too large: {amount}")
    return quantized


def _four(n: int) -> str:
    """0 <= n < 10000 → e.g. 1010 → 壹仟零壹拾; 0 → ''."""
    digits = f"{n:04d}"
    out: list[str] = []
    pending_zero = False
    for i, ch in enumerate(digits):
        d = int(ch)
        unit = _SMALL_UNITS[3 - i]
        if d == 0:
            if out:
                pending_zero = True
            continue
        if pending_zero:
            out.append("零")
            pending_zero = False
        out.append(_DIGITS[d] + unit)
    return "".join(out)


def _integer_words(n: int) -> str:
    """0 < n < 10**16 in capital numerals without 元."""
    if n >= 10**8:
        high, rest = divmod(n, 10**8)
        words = _integer_words(high) + "亿"
        if rest:
            words += ("零" if rest < 10**7 else "") + _integer_words(rest)
        return words
    if n >= 10**4:
        high, rest = divmod(n, 10**4)
        words = _four(high) + "万"
        if rest:
            words += ("零" if rest < 10**3 else "") + _four(rest)
        return words
    return _four(n)


def money_in_words(amount: Decimal | int | str) -> str:
    """Capital-numeral amount (中文大写金额): ``Decimal("500000")`` → ``伍拾万元整``.

    ``0`` → 零元整, ``10.50`` → 壹拾元伍角, ``1.05`` → 壹元零伍分, ``0.05`` → 伍分,
    ``1000001.01`` → 壹佰万零壹元零壹分, ``100000000`` → 壹亿元整.
    Raises ``ValueError`` for negative, non-finite, too large or sub-cent amounts and
    ``TypeError`` for floats.
    """
    value = to_decimal_yuan(amount)
    cents = int(value * 100)
    yuan, rest = divmod(cents, 100)
    jiao, fen = divmod(rest, 10)
    if yuan == 0 and rest == 0:
        return "零元整"
    out = _integer_words(yuan) + "元" if yuan else ""
    if rest == 0:
        return out + "整"
    if jiao:
        out += _DIGITS[jiao] + "角"
    elif yuan:
        out += "零"  # 壹元零伍分
    if fen:
        out += _DIGITS[fen] + "分"
    return out


def format_money_figures(amount: Decimal | int | str) -> str:
    """``500000`` → ``500,000.00``."""
    return f"{to_decimal_yuan(amount):,.2f}"


def format_money(amount: Decimal | int | str) -> str:
    """``500000`` → ``500,000.00元（伍拾万元整）``."""
    return f"{format_money_figures(amount)}元（{money_in_words(amount)}）"


def format_date_cn(value: dt.date) -> str:
    """``date(2026, 11, 2)`` → ``2026年11月2日`` (GB/T 9704-2012 §7.3.5.5: 月、日不编虚位)."""
    if isinstance(value, dt.datetime):
        value = value.date()
    return f"{value.year}年{value.month}月{value.day}日"


def format_datetime_cn(value: dt.datetime) -> str:
    """``datetime(2026, 11, 2, 9, 5)`` → ``2026年11月2日9时05分`` (local time as given)."""
    return f"{format_date_cn(value)}{value.hour}时{value.minute:02d}分"
