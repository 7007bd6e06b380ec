"""Staff pages (双随机) and the public portal pages: flows through the forms, and the portal
never shows personal data."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from sanxiang.inspections import services
from sanxiang.inspections.constants import PlanStatus
from sanxiang.inspections.models import InspectionPlan
from sanxiang.inspections.rules.draw import seed_for


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _as(client, user):
    client.force_login(user)
    return client


def test_module_page_and_navigation(client, people, pool):
    page = _as(client, people["head"]).get(reverse("web:module-inspections"))
    assert page.status_code == 200
    html = page.content.decode()
    assert reverse("web:inspection-plan-new") in html and reverse("web:inspection-pools") in html
    assert f'href="{reverse("web:module-inspections")}" aria-current="page"' in html
    assert 'style="' not in html and "<script>" not in html


def test_plan_flow_through_the_pages(client, people, pool, matter_code):
    c = _as(client, people["head"])
    today = timezone.localdate()
    response = c.post(reverse("web:inspection-plan-new"), {
        "title": "浦东第四季度抽查", "matter_code": matter_code, "unit_code": "pudong",
        "period_start": today.isoformat(), "period_end": today.isoformat(), "inspectors_per_entity": "2",
        "inspector_scope": "subtree", "ratio_key": "", "ratio_special": "", "ratio_general": "",
        "override_reason": ""})
    assert response.status_code == 302
    plan = InspectionPlan.objects.get(title="浦东第四季度抽查")
    url = reverse("web:inspection-plan", args=[plan.pk])
    html = c.get(url).content.decode()
    assert 'data-form="beacon"' in html and "R11.1" in html
    # The draw before the beacon is refused (the form is not even offered).
    response = c.post(reverse("web:inspection-plan-draw", args=[plan.pk]))
    assert response.status_code == 409
    response = c.post(reverse("web:inspection-plan-beacon", args=[plan.pk]), {"beacon": " ", "source": ""})
    assert response.status_code == 400
    response = c.post(reverse("web:inspection-plan-beacon", args=[plan.pk]),
                      {"beacon": "上证综指 2026-11-27 收盘 3412.07", "source": "上海证券交易所"})
    assert response.status_code == 302
    assert 'data-form="draw"' in c.get(url).content.decode()
    assert c.post(reverse("web:inspection-plan-draw", args=[plan.pk])).status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAWN
    html = c.get(url).content.decode()
    assert plan.draw.seed in html and 'data-form="result"' in html
    drawn = plan.draw.entities.order_by("position").first()
    response = c.post(reverse("web:inspection-result-record", args=[drawn.pk]), {
        f"r{drawn.pk}-outcome": "no_problem", f"r{drawn.pk}-finished_on": today.isoformat(),
        f"r{drawn.pk}-public_summary": "未发现环境违法行为。"})
    assert response.status_code == 302
    drawn.refresh_from_db()
    assert drawn.publication_due_on is not None
    html = c.get(url).content.decode()
    assert drawn.publication_due_on.strftime("%Y-%m-%d") in html
    # The unit head is no publisher: no publish form; the publisher publishes.
    assert 'data-form="publish"' not in html
    p = _as(client, people["publisher"])
    assert 'data-form="publish"' in p.get(url).content.decode()
    assert p.post(reverse("web:inspection-result-publish", args=[drawn.pk])).status_code == 302
    drawn.refresh_from_db()
    assert drawn.published


def test_plan_outside_scope_is_404(client, people, drawn_plan):
    plan, _draw = drawn_plan
    assert _as(client, people["hp_head"]).get(reverse("web:inspection-plan", args=[plan.pk])).status_code == 404


def test_pools_page_forms(client, people, pool):
    c = _as(client, people["head"])
    html = c.get(reverse("web:inspection-pools")).content.decode()
    assert pool["entities"][0].uscc in html and 'data-form="entity"' in html
    response = c.post(reverse("web:inspection-entity-add"), {
        "name": "上海乙化工有限公司", "uscc": "91310115MA1K000000", "district_code": "pudong", "risk_level": "key"})
    assert response.status_code == 400
    assert 'id="field-uscc"' in response.content.decode()
    entity = pool["entities"][0]
    officer = people["off"][0].officer
    response = c.post(reverse("web:inspection-conflict-add"),
                      {"officer_id": str(officer.pk), "entity_id": str(entity.pk), "reason": "近亲属在该企业任职"})
    assert response.status_code == 302


# ------------------------------------------------------------------------------------------ portal


def _published(people, drawn_plan):
    plan, draw = drawn_plan
    drawn = draw.entities.order_by("position").first()
    services.result_record(actor=people["head"], drawn_id=drawn.pk, outcome="rectify",
                           finished_on=timezone.localdate(), public_summary="危险废物标识不规范，已责令整改。")
    services.result_publish(actor=people["publisher"], drawn_id=drawn.pk)
    return plan, draw, drawn


def test_portal_shows_beacon_seed_draw_and_results(client, people, drawn_plan):
    plan, draw, drawn = _published(people, drawn_plan)
    listing = client.get(reverse("portal:inspections")).content.decode()
    assert plan.title in listing
    html = client.get(reverse("portal:inspection-plan", args=[plan.pk])).content.decode()
    assert plan.beacon in html and draw.seed in html
    assert draw.seed == seed_for(plan.beacon, plan.pk).hex()
    assert drawn.entity.name in html and "危险废物标识不规范" in html
    for pair in draw.pairs:
        assert pair["entity"] in html


def test_portal_never_shows_personal_data(client, people, drawn_plan, make_user):
    """RULES.md §3: no officer names, certificate numbers, user ids or conflict reasons."""
    plan, draw, _drawn = _published(people, drawn_plan)
    pages = [client.get(reverse("portal:inspections")).content.decode(),
             client.get(reverse("portal:inspection-plan", args=[plan.pk])).content.decode(),
             client.get(reverse("portal:inspection-plan-json", args=[plan.pk])).content.decode()]
    everyone = [*people["off"], people["head"], people["publisher"]]
    for text in pages:
        for user in everyone:
            assert user.full_name not in text
            if hasattr(user, "officer"):
                assert user.officer.certificate_number not in text
        assert "officer:" not in text and "user:" not in text


def test_portal_json_recomputes(client, people, drawn_plan):
    """Anyone can recompute the draw from the public JSON alone (positions for inspectors)."""
    from sanxiang.inspections.rules.draw import DrawParams, EntityRow, InspectorRow, Ratio, draw

    plan, stored = drawn_plan
    record = json.loads(client.get(reverse("portal:inspection-plan-json", args=[plan.pk])).content)
    entities = [EntityRow(e["uscc"], e["risk"], e["district_path"]) for e in record["entities"]]
    inspectors = [InspectorRow(str(i["position"]), i["unit_path"]) for i in record["inspectors"]]
    conflicts = [(p["entity"], str(x)) for p in record["draw"]["picks"] for x in p["excluded"]]
    params = DrawParams(ratios={k: Ratio(v["percent"], v["rounding"]) for k, v in record["params"]["ratios"].items()},
                        per_entity=record["params"]["per_entity"], scope=record["params"]["scope"])
    outcome = draw(bytes.fromhex(record["seed"]), entities, inspectors, conflicts, params)
    assert [(p.entity, [int(r) for r in p.inspectors]) for p in outcome.picks] == \
        [(p["entity"], p["inspectors"]) for p in record["draw"]["picks"]]


def test_portal_hides_draft_plans(client, make_plan):
    plan = make_plan()
    assert client.get(reverse("portal:inspection-plan", args=[plan.pk])).status_code == 404
    assert plan.title not in client.get(reverse("portal:inspections")).content.decode()
