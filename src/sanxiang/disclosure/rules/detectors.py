"""Pattern detectors for personal data in free text, validated where a check exists.

Pure: imports no Django; the ID check is :func:`sanxiang.core.identifiers.is_valid_id_number`.
Detectors read a :class:`~.textview.TextView` (NFKC + uppercase) and return spans of the
*original* text.

Numbers are found as **chains**: digits, possibly joined by one or two separators (space,
hyphen or dash, bracket — ``138 0013 8000``, ``(021) 6123-4567``, ``+86 138…``), not touching
a letter or digit on either side. Each run of consecutive groups of a chain is a candidate:

* **ID number** (GB 11643-1999, RULES.md R9.1): 18 characters passing the check character
  and a real date of birth. An 18-digit number with a wrong check character is no ID.
* **mobile number**: ``1[3-9]`` + 9 digits, optionally after ``+86``/``0086``.
* **landline** with area code: ``010``/``02x`` + 8 digits or ``0[3-9]xx`` + 7–8 digits, the
  local number starting 2–9.
* **bank card**: 16–19 digits, not starting with 0, passing Luhn; written as one group or in
  groups of four (a card is printed that way; two neighbouring numbers are not a card). An
  18-digit number shaped like an ID number (a real date in positions 7–14) whose check
  character is wrong is neither an ID nor a card: one in ten such numbers passes Luhn, and
  18-digit cards are rare.

Not numbers of these kinds, hence kept: a chain followed by a decimal part or a unit
(``500000.00元``, ``35.6mg/m³``, ``15%``), dates, article and document numbers
(``沪浦环罚〔2026〕12号``: the groups are short), and anything touching a letter — which keeps
unified social credit codes (``91310000717854505W``) whole. :func:`credit_code_spans`
lists valid credit codes so the engine can protect them from partial-number matches too.

Not detected by pattern (only as values the case holds): names, addresses, health
information, 15-digit old ID numbers, local numbers without area code, bank accounts that
are not Luhn-valid cards, numbers written in Chinese numerals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sanxiang.core.identifiers import is_valid_id_number, is_valid_uscc

from .policy import BANK_ACCOUNT, EMAIL, ID_NUMBER, PHONE
from .textview import TextView

__all__ = [
    "DETECTORS",
    "Hit",
    "credit_code_spans",
    "find_emails",
    "find_numbers",
    "luhn_valid",
]

#: Detector name → description (goes into the redaction report as the reason).
DETECTORS = {
    "gb11643": "GB 11643-1999 ID number (check character and date of birth valid)",
    "mobile": "mainland mobile number",
    "landline": "landline number with area code",
    "luhn": "bank card number (16-19 digits, Luhn check valid)",
    "email": "e-mail address",
}


@dataclass(frozen=True, slots=True)
class Hit:
    """A detected span of the original text."""

    start: int
    end: int
    category: str
    detector: str


_LUHN_DOUBLE = str.maketrans("0123456789", "0246813579")  # 2d, less 9 above 9


def luhn_valid(digits: str) -> bool:
    """ISO/IEC 7812 Luhn check over a string of digits."""
    if not digits.isdigit():
        return False
    if digits.isascii():  # every other digit from the right doubled, through a table
        backwards = digits[::-1]
        doubled = backwards[1::2].translate(_LUHN_DOUBLE)
        return (sum(map(int, backwards[0::2])) + sum(map(int, doubled))) % 10 == 0
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


_SEP = " \t\u00a0\u2009\u202f\\-\u2010\u2011\u2012\u2013\u2014\u2212()"
_CHAIN = re.compile(
    rf"(?<![0-9A-Z+])[+(]?\d(?:[{_SEP}]{{1,2}}\+?\d|\d)*(?:[{_SEP}]{{0,2}}X)?(?![0-9A-Z])"
)


def _chain_region() -> re.Pattern[str]:
    """Stretches of at least ``_MIN_DIGITS`` characters a chain may hold — every chain
    worth reading lies inside one, and one fast scan skips the rest of the text.

    The class holds every character of ``_CHAIN`` (and more: all characters outside the
    BMP): the decimal digits of the BMP are listed as ranges rather than as ``\\d``, whose
    per-character category test makes the scan take about twice as long. The first
    character is written apart so the scan can skip ahead to it.
    """
    digits = sorted(map(ord, re.findall(r"\d", "".join(map(chr, range(0x10000))))))
    ranges: list[list[int]] = []
    for cp in digits:
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    cls = "".join(f"{chr(a)}-{chr(b)}" for a, b in ranges)
    char = f"[{cls}\U00010000-\U0010ffff+X{_SEP}]"
    return re.compile(f"{char}{char}{{{_MIN_DIGITS - 1},}}")


_GROUP = re.compile(r"\+?\d+X?|X")
_AMOUNT_AFTER = re.compile(
    r"\s*(?:[.,]\d|元|角|分|万|亿|%|‰|吨|千克|公斤|克|升|立方|平方|米|倍|分贝|MG|KG|KM|M3|M2|DB)"
)
_AMOUNT_BEFORE = ("¥", "$", "人民币")
_MOBILE = re.compile(r"(?:\+86|0086)?(1[3-9]\d{9})")
_LANDLINE = re.compile(r"0(?:10|2\d)[2-9]\d{7}|0[3-9]\d{2}[2-9]\d{6,7}")
_MAX_DIGITS = 19
_MIN_DIGITS = 11  # the shortest number detected: a mobile or a landline with its area code
_CHAIN_REGION = _chain_region()


def _is_amount(text: str, start: int, end: int) -> bool:
    if _AMOUNT_AFTER.match(text, end):
        return True
    before = text[max(0, start - 16):start].rstrip()  # a bounded look-back: never copy the whole text
    return before.endswith(_AMOUNT_BEFORE)


def _id_shaped(value: str) -> bool:
    if len(value) != 18 or not value[:17].isdigit():
        return False
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    return 1900 <= born.year <= 2099


def _classify(groups: list[str], *, today: date | None) -> tuple[str, str] | None:
    value = "".join(groups)
    if len(value) == 18 and "+" not in value and is_valid_id_number(value, today=today):
        return ID_NUMBER, "gb11643"
    if "X" in value:
        return None
    if _MOBILE.fullmatch(value):
        return PHONE, "mobile"
    if "+" in value:
        return None
    if _LANDLINE.fullmatch(value):
        return PHONE, "landline"
    if 16 <= len(value) <= _MAX_DIGITS and value[0] != "0" and luhn_valid(value) and (
        len(groups) == 1 or all(len(g) == 4 for g in groups[:-1])
    ) and not _id_shaped(value):
        return BANK_ACCOUNT, "luhn"
    return None


def find_numbers(view: TextView, *, today: date | None = None) -> list[Hit]:
    """ID numbers, mobile and landline numbers, bank cards (see the module docstring)."""
    text = view.text
    hits: list[Hit] = []
    # Every character of a chain is one of _CHAIN_REGION's, so each chain lies inside one
    # region; a region is followed by a character no chain holds, so reading up to and
    # including it lets the look-ahead see the real text.
    for region in _CHAIN_REGION.finditer(text):
        for chain in _CHAIN.finditer(text, region.start(), region.end() + 1):
            if chain.end() - chain.start() < _MIN_DIGITS:
                continue  # too short to hold any number we detect
            _chain_hits(view, chain, today, hits)
    return hits


def _chain_hits(view: TextView, chain: re.Match[str], today: date | None,
                hits: list[Hit]) -> None:
    """The numbers of one chain: every run of consecutive groups holding 11-19 digits."""
    text = view.text
    whole = chain.group()
    if whole.isalnum():  # digits (and a final X) only: a single group, the whole chain
        if len(whole) <= _MAX_DIGITS:
            _number_hit(view, chain, [whole], chain.start(), chain.end(), 0, today, hits)
        return
    groups = list(_GROUP.finditer(text, chain.start(), chain.end()))
    strings = [g.group() for g in groups]
    lengths = [len(g.lstrip("+")) for g in strings]
    for i in range(len(groups)):
        digits = 0
        for j in range(i, len(groups)):
            digits += lengths[j]
            if digits > _MAX_DIGITS:
                break
            if digits < _MIN_DIGITS:
                continue
            _number_hit(view, chain, strings[i : j + 1], groups[i].start(), groups[j].end(), i,
                        today, hits)


def _number_hit(view: TextView, chain: re.Match[str], groups: list[str], start: int, end: int,
                first: int, today: date | None, hits: list[Hit]) -> None:
    """Add the number the groups ``[start, end)`` of ``chain`` spell, if they are one;
    ``first``: the index of the first group in the chain."""
    found = _classify(groups, today=today)
    if found is None:
        return
    category, detector = found
    text = view.text
    if detector != "gb11643" and _is_amount(text, start, end):
        return
    if (detector == "landline" and first == 0 and chain.group().startswith("(")
            and ")" in text[start:end]):
        start = chain.start()  # (021) 6123 4567: the bracket goes with it
    hits.append(Hit(*view.span(start, end), category, detector))


_EMAIL = re.compile(
    r"(?<![A-Z0-9._%+\-])[A-Z0-9._%+\-]+@[A-Z0-9\-]+(?:\.[A-Z0-9\-]+)*\.[A-Z]{2,}(?![A-Z0-9\-])"
)


_LOCAL_PART = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-")


def find_emails(view: TextView) -> list[Hit]:
    """E-mail addresses (also with a full-width ``＠``).

    Read from each ``@``: the local part is the run of its characters just before it, so
    the one place an address with this ``@`` can start is where that run starts (what a
    scan of the whole text with ``_EMAIL`` finds, without trying every position).
    """
    text = view.text
    hits: list[Hit] = []
    end = 0  # end of the last address: the next one starts at or after it
    at = text.find("@")
    while at >= 0:
        start = at
        while start > end and text[start - 1] in _LOCAL_PART:
            start -= 1
        # No local part, or one running back into the previous address: no address here.
        if start < at and not (start == end and end > 0):
            m = _EMAIL.match(text, start)
            if m is not None:
                hits.append(Hit(*view.span(m.start(), m.end()), EMAIL, "email"))
                end = m.end()
        at = text.find("@", max(at + 1, end))
    return hits


_CODE_RUN = re.compile(r"[0-9A-Z][0-9A-Z]{17,}")  # a maximal run of 18 or more code characters
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def credit_code_spans(view: TextView) -> list[tuple[int, int]]:
    """Original spans of valid unified social credit codes (GB 32100, R9.2) — public data.

    A code is a run of exactly 18 code characters not touching a digit or a letter. An
    all-digit code that is also a valid ID number is *not* listed: personal data wins.
    """
    spans = []
    for m in _CODE_RUN.finditer(view.text):
        code = m.group()
        if (len(code) == 18 and not code.strip(_USCC_CHARS) and is_valid_uscc(code)
                and not is_valid_id_number(code)):
            spans.append(view.span(m.start(), m.end()))
    return spans
