"""Render unified enforcement documents (统一执法文书) from template data.

A template is plain data (``sanxiang.catalog.data.document_templates.DEFAULT_TEMPLATES`` holds
the defaults; the catalog stores versions of them)::

    {"code": "penalty_decision", "name": "行政处罚决定书", "version": 1,
     "effective_from": "2023-07-01", "citation": "…",
     "blocks": [{"type": "title", …}, …]}

Blocks (every block may carry ``"when": "name"``: rendered only when the context value of
``name`` is truthy; ``name`` must be present in the context, ``None`` counts as false):

``title``      ``text`` (lines separated by ``\\n``), optional ``number`` (the document
               number line right under the title, GB/T 9704-2012 §7.2.3),
               ``number_align`` (``center`` default, ``right``) and ``body_pt``, the body
               size of the whole document (16 三号 by default; 14 四号 for forms/records)
``heading``    ``text``, ``level`` 1 (黑体) or 2 (楷体)
``paragraph``  ``text``; ``indent`` (first line two characters, default true), ``align``
               (``justify`` default, ``left``, ``center``, ``right``), ``bold``, ``optional``
``fields``     ``items``: ``[{"label", "value", "optional"?, "fillable"?}]``; ``style``
               ``lines`` (``label：value`` paragraphs, default) or ``form`` (bordered
               label/value table, for 审批表 and 送达回证)
``table``      ``rows``: the context name of a list of mappings; ``columns``:
               ``[{"key", "label", "width"? (mm)}]``; ``numbered`` (adds 序号), ``caption``,
               ``optional`` (omitted when the list is missing or empty), ``empty_text``
``signature``  ``lines`` (agency, seal place, date), ``align`` ``right`` (default) or ``left``
``note``       ``text`` in a smaller size, ``optional``

Placeholders are ``{name}`` (``{{``/``}}`` for literal braces). A placeholder with no value
(absent or ``None``) raises :class:`MissingPlaceholder`, a ``KeyError`` whose ``args[0]`` is the
name — nothing ever renders ``{party_name}`` literally — except in an ``optional`` item or
block, which is then left out (also when a value is empty), or a ``fillable`` field, which is
rendered blank for filling in by hand.

Values become text here: ``str`` as is; ``int`` in Arabic numerals; ``bool`` 是/否;
``Decimal`` is money in yuan → ``500,000.00元（伍拾万元整）``, and for a Decimal ``x`` the
derived placeholders ``{x_words}`` (伍拾万元整) and ``{x_figures}`` (500,000.00) exist too;
``date`` → ``2026年11月20日``; ``datetime`` → ``2026年11月2日9时30分``; ``time`` →
``9时30分``; lists and tuples of these are joined with ``、``. Floats are refused (money
must be exact). Control characters are stripped; ``\\n`` in a value starts a new paragraph.

Pure: python-docx and the standard library, no Django.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from .formatting import (
    format_date_cn,
    format_datetime_cn,
    format_money,
    format_money_figures,
    money_in_words,
)

__all__ = [
    "BLOCK_TYPES",
    "Fonts",
    "MissingPlaceholder",
    "TemplateError",
    "clean_text",
    "money_in_words",
    "placeholders",
    "render_docx",
    "render_text",
    "to_text",
    "validate_template",
]

BLOCK_TYPES = ("title", "heading", "paragraph", "fields", "table", "signature", "note")

_BLOCK_KEYS: dict[str, frozenset[str]] = {
    "title": frozenset({"type", "text", "number", "number_align", "body_pt", "when"}),
    "heading": frozenset({"type", "text", "level", "when"}),
    "paragraph": frozenset({"type", "text", "indent", "align", "bold", "optional", "when"}),
    "fields": frozenset({"type", "items", "style", "when"}),
    "table": frozenset(
        {"type", "rows", "columns", "numbered", "caption", "optional", "empty_text", "when"}
    ),
    "signature": frozenset({"type", "lines", "align", "when"}),
    "note": frozenset({"type", "text", "optional", "when"}),
}
_REQUIRED_BLOCK_KEYS: dict[str, tuple[str, ...]] = {
    "title": ("text",),
    "heading": ("text",),
    "paragraph": ("text",),
    "fields": ("items",),
    "table": ("rows", "columns"),
    "signature": ("lines",),
    "note": ("text",),
}
_FIELD_KEYS = frozenset({"label", "value", "optional", "fillable"})
_COLUMN_KEYS = frozenset({"key", "label", "width"})
_TEMPLATE_KEYS = frozenset(
    {
        "code",
        "name",
        "version",
        "effective_from",
        "effective_to",
        "citation",
        "description",
        "blocks",
    }
)
_REQUIRED_TEMPLATE_KEYS = ("code", "name", "version", "effective_from", "citation", "blocks")

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_TOKEN = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}|\{|\}")
# C0/C1 controls except \t \n (handled separately), BOM, non-characters, lone surrogates.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff\ufffe\uffff\ud800-\udfff]")
_BLANK_TEXT = "________"  # a fillable field without a value, in text rendering


class TemplateError(ValueError):
    """The template itself is malformed (stray brace, unknown block type, …)."""


class MissingPlaceholder(KeyError):
    """A placeholder has no value. ``args[0]`` is the placeholder name."""

    def __init__(self, name: str, template: str | None = None, where: str | None = None):
        super().__init__(name)
        self.placeholder = name
        self.template = template
        self.where = where

    def __str__(self) -> str:
        text = f"missing placeholder {self.placeholder!r}"
        if self.template:
            text += f" in template {self.template!r}"
        if self.where:
            text += f" ({self.where})"
        return text


# --------------------------------------------------------------------------- values → text


def clean_text(text: str) -> str:
    """Normalise line breaks and strip control characters (XML 1.0 cannot carry them)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = text.replace("\u2029", "\n").replace("\t", " ")
    return _CONTROL.sub("", text)


