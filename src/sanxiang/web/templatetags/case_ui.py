"""Template filters of the case pages (display only)."""

from django import template

register = template.Library()


@register.filter
def get(mapping, key):
    """`{{ labels|get:code }}`: the label of a code, or the code itself when unknown."""
    try:
        return mapping.get(key, key)
    except AttributeError:
        return key


SHORT_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "application/pdf": "PDF", "application/ofd": "OFD", "application/zip": "ZIP",
    "application/octet-stream": "—", "text/plain": "TXT",
}


@register.filter
def short_type(content_type: str) -> str:
    """A media type short enough for a phone: DOCX, PDF, PNG, MP4 …"""
    if content_type in SHORT_TYPES:
        return SHORT_TYPES[content_type]
    subtype = (content_type or "").rsplit("/", 1)[-1]
    return subtype.removeprefix("x-").upper() or "—"
