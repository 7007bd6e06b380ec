"""A realistic case for the template tests: a Shanghai chemical company fined ¥500,000 under
《中华人民共和国大气污染防治法》第九十九条 for exceeding an air-emission standard.

Names, addresses and report numbers are invented; the USCC is the verified sample of
RULES.md R9.2.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sanxiang.cases.documents import review_findings_rows

AGENCY = "上海市生态环境局"
PARTY = "上海申江精细化工有限公司"
USCC = "91310000717854505W"
DOCUMENT_NUMBER = "沪环罚〔2026〕12号"
NOTICE_NUMBER = "沪环罚告〔2026〕12号"
HEARING_NUMBER = "沪环罚听告〔2026〕12号"
REVIEW_NUMBER = "沪环法审〔2026〕7号"
VIOLATED = "《中华人民共和国大气污染防治法》第十八条"
LEGAL_BASIS = "《中华人民共和国大气污染防治法》第九十九条第二项"
FACTS = (
    "2026年9月15日，我局执法人员对你单位位于上海市金山区月工路88号的生产厂区进行现场检查，"
    "并委托上海市环境监测中心对你单位蓄热式焚烧炉（RTO）排气筒（编号DA001）排放的废气进行采样监测。"
    "监测报告（编号HJJC-2026-0915）显示，该排气筒非甲烷总烃排放浓度为142毫克/立方米，"
    "超过《大气污染物综合排放标准》（DB31/933-2015）规定的排放限值。\n"
    "你单位超过大气污染物排放标准排放大气污染物的行为，于2026年9月15日被我局执法人员发现。"
)
PENALTY = "罚款人民币伍拾万元整（￥500,000.00）。"
FINE = Decimal("500000.00")

OFFICERS = [
    {"name": "张伟", "certificate_number": "31000020001", "unit": "上海市生态环境局执法总队"},
    {"name": "李娜", "certificate_number": "31000020017", "unit": "上海市生态环境局执法总队"},
]
EVIDENCE = [
    {
        "name": "现场检查（勘察）笔录",
        "description": "证明2026年9月15日现场检查时的生产及治理设施运行情况",
    },
    {"name": "调查询问笔录", "description": "证明当事人对超标排放事实的陈述"},
    {"name": "监测报告（HJJC-2026-0915）", "description": "证明DA001排气筒非甲烷总烃排放浓度超标"},
    {"name": "营业执照复印件", "description": "证明当事人的主体资格"},
    {
        "name": "现场照片及执法记录仪音像记录（SX-AV-2026-00315）",
        "description": "证明现场检查及采样过程",
    },
]

_PARTY = {
    "agency_name": AGENCY,
    "party_name": PARTY,
    "party_id_type": "统一社会信用代码",
    "party_id_number": USCC,
    "legal_representative": "王建国",
    "party_address": "上海市金山区月工路88号",
    "case_number": "SX-2026-PEN-000123",
    "case_cause": "涉嫌超过大气污染物排放标准排放大气污染物",
    "filed_on": dt.date(2026, 9, 25),
    "violated_provisions": VIOLATED,
    "legal_basis": LEGAL_BASIS,
}

_CONTACT = {
    "contact_person": "张伟",
    "contact_phone": "021-23111111",
    "agency_address": "上海市黄浦区大沽路100号",
}


def context(code: str) -> dict[str, object]:
    """A full context for the template ``code``."""
    builders = {
        "filing_approval": _filing,
        "inspection_record": _inspection,
        "interview_record": _interview,
        "penalty_notice": _notice,
        "hearing_notice": _hearing,
        "review_opinion": _review,
        "penalty_decision": _decision,
        "service_receipt": _service,
    }
    return builders[code]()


def _filing() -> dict[str, object]:
    return {
        **_PARTY,
        "case_source": "日常监督检查",
        "clue_found_on": dt.date(2026, 9, 15),
        "party_phone": "021-57000000",
        "case_summary": FACTS,
        "filing_reason": "当事人涉嫌超标排放大气污染物，依法应当给予行政处罚，属于本机关管辖，未超过追责时效，符合立案条件。",
        "handler_names": ["张伟", "李娜"],
        "handler_opinion": "建议立案调查。",
        "unit_head_opinion": "同意立案。",
        # agency_head_opinion and approved_on left blank: signed on paper
    }


def _inspection() -> dict[str, object]:
    return {
        **_PARTY,
        "inspected_from": dt.datetime(2026, 9, 15, 9, 30),
        "inspected_until": dt.datetime(2026, 9, 15, 11, 5),
        "inspection_place": "上海市金山区月工路88号生产厂区",
        "onsite_person": "赵强",
        "onsite_person_title": "环保主管",
        "onsite_person_phone": "13800000000",
        "recorder": "李娜",
        "officers": OFFICERS,
        "recording_started_at": dt.datetime(2026, 9, 15, 9, 30),
        "av_device": "执法记录仪（编号ZFJL-0231）",
        "recusal_answer": "不申请回避。",
        "inspection_findings": (
            "检查时，当事人RTO焚烧炉正在运行，二号反应釜正在生产。\n"
            "执法人员会同上海市环境监测中心对DA001排气筒进行了采样，样品编号HJJC-2026-0915-01至03。"
        ),
        "evidence_items": EVIDENCE[4:],
        "party_confirmation": "以上笔录我已看过，情况属实。",
    }


def _interview() -> dict[str, object]:
    return {
        **_PARTY,
        "interviewed_from": dt.datetime(2026, 9, 20, 14, 0),
        "interviewed_until": dt.datetime(2026, 9, 20, 15, 10),
        "interview_place": "上海市生态环境局执法总队询问室",
        "interviewee_name": "赵强",
        "interviewee_gender": "男",
        "interviewee_id_number": "11010519491231002X",
        "interviewee_employer_title": f"{PARTY}环保主管",
        "interviewee_relation": "当事人的工作人员（受法定代表人委托）",
        "interviewee_phone": "13800000000",
        "recorder": "李娜",
        "officers": OFFICERS,
        "rights_acknowledged": "听清楚了。",
        "recusal_answer": "不申请回避。",
        "qa_transcript": (
            "问：请介绍一下你单位的基本情况。\n"
            "答：我单位主要生产医药中间体，有机废气经RTO焚烧炉处理后通过DA001排气筒排放。\n"
            "问：2026年9月15日检查时RTO焚烧炉的运行情况如何？\n"
            "答：当天焚烧室温度偏低，处理效率下降，我们已经更换了燃烧器。"
        ),
        "interviewee_confirmation": "以上笔录我已看过，与我说的一致。",
    }


def _notice() -> dict[str, object]:
    return {
        **_PARTY,
        **_CONTACT,
        "document_number": NOTICE_NUMBER,
        "facts": FACTS,
        "evidence_items": EVIDENCE,
        "discretion_reasoning": "综合考虑超标倍数、持续时间及整改情况等因素，参照本市生态环境行政处罚裁量基准，确定处罚幅度。",
        "proposed_penalty": PENALTY,
        "statement_days": 5,
        "hearing_offered": True,
        "hearing_request_days": 5,
        "issued_on": dt.date(2026, 10, 20),
    }


def _hearing() -> dict[str, object]:
    return {
        **_PARTY,
        **_CONTACT,
        "document_number": HEARING_NUMBER,
        "proposed_penalty": PENALTY,
        "hearing_request_days": 5,
        "hearing_notice_days": 7,
        "issued_on": dt.date(2026, 10, 20),
    }


def _review() -> dict[str, object]:
    findings = {
        "subject": "我局依法具有生态环境行政处罚权，执法人员均持有有效执法证件。",
        "jurisdiction": "违法行为发生地在本市，属于我局管辖。",
        "procedure": "立案、调查、告知、听证程序合法。",
        "facts": "违法事实清楚。",
        "law": "适用《中华人民共和国大气污染防治法》第十八条、第九十九条第二项正确。",
        "evidence": "证据确实、充分，取证程序合法。",
        "discretion": "罚款数额在法定幅度内，符合裁量基准。",
    }
    return {
        **_PARTY,
        "document_number": REVIEW_NUMBER,
        "case_name": f"{PARTY}超过大气污染物排放标准排放大气污染物案",
        "submitting_unit": "上海市生态环境局执法总队",
        "submitted_on": dt.date(2026, 11, 5),
        "review_round": 1,
        "proposed_decision": PENALTY,
        "major_reasons": ["罚款数额达到较大数额标准", "经过听证程序"],
        "review_unit": "上海市生态环境局法规处",
        "findings": review_findings_rows(findings),
        "review_result": "同意",
        "review_text": "经审核，本案事实清楚，证据确凿，适用依据正确，程序合法，处罚适当，同意作出上述处罚决定。",
        "reviewers": ["陈静", "刘洋"],
        "reviewed_on": dt.date(2026, 11, 10),
    }


def _decision() -> dict[str, object]:
    return {
        **_PARTY,
        "document_number": DOCUMENT_NUMBER,
        "facts": FACTS,
        "evidence_items": EVIDENCE,
        "notice_served_on": dt.date(2026, 10, 21),
        "notice_number": NOTICE_NUMBER,
        "statement_handling": (
            "你单位于2026年10月26日提出听证申请，我局于2026年11月4日依法举行了听证。"
            "你单位提出已更换燃烧器完成整改，我局经复核认为，整改情况已在裁量中予以考虑，"
            "其余申辩意见不能成立，不予采纳。"
        ),
        "discretion_reasoning": "鉴于你单位在调查期间积极整改，参照本市生态环境行政处罚裁量基准，综合考虑超标倍数、持续时间及整改情况，确定处罚幅度。",
        "penalty_content": PENALTY,
        "fine_amount": FINE,
        "payment_deadline_days": 15,
        "payment_bank": "指定的代理银行（中国工商银行上海市分行各营业网点）",
        "electronic_payment_channel": "上海市非税收入电子缴款系统",
        "review_organ": "上海市人民政府",
        "court": "上海铁路运输法院",
        "decided_on": dt.date(2026, 11, 20),
    }


def _service() -> dict[str, object]:
    return {
        "agency_name": AGENCY,
        "served_documents": [
            {"name": "行政处罚决定书", "number": DOCUMENT_NUMBER, "copies": 1},
        ],
        "recipient_name": PARTY,
        "service_place": "上海市金山区月工路88号",
        "service_method": "直接送达",
        "server_names": ["张伟（31000020001）", "李娜（31000020017）"],
        "served_at": dt.datetime(2026, 11, 23, 10, 0),
    }