def to_text(value: object) -> str:
    """The text of one context value (see the module docstring)."""
    if isinstance(value, str):
        text = value
    elif isinstance(value, bool):
        text = "是" if value else "否"
    elif isinstance(value, int):
        text = str(value)
    elif isinstance(value, Decimal):
        text = format_money(value)
    elif isinstance(value, dt.datetime):
        text = format_datetime_cn(value)
    elif isinstance(value, dt.date):
        text = format_date_cn(value)
    elif isinstance(value, dt.time):
        text = f"{value.hour}时{value.minute:02d}分"
    elif isinstance(value, float):
        raise TypeError("floats are not rendered; pass money as Decimal and numbers as int or str")
    elif isinstance(value, list | tuple):
        text = "、".join(to_text(item) for item in value)
    elif isinstance(value, Mapping) or value is None:
        raise TypeError(f"cannot render a {type(value).__name__} as text")
    else:
        text = str(value)
    return clean_text(text)


def _value_text(value: object, name: str) -> str:
    """``to_text`` with the placeholder named in a TypeError/ValueError."""
    try:
        return to_text(value)
    except (TypeError, ValueError) as exc:
        raise type(exc)(f"placeholder {name!r}: {exc}") from exc


class _Resolver:
    def __init__(self, template: Mapping[str, object], context: Mapping[str, object]):
        self.code = str(template.get("code") or "") or None
        self.values: dict[str, object] = dict(context)

    def raw(self, name: str, where: str) -> object:
        value = self.values.get(name)
        if value is not None:
            return value
        for suffix, derive in (("_words", money_in_words), ("_figures", format_money_figures)):
            base = self.values.get(name[: -len(suffix)]) if name.endswith(suffix) else None
            if isinstance(base, Decimal):
                return derive(base)
        raise MissingPlaceholder(name, self.code, where)

    def text(self, name: str, where: str) -> str:
        return _value_text(self.raw(name, where), name)

    def when(self, name: str, where: str) -> bool:
        if name not in self.values:
            raise MissingPlaceholder(name, self.code, where)
        return bool(self.values[name])


def _tokens(text: str) -> Iterable[tuple[str, str | None]]:
    """(literal, placeholder name or None) pieces; TemplateError on a stray brace."""
    pos = 0
    for match in _TOKEN.finditer(text):
        literal = text[pos : match.start()]
        token = match.group(0)
        pos = match.end()
        if token == "{{":
            yield literal + "{", None
        elif token == "}}":
            yield literal + "}", None
        elif match.group(1):
            yield literal, match.group(1)
        else:
            raise TemplateError(f"stray {token!r} at offset {match.start()} in {text!r}")
    yield text[pos:], None


def _names_in(text: str) -> list[str]:
    return [name for _, name in _tokens(text) if name]


def _expand(text: str, lookup: Callable[[str], str]) -> str:
    out: list[str] = []
    for literal, name in _tokens(text):
        out.append(literal)
        if name:
            out.append(lookup(name))
    return clean_text("".join(out))


# --------------------------------------------------------------------------- layout model


@dataclass
class _Title:
    lines: list[str]
    number: str | None
    number_align: str = "center"


@dataclass
class _Heading:
    text: str
    level: int = 1


@dataclass
class _Paragraph:
    lines: list[str]
    indent: bool = True
    align: str = "justify"
    bold: bool = False


@dataclass
class _Fields:
    items: list[tuple[str, str | None]]  # None value: blank, to fill in by hand
    style: str = "lines"


@dataclass
class _Table:
    headers: list[str]
    rows: list[list[str]]
    widths: list[float | None] = field(default_factory=list)
    caption: str | None = None


@dataclass
class _Signature:
    lines: list[str]
    align: str = "right"


@dataclass
class _Note:
    lines: list[str]


_Laid = _Title | _Heading | _Paragraph | _Fields | _Table | _Signature | _Note


def _layout(template: Mapping[str, object], context: Mapping[str, object]) -> list[_Laid]:
    """Resolve every placeholder; raise MissingPlaceholder / TemplateError before any output."""
    if not isinstance(context, Mapping):
        raise TypeError("context must be a mapping")
    blocks = template.get("blocks")
    if not isinstance(blocks, list):
        raise TemplateError("template has no list of blocks")
    res = _Resolver(template, context)
    out: list[_Laid] = []
    for index, block in enumerate(blocks):
        where = f"blocks[{index}]"
        if not isinstance(block, Mapping):
            raise TemplateError(f"{where} is not a mapping")
        kind = block.get("type")
        if kind not in _BLOCK_KEYS:
            raise TemplateError(f"{where}: unknown block type {kind!r}")
        when = block.get("when")
        if when and not res.when(str(when), where):
            continue

        def strict(name: str, _where: str = where) -> str:
            return res.text(name, _where)

        optional = bool(block.get("optional"))
        laid = _layout_block(kind, block, res, strict, optional, where)
        if laid is not None:
            out.append(laid)
    return out


