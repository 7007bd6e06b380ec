"""The renderer: placeholders, value formatting, optional/fillable/when, validation, DOCX layout."""

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from sanxiang.cases.documents.render import (
    Fonts,
    MissingPlaceholder,
    TemplateError,
    clean_text,
    placeholders,
    render_docx,
    render_text,
    to_text,
    validate_template,
)

from .docx_text import full_text, open_docx, paragraphs


def tpl(*blocks, **extra):
    return {
        "code": "t",
        "name": "测试文书",
        "version": 1,
        "effective_from": "2023-07-01",
        "citation": "测试",
        "blocks": list(blocks),
        **extra,
    }


def para(text, **kw):
    return {"type": "paragraph", "text": text, **kw}


# -- placeholders ---------------------------------------------------------------------------


@pytest.mark.parametrize("render", [render_text, render_docx], ids=["text", "docx"])
def test_missing_placeholder_raises_key_error_naming_it(render):
    template = tpl(para("当事人：{party_name}"))
    with pytest.raises(KeyError) as excinfo:
        render(template, {})
    assert excinfo.value.args[0] == "party_name"
    assert isinstance(excinfo.value, MissingPlaceholder)
    assert "party_name" in str(excinfo.value) and "'t'" in str(excinfo.value)


def test_none_counts_as_missing():
    with pytest.raises(KeyError, match="party_name"):
        render_text(tpl(para("{party_name}")), {"party_name": None})


def test_missing_in_title_number_signature_and_table_rows():
    cases = [
        (tpl({"type": "title", "text": "标题", "number": "{document_number}"}), "document_number"),
        (tpl({"type": "signature", "lines": ["{agency_name}"]}), "agency_name"),
        (
            tpl({"type": "fields", "items": [{"label": "{party_id_type}", "value": "x"}]}),
            "party_id_type",
        ),
        (
            tpl(
                {"type": "table", "rows": "officers", "columns": [{"key": "name", "label": "姓名"}]}
            ),
            "officers",
        ),
    ]
    for template, name in cases:
        with pytest.raises(KeyError) as excinfo:
            render_text(template, {})
        assert excinfo.value.args[0] == name


def test_missing_table_cell_names_row_and_key():
    template = tpl(
        {
            "type": "table",
            "rows": "officers",
            "columns": [
                {"key": "name", "label": "姓名"},
                {"key": "certificate_number", "label": "证号"},
            ],
        }
    )
    with pytest.raises(KeyError) as excinfo:
        render_text(
            template, {"officers": [{"name": "张伟", "certificate_number": "1"}, {"name": "李娜"}]}
        )
    assert excinfo.value.args[0] == "officers[1].certificate_number"


def test_values_are_not_reexpanded_and_braces_escape():
    out = render_text(tpl(para("{{字面}} {a}", indent=False)), {"a": "{party_name}"})
    assert out == "{字面} {party_name}\n"


@pytest.mark.parametrize("text", ["{", "}", "{ party }", "{1abc}", "a{b"])
def test_stray_braces_are_template_errors(text):
    with pytest.raises(TemplateError):
        render_text(tpl(para(text)), {})
    assert validate_template(tpl(para(text)))


def test_template_level_defaults_are_not_a_thing():
    """The catalog stores only code/name/version/effective_from/citation/blocks: every value
    comes from the context, so a template loaded from the database renders the same."""
    assert "unknown template key 'defaults'" in validate_template(tpl(para("x"), defaults={}))


# -- value formatting -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, text",
    [
        ("文本", "文本"),
        (15, "15"),
        (True, "是"),
        (False, "否"),
        (Decimal("500000"), "500,000.00元（伍拾万元整）"),
        (dt.date(2026, 11, 20), "2026年11月20日"),
        (dt.date(2026, 1, 2), "2026年1月2日"),  # GB/T 9704-2012 §7.3.5.5: 1 not 01
        (dt.datetime(2026, 9, 15, 9, 5), "2026年9月15日9时05分"),
        (dt.time(14, 30), "14时30分"),
        (["张伟", "李娜"], "张伟、李娜"),
        ((dt.date(2026, 1, 1), 3), "2026年1月1日、3"),
    ],
)
def test_to_text(value, text):
    assert to_text(value) == text


