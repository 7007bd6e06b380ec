"""Case-file evaluation (案卷评查): the automatic checks on constructed cases, the scoring
guards, the grade thresholds, the rectification flow and the results per unit.

Behaviour goes through the services; what only the passing of time or a record made outside
the platform produces (a deadline met late, a decision imported without its review, a
publication a week late) is set through the ORM.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.utils import timezone

from sanxiang.accounts.models import Officer, Unit
from sanxiang.cases.models import CaseDeadline, Decision, IssuedDocument
from sanxiang.cases.tests.helpers import (
    BASIS,
    attach,
    case_team,
    complete,
    decided,
    examining,
    file_case,
    move,
    notified,
    record,
    reload,
    set_state,
)
from sanxiang.core.errors import DomainError
from sanxiang.disclosure import services as disclosure
from sanxiang.disclosure.models import PublicationItem
from sanxiang.disclosure.tests.helpers import item_of
from sanxiang.oversight import evaluation as ev
from sanxiang.oversight import evaluation_checks as checks
from sanxiang.oversight.data.evaluation_rubric import ITEMS, RUBRIC
from sanxiang.oversight.metrics import Period
from sanxiang.oversight.models_evaluation import (
    CheckCode,
    EvaluationRectification,
    EvaluationRubric,
    Grade,
)
from sanxiang.records.models import LedgerEntry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _rubric(db):
    """The default rubric (a transactional test's flush removes seeded rule data)."""
    from django.apps import apps

    ev.load_default_rubric(apps)


@pytest.fixture
def people(make_user):
    return {
        **case_team(make_user),
        "publisher": make_user("pudong", "publisher", full_name="钱公示"),
        "city_sup": make_user("city", "supervisor", full_name="市督查"),
        "pudong_sup": make_user("pudong", "supervisor", full_name="浦东督查"),
        "xuhui_sup": make_user("xuhui", "supervisor", full_name="徐汇督查"),
        "hp_off1": make_user("huangpu", "officer", certificate=True, full_name="黄执法一"),
        "hp_off2": make_user("huangpu", "officer", certificate=True, full_name="黄执法二"),
        "hp_head": make_user("huangpu", "unit_head", full_name="黄科长"),
    }


def serve_and_close(case, people):
    off1 = people["off1"]
    service = record(case, off1, off1, people["off2"], kind="service", at=timezone.now())
    complete(case, off1, service)
    move(case, off1, "served")
    move(case, off1, "closed")
    return reload(case)


@pytest.fixture
def good(people):
    """A major penalty case done by the book: reviewed, decided, served, published the same
    day, a seizure filmed, closed."""
    case, _decision = decided(people)
    off1 = people["off1"]
    seizure = record(case, off1, off1, people["off2"], kind="seizure", at=timezone.now())
    attach(case, off1, kind="video", activity=seizure)
    complete(case, off1, seizure)
    disclosure.publication_publish(item_id=item_of(case).pk, actor=people["publisher"])
    return serve_and_close(case, people)


def closed_inspection(off1, off2, *, unit_code=None):
    """An inspection case (行政检查) inspected by two officers and closed."""
    case = file_case(off1, kind="inspection", title="某公司日常检查", unit_code=unit_code)
    move(case, off1, "investigating")
    complete(case, off1, record(case, off1, off1, off2))
    return move(case, off1, "closed")


def payload(entry: LedgerEntry) -> dict:
    return json.loads(entry.body)["payload"]


# ------------------------------------------------------------------------------ rubric


def test_default_rubric_is_rule_data_of_100_points_with_citations():
    """The seeded rubric: published version 1, 100 points, every item cited, [U] where the
    bureau must confirm (SEED 四（三）: 建立健全行政执法案卷评查管理制度)."""
    rubric = ev.rubric_in_force()
    assert (rubric.code, rubric.version, rubric.status) == (RUBRIC["code"], 1, "published")
    assert ev.rubric_total(rubric) == Decimal("100")
    assert rubric.items.count() == len(ITEMS)
    assert "[U]" in rubric.citation
    assert all(item.citation and "[U]" in item.citation for item in rubric.items.all())
    linked = set(rubric.items.exclude(check_code="").values_list("check_code", flat=True))
    assert linked == set(CheckCode.values)
    from django.apps import apps

    assert ev.load_default_rubric(apps) == 0  # loading twice creates nothing


def test_published_rubric_is_frozen():
    from django.db import IntegrityError, transaction

    rubric = ev.rubric_in_force()
    with pytest.raises(IntegrityError), transaction.atomic():  # noqa: PT012
        EvaluationRubric.objects.filter(pk=rubric.pk).update(pass_from=Decimal("50"))


@pytest.mark.parametrize(("score", "grade"), [
    ("100", Grade.EXCELLENT), ("90", Grade.EXCELLENT), ("89.9", Grade.PASS), ("70", Grade.PASS),
    ("69.9", Grade.FAIL), ("0", Grade.FAIL),
])
def test_grade_thresholds_of_the_default_rubric(score, grade):
    """优秀 ≥ 90, 合格 ≥ 70, 不合格 < 70 (default rubric, thresholds [U])."""
    rubric = ev.rubric_in_force()
    assert ev.grade_of(Decimal(score), excellent_from=rubric.excellent_from, pass_from=rubric.pass_from) == grade


# ------------------------------------------------------------------------------ checks


def test_a_case_done_by_the_book_passes_every_check(good):
    results = checks.run_all(good)
    failed = {code: r.evidence for code, r in results.items() if not r.passed}
    assert failed == {}
    assert all(r.applicable for r in results.values())


def test_required_documents_missing_service_receipt_is_named(people):
    """APL 第61条: a decided penalty case closed without its 送达回证 fails, naming it."""
    case, _ = decided(people)
    case = set_state(case, stage="closed")
    result = checks.run(CheckCode.REQUIRED_DOCUMENTS, case)
    assert not result.passed
    assert result.evidence == [{"kind": "missing_document", "template": "service_receipt", "name": "送达回证"}]
    assert "送达回证" in checks.describe(result.evidence[0])


def test_stage_deadline_met_late_names_the_dates(good):
    """R5.4: the decision deadline met after its due date fails with both dates."""
    row = CaseDeadline.objects.get(case=good, name="decision")
    due, met = row.met_on - dt.timedelta(days=3), row.met_on
    CaseDeadline.objects.filter(pk=row.pk).update(due_on=due)
    result = checks.run(CheckCode.STAGE_DEADLINES, good)
    assert not result.passed
    assert [(e["deadline"], e["due_on"], e["met_on"]) for e in result.evidence] == [
        ("decision", due.isoformat(), met.isoformat())]


def _imported_decision(case, signer, *, major: bool, number: str) -> Decision:
    """A decision as an import from an earlier system records it (no service path)."""
    return Decision.objects.create(case=case, kind="penalty", penalty_types=["fine"], fine_amount=Decimal("500000"),
                                   decided_on=timezone.localdate(), legal_basis=BASIS, facts="超标排放。",
                                   conclusion="罚款。", document_number=number, major=major, decided_by=signer)


def test_major_decision_without_approved_review_fails_legal_review(good, people):
    """APL 第58条: a major decision with no approved review fails, naming the decision."""
    assert checks.run(CheckCode.LEGAL_REVIEW, good).passed
    case = notified(people)
    _imported_decision(case, people["chief"], major=True, number="沪浦环罚〔2026〕9901号")
    case = set_state(case, stage="closed")
    result = checks.run(CheckCode.LEGAL_REVIEW, case)
    assert not result.passed
    assert [(e["kind"], e["decision"]) for e in result.evidence] == [("review_missing", "沪浦环罚〔2026〕9901号")]


def test_seizure_without_video_fails_with_its_date(people):
    """R8.2: a seizure without a video record fails, naming the activity and its day."""
    case, _ = decided(people)
    off1 = people["off1"]
    when = timezone.now() - dt.timedelta(hours=2)
    seizure = record(case, off1, off1, people["off2"], kind="seizure", at=when)
    case = serve_and_close(case, people)
    result = checks.run(CheckCode.VIDEO, case)
    assert not result.passed
    assert result.evidence == [{"kind": "video_missing", "activity": seizure.pk, "activity_kind": "seizure",
                                "on": timezone.localdate(when).isoformat()}]


def test_inspection_case_without_mandatory_activities_passes_video_as_not_applicable(people):
    case = closed_inspection(people["off1"], people["off2"])
    result = checks.run(CheckCode.VIDEO, case)
    assert (result.passed, result.applicable) == (True, False)


def test_publication_late_and_never_published(good, people):
    """R2.1: published after the due date fails with both dates; never published after the due
    date fails too."""
    item = PublicationItem.objects.get(subject=good.ref)
    published = timezone.localdate(item.published_at)
    PublicationItem.objects.filter(pk=item.pk).update(due_on=published - dt.timedelta(days=2))
    result = checks.run(CheckCode.PUBLICATION, good)
    assert not result.passed
    assert result.evidence == [{"kind": "publication_late", "due_on": (published - dt.timedelta(days=2)).isoformat(),
                                "published_on": published.isoformat()}]

    case, _ = decided(people)
    case = serve_and_close(case, people)
    due = timezone.localdate() - dt.timedelta(days=1)
    PublicationItem.objects.filter(subject=case.ref).update(due_on=due)
    result = checks.run(CheckCode.PUBLICATION, case)
    assert result.evidence == [{"kind": "publication_missing", "due_on": due.isoformat(), "published_on": None}]


def test_two_officer_breach_names_the_activity(people):
    """APL 第42条: an on-site act with one valid certificate fails (the other expired the day before)."""
    case = file_case(people["off1"], kind="inspection", title="某公司日常检查")
    move(case, people["off1"], "investigating")
    when = timezone.now() - dt.timedelta(hours=1)
    act = record(case, people["off1"], people["off1"], people["off2"], at=when)
    complete(case, people["off1"], act)
    case = move(case, people["off1"], "closed")
    assert checks.run(CheckCode.TWO_OFFICERS, case).passed
    Officer.objects.filter(user=people["off2"]).update(valid_until=timezone.localdate(when) - dt.timedelta(days=1))
    result = checks.run(CheckCode.TWO_OFFICERS, case)
    assert not result.passed
    assert result.evidence == [{"kind": "officers_short", "activity": act.pk, "activity_kind": "inspection",
                                "on": timezone.localdate(when).isoformat(), "officers": 1, "required": 2}]


def test_unnumbered_unstored_document_and_unsigned_decision(good, people):
    """Documents: a numbered kind without its 文号 and stored file, a decision signed by an officer."""
    assert checks.run(CheckCode.DOCUMENTS_FORMAL, good).passed
    case = notified(people)
    doc = IssuedDocument.objects.create(case=case, template_code="penalty_notice", template_version=1,
                                        title="行政处罚事先告知书", document_number="", version=1,
                                        sha256="0" * 64, sm3="0" * 64, size=1, issued_by=people["off1"])
    _imported_decision(case, people["off1"], major=False, number="沪浦环罚〔2026〕9902号")
    case = set_state(case, stage="closed")
    result = checks.run(CheckCode.DOCUMENTS_FORMAL, case)
    assert not result.passed
    by_kind = {e["kind"]: e for e in result.evidence}
    assert by_kind["unnumbered_document"]["document"] == doc.pk
    assert by_kind["unstored_document"]["document"] == doc.pk
    assert by_kind["unsigned_decision"] == {"kind": "unsigned_decision", "decision": "沪浦环罚〔2026〕9902号",
                                            "signer": "张执法", "major": False}


# ------------------------------------------------------------------------------ evaluations


def _refuses(code: str, call, status: int | None = None):
    before = (LedgerEntry.objects.count(),)
    with pytest.raises(DomainError) as caught:
        call()
    assert caught.value.code == code, (caught.value.code, caught.value.details)
    if status is not None:
        assert caught.value.status == status
    assert (LedgerEntry.objects.count(),) == before
    return caught.value


def test_open_prefills_from_the_checks(people):
    case, _ = decided(people)
    case = set_state(case, stage="closed")  # no 送达回证, not published yet
    evaluation = ev.evaluation_open(actor=people["pudong_sup"], case_id=case.pk)
    scores = {s.item.code: s for s in evaluation.scores.select_related("item")}
    assert scores["CX-3"].auto_passed is False and scores["CX-3"].suggested == 0 == scores["CX-3"].awarded
    assert scores["CX-3"].evidence[0]["template"] == "service_receipt"
    assert scores["CX-2"].auto_passed is True and scores["CX-2"].awarded == Decimal("10")
    assert scores["SS-1"].auto_passed is None and scores["SS-1"].awarded == Decimal("10")
    assert evaluation.number.startswith("PC")
    entry = LedgerEntry.objects.filter(subject=evaluation.ref).get()
    assert entry.action == "evaluation.opened"
    assert payload(entry)["checks"]["required_documents"] is False


def test_open_guards(people):
    open_case = examining({"off1": people["off1"], "off2": people["off2"]})
    closed = closed_inspection(people["off1"], people["off2"])
    _refuses("not_supervisor", lambda: ev.evaluation_open(actor=people["chief"], case_id=closed.pk), 403)
    _refuses("case_not_found", lambda: ev.evaluation_open(actor=people["xuhui_sup"], case_id=closed.pk), 404)
    _refuses("case_not_closed", lambda: ev.evaluation_open(actor=people["pudong_sup"], case_id=open_case.pk), 409)
    ev.evaluation_open(actor=people["pudong_sup"], case_id=closed.pk)
    _refuses("evaluation_open", lambda: ev.evaluation_open(actor=people["city_sup"], case_id=closed.pk), 409)


def test_scoring_guards(people):
    case = closed_inspection(people["off1"], people["off2"])
    evaluation = ev.evaluation_open(actor=people["pudong_sup"], case_id=case.pk)
    sup = people["pudong_sup"]

    def score(actor=sup, **entries):
        return ev.evaluation_score(evaluation_id=evaluation.pk, actor=actor, scores=entries)

    err = _refuses("over_points", lambda: score(**{"ZT-2": ev.ScoreInput("5.5", "多给")}), 400)
    assert err.details["field"] == "scores.ZT-2"
    _refuses("reason_required", lambda: score(**{"SS-1": ev.ScoreInput("6")}), 400)
    _refuses("invalid_score", lambda: score(**{"SS-1": ev.ScoreInput("6.25", "理由")}), 400)
    _refuses("negative_score", lambda: score(**{"SS-1": ev.ScoreInput("-1", "理由")}), 400)
    _refuses("evaluation_not_found", lambda: score(actor=people["chief"], **{"SS-1": ev.ScoreInput("6", "x")}), 404)
    _refuses("evaluation_not_found", lambda: score(actor=people["xuhui_sup"], **{"SS-1": ev.ScoreInput("6", "x")}),
             404)
    score(**{"SS-1": ev.ScoreInput("6", "违法事实认定缺少监测数据支撑")})
    row = evaluation.scores.get(item__code="SS-1")
    assert (row.awarded, row.reason, row.adjusted) == (Decimal("6"), "违法事实认定缺少监测数据支撑", True)
    submitted = ev.evaluation_submit(evaluation_id=evaluation.pk, actor=people["city_sup"], comment="整体较好")
    assert (submitted.score, submitted.grade) == (Decimal("96.0"), Grade.EXCELLENT)
    entry = LedgerEntry.objects.filter(subject=evaluation.ref, action="evaluation.submitted").get()
    assert payload(entry)["adjusted"] == [{"item": "SS-1", "awarded": "6", "suggested": "10",
                                          "reason": "违法事实认定缺少监测数据支撑"}]
    _refuses("evaluation_submitted", lambda: score(**{"SS-1": ev.ScoreInput("10")}), 409)


def test_failed_check_adjusted_up_needs_a_reason(people):
    case, _ = decided(people)
    case = set_state(case, stage="closed")
    evaluation = ev.evaluation_open(actor=people["pudong_sup"], case_id=case.pk)
    sup = people["pudong_sup"]
    _refuses("reason_required", lambda: ev.evaluation_score(evaluation_id=evaluation.pk, actor=sup,
                                                            scores={"CX-3": ev.ScoreInput("8")}))
    ev.evaluation_score(evaluation_id=evaluation.pk, actor=sup,
                        scores={"CX-3": ev.ScoreInput("8", "纸质送达回证在案，系统未登记")})
    assert evaluation.scores.get(item__code="CX-3").awarded == Decimal("8")


def test_rectification_flow(people):
    case = closed_inspection(people["off1"], people["off2"])
    sup = people["pudong_sup"]
    evaluation = ev.evaluation_open(actor=sup, case_id=case.pk)
    due = timezone.localdate() + dt.timedelta(days=10)
    _refuses("evaluation_not_submitted", lambda: ev.rectification_issue(
        evaluation_id=evaluation.pk, actor=sup, requirement="补充证据", due_on=due), 409)
    ev.evaluation_submit(evaluation_id=evaluation.pk, actor=sup,
                         scores={"ZJ-1": ev.ScoreInput("4", "证据链不完整")})
    _refuses("past_date", lambda: ev.rectification_issue(evaluation_id=evaluation.pk, actor=sup,
                                                         requirement="补充证据", due_on=timezone.localdate()
                                                         - dt.timedelta(days=1)))
    rect = ev.rectification_issue(evaluation_id=evaluation.pk, actor=sup, requirement="完善证据链并报送整改情况",
                                  due_on=due)
    _refuses("not_unit_head", lambda: ev.rectification_reply(rectification_id=rect.pk, actor=sup, reply="x"), 403)
    _refuses("rectification_not_found", lambda: ev.rectification_reply(rectification_id=rect.pk,
                                                                        actor=people["hp_head"], reply="x"), 404)
    _refuses("no_reply", lambda: ev.rectification_accept(rectification_id=rect.pk, actor=sup), 409)
    ev.rectification_reply(rectification_id=rect.pk, actor=people["head"], reply="已补充监测报告")
    _refuses("required", lambda: ev.rectification_return(rectification_id=rect.pk, actor=sup, comment=""))
    ev.rectification_return(rectification_id=rect.pk, actor=sup, comment="缺少采样记录")
    ev.rectification_reply(rectification_id=rect.pk, actor=people["head"], reply="已补充采样记录")
    rect = ev.rectification_accept(rectification_id=rect.pk, actor=sup)
    rect = EvaluationRectification.objects.get(pk=rect.pk)
    assert (rect.status, rect.round) == ("accepted", 2)
    assert list(LedgerEntry.objects.filter(subject=evaluation.ref).order_by("seq").values_list("action", flat=True)) == [
        "evaluation.opened", "evaluation.submitted", "evaluation.rectification_issued",
        "evaluation.rectification_replied", "evaluation.rectification_returned",
        "evaluation.rectification_replied", "evaluation.rectification_accepted"]


def test_batch_random_sample_is_reproducible(people):
    cases = [closed_inspection(people["off1"], people["off2"]) for _ in range(4)]
    today = timezone.localdate()
    data = ev.BatchInput(unit_code="pudong", start=today - dt.timedelta(days=1), end=today, method="random",
                         size=2, seed="评查2026")
    batch = ev.batch_create(actor=people["city_sup"], data=data)
    expected = ev.draw([c.pk for c in cases], 2, "评查2026")
    assert sorted(batch.evaluations.values_list("case_id", flat=True)) == expected
    assert (batch.population, batch.seed) == (4, "评查2026")
    _refuses("sample_too_large", lambda: ev.batch_create(actor=people["city_sup"], data=ev.BatchInput(
        unit_code="pudong", start=today, end=today, method="random", size=3)))
    _refuses("unit_not_found", lambda: ev.batch_create(actor=people["xuhui_sup"], data=ev.BatchInput(
        unit_code="pudong", start=today, end=today, method="chosen", case_ids=(cases[0].pk,))), 404)


# ------------------------------------------------------------------------------ results


def _evaluated(people, sup, off1, off2, deductions: dict[str, str], unit_code=None):
    case = closed_inspection(off1, off2, unit_code=unit_code)
    evaluation = ev.evaluation_open(actor=sup, case_id=case.pk)
    return ev.evaluation_submit(evaluation_id=evaluation.pk, actor=sup, scores={
        code: ev.ScoreInput(value, "扣分") for code, value in deductions.items()})


def test_results_per_unit_with_exact_numbers(people):
    city = people["city_sup"]
    a = _evaluated(people, city, people["off1"], people["off2"], {})
    b = _evaluated(people, city, people["off1"], people["off2"],
                   {"SS-1": "0", "ZJ-1": "0", "YJ-1": "0", "WS-2": "0"})
    c = _evaluated(people, city, people["hp_off1"], people["hp_off2"], {"SS-1": "0", "ZJ-1": "0"})
    assert [(e.score, e.grade) for e in (a, b, c)] == [(Decimal("100.0"), "excellent"), (Decimal("65.0"), "fail"),
                                                      (Decimal("80.0"), "pass")]
    today = timezone.localdate()
    out = ev.results(viewer=city, unit=Unit.objects.get(code="city"), period=Period(today, today))
    assert (out.total.count, out.total.average) == (3, Decimal("81.7"))
    assert out.total.grades == {"excellent": 1, "fail": 1, "pass": 1}
    by_code = {r.unit.code: r for r in out.groups}
    assert (by_code["pudong"].count, by_code["pudong"].average) == (2, Decimal("82.5"))
    assert by_code["pudong"].grades == {"excellent": 1, "fail": 1}
    assert (by_code["huangpu"].count, by_code["huangpu"].average, by_code["huangpu"].grades) == (
        1, Decimal("80.0"), {"pass": 1})
    assert (by_code["xuhui"].count, by_code["xuhui"].average) == (0, None)
    assert [(f["code"], f["count"], f["lost"]) for f in out.failing] == [
        ("SS-1", 2, Decimal("20.0")), ("ZJ-1", 2, Decimal("20.0")), ("WS-2", 1, Decimal("5.0")),
        ("YJ-1", 1, Decimal("10.0"))]
    # A district supervisor sees his district only.
    mine = ev.results(viewer=people["pudong_sup"], unit=Unit.objects.get(code="pudong"), period=Period(today, today))
    assert (mine.total.count, mine.total.average) == (2, Decimal("82.5"))
    # Outside the period nothing counts.
    before = ev.results(viewer=city, unit=Unit.objects.get(code="city"),
                        period=Period(today - dt.timedelta(days=9), today - dt.timedelta(days=1)))
    assert (before.total.count, before.total.average, before.failing) == (0, None, [])


# ------------------------------------------------------------------------------ pages


def test_pages_list_form_scores_and_results(client, people):
    case = closed_inspection(people["off1"], people["off2"])
    sup = people["pudong_sup"]
    client.force_login(sup)
    assert client.get("/oversight/evaluations/").status_code == 200
    response = client.post("/oversight/evaluations/new/", {"case_number": case.number})
    assert response.status_code == 302
    evaluation = case.evaluations.get()
    page = client.get(f"/oversight/evaluations/{evaluation.pk}/")
    assert page.status_code == 200 and 'name="awarded-SS-1"' in page.content.decode()
    over = client.post(f"/oversight/evaluations/{evaluation.pk}/scores/", {"awarded-ZT-2": "6", "reason-ZT-2": "x"})
    assert over.status_code == 400 and 'aria-invalid="true"' in over.content.decode()
    done = client.post(f"/oversight/evaluations/{evaluation.pk}/scores/",
                       {"awarded-SS-1": "8", "reason-SS-1": "事实表述不完整", "comment": "较好", "submit": "1"})
    assert done.status_code == 302
    evaluation.refresh_from_db()
    assert (evaluation.score, evaluation.grade) == (Decimal("98.0"), "excellent")
    results = client.get("/oversight/evaluations/results/?unit=pudong")
    assert results.status_code == 200 and 'data-item="SS-1"' in results.content.decode()
    client.force_login(people["xuhui_sup"])
    assert client.get(f"/oversight/evaluations/{evaluation.pk}/").status_code == 404
    client.force_login(people["off1"])
    assert client.get("/oversight/evaluations/results/").status_code == 404
