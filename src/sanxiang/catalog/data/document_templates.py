"""Default unified enforcement document templates (统一执法文书), version 1.

Plain data, no Django: one dict per template version, rendered by
``sanxiang.cases.documents.render`` (its module docstring defines the block types,
placeholders, ``optional``/``fillable`` items and ``when`` flags). The catalog
seeds its versioned template records from ``DEFAULT_TEMPLATES``; a bureau changes wording by
publishing a new version, never by editing one in force.

Wording follows the layout of the ecology-environment unified enforcement documents
(生态环境行政处罚文书) and spells out the rights, remedies and time limits of the law cited on
each template. In force with 《生态环境行政处罚办法》(生态环境部令第30号) from 2023-07-01.

Only ``code``, ``name``, ``version``, ``effective_from``, ``citation`` and ``blocks`` are
used (the catalog stores exactly these); layout hints live in the blocks (``body_pt`` on the
title block: 14 pt 四号 for forms and records, else 16 pt 三号).

Time limits that are configurable rule values (``catalog.data.time_limits``: ``statement``,
``hearing_request``, ``hearing_notice``, ``payment``) are placeholders — ``{statement_days}``,
``{hearing_request_days}``, ``{hearing_notice_days}``, ``{payment_deadline_days}`` — filled
from the rule version the case is judged under. Fixed statutory figures are text: 60 days for
administrative reconsideration (《行政复议法》第二十条), 6 months for litigation (《行政诉讼法》
第四十六条), a late-payment surcharge of 3% a day capped at the fine (《行政处罚法》第七十二条).
"""

from __future__ import annotations

import copy

EFFECTIVE_FROM = "2023-07-01"  # 《生态环境行政处罚办法》(生态环境部令第30号) in force

APL = "《中华人民共和国行政处罚法》"


def _party(label: str = "当事人") -> list[dict[str, object]]:
    """Party identification rows (行政处罚法 第五十九条第一项: 姓名或者名称、地址)."""
    return [
        {"label": label, "value": "{party_name}"},
        {"label": "{party_id_type}", "value": "{party_id_number}"},
        {"label": "法定代表人（负责人）", "value": "{legal_representative}", "optional": True},
        {"label": "住所（地址）", "value": "{party_address}"},
    ]


_OFFICERS_TABLE = {
    "type": "table",
    "rows": "officers",
    "numbered": True,
    "columns": [
        {"key": "name", "label": "执法人员姓名", "width": 40},
        {"key": "certificate_number", "label": "执法证件号码", "width": 55},
        {"key": "unit", "label": "所在单位"},
    ],
}

_EVIDENCE_TABLE = {
    "type": "table",
    "rows": "evidence_items",
    "numbered": True,
    "columns": [
        {"key": "name", "label": "证据名称", "width": 55},
        {"key": "description", "label": "证明事项"},
    ],
}

_CONTACT = {
    "type": "fields",
    "items": [
        {"label": "联系人", "value": "{contact_person}"},
        {"label": "联系电话", "value": "{contact_phone}"},
        {"label": "联系地址", "value": "{agency_address}"},
    ],
}


def _seal(date_placeholder: str, organ: str = "{agency_name}") -> dict[str, object]:
    return {"type": "signature", "lines": [organ, "（印章）", "{" + date_placeholder + "}"]}


def _sign(label: str, width: int = 21) -> str:
    """A line to sign by hand, the dates aligned: ``执法人员签名：　…　年　　月　　日``."""
    return label + "\u3000" * (width - len(label)) + "年\u3000\u3000月\u3000\u3000日"


