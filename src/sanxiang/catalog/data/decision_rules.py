"""Default review catalog (法制审核目录清单), hearing and collective-discussion rules. No Django.

Defaults from RULES.md §6 and §7 for the bureau's legal unit to confirm (the review catalogue
is the agency's own: 《广东省重大行政执法决定法制审核办法》第十一、十二条, comparable [V]).

* **major** (法制审核): 《行政处罚法》第五十八条 [V]: major public interest; major rights and a
  hearing held; complex cases; plus "major social impact or social risk" (国办发〔2018〕118号 [S],
  GD-FS 第十条 [V]). Amount triggers use the hearing threshold of 较大数额 by default:
  organizations ¥200,000 (《生态环境行政处罚办法》第八十九条 [S]) and natural persons ¥5,000 [U];
  heavy penalty types (revocation, production suspension, closure, daily fines, transfer for
  detention) are listed as the agency's own catalogue choice.
* **hearing** (听证): 《行政处罚法》第六十三条 [V]; RULES.md R6.3 "either threshold": the
  Shanghai local ¥50,000 for organizations [S] (stricter than MEE30's ¥200,000 [S]) and
  ¥5,000 for natural persons [U]; confiscation of larger amounts at the same thresholds;
  revocation and suspension of licences, production suspension and closure.
* **collective** (集体讨论): 《行政处罚法》第五十七条第二款 [V] "情节复杂或者重大违法行为给予
  行政处罚": closure, revocation, production suspension, transfer for detention, fines of
  ¥1,000,000 or more for organizations [U], and complex cases.

Individual businesses (个体工商户) share the natural-person thresholds (《民法典》places them in
the chapter on natural persons; the lower threshold is the cautious choice) [U].
"""

from __future__ import annotations

EFFECTIVE_FROM = "2021-07-15"  # 《行政处罚法》2021年修订施行之日
ORG = ["organization"]
PERSON = ["person", "individual_business"]
PENALTY_ONLY = ["penalty"]

APL57 = "《中华人民共和国行政处罚法》第五十七条第二款 [V]"
APL58 = "《中华人民共和国行政处罚法》第五十八条第一款"
APL63 = "《中华人民共和国行政处罚法》第六十三条第一款"
GOV118 = "国办发〔2018〕118号 [S]；《广东省重大行政执法决定法制审核办法》第十条 [V]（参照）"
CATALOGUE = "本机关法制审核目录（参照《广东省重大行政执法决定法制审核办法》第十一、十二条 [V]），默认值待法制机构确认 [U]"
MEE30_46 = "《生态环境行政处罚办法》（生态环境部令第30号）第四十六条 [S]"
MEE30_89 = "《生态环境行政处罚办法》（生态环境部令第30号）第八十九条：单位二十万元 [S]"
SH_LOCAL = "上海市本地较大数额标准：单位五万元（据评论）[S]；RULES.md R6.3 二者择一即听证"
PERSON_U = "自然人（含个体工商户）五千元 [U]"


def _rule(code, purpose, trigger, params, description, citation):
    return {
        "code": code, "purpose": purpose, "trigger": trigger, "params": params,
        "description": description, "citation": citation, "effective_from": EFFECTIVE_FROM,
    }


def _amount(parties, threshold, amount="fine", **extra):
    return {"party_types": parties, "threshold": threshold, "inclusive": True, "amount": amount, **extra}


