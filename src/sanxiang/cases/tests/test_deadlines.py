"""Legal time limits of a case (办案期限), table-driven, each row with its citation.

The dates are set on the case directly (state), then `deadlines.compute(case)` answers.
Working days follow the 2026 schedule of the State Council (R10.2: National Day Oct 1–7 off,
Sep 20 and Oct 10 make-up working days); calendar-day periods end on the next working day when
their last day is a rest day (《民法典》第203条); a period reaching 2027 (no official schedule
yet) is provisional (R10.3). The start day is never counted (行政处罚法 第85条).
"""

from __future__ import annotations

import datetime as dt
from datetime import date

import pytest
from django.utils import timezone

from sanxiang.cases import deadlines
from sanxiang.cases.models import Activity, Decision, PartyResponse
from sanxiang.cases.tests.helpers import BASIS, file_case, set_state


def _case(people, *, registered_on, notified_on=None, hearing_offered=False, decided_on=None, served_on=None,
          fine="10000.00", **fields):
    case = set_state(file_case(people["off1"]), registered_on=registered_on, notified_on=notified_on,
                     hearing_offered=hearing_offered, **fields)
    if decided_on:
        Decision.objects.create(case=case, kind="penalty", penalty_types=["fine"], fine_amount=fine,
                                decided_on=decided_on, legal_basis=BASIS, facts="事实", conclusion="罚款",
                                document_number=f"测试〔{decided_on.year}〕{case.pk}号", decided_by=people["chief"])
        case = set_state(case, stage="decided")
    if served_on:
        Activity.objects.create(case=case, kind="service", complete=True, created_by=people["off1"],
                                occurred_at=timezone.make_aware(dt.datetime.combine(served_on, dt.time(10))))
    return set_state(case)


# name, case dates, expected due date, provisional
TABLE = [
    pytest.param("decision", {"registered_on": date(2026, 7, 1)}, date(2026, 9, 29), False,
                 id="APL-art60-decision-90-calendar-days"),
    pytest.param("decision", {"registered_on": date(2026, 3, 2)}, date(2026, 6, 1), False,
                 id="APL-art60-decision-last-day-sunday-moves-to-monday-CivilCode-art203"),
    pytest.param("decision", {"registered_on": date(2026, 7, 3)}, date(2026, 10, 8), False,
                 id="APL-art60-decision-last-day-in-national-day-holiday"),
    pytest.param("decision", {"registered_on": date(2026, 7, 3), "decision_extension_days": 30},
                 date(2026, 11, 2), False, id="MEE30-art57-decision-extended-30-days"),
    pytest.param("decision", {"registered_on": date(2026, 11, 1)}, date(2027, 2, 1), True,
                 id="APL-art60-decision-reaching-2027-provisional"),
    pytest.param("statement", {"registered_on": date(2026, 9, 1), "notified_on": date(2026, 9, 29)},
                 date(2026, 10, 12), False, id="R5.8-APL-art44-statement-5-working-days-over-national-day"),
    pytest.param("statement", {"registered_on": date(2026, 9, 1), "notified_on": date(2026, 9, 18)},
                 date(2026, 9, 24), False, id="R5.8-statement-make-up-sunday-sep-20-counts"),
    pytest.param("hearing_request", {"registered_on": date(2026, 9, 1), "notified_on": date(2026, 9, 29),
                                     "hearing_offered": True},
                 date(2026, 10, 12), False, id="APL-art64-hearing-request-5-working-days-over-national-day"),
    pytest.param("statement", {"registered_on": date(2026, 12, 1), "notified_on": date(2026, 12, 28)},
                 date(2027, 1, 5), True, id="R5.8-statement-reaching-2027-provisional"),
    pytest.param("service", {"registered_on": date(2026, 9, 1), "notified_on": date(2026, 9, 10),
                             "decided_on": date(2026, 9, 28)},
                 date(2026, 10, 13), False, id="APL-art61-service-7-working-days-after-decision"),
    pytest.param("payment", {"registered_on": date(2026, 8, 1), "notified_on": date(2026, 8, 20),
                             "decided_on": date(2026, 9, 14), "served_on": date(2026, 9, 16)},
                 date(2026, 10, 8), False, id="APL-art67-payment-15-calendar-days-ends-after-national-day"),
    pytest.param("payment", {"registered_on": date(2026, 9, 1), "notified_on": date(2026, 9, 10),
                             "decided_on": date(2026, 10, 30), "served_on": date(2026, 11, 2)},
                 date(2026, 11, 17), False, id="APL-art67-payment-15-calendar-days-after-service"),
    pytest.param("payment", {"registered_on": date(2026, 11, 1), "notified_on": date(2026, 11, 10),
                             "decided_on": date(2026, 12, 16), "served_on": date(2026, 12, 18)},
                 date(2027, 1, 4), True, id="APL-art67-payment-reaching-2027-provisional"),
]


@pytest.mark.parametrize("name, dates, due, provisional", TABLE)
def test_deadline(name, dates, due, provisional, people):
    result = deadlines.compute(_case(people, **dates))[name]
    assert (result.date, result.provisional) == (due, provisional)
    assert result.citation


def test_no_hearing_request_deadline_without_a_hearing_offered(people):
    case = _case(people, registered_on=date(2026, 9, 1), notified_on=date(2026, 9, 29))
    assert "hearing_request" not in deadlines.compute(case)


def test_service_before_the_decision_does_not_serve_it(people):
    """A service act before the decision (the notice) does not start the payment period."""
    case = _case(people, registered_on=date(2026, 9, 1), notified_on=date(2026, 9, 10),
                 decided_on=date(2026, 9, 28), served_on=date(2026, 9, 11))
    computed = deadlines.compute(case)
    assert computed["service"].met_on is None
    assert "payment" not in computed


def test_met_deadlines(people):
    """A statement received meets the statement period; the service act meets the service period."""
    case = _case(people, registered_on=date(2026, 9, 1), notified_on=date(2026, 9, 10),
                 decided_on=date(2026, 9, 28), served_on=date(2026, 9, 30))
    PartyResponse.objects.create(case=case, kind="statement", received_on=date(2026, 9, 14), text="陈述",
                                 recorded_by=people["off1"])
    computed = deadlines.compute(case)
    assert computed["statement"].met_on == date(2026, 9, 14)
    assert computed["service"].met_on == date(2026, 9, 30)
    assert computed["decision"].met_on == date(2026, 9, 28)


def test_closing_without_decision_meets_the_decision_period_on_the_local_day(people):
    """Withdrawn at 01:30 Shanghai time (17:30 UTC the day before): met on the Shanghai day."""
    at = timezone.make_aware(dt.datetime(2026, 9, 20, 1, 30))
    case = _case(people, registered_on=date(2026, 9, 1), stage="withdrawn", stage_changed_at=at)
    assert deadlines.compute(case)["decision"].met_on == date(2026, 9, 20)


def test_refresh_stores_the_deadlines(people):
    case = _case(people, registered_on=date(2026, 9, 1), notified_on=date(2026, 9, 29), hearing_offered=True)
    deadlines.refresh(case)
    stored = {d.name: (d.due_on, d.provisional) for d in case.deadlines.all()}
    assert stored["statement"] == (date(2026, 10, 12), False)
    assert stored["hearing_request"] == (date(2026, 10, 12), False)
