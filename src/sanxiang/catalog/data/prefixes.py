"""Default document-number prefixes (文号前缀) of the 19 standard units. No Django.

Agency abbreviation (发文机关代字) + kind (罚 penalty, 强 coercion, 检 inspection, 许 permit),
as in 沪浦环罚〔2026〕12号 (GB/T 9704-2012; RULES.md R9.3). **[U] real prefixes unverified**:
the abbreviations below are built as 沪 + district character + 环; the city legal unit and
corps issue in the bureau's name (沪环). In Pudong the enforcing body is 浦东新区城管执法局
(RULES.md R9.4), whose own prefix may differ.
"""

from __future__ import annotations

NOTE = "[U] real prefixes unverified (RULES.md R9.3)"

SUFFIXES = {"penalty": "罚", "coercion": "强", "inspection": "检", "permit": "许"}

ABBREVIATIONS: dict[str, str] = {
    "city": "沪环",
    "city-legal": "沪环",
    "city-corps": "沪环",
    "huangpu": "沪黄环",
    "xuhui": "沪徐环",
    "changning": "沪长环",
    "jingan": "沪静环",
    "putuo": "沪普环",
    "hongkou": "沪虹环",
    "yangpu": "沪杨环",
    "minhang": "沪闵环",
    "baoshan": "沪宝环",
    "jiading": "沪嘉环",
    "pudong": "沪浦环",
    "jinshan": "沪金环",
    "songjiang": "沪松环",
    "qingpu": "沪青环",
    "fengxian": "沪奉环",
    "chongming": "沪崇环",
}

PREFIXES: tuple[dict, ...] = tuple(
    {"unit_code": unit, "case_kind": kind, "prefix": abbreviation + suffix, "note": NOTE}
    for unit, abbreviation in ABBREVIATIONS.items()
    for kind, suffix in SUFFIXES.items()
)
