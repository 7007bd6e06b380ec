"""Properties of the redaction engine (RULES.md R3.1, R9.1; 个人信息保护法 第28条)."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from sanxiang.disclosure.rules.policy import ID_NUMBER, OTHER_PERSON_NAME, PHONE
from sanxiang.disclosure.rules.redaction import KnownValue, redact
from sanxiang.disclosure.rules.textview import compact_value

from .helpers import make_id

TODAY = date(2026, 11, 20)
AREAS = ["310101", "310104", "310115", "310151", "110105", "440305", "320102"]
CJK = "当事人于年月日在浦东新区排放废气经查证据确凿责令改正罚款元号条第某"
FULLWIDTH = {c: chr(ord(c) + 0xFEE0) for c in "0123456789Xx"}

ids = st.builds(
    lambda area, born, seq: make_id(f"{area}{born:%Y%m%d}{seq:03d}"),
    st.sampled_from(AREAS),
    st.dates(min_value=date(1930, 1, 1), max_value=date(2010, 12, 31)),
    st.integers(min_value=0, max_value=999),
)


@st.composite
def spelled(draw, number: str, separators: str) -> str:
    """``number`` in a random variant spelling: full-width or ASCII per character, x or X,
    a random separator (or none) between characters."""
    out = []
    for i, ch in enumerate(number):
        if ch == "X":
            ch = draw(st.sampled_from(["X", "x", "Ｘ", "ｘ"]))
        elif draw(st.booleans()):
            ch = FULLWIDTH[ch]
        out.append(ch)
        if i < len(number) - 1:
            out.append(draw(st.sampled_from(["", "", "", *separators])))
    return "".join(out)


noise = st.text(alphabet=CJK + "ABCxyz0123456789，。：（）、 -", max_size=30)
cjk_noise = st.text(alphabet=CJK + "，。：、", max_size=30)


def public_facts(text: str, known=()) -> str:
    result = redact({"party_type": "organization", "facts": text}, known=known,
                    free_text_fields=["facts"], today=TODAY)
    return result.public_record["facts"]


@settings(max_examples=300, deadline=None)
@given(data=st.data(), number=ids, before=noise, after=noise)
def test_a_known_id_never_survives_in_any_spelling(data, number, before, after):
    """R3.1 (GD-GS 第14条): whatever the spelling and surroundings, the number is gone."""
    written = data.draw(spelled(number, " -.\u3000－．·"))
    public = public_facts(before + written + after, [KnownValue(ID_NUMBER, number, "party")])
    assert number not in compact_value(public)


@settings(max_examples=300, deadline=None)
@given(data=st.data(), number=ids, before=cjk_noise, after=cjk_noise)
def test_an_unknown_valid_id_is_found_by_its_check_digit(data, number, before, after):
    """R9.1: a GB 11643 number the case does not hold, spaced or dashed, full-width or not."""
    written = data.draw(spelled(number, " -\u3000－"))
    public = public_facts(before + written + after)
    assert number not in compact_value(public)


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=60), names=st.lists(st.text(alphabet=CJK, min_size=2, max_size=4),
                                                  max_size=3),
       phone=st.from_regex(r"1[3-9]\d{9}", fullmatch=True))
def test_preview_and_public_text_rebuild_from_the_segments(text, names, phone):
    known = [KnownValue(OTHER_PERSON_NAME, n) for n in names] + [KnownValue(PHONE, phone)]
    result = redact({"party_type": "organization", "facts": text}, known=known,
                    free_text_fields=["facts"], today=TODAY)
    segments = result.preview.get("facts", ())
    assert "".join(s.text for s in segments) == text
    assert "".join(s.mark.replacement if s.mark else s.text for s in segments) == (
        result.public_record["facts"])
    ends = [(m.start, m.end) for m in result.marks]
    assert all(a < b for a, b in ends)
    assert all(b1 <= a2 for (_, b1), (a2, _) in zip(ends, ends[1:], strict=False))


public_numbers = st.one_of(
    st.builds("罚款{}.{:02d}元".format, st.integers(0, 10**12), st.integers(0, 99)),
    st.builds("罚款{}元".format, st.integers(0, 10**12)),
    st.builds("{:%Y年%m月%d日}".format, st.dates()),
    st.builds("{:%Y-%m-%d}".format, st.dates()),
    st.builds("沪浦环罚〔{}〕{}号".format, st.integers(2000, 2099), st.integers(1, 9999)),
    st.builds("浓度{}.{}mg/m³".format, st.integers(0, 10**6), st.integers(0, 999)),
    st.builds("第{}条".format, st.integers(1, 999)),
)


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(public_numbers, min_size=1, max_size=4))
def test_amounts_dates_and_document_numbers_are_never_redacted(parts):
    """R4.2/R4.3: published content stays as written (no known values involved)."""
    text = "，".join(parts)
    assert public_facts(text) == text
