"""Normalized views of a text with a map back to the original offsets. Pure: no Django.

Detection runs on normalized text; marks must point at the *original* text. A
:class:`TextView` keeps, for every character of the normalized text, the index of the
original character it came from, so a match ``[a, b)`` in the view is the original span
``view.span(a, b)``.

* :func:`normalize` — each character NFKC-normalized (full-width digits, letters, ``＠``,
  ``（）``, the ideographic space → ASCII) and uppercased (``x`` → ``X`` in ID numbers). One
  original character may become several (``㎎`` → ``MG``): all map to it.
* :func:`compact` — the normalized view without separators (:data:`SEPARATORS`: white
  space, hyphens and dashes, dots, middle dots, underscores, brackets), so
  ``3101 0119-9001.0112 34`` and ``张 三`` read ``310101199001011234`` and ``张三``.
  Known values are compared in this form (:func:`compact_value`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["SEPARATORS", "TextView", "compact", "compact_value", "normalize"]

#: Characters ignored when a known value is looked for (after NFKC: U+3000 is a space,
#: ``－`` a hyphen-minus, ``（）`` are ``()``).
SEPARATORS = frozenset(
    " \t\r\n\v\f\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u200b\u202f\u205f\u3000"  # spaces (some survive NFKC only as themselves)
    "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63"  # hyphens, dashes, minus
    ".\u00b7\u2022\u2027\u30fb\uff65"  # dots, middle dots
    "_()"
)


@dataclass(frozen=True, slots=True)
class TextView:
    """``text`` derived from ``original``; ``origin[i]`` is the original index of ``text[i]``."""

    original: str
    text: str
    origin: Sequence[int]  # a tuple, or a range when the view is the original one to one

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span covering view characters ``[start, end)`` (``end > start``)."""
        return self.origin[start], self.origin[end - 1] + 1


def _normalize_char(ch: str) -> str:
    return unicodedata.normalize("NFKC", ch).upper()


#: Memo of `_normalize_char` as a `str.translate` table (characters seen so far; bounded).
_TABLE: dict[int, str] = {}
_TABLE_MAX = 200_000
_SEPARATOR_RUNS = re.compile("[^" + "".join(re.escape(ch) for ch in sorted(SEPARATORS)) + "]+")


def _table_for(text: str) -> dict[int, str]:
    missing = [ch for ch in set(text) if ord(ch) not in _TABLE]
    if missing:
        if len(_TABLE) + len(missing) > _TABLE_MAX:
            _TABLE.clear()
        _TABLE.update((ord(ch), _normalize_char(ch)) for ch in missing)
    return _TABLE


def normalize(text: str) -> TextView:
    """NFKC + uppercase, character by character, keeping the map to the original."""
    table = _table_for(text)
    normalized = text.translate(table)
    if len(normalized) == len(text):  # every character became exactly one: the identity map
        return TextView(text, normalized, range(len(text)))
    chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        for out in table[ord(ch)]:
            chars.append(out)
            origin.append(i)
    return TextView(text, "".join(chars), tuple(origin))


def compact(view: TextView) -> TextView:
    """``view`` without :data:`SEPARATORS`; offsets still map to ``view.original``."""
    parts: list[str] = []
    origin: list[int] = []
    for m in _SEPARATOR_RUNS.finditer(view.text):
        parts.append(m.group())
        origin.extend(view.origin[m.start():m.end()])
    return TextView(view.original, "".join(parts), tuple(origin))


def compact_value(value: str) -> str:
    """The compact form of a value: what :func:`compact` makes of it."""
    return "".join(_SEPARATOR_RUNS.findall(value.translate(_table_for(value))))
