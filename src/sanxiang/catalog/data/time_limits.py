"""Default time limits (期限) from RULES.md. No Django.

Units: APL periods of 2/3/5/7 days are working days (《行政处罚法》第八十五条 [V]); ACL periods
of ten days or less are working days (《行政强制法》第六十九条 [V]); other periods are calendar
days (RULES.md R1.2, R1.4).
"""

from __future__ import annotations

EFFECTIVE_FROM = "2021-07-15"  # 《行政处罚法》2021年修订施行之日

APL = "《中华人民共和国行政处罚法》"
ACL = "《中华人民共和国行政强制法》"
MEE30 = "《生态环境行政处罚办法》（生态环境部令第30号）"
GD_GS = "《广东省行政执法公示办法》"

W = "working"
C = "calendar"


def _t(code, name, days, unit, start_event, citation):
    return {
        "code": code, "name": name, "days": days, "unit": unit, "start_event": start_event,
        "citation": citation, "effective_from": EFFECTIVE_FROM,
    }


TIME_LIMITS: tuple[dict, ...] = (
    _t("filing", "立案审查期限", 15, C, "发现违法行为线索之日",
       f"{MEE30}第十八条 [S]；RULES.md R5.3（自然日，R1.4）"),
    _t("filing_extension", "立案审查延长期限", 15, C, "原立案审查期限届满之日（经机关负责人批准）",
       f"{MEE30}第十八条 [S]；RULES.md R5.3"),
    _t("decision", "作出行政处罚决定期限", 90, C, "立案之日",
       f"{APL}第六十条 [V]；RULES.md R5.4"),
    _t("decision_extension", "作出决定延长期限", 30, C, "原期限届满之日（经机关负责人批准）",
       f"{MEE30}第五十七条 [S]；RULES.md R5.4"),
    _t("decision_second_extension", "作出决定再次延长期限", 30, C,
       "第一次延长期限届满之日（经机关负责人集体讨论）", f"{MEE30}第五十七条 [S]；RULES.md R5.4"),
    _t("service", "行政处罚决定书送达期限", 7, W, "作出行政处罚决定之日（当事人不在场的）",
       f"{APL}第六十一条第一款 [V]；第八十五条 [V]"),
    _t("statement", "陈述、申辩期限", 5, W, "当事人收到行政处罚事先告知书之日",
       f"{APL}第四十四条、第四十五条 [V]；期限为默认值，RULES.md R5.8 [U]"),
    _t("hearing_request", "听证申请期限", 5, W, "当事人收到行政机关告知之日",
       f"{APL}第六十四条第一项 [V]；第八十五条 [V]"),
    _t("hearing_notice", "听证通知提前期限", 7, W, "举行听证之日前（倒算）",
       f"{APL}第六十四条第二项 [V]；第八十五条 [V]"),
    _t("review", "法制审核期限", 5, W, "法制机构收到送审材料之日",
       "RULES.md R7.6：参照《广东省重大行政执法决定法制审核办法》[V]；上海 [U]"),
    _t("review_complex_extension", "法制审核延长期限（案情复杂）", 3, W, "原审核期限届满之日",
       "RULES.md R7.6：参照《广东省重大行政执法决定法制审核办法》[V]；上海 [U]"),
    _t("payment", "缴纳罚款期限", 15, C, "当事人收到行政处罚决定书之日",
       f"{APL}第六十七条第三款 [V]；RULES.md R5.10"),
    _t("publication_penalty", "行政处罚决定公示期限", 7, W, "作出行政处罚决定之日",
       f"国办发〔2018〕118号 [S]；{GD_GS}第二十一条 [V]；RULES.md R2.1"),
    _t("publication_permit", "行政许可决定公示期限", 7, W, "作出行政许可决定之日",
       f"国办发〔2018〕118号 [S]；{GD_GS}第二十一条 [V]；RULES.md R2.1"),
    _t("publication_other", "其他行政执法决定公示期限", 20, W, "作出执法决定之日",
       f"国办发〔2018〕118号 [S]；{GD_GS}第二十一条 [V]；RULES.md R2.1"),
    _t("withdrawal", "撤回已公开行政处罚决定期限", 3, W,
       "行政处罚决定被依法变更、撤销、确认违法或者确认无效之日",
       f"{APL}第四十八条第二款、第八十五条 [V]；RULES.md R2.5"),
    _t("correction", "公示信息更正期限", 5, W, "发现或者收到更正申请之日",
       f"{GD_GS}第二十二条“及时更正” [V]；期限为默认值，RULES.md R2.6 [U]"),
    _t("seizure", "查封、扣押期限", 30, C, "作出查封、扣押决定之日",
       f"{ACL}第二十五条第一款 [V]；RULES.md R5.11"),
    _t("seizure_extension", "查封、扣押延长期限", 30, C, "原查封、扣押期限届满之日（经机关负责人批准）",
       f"{ACL}第二十五条第一款 [V]；RULES.md R5.11"),
    _t("evidence_preservation", "先行登记保存处理期限", 7, W, "先行登记保存之日",
       f"{APL}第五十六条 [V]；第八十五条 [V]"),
    _t("court_enforcement_wait", "申请人民法院强制执行等待期限", 10, W, "催告书送达之日",
       f"{ACL}第五十四条 [V]；第六十九条 [V]"),
    _t("random_inspection_publication", "双随机抽查结果公示期限", 20, W, "抽查检查完成之日",
       "RULES.md R11.2：地方规定 [S]；国发〔2019〕5号 [U]"),
    _t("av_upload", "音像记录上传期限", 1, W, "执法活动结束之日",
       "《广东省行政执法全过程记录办法》第二十三条 [V]（参照）；上海 [U]；RULES.md R8.4"),
)