FILING_APPROVAL = {
    "code": "filing_approval",
    "name": "立案审批表",
    "version": 1,
    "effective_from": EFFECTIVE_FROM,
    "citation": f"{APL}第五十四条；《生态环境行政处罚办法》（生态环境部令第30号）第十八条",
    "blocks": [
        {"type": "title", "text": "{agency_name}\n立案审批表", "body_pt": 14},
        {
            "type": "fields",
            "style": "form",
            "items": [
                {"label": "案件编号", "value": "{case_number}"},
                {"label": "案件来源", "value": "{case_source}"},
                {"label": "案由", "value": "{case_cause}"},
                {"label": "发现线索日期", "value": "{clue_found_on}"},
                *_party(),
                {"label": "联系电话", "value": "{party_phone}", "optional": True},
                {"label": "简要案情", "value": "{case_summary}"},
                {"label": "涉嫌违反的规定", "value": "{violated_provisions}"},
                {"label": "拟适用的处罚依据", "value": "{legal_basis}"},
                {"label": "立案理由", "value": "{filing_reason}"},
                {"label": "承办人", "value": "{handler_names}"},
                {"label": "承办人意见", "value": "{handler_opinion}", "fillable": True},
                {"label": "承办机构负责人意见", "value": "{unit_head_opinion}", "fillable": True},
                {"label": "机关负责人审批意见", "value": "{agency_head_opinion}", "fillable": True},
                {"label": "审批日期", "value": "{approved_on}", "fillable": True},
            ],
        },
        {
            "type": "note",
            "text": (
                "说明：1. 对涉嫌环境违法行为的线索，应当自发现线索或者收到相关材料之日起十五日内"
                "进行初步审查，决定是否立案；特殊情况下，经机关负责人批准，可以延长十五日"
                "（《生态环境行政处罚办法》第十八条）。\n"
                "2. 违法行为在二年内未被发现的，不再给予行政处罚；涉及公民生命健康安全、金融安全"
                f"且有危害后果的，上述期限延长至五年（{APL}第三十六条）。\n"
                "3. 机关负责人批准立案后，应当指定两名以上具有行政执法资格的执法人员承办"
                f"（{APL}第四十二条）。"
            ),
        },
    ],
}


INSPECTION_RECORD = {
    "code": "inspection_record",
    "name": "现场检查（勘察）笔录",
    "version": 1,
    "effective_from": EFFECTIVE_FROM,
    "citation": (
        f"{APL}第四十二条、第四十三条、第四十七条、第五十五条；《中华人民共和国环境保护法》"
        "第二十四条；《生态环境行政处罚办法》（生态环境部令第30号）"
    ),
    "blocks": [
        {"type": "title", "text": "{agency_name}\n现场检查（勘察）笔录", "body_pt": 14},
        {
            "type": "fields",
            "items": [
                {"label": "案件编号", "value": "{case_number}", "optional": True},
                {"label": "检查（勘察）时间", "value": "{inspected_from}至{inspected_until}"},
                {"label": "检查（勘察）地点", "value": "{inspection_place}"},
                *_party("被检查单位（人）"),
                {
                    "label": "现场负责人",
                    "value": "{onsite_person}（职务：{onsite_person_title}；联系电话：{onsite_person_phone}）",
                },
                {"label": "记录人", "value": "{recorder}"},
            ],
        },
        {**_OFFICERS_TABLE, "caption": "执法人员（不少于两人）："},
        {
            "type": "paragraph",
            "text": (
                "执法人员已出示执法证件，表明身份。执法人员告知：我们是{agency_name}的执法人员，"
                "现依法对你（单位）进行现场检查（勘察），请予配合。你（单位）应当如实反映情况，"
                "提供有关资料，不得拒绝、阻挠检查，不得隐瞒或者提供虚假情况"
                f"（{APL}第五十五条、《中华人民共和国环境保护法》第二十四条）。"
                "执法人员对检查中知悉的商业秘密、个人隐私负有保密义务。"
            ),
        },
        {
            "type": "paragraph",
            "text": (
                "执法人员告知：本次检查（勘察）自{recording_started_at}起进行全过程音像记录，"
                f"记录设备：{{av_device}}（{APL}第四十七条）。"
            ),
        },
        {
            "type": "paragraph",
            "text": (
                "执法人员告知：你（单位）认为执法人员与本案有直接利害关系或者有其他关系可能影响"
                f"公正执法的，有权申请回避（{APL}第四十三条）。是否申请回避：{{recusal_answer}}"
            ),
        },
        {"type": "heading", "text": "现场检查（勘察）情况"},
        {"type": "paragraph", "text": "{inspection_findings}"},
        {
            "type": "table",
            "rows": "evidence_items",
            "numbered": True,
            "optional": True,
            "caption": "现场提取的证据（含照片、音像记录、采样）：",
            "columns": [
                {"key": "name", "label": "证据名称", "width": 55},
                {"key": "description", "label": "说明"},
            ],
        },
        {
            "type": "fields",
            "items": [
                {
                    "label": "被检查单位（人）核对意见",
                    "value": "{party_confirmation}",
                    "fillable": True,
                }
            ],
        },
        {
            "type": "signature",
            "align": "left",
            "lines": [
                _sign("被检查单位（人）签名或者盖章："),
                _sign("执法人员签名："),
                _sign("记录人签名："),
                _sign("见证人签名："),
            ],
        },
        {
            "type": "note",
            "text": (
                f"注：1. 执法人员不得少于两人，并应当主动出示执法证件（{APL}第四十二条、第五十五条）。\n"
                "2. 笔录应当交被检查单位（人）核对或者向其宣读，并逐页签名或者盖章；拒绝签名或者"
                "盖章的，执法人员应当在笔录中注明情况，并可以邀请见证人签名或者以音像记录佐证。\n"
                "3. 本笔录共\u3000\u3000页。"
            ),
        },
    ],
}


