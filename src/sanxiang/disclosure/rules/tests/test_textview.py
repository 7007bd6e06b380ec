"""The normalized view and its map back to original offsets."""

from __future__ import annotations

import pytest

from sanxiang.disclosure.rules.textview import compact, compact_value, normalize


@pytest.mark.parametrize(
    ("original", "text"),
    [
        pytest.param("１３８ｘ", "138X", id="fullwidth-digits-and-lower-x"),
        pytest.param("ａ＠ｂ．ｃｏｍ", "A@B.COM", id="fullwidth-email"),
        pytest.param("（０２１）", "(021)", id="fullwidth-brackets"),
        pytest.param("5㎎", "5MG", id="one-char-becomes-two"),
    ],
)
def test_normalize(original, text):
    assert normalize(original).text == text


def test_every_view_character_maps_back_to_its_original():
    view = normalize("a㎎b")
    assert view.text == "AMGB"
    assert view.origin == (0, 1, 1, 2)
    assert view.span(1, 3) == (1, 2)  # "MG" is the one original character "㎎"


@pytest.mark.parametrize(
    ("original", "text"),
    [
        pytest.param("3101 0119-9001.0112 3x", "31010119900101123X",
                     id="separators-inside-numbers"),
        pytest.param("张 三", "张三", id="space-inside-a-name"),
        pytest.param("张\u3000三", "张三", id="ideographic-space"),
        pytest.param("阿沛·阿旺晋美", "阿沛阿旺晋美", id="middle-dot"),
        pytest.param("138－0013－8000", "13800138000", id="fullwidth-hyphen"),
    ],
)
def test_compact(original, text):
    view = compact(normalize(original))
    assert view.text == text
    assert compact_value(original) == text


def test_compact_span_covers_the_separators_inside_a_match():
    original = "电话：138-0013-8000。"
    view = compact(normalize(original))
    i = view.text.index("13800138000")
    a, b = view.span(i, i + 11)
    assert original[a:b] == "138-0013-8000"