def _soft(text: str, res: _Resolver, where: str) -> str | None:
    """Expand, or None when a placeholder is missing or empty (optional items)."""
    empty = False

    def lookup(name: str) -> str:
        nonlocal empty
        value = res.text(name, where)
        if not value.strip():
            empty = True
        return value

    try:
        text = _expand(text, lookup)
    except MissingPlaceholder:
        return None
    return None if empty else text


def _lines(text: str) -> list[str]:
    return text.split("\n")


def _layout_block(
    kind: str,
    block: Mapping[str, object],
    res: _Resolver,
    strict: Callable[[str], str],
    optional: bool,
    where: str,
) -> _Laid | None:
    if kind == "title":
        number = block.get("number")
        return _Title(
            lines=_lines(_expand(str(block["text"]), strict)),
            number=_expand(str(number), strict) if number else None,
            number_align=str(block.get("number_align") or "center"),
        )
    if kind == "heading":
        return _Heading(_expand(str(block["text"]), strict), int(block.get("level") or 1))  # type: ignore[call-overload]
    if kind in ("paragraph", "note"):
        text = _soft(str(block["text"]), res, where) if optional else None
        if optional and text is None:
            return None
        if text is None:
            text = _expand(str(block["text"]), strict)
        if kind == "note":
            return _Note(_lines(text))
        return _Paragraph(
            _lines(text),
            indent=bool(block.get("indent", True)),
            align=str(block.get("align") or "justify"),
            bold=bool(block.get("bold")),
        )
    if kind == "fields":
        items: list[tuple[str, str | None]] = []
        for i, item in enumerate(block["items"]):  # type: ignore[attr-defined]
            item_where = f"{where}.items[{i}]"
            label_t, value_t = str(item["label"]), str(item["value"])
            if item.get("optional"):
                label = _soft(label_t, res, item_where)
                value = _soft(value_t, res, item_where)
                if label is None or value is None:
                    continue
                items.append((label, value))
            elif item.get("fillable"):
                label = _expand(label_t, lambda n, w=item_where: res.text(n, w))
                items.append((label, _soft(value_t, res, item_where)))
            else:
                label = _expand(label_t, lambda n, w=item_where: res.text(n, w))
                value = _expand(value_t, lambda n, w=item_where: res.text(n, w))
                items.append((label, value))
        return _Fields(items, style=str(block.get("style") or "lines"))
    if kind == "table":
        return _layout_table(block, res, optional, where)
    if kind == "signature":
        lines: list[str] = []
        for text in block["lines"]:  # type: ignore[attr-defined]
            lines.extend(_lines(_expand(str(text), strict)))
        return _Signature(lines, align=str(block.get("align") or "right"))
    raise TemplateError(f"{where}: unknown block type {kind!r}")  # pragma: no cover


def _layout_table(
    block: Mapping[str, object], res: _Resolver, optional: bool, where: str
) -> _Table | None:
    rows_name = str(block["rows"])
    rows = res.values.get(rows_name)
    if rows is None or (isinstance(rows, Sequence) and not isinstance(rows, str) and not rows):
        if optional:
            return None
        if rows is None:
            raise MissingPlaceholder(rows_name, res.code, where)
    if isinstance(rows, str | bytes) or not isinstance(rows, Sequence):
        raise TypeError(f"{rows_name!r} must be a list of mappings for the table in {where}")
    columns: list[Mapping[str, object]] = list(block["columns"])  # type: ignore[call-overload]
    numbered = bool(block.get("numbered"))
    headers = (["序号"] if numbered else []) + [str(c["label"]) for c in columns]
    widths: list[float | None] = ([15.0] if numbered else []) + [
        float(c["width"]) if c.get("width") else None  # type: ignore[arg-type]
        for c in columns
    ]
    body: list[list[str]] = []
    for i, row in enumerate(rows):
        if not isinstance(row, Mapping):
            raise TypeError(f"{rows_name}[{i}] must be a mapping")
        cells = [str(i + 1)] if numbered else []
        for column in columns:
            key = str(column["key"])
            value = row.get(key)
            if value is None:
                raise MissingPlaceholder(f"{rows_name}[{i}].{key}", res.code, where)
            cells.append(_value_text(value, f"{rows_name}[{i}].{key}"))
        body.append(cells)
    if not body:
        empty = str(block.get("empty_text") or "无")
        body.append([empty] + [""] * (len(headers) - 1))
    caption = block.get("caption")
    return _Table(
        headers,
        body,
        widths,
        caption=_expand(str(caption), lambda n: res.text(n, where)) if caption else None,
    )


# --------------------------------------------------------------------------- plain text


