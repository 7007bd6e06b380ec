"""Every default template (统一执法文书) renders a realistic case, as text and as DOCX.

Sample: a Shanghai chemical company (USCC 91310000717854505W) fined ¥500,000 under
《中华人民共和国大气污染防治法》第九十九条 (see ``samples.py``).
"""

import pytest

from sanxiang.cases.documents import (
    REVIEW_POINTS,
    placeholders,
    render_docx,
    render_text,
    validate_template,
)
from sanxiang.cases.documents.numbers import parse_document_number
from sanxiang.catalog.data.document_templates import DEFAULT_TEMPLATES, TEMPLATE_CODES

from . import samples
from .docx_text import full_text, open_docx

TEMPLATES = {t["code"]: t for t in DEFAULT_TEMPLATES}
CODES = list(TEMPLATES)


def compact(text: str) -> str:
    """Words only: no whitespace, table separators, label colons or blanks."""
    return "".join(ch for ch in text if not ch.isspace() and ch not in "|：_\u3000")


def test_the_eight_templates():
    assert TEMPLATE_CODES == (
        "filing_approval",
        "inspection_record",
        "interview_record",
        "penalty_notice",
        "hearing_notice",
        "review_opinion",
        "penalty_decision",
        "service_receipt",
    )
    names = {t["code"]: t["name"] for t in DEFAULT_TEMPLATES}
    assert names["penalty_decision"] == "行政处罚决定书"
    assert names["inspection_record"] == "现场检查（勘察）笔录"


@pytest.mark.parametrize("code", CODES)
def test_template_is_valid_versioned_data(code):
    template = TEMPLATES[code]
    assert validate_template(template) == []
    assert template["version"] == 1
    assert template["effective_from"] == "2023-07-01"  # 生态环境部令第30号 in force
    assert "法" in template["citation"]


def test_default_templates_do_not_share_blocks():
    """Deep copies: editing one template's evidence table must not change another's."""
    notice, decision = TEMPLATES["penalty_notice"], TEMPLATES["penalty_decision"]
    notice_tables = [b for b in notice["blocks"] if b["type"] == "table"]
    decision_tables = [b for b in decision["blocks"] if b["type"] == "table"]
    assert notice_tables[0] == decision_tables[0] and notice_tables[0] is not decision_tables[0]


@pytest.mark.parametrize("code", CODES)
def test_renders_with_full_context(code):
    """Every template renders the sample case; the DOCX opens and says what the text says."""
    template, context = TEMPLATES[code], samples.context(code)
    text = render_text(template, context)
    data = render_docx(template, context)
    docx_text = full_text(data)
    document = open_docx(data)
    assert document.paragraphs[1].text == template["name"]  # title under the agency name
    for rendered in (text, docx_text):
        assert "{" not in rendered and "}" not in rendered
        assert samples.AGENCY in rendered
        assert template["name"] in rendered
    # the DOCX carries the same words as the text rendering
    assert compact(text) == compact(docx_text)


@pytest.mark.parametrize("code", CODES)
def test_every_required_placeholder_is_needed(code):
    """Dropping any required value fails loudly, naming it."""
    template, context = TEMPLATES[code], samples.context(code)
    for name in placeholders(template, required_only=True):
        key = name.split("[]")[0]
        if key not in context:
            continue
        reduced = {k: v for k, v in context.items() if k != key}
        with pytest.raises(KeyError) as excinfo:
            render_text(template, reduced)
        assert excinfo.value.args[0] == key


@pytest.mark.parametrize("code", ["penalty_notice", "hearing_notice", "penalty_decision"])
def test_party_facts_and_number(code):
    data = render_docx(TEMPLATES[code], samples.context(code))
    text = full_text(data)
    assert samples.PARTY in text
    number = open_docx(data).paragraphs[2].text  # right under the two title lines
    parse_document_number(number)
    assert number in (samples.DOCUMENT_NUMBER, samples.NOTICE_NUMBER, samples.HEARING_NUMBER)
    assert samples.LEGAL_BASIS in text and samples.VIOLATED in text
    assert samples.PENALTY in text