@pytest.mark.parametrize("value", [1.5, {"a": 1}, None])
def test_to_text_refuses(value):
    with pytest.raises(TypeError):
        to_text(value)


def test_bad_values_name_the_placeholder():
    with pytest.raises(TypeError, match="'rate'"):
        render_text(tpl(para("{rate}")), {"rate": 0.03})
    with pytest.raises(ValueError, match="'fine'.*two decimal places"):
        render_text(tpl(para("{fine}")), {"fine": Decimal("1.005")})


def test_money_derived_placeholders():
    template = tpl(para("{fine}|{fine_words}|{fine_figures}", indent=False))
    out = render_text(template, {"fine": Decimal("1000001.01")})
    assert out == "1,000,001.01元（壹佰万零壹元零壹分）|壹佰万零壹元零壹分|1,000,001.01\n"
    with pytest.raises(KeyError, match="fine_words"):
        render_text(template, {"fine": 5})  # only a Decimal is money


def test_control_characters_are_stripped():
    assert clean_text("a\x00b\x07c\x1bd\ufeffe\x85f\r\ng\th") == "abcdef\ng h"
    data = render_docx(tpl(para("{x}")), {"x": "违法\x00事实\x0b一\x1f"})
    assert "违法事实一" in full_text(data)


def test_newlines_in_values_make_paragraphs():
    out = render_text(tpl(para("{facts}")), {"facts": "第一段\r\n第二段"})
    assert out == "\u3000\u3000第一段\n\u3000\u3000第二段\n"
    texts = paragraphs(open_docx(render_docx(tpl(para("{facts}")), {"facts": "第一段\n第二段"})))
    assert "第一段" in texts and "第二段" in texts


# -- optional, fillable, when ---------------------------------------------------------------


def test_optional_paragraph_and_field_are_omitted_when_missing_or_empty():
    template = tpl(
        para("裁量：{discretion}", optional=True),
        {
            "type": "fields",
            "items": [
                {"label": "当事人", "value": "{party_name}"},
                {"label": "法定代表人", "value": "{legal_representative}", "optional": True},
            ],
        },
    )
    for context in (
        {"party_name": "甲"},
        {"party_name": "甲", "discretion": "", "legal_representative": " "},
    ):
        assert render_text(template, context) == "当事人：甲\n"
    full = render_text(
        template, {"party_name": "甲", "discretion": "从轻", "legal_representative": "王"}
    )
    assert "裁量：从轻" in full and "法定代表人：王" in full


def test_fillable_field_renders_blank():
    template = tpl(
        {
            "type": "fields",
            "items": [{"label": "签收时间", "value": "{received_at}", "fillable": True}],
        }
    )
    assert render_text(template, {}) == "签收时间：________\n"
    assert render_text(template, {"received_at": dt.date(2026, 1, 5)}) == "签收时间：2026年1月5日\n"
    form = tpl(
        {
            "type": "fields",
            "style": "form",
            "items": [{"label": "签收时间", "value": "{received_at}", "fillable": True}],
        }
    )
    assert "签收时间" in full_text(render_docx(form, {}))


def test_when_flag():
    template = tpl(para("听证", when="hearing_offered", indent=False), para("其他", indent=False))
    assert render_text(template, {"hearing_offered": True}) == "听证\n其他\n"
    assert render_text(template, {"hearing_offered": False}) == "其他\n"
    assert render_text(template, {"hearing_offered": None}) == "其他\n"
    with pytest.raises(KeyError, match="hearing_offered"):
        render_text(template, {})


def test_optional_table_and_empty_table():
    table = {"type": "table", "rows": "items", "columns": [{"key": "name", "label": "名称"}]}
    assert render_text(tpl({**table, "optional": True}), {"items": []}) == "\n"
    assert render_text(tpl({**table, "optional": True}), {}) == "\n"
    assert render_text(tpl(table), {"items": []}) == "名称\n无\n"
    numbered = render_text(
        tpl({**table, "numbered": True}), {"items": [{"name": "甲"}, {"name": "乙"}]}
    )
    assert numbered == "序号 | 名称\n1 | 甲\n2 | 乙\n"
    with pytest.raises(TypeError):
        render_text(tpl(table), {"items": "甲"})


