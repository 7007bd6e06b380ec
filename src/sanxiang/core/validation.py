"""Model validation turned into the typed error services raise."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from sanxiang.core.errors import InvalidInput


def full_clean_or_invalid(row, code: str) -> None:
    """`row.full_clean()` (fields only); the first failing field becomes `InvalidInput(code, field=…)`."""
    try:
        row.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise InvalidInput(
            code, "; ".join(str(m) for m in messages), field=field,
            errors={k: [str(m) for m in v] for k, v in exc.message_dict.items()},
        ) from None