INTERVIEW_RECORD = {
    "code": "interview_record",
    "name": "调查询问笔录",
    "version": 1,
    "effective_from": EFFECTIVE_FROM,
    "citation": (
        f"{APL}第四十二条、第四十三条、第四十七条、第五十五条；"
        "《生态环境行政处罚办法》（生态环境部令第30号）"
    ),
    "blocks": [
        {"type": "title", "text": "{agency_name}\n调查询问笔录", "body_pt": 14},
        {
            "type": "fields",
            "items": [
                {"label": "案件编号", "value": "{case_number}", "optional": True},
                {"label": "案由", "value": "{case_cause}"},
                {"label": "询问时间", "value": "{interviewed_from}至{interviewed_until}"},
                {"label": "询问地点", "value": "{interview_place}"},
                {"label": "被询问人", "value": "{interviewee_name}（性别：{interviewee_gender}）"},
                {"label": "身份证件号码", "value": "{interviewee_id_number}"},
                {"label": "工作单位及职务", "value": "{interviewee_employer_title}"},
                {"label": "与本案关系", "value": "{interviewee_relation}"},
                {"label": "联系电话", "value": "{interviewee_phone}", "optional": True},
                {"label": "住址", "value": "{interviewee_address}", "optional": True},
                {"label": "记录人", "value": "{recorder}"},
            ],
        },
        {**_OFFICERS_TABLE, "caption": "询问人（执法人员，不少于两人）："},
        {
            "type": "paragraph",
            "indent": False,
            "text": (
                "问：我们是{agency_name}的执法人员（执法人员已出示执法证件），现依法就{case_cause}"
                "一案有关情况向你进行调查询问，本次询问进行全过程音像记录。你应当如实回答询问、"
                "协助调查，不得拒绝、阻挠，不得提供虚假情况或者隐匿证据；对与本案无关的问题，"
                f"你有权拒绝回答（{APL}第五十五条）。你听清楚了吗？"
            ),
        },
        {"type": "paragraph", "indent": False, "text": "答：{rights_acknowledged}"},
        {
            "type": "paragraph",
            "indent": False,
            "text": (
                "问：执法人员与本案有直接利害关系或者有其他关系可能影响公正执法的，应当回避；"
                "你认为执法人员有上述情形的，有权申请回避"
                f"（{APL}第四十三条）。你是否申请执法人员回避？"
            ),
        },
        {"type": "paragraph", "indent": False, "text": "答：{recusal_answer}"},
        {"type": "paragraph", "indent": False, "text": "{qa_transcript}"},
        {
            "type": "paragraph",
            "indent": False,
            "text": "问：以上记录请你核对（或者已向你宣读），是否与你所说的一致？有无补充或者更正？",
        },
        {
            "type": "fields",
            "items": [
                {
                    "label": "被询问人核对意见",
                    "value": "{interviewee_confirmation}",
                    "fillable": True,
                }
            ],
        },
        {
            "type": "signature",
            "align": "left",
            "lines": [
                _sign("被询问人签名：", 12),
                _sign("询问人签名：", 12),
                _sign("记录人签名：", 12),
            ],
        },
        {
            "type": "note",
            "text": (
                "注：1. 询问应当个别进行，询问人不得少于两人。\n"
                "2. 笔录应当逐页由被询问人签名并注明日期，修改处由被询问人签名或者捺指印；"
                "被询问人拒绝签名的，执法人员应当在笔录中注明。\n"
                "3. 本笔录共\u3000\u3000页。"
            ),
        },
    ],
}


