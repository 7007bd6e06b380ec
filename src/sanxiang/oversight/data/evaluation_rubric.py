"""The default case-file evaluation rubric (案卷评查标准), loaded into ``EvaluationRubric`` /
``RubricItem`` by migration ``0004_seed_evaluation_rubric``. No Django.

SEED (上海市生态环境局“三项制度”推进实施方案, 2020-02-13) asks the bureau to set up case-file
evaluation (“逐步建立健全行政执法案卷评查管理……制度”) without giving a rubric. The items below
follow SEED's own wording where it has one — the content of legal review (“执法主体、管辖权限、
执法程序、事实认定、法律适用、证据使用、自由裁量权运用”), whole-process recording and archiving,
publication within 20 working days — and the statutes RULES.md cites. The points and the grade
thresholds are placeholders marked [U] until the enforcement division (执法处) and the legal
unit (法制机构) confirm them; the admin publishes a confirmed set as a new version.

``check`` names the automatic check of ``oversight.evaluation_checks`` the item is linked to;
an empty ``check`` is scored by the evaluator alone. The points add up to 100.
"""

from __future__ import annotations

EFFECTIVE_FROM = "2020-02-13"  # SEED 推进实施方案 dated 2020-02-13
CODE = "case_file_evaluation"

SEED = "上海市生态环境局“三项制度”推进实施方案（2020-02-13）"
APL = "《中华人民共和国行政处罚法》"
ACL = "《中华人民共和国行政强制法》"

RUBRIC = {
    "code": CODE,
    "name": "行政执法案卷评查标准",
    "excellent_from": "90",
    "pass_from": "70",
    "citation": (f"{SEED}四（三）：逐步建立健全行政执法案卷评查管理制度 [S]；评查项目、分值及等次分数线"
                 "（优秀≥90分，合格≥70分，不合格<70分）待执法处会同法制机构确认 [U]"),
    "effective_from": EFFECTIVE_FROM,
}


def _i(code, category, title, points, check, citation):
    return {"code": code, "category": category, "title": title, "points": points, "check": check,
            "citation": citation}


ITEMS: tuple[dict, ...] = (
    _i("ZT-1", "subject", "执法人员持有效执法证，现场执法不少于两人", "10", "two_officers",
       f"{APL}第四十二条 [V]；{SEED}三（一）2（1）执法全过程公示执法身份 [S]；分值 [U]"),
    _i("ZT-2", "subject", "执法主体合法，属本机关管辖权限", "5", "",
       f"{SEED}三（三）3 审核内容：执法主体、管辖权限 [S]；分值 [U]"),
    _i("SS-1", "facts", "违法事实清楚，当事人认定准确", "10", "",
       f"{SEED}三（三）3 审核内容：事实认定 [S]；{APL}第四十条 [V]；分值 [U]"),
    _i("ZJ-1", "evidence", "证据确凿充分，证据链完整，取证合法", "10", "",
       f"{SEED}三（三）3 审核内容：证据使用 [S]；{APL}第四十六条 [V]；分值 [U]"),
    _i("CX-1", "procedure", "立案、决定、法制审核、送达等办案期限均在法定期限内完成", "10", "stage_deadlines",
       f"{APL}第六十条、第六十一条 [V]；RULES.md R5.3、R5.4、R5.9、R7.6；{SEED}三（三）3 执法程序 [S]；分值 [U]"),
    _i("CX-2", "procedure", "重大执法决定经法制审核且审核通过后作出", "10", "legal_review",
       f"{APL}第五十八条 [V]；{SEED}三（三）：未经法制审核或者审核未通过的，不得作出决定 [S]；分值 [U]"),
    _i("CX-3", "procedure", "依法告知陈述、申辩（听证）权利，必备文书齐全（立案审批、告知、决定、送达回证）",
       "10", "required_documents",
       f"{APL}第四十四条、第四十五条、第六十一条、第六十三条 [V]；{SEED}三（一）2（2）做好告知说明 [S]；分值 [U]"),
    _i("YJ-1", "law", "适用法律依据正确，自由裁量适当", "10", "",
       f"{SEED}三（三）3 审核内容：法律适用、自由裁量权运用 [S]；分值 [U]"),
    _i("WS-1", "documents", "执法文书编号完整、由有权人员签发", "5", "documents_formal",
       f"{SEED}三（二）1（1）文字记录：行政执法文书 [S]；签发以系统记录的决定人及其职责为准 [U]；分值 [U]"),
    _i("WS-2", "documents", "文书使用统一格式，要素齐全、表述规范", "5", "",
       f"{SEED}三（二）1（1）文字记录 [S]；分值 [U]"),
    _i("JL-1", "recording", "查封扣押、限产停产、停业关闭等现场执法全程音像记录", "5", "video",
       f"{SEED}三（二）1（2）音像记录 [S]；RULES.md R8.2；分值 [U]"),
    _i("JL-2", "recording", "案卷归档完整，音像资料编号并备注摄录内容", "5", "",
       f"{SEED}三（二）2 妥善保管储存：形成案卷归档保存……音像资料应编号并备注摄录内容 [S]；分值 [U]"),
    _i("GS-1", "publicity", "执法决定按期公示（自作出之日起法定期限内）", "5", "publication",
       f"{SEED}三（一）3（1）：作出之日起20个工作日内向社会公布 [S]；RULES.md R2.1（处罚、许可7个工作日）；分值 [U]"),
)
