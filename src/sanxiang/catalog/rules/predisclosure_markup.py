"""The text of pre-disclosure documents (事前公开文件正文) rendered to safe HTML. Pure: no Django.

The body is plain text with a few Markdown-like conventions a publisher can type:

* a blank line separates blocks; single line breaks inside a paragraph are kept (``<br>``);
* ``## Heading`` / ``### Heading`` start a heading (``<h3>`` / ``<h4>``: the page owns h1/h2);
* lines starting with ``- ``, ``* ``, ``• `` or ``· `` form a bulleted list;
* lines starting with ``1. ``, ``1、``, ``1) ``, ``(1)`` or ``（1）`` form a numbered list that keeps
  the publisher's numbers (``<li value="n">``);
* ``**text**`` is bold.

Everything else is text: every character of the input is HTML-escaped before any tag is added,
so ``<script>`` in a body is shown, never run. No links, images or attributes besides
``value`` are ever produced.
"""

from __future__ import annotations

import html
import re

__all__ = ["render"]

_BULLET = re.compile(r"^\s*[-*•·]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*(?:(\d{1,3})(?:[.)](?!\d)|、)\s*|[(（](\d{1,3})[)）]\s*)(.*)$")
_HEADING = re.compile(r"^\s*(#{2,3})\s+(.*)$")
_BOLD = re.compile(r"\*\*(.+?)\*\*")


def _inline(text: str) -> str:
    """Escape, then turn **x** into <strong>x</strong> (the asterisks survive escaping)."""
    return _BOLD.sub(r"<strong>\1</strong>", html.escape(text.strip(), quote=True))


def _kind(line: str) -> str:
    if _HEADING.match(line):
        return "heading"
    if _BULLET.match(line):
        return "bullet"
    numbered = _NUMBERED.match(line)
    if numbered and numbered.group(3).strip():
        return "numbered"
    return "text"


def render(text: str | None) -> str:
    """Safe HTML for ``text`` (a string the caller may mark safe)."""
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []
    list_kind = ""

    def flush_paragraph() -> None:
        if paragraph:
            out.append("<p>" + "<br>".join(_inline(p) for p in paragraph) + "</p>")
            paragraph.clear()

    def flush_list() -> None:
        nonlocal list_kind
        if items:
            tag = "ol" if list_kind == "numbered" else "ul"
            out.append(f"<{tag}>" + "".join(items) + f"</{tag}>")
            items.clear()
        list_kind = ""

    for line in lines:
        if not line.strip():
            flush_paragraph()
            flush_list()
            continue
        kind = _kind(line)
        if kind == "heading":
            flush_paragraph()
            flush_list()
            hashes, title = _HEADING.match(line).groups()
            tag = "h3" if len(hashes) == 2 else "h4"
            out.append(f"<{tag}>{_inline(title)}</{tag}>")
        elif kind in ("bullet", "numbered"):
            flush_paragraph()
            if list_kind and list_kind != kind:
                flush_list()
            list_kind = kind
            if kind == "bullet":
                items.append(f"<li>{_inline(_BULLET.match(line).group(1))}</li>")
            else:
                match = _NUMBERED.match(line)
                number = int(match.group(1) or match.group(2))
                items.append(f'<li value="{number}">{_inline(match.group(3))}</li>')
        elif items:
            # a continuation line of the last list item
            items[-1] = items[-1][: -len("</li>")] + "<br>" + _inline(line) + "</li>"
        else:
            paragraph.append(line)
    flush_paragraph()
    flush_list()
    return "\n".join(out)
