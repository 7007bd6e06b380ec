"""Normalized views of a text with a map back to the original offsets. Pure: no Django.

Detection runs on normalized text; marks must point at the *original* text. A
:class:`TextView` keeps, for every character of the normalized text, the index of the
original character it came from, so a match ``[a, b)`` in the view is the original span
``view.span(a, b)`` (many at once: ``view.spans(pairs)``).

* :func:`normalize` — each character NFKC-normalized (full-width digits, letters, ``＠``,
  ``（）``, the ideographic space → ASCII) and uppercased (``x`` → ``X`` in ID numbers). One
  original character may become several (``㎎`` → ``MG``): all map to it.
* :func:`compact` — the normalized view without separators (:data:`SEPARATORS`: white
  space, hyphens and dashes, dots, middle dots, underscores, brackets), so
  ``3101 0119-9001.0112 34`` and ``张 三`` read ``310101199001011234`` and ``张三``.
  Known values are compared in this form (:func:`compact_value`).

How it stays fast on long texts: the characters that normalization changes are known in
advance (a table of the Basic Multilingual Plane built once, on first use), so
:func:`normalize` only rewrites the runs of such characters and keeps the rest of the text
as it is; when no character expands, the map back is the identity (a ``range``). A compact
view does not store one offset per character either: it keeps where each run of separators
was cut out (:class:`CompactOrigin`) and finds an offset by bisection.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import accumulate

__all__ = ["SEPARATORS", "CompactOrigin", "TextView", "compact", "compact_value", "normalize"]

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
    """``text`` derived from ``original``; ``origin[i]`` is the original index of ``text[i]``.

    ``origin`` is a ``range`` when the view is the original one to one, a tuple when some
    character expanded, a :class:`CompactOrigin` for a compact view with separators cut out.
    """

    original: str
    text: str
    origin: Sequence[int]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span covering view characters ``[start, end)`` (``end > start``)."""
        return self.origin[start], self.origin[end - 1] + 1

    def spans(self, pairs: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
        """:meth:`span` of each ``(start, end)`` of ``pairs``, in order."""
        origin = self.origin
        if isinstance(origin, CompactOrigin):
            return origin.spans(pairs)
        if _is_identity(origin):
            return list(pairs)
        return [(origin[a], origin[b - 1] + 1) for a, b in pairs]


def _is_identity(origin: Sequence[int]) -> bool:
    return isinstance(origin, range) and origin.start == 0 and origin.step == 1


class CompactOrigin(Sequence[int]):
    """The map of a compact view back to the original text, without one entry per character.

    ``cuts[k]`` is the compact offset at which the ``k``-th run of separators was cut out
    and ``shifts[k + 1]`` the number of view characters cut out up to and including it, so
    compact offset ``i`` is view offset ``i + shifts[bisect_right(cuts, i)]``; ``base`` maps
    the view to the original (the normalized view's own origin).
    """

    __slots__ = ("_base", "_cuts", "_identity", "_length", "_shifts")

    def __init__(self, cuts: list[int], shifts: list[int], base: Sequence[int], length: int):
        self._cuts = cuts
        self._shifts = shifts
        self._base = base
        self._identity = _is_identity(base)
        self._length = length

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return tuple(self[i] for i in range(*index.indices(self._length)))
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError("CompactOrigin index out of range")
        return self._base[index + self._shifts[bisect_right(self._cuts, index)]]

    def spans(self, pairs: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
        """Original spans of compact spans ``(start, end)``, ``end > start``."""
        cuts, shifts = self._cuts, self._shifts
        view = [(a + shifts[bisect_right(cuts, a)], b + shifts[bisect_right(cuts, b - 1)])
                for a, b in pairs]
        if self._identity:
            return view
        base = self._base
        return [(base[a], base[b - 1] + 1) for a, b in view]


def _normalize_char(ch: str) -> str:
    return unicodedata.normalize("NFKC", ch).upper()


#: Blocks in which NFKC + uppercasing changes no character (CJK ideographs, Hangul
#: syllables, surrogates): left out of the table (a test checks every character).
STABLE_BLOCKS = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xAC00, 0xD7A3), (0xD800, 0xDFFF))
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