def render_text(template: Mapping[str, object], context: Mapping[str, object]) -> str:
    """Plain-text rendering (previews, tests); the same checks as :func:`render_docx`."""
    out: list[str] = []
    for laid in _layout(template, context):
        if isinstance(laid, _Title):
            out.extend(laid.lines)
            if laid.number:
                out.append(laid.number)
            out.append("")
        elif isinstance(laid, _Heading):
            out.append(laid.text)
        elif isinstance(laid, _Paragraph):
            out.extend(("\u3000\u3000" + line if laid.indent else line) for line in laid.lines)
        elif isinstance(laid, _Fields):
            for label, value in laid.items:
                out.append(f"{label}：{_BLANK_TEXT if value is None else value}")
        elif isinstance(laid, _Table):
            if laid.caption:
                out.append(laid.caption)
            out.append(" | ".join(laid.headers))
            out.extend(" | ".join(cells) for cells in laid.rows)
        elif isinstance(laid, _Signature):
            out.append("")
            out.extend(laid.lines)
        elif isinstance(laid, _Note):
            out.extend(laid.lines)
    return "\n".join(out).rstrip("\n") + "\n"


# --------------------------------------------------------------------------- validation


def placeholders(template: Mapping[str, object], *, required_only: bool = False) -> list[str]:
    """Context names a template uses, in order of first use.

    Table columns appear as ``rows[].key``; ``when`` flags are included. With
    ``required_only`` the names of optional and fillable items are left out.
    """
    names: list[str] = []

    def add(name: str, required: bool = True) -> None:
        if required_only and not required:
            return
        if name not in names:
            names.append(name)

    for block in template.get("blocks") or []:  # type: ignore[attr-defined]
        if not isinstance(block, Mapping):
            continue
        if block.get("when"):
            add(str(block["when"]))
        required = not block.get("optional")
        kind = block.get("type")
        try:
            if kind == "fields":
                for item in block.get("items") or []:
                    item_required = required and not (item.get("optional") or item.get("fillable"))
                    for name in _names_in(str(item.get("label", ""))):
                        add(name, required and not item.get("optional"))
                    for name in _names_in(str(item.get("value", ""))):
                        add(name, item_required)
            elif kind == "table":
                rows = str(block.get("rows"))
                for name in _names_in(str(block.get("caption") or "")):
                    add(name, required)
                for column in block.get("columns") or []:
                    add(f"{rows}[].{column.get('key')}", required)
            elif kind == "signature":
                for line in block.get("lines") or []:
                    for name in _names_in(str(line)):
                        add(name, required)
            else:
                for key in ("text", "number"):
                    for name in _names_in(str(block.get(key) or "")):
                        add(name, required)
        except TemplateError:
            continue
    return names


def validate_template(template: object) -> list[str]:
    """Problems with a template (empty list: valid): keys, block types, placeholder syntax."""
    if not isinstance(template, Mapping):
        return ["template is not a mapping"]
    problems: list[str] = []
    for key in _REQUIRED_TEMPLATE_KEYS:
        if key not in template:
            problems.append(f"missing template key {key!r}")
    for key in template:
        if key not in _TEMPLATE_KEYS:
            problems.append(f"unknown template key {key!r}")
    code = template.get("code")
    if "code" in template and not (isinstance(code, str) and _IDENT.fullmatch(code)):
        problems.append(f"code must be an identifier, got {code!r}")
    version = template.get("version")
    if "version" in template and (
        isinstance(version, bool) or not isinstance(version, int) or version < 1
    ):
        problems.append(f"version must be a positive int, got {version!r}")
    for key in ("effective_from", "effective_to"):
        value = template.get(key)
        if value is None:
            continue
        try:
            dt.date.fromisoformat(str(value))
        except ValueError:
            problems.append(f"{key} must be an ISO date, got {value!r}")
    for key in ("name", "citation"):
        if key in template and not (isinstance(template[key], str) and template[key].strip()):
            problems.append(f"{key} must be a non-empty string")
    blocks = template.get("blocks")
    if "blocks" in template and (not isinstance(blocks, list) or not blocks):
        problems.append("blocks must be a non-empty list")
        return problems
    for index, block in enumerate(blocks or []):
        problems.extend(_validate_block(index, block))
    return problems


def _check_text(where: str, text: object) -> list[str]:
    if not isinstance(text, str):
        return [f"{where}: text must be a string, got {type(text).__name__}"]
    try:
        _names_in(text)
    except TemplateError as exc:
        return [f"{where}: {exc}"]
    return []