def test_penalty_decision_contains_everything_of_apl_article_59():
    """《行政处罚法》第五十九条: party and address; facts and evidence; penalty and basis;
    manner and deadline of performance; review/litigation channels and periods; agency and
    date (and seal). Plus 第六十七条 (15 days), 第七十二条 (3%/day, capped), 第七十三条."""
    context = samples.context("penalty_decision")
    data = render_docx(TEMPLATES["penalty_decision"], context)
    text = full_text(data)
    assert samples.DOCUMENT_NUMBER in text
    # (一) party name, identity, address
    for value in (
        samples.PARTY,
        samples.USCC,
        "统一社会信用代码",
        "上海市金山区月工路88号",
        "王建国",
    ):
        assert value in text
    # (二) facts and evidence
    assert "非甲烷总烃排放浓度为142毫克/立方米" in text
    assert "监测报告（HJJC-2026-0915）" in text
    # (三) penalty and legal basis
    assert "依据《中华人民共和国大气污染防治法》第九十九条第二项的规定" in text
    assert "罚款人民币伍拾万元整" in text
    # (四) manner and deadline of performance
    assert "自收到本决定书之日起15日内" in text
    assert "指定的代理银行（中国工商银行上海市分行各营业网点）" in text
    assert "缴纳罚款500,000.00元（伍拾万元整）" in text
    assert "电子支付" in text
    assert "每日按罚款数额的3%加处罚款" in text and "不超出罚款的数额" in text
    assert "第七十二条" in text and "第六十六条第二款" in text
    # (五) remedies
    assert (
        "60日内向上海市人民政府申请行政复议" in text
        and "《中华人民共和国行政复议法》第二十条" in text
    )
    assert "6个月内依法向上海铁路运输法院提起行政诉讼" in text
    assert "《中华人民共和国行政诉讼法》第四十六条" in text
    assert "不停止执行" in text and "第七十三条" in text
    # (六) agency, date, seal
    tail = [p.text for p in open_docx(data).paragraphs if p.text][-3:]
    assert tail == [samples.AGENCY, "（印章）", "2026年11月20日"]
    # prior notice referenced
    assert samples.NOTICE_NUMBER in text and "2026年10月21日" in text


def test_penalty_decision_without_fine_has_no_payment_clause():
    context = {
        **samples.context("penalty_decision"),
        "fine_amount": None,
        "penalty_content": "警告。",
    }
    text = render_text(TEMPLATES["penalty_decision"], context)
    assert "缴纳罚款" not in text and "加处罚款" not in text
    assert "警告。" in text and "申请行政复议" in text


def test_penalty_decision_payment_period_comes_from_the_rule():
    """The 15-day payment period is a rule value (catalog time limit ``payment``)."""
    context = {**samples.context("penalty_decision"), "payment_deadline_days": 30}
    assert "之日起30日内，持本决定书" in render_text(TEMPLATES["penalty_decision"], context)
    del context["payment_deadline_days"]
    with pytest.raises(KeyError, match="payment_deadline_days"):
        render_text(TEMPLATES["penalty_decision"], context)


@pytest.mark.parametrize("code", CODES)
def test_templates_use_only_the_keys_the_catalog_stores(code):
    """catalog.seed stores code, name, version, effective_from, citation and blocks only."""
    assert set(TEMPLATES[code]) == {
        "code",
        "name",
        "version",
        "effective_from",
        "citation",
        "blocks",
    }


def test_penalty_decision_for_a_natural_person():
    context = {
        **samples.context("penalty_decision"),
        "party_name": "张某某",
        "party_id_type": "居民身份证号码",
        "party_id_number": "11010519491231002X",
        "legal_representative": None,
    }
    text = render_text(TEMPLATES["penalty_decision"], context)
    assert "居民身份证号码：11010519491231002X" in text
    assert "法定代表人" not in text


def test_penalty_notice_rights():
    """《行政处罚法》第四十四条、第四十五条: statement and defence, no heavier penalty;
    第六十三条/第六十四条: hearing request within 5 working days when offered."""
    context = samples.context("penalty_notice")
    text = render_text(TEMPLATES["penalty_notice"], context)
    assert "第四十四条、第四十五条" in text
    assert "自收到本告知书之日起5个工作日内向我局提出陈述、申辩意见" in text
    assert "不会因你（单位）陈述、申辩而给予更重的处罚" in text
    assert "视为放弃陈述、申辩的权利" in text
    assert "有权要求举行听证" in text and "5个工作日内向我局提出" in text
    assert "张伟" in text and "021-23111111" in text
    without = render_text(TEMPLATES["penalty_notice"], {**context, "hearing_offered": False})
    assert "听证" not in without


def test_hearing_notice_rights():
    """《行政处罚法》第六十三条、第六十四条 (RULES.md R6.1–R6.2)."""
    text = render_text(TEMPLATES["hearing_notice"], samples.context("hearing_notice"))
    for phrase in (
        "第六十三条、第六十四条",
        "自收到本告知书之日起5个工作日内",
        "举行听证的7个工作日前",
        "除涉及国家秘密、商业秘密或者个人隐私依法予以保密外，听证公开举行",
        "非本案调查人员主持",
        "委托一至二人代理",
        "视为放弃听证权利",
        "不承担我局组织听证的费用",
        "罚款人民币伍拾万元整",
    ):
        assert phrase in text, phrase


