"""The demo data set (演示数据) that `sanxiang demo` seeds: idempotent, realistic, printed logins."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

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
)


@transaction.atomic
def seed_users(progress: Callable[[str], None]) -> list[DemoUser]:
    """Create the demo users where missing (idempotent)."""
    created = []
    for spec in DEMO_USERS:
        if User.objects.filter(username=spec.username).exists():
            continue
        accounts.user_create(
            username=spec.username, full_name=spec.full_name, unit_code=spec.unit,
            roles=spec.roles, password=DEMO_PASSWORD, certificate_number=spec.certificate,
            valid_until=spec.valid_until, valid_from=dt.date(2024, 1, 1) if spec.certificate else None,
        )
        created.append(spec)
        progress(f"{spec.username}")
    return created


STEPS: list[tuple[str, Callable]] = [
    ("units", lambda progress: accounts.units_ensure_standard()),
    ("users and officers", seed_users),
]