# -- validation -----------------------------------------------------------------------------


def test_validate_reports_unknown_block_types_and_keys():
    problems = validate_template(
        tpl(
            {"type": "image", "src": "x"},
            {"type": "paragraph", "text": "x", "optinal": True},
            {"type": "table", "rows": "bad name", "columns": []},
            {"type": "fields", "items": [{"label": "a"}]},
            {"type": "signature", "lines": [], "align": "centre"},
        )
    )
    text = "\n".join(problems)
    assert "blocks[0]: unknown block type 'image'" in text
    assert "blocks[1]: unknown key 'optinal'" in text
    assert "blocks[2]: rows must name a context list" in text
    assert "blocks[2]: columns must be a non-empty list" in text
    assert "blocks[3].items[0]: missing key 'value'" in text
    assert "blocks[4]: lines must be a non-empty list" in text
    assert "blocks[4]: align must be left or right" in text


def test_validate_template_level():
    assert validate_template([]) == ["template is not a mapping"]
    problems = validate_template(
        {"code": "bad code", "version": 0, "effective_from": "2023/07/01", "blocks": []}
    )
    text = "\n".join(problems)
    for expected in (
        "missing template key 'name'",
        "code must be an identifier",
        "version must be a positive int",
        "effective_from must be an ISO date",
        "blocks must be a non-empty list",
    ):
        assert expected in text


def test_render_refuses_unknown_block_type():
    with pytest.raises(TemplateError, match="unknown block type"):
        render_text(tpl({"type": "image"}), {})


def test_placeholders_lists_names_in_order():
    template = tpl(
        {"type": "title", "text": "{agency_name}", "number": "{document_number}"},
        para("{a}{b}", when="flag"),
        para("{c}", optional=True),
        {"type": "table", "rows": "rows", "columns": [{"key": "k", "label": "K"}]},
        {
            "type": "fields",
            "items": [
                {"label": "L", "value": "{d}", "fillable": True},
                {"label": "L", "value": "{a}"},
            ],
        },
    )
    assert placeholders(template) == [
        "agency_name",
        "document_number",
        "flag",
        "a",
        "b",
        "c",
        "rows[].k",
        "d",
    ]
    assert placeholders(template, required_only=True) == [
        "agency_name",
        "document_number",
        "flag",
        "a",
        "b",
        "rows[].k",
    ]


# -- DOCX layout ----------------------------------------------------------------------------


LAYOUT = tpl(
    {"type": "title", "text": "{agency_name}\n行政处罚决定书", "number": "{document_number}"},
    {"type": "heading", "text": "一、违法事实"},
    para("{facts}"),
    {
        "type": "table",
        "rows": "rows",
        "numbered": True,
        "columns": [{"key": "name", "label": "证据名称"}],
    },
    {"type": "signature", "lines": ["{agency_name}", "（印章）", "{decided_on}"]},
    {"type": "note", "text": "注"},
)
LAYOUT_CONTEXT = {
    "agency_name": "上海市生态环境局",
    "document_number": "沪环罚〔2026〕12号",
    "facts": "事实",
    "rows": [{"name": "笔录"}],
    "decided_on": dt.date(2026, 11, 20),
}


def test_docx_page_is_a4_with_gbt9704_margins():
    document = open_docx(render_docx(LAYOUT, LAYOUT_CONTEXT))
    section = document.sections[0]
    # stored in twips: compare to a tenth of a millimetre
    measured = [section.page_width, section.page_height, section.top_margin, section.left_margin]
    for got, want in zip(measured, [210, 297, 37, 28], strict=True):
        assert abs(got.mm - want) < 0.1


