"""Default enforcement matters (执法事项目录清单) of an eco-environment bureau. No Django.

Each row names the provision violated (违法依据) and the provision that punishes (处罚依据)
with the penalty types and fine range that provision sets. Articles and amounts were checked
against public full texts of the instruments (flk.npc.gov.cn copies in the GitHub collections
Fungwingwaa/cee and RanKKI/LawRefBook) and are tagged [V]; a violated provision recalled but
not re-read is tagged [S]; an assignment the bureau must decide (e.g. which department acts
where the law says "地方人民政府指定的部门") is tagged [U]. ``level`` (city/district) and
``random_inspection`` are the bureau's own defaults [U] until its lists are loaded.

``effective_from`` is the date the current text of the penalty instrument took effect.
Fines are yuan; ``None`` where the law sets a multiple (e.g. 1%–5% of total investment).
"""

from __future__ import annotations

AIR = "《中华人民共和国大气污染防治法》"
WATER = "《中华人民共和国水污染防治法》"
SOLID = "《中华人民共和国固体废物污染环境防治法》"
NOISE = "《中华人民共和国噪声污染防治法》"
EIA = "《中华人民共和国环境影响评价法》"
CPEM = "《建设项目环境保护管理条例》"
PERMIT = "《排污许可管理条例》"
RAD_LAW = "《中华人民共和国放射性污染防治法》"
RAD_REG = "《放射性同位素与射线装置安全和防护条例》"
SOIL = "《中华人民共和国土壤污染防治法》"
EPL = "《中华人民共和国环境保护法》"

_IN_FORCE = {
    AIR: "2018-10-26",  # 2018年修正
    WATER: "2018-01-01",  # 2017年修正
    SOLID: "2020-09-01",  # 2020年修订
    NOISE: "2022-06-05",
    EIA: "2018-12-29",  # 2018年修正
    CPEM: "2017-10-01",  # 2017年修订
    PERMIT: "2021-03-01",
    RAD_LAW: "2003-10-01",
    RAD_REG: "2019-03-02",  # 2019年修订 [S]
    SOIL: "2019-01-01",
    EPL: "2015-01-01",
}
_EDITION = {
    AIR: "（2018年修正）", WATER: "（2017年修正）", SOLID: "（2020年修订）", NOISE: "",
    EIA: "（2018年修正）", CPEM: "（2017年修订）", PERMIT: "", RAD_LAW: "",
    RAD_REG: "（2019年修订）", SOIL: "", EPL: "",
}

DAILY = "daily_continuous_fine"
DETENTION = "detention_transfer"


def _m(code, field, name, legal_basis, penalty_basis, penalty_types, fine_min, fine_max, fine_rule,
       *, law, tag="[V]", extra="", level="district", random_inspection=True, case_kind="penalty"):
    citation = f"{law}{_EDITION[law]}；违法依据与处罚依据见本条目 {tag}"
    if extra:
        citation = f"{citation}；{extra}"
    return {
        "code": code, "field": field, "name": name, "case_kind": case_kind,
        "legal_basis": legal_basis, "penalty_basis": penalty_basis,
        "penalty_types": list(penalty_types), "fine_min": fine_min, "fine_max": fine_max,
        "fine_rule": fine_rule, "level": level, "random_inspection": random_inspection,
        "citation": citation, "effective_from": _IN_FORCE[law],
    }


_RECTIFY_100K_1M = ("责令改正或者限制生产、停产整治，并处十万元以上一百万元以下的罚款；"
                    "情节严重的，报经有批准权的人民政府批准，责令停业、关闭")
_AIR_DAILY = f"拒不改正的，按日连续处罚：{AIR}第一百二十三条、{EPL}第五十九条 [V]"
_WATER_DAILY = f"拒不改正的，按日连续处罚：{WATER}第九十五条、{EPL}第五十九条 [V]"
_PERMIT_DAILY = f"拒不改正的，按日连续处罚：{PERMIT}第三十八条、{EPL}第五十九条 [V]"
_SOLID_DAILY = f"拒不改正的，按日连续处罚：{SOLID}第一百一十九条、{EPL}第五十九条 [V]"
_EVASION_DETENTION = f"移送公安机关拘留：{EPL}第六十三条第三项 [V]"

