"""Unified enforcement documents (统一执法文书): rendering, numbers, formatting.

A pure sub-package: python-docx and the standard library, no Django models. The templates
are data (``sanxiang.catalog.data.document_templates``); the cases app builds the context.
"""

from .context import REVIEW_POINTS, review_findings_rows
from .formatting import format_date_cn, format_datetime_cn, format_money, money_in_words
from .numbers import DocumentNumber, format_document_number, parse_document_number
from .render import (
    Fonts,
    MissingPlaceholder,
    TemplateError,
    placeholders,
    render_docx,
    render_text,
    validate_template,
)

__all__ = [
    "REVIEW_POINTS",
    "DocumentNumber",
    "Fonts",
    "MissingPlaceholder",
    "TemplateError",
    "format_date_cn",
    "format_datetime_cn",
    "format_document_number",
    "format_money",
    "money_in_words",
    "parse_document_number",
    "placeholders",
    "render_docx",
    "render_text",
    "review_findings_rows",
    "validate_template",
]