PENALTY_NOTICE = {
    "code": "penalty_notice",
    "name": "行政处罚事先告知书",
    "version": 1,
    "effective_from": EFFECTIVE_FROM,
    "citation": f"{APL}第四十四条、第四十五条、第六十二条、第六十三条",
    "blocks": [
        {
            "type": "title",
            "text": "{agency_name}\n行政处罚事先告知书",
            "number": "{document_number}",
        },
        {"type": "paragraph", "indent": False, "text": "{party_name}："},
        {
            "type": "paragraph",
            "text": "我局于{filed_on}对你（单位）{case_cause}一案立案调查。经查，你（单位）存在以下违法事实：",
        },
        {"type": "paragraph", "text": "{facts}"},
        {"type": "paragraph", "text": "以上事实，有下列证据为证："},
        _EVIDENCE_TABLE,
        {"type": "paragraph", "text": "你（单位）的上述行为违反了{violated_provisions}的规定。"},
        {"type": "paragraph", "text": "{discretion_reasoning}", "optional": True},
        {
            "type": "paragraph",
            "text": "依据{legal_basis}的规定，我局拟对你（单位）作出如下行政处罚：",
        },
        {"type": "paragraph", "text": "{proposed_penalty}"},
        {
            "type": "paragraph",
            "text": (
                f"根据{APL}第四十四条、第四十五条的规定，你（单位）享有陈述、申辩的权利。"
                "你（单位）如对上述拟作出的行政处罚有异议，可以自收到本告知书之日起"
                "{statement_days}个工作日内向我局提出陈述、申辩意见，并提交相关证据材料；"
                "陈述、申辩可以书面提出，也可以口头提出，口头提出的由我局记录在案。"
                "逾期未提出的，视为放弃陈述、申辩的权利。"
            ),
        },
        {
            "type": "paragraph",
            "text": (
                "我局将充分听取你（单位）的意见，对你（单位）提出的事实、理由和证据进行复核；"
                "你（单位）提出的事实、理由或者证据成立的，我局将予以采纳。"
                "我局不会因你（单位）陈述、申辩而给予更重的处罚。"
            ),
        },
        {
            "type": "paragraph",
            "when": "hearing_offered",
            "text": (
                f"拟作出的行政处罚属于{APL}第六十三条规定的情形，你（单位）有权要求举行听证。"
                "要求听证的，应当自收到本告知书之日起{hearing_request_days}个工作日内向我局提出；"
                "逾期未提出的，视为放弃听证权利。听证有关事项详见我局同时送达的《听证告知书》。"
            ),
        },
        _CONTACT,
        _seal("issued_on"),
    ],
}


