"""Default time limits of the oversight context (期限), loaded into the catalog's versioned
time limits by migration ``0002_seed_time_limits``. No Django.

RULES.md gives no time limit for handling complaints about enforcement (投诉举报). SEED asks the
bureau to set up a complaint system (“建立健全……行政执法投诉举报……制度”) without a period, so
the value below is a placeholder marked [U] until the legal unit (法制机构) sets it; the admin
edits it as a new version in the catalog, and every complaint keeps the version it was given.
"""

from __future__ import annotations

EFFECTIVE_FROM = "2020-02-13"  # SEED 推进实施方案 dated 2020-02-13

TIME_LIMITS: tuple[dict, ...] = (
    {
        "code": "complaint_handling",
        "name": "行政执法投诉举报办理期限",
        "days": 15,
        "unit": "working",
        "start_event": "受理投诉举报之日",
        "citation": ("上海市生态环境局“三项制度”推进实施方案（2020-02-13）：建立健全行政执法投诉举报制度 [U]；"
                     "办理期限待法制机构依本局投诉举报制度确定（依据：〔待补充〕）[U]；默认 15 个工作日"),
        "effective_from": EFFECTIVE_FROM,
    },
)