DECISION_RULES: tuple[dict, ...] = (
    # --- major: 重大执法决定法制审核 --------------------------------------------------------
    _rule("major.fine_org", "major", "amount", _amount(ORG, "200000"),
          "对单位罚款二十万元以上", f"{APL58} [V]；{MEE30_89}；{CATALOGUE}"),
    _rule("major.fine_person", "major", "amount", _amount(PERSON, "5000"),
          "对自然人、个体工商户罚款五千元以上", f"{APL58} [V]；{PERSON_U}；{CATALOGUE}"),
    _rule("major.confiscation_org", "major", "amount", _amount(ORG, "200000", "confiscation"),
          "对单位没收违法所得、非法财物二十万元以上", f"{APL58} [V]；{MEE30_89}；{CATALOGUE}"),
    _rule("major.confiscation_person", "major", "amount", _amount(PERSON, "5000", "confiscation"),
          "对自然人、个体工商户没收违法所得、非法财物五千元以上", f"{APL58} [V]；{PERSON_U}；{CATALOGUE}"),
    _rule("major.revoke_license", "major", "penalty_type", {"penalty_type": "revoke_license"},
          "吊销许可证件", f"{APL58} [V]；{CATALOGUE}"),
    _rule("major.production_suspension", "major", "penalty_type",
          {"penalty_type": "production_suspension"}, "责令限制生产、停产整治", f"{APL58} [V]；{CATALOGUE}"),
    _rule("major.closure", "major", "penalty_type", {"penalty_type": "closure"},
          "责令停业、关闭", f"{APL58} [V]；{CATALOGUE}"),
    _rule("major.daily_continuous_fine", "major", "penalty_type",
          {"penalty_type": "daily_continuous_fine"}, "按日连续处罚",
          f"{APL58} [V]；《中华人民共和国环境保护法》第五十九条 [V]；{CATALOGUE}"),
    _rule("major.detention_transfer", "major", "penalty_type",
          {"penalty_type": "detention_transfer"}, "移送公安机关行政拘留",
          f"{APL58} [V]；《中华人民共和国环境保护法》第六十三条 [V]；{CATALOGUE}"),
    _rule("major.complex", "major", "flag", {"flag": "complex"},
          "案件情况疑难复杂、涉及多个法律关系", f"{APL58}第三项 [V]"),
    _rule("major.public_interest", "major", "flag", {"flag": "public_interest"},
          "涉及重大公共利益", f"{APL58}第一项 [V]"),
    _rule("major.social_risk", "major", "flag", {"flag": "social_risk"},
          "可能造成重大社会影响或者引发社会风险", GOV118),
    _rule("major.hearing_held", "major", "hearing_held", {},
          "直接关系当事人或者第三人重大权益，经过听证程序", f"{APL58}第二项 [V]"),
    # --- hearing: 听证 -----------------------------------------------------------------
    _rule("hearing.fine_org_shanghai", "hearing", "amount", _amount(ORG, "50000", case_kinds=PENALTY_ONLY),
          "对单位罚款五万元以上（上海标准）", f"{APL63}第一项 [V]；{SH_LOCAL}"),
    _rule("hearing.fine_org", "hearing", "amount", _amount(ORG, "200000", case_kinds=PENALTY_ONLY),
          "对单位罚款二十万元以上（生态环境部标准）", f"{APL63}第一项 [V]；{MEE30_89}"),
    _rule("hearing.fine_person", "hearing", "amount", _amount(PERSON, "5000", case_kinds=PENALTY_ONLY),
          "对自然人、个体工商户罚款五千元以上", f"{APL63}第一项 [V]；{PERSON_U}"),
    _rule("hearing.confiscation_org_shanghai", "hearing", "amount",
          _amount(ORG, "50000", "confiscation", case_kinds=PENALTY_ONLY),
          "对单位没收较大数额违法所得、较大价值非法财物五万元以上（上海标准）", f"{APL63}第二项 [V]；{SH_LOCAL}"),
    _rule("hearing.confiscation_org", "hearing", "amount",
          _amount(ORG, "200000", "confiscation", case_kinds=PENALTY_ONLY),
          "对单位没收较大数额违法所得、较大价值非法财物二十万元以上（生态环境部标准）", f"{APL63}第二项 [V]；{MEE30_89}"),
    _rule("hearing.confiscation_person", "hearing", "amount",
          _amount(PERSON, "5000", "confiscation", case_kinds=PENALTY_ONLY),
          "对自然人、个体工商户没收违法所得、非法财物五千元以上", f"{APL63}第二项 [V]；{PERSON_U}"),
    _rule("hearing.revoke_license", "hearing", "penalty_type",
          {"penalty_type": "revoke_license", "case_kinds": PENALTY_ONLY}, "吊销许可证件", f"{APL63}第三项 [V]"),
    _rule("hearing.suspend_license", "hearing", "penalty_type",
          {"penalty_type": "suspend_license", "case_kinds": PENALTY_ONLY}, "暂扣许可证件",
          f"{APL63}第五项 [V]（其他较重的行政处罚）；默认值 [U]"),
    _rule("hearing.production_suspension", "hearing", "penalty_type",
          {"penalty_type": "production_suspension", "case_kinds": PENALTY_ONLY}, "责令限制生产、停产整治",
          f"{APL63}第四项 [V]；{MEE30_46}"),
    _rule("hearing.closure", "hearing", "penalty_type",
          {"penalty_type": "closure", "case_kinds": PENALTY_ONLY}, "责令停业、关闭", f"{APL63}第四项 [V]"),
    # --- collective: 集体讨论 ------------------------------------------------------------
    _rule("collective.fine_org", "collective", "amount", _amount(ORG, "1000000"),
          "对单位罚款一百万元以上", f"{APL57}；重大违法行为的金额标准为默认值 [U]"),
    _rule("collective.revoke_license", "collective", "penalty_type", {"penalty_type": "revoke_license"},
          "吊销许可证件", f"{APL57}；默认值 [U]"),
    _rule("collective.production_suspension", "collective", "penalty_type",
          {"penalty_type": "production_suspension"}, "责令限制生产、停产整治", f"{APL57}；默认值 [U]"),
    _rule("collective.closure", "collective", "penalty_type", {"penalty_type": "closure"},
          "责令停业、关闭", f"{APL57}；默认值 [U]"),
    _rule("collective.detention_transfer", "collective", "penalty_type",
          {"penalty_type": "detention_transfer"}, "移送公安机关行政拘留", f"{APL57}；默认值 [U]"),
    _rule("collective.complex", "collective", "flag", {"flag": "complex"},
          "情节复杂", f"{APL57}"),
)