def _validate_block(index: int, block: object) -> list[str]:
    where = f"blocks[{index}]"
    if not isinstance(block, Mapping):
        return [f"{where}: not a mapping"]
    kind = block.get("type")
    if kind not in _BLOCK_KEYS:
        return [f"{where}: unknown block type {kind!r}"]
    problems = [f"{where}: missing key {k!r}" for k in _REQUIRED_BLOCK_KEYS[kind] if k not in block]
    problems += [
        f"{where}: unknown key {k!r} for {kind}" for k in block if k not in _BLOCK_KEYS[kind]
    ]
    when = block.get("when")
    if when is not None and not (isinstance(when, str) and _IDENT.fullmatch(when)):
        problems.append(f"{where}: when must name a context value, got {when!r}")
    if kind in ("title", "heading", "paragraph", "note"):
        problems += _check_text(where, block.get("text", ""))
    if kind == "title" and block.get("number") is not None:
        problems += _check_text(where + ".number", block["number"])
    if kind == "title" and block.get("number_align", "center") not in ("center", "right"):
        problems.append(f"{where}: number_align must be center or right")
    body_pt = block.get("body_pt") if kind == "title" else None
    if body_pt is not None and (
        isinstance(body_pt, bool) or not isinstance(body_pt, int | float) or not 9 <= body_pt <= 22
    ):
        problems.append(f"{where}: body_pt must be a size in points between 9 and 22")
    if kind == "heading" and block.get("level", 1) not in (1, 2):
        problems.append(f"{where}: level must be 1 or 2")
    if kind == "paragraph" and block.get("align", "justify") not in (
        "justify",
        "left",
        "center",
        "right",
    ):
        problems.append(f"{where}: unknown align {block.get('align')!r}")
    if kind == "fields":
        if block.get("style", "lines") not in ("lines", "form"):
            problems.append(f"{where}: style must be lines or form")
        items = block.get("items")
        if not isinstance(items, list) or not items:
            problems.append(f"{where}: items must be a non-empty list")
            items = []
        for i, item in enumerate(items):
            iw = f"{where}.items[{i}]"
            if not isinstance(item, Mapping):
                problems.append(f"{iw}: not a mapping")
                continue
            problems += [f"{iw}: missing key {k!r}" for k in ("label", "value") if k not in item]
            problems += [f"{iw}: unknown key {k!r}" for k in item if k not in _FIELD_KEYS]
            if item.get("optional") and item.get("fillable"):
                problems.append(f"{iw}: optional and fillable exclude each other")
            problems += _check_text(iw, item.get("label", ""))
            problems += _check_text(iw, item.get("value", ""))
    if kind == "table":
        rows = block.get("rows")
        if not (isinstance(rows, str) and _IDENT.fullmatch(rows)):
            problems.append(f"{where}: rows must name a context list, got {rows!r}")
        columns = block.get("columns")
        if not isinstance(columns, list) or not columns:
            problems.append(f"{where}: columns must be a non-empty list")
            columns = []
        for i, column in enumerate(columns):
            cw = f"{where}.columns[{i}]"
            if not isinstance(column, Mapping):
                problems.append(f"{cw}: not a mapping")
                continue
            key = column.get("key")
            if not (isinstance(key, str) and _IDENT.fullmatch(key)):
                problems.append(f"{cw}: key must be an identifier, got {key!r}")
            if not isinstance(column.get("label"), str):
                problems.append(f"{cw}: label must be a string")
            problems += [f"{cw}: unknown key {k!r}" for k in column if k not in _COLUMN_KEYS]
        if block.get("caption") is not None:
            problems += _check_text(where + ".caption", block["caption"])
    if kind == "signature":
        lines = block.get("lines")
        if not isinstance(lines, list) or not lines:
            problems.append(f"{where}: lines must be a non-empty list")
        else:
            for i, line in enumerate(lines):
                problems += _check_text(f"{where}.lines[{i}]", line)
        if block.get("align", "right") not in ("left", "right"):
            problems.append(f"{where}: align must be left or right")
    return problems


# --------------------------------------------------------------------------- DOCX


@dataclass(frozen=True)
class Fonts:
    """Font names. East Asian names are written to ``w:eastAsia``; Latin to ascii/hAnsi.

    Defaults are the fonts every Chinese Windows/WPS installation has: 仿宋 (FangSong) for
    the body, 黑体 (SimHei) for the title and first-level headings, 楷体 (KaiTi) for
    second-level headings, 宋体 (SimSun) for page numbers. Where 方正小标宋简体 is installed,
    ``Fonts(title="方正小标宋简体")`` gives the GB/T 9704 title face. Each name is also declared
    in the font table with its Chinese alias and the GB2312 charset, so Word, WPS and
    LibreOffice substitute a CJK face of the same kind when the font is absent.
    """

    body: str = "FangSong"
    title: str = "SimHei"
    heading: str = "SimHei"
    heading2: str = "KaiTi"
    page_number: str = "SimSun"
    latin: str = "Times New Roman"


# name → (alternative name, PANOSE-1) for the font table.
_FONT_TABLE = {
    "FangSong": ("仿宋", "02010609060101010101"),
    "SimSun": ("宋体", "02010600030101010101"),
    "SimHei": ("黑体", "02010609060101010101"),
    "KaiTi": ("楷体", "02010609060101010101"),
    "仿宋_GB2312": ("FangSong", "02010609030101010101"),
    "方正小标宋简体": ("SimHei", "02000000000000000000"),
}

_MM_PER_PT = 25.4 / 72


def render_docx(
    template: Mapping[str, object],
    context: Mapping[str, object],
    *,
    fonts: Fonts | None = None,
    page_numbers: bool = True,
    timestamp: dt.datetime | None = None,
) -> bytes:
    """Render to DOCX bytes: A4, GB/T 9704-2012 margins and sizes.

    Same input, same bytes (fixed ZIP timestamps; creation time only when ``timestamp`` is
    given), so a rendered document can be hashed into the evidence vault.
    """
    laid = _layout(template, context)
    return _DocxBuilder(template, fonts or Fonts(), page_numbers, timestamp).build(laid)