HEARING_NOTICE = {
    "code": "hearing_notice",
    "name": "听证告知书",
    "version": 1,
    "effective_from": EFFECTIVE_FROM,
    "citation": f"{APL}第六十三条、第六十四条",
    "blocks": [
        {"type": "title", "text": "{agency_name}\n听证告知书", "number": "{document_number}"},
        {"type": "paragraph", "indent": False, "text": "{party_name}："},
        {
            "type": "paragraph",
            "text": (
                "我局于{filed_on}对你（单位）{case_cause}一案立案调查。经查，你（单位）的行为"
                "违反了{violated_provisions}的规定。依据{legal_basis}的规定，我局拟对你（单位）"
                "作出如下行政处罚："
            ),
        },
        {"type": "paragraph", "text": "{proposed_penalty}"},
        {
            "type": "paragraph",
            "text": (
                f"根据{APL}第六十三条、第六十四条的规定，你（单位）有权要求举行听证。"
                "现将有关事项告知如下："
            ),
        },
        {
            "type": "paragraph",
            "text": (
                "一、你（单位）要求听证的，应当自收到本告知书之日起{hearing_request_days}个工作日内"
                "向我局提出（书面或者口头均可；口头提出的，我局将记录在案）。逾期未提出的，"
                "视为放弃听证权利。\n"
                "二、我局将在举行听证的{hearing_notice_days}个工作日前，书面通知你（单位）举行听证的"
                "时间、地点。\n"
                "三、除涉及国家秘密、商业秘密或者个人隐私依法予以保密外，听证公开举行。\n"
                "四、听证由我局指定的非本案调查人员主持；你（单位）认为主持人与本案有直接利害关系的，"
                "有权申请回避。\n"
                "五、你（单位）可以亲自参加听证，也可以委托一至二人代理。委托代理人参加听证的，"
                "应当提交载明委托事项和权限的授权委托书。\n"
                "六、你（单位）及代理人无正当理由拒不出席听证或者未经许可中途退出听证的，"
                "视为放弃听证权利，我局将终止听证。\n"
                "七、举行听证时，调查人员提出你（单位）违法的事实、证据和行政处罚建议，"
                "你（单位）可以进行申辩和质证。听证应当制作笔录，笔录交你（单位）或者代理人"
                "核对无误后签字或者盖章。\n"
                "八、你（单位）不承担我局组织听证的费用。"
            ),
        },
        _CONTACT,
        _seal("issued_on"),
    ],
}


REVIEW_OPINION = {
    "code": "review_opinion",
    "name": "法制审核意见书",
    "version": 1,
    "effective_from": EFFECTIVE_FROM,
    "citation": f"{APL}第五十八条；国办发〔2018〕118号",
    "blocks": [
        {"type": "title", "text": "{agency_name}\n法制审核意见书", "number": "{document_number}"},
        {
            "type": "fields",
            "items": [
                {"label": "案件名称", "value": "{case_name}"},
                {"label": "案件编号", "value": "{case_number}"},
                {"label": "当事人", "value": "{party_name}"},
                {"label": "送审机构", "value": "{submitting_unit}"},
                {"label": "送审日期", "value": "{submitted_on}"},
                {"label": "审核轮次", "value": "第{review_round}次送审", "optional": True},
                {"label": "拟作出的决定", "value": "{proposed_decision}"},
                {"label": "重大执法决定情形", "value": "{major_reasons}"},
            ],
        },
        {
            "type": "paragraph",
            "text": (
                f"根据{APL}第五十八条的规定，{{review_unit}}对{{submitting_unit}}送审的上述案件"
                "进行了法制审核。就执法主体、管辖权限、执法程序、事实认定、法律适用、证据使用、"
                "自由裁量权运用等事项，审核意见如下："
            ),
        },
        {
            "type": "table",
            "rows": "findings",
            "numbered": True,
            "columns": [
                {"key": "item", "label": "审核事项", "width": 38},
                {"key": "opinion", "label": "审核意见"},
            ],
        },
        {"type": "fields", "items": [{"label": "审核结论", "value": "{review_result}"}]},
        {"type": "heading", "text": "书面审核意见"},
        {"type": "paragraph", "text": "{review_text}"},
        {
            "type": "paragraph",
            "text": (
                "审核结论为“存在问题”的，承办机构应当根据审核意见补充调查、纠正或者作出书面说明后"
                "重新送审；未经法制审核或者审核未通过的，不得作出决定"
                f"（{APL}第五十八条）。"
            ),
        },
        {
            "type": "fields",
            "items": [
                {"label": "审核人员", "value": "{reviewers}"},
                {"label": "法制审核机构负责人", "value": "{review_unit_head}", "fillable": True},
            ],
        },
        _seal("reviewed_on", organ="{review_unit}"),
        {
            "type": "note",
            "text": (
                "注：初次从事行政处罚决定法制审核的人员，应当通过国家统一法律职业资格考试取得法律"
                f"职业资格（{APL}第五十八条第二款）。审核人员不得审核本人承办或者参与办理的案件；"
                "与案件有直接利害关系的，应当回避。"
            ),
        },
    ],
}


