"""The unit tree that `sanxiang demo` creates (API.md "Roles and units").

District region codes: GB/T 2260 as listed in RULES.md R9.4 (Shanghai, city code 310000).
Each row: (code, parent code, kind, level, region code, name).
"""

CITY_REGION_CODE = "310000"

STANDARD_UNITS: tuple[tuple[str, str | None, str, str, str, str], ...] = (
    ("city", None, "bureau", "city", "310000", "上海市生态环境局"),
    ("city-legal", "city", "legal", "city", "310000", "上海市生态环境局法规处"),
    ("city-corps", "city", "corps", "city", "310000", "上海市生态环境局执法总队"),
    ("huangpu", "city", "bureau", "district", "310101", "上海市黄浦区生态环境局"),
    ("xuhui", "city", "bureau", "district", "310104", "上海市徐汇区生态环境局"),
    ("changning", "city", "bureau", "district", "310105", "上海市长宁区生态环境局"),
    ("jingan", "city", "bureau", "district", "310106", "上海市静安区生态环境局"),
    ("putuo", "city", "bureau", "district", "310107", "上海市普陀区生态环境局"),
    ("hongkou", "city", "bureau", "district", "310109", "上海市虹口区生态环境局"),
    ("yangpu", "city", "bureau", "district", "310110", "上海市杨浦区生态环境局"),
    ("minhang", "city", "bureau", "district", "310112", "上海市闵行区生态环境局"),
    ("baoshan", "city", "bureau", "district", "310113", "上海市宝山区生态环境局"),
    ("jiading", "city", "bureau", "district", "310114", "上海市嘉定区生态环境局"),
    ("pudong", "city", "bureau", "district", "310115", "上海市浦东新区生态环境局"),
    ("jinshan", "city", "bureau", "district", "310116", "上海市金山区生态环境局"),
    ("songjiang", "city", "bureau", "district", "310117", "上海市松江区生态环境局"),
    ("qingpu", "city", "bureau", "district", "310118", "上海市青浦区生态环境局"),
    ("fengxian", "city", "bureau", "district", "310120", "上海市奉贤区生态环境局"),
    ("chongming", "city", "bureau", "district", "310151", "上海市崇明区生态环境局"),
)
