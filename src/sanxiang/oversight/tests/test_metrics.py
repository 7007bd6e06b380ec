"""Assessment metrics (考核指标) on constructed data, with exact expected values.

Behaviour goes through the services; what only the passing of time produces (a decision
last September, a publication on its due day, a withdrawal two weeks ago, a deadline met)
is set through the ORM. Dates are in the bureau's time zone. The 2026 schedule (R10.2):
1–7 October off, Sunday 20 September and Saturday 10 October are working days.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone

from sanxiang.accounts.models import Unit
from sanxiang.cases import services as cases
from sanxiang.cases.models import ActivityOfficer, CaseDeadline, Decision
from sanxiang.cases.tests.helpers import (
    BASIS,
    case_team,
    complete,
    decide,
    examining,
    file_case,
    move,
    propose,
    ready_major,
    record,
    reload,
    set_state,
)
from sanxiang.disclosure import services as disclosure
from sanxiang.disclosure.models import PublicationItem
from sanxiang.disclosure.tests.helpers import FACTS, item_of, org_party
from sanxiang.oversight import metrics
from sanxiang.oversight.metrics import Period

pytestmark = pytest.mark.django_db

TZ_NOON = dt.time(12, 0)


def at(day: dt.date, time: dt.time = TZ_NOON) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time))


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def figures(summary) -> tuple:
    return summary.numerator, summary.denominator, summary.display


@pytest.fixture
def crew(make_user):
    """Officers, heads and publishers of Pudong and Huangpu, a city reviewer."""
    out = {}
    for code in ("pudong", "huangpu"):
        out[code] = {
            "off1": make_user(code, "officer", certificate=True),
            "off2": make_user(code, "officer", certificate=True),
            "chief": make_user(code, "agency_head"),
            "publisher": make_user(code, "publisher"),
        }
    return out


def _decided(crew, unit: str, on: str, fine: str, **flags):
    """A non-major penalty case registered 20 days and notified 14 days before its decision on `on`."""
    people = crew[unit]
    off1, day = people["off1"], d(on)
    case = file_case(off1, parties=[org_party()])
    move(case, off1, "investigating")
    complete(case, off1, record(case, off1, off1, people["off2"]))
    move(case, off1, "examining")
    propose(case, off1, fine=fine)
    move(case, off1, "notified")
    case = set_state(case, registered_on=day - dt.timedelta(days=20), notified_on=day - dt.timedelta(days=14),
                     **flags)
    cases.case_decide(case_id=case.pk, actor=people["chief"], draft=cases.DecisionDraft(
        kind="penalty", decided_on=day, legal_basis=BASIS, facts=FACTS, conclusion="罚款。",
        penalty_types=("fine",), fine_amount=fine))
    return reload(case), item_of(case)


def _published_on(crew, unit: str, item: PublicationItem, day: str, time=TZ_NOON) -> PublicationItem:
    disclosure.publication_publish(item_id=item.pk, actor=crew[unit]["publisher"])
    PublicationItem.objects.filter(pk=item.pk).update(published_at=at(d(day), time))
    return PublicationItem.objects.get(pk=item.pk)


@pytest.fixture
def september(crew):
    """Six decisions of 2026 (publication due 7 working days after the decision):

    A  Pudong   decided 09-28, due 10-13 (shifted by the National Day holiday), published 10-13 20:00 — on time;
                a change recorded today, withdrawal due in December — not yet counted
    B  Pudong   decided 09-07, due 09-16, published 09-17 — late; changed 10-20, withdrawal due 10-23, not done — late
    C  Pudong   decided 09-10, due 09-20 (a make-up Sunday), still pending — late
    D  Huangpu  decided 09-01, due 09-10, published 09-09 — on time; revoked 10-09, due 10-13, withdrawn 10-12
    S  Pudong   decided 09-08, secret case — never published, not counted
    E  Pudong   decided today, pending, due in December — not yet counted
    """
    a_case, a = _decided(crew, "pudong", "2026-09-28", "10000.00")
    b_case, b = _decided(crew, "pudong", "2026-09-07", "20000.00")
    c_case, c = _decided(crew, "pudong", "2026-09-10", "30000.00")
    d_case, d_item = _decided(crew, "huangpu", "2026-09-01", "40000.00")
    s_case, s = _decided(crew, "pudong", "2026-09-08", "5000.00", secret=True)
    e_case, e = _decided(crew, "pudong", timezone.localdate().isoformat(), "1000.00")
    a = _published_on(crew, "pudong", a, "2026-10-13", dt.time(20, 0))
    b = _published_on(crew, "pudong", b, "2026-09-17", dt.time(9, 0))
    d_item = _published_on(crew, "huangpu", d_item, "2026-09-09")
    pudong, huangpu = crew["pudong"]["publisher"], crew["huangpu"]["publisher"]
    disclosure.publication_withdrawal_required(item=b.pk, event="changed", event_on=d("2026-10-20"), actor=pudong)
    disclosure.publication_withdrawal_required(item=a.pk, event="changed", event_on=timezone.localdate(),
                                               actor=pudong)
    disclosure.publication_withdrawal_required(item=d_item.pk, event="revoked", event_on=d("2026-10-09"),
                                               actor=huangpu)
    disclosure.publication_withdraw(item_id=d_item.pk, actor=huangpu, reason="该行政处罚决定已被撤销")
    PublicationItem.objects.filter(pk=d_item.pk).update(withdrawn_at=at(d("2026-10-12")))
    # Service of the decision (送达): A on its due day, B a day late, the others never.
    CaseDeadline.objects.filter(case=a_case, name="service").update(met_on=d("2026-10-13"))
    CaseDeadline.objects.filter(case=b_case, name="service").update(met_on=d("2026-09-17"))
    return {"A": a_case, "B": b_case, "C": c_case, "D": d_case, "S": s_case, "E": e_case}


SEP_OCT = Period(d("2026-09-01"), d("2026-10-31"))


def test_the_due_dates_are_the_calendars(september):
    """R2.1 (GOV118: 7 working days) over the 2026 National Day holiday and its make-up days (R10.2)."""
    due = {k: item_of(c).due_on for k, c in september.items() if k != "E"}
    assert due == {"A": d("2026-10-13"), "B": d("2026-09-16"), "C": d("2026-09-20"), "D": d("2026-09-10"),
                   "S": d("2026-09-17")}
    assert item_of(september["D"]).withdrawal_due_on == d("2026-10-13")
    assert item_of(september["B"]).withdrawal_due_on == d("2026-10-23")


def test_publication_on_time(september, units):
    report = metrics.report(units["city"], SEP_OCT)
    result = report.results["publication"]
    assert figures(result["total"]) == (2, 4, "50.0%")
    assert figures(result["groups"]["pudong"]) == (1, 3, "33.3%")
    assert figures(result["groups"]["huangpu"]) == (1, 1, "100.0%")
    assert figures(result["groups"]["xuhui"]) == (0, 0, "—")
    assert figures(result["groups"]["city"]) == (0, 0, "—")  # the city bureau's own decisions
    assert [figures(s) for s in result["months"]] == [(1, 3, "33.3%"), (1, 1, "100.0%")]
    # A pending item not yet due is not counted; the period may run into the future.
    later = metrics.report(units["city"], Period(d("2026-09-01"), d("2026-12-31")))
    assert figures(later.results["publication"]["total"]) == (2, 4, "50.0%")


def test_publication_drill_down(september, units):
    late = metrics.drill_rows("publication", units["city"], SEP_OCT, outcome="missed")
    assert sorted(r["m_case"] for r in late.values("m_case")) == sorted([september["B"].pk, september["C"].pk])
    on_time = metrics.drill_rows("publication", units["pudong"], SEP_OCT, outcome="met")
    assert [r["m_case"] for r in on_time.values("m_case")] == [september["A"].pk]


def test_withdrawal_on_time(september, units):
    period = Period(d("2026-09-01"), d("2026-12-31"))
    result = metrics.report(units["city"], period).results["withdrawal"]
    assert figures(result["total"]) == (1, 2, "50.0%")  # D in time, B late, A not yet due
    assert figures(result["groups"]["huangpu"]) == (1, 1, "100.0%")
    assert figures(result["groups"]["pudong"]) == (0, 1, "0.0%")
    assert [figures(s) for s in result["months"]] == [(0, 0, "—"), (1, 2, "50.0%"), (0, 0, "—"), (0, 0, "—")]


def test_fines_leave_out_a_revoked_decision(september, units):
    result = metrics.report(units["city"], SEP_OCT).results["fines"]
    assert result["total"].amount == Decimal("65000.00")  # A+B+C+S; D revoked; E decided in November
    assert result["total"].denominator == 4
    assert result["groups"]["pudong"].display == "65000.00"
    assert result["groups"]["huangpu"].display == "0.00"
    assert [s.display for s in result["months"]] == ["65000.00", "0.00"]


def test_stage_deadlines(september, units):
    """Service deadlines of the five September decisions: A met on its due day, B late, C D S open."""
    result = metrics.report(units["city"], SEP_OCT).results["deadlines"]
    assert figures(result["total"]) == (1, 5, "20.0%")
    assert figures(result["groups"]["pudong"]) == (1, 4, "25.0%")
    assert figures(result["groups"]["huangpu"]) == (0, 1, "0.0%")
    missed = metrics.drill_rows("deadlines", units["city"], SEP_OCT, outcome="missed")
    assert sorted(r["m_case"] for r in missed.values("m_case")) == sorted(
        september[k].pk for k in ("B", "C", "D", "S"))


def test_cases_by_kind_and_stage(september, units):
    august = Period(d("2026-08-01"), d("2026-08-31"))  # B, C, D, S registered in August
    result = metrics.report(units["city"], august)
    assert result.results["cases"]["total"].display == "4"
    assert result.results["cases"]["groups"]["pudong"].denominator == 3
    kinds = {r["code"]: r["count"] for r in result.by_kind}
    assert kinds["penalty"] == 4 and sum(kinds.values()) == 4
    stages = {r["code"]: r["count"] for r in result.by_stage if r["count"]}
    assert stages == {"decided": 4}
    rows = metrics.drill_rows("cases", units["city"], august, kind="penalty", stage="decided")
    assert rows.count() == 4


def test_scope_of_a_district(september, units):
    result = metrics.report(units["huangpu"], SEP_OCT)
    assert figures(result.results["publication"]["total"]) == (1, 1, "100.0%")
    assert result.results["fines"]["total"].display == "0.00"
    assert figures(result.results["deadlines"]["total"]) == (0, 1, "0.0%")


# ------------------------------------------------------------------------------ November


@pytest.fixture
def people(make_user):
    return {
        **case_team(make_user),
    }


def _attach_video(case, actor, activity):
    return cases.case_evidence_add(
        case_id=case.pk, actor=actor, kind="video", recorded_at=timezone.now() - dt.timedelta(minutes=30),
        stream=io.BytesIO(f"video {activity.pk}".encode()), description="查封全过程", activity_id=str(activity.pk),
        filename="seizure.mp4")


@pytest.fixture
def november(people):
    """M1 major, reviewed and approved, decided today; M2 major with a decision but no review
    (a record the guard would refuse, e.g. imported); V a seizure with video and a closure
    without, the closure with one officer only."""
    off1, off2 = people["off1"], people["off2"]
    m1 = ready_major(people)
    decide(m1, people["chief"])
    m2 = examining(people)
    Decision.objects.create(case=m2, kind="penalty", penalty_types=["fine"], fine_amount=Decimal("600000.00"),
                            decided_on=timezone.localdate(), legal_basis="《大气污染防治法》第九十九条", facts="超标排放",
                            conclusion="罚款", document_number="沪浦环罚〔2026〕999号", major=True,
                            decided_by=people["chief"])
    v = file_case(off1)
    move(v, off1, "investigating")
    seizure = record(v, off1, off1, off2, kind="seizure")
    _attach_video(v, off1, seizure)
    closure = record(v, off1, off1, off2, kind="closure")
    ActivityOfficer.objects.filter(activity=closure, officer=off2.officer).delete()
    return {"M1": reload(m1), "M2": reload(m2), "V": reload(v)}


def _this_month() -> Period:
    today = timezone.localdate()
    return Period(today.replace(day=1), today)


def test_legal_review_of_major_decisions(november, units):
    result = metrics.report(units["city"], _this_month()).results["legal_review"]
    assert figures(result["total"]) == (1, 2, "50.0%")
    missed = metrics.drill_rows("legal_review", units["city"], _this_month(), outcome="missed")
    assert [r["m_case"] for r in missed.values("m_case")] == [november["M2"].pk]
    assert metrics.metric("legal_review").target == 100


def test_video_of_mandatory_activities(november, units):
    result = metrics.report(units["pudong"], _this_month()).results["video"]
    assert figures(result["total"]) == (1, 2, "50.0%")
    assert figures(result["groups"]["pudong"]) == (1, 2, "50.0%")  # own rows of the scope unit


def test_two_officers_on_site(november, units):
    """M1 and M2 inspections, V seizure: two officers; V closure: one."""
    result = metrics.report(units["city"], _this_month()).results["two_officers"]
    assert figures(result["total"]) == (3, 4, "75.0%")
    missed = metrics.drill_rows("two_officers", units["city"], _this_month(), outcome="missed")
    assert [r["m_case"] for r in missed.values("m_case")] == [november["V"].pk]


def test_fines_of_this_month(november, units):
    result = metrics.report(units["city"], _this_month()).results["fines"]
    assert result["total"].display == "1100000.00"  # M1 500,000 + M2 600,000


# ------------------------------------------------------------------------------ edge cases


def test_a_provisional_deadline_counts_and_is_flagged(people, units):
    """R10.3: a due date in 2027 (no official schedule yet) is provisional; it is judged like
    any other and reported as provisional. An open deadline not yet due is not counted."""
    case = file_case(people["off1"])
    CaseDeadline.objects.update_or_create(case=case, name="filing", defaults={
        "due_on": d("2027-01-15"), "provisional": True, "met_on": timezone.localdate()})
    CaseDeadline.objects.update_or_create(case=case, name="service", defaults={
        "due_on": d("2027-01-20"), "provisional": True, "met_on": None})
    result = metrics.report(units["city"], Period(d("2027-01-01"), d("2027-01-31"))).results["deadlines"]
    assert figures(result["total"]) == (1, 1, "100.0%")
    assert result["total"].provisional == 1


def test_an_empty_period_has_no_rates(units):
    report = metrics.report(units["city"], Period(d("2020-01-01"), d("2020-12-31")))
    for m in metrics.METRICS:
        total = report.results[m.code]["total"]
        if m.kind == "rate":
            assert (total.rate, total.display, total.as_json()["value"]) == (None, "—", None), m.code
    assert report.results["cases"]["total"].display == "0"
    assert report.results["fines"]["total"].display == "0.00"
    assert len(report.month_rows()) == 12
    assert all(r["count"] == 0 for r in report.by_kind)


def test_periods():
    assert Period.parse("2026-03-01", "2026-05-15").months == [d("2026-03-01"), d("2026-04-01"), d("2026-05-01")]
    assert Period.parse(None, "2026-05-15").start == d("2026-01-01")
    assert Period.parse("2026-03-10", "2026-05-15").month(d("2026-03-01")) == Period(d("2026-03-10"),
                                                                                       d("2026-03-31"))
    for start, end, field in (("2026-05-01", "2026-04-30", "to"), ("x", "2026-04-30", "from"),
                              ("2020-01-01", "2026-04-30", "from"), ("2026-01-01", "2026-02-30", "to")):
        with pytest.raises(metrics.PeriodError) as caught:
            Period.parse(start, end)
        assert caught.value.field == field


def test_comparison_units_are_the_units_below(units):
    codes = [u.code for u in metrics.comparison_units(units["city"])]
    assert codes[:2] == ["city-corps", "city-legal"] and "pudong" in codes and len(codes) == 18
    assert metrics.comparison_units(Unit.objects.get(code="pudong")) == []


# ------------------------------------------------------------------------------ pages


DASHBOARD = "/oversight/dashboard/"


def test_dashboard_scope_and_roles(client, make_user, units):
    city = make_user("city", "supervisor")
    pudong = make_user("pudong", "supervisor")
    officer = make_user("pudong", "officer", certificate=True)
    assert client.get(DASHBOARD).status_code == 302  # to the login page
    client.force_login(officer)
    assert client.get(DASHBOARD).status_code == 403
    assert client.get(f"{DASHBOARD}cases/?metric=publication").status_code == 403
    assert client.get(f"{DASHBOARD}report.xlsx").status_code == 403
    client.force_login(pudong)
    page = client.get(DASHBOARD)
    assert page.status_code == 200 and page.context["unit"].code == "pudong"
    assert client.get(f"{DASHBOARD}?unit=huangpu").status_code == 404  # outside the scope
    assert client.get(f"{DASHBOARD}cases/?metric=publication&unit=huangpu").status_code == 404
    assert client.get(f"{DASHBOARD}cases/?metric=nonsense&unit=pudong").status_code == 404
    client.force_login(city)
    page = client.get(f"{DASHBOARD}?unit=huangpu&from=2026-01-01&to=2026-06-30")
    assert page.status_code == 200 and page.context["unit"].code == "huangpu"
    assert page.context["period"] == Period(d("2026-01-01"), d("2026-06-30"))
    bad = client.get(f"{DASHBOARD}?from=2026-07-01&to=2026-06-30")
    assert bad.status_code == 400 and "to" in bad.context["errors"]


def test_dashboard_numbers_link_to_their_cases(client, make_user, september, units):
    client.force_login(make_user("city", "supervisor"))
    page = client.get(f"{DASHBOARD}?from=2026-09-01&to=2026-10-31")
    assert page.status_code == 200
    html = page.content.decode()
    headline = {c["metric"].code: c for c in page.context["headline"]}
    assert headline["publication"]["summary"].display == "50.0%"
    assert headline["publication"]["missed_url"] in html.replace("&amp;", "&")
    chart = page.context["chart"]
    pudong = next(g for g in chart["groups"] if g["code"] == "pudong")
    assert (pudong["display"], pudong["numerator"], pudong["denominator"]) == ("33.3%", 1, 3)
    assert 'id="dashboard-data"' in html and "<script>" not in html and "style=" not in html

    drill = client.get(pudong["url"])
    assert drill.status_code == 200
    listed = [r["m_case"] for r in drill.context["rows"]]
    assert sorted(listed) == sorted(september[k].pk for k in ("A", "B", "C"))
    assert f'href="/cases/{september["A"].pk}/"' in drill.content.decode()
    missed = client.get(pudong["url"] + "&outcome=missed")
    assert sorted(r["m_case"] for r in missed.context["rows"]) == sorted(september[k].pk for k in ("B", "C"))


def test_assessment_report_xlsx_and_print(client, make_user, september, units):
    from openpyxl import load_workbook

    client.force_login(make_user("city", "supervisor"))
    response = client.get(f"{DASHBOARD}report.xlsx?unit=city&from=2026-09-01&to=2026-10-31")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "assessment-city-2026-09-01-2026-10-31.xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book.worksheets[0].iter_rows(min_row=5, values_only=True))
    by_label = {str(metrics.metric(code).label): row for code, row in zip([m.code for m in metrics.METRICS], rows)}
    assert by_label[str(metrics.metric("publication").label)][1:4] == (50.0, 2, 4)
    assert by_label[str(metrics.metric("withdrawal").label)][1:4] == (50.0, 1, 2)  # D in time, B late
    assert by_label[str(metrics.metric("fines").label)][1] == 65000.0
    printable = client.get(f"{DASHBOARD}report/?unit=city&from=2026-09-01&to=2026-10-31")
    assert printable.status_code == 200
    assert "50.0%" in printable.content.decode()
