"""The demo data set (演示数据) that `sanxiang demo` seeds: idempotent, realistic, printed logins."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import password_validation
from django.contrib.auth.hashers import make_password
from django.db import transaction

from sanxiang.accounts import services as accounts
from sanxiang.accounts.models import User

DEMO_PASSWORD = "Sanxiang-Demo-2026"


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    unit: str
    roles: tuple[str, ...]
    certificate: str | None = None
    valid_until: dt.date | None = None


_VALID = dt.date(2028, 12, 31)


def _district_staff(unit: str, region: str, head_of_unit: str, officers: tuple[str, str], head: str,
                    deputy: str) -> tuple[DemoUser, ...]:
    """A district bureau's case-handling staff: unit head (certified), two officers, two heads."""
    return (
        DemoUser(f"uh.{unit}", f"{head_of_unit}科长", unit, ("unit_head", "officer"), f"SH{region}0001", _VALID),
        *(DemoUser(f"off.{unit}{n}", f"{surname}执法", unit, ("officer",), f"SH{region}{n + 1:04d}", _VALID)
          for n, surname in enumerate(officers, start=1)),
        DemoUser(f"head.{unit}", f"{head}局长", unit, ("agency_head",)),
        DemoUser(f"dep.{unit}", f"{deputy}副局长", unit, ("agency_head",)),
    )

DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("admin", "系统管理员", "city", ("admin",)),
    DemoUser("admin.pudong", "浦东系统管理员", "pudong", ("admin",)),
    DemoUser("sup.city", "周监督", "city", ("supervisor",)),
    DemoUser("sup.corps", "吴督察", "city-corps", ("supervisor",)),
    DemoUser("head.city", "郑局长", "city", ("agency_head",)),
    DemoUser("head.pudong", "王局长", "pudong", ("agency_head",)),
    DemoUser("head.huangpu", "冯局长", "huangpu", ("agency_head",)),
    DemoUser("rev.legal1", "陈审核", "city-legal", ("reviewer",)),
    DemoUser("rev.legal2", "褚审核", "city-legal", ("reviewer",)),
    DemoUser("pub.city", "卫公示", "city", ("publisher",)),
    DemoUser("pub.pudong", "蒋公示", "pudong", ("publisher",)),
    DemoUser("pub.huangpu", "沈公示", "huangpu", ("publisher",)),
    DemoUser("uh.pudong", "韩科长", "pudong", ("unit_head", "officer"), "SH3101150001", _VALID),
    DemoUser("uh.huangpu", "杨科长", "huangpu", ("unit_head", "officer"), "SH3101010001", _VALID),
    DemoUser("uh.corps", "朱支队长", "city-corps", ("unit_head", "officer"), "SH3100000001", _VALID),
    DemoUser("off.pudong1", "张执法", "pudong", ("officer",), "SH3101150002", _VALID),
    DemoUser("off.pudong2", "李执法", "pudong", ("officer",), "SH3101150003", _VALID),
    DemoUser("off.pudong3", "秦执法", "pudong", ("officer",), "SH3101150004", dt.date(2026, 6, 30)),
    DemoUser("off.huangpu1", "孙执法", "huangpu", ("officer",), "SH3101010002", _VALID),
    DemoUser("off.huangpu2", "钱执法", "huangpu", ("officer",), "SH3101010003", _VALID),
    DemoUser("off.xuhui1", "许执法", "xuhui", ("officer",), "SH3101040001", _VALID),
    DemoUser("off.xuhui2", "何执法", "xuhui", ("officer",), "SH3101040002", _VALID),
    DemoUser("off.corps1", "吕执法", "city-corps", ("officer",), "SH3100000002", _VALID),
    DemoUser("off.corps2", "施执法", "city-corps", ("officer",), "SH3100000003", _VALID),
    # Deputy agency heads: a collective discussion (集体讨论) needs at least two heads.
    DemoUser("dep.city", "孔副局长", "city", ("agency_head",)),
    DemoUser("dep.pudong", "曹副局长", "pudong", ("agency_head",)),
    DemoUser("dep.huangpu", "华副局长", "huangpu", ("agency_head",)),
    DemoUser("uh.xuhui", "唐科长", "xuhui", ("unit_head", "officer"), "SH3101040003", _VALID),
    DemoUser("head.xuhui", "严局长", "xuhui", ("agency_head",)),
    DemoUser("dep.xuhui", "金副局长", "xuhui", ("agency_head",)),
    *_district_staff("minhang", "310112", "魏", ("陶", "姜"), "戚", "谢"),
    *_district_staff("jingan", "310106", "邹", ("喻", "柏"), "窦", "章"),
    *_district_staff("baoshan", "310113", "苏", ("潘", "葛"), "奚", "范"),
    *_district_staff("jiading", "310114", "彭", ("郎", "鲁"), "韦", "马"),
    *_district_staff("songjiang", "310117", "苗", ("方", "俞"), "任", "袁"),
    *_district_staff("jinshan", "310116", "柳", ("鲍", "史"), "费", "廉"),
    *_district_staff("qingpu", "310118", "岑", ("薛", "雷"), "贺", "倪"),
    *_district_staff("fengxian", "310120", "汤", ("滕", "殷"), "罗", "毕"),
    # Publishers of the districts that handle demo cases (谁执法谁公示); the corps: the city's.
    *(DemoUser(f"pub.{unit}", f"{name}公示", unit, ("publisher",)) for unit, name in (
        ("xuhui", "江"), ("minhang", "甄"), ("jingan", "乔"), ("baoshan", "项"), ("jiading", "宁"),
        ("songjiang", "阮"), ("jinshan", "蓝"), ("qingpu", "闵"), ("fengxian", "席"))),
)

