"""Read a rendered DOCX back with python-docx (test helper)."""

from __future__ import annotations

import io

import docx
from docx.oxml.ns import qn


def open_docx(data: bytes):
    return docx.Document(io.BytesIO(data))


def paragraphs(document) -> list[str]:
    """Text of every paragraph of the body, tables included, in document order."""
    body = document.element.body
    return ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p"))]


def full_text(data: bytes) -> str:
    return "\n".join(paragraphs(open_docx(data)))
