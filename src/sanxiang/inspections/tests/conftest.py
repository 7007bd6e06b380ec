"""Fixtures of the random-inspection tests: a Pudong unit head, publisher and officers, a pool
of regulated entities with valid credit codes, and plans built through the services."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from sanxiang.core.identifiers import org_code_check_char, uscc_check_char

_seq = itertools.count(1)


def make_uscc(n: int, region: str = "310115") -> str:
    """A valid unified social credit code (GB 32100) of an enterprise in ``region``."""
    body = f"{n:08d}"
    first17 = "91" + region + body + org_code_check_char(body)
    return first17 + uscc_check_char(first17)


@pytest.fixture(autouse=True)
def ratio_rules(db):
    """The default ratios of the data migration (a transactional test elsewhere may have flushed them)."""
    import importlib

    from django.apps import apps

    from sanxiang.inspections.models import DrawRatioRule

    if not DrawRatioRule.objects.exists():
        importlib.import_module("sanxiang.inspections.migrations.0002_seed_draw_ratios").load(apps, None)


@pytest.fixture
def people(make_user):
    return {
        "head": make_user("pudong", "unit_head", full_name="韩科长"),
        "publisher": make_user("pudong", "publisher", full_name="钱公示"),
        "off": [make_user("pudong", "officer", certificate=f"PDINSP{i:04d}", full_name=f"浦东检查员{i}")
                for i in range(1, 6)],
        "hp_head": make_user("huangpu", "unit_head", full_name="黄科长"),
        "hp_off": [make_user("huangpu", "officer", certificate=f"HPINSP{i:04d}", full_name=f"黄浦检查员{i}")
                   for i in range(1, 3)],
    }


@pytest.fixture
def matter_code(db):
    from sanxiang.catalog.models import Matter

    matter = Matter.objects.filter(status="published", random_inspection=True).order_by("code").first()
    assert matter is not None
    return matter.code


@pytest.fixture
def add_entity(people):
    from sanxiang.inspections import services

    def add(risk: str = "general", *, district: str = "pudong", actor=None, name: str | None = None):
        n = next(_seq)
        region = {"pudong": "310115", "huangpu": "310101"}.get(district, "310115")
        return services.entity_add(
            actor=actor or (people["head"] if district == "pudong" else people["hp_head"]),
            name=name or f"上海测试{n}化工有限公司", uscc=make_uscc(n + 1000, region), district_code=district,
            risk_level=risk, category="化工", address=f"测试路{n}号",
        )

    return add


@pytest.fixture
def pool(people, add_entity):
    """Pudong: 4 key, 7 special, 20 general entities; five inspectors."""
    from sanxiang.inspections import services

    entities = ([add_entity("key") for _ in range(4)] + [add_entity("special") for _ in range(7)]
                + [add_entity("general") for _ in range(20)])
    inspectors = [services.inspector_add(actor=people["head"], officer_id=u.officer.pk) for u in people["off"]]
    return {"entities": entities, "inspectors": inspectors}


@pytest.fixture
def make_plan(people, matter_code):
    from sanxiang.inspections import services

    def make(*, actor=None, unit: str = "pudong", **kwargs):
        today = timezone.localdate()
        return services.plan_create(
            actor=actor or people["head"], title=kwargs.pop("title", "2026年第四季度双随机抽查"),
            matter_code=kwargs.pop("matter_code", matter_code), unit_code=unit,
            period_start=kwargs.pop("period_start", today), period_end=kwargs.pop("period_end", today + dt.timedelta(days=30)),
            **kwargs,
        )

    return make


@pytest.fixture
def drawn_plan(people, pool, make_plan):
    """A Pudong plan whose beacon is published and which is drawn."""
    from sanxiang.inspections import services

    plan = make_plan()
    services.plan_beacon_publish(actor=people["head"], plan_id=plan.pk, beacon="福彩3D 2026320期 开奖号码 5 8 1")
    draw = services.plan_draw(actor=people["head"], plan_id=plan.pk)
    plan.refresh_from_db()
    return plan, draw
