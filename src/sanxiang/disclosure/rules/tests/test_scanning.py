"""The fast paths of the engine agree with the plain definitions they stand for.

Each scan below skips work the plain definition would do (a table of the characters
normalization changes, a compact view without one offset per character, regions of the
text where numbers can be, e-mails read from their ``@``, partial numbers worked out per
run of digits, two prepared SHA-256 states for the HMAC); these tests hold each to a
straightforward reference.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanxiang.disclosure.rules import detectors, textview
from sanxiang.disclosure.rules.detectors import (
    credit_code_spans,
    find_emails,
    find_numbers,
    luhn_valid,
)
from sanxiang.disclosure.rules.policy import DEFAULT_POLICY, ID_NUMBER, PHONE
from sanxiang.disclosure.rules.redaction import (
    KnownValue,
    _cached_matcher,
    _hmac_sha256,
    _known_index,
    redact,
)
from sanxiang.disclosure.rules.textview import (
    STABLE_BLOCKS,
    CompactOrigin,
    TextView,
    compact,
    compact_value,
    normalize,
)

from .helpers import ORG_USCC, PARTY_CARD, PARTY_ID, PARTY_ID_X

TODAY = date(2026, 11, 20)


def _char(ch: str) -> str:
    return unicodedata.normalize("NFKC", ch).upper()


# ------------------------------------------------------------------------ textview


def reference_normalize(text: str) -> TextView:
    chars, origin = [], []
    for i, ch in enumerate(text):
        for out in _char(ch):
            chars.append(out)
            origin.append(i)
    return TextView(text, "".join(chars), tuple(origin))


def reference_compact(view: TextView) -> TextView:
    kept = [i for i, ch in enumerate(view.text) if ch not in textview.SEPARATORS]
    return TextView(view.original, "".join(view.text[i] for i in kept),
                    tuple(view.origin[i] for i in kept))


def test_the_stable_blocks_are_left_alone_by_normalization():
    for lo, hi in STABLE_BLOCKS:
        for cp in range(lo, hi + 1):
            assert _char(chr(cp)) == chr(cp), hex(cp)


def test_every_bmp_character_normalizes_as_on_its_own():
    text = "".join(map(chr, range(0x10000)))
    view = normalize(text)
    expected = reference_normalize(text)
    assert view.text == expected.text
    assert tuple(view.origin) == expected.origin


TEXT = st.text(
    alphabet=st.sampled_from(
        list("ab xX09０９（）()-－·.．_\u3000\t\n张三号㎎①ﬁß\u0301é")
        + ["\U0001d400", "\U0001d7d9", "\U0001f600", "\U00020000"]
    ),
    max_size=40,
)


@settings(max_examples=400, deadline=None)
@given(text=TEXT)
def test_normalize_and_compact_agree_with_the_character_by_character_definition(text):
    view = normalize(text)
    expected = reference_normalize(text)
    assert view.text == expected.text
    assert tuple(view.origin) == expected.origin
    cview = compact(view)
    cexpected = reference_compact(expected)
    assert cview.text == cexpected.text
    assert tuple(cview.origin) == cexpected.origin
    assert len(cview.origin) == len(cexpected.origin)
    assert compact_value(text) == cexpected.text
    pairs = [(a, b) for a in range(len(cview.text)) for b in range(a + 1, len(cview.text) + 1)]
    assert cview.spans(pairs) == [cexpected.span(a, b) for a, b in pairs]
    assert [cview.span(a, b) for a, b in pairs] == [cexpected.span(a, b) for a, b in pairs]


def test_a_compact_origin_is_a_sequence():
    view = compact(normalize("a-b（c）㎎ d"))
    assert isinstance(view.origin, CompactOrigin)
    assert view.text == "ABCMGD"
    assert list(view.origin) == [0, 2, 4, 6, 6, 8]
    assert view.origin[-1] == 8
    assert view.origin[1:4] == (2, 4, 6)
    with pytest.raises(IndexError):
        view.origin[6]


# ----------------------------------------------------------------------- detectors

_PIECES = [*"0123456789", *"0123456789", *"Xx+()-  .@AZbc_%",
           "٣", "３", "（", "）", "＠", "元", ".5", "人民币", "号", "中", "\u3000", "\u2013",
           "13800138000", "021", "0086", "+86", PARTY_ID, PARTY_ID_X.lower(), PARTY_CARD,
           ORG_USCC, "lijianguo1980@163.com", "a.b@x.cn", "A@B.CN"]
DETECTOR_TEXT = st.lists(st.sampled_from(_PIECES), max_size=30).map("".join)


def reference_numbers(view: TextView) -> list[tuple]:
    """find_numbers as defined: every chain of the whole text, every run of its groups."""
    text = view.text
    hits = []
    for chain in detectors._CHAIN.finditer(text):
        if chain.end() - chain.start() < 11:
            continue
        groups = list(detectors._GROUP.finditer(text, chain.start(), chain.end()))
        for i in range(len(groups)):
            digits = 0
            for j in range(i, len(groups)):
                digits += len(groups[j].group().lstrip("+"))
                if digits > 19:
                    break
                if digits < 11:
                    continue
                found = detectors._classify([g.group() for g in groups[i : j + 1]], today=TODAY)
                if found is None:
                    continue
                start, end = groups[i].start(), groups[j].end()
                if found[1] != "gb11643" and detectors._is_amount(text, start, end):
                    continue
                if (found[1] == "landline" and i == 0 and chain.group().startswith("(")
                        and ")" in text[start:end]):
                    start = chain.start()
                hits.append((*view.span(start, end), *found))
    return hits


_EMAIL = re.compile(
    r"(?<![A-Z0-9._%+\-])[A-Z0-9._%+\-]+@[A-Z0-9\-]+(?:\.[A-Z0-9\-]+)*\.[A-Z]{2,}(?![A-Z0-9\-])"
)
_USCC = re.compile(r"(?<![0-9A-Z])[0-9A-HJ-NP-RTUWXY]{18}(?![0-9A-Z])")


@settings(max_examples=500, deadline=None)
@given(text=DETECTOR_TEXT)
def test_detectors_agree_with_a_scan_of_the_whole_text(text):
    view = normalize(text)
    assert [(h.start, h.end, h.category, h.detector)
            for h in find_numbers(view, today=TODAY)] == reference_numbers(view)
    assert [(h.start, h.end) for h in find_emails(view)] == [
        view.span(m.start(), m.end()) for m in _EMAIL.finditer(view.text)]
    from sanxiang.core.identifiers import is_valid_id_number, is_valid_uscc

    assert credit_code_spans(view) == [
        view.span(m.start(), m.end()) for m in _USCC.finditer(view.text)
        if is_valid_uscc(m.group()) and not is_valid_id_number(m.group())]


def reference_luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


@given(digits=st.text(alphabet="0123456789", min_size=1, max_size=24))
def test_luhn_agrees_with_the_digit_by_digit_definition(digits):
    assert luhn_valid(digits) is reference_luhn(digits)


def test_luhn_reads_other_decimal_digits_too():
    assert luhn_valid("٠٠") is True  # Arabic-Indic zeros
    assert luhn_valid("١٨") is True  # "18": 1·2 + 8 = 10
    assert luhn_valid("") is False
    assert luhn_valid("12a") is False


# ---------------------------------------------------------------------- redaction


@pytest.mark.parametrize("length", [1, 16, 32, 64, 65, 200])
def test_the_prepared_hmac_is_hmac_sha256(length):
    key = bytes(range(length)) if length < 256 else b"k" * length
    digest = _hmac_sha256(key)
    for text in ["", "张三", "13800138000", "x" * 1000]:
        assert digest(text) == hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


def reference_partial(text: str, grams: frozenset[str], full_len: int, n: int = 6,
                      distinct: int = 3) -> list[tuple[int, int]]:
    """The union of the windows of ``n`` characters of ``text`` that are grams."""
    spans: list[list[int]] = []
    for i in range(len(text) - n + 1):
        if text[i : i + n] in grams:
            if spans and i <= spans[-1][1]:
                spans[-1][1] = i + n
            else:
                spans.append([i, i + n])
    return [(a, b) for a, b in spans if b - a >= full_len or len(set(text[a:b])) >= distinct]


@settings(max_examples=300, deadline=None)
@given(runs=st.lists(st.one_of(
    st.sampled_from(["13800138000", "8613800138000", PARTY_ID, PARTY_ID[3:15], "138001",
                     "000000", "0013800", "1380013800013800138000", "中", "号", "X"]),
    st.text(alphabet="0138X", max_size=14)), max_size=12).map("".join))
def test_partial_numbers_run_by_run_agree_with_every_window(runs):
    known = [KnownValue(PHONE, "13800138000", "phone"), KnownValue(ID_NUMBER, PARTY_ID, "id"),
             KnownValue(PHONE, "021-00138000", "office")]
    matchers = [_cached_matcher(k.category, k.value, k.label, 6, "{surname}某", DEFAULT_POLICY)
                for k in known]
    index = _known_index(matchers, DEFAULT_POLICY)
    view = compact(normalize(runs))
    found = sorted((c[0], -c[1], c[3].reason) for c in index.candidates(view)
                   if c[3].reason.endswith("(partial)"))
    expected = sorted((*view.span(a, b), f"known value: {m_label} (partial)")
                      for m, m_label in zip(matchers, ["phone", "id", "office"], strict=True)
                      for a, b in reference_partial(view.text, m.grams, m.full_len))
    assert found == expected


def test_reasons_of_merged_marks_follow_the_engine_order():
    """Exact form, then its partial run, then the pattern: the order of the reasons."""
    result = redact({"party_type": "organization", "facts": f"电话13800138000，身份证{PARTY_ID}"},
                    known=[KnownValue(PHONE, "13800138000", "phone")],
                    free_text_fields=["facts"], today=TODAY)
    first = result.marks[0]
    assert first.reason == ("known value: phone; known value: phone (partial); "
                            "mainland mobile number")


def test_reasons_are_redacted_per_call_settings_even_when_remembered():
    """Scrubbed reasons are kept across calls, but never across different settings."""
    label = "王五 13912345678"
    record = {"party_type": "organization", "facts": "电话13800138000"}
    known = [KnownValue(PHONE, "13800138000", label)]
    plain = redact(record, known=known, free_text_fields=["facts"], today=TODAY)
    allowed = redact(record, known=known, free_text_fields=["facts"], today=TODAY,
                     allow=["13912345678"])
    assert "13912345678" not in plain.marks[0].reason
    assert "13912345678" in allowed.marks[0].reason
    again = redact(record, known=known, free_text_fields=["facts"], today=TODAY)
    assert again.marks == plain.marks