#: Units whose staff handle the demo cases: each has two or more certified officers, a unit
#: head and two agency heads (its own, or the city bureau's for the enforcement corps).
CASE_UNITS: tuple[str, ...] = ("pudong", "huangpu", "xuhui", "minhang", "jingan", "baoshan", "jiading",
                               "songjiang", "jinshan", "qingpu", "fengxian", "city-corps")


@transaction.atomic
def seed_users(progress: Callable[[str], None]) -> list[DemoUser]:
    """Create the demo users where missing (idempotent).

    The password is hashed once (Argon2 takes about a third of a second per hash) and the
    same hash is given to every new demo user: they all share the published demo password.
    """
    created = []
    hashed = None
    for spec in DEMO_USERS:
        if User.objects.filter(username=spec.username).exists():
            continue
        if hashed is None:
            password_validation.validate_password(DEMO_PASSWORD)
            hashed = make_password(DEMO_PASSWORD)
        user = accounts.user_create(
            username=spec.username, full_name=spec.full_name, unit_code=spec.unit,
            roles=spec.roles, password=None, certificate_number=spec.certificate,
            valid_until=spec.valid_until, valid_from=dt.date(2024, 1, 1) if spec.certificate else None,
        )
        user.password = hashed
        user.save(update_fields=["password"])
        created.append(spec)
        progress(f"{spec.username}")
    return created


def seed_cases(progress: Callable[[str], None], count: int = 200) -> dict:
    """About `count` cases at every stage (see `demo_cases`); idempotent."""
    from sanxiang.cli import demo_cases

    return demo_cases.seed(progress, count=count)


def seed_publications(progress: Callable[[str], None]) -> dict:
    """Publish about two thirds of the decided demo cases, correct one, withdraw one, sweep."""
    from sanxiang.cli import demo_publications

    return demo_publications.seed(progress)


def seed_oversight(progress: Callable[[str], None]) -> dict:
    """Complaints, supervision notices, a random inspection and case-file evaluations."""
    from sanxiang.cli import demo_oversight

    return demo_oversight.seed(progress)


def steps(*, cases: int = 200) -> list[tuple[str, Callable]]:
    """The seeding steps, in order: each is called with a progress callback."""
    return [
        ("units", lambda progress: accounts.units_ensure_standard()),
        ("users and officers", seed_users),
        (f"cases ({cases})", lambda progress: seed_cases(progress, count=cases)),
        ("publications", seed_publications),
        ("complaints, notices, random inspection, evaluations", seed_oversight),
    ]


STEPS: list[tuple[str, Callable]] = steps()

#: Order of the roles in the printed login table.
ROLE_ORDER = ("admin", "supervisor", "agency_head", "reviewer", "publisher", "unit_head", "officer")


def login_table(*, per_role: int = 2) -> list[str]:
    """The printed demo logins: the first `per_role` users of each role and how many more."""
    lines = [f"{'login':<14} {'roles':<22} {'unit':<12} name"]
    for role in ROLE_ORDER:
        group = [u for u in DEMO_USERS if u.roles[0] == role]
        for spec in group[:per_role]:
            lines.append(f"{spec.username:<14} {','.join(spec.roles):<22} {spec.unit:<12} {spec.full_name}")
        if len(group) > per_role:
            more = [u.username for u in group[per_role:]]
            lines.append(f"  … {len(more)} more {role}: {', '.join(more[:3])}{', …' if len(more) > 3 else ''}")
    lines.append("Case-handling units: " + " ".join(CASE_UNITS))
    lines.append("  in each: uh.<unit> unit head, off.<unit>1 / off.<unit>2 officers, head.<unit> / dep.<unit> "
                 "agency heads (city-corps: uh.corps, off.corps1/2; heads head.city, dep.city)")
    lines.extend(tracking_lines())
    return lines


def tracking_lines() -> list[str]:
    """Tracking codes of two demo complaints filed on the portal, for /gongshi/complaints/track/."""
    from sanxiang.cli import demo_oversight

    codes = demo_oversight.tracking_codes()
    if not codes:
        return []
    return ["Complaint tracking codes (投诉查询码), to try at http://127.0.0.1:8000/gongshi/complaints/track/:",
            *(f"  {number:<16} {code}" for number, code in codes)]