class _DocxBuilder:
    def __init__(
        self,
        template: Mapping[str, object],
        fonts: Fonts,
        page_numbers: bool,
        timestamp: dt.datetime | None,
    ) -> None:
        self.template = template
        self.fonts = fonts
        self.page_numbers = page_numbers
        self.timestamp = timestamp
        blocks = template.get("blocks") or []
        title = next((b for b in blocks if isinstance(b, Mapping) and b.get("type") == "title"), {})  # type: ignore[union-attr]
        self.body_pt = float(title.get("body_pt") or 16)
        self.line_pt = round(self.body_pt * 1.75, 1)  # 16 pt → 28 pt: 22 lines a page
        self.table_pt = self.body_pt - 2
        self.text_width_pt = 156 / _MM_PER_PT  # GB/T 9704-2012 §5.2.2: 156 mm

    # -- setup -----------------------------------------------------------------

    def build(self, laid: list[_Laid]) -> bytes:
        import docx
        from docx.enum.section import WD_ORIENT
        from docx.shared import Mm

        self.docx = docx
        document = docx.Document()
        self.document = document
        section = document.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        # GB/T 9704-2012 §5.2.1: 天头 37 mm, 订口 28 mm, text block 156 × 225 mm.
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        section.header_distance, section.footer_distance = Mm(15), Mm(25)
        self._setup_styles()
        self._setup_font_table()
        if self.page_numbers:
            self._add_page_numbers(section)
        for index, item in enumerate(laid):
            following = laid[index + 1] if index + 1 < len(laid) else None
            self._emit(item, index == 0, following)
        self._set_properties(laid)
        buffer = io.BytesIO()
        document.save(buffer)
        return _normalise_zip(buffer.getvalue())

    def _setup_styles(self) -> None:
        from docx.oxml.ns import qn
        from docx.shared import Pt

        styles = self.document.styles
        root = styles.element
        defaults = root.find(qn("w:docDefaults"))
        if defaults is not None:
            rpr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
            if rpr is not None:
                fonts = rpr.find(qn("w:rFonts"))
                if fonts is not None:
                    for attr in list(fonts.attrib):
                        del fonts.attrib[attr]
                    self._font_attrs(fonts, self.fonts.body)
                lang = rpr.find(qn("w:lang"))
                if lang is not None:
                    lang.set(qn("w:val"), "en-US")
                    lang.set(qn("w:eastAsia"), "zh-CN")
            spacing = defaults.find(qn("w:pPrDefault") + "/" + qn("w:pPr") + "/" + qn("w:spacing"))
            if spacing is not None:
                spacing.set(qn("w:after"), "0")
                spacing.set(qn("w:line"), "240")
                spacing.set(qn("w:lineRule"), "auto")
        normal = styles["Normal"]
        normal.font.size = Pt(self.body_pt)
        self._font_attrs(normal.element.get_or_add_rPr().get_or_add_rFonts(), self.fonts.body)
        paragraph_format = normal.paragraph_format
        paragraph_format.space_before = Pt(0)
        paragraph_format.space_after = Pt(0)

    def _font_attrs(self, rfonts, east_asia: str) -> None:
        from docx.oxml.ns import qn

        rfonts.set(qn("w:ascii"), self.fonts.latin)
        rfonts.set(qn("w:hAnsi"), self.fonts.latin)
        rfonts.set(qn("w:cs"), self.fonts.latin)
        rfonts.set(qn("w:eastAsia"), east_asia)
        rfonts.set(qn("w:hint"), "eastAsia")

    def _setup_font_table(self) -> None:
        """Declare the CJK fonts (alias, GB2312 charset, PANOSE) so substitutes are CJK."""
        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        from lxml import etree

        try:
            part = self.document.part.part_related_by(RT.FONT_TABLE)
        except KeyError:  # pragma: no cover - the default template has one
            return
        w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
        root = etree.fromstring(part.blob)  # noqa: S320 - our own package part
        present = {el.get(f"{{{w}}}name") for el in root.findall(f"{{{w}}}font")}
        wanted = [
            self.fonts.body,
            self.fonts.title,
            self.fonts.heading,
            self.fonts.heading2,
            self.fonts.page_number,
        ]
        for name in dict.fromkeys(wanted):
            if name in present:
                continue
            alt, panose = _FONT_TABLE.get(name, ("", "00000000000000000000"))
            font = etree.SubElement(root, f"{{{w}}}font")
            font.set(f"{{{w}}}name", name)
            if alt:
                etree.SubElement(font, f"{{{w}}}altName").set(f"{{{w}}}val", alt)
            etree.SubElement(font, f"{{{w}}}panose1").set(f"{{{w}}}val", panose)
            etree.SubElement(font, f"{{{w}}}charset").set(f"{{{w}}}val", "86")  # GB2312
            etree.SubElement(font, f"{{{w}}}family").set(f"{{{w}}}val", "modern")
            etree.SubElement(font, f"{{{w}}}pitch").set(f"{{{w}}}val", "fixed")
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    def _add_page_numbers(self, section) -> None:
        """GB/T 9704-2012 §7.5: 4号 half-width 宋体 Arabic numerals between em dashes."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        paragraph = section.footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self._run(paragraph, "— ", self.fonts.page_number, 14)
        run = self._run(paragraph, "", self.fonts.page_number, 14)
        for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), ("end", None)):
            if kind:
                element = OxmlElement("w:fldChar")
                element.set(qn("w:fldCharType"), kind)
            else:
                element = OxmlElement("w:instrText")
                element.set(qn("xml:space"), "preserve")
                element.text = text
            run._r.append(element)
            if kind == "separate":
                result = OxmlElement("w:t")
                result.text = "1"
                run._r.append(result)
        self._run(paragraph, " —", self.fonts.page_number, 14)

    def _set_properties(self, laid: list[_Laid]) -> None:
        from docx.oxml.ns import qn

        props = self.document.core_properties
        props.title = str(self.template.get("name") or "")
        props.subject = str(self.template.get("code") or "")
        props.author = ""
        props.comments = ""
        props.language = "zh-CN"
        props.revision = 1
        number = next((x.number for x in laid if isinstance(x, _Title) and x.number), None)
        props.keywords = number or ""
        if self.timestamp is not None:
            stamp = self.timestamp
            if stamp.tzinfo is not None:  # core properties are written in UTC
                stamp = stamp.astimezone(dt.UTC).replace(tzinfo=None)
            props.created = props.modified = stamp
        else:
            element = props._element
            for tag in ("dcterms:created", "dcterms:modified"):
                child = element.find(qn(tag))
                if child is not None:
                    element.remove(child)

    # -- primitives ------------------------------------------------------------

    def _run(self, paragraph, text: str, east_asia: str, size: float, bold: bool = False):
        from docx.shared import Pt

        run = paragraph.add_run(text)
        run.font.size = Pt(size)
        run.font.bold = bold or None
        self._font_attrs(run._r.get_or_add_rPr().get_or_add_rFonts(), east_asia)
        return run

    def _paragraph(
        self,
        container,
        *,
        align: str = "justify",
        indent_chars: float = 0,
        exact_line: bool = True,
        size: float | None = None,
    ):
        from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
        from docx.shared import Pt

        paragraph = container.add_paragraph()
        fmt = paragraph.paragraph_format
        fmt.alignment = {
            "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
            "left": WD_ALIGN_PARAGRAPH.LEFT,
            "center": WD_ALIGN_PARAGRAPH.CENTER,
            "right": WD_ALIGN_PARAGRAPH.RIGHT,
        }[align]
        size = size or self.body_pt
        if indent_chars:
            fmt.first_line_indent = Pt(size * indent_chars)
        if exact_line:
            # body: 16 pt on 28 pt lines (GB/T 9704: 22 lines of 28 characters); notes tighter
            fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            fmt.line_spacing = Pt(round(size * (1.75 if size >= self.body_pt else 1.5), 1))
        fmt.space_before = Pt(0)
        fmt.space_after = Pt(0)
        return paragraph

    # -- blocks ----------------------------------------------------------------

    def _emit(self, item: _Laid, first: bool, following: _Laid | None) -> None:
        from docx.shared import Pt

        doc = self.document
        if isinstance(item, _Title):
            for i, line in enumerate(item.lines):
                p = self._paragraph(doc, align="center", exact_line=False)
                p.paragraph_format.space_after = Pt(4)
                p.paragraph_format.keep_with_next = True
                self._run(p, line, self.fonts.title, 22, bold=True)  # 二号
                if i == 0 and not first:
                    p.paragraph_format.space_before = Pt(self.line_pt)
            if item.number:
                p = self._paragraph(doc, align=item.number_align)
                p.paragraph_format.space_before = Pt(self.line_pt / 2)
                p.paragraph_format.keep_with_next = True
                self._run(p, item.number, self.fonts.body, self.body_pt)
            spacer = self._paragraph(doc)
            spacer.paragraph_format.keep_with_next = True
        elif isinstance(item, _Heading):
            p = self._paragraph(doc, indent_chars=2)
            p.paragraph_format.keep_with_next = True
            face = self.fonts.heading if item.level == 1 else self.fonts.heading2
            self._run(p, item.text, face, self.body_pt)
        elif isinstance(item, _Paragraph):
            for line in item.lines:
                p = self._paragraph(doc, align=item.align, indent_chars=2 if item.indent else 0)
                self._run(p, line, self.fonts.body, self.body_pt, bold=item.bold)
            if isinstance(following, _Table):  # "有下列证据为证：" stays with its table
                p.paragraph_format.keep_with_next = True
        elif isinstance(item, _Fields):
            if item.style == "form":
                self._form(item)
            else:
                for label, value in item.items:
                    lines = [""] if value is None else value.split("\n")
                    p = self._paragraph(doc, align="left")
                    self._run(p, f"{label}：", self.fonts.body, self.body_pt)
                    if value is None:
                        blank = self._run(p, "\u3000" * 10, self.fonts.body, self.body_pt)
                        blank.font.underline = True
                    else:
                        self._run(p, lines[0], self.fonts.body, self.body_pt)
                    for extra in lines[1:]:
                        q = self._paragraph(doc, indent_chars=2)
                        self._run(q, extra, self.fonts.body, self.body_pt)
        elif isinstance(item, _Table):
            if item.caption:
                p = self._paragraph(doc, indent_chars=2)
                p.paragraph_format.keep_with_next = True
                self._run(p, item.caption, self.fonts.body, self.body_pt)
            self._table(item)
        elif isinstance(item, _Signature):
            # GB/T 9704-2012 §7.3.5.1: the date 右空四字, the agency name centred over it.
            # The lines are centred in a box as wide as the longest line, ending four
            # characters from the right margin (or flush right when that does not fit).
            box = max(_width_chars(line) for line in item.lines) + 1
            room = self.text_width_pt / self.body_pt
            right = 4 if box + 4 <= room else 0
            for i, line in enumerate(item.lines):
                p = self._paragraph(doc, align="left" if item.align == "left" else "center")
                fmt = p.paragraph_format
                if item.align == "right":
                    fmt.left_indent = Pt(max(room - box - right, 0) * self.body_pt)
                    fmt.right_indent = Pt(right * self.body_pt)
                if i == 0:
                    fmt.space_before = Pt(self.line_pt * (1.5 if item.align == "right" else 0.5))
                if i < len(item.lines) - 1:
                    fmt.keep_with_next = True
                self._run(p, line, self.fonts.body, self.body_pt)
        elif isinstance(item, _Note):
            size = max(self.body_pt - 4, 10.5)  # 小四 / 五号
            for i, line in enumerate(item.lines):
                p = self._paragraph(doc, align="justify", size=size)
                if i == 0:
                    p.paragraph_format.space_before = Pt(self.line_pt / 2)
                self._run(p, line, self.fonts.body, size)

    def _new_table(self, columns: int, widths_mm: list[float]):
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.shared import Mm

        table = self.document.add_table(rows=0, cols=columns)
        table.style = self.document.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for column, width in zip(table.columns, widths_mm, strict=True):
            column.width = Mm(width)
        return table

    def _cell_text(self, cell, text: str, *, bold: bool = False, align: str = "left") -> None:
        from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
        from docx.shared import Mm

        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        lines = text.split("\n")
        first = cell.paragraphs[0]
        for i, line in enumerate(lines):
            p = first if i == 0 else cell.add_paragraph()
            fmt = p.paragraph_format
            fmt.alignment = self._align(align)
            fmt.space_before = fmt.space_after = Mm(0.8)
            self._run(p, line, self.fonts.body, self.table_pt, bold=bold)

    @staticmethod
    def _align(name: str):
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        return {
            "left": WD_ALIGN_PARAGRAPH.LEFT,
            "center": WD_ALIGN_PARAGRAPH.CENTER,
            "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
        }[name]

    def _widths(self, given: list[float | None]) -> list[float]:
        total = 156.0  # GB/T 9704 text block width in mm
        fixed = sum(w for w in given if w)
        free = [w for w in given if not w]
        share = (total - fixed) / len(free) if free else 0
        widths = [w if w else max(share, 15.0) for w in given]
        scale = total / sum(widths)
        return [w * scale for w in widths]

    def _row(self, table, header: bool = False):
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        row = table.add_row()
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))
        if header:
            element = OxmlElement("w:tblHeader")
            element.set(qn("w:val"), "true")
            tr_pr.append(element)
        return row

    def _table(self, item: _Table) -> None:
        widths = self._widths(item.widths or [None] * len(item.headers))
        table = self._new_table(len(item.headers), widths)
        header = self._row(table, header=True)
        for cell, text, width in zip(header.cells, item.headers, widths, strict=True):
            self._set_width(cell, width)
            self._cell_text(cell, text, bold=True, align="center")
        for cells in item.rows:
            row = self._row(table)
            for i, (cell, text, width) in enumerate(zip(row.cells, cells, widths, strict=True)):
                self._set_width(cell, width)
                short = len(text) <= 4 and (i == 0 or text.isdigit())
                self._cell_text(cell, text, align="center" if short else "left")
        self._spacer()

    def _form(self, item: _Fields) -> None:
        widths = [38.0, 118.0]
        table = self._new_table(2, widths)
        for label, value in item.items:
            row = self._row(table)
            self._set_width(row.cells[0], widths[0])
            self._set_width(row.cells[1], widths[1])
            self._cell_text(row.cells[0], label, bold=True, align="center")
            self._cell_text(row.cells[1], value or "")
            if value is None:  # room to write by hand
                from docx.shared import Mm

                row.height = Mm(11)
        self._spacer()

    def _spacer(self) -> None:
        """Half a line of space after a table (an empty paragraph is needed between tables)."""
        from docx.enum.text import WD_LINE_SPACING
        from docx.shared import Pt

        fmt = self._paragraph(self.document, exact_line=False).paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(self.line_pt / 2)

    @staticmethod
    def _set_width(cell, width_mm: float) -> None:
        from docx.shared import Mm

        cell.width = Mm(width_mm)


def _width_chars(text: str) -> float:
    """Approximate width in body characters: ASCII is half as wide as a CJK character."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite the package with fixed member timestamps so equal input gives equal bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()
