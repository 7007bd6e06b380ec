"""Default draw ratios (抽查比例) per risk level — RULES.md R11.1.

The values are the config examples R11.1 cites from other jurisdictions ("per quarter ≥25% key
dischargers, 15% special, 5% general" [S]); the Shanghai ratios are unverified [U] and must be
set by the bureau. Rounding is up (向上取整) because the ratios are minimums (不低于).
"""

EFFECTIVE_FROM = "2020-01-01"
CITATION = ("RULES.md R11.1：其他地区抽查比例示例（每季度重点排污单位不低于25%、特殊监管对象15%、"
            "一般排污单位5%）[S]；上海市比例 [U]，以《上海市环境监管随机抽查制度实施方案》为准")

DEFAULT_RATIOS: tuple[tuple[str, str, str], ...] = (
    # (risk level, percent, rounding)
    ("key", "25", "ceil"),
    ("special", "15", "ceil"),
    ("general", "5", "ceil"),
)
