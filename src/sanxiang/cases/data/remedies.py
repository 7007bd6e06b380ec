"""Remedies and payment channels printed on decisions (救济途径与缴款方式), per deciding unit.

Reconsideration organ: 《中华人民共和国行政复议法》(2023修订) 第二十四条 — a district
department's decision goes to the district people's government, the city bureau's to the
city government. Court: Shanghai centralises first-instance administrative cases against
district governments' departments at 上海铁路运输法院 and those against municipal
departments at 上海市第三中级人民法院 [S — local jurisdiction rules, to be confirmed by the
legal unit]. Payment: 《罚款决定与罚款收缴分离实施办法》; the bank is the agency's own
designated collection bank [U — each unit fills in its own].
"""

from __future__ import annotations

CITY_UNITS = {"city", "city-legal", "city-corps"}

DISTRICT_GOVERNMENTS = {
    "huangpu": "上海市黄浦区人民政府", "xuhui": "上海市徐汇区人民政府", "changning": "上海市长宁区人民政府",
    "jingan": "上海市静安区人民政府", "putuo": "上海市普陀区人民政府", "hongkou": "上海市虹口区人民政府",
    "yangpu": "上海市杨浦区人民政府", "minhang": "上海市闵行区人民政府", "baoshan": "上海市宝山区人民政府",
    "jiading": "上海市嘉定区人民政府", "pudong": "上海市浦东新区人民政府", "jinshan": "上海市金山区人民政府",
    "songjiang": "上海市松江区人民政府", "qingpu": "上海市青浦区人民政府", "fengxian": "上海市奉贤区人民政府",
    "chongming": "上海市崇明区人民政府",
}

PAYMENT_BANK = "本机关指定的罚没款代收银行（详见缴款通知书）"
ELECTRONIC_PAYMENT = "“一网通办”非税收入电子缴款渠道"


def remedies_for(unit_code: str) -> dict[str, str]:
    """Where the party may seek reconsideration and sue, for a decision of `unit_code`."""
    if unit_code in CITY_UNITS:
        return {"review_organ": "上海市人民政府", "court": "上海市第三中级人民法院"}
    return {"review_organ": DISTRICT_GOVERNMENTS.get(unit_code, "本机关的同级人民政府"),
            "court": "上海铁路运输法院"}
