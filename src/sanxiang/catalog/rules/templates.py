"""Document template bodies (文书模板): structured blocks with ``{placeholder}`` fields.
Pure: imports no Django. Rendering belongs to the documents engineer; the catalog only keeps
versions, checks that a body is JSON blocks and lists the placeholders it uses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["PLACEHOLDER", "TemplateError", "placeholders", "validate_blocks"]

PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_.]*)\}")


class TemplateError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def validate_blocks(blocks: object) -> None:
    """A body is a JSON array (list) of blocks; each block a JSON object or a string."""
    if not isinstance(blocks, list):
        raise TemplateError("blocks", "blocks must be a list")
    for i, block in enumerate(blocks):
        if not isinstance(block, dict | str):
            raise TemplateError(f"blocks[{i}]", "a block must be an object or a string")


def _strings(value: object) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def placeholders(blocks: object) -> tuple[str, ...]:
    """The ``{placeholder}`` names used anywhere in ``blocks``, sorted, without duplicates."""
    found = {m.group(1) for text in _strings(blocks) for m in PLACEHOLDER.finditer(text)}
    return tuple(sorted(found))