PENALTY_DECISION = {
    "code": "penalty_decision",
    "name": "行政处罚决定书",
    "version": 1,
    "effective_from": EFFECTIVE_FROM,
    "citation": (
        f"{APL}第四十八条、第五十九条、第六十六条、第六十七条、第七十二条、第七十三条；"
        "《中华人民共和国行政复议法》第二十条；《中华人民共和国行政诉讼法》第四十六条"
    ),
    "blocks": [
        {"type": "title", "text": "{agency_name}\n行政处罚决定书", "number": "{document_number}"},
        {"type": "fields", "items": _party()},
        {"type": "paragraph", "text": "我局于{filed_on}对你（单位）{case_cause}一案立案调查。"},
        {"type": "heading", "text": "一、环境违法事实和证据"},
        {"type": "paragraph", "text": "{facts}"},
        {"type": "paragraph", "text": "以上事实，有下列证据为证："},
        _EVIDENCE_TABLE,
        {"type": "paragraph", "text": "你（单位）的上述行为违反了{violated_provisions}的规定。"},
        {"type": "heading", "text": "二、陈述、申辩和听证情况"},
        {
            "type": "paragraph",
            "text": (
                "我局于{notice_served_on}向你（单位）送达了《行政处罚事先告知书》（{notice_number}），"
                "告知你（单位）拟作出行政处罚的内容及事实、理由、依据，以及依法享有的陈述、申辩"
                "和要求听证等权利。{statement_handling}"
            ),
        },
        {"type": "heading", "text": "三、行政处罚的依据和种类"},
        {"type": "paragraph", "text": "{discretion_reasoning}", "optional": True},
        {
            "type": "paragraph",
            "text": "依据{legal_basis}的规定，我局决定对你（单位）作出如下行政处罚：",
        },
        {"type": "paragraph", "text": "{penalty_content}"},
        {"type": "heading", "text": "四、行政处罚决定的履行方式和期限"},
        {
            "type": "paragraph",
            "when": "fine_amount",
            "text": (
                f"根据{APL}第六十七条的规定，你（单位）应当自收到本决定书之日起"
                "{payment_deadline_days}日内，持本决定书到{payment_bank}缴纳罚款{fine_amount}，"
                "或者通过{electronic_payment_channel}以电子支付方式缴纳。罚款全部上缴国库，"
                "缴款凭证请送（寄）我局备查。"
            ),
        },
        {
            "type": "paragraph",
            "when": "fine_amount",
            "text": (
                f"到期不缴纳罚款的，我局将依据{APL}第七十二条第一款第一项的规定，每日按罚款数额的"
                "3%加处罚款，加处罚款的数额不超出罚款的数额，"
                "并可以依法申请人民法院强制执行。"
            ),
        },
        {
            "type": "paragraph",
            "when": "fine_amount",
            "text": (
                "你（单位）确有经济困难，需要延期或者分期缴纳罚款的，可以依照"
                f"{APL}第六十六条第二款的规定向我局提出书面申请，经我局批准，可以暂缓或者分期缴纳。"
            ),
        },
        {"type": "paragraph", "text": "{performance_other}", "optional": True},
        {"type": "heading", "text": "五、申请行政复议或者提起行政诉讼的途径和期限"},
        {
            "type": "paragraph",
            "text": (
                "你（单位）如不服本处罚决定，可以自收到本决定书之日起60日内向"
                "{review_organ}申请行政复议（《中华人民共和国行政复议法》第二十条），"
                "也可以自收到本决定书之日起6个月内依法向{court}提起行政诉讼"
                "（《中华人民共和国行政诉讼法》第四十六条）。"
            ),
        },
        {
            "type": "paragraph",
            "text": (
                "申请行政复议或者提起行政诉讼期间，本处罚决定不停止执行，法律另有规定的除外"
                f"（{APL}第七十三条）。逾期不申请行政复议、不提起行政诉讼，又不履行本处罚决定的，"
                "我局将依法申请人民法院强制执行。"
            ),
        },
        {
            "type": "paragraph",
            "text": f"根据{APL}第四十八条的规定，本处罚决定将依法向社会公开。",
        },
        _seal("decided_on"),
    ],
}