def test_docx_title_number_and_signature_placement():
    document = open_docx(render_docx(LAYOUT, LAYOUT_CONTEXT))
    ps = document.paragraphs
    assert [p.text for p in ps[:3]] == ["上海市生态环境局", "行政处罚决定书", "沪环罚〔2026〕12号"]
    for p in ps[:2]:
        assert p.alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert all(r.bold for r in p.runs)
        assert p.runs[0].font.size.pt == 22  # 二号
    assert ps[2].alignment == WD_ALIGN_PARAGRAPH.CENTER  # GB/T 9704-2012 §7.2.3
    texts = [p.text for p in ps]
    sig = texts.index("（印章）")
    assert texts[sig - 1] == "上海市生态环境局" and texts[sig + 1] == "2026年11月20日"
    # GB/T 9704-2012 §7.3.5.1: date 右空四字, agency name centred over it, on the right half
    for p in ps[sig - 1 : sig + 2]:
        assert p.alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert p.paragraph_format.right_indent.pt == 4 * 16
        assert p.paragraph_format.left_indent.pt > 156 / 25.4 * 72 / 2
    assert len(document.tables) == 1
    assert [c.text for c in document.tables[0].rows[1].cells] == ["1", "笔录"]


def test_docx_east_asian_fonts_are_set():
    data = render_docx(LAYOUT, LAYOUT_CONTEXT)
    document = open_docx(data)
    for p in document.paragraphs:
        for run in p.runs:
            rfonts = run._r.rPr.rFonts
            assert rfonts.get(qn("w:eastAsia")), p.text
    title_font = document.paragraphs[0].runs[0]._r.rPr.rFonts.get(qn("w:eastAsia"))
    body_font = next(p for p in document.paragraphs if p.text == "事实").runs[0]._r.rPr.rFonts
    assert title_font == "SimHei"
    assert body_font.get(qn("w:eastAsia")) == "FangSong"
    normal = document.styles["Normal"].element.rPr.rFonts
    assert normal.get(qn("w:eastAsia")) == "FangSong"
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        styles = package.read("word/styles.xml").decode()
        fonts = package.read("word/fontTable.xml").decode()
    assert (
        'w:eastAsia="zh-CN"' in styles
        and "eastAsiaTheme" not in styles.split("</w:docDefaults>")[0]
    )
    assert 'w:name="FangSong"' in fonts and 'w:val="仿宋"' in fonts and 'w:val="86"' in fonts


def test_body_size_from_title_block():
    """四号 (14 pt) for forms and records, 三号 (16 pt) otherwise (GB/T 9704-2012 §7.3.3)."""
    small = tpl({"type": "title", "text": "笔录", "body_pt": 14}, para("正文"))
    assert open_docx(render_docx(small, {})).styles["Normal"].font.size.pt == 14
    assert open_docx(render_docx(LAYOUT, LAYOUT_CONTEXT)).styles["Normal"].font.size.pt == 16
    bad = tpl({"type": "title", "text": "笔录", "body_pt": 40})
    assert validate_template(bad) == [
        "blocks[0]: body_pt must be a size in points between 9 and 22"
    ]


def test_docx_custom_fonts():
    document = open_docx(
        render_docx(LAYOUT, LAYOUT_CONTEXT, fonts=Fonts(title="方正小标宋简体", body="仿宋_GB2312"))
    )
    assert document.paragraphs[0].runs[0]._r.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    body = next(p for p in document.paragraphs if p.text == "事实")
    assert body.runs[0]._r.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_docx_page_numbers_optional():
    with_numbers = open_docx(render_docx(LAYOUT, LAYOUT_CONTEXT))
    footer = with_numbers.sections[0].footer._element.xml
    assert "PAGE" in footer
    without = open_docx(render_docx(LAYOUT, LAYOUT_CONTEXT, page_numbers=False))
    assert "PAGE" not in without.sections[0].footer._element.xml


def test_docx_is_deterministic():
    """Same input, same bytes: a rendered document can be hashed into the evidence vault."""
    assert render_docx(LAYOUT, LAYOUT_CONTEXT) == render_docx(LAYOUT, LAYOUT_CONTEXT)
    shanghai = dt.timezone(dt.timedelta(hours=8))
    stamp = dt.datetime(2026, 11, 20, 10, 0, tzinfo=shanghai)
    document = open_docx(render_docx(LAYOUT, LAYOUT_CONTEXT, timestamp=stamp))
    assert document.core_properties.created == stamp
    props = open_docx(render_docx(LAYOUT, LAYOUT_CONTEXT)).core_properties
    assert props.title == "测试文书" and props.keywords == "沪环罚〔2026〕12号"
