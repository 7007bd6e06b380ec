"""Recomputing a past draw (抽取复核): from its published beacon, the plan id and parameters and
the frozen pool snapshot the same pairs come out; another beacon gives other pairs; any
tampering makes `sanxiang inspections recompute` exit 1."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from sanxiang.inspections import recompute
from sanxiang.inspections.models import Draw, DrawnInspector, InspectionPlan
from sanxiang.inspections.rules.draw import seed_for


def test_recomputed_draw_gives_the_same_pairs(drawn_plan):
    plan, draw = drawn_plan
    report = recompute.recompute(Draw.objects.get(pk=draw.pk))
    assert report.ok, report.problems
    assert report.recomputed_pairs == draw.pairs
    assert draw.seed == seed_for(plan.beacon, plan.pk).hex()


def test_changed_beacon_gives_different_pairs(drawn_plan):
    plan, draw = drawn_plan
    other = recompute.run(beacon=plan.beacon + " ", plan_id=plan.pk, params=draw.params, snapshot=plan.snapshot)
    assert other.pairs() == draw.pairs  # surrounding whitespace is not part of the beacon
    other = recompute.run(beacon=plan.beacon.replace("5 8 1", "5 8 2"), plan_id=plan.pk, params=draw.params,
                          snapshot=plan.snapshot)
    assert other.pairs() != draw.pairs
    other_plan = recompute.run(beacon=plan.beacon, plan_id=plan.pk + 1, params=draw.params, snapshot=plan.snapshot)
    assert other_plan.pairs() != draw.pairs


def test_command_reports_identical(drawn_plan, capsys):
    _plan, draw = drawn_plan
    call_command("inspections", "recompute", str(draw.pk), "--json")
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] and out["pairs_identical"] and out["seed"] == draw.seed
    call_command("inspections", "recompute", str(draw.pk))
    assert "pairs identical" in capsys.readouterr().out


def _exit_code(draw_id, capsys) -> tuple[int, dict]:
    with pytest.raises(SystemExit) as exc:
        call_command("inspections", "recompute", str(draw_id), "--json")
    return exc.value.code, json.loads(capsys.readouterr().out)


def test_command_exits_1_on_changed_beacon(drawn_plan, capsys):
    plan, draw = drawn_plan
    Draw.objects.filter(pk=draw.pk).update(beacon="another beacon")
    code, out = _exit_code(draw.pk, capsys)
    assert code == 1 and not out["seed_matches"]


def test_command_exits_1_on_changed_snapshot(drawn_plan, capsys):
    plan, draw = drawn_plan
    snapshot = dict(plan.snapshot, entities=plan.snapshot["entities"][:-1])
    InspectionPlan.objects.filter(pk=plan.pk).update(snapshot=snapshot)
    code, out = _exit_code(draw.pk, capsys)
    assert code == 1 and not out["snapshot_hashes_match"]


def test_command_exits_1_on_swapped_inspector(people, drawn_plan, capsys):
    plan, draw = drawn_plan
    row = DrawnInspector.objects.filter(drawn_entity__draw=draw).first()
    used = set(DrawnInspector.objects.filter(drawn_entity=row.drawn_entity).values_list("officer_id", flat=True))
    spare = next(u.officer for u in people["off"] if u.officer.pk not in used)
    DrawnInspector.objects.filter(pk=row.pk).update(officer=spare)
    code, out = _exit_code(draw.pk, capsys)
    assert code == 1 and not out["pairs_identical"]


def test_command_unknown_draw(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("inspections", "recompute", "999999")


def test_recompute_via_console_script(drawn_plan, capsys):
    from sanxiang.cli.main import main

    _plan, draw = drawn_plan
    main(["inspections", "recompute", str(draw.pk), "--json"])
    assert json.loads(capsys.readouterr().out)["ok"]


def test_recompute_writes_nothing(drawn_plan):
    from sanxiang.records.models import LedgerEntry

    plan, draw = drawn_plan
    before = LedgerEntry.objects.count()
    assert recompute.recompute(draw).ok
    assert LedgerEntry.objects.count() == before
    assert Draw.objects.filter(plan=plan).count() == 1
