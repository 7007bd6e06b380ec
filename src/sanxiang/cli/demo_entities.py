"""Regulated entities of the demo data set (演示监管对象): deterministic, fictitious, valid.

Companies (上海XX化工有限公司 …) get an 18-character unified social credit code built with
the check-character functions of `sanxiang.core.identifiers` (GB 32100: registration
authority 9 工商, type 1 enterprise or 2 individual business, the district's GB/T 2260 code,
a GB 11714 organization-code body with its own check character, then the code's check
character); natural persons get an ID number (GB 11643) born in the district. Names,
addresses and people are invented from fixed lists with a fixed seed: the same list every
run, no real company intended. No Django.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from sanxiang.core.identifiers import (
    USCC_CHARSET,
    id_check_char,
    org_code_check_char,
    uscc_check_char,
    validate_id_number,
    validate_uscc,
)

SEED = 20261127


@dataclass(frozen=True)
class District:
    code: str  # unit code
    region: str  # GB/T 2260
    name: str  # 浦东新区
    places: tuple[tuple[str, tuple[str, ...]], ...]  # (town or park, roads)
    urban: bool = False


DISTRICTS: dict[str, District] = {d.code: d for d in (
    District("pudong", "310115", "浦东新区", (
        ("张江镇", ("蔡伦路", "哈雷路", "科苑路", "郭守敬路")), ("川沙新镇", ("川图路", "华夏东路", "川大路")),
        ("高桥镇", ("港城路", "杨高北路", "高桥港路")), ("康桥镇", ("康桥东路", "秀沿路", "康士路")),
        ("曹路镇", ("金海路", "川沙路", "民冬路")), ("惠南镇", ("城南路", "拱极路", "沪南公路")))),
    District("huangpu", "310101", "黄浦区", (
        ("", ("西藏南路", "复兴东路", "中山南路", "制造局路", "瞿溪路", "斜土路")),), urban=True),
    District("xuhui", "310104", "徐汇区", (
        ("漕河泾开发区", ("桂平路", "宜山路", "田林路", "钦州北路")), ("华泾镇", ("华泾路", "龙吴路", "华东路"))),
        urban=True),
    District("jingan", "310106", "静安区", (
        ("市北高新园区", ("江场三路", "汶水路", "江场西路")), ("彭浦镇", ("场中路", "共和新路", "平型关路"))),
        urban=True),
    District("minhang", "310112", "闵行区", (
        ("莘庄工业区", ("春东路", "申富路", "金都路", "元山路")), ("吴泾镇", ("龙吴路", "剑川路", "虹梅南路")),
        ("颛桥镇", ("颛兴路", "光中路")), ("马桥镇", ("元江路", "银都路")), ("浦江镇", ("陈行路", "联航路")))),
    District("baoshan", "310113", "宝山区", (
        ("罗店镇", ("美丹路", "罗北路", "月罗公路")), ("月浦镇", ("月浦路", "盛桥二村路", "德都路")),
        ("杨行镇", ("富联路", "杨桃路")), ("顾村镇", ("沪太路", "富联一路")), ("宝山工业园区", ("潘泾路", "罗宁路")))),
    District("jiading", "310114", "嘉定区", (
        ("安亭镇", ("于田南路", "墨玉路", "园国路", "安智路")), ("马陆镇", ("宝安公路", "嘉新公路")),
        ("南翔镇", ("沪宜公路", "嘉美路")), ("嘉定工业区", ("叶城路", "兴贤路", "汇源路")))),
    District("jinshan", "310116", "金山区", (
        ("金山卫镇", ("卫零路", "秋实路")), ("金山工业区", ("夏宁路", "亭卫公路", "定业路")),
        ("金山第二工业区", ("金舸路", "月工路")), ("亭林镇", ("林宝路", "亭枫公路")))),
    District("songjiang", "310117", "松江区", (
        ("九亭镇", ("九亭大街", "涞寅路")), ("松江工业区", ("荣乐东路", "江田东路", "民强路")),
        ("泗泾镇", ("泗砖公路", "九干路")), ("车墩镇", ("车峰路", "北松公路")), ("新桥镇", ("新格路", "千帆路")))),
    District("qingpu", "310118", "青浦区", (
        ("华新镇", ("华志路", "纪鹤公路")), ("青浦工业园区", ("崧华路", "天辰路", "新府中路")),
        ("赵巷镇", ("沪青平公路", "业辉路")), ("白鹤镇", ("鹤吉路", "外青松公路")))),
    District("fengxian", "310120", "奉贤区", (
        ("南桥镇", ("环城西路", "江海路")), ("柘林镇", ("目华路", "楚华支路", "苍工路")),
        ("奉城镇", ("奉粮路", "奉城工业园路")), ("青村镇", ("南奉公路", "光明路")))),
)}

# District weights for the cases (pudong and the industrial suburbs have most).
DISTRICT_WEIGHTS: dict[str, int] = {
    "pudong": 18, "minhang": 12, "jiading": 10, "songjiang": 10, "baoshan": 9, "jinshan": 9,
    "qingpu": 7, "fengxian": 7, "xuhui": 6, "jingan": 6, "huangpu": 4,
}


@dataclass(frozen=True)
class Industry:
    code: str
    suffix: str  # 化工有限公司
    matters: tuple[str, ...]  # enforcement matters typical of the trade
    process: str  # 生产车间 (where the officers look)
    urban: bool = False  # also found in the central districts


INDUSTRIES: tuple[Industry, ...] = (
    Industry("chemical", "化工有限公司", ("AIR-001", "AIR-003", "AIR-004", "WAT-001", "WAT-004", "HW-005", "HW-006",
                                      "SOIL-001", "PMT-002"), "合成车间"),
    Industry("fine_chemical", "精细化工有限公司", ("AIR-001", "AIR-005", "AIR-006", "WAT-003", "HW-002", "HW-008",
                                              "SOIL-003", "PMT-003"), "反应釜车间"),
    Industry("auto_parts", "汽车零部件有限公司", ("AIR-006", "AIR-007", "HW-002", "HW-008", "NOI-001", "PMT-004",
                                              "PMT-006"), "涂装线"),
    Industry("dyeing", "印染有限公司", ("WAT-001", "WAT-003", "WAT-005", "WAT-006", "PMT-002", "AIR-010"), "染整车间"),
    Industry("plating", "电镀有限公司", ("WAT-001", "WAT-003", "WAT-007", "HW-001", "HW-006", "SOIL-003"), "电镀车间"),
    Industry("coating", "涂装科技有限公司", ("AIR-005", "AIR-006", "AIR-007", "PMT-005"), "喷涂车间"),
    Industry("furniture", "家具制造有限公司", ("AIR-006", "AIR-007", "NOI-001", "SW-002"), "喷漆房"),
    Industry("printing", "印刷有限公司", ("AIR-006", "PMT-006", "PMT-007", "HW-001"), "印刷车间", urban=True),
    Industry("metal", "金属制品有限公司", ("NOI-001", "SW-002", "HW-001", "PMT-005", "EIA-004"), "机加工车间"),
    Industry("foundry", "铸造有限公司", ("AIR-001", "AIR-009", "SW-004", "NOI-001", "EIA-004"), "熔炼车间"),
    Industry("electronics", "电子科技有限公司", ("HW-002", "HW-005", "WAT-005", "EIA-004", "PMT-007"), "清洗车间",
             urban=True),
    Industry("pharma", "生物医药有限公司", ("WAT-004", "HW-007", "AIR-010", "EIA-004", "SOIL-001"), "发酵车间",
             urban=True),
    Industry("food", "食品有限公司", ("WAT-004", "AIR-010", "PMT-008", "WAT-010"), "生产车间"),
    Industry("construction", "建设工程有限公司", ("AIR-009", "NOI-006"), "施工工地", urban=True),
    Industry("concrete", "混凝土有限公司", ("AIR-009", "SW-004", "PMT-004"), "搅拌站"),
    Industry("recycling", "再生资源回收利用有限公司", ("SW-001", "SW-003", "HW-004", "HW-009"), "分拣场地"),
    Industry("hazwaste", "环境科技有限公司", ("HW-010", "HW-005", "HW-003"), "危险废物贮存库"),
    Industry("fuel", "石油销售有限公司", ("AIR-008",), "加油站卸油区", urban=True),
    Industry("power", "热电有限公司", ("AIR-001", "AIR-002", "AIR-004", "PMT-001"), "锅炉房"),
    Industry("ndt", "无损检测技术有限公司", ("RAD-001", "RAD-002", "RAD-005"), "探伤室", urban=True),
    Industry("plastics", "塑料制品有限公司", ("AIR-006", "SW-002", "EIA-001", "PMT-001"), "注塑车间"),
)
INDUSTRY = {i.code: i for i in INDUSTRIES}

BRANDS = (
    "华信", "金桥", "浦江", "申达", "永盛", "恒丰", "东昊", "宏远", "瑞丰", "鑫源", "博瑞", "新锦", "振华", "凯达",
    "天合", "龙盛", "嘉宝", "汇通", "联腾", "中骏", "沪光", "海鸥", "明珠", "锦江", "兴业", "宝顺", "长江", "金盛",
    "祥瑞", "国润", "同创", "正泰", "昌隆", "润邦", "众欣", "亿达", "泰和", "丰源", "精诚", "立信", "华谊", "协力",
    "远东", "华通", "鸿运", "晨光", "信诚", "安达", "新华", "泓盛", "佳禾", "捷通", "德润", "迈科", "旭东", "远洋",
    "华夏", "胜利", "金海", "银河", "三友", "和平", "万达", "百盛", "宏达", "东方", "美景", "益民", "福源", "利民",
    "中天", "世纪", "天成", "光明", "新兴", "亚太", "腾飞", "启航", "卓越", "汇丰源",
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙朱马胡郭林何高罗郑梁谢宋唐许邓冯韩曹曾彭萧蔡潘田董袁于余叶蒋杜苏魏程吕丁沈任姚卢傅钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷黎史龙陶贺顾毛郝龚邵万钱严"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建文辉力志国荣海林峰雪梅斌宇浩凯鹏晨瑜琳婷慧燕俊立新春波"
SMALL_SHOPS = (("干洗店", "AIR-012"), ("汽车修理部", "AIR-012"), ("五金加工部", "PMT-008"), ("木器加工厂", "PMT-008"),
               ("小型铸件加工部", "PMT-008"), ("洗衣房", "AIR-012"))
PERSON_MATTERS = ("PMT-008", "EIA-003", "SW-006")


@dataclass(frozen=True)
class Entity:
    key: str
    type: str  # organization | individual_business | person
    name: str
    district: str
    address: str
    uscc: str = ""
    id_number: str = ""
    legal_representative: str = ""
    phone: str = ""
    industry: str = ""
    matters: tuple[str, ...] = ()

    @property
    def identifier(self) -> str:
        return self.uscc or self.id_number


def make_uscc(rng: random.Random, region: str, *, individual: bool = False) -> str:
    """A valid unified social credit code of `region` (GB 32100 and GB 11714 check characters)."""
    if rng.random() < 0.7:  # since 2015 new registrations carry MA… bodies
        body = "MA1" + "".join(rng.choice(USCC_CHARSET) for _ in range(5))
    else:  # older organization codes (组织机构代码) are digits
        body = "".join(rng.choice("0123456789") for _ in range(8))
    head = ("92" if individual else "91") + region + body + org_code_check_char(body)
    return validate_uscc(head + uscc_check_char(head))


def make_id_number(rng: random.Random, region: str, *, male: bool) -> str:
    """A valid resident ID number (GB 11643) of someone born 1962–1996 in `region`."""
    born = dt.date(1962, 1, 1) + dt.timedelta(days=rng.randrange(0, 35 * 365))
    sequence = rng.randrange(0, 50) * 10 + rng.randrange(0, 5) * 2 + (1 if male else 0)
    head = f"{region}{born:%Y%m%d}{sequence:03d}"
    return validate_id_number(head + id_check_char(head), today=dt.date(2026, 1, 1))


def make_name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def _address(rng: random.Random, district: District) -> str:
    town, roads = rng.choice(district.places)
    number = rng.randrange(8, 2800) if not district.urban else rng.randrange(5, 1200)
    return f"上海市{district.name}{town}{rng.choice(roads)}{number}号"


def _phone(rng: random.Random) -> str:
    return f"021-{rng.choice('3456'):s}{rng.randrange(0, 10_000_000):07d}"


def build_entities(seed: int = SEED) -> dict[str, list[Entity]]:
    """Every district's regulated entities: companies, individual businesses, natural persons."""
    rng = random.Random(f"sanxiang-demo-entities:{seed}")  # noqa: S311 (reproducible demo data)
    used_names: set[str] = set()
    out: dict[str, list[Entity]] = {}
    for code, district in DISTRICTS.items():
        entities: list[Entity] = []
        trades = [i for i in INDUSTRIES if i.urban] if district.urban else list(INDUSTRIES)
        for n in range(16 if not district.urban else 10):
            industry = trades[n % len(trades)] if n < len(trades) else rng.choice(trades)
            while True:
                name = f"上海{rng.choice(BRANDS)}{industry.suffix}"
                if name not in used_names:
                    break
                name = f"上海{district.name[:2]}{rng.choice(BRANDS)}{industry.suffix}"
                if name not in used_names:
                    break
            used_names.add(name)
            entities.append(Entity(
                key=f"{code}:org:{n}", type="organization", name=name, district=code,
                address=_address(rng, district), uscc=make_uscc(rng, district.region),
                legal_representative=make_name(rng), phone=_phone(rng), industry=industry.code,
                matters=industry.matters))
        for n in range(3):
            owner = make_name(rng)
            shop, matter = SMALL_SHOPS[(n + len(code)) % len(SMALL_SHOPS)]
            name = f"上海市{district.name}{rng.choice(BRANDS)}{shop}"
            entities.append(Entity(
                key=f"{code}:ib:{n}", type="individual_business", name=name, district=code,
                address=_address(rng, district), uscc=make_uscc(rng, district.region, individual=True),
                legal_representative=owner, phone=f"1{rng.choice('3589')}{rng.randrange(0, 10**9):09d}",
                industry="small_shop", matters=(matter,)))
        for n in range(2):
            male = rng.random() < 0.6
            entities.append(Entity(
                key=f"{code}:person:{n}", type="person", name=make_name(rng), district=code,
                address=_address(rng, district), id_number=make_id_number(rng, district.region, male=male),
                phone=f"1{rng.choice('3589')}{rng.randrange(0, 10**9):09d}", industry="person",
                matters=PERSON_MATTERS))
        out[code] = entities
    return out
