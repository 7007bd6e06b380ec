"""Canonical JSON: the bytes a ledger entry or public record is hashed as."""

from __future__ import annotations

import datetime
import enum
import json
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanxiang.records.ledger.canonical import (
    MAX_SAFE_INTEGER,
    canonical_json,
    canonical_sha256,
    sha256_hex,
)


class Action(enum.StrEnum):
    DECIDED = "case.decided"


class Level(enum.IntEnum):
    HIGH = 3


def test_sorted_keys_no_whitespace_utf8():
    assert canonical_json({"b": 1, "a": [True, None, "浦东"], "c": {"z": 0, "y": False}}) == (
        '{"a":[true,null,"浦东"],"b":1,"c":{"y":false,"z":0}}'.encode())


def test_sha256_hex_known_answer():  # printf 'abc' | sha256sum
    assert sha256_hex(b"abc") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")


def test_canonical_sha256_hashes_the_canonical_bytes():  # printf '{"a":1}' | sha256sum
    assert canonical_sha256({"a": 1}) == (
        "015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862")


def test_keys_sort_by_utf16_code_units_as_rfc8785():
    """RFC 8785 §3.2.3's sorting example: U+1F600 (surrogates D83D DE00) sorts before U+FB33."""
    data = {
        "\u20ac": "Euro Sign", "\r": "Carriage Return", "\ufb33": "Hebrew Letter Dalet With Dagesh",
        "1": "One", "\U0001f600": "Emoji: Grinning Face", "\u0080": "Control",
        "\u00f6": "Latin Small Letter O With Diaeresis",
    }
    assert list(json.loads(canonical_json(data)).values()) == [
        "Carriage Return", "One", "Control", "Latin Small Letter O With Diaeresis", "Euro Sign",
        "Emoji: Grinning Face", "Hebrew Letter Dalet With Dagesh",
    ]


def test_string_escapes_are_the_json_minimum():
    assert canonical_json(["\"\\/\b\f\n\r\t\x00\x1f\x7f\u2028é"]) == (
        b'["\\"\\\\/\\b\\f\\n\\r\\t\\u0000\\u001f\x7f\xe2\x80\xa8\xc3\xa9"]')


def test_bool_stays_bool_and_enums_become_plain_values():
    assert canonical_json({"x": True, "y": 1}) == b'{"x":true,"y":1}'
    assert canonical_json({Action.DECIDED: Action.DECIDED, "level": Level.HIGH}) == (
        b'{"case.decided":"case.decided","level":3}')


def test_integer_range_is_i_json():
    assert canonical_json([MAX_SAFE_INTEGER, -MAX_SAFE_INTEGER]) == (
        b"[9007199254740991,-9007199254740991]")
    with pytest.raises(ValueError, match="I-JSON"):
        canonical_json(MAX_SAFE_INTEGER + 1)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_nan_and_infinity_are_refused(value):
    with pytest.raises(ValueError, match="NaN"):
        canonical_json({"amount": value})


@pytest.mark.parametrize("value", [1.0, 0.5, 1e16])
def test_finite_floats_are_refused(value):
    """Python writes 1e16 as 1e+16, JavaScript as 10000000000000000: no shared form."""
    with pytest.raises(ValueError, match="floats are not canonical"):
        canonical_json({"amount": value})


@pytest.mark.parametrize("value", [
    pytest.param(Decimal("1.50"), id="decimal"),
    pytest.param(datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC), id="datetime"),
    pytest.param(datetime.date(2026, 1, 1), id="date"),
    pytest.param((1, 2), id="tuple"),
    pytest.param({1, 2}, id="set"),
    pytest.param(b"raw", id="bytes"),
    pytest.param(object(), id="object"),
])
def test_non_json_types_are_refused(value):
    with pytest.raises(TypeError, match="not JSON data"):
        canonical_json({"payload": [value]})


def test_non_string_keys_are_refused():
    with pytest.raises(TypeError, match="key 1"):
        canonical_json({1: "one"})


def test_lone_surrogates_are_refused():
    with pytest.raises(ValueError, match="surrogate"):
        canonical_json({"text": "\ud800"})


def test_circular_references_are_refused():
    loop: list = []
    loop.append(loop)
    with pytest.raises(ValueError, match="circular"):
        canonical_json({"loop": loop})


def test_shared_non_circular_values_are_fine():
    shared = {"k": "v"}
    assert canonical_json([shared, shared]) == b'[{"k":"v"},{"k":"v"}]'


def test_error_names_the_path():
    with pytest.raises(TypeError, match=r"\$\.payload\.amounts\[1\]"):
        canonical_json({"payload": {"amounts": [1, Decimal("2")]}})


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-MAX_SAFE_INTEGER, MAX_SAFE_INTEGER)
    | st.text(st.characters(exclude_categories=["Cs"])),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(st.characters(exclude_categories=["Cs"]), max_size=5), children,
                      max_size=4),
    max_leaves=20,
)


@settings(database=None, deadline=None, max_examples=200)
@given(json_values)
def test_round_trip_and_idempotence(value):
    encoded = canonical_json(value)
    assert json.loads(encoded.decode("utf-8")) == value
    assert canonical_json(json.loads(encoded)) == encoded
    assert not any(byte < 0x20 for byte in encoded)  # no raw whitespace or control bytes