MATTERS: tuple[dict, ...] = (
    # --- 大气 air -----------------------------------------------------------------------
    _m("AIR-001", "air", "超过大气污染物排放标准或者超过重点大气污染物排放总量控制指标排放大气污染物",
       f"{AIR}第十八条", f"{AIR}第九十九条第二项",
       ("fine", "production_suspension", "closure", DAILY), "100000", "1000000",
       _RECTIFY_100K_1M, law=AIR, extra=_AIR_DAILY),
    _m("AIR-002", "air", "未依法取得排污许可证排放大气污染物",
       f"{AIR}第十九条", f"{AIR}第九十九条第一项",
       ("fine", "production_suspension", "closure", DAILY, DETENTION), "100000", "1000000",
       _RECTIFY_100K_1M, law=AIR,
       extra=f"{_AIR_DAILY}；被责令停止排污拒不执行的移送拘留：{EPL}第六十三条第二项 [V]"),
    _m("AIR-003", "air", "通过偷排、篡改或者伪造监测数据、不正常运行大气污染防治设施等逃避监管的方式排放大气污染物",
       f"{AIR}第二十条第二款", f"{AIR}第九十九条第三项",
       ("fine", "production_suspension", "closure", DAILY, DETENTION), "100000", "1000000",
       _RECTIFY_100K_1M, law=AIR, extra=f"{_AIR_DAILY}；{_EVASION_DETENTION}"),
    _m("AIR-004", "air", "未按照规定安装、使用大气污染物排放自动监测设备或者未按照规定联网并保证监测设备正常运行",
       f"{AIR}第二十四条第一款", f"{AIR}第一百条第三项",
       ("fine", "production_suspension"), "20000", "200000",
       "责令改正，处二万元以上二十万元以下的罚款；拒不改正的，责令停产整治", law=AIR),
    _m("AIR-005", "air", "未按照规定对所排放的工业废气和有毒有害大气污染物进行监测并保存原始监测记录",
       f"{AIR}第二十四条第一款", f"{AIR}第一百条第二项",
       ("fine", "production_suspension"), "20000", "200000",
       "责令改正，处二万元以上二十万元以下的罚款；拒不改正的，责令停产整治", law=AIR),
    _m("AIR-006", "air", "产生含挥发性有机物废气的生产和服务活动未在密闭空间或者设备中进行、未按照规定安装使用污染防治设施或者未采取减少废气排放措施",
       f"{AIR}第四十五条", f"{AIR}第一百零八条第一项",
       ("fine", "production_suspension"), "20000", "200000",
       "责令改正，处二万元以上二十万元以下的罚款；拒不改正的，责令停产整治", law=AIR),
    _m("AIR-007", "air", "工业涂装企业未使用低挥发性有机物含量涂料或者未建立、保存台账",
       f"{AIR}第四十六条", f"{AIR}第一百零八条第二项",
       ("fine", "production_suspension"), "20000", "200000",
       "责令改正，处二万元以上二十万元以下的罚款；拒不改正的，责令停产整治", law=AIR),
    _m("AIR-008", "air", "储油储气库、加油加气站和油罐车、气罐车等未按照国家有关规定安装并正常使用油气回收装置",
       f"{AIR}第四十七条第二款", f"{AIR}第一百零八条第四项",
       ("fine", "production_suspension"), "20000", "200000",
       "责令改正，处二万元以上二十万元以下的罚款；拒不改正的，责令停产整治", law=AIR),
    _m("AIR-009", "air", "未密闭易产生扬尘的物料，或者对不能密闭的物料未设置严密围挡、未采取有效覆盖措施防治扬尘污染",
       f"{AIR}第七十二条第一款", f"{AIR}第一百一十七条第一项、第二项",
       ("fine", "production_suspension", DAILY), "10000", "100000",
       "责令改正，处一万元以上十万元以下的罚款；拒不改正的，责令停工整治或者停业整治", law=AIR,
       extra=f"贮存易产生扬尘的物料未采取有效措施防治扬尘污染，拒不改正的，按日连续处罚：{AIR}第一百二十三条第四项 [V]"),
    _m("AIR-010", "air", "生产经营活动中产生恶臭气体，未采取措施防止排放恶臭气体",
       f"{AIR}第八十条", f"{AIR}第一百一十七条第八项",
       ("fine", "production_suspension"), "10000", "100000",
       "责令改正，处一万元以上十万元以下的罚款；拒不改正的，责令停工整治或者停业整治", law=AIR),
    _m("AIR-011", "air", "以拒绝进入现场等方式拒不接受监督检查，或者在接受监督检查时弄虚作假",
       f"{AIR}第二十九条", f"{AIR}第九十八条",
       ("fine",), "20000", "200000",
       "责令改正，处二万元以上二十万元以下的罚款；构成违反治安管理行为的，由公安机关依法予以处罚",
       law=AIR, random_inspection=False),
    _m("AIR-012", "air", "从事服装干洗和机动车维修等服务活动，未设置异味和废气处理装置等污染防治设施并保持正常使用",
       f"{AIR}第八十四条", f"{AIR}第一百二十条",
       ("fine", "production_suspension"), "2000", "20000",
       "责令改正，处二千元以上二万元以下的罚款；拒不改正的，责令停业整治", law=AIR),
    # --- 水 water ----------------------------------------------------------------------
    _m("WAT-001", "water", "超过水污染物排放标准或者超过重点水污染物排放总量控制指标排放水污染物",
       f"{WATER}第十条", f"{WATER}第八十三条第二项",
       ("fine", "production_suspension", "closure", DAILY), "100000", "1000000",
       _RECTIFY_100K_1M, law=WATER, extra=_WATER_DAILY),
    _m("WAT-002", "water", "未依法取得排污许可证排放水污染物",
       f"{WATER}第二十一条", f"{WATER}第八十三条第一项",
       ("fine", "production_suspension", "closure", DAILY, DETENTION), "100000", "1000000",
       _RECTIFY_100K_1M, law=WATER,
       extra=f"{_WATER_DAILY}；被责令停止排污拒不执行的移送拘留：{EPL}第六十三条第二项 [V]"),
    _m("WAT-003", "water", "利用渗井、渗坑、裂隙、溶洞，私设暗管，篡改、伪造监测数据，或者不正常运行水污染防治设施等逃避监管的方式排放水污染物",
       f"{WATER}第三十九条", f"{WATER}第八十三条第三项",
       ("fine", "production_suspension", "closure", DAILY, DETENTION), "100000", "1000000",
       _RECTIFY_100K_1M, law=WATER, extra=f"{_WATER_DAILY}；{_EVASION_DETENTION}"),
    _m("WAT-004", "water", "未按照规定进行预处理，向污水集中处理设施排放不符合处理工艺要求的工业废水",
       f"{WATER}第四十五条第三款", f"{WATER}第八十三条第四项",
       ("fine", "production_suspension", "closure", DAILY), "100000", "1000000",
       _RECTIFY_100K_1M, law=WATER, extra=_WATER_DAILY),
    _m("WAT-005", "water", "未按照规定对所排放的水污染物自行监测，或者未保存原始监测记录",
       f"{WATER}第二十三条第一款", f"{WATER}第八十二条第一项",
       ("fine", "production_suspension"), "20000", "200000",
       "责令限期改正，处二万元以上二十万元以下的罚款；逾期不改正的，责令停产整治", law=WATER),
    _m("WAT-006", "water", "未按照规定安装水污染物排放自动监测设备，未按照规定与环境保护主管部门的监控设备联网，或者未保证监测设备正常运行",
       f"{WATER}第二十三条第一款", f"{WATER}第八十二条第二项",
       ("fine", "production_suspension"), "20000", "200000",
       "责令限期改正，处二万元以上二十万元以下的罚款；逾期不改正的，责令停产整治", law=WATER),
    _m("WAT-007", "water", "违反法律、行政法规和国务院环境保护主管部门的规定设置排污口",
       f"{WATER}第二十二条", f"{WATER}第八十四条第二款",
       ("fine", "production_suspension"), "20000", "500000",
       "责令限期拆除，处二万元以上十万元以下的罚款；逾期不拆除的，强制拆除，所需费用由违法者承担，"
       "处十万元以上五十万元以下的罚款；情节严重的，可以责令停产整治", law=WATER),
    _m("WAT-008", "water", "向水体排放油类、酸液、碱液",
       f"{WATER}第三十三条第一款", f"{WATER}第八十五条第一款第一项、第二款",
       ("fine", "closure"), "100000", "1000000",
       "责令停止违法行为，限期采取治理措施，消除污染，处十万元以上一百万元以下的罚款；情节严重的，"
       "报经有批准权的人民政府批准，责令停业、关闭；逾期不采取治理措施的，可以指定有治理能力的单位代为治理",
       law=WATER),
    _m("WAT-009", "water", "在饮用水水源二级保护区内新建、改建、扩建排放污染物的建设项目",
       f"{WATER}第六十六条第一款", f"{WATER}第九十一条第一款第二项",
       ("fine", "closure"), "100000", "500000",
       "责令停止违法行为，处十万元以上五十万元以下的罚款；并报经有批准权的人民政府批准，责令拆除或者关闭",
       law=WATER, random_inspection=False),
    _m("WAT-010", "water", "企业事业单位不按照规定制定水污染事故的应急方案",
       f"{WATER}第七十七条第一款", f"{WATER}第九十三条第一项",
       ("fine",), "20000", "100000",
       "责令改正；情节严重的，处二万元以上十万元以下的罚款", law=WATER),
    _m("WAT-011", "water", "企业事业单位违反规定造成水污染事故",
       f"{WATER}第九十四条第一款（违反本法规定造成水污染事故）", f"{WATER}第九十四条",
       ("fine", "closure", DETENTION), None, None,
       "一般或者较大水污染事故按直接损失的百分之二十计算罚款，重大或者特大水污染事故按直接损失的百分之三十计算罚款；"
       "重大或者特大事故还可以报经有批准权的人民政府批准，责令关闭；对直接负责的主管人员和其他直接责任人员"
       "可以处上一年度从本单位取得的收入百分之五十以下的罚款", law=WATER, random_inspection=False,
       extra=f"有{EPL}第六十三条规定行为之一的移送拘留：{WATER}第九十四条第一款 [V]"),
    # --- 固体废物 solid waste --------------------------------------------------------------
    _m("SW-001", "solid_waste", "擅自倾倒、堆放、丢弃、遗撒工业固体废物，或者未采取相应防范措施造成工业固体废物扬散、流失、渗漏或者其他环境污染",
       f"{SOLID}第二十条 [S]", f"{SOLID}第一百零二条第一款第七项、第二款",
       ("fine", "confiscation", "closure", DAILY, DETENTION), "100000", None,
       "责令改正，处所需处置费用一倍以上三倍以下的罚款，所需处置费用不足十万元的，按十万元计算，没收违法所得；"
       "情节严重的，报经有批准权的人民政府批准，可以责令停业或者关闭", law=SOLID,
       extra=f"{_SOLID_DAILY}；造成严重后果的移送拘留：{SOLID}第一百二十条第一项 [V]"),
    _m("SW-002", "solid_waste", "产生工业固体废物的单位未建立固体废物管理台账并如实记录",
       f"{SOLID}第三十六条第一款", f"{SOLID}第一百零二条第一款第八项、第二款",
       ("fine", "confiscation", "closure"), "50000", "200000",
       "责令改正，处五万元以上二十万元以下的罚款，没收违法所得；情节严重的，报经有批准权的人民政府批准，可以责令停业或者关闭",
       law=SOLID),
    _m("SW-003", "solid_waste", "产生工业固体废物的单位违反规定委托他人运输、利用、处置工业固体废物",
       f"{SOLID}第三十七条第一款", f"{SOLID}第一百零二条第一款第九项、第二款",
       ("fine", "confiscation", "closure"), "100000", "1000000",
       "责令改正，处十万元以上一百万元以下的罚款，没收违法所得；情节严重的，报经有批准权的人民政府批准，可以责令停业或者关闭",
       law=SOLID),
    _m("SW-004", "solid_waste", "贮存工业固体废物未采取符合国家环境保护标准的防护措施",
       f"{SOLID}第四十条第一款", f"{SOLID}第一百零二条第一款第十项、第二款",
       ("fine", "confiscation", "closure"), "100000", "1000000",
       "责令改正，处十万元以上一百万元以下的罚款，没收违法所得；情节严重的，报经有批准权的人民政府批准，可以责令停业或者关闭",
       law=SOLID),
    _m("SW-005", "solid_waste", "未依法取得排污许可证产生工业固体废物",
       f"{SOLID}第三十九条第一款", f"{SOLID}第一百零四条",
       ("fine", "production_suspension", "closure"), "100000", "1000000",
       "责令改正或者限制生产、停产整治，处十万元以上一百万元以下的罚款；情节严重的，报经有批准权的人民政府批准，责令停业或者关闭",
       law=SOLID),
    _m("SW-006", "solid_waste", "从事畜禽规模养殖未及时收集、贮存、利用或者处置养殖过程中产生的畜禽粪污等固体废物",
       f"{SOLID}第六十五条第二款", f"{SOLID}第一百零七条",
       ("fine", "closure"), None, "100000",
       "责令改正，可以处十万元以下的罚款；情节严重的，报经有批准权的人民政府批准，责令停业或者关闭",
       law=SOLID),
    # --- 危险废物 hazardous waste ------------------------------------------------------------
    _m("HW-001", "hazardous_waste", "未按照规定设置危险废物识别标志",
       f"{SOLID}第七十七条", f"{SOLID}第一百一十二条第一款第一项、第二款",
       ("fine", "confiscation", "closure"), "100000", "1000000",
       "责令改正，处十万元以上一百万元以下的罚款，没收违法所得；情节严重的，报经有批准权的人民政府批准，可以责令停业或者关闭",
       law=SOLID),
    _m("HW-002", "hazardous_waste", "未按照国家有关规定制定危险废物管理计划或者申报危险废物有关资料",
       f"{SOLID}第七十八条第一款", f"{SOLID}第一百一十二条第一款第二项、第二款",
       ("fine", "confiscation", "closure"), "100000", "1000000",
       "责令改正，处十万元以上一百万元以下的罚款，没收违法所得；情节严重的，报经有批准权的人民政府批准，可以责令停业或者关闭",
       law=SOLID),
    _m("HW-003", "hazardous_waste", "擅自倾倒、堆放危险废物",
       f"{SOLID}第七十九条", f"{SOLID}第一百一十二条第一款第三项、第二款",
       ("fine", "confiscation", "closure", DAILY, DETENTION), "600000", None,
       "责令改正，处所需处置费用三倍以上五倍以下的罚款，所需处置费用不足二十万元的，按二十万元计算（最低六十万元），"
       "没收违法所得；情节严重的，报经有批准权的人民政府批准，可以责令停业或者关闭", law=SOLID,
       extra=f"{_SOLID_DAILY}；造成严重后果的移送拘留：{SOLID}第一百二十条第一项 [V]"),
    _m("HW-004", "hazardous_waste", "将危险废物提供或者委托给无许可证的单位或者其他生产经营者从事经营活动",
       f"{SOLID}第八十条第三款", f"{SOLID}第一百一十二条第一款第四项、第二款",
       ("fine", "confiscation", "closure", DETENTION), "600000", None,
       "责令改正，处所需处置费用三倍以上五倍以下的罚款，所需处置费用不足二十万元的，按二十万元计算（最低六十万元），"
       "没收违法所得；情节严重的，报经有批准权的人民政府批准，可以责令停业或者关闭", law=SOLID,
       extra=f"移送拘留：{SOLID}第一百二十条第三项 [V]"),
    _m("HW-005", "hazardous_waste", "未按照国家有关规定填写、运行危险废物转移联单或者未经批准擅自转移危险废物",
       f"{SOLID}第八十二条", f"{SOLID}第一百一十二条第一款第五项、第二款",
       ("fine", "confiscation", "closure", DETENTION), "100000", "1000000",
       "责令改正，处十万元以上一百万元以下的罚款，没收违法所得；情节严重的，报经有批准权的人民政府批准，可以责令停业或者关闭",
       law=SOLID, extra=f"未经批准擅自转移的移送拘留：{SOLID}第一百二十条第五项 [V]"),
    _m("HW-006", "hazardous_waste", "未按照国家环境保护标准贮存、利用、处置危险废物或者将危险废物混入非危险废物中贮存",
       f"{SOLID}第七十九条、第八十一条第二款", f"{SOLID}第一百一十二条第一款第六项、第二款",
       ("fine", "confiscation", "closure"), "100000", "1000000",
       "责令改正，处十万元以上一百万元以下的罚款，没收违法所得；情节严重的，报经有批准权的人民政府批准，可以责令停业或者关闭",
       law=SOLID),
    _m("HW-007", "hazardous_waste", "未制定危险废物意外事故防范措施和应急预案",
       f"{SOLID}第八十五条", f"{SOLID}第一百一十二条第一款第十二项、第二款",
       ("fine", "confiscation", "closure"), "100000", "1000000",
       "责令改正，处十万元以上一百万元以下的罚款，没收违法所得；情节严重的，报经有批准权的人民政府批准，可以责令停业或者关闭",
       law=SOLID),
    _m("HW-008", "hazardous_waste", "未按照国家有关规定建立危险废物管理台账并如实记录",
       f"{SOLID}第七十八条第一款", f"{SOLID}第一百一十二条第一款第十三项、第二款",
       ("fine", "confiscation", "closure"), "100000", "1000000",
       "责令改正，处十万元以上一百万元以下的罚款，没收违法所得；情节严重的，报经有批准权的人民政府批准，可以责令停业或者关闭",
       law=SOLID),
    _m("HW-009", "hazardous_waste", "无许可证从事收集、贮存、利用、处置危险废物经营活动",
       f"{SOLID}第八十条第二款", f"{SOLID}第一百一十四条第一款",
       ("fine", "closure", DETENTION), "1000000", "5000000",
       "责令改正，处一百万元以上五百万元以下的罚款，并报经有批准权的人民政府批准，责令停业或者关闭；"
       "对法定代表人、主要负责人、直接负责的主管人员和其他责任人员，处十万元以上一百万元以下的罚款",
       law=SOLID, level="city",
       extra=f"移送拘留：{SOLID}第一百二十条第四项 [V]；实施层级（市级）[U]"),
    _m("HW-010", "hazardous_waste", "未按照许可证规定从事收集、贮存、利用、处置危险废物经营活动",
       f"{SOLID}第八十条第二款", f"{SOLID}第一百一十四条第二款",
       ("fine", "production_suspension", "closure", "revoke_license", DETENTION), "500000", "2000000",
       "责令改正，限制生产、停产整治，处五十万元以上二百万元以下的罚款；对法定代表人、主要负责人、直接负责的主管人员和其他责任人员，"
       "处五万元以上五十万元以下的罚款；情节严重的，报经有批准权的人民政府批准，责令停业或者关闭，还可以由发证机关吊销许可证",
       law=SOLID, level="city",
       extra=f"移送拘留：{SOLID}第一百二十条第四项 [V]；实施层级（市级，发证机关）[U]"),
    # --- 噪声 noise --------------------------------------------------------------------
    _m("NOI-001", "noise", "无排污许可证或者超过噪声排放标准排放工业噪声",
       f"{NOISE}第二十二条第一款、第三十六条第二款", f"{NOISE}第七十五条",
       ("fine", "production_suspension", "closure"), "20000", "200000",
       "责令改正或者限制生产、停产整治，并处二万元以上二十万元以下的罚款；情节严重的，报经有批准权的人民政府批准，责令停业、关闭",
       law=NOISE),
    _m("NOI-002", "noise", "实行排污许可管理的单位未按照规定对工业噪声开展自行监测，未保存原始监测记录，或者未向社会公开监测结果",
       f"{NOISE}第三十八条第一款", f"{NOISE}第七十六条第一项",
       ("fine", "production_suspension"), "20000", "200000",
       "责令改正，处二万元以上二十万元以下的罚款；拒不改正的，责令限制生产、停产整治", law=NOISE),
    _m("NOI-003", "noise", "噪声重点排污单位未按照国家规定安装、使用、维护噪声自动监测设备，或者未与生态环境主管部门的监控设备联网",
       f"{NOISE}第三十八条第二款", f"{NOISE}第七十六条第二项",
       ("fine", "production_suspension"), "20000", "200000",
       "责令改正，处二万元以上二十万元以下的罚款；拒不改正的，责令限制生产、停产整治", law=NOISE),
    _m("NOI-004", "noise", "在噪声敏感建筑物集中区域新建排放噪声的工业企业",
       f"{NOISE}第三十五条第二款", f"{NOISE}第七十四条第一款",
       ("fine", "closure"), "100000", "500000",
       "责令停止违法行为，处十万元以上五十万元以下的罚款，并报经有批准权的人民政府批准，责令关闭",
       law=NOISE, random_inspection=False),
    _m("NOI-005", "noise", "拒绝、阻挠噪声污染防治监督检查，或者在接受监督检查时弄虚作假",
       f"{NOISE}第二十九条第一款", f"{NOISE}第七十一条",
       ("fine",), "20000", "200000",
       "责令改正，处二万元以上二十万元以下的罚款", law=NOISE, random_inspection=False),
    _m("NOI-006", "noise", "超过噪声排放标准排放建筑施工噪声",
       f"{NOISE}第二十二条第一款", f"{NOISE}第七十七条第一项",
       ("fine",), "10000", "100000",
       "责令改正，处一万元以上十万元以下的罚款；拒不改正的，可以责令暂停施工", law=NOISE,
       random_inspection=False,
       extra="实施部门为“工程所在地人民政府指定的部门”，上海是否由生态环境部门实施待确认 [U]"),
    # --- 环评与排污许可 EIA and permits -------------------------------------------------------
    _m("EIA-001", "eia_permit", "建设单位未依法报批建设项目环境影响报告书、报告表，或者未依法重新报批、报请重新审核，擅自开工建设",
       f"{EIA}第二十二条、第二十四条、第二十五条", f"{EIA}第三十一条第一款",
       ("fine", DETENTION), None, None,
       "责令停止建设，根据违法情节和危害后果，处建设项目总投资额百分之一以上百分之五以下的罚款，并可以责令恢复原状",
       law=EIA, extra=f"被责令停止建设拒不执行的移送拘留：{EPL}第六十三条第一项 [V]"),
    _m("EIA-002", "eia_permit", "建设项目环境影响报告书、报告表未经批准或者未经原审批部门重新审核同意，擅自开工建设",
       f"{EIA}第二十五条", f"{EIA}第三十一条第二款",
       ("fine", DETENTION), None, None,
       "依照第三十一条第一款处罚：责令停止建设，处建设项目总投资额百分之一以上百分之五以下的罚款，并可以责令恢复原状",
       law=EIA, extra=f"被责令停止建设拒不执行的移送拘留：{EPL}第六十三条第一项 [V]"),
    _m("EIA-003", "eia_permit", "建设单位未依法备案建设项目环境影响登记表",
       f"{EIA}第二十二条第四款", f"{EIA}第三十一条第三款",
       ("fine",), None, "50000",
       "责令备案，处五万元以下的罚款", law=EIA, random_inspection=False),
    _m("EIA-004", "eia_permit", "需要配套建设的环境保护设施未建成、未经验收或者验收不合格，建设项目即投入生产或者使用，或者在环境保护设施验收中弄虚作假",
       f"{CPEM}第十九条第一款", f"{CPEM}第二十三条第一款",
       ("fine", "production_suspension", "closure"), "200000", "2000000",
       "责令限期改正，处二十万元以上一百万元以下的罚款；逾期不改正的，处一百万元以上二百万元以下的罚款；"
       "对直接负责的主管人员和其他责任人员，处五万元以上二十万元以下的罚款；造成重大环境污染或者生态破坏的，"
       "责令停止生产或者使用，或者报经有批准权的人民政府批准，责令关闭", law=CPEM),
    _m("PMT-001", "eia_permit", "排污单位未取得排污许可证排放污染物",
       f"{PERMIT}第二条", f"{PERMIT}第三十三条第一项",
       ("fine", "production_suspension", "closure", DAILY, DETENTION), "200000", "1000000",
       "责令改正或者限制生产、停产整治，处二十万元以上一百万元以下的罚款；情节严重的，报经有批准权的人民政府批准，责令停业、关闭",
       law=PERMIT, tag="[V]（第二条 [S]）",
       extra=f"{_PERMIT_DAILY}；被责令停止排污拒不执行的移送拘留：{PERMIT}第四十四条第一项、{EPL}第六十三条第二项 [V]"),
    _m("PMT-002", "eia_permit", "排污单位超过许可排放浓度、许可排放量排放污染物",
       f"{PERMIT}第十七条第二款", f"{PERMIT}第三十四条第一项",
       ("fine", "production_suspension", "revoke_license", "closure", DAILY), "200000", "1000000",
       "责令改正或者限制生产、停产整治，处二十万元以上一百万元以下的罚款；情节严重的，吊销排污许可证，"
       "报经有批准权的人民政府批准，责令停业、关闭", law=PERMIT, extra=_PERMIT_DAILY),
    _m("PMT-003", "eia_permit", "排污单位通过暗管、渗井、渗坑、灌注或者篡改、伪造监测数据，或者不正常运行污染防治设施等逃避监管的方式违法排放污染物",
       f"{EPL}第四十二条第四款 [S]；{PERMIT}第十七条第二款", f"{PERMIT}第三十四条第二项",
       ("fine", "production_suspension", "revoke_license", "closure", DAILY, DETENTION), "200000", "1000000",
       "责令改正或者限制生产、停产整治，处二十万元以上一百万元以下的罚款；情节严重的，吊销排污许可证，"
       "报经有批准权的人民政府批准，责令停业、关闭", law=PERMIT,
       extra=f"{_PERMIT_DAILY}；移送拘留：{PERMIT}第四十四条第二项、{EPL}第六十三条第三项 [V]"),
    _m("PMT-004", "eia_permit", "污染物排放口位置或者数量、排放方式或者排放去向不符合排污许可证规定",
       f"{PERMIT}第十八条第二款", f"{PERMIT}第三十六条第一项、第二项",
       ("fine", "production_suspension"), "20000", "200000",
       "责令改正，处二万元以上二十万元以下的罚款；拒不改正的，责令停产整治", law=PERMIT),
    _m("PMT-005", "eia_permit", "未按照排污许可证规定制定自行监测方案并开展自行监测",
       f"{PERMIT}第十九条第一款", f"{PERMIT}第三十六条第五项",
       ("fine", "production_suspension"), "20000", "200000",
       "责令改正，处二万元以上二十万元以下的罚款；拒不改正的，责令停产整治", law=PERMIT),
    _m("PMT-006", "eia_permit", "未建立环境管理台账记录制度，或者未按照排污许可证规定记录",
       f"{PERMIT}第二十一条第一款", f"{PERMIT}第三十七条第一项",
       ("fine",), "5000", "20000",
       "责令改正，处每次五千元以上二万元以下的罚款；法律另有规定的，从其规定", law=PERMIT),
    _m("PMT-007", "eia_permit", "未按照排污许可证规定提交排污许可证执行报告",
       f"{PERMIT}第二十二条第一款", f"{PERMIT}第三十七条第三项",
       ("fine",), "5000", "20000",
       "责令改正，处每次五千元以上二万元以下的罚款；法律另有规定的，从其规定", law=PERMIT),
    _m("PMT-008", "eia_permit", "需要填报排污登记表的企业事业单位和其他生产经营者未依照规定填报排污信息",
       f"{PERMIT}第二十四条", f"{PERMIT}第四十三条",
       ("fine",), None, "50000",
       "责令改正，可以处五万元以下的罚款", law=PERMIT),
    # --- 辐射 radiation ----------------------------------------------------------------
    _m("RAD-001", "radiation", "无许可证从事放射性同位素和射线装置生产、销售、使用活动",
       f"{RAD_LAW}第二十八条；{RAD_REG}第五条 [S]", f"{RAD_REG}第五十二条第一项；{RAD_LAW}第五十三条",
       ("fine", "confiscation", "production_suspension", "revoke_license"), "10000", "100000",
       "责令停止违法行为，限期改正；逾期不改正的，责令停产停业或者由原发证机关吊销许可证；有违法所得的，没收违法所得；"
       "违法所得十万元以上的，并处违法所得一倍以上五倍以下的罚款；没有违法所得或者违法所得不足十万元的，"
       "并处一万元以上十万元以下的罚款", law=RAD_REG, level="city",
       extra=f"{RAD_LAW}第五十三条 [V]；实施层级（市级）[U]"),
    _m("RAD-002", "radiation", "未按照许可证的规定从事放射性同位素和射线装置生产、销售、使用活动",
       f"{RAD_LAW}第二十八条", f"{RAD_REG}第五十二条第二项",
       ("fine", "confiscation", "production_suspension", "revoke_license"), "10000", "100000",
       "责令停止违法行为，限期改正；逾期不改正的，责令停产停业或者由原发证机关吊销许可证；有违法所得的，没收违法所得；"
       "违法所得十万元以上的，并处违法所得一倍以上五倍以下的罚款；没有违法所得或者违法所得不足十万元的，"
       "并处一万元以上十万元以下的罚款", law=RAD_REG, level="city", extra="实施层级（市级）[U]"),
    _m("RAD-003", "radiation", "未编制环境影响评价文件或者环境影响评价文件未经批准，擅自进行放射性建造、运行、生产和使用等活动",
       f"{RAD_LAW}第二十九条第一款", f"{RAD_LAW}第五十条",
       ("fine",), "10000", "200000",
       "责令停止违法行为，限期补办手续或者恢复原状，并处一万元以上二十万元以下罚款", law=RAD_LAW, level="city",
       extra="实施层级（审批环境影响评价文件的部门）[U]"),
    _m("RAD-004", "radiation", "放射防护设施未建造或者未经验收合格，主体工程即投入生产或者使用",
       f"{RAD_LAW}第三十条", f"{RAD_LAW}第五十一条",
       ("fine",), "50000", "200000",
       "责令停止违法行为，限期改正，并处五万元以上二十万元以下罚款", law=RAD_LAW, level="city",
       extra="实施层级（审批环境影响评价文件的部门）[U]"),
    _m("RAD-005", "radiation", "不按照规定报告放射源丢失、被盗情况或者放射性污染事故",
       f"{RAD_LAW}第三十三条第一款", f"{RAD_LAW}第五十五条第三项",
       ("fine", "production_suspension"), "20000", "100000",
       "责令限期改正；逾期不改正的，责令停产停业，并处二万元以上十万元以下罚款", law=RAD_LAW,
       random_inspection=False),
    # --- 土壤 soil ---------------------------------------------------------------------
    _m("SOIL-001", "soil", "土壤污染重点监管单位未制定、实施自行监测方案，或者未将监测数据报生态环境主管部门",
       f"{SOIL}第二十一条第二款第三项", f"{SOIL}第八十六条第一款第一项、第二款",
       ("fine", "production_suspension"), "20000", "200000",
       "责令改正，处二万元以上二十万元以下的罚款；拒不改正的，责令停产整治", law=SOIL),
    _m("SOIL-002", "soil", "土壤污染重点监管单位篡改、伪造监测数据",
       f"{SOIL}第二十一条第四款", f"{SOIL}第八十六条第一款第二项、第二款",
       ("fine", "production_suspension"), "20000", "2000000",
       "责令改正，处二万元以上二十万元以下的罚款；造成严重后果的，处二十万元以上二百万元以下的罚款；拒不改正的，责令停产整治",
       law=SOIL),
    _m("SOIL-003", "soil", "土壤污染重点监管单位未按年度报告有毒有害物质排放情况，或者未建立土壤污染隐患排查制度",
       f"{SOIL}第二十一条第二款第一项、第二项", f"{SOIL}第八十六条第一款第三项、第二款",
       ("fine", "production_suspension"), "20000", "200000",
       "责令改正，处二万元以上二十万元以下的罚款；拒不改正的，责令停产整治", law=SOIL),
    _m("SOIL-004", "soil", "拆除设施、设备或者建筑物、构筑物，企业事业单位未采取相应的土壤污染防治措施或者土壤污染重点监管单位未制定、实施土壤污染防治工作方案",
       f"{SOIL}第二十二条", f"{SOIL}第八十六条第一款第四项、第二款",
       ("fine", "production_suspension"), "20000", "2000000",
       "责令改正，处二万元以上二十万元以下的罚款；造成严重后果的，处二十万元以上二百万元以下的罚款；拒不改正的，责令停产整治",
       law=SOIL),
    _m("SOIL-005", "soil", "向农用地排放重金属或者其他有毒有害物质含量超标的污水、污泥，以及可能造成土壤污染的清淤底泥、尾矿、矿渣等",
       f"{SOIL}第二十八条第一款", f"{SOIL}第八十七条",
       ("fine", "confiscation", DETENTION), "100000", "2000000",
       "责令改正，处十万元以上五十万元以下的罚款；情节严重的，处五十万元以上二百万元以下的罚款，并可以将案件移送公安机关，"
       "对直接负责的主管人员和其他直接责任人员处五日以上十五日以下的拘留；有违法所得的，没收违法所得", law=SOIL),
    _m("SOIL-006", "soil", "将重金属或者其他有毒有害物质含量超标的工业固体废物、生活垃圾或者污染土壤用于土地复垦",
       f"{SOIL}第三十三条第二款", f"{SOIL}第八十九条",
       ("fine", "confiscation"), "100000", "1000000",
       "责令改正，处十万元以上一百万元以下的罚款；有违法所得的，没收违法所得", law=SOIL,
       random_inspection=False),
    _m("SOIL-007", "soil", "土壤污染责任人或者土地使用权人未按照规定进行土壤污染状况调查",
       f"{SOIL}第五十九条", f"{SOIL}第九十四条第一款第一项",
       ("fine",), "20000", "1000000",
       "责令改正，处二万元以上二十万元以下的罚款；拒不改正的，处二十万元以上一百万元以下的罚款，并委托他人代为履行，"
       "所需费用由土壤污染责任人或者土地使用权人承担；对直接负责的主管人员和其他直接责任人员处五千元以上二万元以下的罚款",
       law=SOIL, random_inspection=False),
)
