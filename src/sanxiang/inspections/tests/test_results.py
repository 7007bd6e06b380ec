"""Inspection results (检查结果) and their publication within 20 working days of finishing
(RULES.md R11.2), computed by the calendar app across holidays."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sanxiang.core.errors import GuardRefused, InvalidInput, NotFound, PermissionDenied
from sanxiang.inspections import selectors, services
from sanxiang.inspections.models import Draw
from sanxiang.records.models import LedgerEntry


def _inspector_of(drawn):
    return drawn.inspectors.order_by("position").first().officer.user


def _first(draw):
    return draw.entities.order_by("position").first()


@pytest.mark.parametrize("finished_on, due_on", [
    # 2026: Mid-Autumn Sep 25–27 and National Day Oct 1–7 off, Oct 10 (Sat) worked (R10.2).
    pytest.param(dt.date(2026, 9, 24), dt.date(2026, 10, 29), id="R11.2-20wd-across-national-day-2026"),
    # 2025: Oct 1–8 off, Sep 28 (Sun) and Oct 11 (Sat) worked.
    pytest.param(dt.date(2025, 9, 26), dt.date(2025, 10, 30), id="R11.2-20wd-across-national-day-2025"),
    pytest.param(dt.date(2026, 11, 2), dt.date(2026, 11, 30), id="R11.2-20wd-plain-weeks"),
])
def test_publication_due_20_working_days_after_finishing(drawn_plan, finished_on, due_on):
    """RULES.md R11.2: publish within 20 working days of finishing the inspection."""
    _plan, draw = drawn_plan
    Draw.objects.filter(pk=draw.pk).update(drawn_at=timezone.make_aware(dt.datetime(2025, 9, 1, 9)))
    drawn = _first(draw)
    services.result_record(actor=_inspector_of(drawn), drawn_id=drawn.pk, outcome="no_problem",
                           finished_on=finished_on, public_summary="现场检查未发现环境违法行为。")
    drawn.refresh_from_db()
    assert drawn.publication_due_on == due_on and not drawn.due_provisional
    assert drawn.time_limit["name"] == "random_inspection_publication" and drawn.time_limit["days"] == 20


def test_result_guards(people, drawn_plan):
    _plan, draw = drawn_plan
    drawn = _first(draw)
    inspector = _inspector_of(drawn)
    outsider = next(u for u in people["off"]
                    if not drawn.inspectors.filter(officer__user=u).exists())
    today = timezone.localdate()
    with pytest.raises(PermissionDenied):
        services.result_record(actor=outsider, drawn_id=drawn.pk, outcome="no_problem", finished_on=today)
    with pytest.raises(NotFound):
        services.result_record(actor=people["hp_head"], drawn_id=drawn.pk, outcome="no_problem", finished_on=today)
    with pytest.raises(InvalidInput) as exc:
        services.result_record(actor=inspector, drawn_id=drawn.pk, outcome="no_problem",
                               finished_on=today + dt.timedelta(days=1))
    assert exc.value.details["field"] == "finished_on"
    with pytest.raises(InvalidInput) as exc:
        services.result_record(actor=inspector, drawn_id=drawn.pk, outcome="fine", finished_on=today)
    assert exc.value.details["field"] == "outcome"
    with pytest.raises(InvalidInput) as exc:
        services.result_record(actor=inspector, drawn_id=drawn.pk, outcome="rectify", finished_on=today,
                               public_summary="联系人电话13912345678")
    assert exc.value.code == "personal_data"
    with pytest.raises(GuardRefused) as exc:
        services.result_publish(actor=people["publisher"], drawn_id=drawn.pk)
    assert exc.value.code == "result_missing"
    services.result_record(actor=inspector, drawn_id=drawn.pk, outcome="rectify", finished_on=today,
                           public_summary="发现危险废物贮存场所标识不规范，已责令整改。")
    with pytest.raises(GuardRefused) as exc:
        services.result_record(actor=inspector, drawn_id=drawn.pk, outcome="rectify", finished_on=today)
    assert exc.value.code == "result_already_recorded"


def test_publish_result(people, drawn_plan):
    plan, draw = drawn_plan
    drawn = _first(draw)
    today = timezone.localdate()
    services.result_record(actor=people["head"], drawn_id=drawn.pk, outcome="no_problem", finished_on=today)
    with pytest.raises(PermissionDenied):
        services.result_publish(actor=people["head"], drawn_id=drawn.pk)
    services.result_publish(actor=people["publisher"], drawn_id=drawn.pk)
    drawn.refresh_from_db()
    assert drawn.published and drawn.published_on == today
    entry = LedgerEntry.objects.filter(subject=plan.ref).order_by("-seq").first()
    assert entry.action == "inspection_result.published" and '"on_time":true' in entry.body
    with pytest.raises(GuardRefused) as exc:
        services.result_publish(actor=people["publisher"], drawn_id=drawn.pk)
    assert exc.value.code == "already_published"


def test_overdue_flag(people, drawn_plan):
    plan, draw = drawn_plan
    Draw.objects.filter(pk=draw.pk).update(drawn_at=timezone.make_aware(dt.datetime(2026, 9, 1, 9)))
    drawn = _first(draw)
    services.result_record(actor=people["head"], drawn_id=drawn.pk, outcome="no_problem",
                           finished_on=dt.date(2026, 9, 24))
    plan.refresh_from_db()
    rows = selectors.result_rows(plan, today=dt.date(2026, 10, 30))
    assert rows[0].overdue and rows[0].urgency == "overdue"
    assert not any(r.overdue for r in rows[1:])
    assert selectors.result_rows(plan, today=dt.date(2026, 10, 29))[0].urgency == "today"
