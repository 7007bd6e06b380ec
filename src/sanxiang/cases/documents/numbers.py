"""Document numbers (发文字号, 文号) — RULES.md R9.3, GB/T 9704-2012 §7.2.3.

GB/T 9704-2012 §7.2.3: the number consists of the agency's code (机关代字), the year and the
sequence number; year and sequence in Arabic numerals; the year in full and enclosed in
六角括号 ``〔〕`` (U+3014, U+3015); the sequence number takes no ``第`` and no padding zeros
(1 is not written 01) and is followed by ``号``. Example: ``沪环罚〔2026〕12号``.

Pure: standard library only.
"""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = ["DocumentNumber", "format_document_number", "parse_document_number"]

LEFT = "\u3014"  # 〔
RIGHT = "\u3015"  # 〕

# RULES.md R9.3, with ASCII digits only (``\d`` would also accept full-width ２０２６).
_PATTERN = re.compile(r"(?P<prefix>\S+?)\u3014(?P<year>[0-9]{4})\u3015(?P<seq>[1-9][0-9]*)号")

# Look-alike brackets people type instead of 〔〕.
_WRONG_BRACKETS = "[]()（）【】［］〈〉《》{}「」"


class DocumentNumber(NamedTuple):
    prefix: str
    year: int
    seq: int

    def __str__(self) -> str:
        return format_document_number(self.prefix, self.year, self.seq)


def _check_prefix(prefix: object) -> str:
    if not isinstance(prefix, str) or not prefix:
        raise ValueError("document number prefix (机关代字) must be a non-empty string")
    if any(ch.isspace() for ch in prefix):
        raise ValueError(f"document number prefix contains whitespace: {prefix!r}")
    if LEFT in prefix or RIGHT in prefix or any(ch in _WRONG_BRACKETS for ch in prefix):
        raise ValueError(f"document number prefix contains brackets: {prefix!r}")
    if prefix.endswith("第"):
        raise ValueError(f"document number takes no 第 (GB/T 9704-2012 §7.2.3): {prefix!r}")
    return prefix


def format_document_number(prefix: str, year: int, seq: int) -> str:
    """``("沪浦环罚", 2026, 12)`` → ``沪浦环罚〔2026〕12号``."""
    _check_prefix(prefix)
    for name, value in (("year", year), ("seq", seq)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"document number {name} must be an int, got {value!r}")
    if not 1000 <= year <= 9999:
        raise ValueError(f"document number year must have four digits, got {year}")
    if seq < 1:
        raise ValueError(f"document number sequence must be positive, got {seq}")
    return f"{prefix}{LEFT}{year}{RIGHT}{seq}号"


def parse_document_number(text: str) -> DocumentNumber:
    """Parse ``沪环罚〔2026〕12号``; ``ValueError`` names what is wrong.

    Refused: ``[2026]``/``(2026)``/``（2026）``/``【2026】`` brackets, a two-digit year, leading
    zeros (``012号``), ``第12号``, full-width digits, surrounding whitespace.
    """
    if not isinstance(text, str):
        raise ValueError(f"document number must be a string, got {type(text).__name__}")
    match = _PATTERN.fullmatch(text)
    if match is None:
        raise ValueError(_explain(text))
    prefix = match["prefix"]
    _check_prefix(prefix)
    return DocumentNumber(prefix, int(match["year"]), int(match["seq"]))


def _explain(text: str) -> str:
    base = f"not a document number of the form 沪环罚〔2026〕12号: {text!r}"
    if text != text.strip():
        return base + " (surrounding whitespace)"
    if LEFT not in text or RIGHT not in text:
        return base + " (the year must be enclosed in 六角括号 〔〕 U+3014/U+3015)"
    if "第" in text.split(RIGHT, 1)[-1]:
        return base + " (no 第 before the sequence number)"
    tail = text.split(RIGHT, 1)[-1]
    if tail[:1] == "0" or tail[:1] == "０":
        return base + " (no leading zeros in the sequence number)"
    if not text.endswith("号"):
        return base + " (must end with 号)"
    return base
