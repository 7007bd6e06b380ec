"""Template bodies: JSON blocks with {placeholder} fields — pure, no database."""

from __future__ import annotations

import pytest

from sanxiang.catalog.rules.templates import TemplateError, placeholders, validate_blocks


def test_placeholders_are_found_anywhere_in_the_blocks():
    blocks = [
        {"type": "title", "text": "行政处罚决定书"},
        {"type": "fields", "items": [{"label": "当事人", "value": "{party_name}"}]},
        "{agency_name}〔{year}〕{seq}号 {party_name}",
    ]
    assert placeholders(blocks) == ("agency_name", "party_name", "seq", "year")


@pytest.mark.parametrize("blocks", [{}, "text", [1], [None]])
def test_blocks_must_be_a_list_of_objects_or_strings(blocks):
    with pytest.raises(TemplateError):
        validate_blocks(blocks)