SERVICE_RECEIPT = {
    "code": "service_receipt",
    "name": "送达回证",
    "version": 1,
    "effective_from": EFFECTIVE_FROM,
    "citation": f"{APL}第六十一条；《中华人民共和国民事诉讼法》关于送达的规定",
    "blocks": [
        {"type": "title", "text": "{agency_name}\n送达回证", "body_pt": 14},
        {
            "type": "table",
            "rows": "served_documents",
            "numbered": True,
            "caption": "送达文书：",
            "columns": [
                {"key": "name", "label": "文书名称", "width": 60},
                {"key": "number", "label": "文号", "width": 55},
                {"key": "copies", "label": "份数"},
            ],
        },
        {
            "type": "fields",
            "style": "form",
            "items": [
                {"label": "受送达人", "value": "{recipient_name}"},
                {"label": "送达地点", "value": "{service_place}"},
                {"label": "送达方式", "value": "{service_method}"},
                {"label": "送达人", "value": "{server_names}"},
                {"label": "送达时间", "value": "{served_at}"},
                {
                    "label": "受送达人签名或者盖章",
                    "value": "{recipient_signature}",
                    "fillable": True,
                },
                {"label": "签收时间", "value": "{received_at}", "fillable": True},
                {"label": "代收人及代收理由", "value": "{proxy_recipient}", "fillable": True},
                {"label": "见证人（留置送达）", "value": "{witnesses}", "fillable": True},
                {"label": "拒收事由及备注", "value": "{service_remarks}", "fillable": True},
            ],
        },
        {
            "type": "note",
            "text": (
                "说明：1. 受送达人是法人或者其他组织的，由其法定代表人、主要负责人或者负责收件的人"
                "签收并注明签收时间。\n"
                "2. 受送达人拒绝签收的，送达人可以邀请有关基层组织或者所在单位的代表到场，说明情况，"
                "在本回证上记明拒收事由和日期，由送达人、见证人签名或者盖章，将文书留在受送达人的"
                "住所；也可以将文书留在受送达人的住所，并采用拍照、录像等方式记录送达过程，"
                "即视为送达（留置送达）。\n"
                "3. 行政处罚决定书应当在宣告后当场交付当事人；当事人不在场的，应当在七日内依照"
                "《中华人民共和国民事诉讼法》的有关规定送达；当事人同意并签订确认书的，可以采用传真、"
                f"电子邮件等方式送达（{APL}第六十一条）。"
            ),
        },
    ],
}


# Deep copies: the templates share block dicts above, consumers must not alias them.
DEFAULT_TEMPLATES: list[dict[str, object]] = [
    copy.deepcopy(template)
    for template in (
        FILING_APPROVAL,
        INSPECTION_RECORD,
        INTERVIEW_RECORD,
        PENALTY_NOTICE,
        HEARING_NOTICE,
        REVIEW_OPINION,
        PENALTY_DECISION,
        SERVICE_RECEIPT,
    )
]

TEMPLATE_CODES: tuple[str, ...] = tuple(str(t["code"]) for t in DEFAULT_TEMPLATES)