@cache
def _changes() -> tuple[re.Pattern[str], dict[int, str]]:
    """The characters normalization changes: a pattern of their runs (every character
    outside the BMP included: those are looked up when met) and the ``str.translate``
    table of the BMP ones.

    Built once: every BMP character outside :data:`STABLE_BLOCKS` is normalized in one
    call, joined by NUL (a starter that composes with nothing, so each character is
    normalized on its own) and split again.
    """
    points = [cp for cp in range(1, 0x10000)
              if not any(lo <= cp <= hi for lo, hi in STABLE_BLOCKS)]
    chars = [chr(cp) for cp in points]
    normalized = unicodedata.normalize("NFKC", "\0".join(chars)).upper().split("\0")
    if len(normalized) != len(chars):  # pragma: no cover - a NUL inside a normalization
        normalized = [_normalize_char(ch) for ch in chars]
    table = {ord(ch): out for ch, out in zip(chars, normalized, strict=True) if out != ch}
    ranges: list[list[int]] = []
    for cp in sorted(table):
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    cls = "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "")
                  for a, b in ranges)
    char = f"[{cls}\U00010000-\U0010ffff]"
    # Not "{char}+": with the first character written apart, the scan skips to it.
    pattern = re.compile(f"({char}{char}*)")
    return pattern, table


@lru_cache(maxsize=4096)
def _normalize_point(cp: int) -> str:
    return _normalize_char(chr(cp))


def _rewrite(text: str) -> tuple[list[str], list[str], dict[int, str]]:
    """``text`` split into runs left as they are (even positions) and runs normalization
    may change (odd positions); the normalized form of the latter; the table used."""
    pattern, table = _changes()
    parts = pattern.split(text)
    if len(parts) == 1:
        return parts, [], table
    joined = "\0".join(parts[1::2])
    if _ASTRAL.search(joined):  # rare: a table of just the characters of these runs
        table = {cp: table[cp] if cp in table else _normalize_point(cp)
                 for cp in map(ord, set(joined))}
    return parts, joined.translate(table).split("\0"), table


def _normalized(text: str) -> str:
    parts, changed, _ = _rewrite(text)
    if not changed:
        return text
    parts[1::2] = changed
    return "".join(parts)


def normalize(text: str) -> TextView:
    """NFKC + uppercase, character by character, keeping the map to the original."""
    parts, changed, table = _rewrite(text)
    if not changed:
        return TextView(text, text, range(len(text)))
    runs = parts[1::2]
    parts[1::2] = changed
    normalized = "".join(parts)
    if len(normalized) == len(text):  # every character became exactly one: the identity map
        return TextView(text, normalized, range(len(text)))
    origin: list[int] = []
    pos = 0
    for k, run in enumerate(runs):
        kept = len(parts[2 * k])
        origin.extend(range(pos, pos + kept))
        pos += kept
        for ch in run:
            origin.extend([pos] * len(table.get(ord(ch), ch)))
            pos += 1
    origin.extend(range(pos, pos + len(parts[-1])))
    return TextView(text, normalized, tuple(origin))


_SEPARATOR = "[" + "".join(re.escape(ch) for ch in sorted(SEPARATORS)) + "]"
_SEPARATOR_RUN = re.compile(f"{_SEPARATOR}{_SEPARATOR}*")  # not "+": see _changes()
_SEPARATOR_SPLIT = re.compile(f"({_SEPARATOR_RUN.pattern})")


def compact(view: TextView) -> TextView:
    """``view`` without :data:`SEPARATORS`; offsets still map to ``view.original``."""
    parts = _SEPARATOR_SPLIT.split(view.text)  # kept, cut, kept, cut, …, kept
    if len(parts) == 1:
        return TextView(view.original, view.text, view.origin)
    kept = parts[0::2]
    cuts = list(accumulate(map(len, kept[:-1])))
    shifts = [0, *accumulate(map(len, parts[1::2]))]
    compacted = "".join(kept)
    return TextView(view.original, compacted,
                    CompactOrigin(cuts, shifts, view.origin, len(compacted)))


def compact_value(value: str) -> str:
    """The compact form of a value: what :func:`compact` makes of it."""
    return _SEPARATOR_RUN.sub("", _normalized(value))
