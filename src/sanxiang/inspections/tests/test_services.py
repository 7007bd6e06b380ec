"""Services of random inspections: pools, plans, beacon, draw and their guards. Every state
change appends its ledger entry in the same transaction."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sanxiang.cases.models import Case
from sanxiang.core.errors import GuardRefused, InvalidInput, NotFound, PermissionDenied
from sanxiang.inspections import services
from sanxiang.inspections.constants import PlanStatus
from sanxiang.inspections.models import Draw, DrawnEntity, InspectionPlan
from sanxiang.inspections.tests.conftest import make_uscc
from sanxiang.records.models import LedgerEntry

BEACON = "福彩3D 2026320期 开奖号码 5 8 1"


def _last(subject_prefix: str) -> LedgerEntry:
    return LedgerEntry.objects.filter(subject__startswith=subject_prefix).order_by("-seq").first()


# ------------------------------------------------------------------------------------------ pools


def test_entity_add_validates_uscc_and_appends_ledger(people):
    with pytest.raises(InvalidInput) as exc:
        services.entity_add(actor=people["head"], name="上海甲化工有限公司", uscc="91310115MA1K000000",
                            district_code="pudong", risk_level="key")
    assert exc.value.details["field"] == "uscc"
    entity = services.entity_add(actor=people["head"], name="上海甲化工有限公司", uscc=make_uscc(1),
                                 district_code="pudong", risk_level="key")
    entry = _last(f"inspection_entity:{entity.pk}")
    assert entry.action == "inspection_entity.added"
    with pytest.raises(InvalidInput) as exc:
        services.entity_add(actor=people["head"], name="重复", uscc=make_uscc(1), district_code="pudong",
                            risk_level="key")
    assert exc.value.code == "entity_exists"


def test_entity_pool_is_scoped(people):
    with pytest.raises(InvalidInput) as exc:
        services.entity_add(actor=people["hp_head"], name="x", uscc=make_uscc(2), district_code="pudong",
                            risk_level="key")
    assert exc.value.code == "unknown_unit"
    with pytest.raises(PermissionDenied):
        services.entity_add(actor=people["off"][0], name="x", uscc=make_uscc(2), district_code="pudong",
                            risk_level="key")


def test_entity_update(people, add_entity):
    entity = add_entity("general")
    services.entity_update(actor=people["head"], entity_id=entity.pk, changes={"risk_level": "key", "active": False})
    entity.refresh_from_db()
    assert (entity.risk_level, entity.active) == ("key", False)
    assert _last(f"inspection_entity:{entity.pk}").action == "inspection_entity.changed"
    with pytest.raises(InvalidInput):
        services.entity_update(actor=people["head"], entity_id=entity.pk, changes={"uscc": "x"})


def test_inspector_needs_valid_certificate(people, make_user):
    expired = make_user("pudong", "officer", certificate=True, valid_until=dt.date(2020, 1, 1))
    with pytest.raises(GuardRefused) as exc:
        services.inspector_add(actor=people["head"], officer_id=expired.officer.pk)
    assert exc.value.code == "certificate_not_valid"
    member = services.inspector_add(actor=people["head"], officer_id=people["off"][0].officer.pk)
    with pytest.raises(InvalidInput):
        services.inspector_add(actor=people["head"], officer_id=people["off"][0].officer.pk)
    services.inspector_remove(actor=people["head"], officer_id=people["off"][0].officer.pk)
    member.refresh_from_db()
    assert not member.active


def test_conflict_record(people, add_entity):
    entity = add_entity("key")
    officer = people["off"][0].officer
    services.conflict_record(actor=people["head"], officer_id=officer.pk, entity_id=entity.pk, reason="配偶任该公司环保主管")
    with pytest.raises(InvalidInput) as exc:
        services.conflict_record(actor=people["head"], officer_id=officer.pk, entity_id=entity.pk, reason="again")
    assert exc.value.code == "conflict_exists"
    with pytest.raises(InvalidInput):
        services.conflict_record(actor=people["head"], officer_id=officer.pk, entity_id=entity.pk, reason="  ")


# ------------------------------------------------------------------------------------------ plans


def test_plan_takes_ratios_from_rule_data(make_plan):
    """RULES.md R11.1: ratios come from the rule versions in force, with their citation."""
    plan = make_plan()
    assert {lvl: r["percent"] for lvl, r in plan.ratios.items()} == {"key": "25", "special": "15", "general": "5"}
    assert all("R11.1" in r["citation"] and r["source"] == "rule" for r in plan.ratios.values())
    assert _last(plan.ref).action == "inspection_plan.created"


def test_plan_ratio_override_needs_reason(make_plan):
    with pytest.raises(InvalidInput) as exc:
        make_plan(ratio_overrides={"key": "50"})
    assert exc.value.details["field"] == "override_reason"
    plan = make_plan(ratio_overrides={"key": "50"}, override_reason="专项行动：重点排污单位全覆盖")
    assert plan.ratios["key"]["percent"] == "50" and plan.ratios["key"]["source"] == "override"
    with pytest.raises(InvalidInput) as exc:
        make_plan(ratio_overrides={"key": "150"}, override_reason="x")
    assert exc.value.details["field"] == "ratios.key"


def test_plan_needs_matter_on_random_list_and_two_officers(make_plan):
    from sanxiang.catalog.models import Matter

    off_list = Matter.objects.filter(status="published", random_inspection=False).first()
    with pytest.raises(InvalidInput) as exc:
        make_plan(matter_code=off_list.code)
    assert exc.value.code == "matter_not_on_list"
    with pytest.raises(InvalidInput) as exc:
        make_plan(inspectors_per_entity=1)
    assert exc.value.details["field"] == "inspectors_per_entity"
    today = timezone.localdate()
    with pytest.raises(InvalidInput) as exc:
        make_plan(period_start=today, period_end=today - dt.timedelta(days=1))
    assert exc.value.details["field"] == "period_end"


# ------------------------------------------------------------------------------------------ beacon, draw


def test_draw_without_beacon_is_refused(people, pool, make_plan):
    plan = make_plan()
    with pytest.raises(GuardRefused) as exc:
        services.plan_draw(actor=people["head"], plan_id=plan.pk)
    assert exc.value.code == "beacon_not_published"
    assert not Draw.objects.exists()


def test_beacon_publish_freezes_pools(people, pool, make_plan, add_entity):
    plan = make_plan()
    with pytest.raises(InvalidInput) as exc:
        services.plan_beacon_publish(actor=people["head"], plan_id=plan.pk, beacon="  ")
    assert exc.value.details["field"] == "beacon"
    services.plan_beacon_publish(actor=people["head"], plan_id=plan.pk, beacon=BEACON, source="中国福利彩票")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ANNOUNCED
    assert len(plan.snapshot["entities"]) == 31 and len(plan.snapshot["inspectors"]) == 5
    assert set(plan.snapshot_hashes) == {"entities", "inspectors", "conflicts"}
    assert _last(plan.ref).action == "inspection_plan.beacon_published"
    add_entity("key")  # after the freeze: not part of this plan's draw
    draw = services.plan_draw(actor=people["head"], plan_id=plan.pk)
    assert draw.quotas["key"] == {"pool": 4, "drawn": 1}
    with pytest.raises(GuardRefused) as exc:
        services.plan_beacon_publish(actor=people["head"], plan_id=plan.pk, beacon="another")
    assert exc.value.code == "beacon_already_published"


def test_draw_files_inspection_cases(people, drawn_plan):
    """R11.1 quotas (4 key ×25%→1, 7 special ×15%→2, 20 general ×5%→1), two inspectors each,
    an inspection case per drawn entity, one ledger entry for the draw."""
    plan, draw = drawn_plan
    assert plan.status == PlanStatus.DRAWN
    assert [p["risk"] for p in draw.pairs] == ["key", "special", "special", "general"]
    drawn = list(draw.entities.order_by("position"))
    assert len(drawn) == 4
    for d in drawn:
        assert d.inspectors.count() == 2
        case = Case.objects.get(pk=d.case_id)
        assert case.kind == "inspection" and case.unit.code == "pudong"
        assert case.parties.get().uscc == d.entity.uscc
        # the drawn inspectors handle the case (随机选派), not the unit head who drew
        assert set(case.handlers.values_list("user_id", flat=True)) == set(
            d.inspectors.values_list("officer__user_id", flat=True))
    entry = _last(plan.ref)
    assert entry.action == "inspection_plan.drawn" and entry.actor == f"user:{people['head'].pk}"
    assert f'"seed":"{draw.seed}"' in entry.body


def test_second_draw_is_refused(people, drawn_plan):
    plan, _draw = drawn_plan
    with pytest.raises(GuardRefused) as exc:
        services.plan_draw(actor=people["head"], plan_id=plan.pk)
    assert exc.value.code == "already_drawn"
    assert Draw.objects.filter(plan=plan).count() == 1


def test_only_a_unit_head_in_scope_draws(people, pool, make_plan):
    plan = make_plan()
    services.plan_beacon_publish(actor=people["head"], plan_id=plan.pk, beacon=BEACON)
    with pytest.raises(PermissionDenied):
        services.plan_draw(actor=people["off"][0], plan_id=plan.pk)
    with pytest.raises(NotFound):
        services.plan_draw(actor=people["hp_head"], plan_id=plan.pk)


def test_too_few_inspectors_after_recusal_refuses_the_beacon(people, pool, make_plan):
    """R11.3: with four of five inspectors conflicted with an entity, one remains: refused,
    naming the entity, before the pools are frozen; nothing is written."""
    entity = pool["entities"][0]
    for user in people["off"][:4]:
        services.conflict_record(actor=people["head"], officer_id=user.officer.pk, entity_id=entity.pk, reason="利害关系")
    plan = make_plan()
    before = LedgerEntry.objects.count()
    with pytest.raises(GuardRefused) as exc:
        services.plan_beacon_publish(actor=people["head"], plan_id=plan.pk, beacon=BEACON)
    assert exc.value.code == "too_few_inspectors"
    assert exc.value.details == {"entity": entity.uscc, "eligible": 1, "needed": 2, "other_entities": 0}
    assert entity.name in exc.value.message
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and LedgerEntry.objects.count() == before


def test_too_few_inspectors_at_the_draw_writes_nothing(people, pool, make_plan):
    """The draw keeps its own guard: a frozen plan whose parameters the pool cannot meet is
    refused and leaves no draw, no case and no ledger entry."""
    plan = make_plan()
    services.plan_beacon_publish(actor=people["head"], plan_id=plan.pk, beacon=BEACON)
    InspectionPlan.objects.filter(pk=plan.pk).update(inspectors_per_entity=6)
    cases, entries = Case.objects.count(), LedgerEntry.objects.count()
    with pytest.raises(GuardRefused) as exc:
        services.plan_draw(actor=people["head"], plan_id=plan.pk)
    assert exc.value.code == "too_few_inspectors" and exc.value.details["needed"] == 6
    assert not Draw.objects.exists() and not DrawnEntity.objects.exists()
    assert (Case.objects.count(), LedgerEntry.objects.count()) == (cases, entries)


def test_conflicted_inspector_never_drawn_for_that_entity(people, pool, make_plan):
    """R11.3 at the service: with every key entity conflicted with two inspectors, neither is
    drawn for a key entity, whatever the beacon."""
    keys = [e for e in pool["entities"] if e.risk_level == "key"]
    barred = {people["off"][0].officer.pk, people["off"][1].officer.pk}
    for entity in keys:
        for officer_id in barred:
            services.conflict_record(actor=people["head"], officer_id=officer_id, entity_id=entity.pk, reason="亲属")
    for n in range(3):
        plan = make_plan(title=f"计划{n}", ratio_overrides={"key": "100"}, override_reason="全覆盖")
        services.plan_beacon_publish(actor=people["head"], plan_id=plan.pk, beacon=f"beacon {n}")
        draw = services.plan_draw(actor=people["head"], plan_id=plan.pk)
        for drawn in draw.entities.filter(risk_level="key"):
            assert not set(drawn.inspectors.values_list("officer_id", flat=True)) & barred
            pick = next(p for p in draw.pairs if p["entity"] == drawn.entity.uscc)
            assert sorted(pick["excluded"]) == sorted(f"officer:{i}" for i in barred)


def test_snapshot_tampering_refuses_the_draw(people, pool, make_plan):
    plan = make_plan()
    services.plan_beacon_publish(actor=people["head"], plan_id=plan.pk, beacon=BEACON)
    plan.refresh_from_db()
    snapshot = plan.snapshot
    snapshot["entities"] = snapshot["entities"][1:]
    InspectionPlan.objects.filter(pk=plan.pk).update(snapshot=snapshot)
    with pytest.raises(GuardRefused) as exc:
        services.plan_draw(actor=people["head"], plan_id=plan.pk)
    assert exc.value.code == "snapshot_altered"
