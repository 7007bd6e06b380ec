"""双公示 data sets (行政处罚 / 行政许可), RULES.md R4.3 / R4.4 and API.md "Commands". Pure.

A row is built from what the public saw — the public record of the item (redacted) — plus
the few fields the credit platform needs that the public record does not carry: the
natural-person party's ID number, **masked** (``310101********1234``, R3.1; API.md: personal
identifiers of natural persons are exported masked), the display period and the state.

A decision that was published and is no longer (withdrawn, or its display period ended) is
still exported, so the receiving platform can take it down: its identifying fields (decision
number, party name when the party is an organisation, codes, agency, dates) and the
withdrawal or end in 备注 — never its personal data nor its content.

Money is stored in yuan and exported in 万元 (10,000 yuan) with six decimals: ``500000.00``
→ ``50.000000`` (R4.3 [S]).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sanxiang.core.identifiers import mask_id_number

from .public_record import PARTY_TYPE_ZH

__all__ = ["KINDS", "PENALTY_HEADER", "PERMIT_HEADER", "ExportFacts", "header", "row", "wan_yuan"]

_CODES = ("行政相对人代码_1(统一社会信用代码)", "行政相对人代码_2(工商注册号)", "行政相对人代码_3(组织机构代码)",
          "行政相对人代码_4(税务登记号)", "行政相对人代码_5(事业单位证书号)", "行政相对人代码_6(社会组织登记证号)")

#: API.md "Commands (details)", in this order (RULES.md R4.3, ASCII parentheses).
PENALTY_HEADER = (
    "行政相对人名称", "行政相对人类别", *_CODES,
    "法定代表人", "法定代表人证件类型", "法定代表人证件号码", "证件类型", "证件号码", "行政处罚决定书文号",
    "违法行为类型", "违法事实", "处罚依据", "处罚类别", "处罚内容", "罚款金额(万元)",
    "没收违法所得、没收非法财物的金额(万元)", "暂扣或吊销证照名称及编号", "处罚决定日期", "处罚有效期",
    "公示截止期", "处罚机关", "处罚机关统一社会信用代码", "数据来源单位", "数据来源单位统一社会信用代码", "备注",
)
#: RULES.md R4.4 [S] (the same code and legal-representative columns as R4.3).
PERMIT_HEADER = (
    "行政相对人名称", "行政相对人类别", *_CODES,
    "法定代表人", "法定代表人证件类型", "法定代表人证件号码", "证件类型", "证件号码", "行政许可决定文书名称",
    "行政许可决定文书号", "许可类别", "许可证书名称", "许可编号", "许可内容", "许可决定日期", "有效期自",
    "有效期至", "许可机关", "许可机关统一社会信用代码", "当前状态", "数据来源单位", "数据来源单位统一社会信用代码",
    "备注",
)
KINDS = {"penalty": PENALTY_HEADER, "permit": PERMIT_HEADER}

ID_CARD = "身份证"
_WAN = Decimal(10000)
_SIX = Decimal("0.000001")


def header(kind: str) -> tuple[str, ...]:
    return KINDS[kind]


def wan_yuan(amount: str | Decimal | None) -> str:
    """Yuan → 万元 with six decimals (``"500000.00"`` → ``"50.000000"``); empty stays empty."""
    if amount in (None, ""):
        return ""
    return str((Decimal(str(amount)) / _WAN).quantize(_SIX, rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class ExportFacts:
    """What a row needs beside the public record."""

    state: str  # published | corrected | withdrawn | expired
    party_id_number: str = ""  # natural-person party's ID number (masked on export)
    display_until: str = ""  # ISO date, "" when the decision has no display period
    matter_name: str = ""  # enforcement matter (违法行为类型)
    withdrawn_on: str = ""
    withdrawal_reason: str = ""
    ended_on: str = ""
    ended_early: bool = False
    corrected_on: str = ""
    provisional: bool = False


def _remark(facts: ExportFacts) -> str:
    notes = []
    if facts.state == "withdrawn":
        notes.append(f"已撤回（{facts.withdrawn_on}）：{facts.withdrawal_reason}")
    elif facts.state == "expired":
        notes.append(f"{'提前停止公示' if facts.ended_early else '公示期届满'}（{facts.ended_on}）")
    elif facts.corrected_on:
        notes.append(f"已更正（{facts.corrected_on}）")
    if facts.provisional:
        notes.append("公示期限按暂定工作日历计算")
    return "；".join(notes)


def row(kind: str, record: Mapping[str, Any], facts: ExportFacts) -> dict[str, str]:
    """One row (header → text) of the data set ``kind`` from a public record."""
    gone = facts.state in ("withdrawn", "expired")
    party_type = record.get("party_type", "")
    person = party_type == "person"
    agency, agency_uscc = record.get("agency", ""), record.get("agency_uscc", "")
    out = dict.fromkeys(KINDS[kind], "")
    out.update({
        "行政相对人名称": "" if gone and person else record.get("party_name", ""),
        "行政相对人类别": PARTY_TYPE_ZH.get(party_type, ""),
        _CODES[0]: "" if person else record.get("uscc", ""),
        "法定代表人": "" if person or gone else record.get("legal_representative", ""),
        "证件类型": ID_CARD if person and facts.party_id_number else "",
        "证件号码": mask_id_number(facts.party_id_number) if person and not gone else "",
        "数据来源单位": agency, "数据来源单位统一社会信用代码": agency_uscc,
        "备注": _remark(facts),
    })
    decided = record.get("decided_on", "")
    content = not gone
    if kind == "penalty":
        out.update({
            "行政处罚决定书文号": record.get("decision_number", ""),
            "违法行为类型": (facts.matter_name or record.get("title", "")) if content else "",
            "违法事实": record.get("facts", "") if content else "",
            "处罚依据": record.get("legal_basis", "") if content else "",
            "处罚类别": record.get("penalty_type", "") if content else "",
            "处罚内容": record.get("conclusion", "") if content else "",
            "罚款金额(万元)": wan_yuan(record.get("fine_amount")) if content else "",
            "没收违法所得、没收非法财物的金额(万元)": wan_yuan(record.get("confiscation_amount")) if content else "",
            "处罚决定日期": decided, "处罚有效期": facts.display_until, "公示截止期": facts.display_until,
            "处罚机关": agency, "处罚机关统一社会信用代码": agency_uscc,
        })
    else:
        out.update({
            "行政许可决定文书名称": record.get("title", "") if content else "",
            "行政许可决定文书号": record.get("decision_number", ""),
            "许可类别": "普通",
            "许可内容": record.get("conclusion", "") if content else "",
            "许可决定日期": decided, "有效期自": decided,
            "许可机关": agency, "许可机关统一社会信用代码": agency_uscc,
            "当前状态": {"withdrawn": "已撤回", "expired": "公示期满"}.get(facts.state, "有效"),
        })
    return out
