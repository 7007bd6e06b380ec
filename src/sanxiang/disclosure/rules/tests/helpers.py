"""Test values built with their check characters (GB 11643, GB 32100, Luhn)."""

from __future__ import annotations

from sanxiang.core.identifiers import id_check_char, org_code_check_char, uscc_check_char


def make_id(first17: str) -> str:
    """A valid resident ID number (GB 11643-1999, RULES.md R9.1)."""
    return first17 + id_check_char(first17)


def make_uscc(first8: str, org_body: str) -> str:
    """A valid unified social credit code (GB 32100-2015, RULES.md R9.2)."""
    head = first8 + org_body + org_code_check_char(org_body)
    return head + uscc_check_char(head)


def luhn_complete(body: str) -> str:
    """``body`` + its Luhn check digit (ISO/IEC 7812)."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return body + str((10 - total % 10) % 10)


def id_with_x() -> str:
    """A valid ID number whose check character is X."""
    for seq in range(1000):
        head = f"31010119850315{seq:03d}"
        if id_check_char(head) == "X":
            return head + "X"
    raise AssertionError("unreachable")


PARTY_ID = make_id("31011519900101123")  # Pudong (310115), born 1990-01-01
PARTY_ID_X = id_with_x()
PARTY_PHONE = "13800138000"
PARTY_LANDLINE = "021-61234567"
PARTY_CARD = luhn_complete("622202123456789012")  # 19 digits, Luhn-valid
ORG_ACCOUNT = "31001587420050093716"  # a 20-digit corporate account, not Luhn-valid
PARTY_EMAIL = "zhang.san@example.com"
PARTY_ADDRESS = "上海市浦东新区张江镇张江路100弄5号301室"
HEALTH = "患有慢性肾病"
WITNESS = "李四"
PUDONG_USCC = make_uscc("91310115", "MA1K4L7A")  # contains 310115 like PARTY_ID
ORG_USCC = "91310000717854505W"  # RULES.md R9.2, verified example


def spaced(digits: str, group: int = 4, sep: str = " ") -> str:
    return sep.join(digits[i : i + group] for i in range(0, len(digits), group))


def fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)