def test_review_opinion_has_the_seven_points():
    """RULES.md R7.4 / R7.5: seven review points, result 同意/存在问题, written opinion, reviewer."""
    data = render_docx(TEMPLATES["review_opinion"], samples.context("review_opinion"))
    document = open_docx(data)
    text = full_text(data)
    table = document.tables[0]
    items = [row.cells[1].text for row in table.rows[1:]]
    assert items == [label for _, label in REVIEW_POINTS]
    assert items == [
        "执法主体",
        "管辖权限",
        "执法程序",
        "事实认定",
        "法律适用",
        "证据使用",
        "自由裁量权运用",
    ]
    assert "审核结论：同意" in text
    assert "同意作出上述处罚决定" in text
    assert "审核人员：陈静、刘洋" in text
    assert "第1次送审" in text
    assert "罚款数额达到较大数额标准、经过听证程序" in text
    assert "上海市生态环境局法规处" in text and "2026年11月10日" in text


def test_review_findings_rows_requires_all_seven():
    from sanxiang.cases.documents import review_findings_rows

    findings = {key: "无问题" for key, _ in REVIEW_POINTS}
    assert len(review_findings_rows(findings)) == 7
    del findings["discretion"]
    with pytest.raises(KeyError, match="discretion"):
        review_findings_rows(findings)


def test_inspection_record_shows_officers_certificates_and_recording():
    """《行政处罚法》第四十二条 (two officers), 第五十五条 (certificates), 第四十七条 (recording)."""
    data = render_docx(TEMPLATES["inspection_record"], samples.context("inspection_record"))
    text = full_text(data)
    assert "执法人员已出示执法证件" in text
    for officer in samples.OFFICERS:
        assert officer["name"] in text and officer["certificate_number"] in text
    assert "全过程音像记录" in text and "ZFJL-0231" in text
    assert "2026年9月15日9时30分至2026年9月15日11时05分" in text
    assert "申请回避" in text and "不申请回避。" in text
    assert "被检查单位（人）签名或者盖章" in text


def test_interview_record_recusal_and_rights():
    text = render_text(TEMPLATES["interview_record"], samples.context("interview_record"))
    assert "执法人员已出示执法证件" in text
    assert "你是否申请执法人员回避？" in text and "答：不申请回避。" in text
    assert "有权拒绝回答" in text and "如实回答询问" in text
    assert "问：2026年9月15日检查时RTO焚烧炉的运行情况如何？" in text
    assert "31000020017" in text


def test_filing_approval_leaves_approval_rows_blank():
    data = render_docx(TEMPLATES["filing_approval"], samples.context("filing_approval"))
    document = open_docx(data)
    rows = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert rows["当事人"] == samples.PARTY
    assert rows["统一社会信用代码"] == samples.USCC
    assert rows["承办人"] == "张伟、李娜"
    assert rows["机关负责人审批意见"] == "" and rows["审批日期"] == ""
    assert "十五日内" in full_text(data)


def test_service_receipt_form():
    """《行政处罚法》第六十一条; 留置送达 witnesses."""
    data = render_docx(TEMPLATES["service_receipt"], samples.context("service_receipt"))
    document = open_docx(data)
    served = document.tables[0]
    assert [c.text for c in served.rows[1].cells] == [
        "1",
        "行政处罚决定书",
        samples.DOCUMENT_NUMBER,
        "1",
    ]
    rows = {row.cells[0].text: row.cells[1].text for row in document.tables[1].rows}
    assert rows["送达方式"] == "直接送达"
    assert rows["送达时间"] == "2026年11月23日10时00分"
    assert rows["送达人"] == "张伟（31000020001）、李娜（31000020017）"
    assert rows["受送达人签名或者盖章"] == ""
    assert "见证人（留置送达）" in rows
    text = full_text(data)
    assert "留置送达" in text and "第六十一条" in text and "七日内" in text


@pytest.mark.parametrize("code", CODES)
def test_catalog_accepts_the_template(code):
    """The catalog's own (pure) block check, run by its data migration, accepts every template."""
    from sanxiang.catalog.rules.templates import placeholders as catalog_placeholders
    from sanxiang.catalog.rules.templates import validate_blocks

    blocks = TEMPLATES[code]["blocks"]
    validate_blocks(blocks)
    ours = {name for name in placeholders(TEMPLATES[code]) if "[]" not in name}
    when_flags = {b["when"] for b in blocks if b.get("when")}
    theirs = set(catalog_placeholders(blocks))
    assert theirs <= ours and ours - theirs <= when_flags
