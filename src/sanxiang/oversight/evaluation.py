"""Case-file evaluation (案卷评查): selectors and services.

* A supervisor (监督考核人员) of the case's handling unit or of a unit above it opens an
  evaluation of a closed case (stage closed or archived), alone or as a batch: a random or
  chosen sample of a unit's cases closed in a period. The rubric in force and the automatic
  checks (``evaluation_checks``) pre-fill every item: full points when the check passes or the
  item is scored by hand, nothing when the check fails.
* The evaluator scores each item (never above its points); a score that differs from the
  pre-filled one needs a reason, kept with the score and on the ledger. Submitting fixes the
  total and the grade from the rubric's thresholds (优秀 / 合格 / 不合格).
* From a submitted evaluation the supervisor issues rectification requests (整改要求) to the
  handling unit with a due date; the unit's head replies; the supervisor accepts or returns.

Every state change is one service: guards, the change and one ledger entry in one
transaction. Outside the viewer's scope an evaluation does not exist (``NotFound``, 404).

Who sees an evaluation: supervisors of its unit and above; the heads (承办机构负责人、机关负责人)
of the unit and above once it is submitted.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from sanxiang.accounts.constants import Role
from sanxiang.accounts.models import Unit, User
from sanxiang.accounts.selectors import scope_q, unit_in_scope, unit_is_within
from sanxiang.cases.constants import Stage
from sanxiang.cases.deadlines import day_start
from sanxiang.cases.models import Case
from sanxiang.catalog.choices import RuleStatus
from sanxiang.core.errors import GuardRefused, InvalidInput, NotFound, PermissionDenied
from sanxiang.oversight import evaluation_checks as checks
from sanxiang.oversight import metrics
from sanxiang.oversight.constants import OPEN_RECTIFICATION_STATES, RectificationStatus
from sanxiang.oversight.models_evaluation import (
    Evaluation,
    EvaluationBatch,
    EvaluationRectification,
    EvaluationRubric,
    EvaluationScore,
    EvaluationStatus,
    Grade,
    RubricItem,
    SampleMethod,
)
from sanxiang.oversight.selectors import is_supervisor_over
from sanxiang.records.services import ledger_append

RUBRIC_CODE = "case_file_evaluation"
#: Stages of a closed case file (结案、归档): the only cases that can be evaluated.
CLOSED_STAGES = (Stage.CLOSED, Stage.ARCHIVED)
HEAD_ROLES = (Role.UNIT_HEAD, Role.AGENCY_HEAD)
MAX_TEXT = 10_000
MAX_SAMPLE = 200
_TENTH = Decimal("0.1")
SEED_ACTOR = "system:seed"


def _actor(user: User) -> str:
    return f"user:{user.pk}"


def _text(value: str, field: str, *, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise InvalidInput("required", _("This field is required."), field=field)
    if len(text) > MAX_TEXT:
        raise InvalidInput("too_long", _("At most %(n)d characters.") % {"n": MAX_TEXT}, field=field)
    return text


def _points(value: Decimal) -> str:
    """A score as shown and stored on the ledger: "7.5", "10"."""
    text = format(Decimal(value).quantize(_TENTH), "f")
    return text[:-2] if text.endswith(".0") else text


# ------------------------------------------------------------------------------ rubric


def load_default_rubric(apps, using: str = "default") -> int:
    """Load the default rubric (``data.evaluation_rubric``) as published version 1 when its code
    is not there yet; returns the number of rubric versions created (0 or 1)."""
    from sanxiang.oversight.data import evaluation_rubric as data

    Rubric = apps.get_model("oversight", "EvaluationRubric")
    Item = apps.get_model("oversight", "RubricItem")
    if Rubric.objects.using(using).filter(code=data.CODE).exists():
        return 0
    spec = data.RUBRIC
    rubric = Rubric.objects.using(using).create(
        code=spec["code"], version=1, status="published", published_at=timezone.now(), created_by=SEED_ACTOR,
        effective_from=dt.date.fromisoformat(spec["effective_from"]), citation=spec["citation"],
        name=spec["name"], excellent_from=Decimal(spec["excellent_from"]), pass_from=Decimal(spec["pass_from"]))
    Item.objects.using(using).bulk_create([
        Item(rubric=rubric, position=i, code=it["code"], category=it["category"], title=it["title"],
             points=Decimal(it["points"]), check_code=it["check"], citation=it["citation"])
        for i, it in enumerate(data.ITEMS, start=1)])
    return 1


def rubric_in_force(day: dt.date | None = None) -> EvaluationRubric:
    """The rubric version in force on ``day`` (today by default)."""
    day = day or timezone.localdate()
    rubric = (EvaluationRubric.objects.filter(code=RUBRIC_CODE, status__in=(RuleStatus.PUBLISHED, RuleStatus.RETIRED),
                                              effective_from__lte=day)
              .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day)).order_by("-version").first())
    if rubric is None:
        raise GuardRefused("no_rubric", _("No evaluation rubric is in force."))
    return rubric


def rubric_total(rubric: EvaluationRubric) -> Decimal:
    return rubric.items.aggregate(t=Sum("points"))["t"] or Decimal(0)


def grade_of(score: Decimal, *, excellent_from: Decimal, pass_from: Decimal) -> str:
    """The grade (评查等次) of a score: ≥ excellent_from 优秀, ≥ pass_from 合格, else 不合格."""
    if score >= excellent_from:
        return Grade.EXCELLENT
    if score >= pass_from:
        return Grade.PASS
    return Grade.FAIL


# ------------------------------------------------------------------------------ selectors


def evaluation_visible_q(viewer: User) -> Q:
    if viewer.has_role(Role.SUPERVISOR):
        return scope_q(viewer)
    if viewer.has_role(*HEAD_ROLES) and viewer.unit_id is not None:
        return scope_q(viewer) & Q(status=EvaluationStatus.SUBMITTED)
    return Q(pk__in=[])


EVALUATION_FILTERS = ("open", "submitted", "rectifying", "all")


def evaluation_list(*, viewer: User, state: str | None = None) -> QuerySet[Evaluation]:
    """Evaluations the viewer may see; ``state``: open, submitted, rectifying (a request open)."""
    qs = Evaluation.objects.filter(evaluation_visible_q(viewer)).select_related("case", "unit", "evaluator")
    if state in EvaluationStatus.values:
        qs = qs.filter(status=state)
    elif state == "rectifying":
        qs = qs.filter(rectifications__status__in=OPEN_RECTIFICATION_STATES).distinct()
    return qs.order_by("-opened_at", "-id")


def evaluation_get(*, viewer: User, evaluation_id) -> Evaluation:
    try:
        pk = int(evaluation_id)
    except (TypeError, ValueError):
        raise NotFound("evaluation_not_found", _("No such evaluation.")) from None
    evaluation = (Evaluation.objects.filter(evaluation_visible_q(viewer), pk=pk)
                  .select_related("case", "unit", "evaluator", "rubric", "batch").first())
    if evaluation is None:
        raise NotFound("evaluation_not_found", _("No such evaluation."))
    return evaluation


def may_score(user: User, evaluation: Evaluation) -> bool:
    return evaluation.status == EvaluationStatus.OPEN and is_supervisor_over(user, evaluation.unit)


def may_reply(user: User, rectification: EvaluationRectification) -> bool:
    """The heads of the handling unit (or above) reply to a rectification request."""
    return (user.has_role(*HEAD_ROLES) and user.unit is not None
            and unit_is_within(rectification.unit, user.unit)
            and rectification.status in (RectificationStatus.PENDING, RectificationStatus.RETURNED))


def score_rows(evaluation: Evaluation) -> list[dict]:
    """The items with their scores and the evidence in words, in rubric order."""
    rows = []
    for s in evaluation.scores.select_related("item").order_by("item__position", "item_id"):
        rows.append({"s": s, "item": s.item, "evidence": [checks.describe(e) for e in s.evidence]})
    return rows


def closed_on(case: Case) -> dt.date:
    """When the case reached its current stage (closed or archived), local date."""
    return timezone.localdate(case.stage_changed_at)


def closed_cases(*, viewer: User, unit: Unit, start: dt.date, end: dt.date) -> QuerySet[Case]:
    """Cases of ``unit`` and the units below it, closed or archived in the period (by the date
    they reached that stage), within the viewer's scope."""
    return (Case.objects.filter(scope_q(viewer), unit__path__startswith=unit.path, stage__in=CLOSED_STAGES,
                                stage_changed_at__gte=day_start(start),
                                stage_changed_at__lt=day_start(end + dt.timedelta(days=1)))
            .select_related("unit").order_by("number"))


def closed_case_by_number(*, viewer: User, number: str) -> Case:
    """A case of the viewer's scope by its number (any stage: the services say why it cannot be
    evaluated); ``NotFound`` otherwise."""
    number = (number or "").strip()
    case = Case.objects.filter(scope_q(viewer), number=number).first() if number else None
    if case is None:
        raise NotFound("case_not_found", _("No case with this number in your scope."), field="case_number")
    return case


def case_ids_by_numbers(*, viewer: User, numbers: list[str]) -> list[int]:
    """The ids of the cases with these numbers in the viewer's scope; ``InvalidInput`` naming the
    first number that is not there."""
    wanted = list(dict.fromkeys(n.strip() for n in numbers if n.strip()))
    found = dict(Case.objects.filter(scope_q(viewer), number__in=wanted).values_list("number", "pk"))
    for number in wanted:
        if number not in found:
            raise InvalidInput("case_not_found", _("No case with the number %(number)s in your scope.")
                               % {"number": number}, field="case_ids")
    return [found[n] for n in wanted]


# ------------------------------------------------------------------------------ open


def _require_supervisor(actor: User) -> None:
    if not actor.has_role(Role.SUPERVISOR) or actor.unit is None:
        raise PermissionDenied("not_supervisor", _("Only a supervisor (监督考核人员) may evaluate case files."))


def _case_for(actor: User, case_id) -> Case:
    try:
        pk = int(case_id)
    except (TypeError, ValueError):
        raise NotFound("case_not_found", _("No such case.")) from None
    case = Case.objects.filter(scope_q(actor), pk=pk).select_related("unit").first()
    if case is None:
        raise NotFound("case_not_found", _("No such case."))
    return case


def _open(case: Case, actor: User, rubric: EvaluationRubric, today: dt.date,
          batch: EvaluationBatch | None = None) -> Evaluation:
    if case.stage not in CLOSED_STAGES:
        raise GuardRefused("case_not_closed", _("Only a closed or archived case file can be evaluated."),
                           stage=case.stage)
    if Evaluation.objects.filter(case=case, status=EvaluationStatus.OPEN).exists():
        raise GuardRefused("evaluation_open", _("This case file is already being evaluated."))
    results = checks.run_all(case, today)
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(
                number=f"pending-{uuid.uuid4().hex[:12]}", case=case, unit=case.unit, batch=batch, rubric=rubric,
                evaluator=actor, checked_on=today, checks={c: r.as_json() for c, r in results.items()})
    except IntegrityError:
        raise GuardRefused("evaluation_open", _("This case file is already being evaluated.")) from None
    evaluation.number = f"PC{timezone.localdate(evaluation.opened_at).year}-{evaluation.pk:05d}"
    evaluation.save(update_fields=["number"])
    scores = []
    for item in rubric.items.order_by("position", "id"):
        result = results.get(item.check_code) if item.check_code else None
        passed = None if result is None else result.passed
        suggested = Decimal(0) if passed is False else item.points
        scores.append(EvaluationScore(evaluation=evaluation, item=item, auto_passed=passed,
                                      evidence=result.evidence if result else [], suggested=suggested,
                                      awarded=suggested))
    EvaluationScore.objects.bulk_create(scores)
    ledger_append(subject=evaluation.ref, action="evaluation.opened", actor=_actor(actor), payload={
        "number": evaluation.number, "case": case.ref, "case_number": case.number, "unit": case.unit.code,
        "rubric": {"code": rubric.code, "version": rubric.version}, "checked_on": today.isoformat(),
        "checks": {c: r.passed for c, r in sorted(results.items())},
        "batch": batch.number if batch else None,
    })
    return evaluation


@transaction.atomic
def evaluation_open(*, actor: User, case_id, today: dt.date | None = None) -> Evaluation:
    """Open the evaluation of a closed case (开始评查): a supervisor of the case's unit or above;
    the automatic checks run now and pre-fill the rubric in force."""
    _require_supervisor(actor)
    case = _case_for(actor, case_id)
    case = Case.objects.select_for_update().select_related("unit").get(pk=case.pk)
    today = today or timezone.localdate()
    return _open(case, actor, rubric_in_force(today), today)


@dataclass(frozen=True)
class BatchInput:
    """A sample of a unit's closed cases (评查批次): ``random`` with ``size`` (and an optional
    ``seed`` to reproduce a draw) or ``chosen`` with ``case_ids``."""

    unit_code: str
    start: dt.date | None
    end: dt.date | None
    method: str
    size: int | None = None
    case_ids: tuple[int, ...] = ()
    seed: str = ""


def draw(population: list[int], size: int, seed: str) -> list[int]:
    """The reproducible random sample (随机抽取): the same ids and seed give the same cases."""
    return sorted(random.Random(seed).sample(sorted(population), size))  # noqa: S311 - sampling, not secrecy


@transaction.atomic
def batch_create(*, actor: User, data: BatchInput, today: dt.date | None = None) -> EvaluationBatch:
    """Create a batch and open one evaluation per sampled case (批量评查)."""
    _require_supervisor(actor)
    unit = unit_in_scope(actor, data.unit_code or "")
    if data.start is None:
        raise InvalidInput("required", _("This field is required."), field="start")
    if data.end is None:
        raise InvalidInput("required", _("This field is required."), field="end")
    if data.start > data.end:
        raise InvalidInput("invalid_period", _("The end of the period lies before its start."), field="end")
    if data.method not in SampleMethod.values:
        raise InvalidInput("invalid_method", _("Choose random or chosen cases."), field="method")
    today = today or timezone.localdate()
    rubric = rubric_in_force(today)
    busy = Evaluation.objects.filter(status=EvaluationStatus.OPEN).values("case_id")
    population = list(closed_cases(viewer=actor, unit=unit, start=data.start, end=data.end)
                      .exclude(pk__in=busy).values_list("pk", flat=True))
    seed = ""
    if data.method == SampleMethod.RANDOM:
        if not data.size or data.size < 1:
            raise InvalidInput("invalid_size", _("Give the number of cases to draw."), field="size")
        if data.size > min(len(population), MAX_SAMPLE):
            raise InvalidInput("sample_too_large", _("Only %(n)d closed cases can be drawn in this period.")
                               % {"n": min(len(population), MAX_SAMPLE)}, field="size")
        seed = (data.seed or "").strip()[:64] or uuid.uuid4().hex
        sample = draw(population, data.size, seed)
    else:
        sample = sorted(set(data.case_ids))
        if not sample:
            raise InvalidInput("required", _("Choose at least one case."), field="case_ids")
        if len(sample) > MAX_SAMPLE or not set(sample) <= set(population):
            raise InvalidInput("invalid_case", _("Choose cases of this unit closed in the period and not being "
                                                 "evaluated."), field="case_ids")
    batch = EvaluationBatch.objects.create(
        number=f"pending-{uuid.uuid4().hex[:12]}", unit=unit, period_start=data.start, period_end=data.end,
        method=data.method, seed=seed, population=len(population), created_by=actor)
    batch.number = f"PCB{timezone.localdate(batch.created_at).year}-{batch.pk:04d}"
    batch.save(update_fields=["number"])
    cases = Case.objects.select_for_update().select_related("unit").filter(pk__in=sample).order_by("number")
    opened = [_open(case, actor, rubric, today, batch) for case in cases]
    ledger_append(subject=batch.ref, action="evaluation.batch_created", actor=_actor(actor), payload={
        "number": batch.number, "unit": unit.code, "period": [data.start.isoformat(), data.end.isoformat()],
        "method": data.method, "seed": seed, "population": len(population),
        "cases": [e.case.ref for e in opened], "evaluations": [e.number for e in opened],
    })
    return batch


# ------------------------------------------------------------------------------ scoring


@dataclass(frozen=True)
class ScoreInput:
    """The score of one item as entered, with the reason when it differs from the pre-filled one."""

    awarded: str | Decimal
    reason: str = ""
    note: str = ""


def _lock(actor: User, evaluation_id) -> Evaluation:
    evaluation = evaluation_get(viewer=actor, evaluation_id=evaluation_id)
    evaluation = Evaluation.objects.select_for_update().select_related("unit", "rubric", "case").get(pk=evaluation.pk)
    if not is_supervisor_over(actor, evaluation.unit):
        raise PermissionDenied("not_supervisor", _("Only a supervisor of the handling unit may score this "
                                                   "evaluation."))
    return evaluation


def _apply_scores(evaluation: Evaluation, scores: Mapping[str, ScoreInput]) -> list[dict]:
    if evaluation.status != EvaluationStatus.OPEN:
        raise GuardRefused("evaluation_submitted", _("The evaluation is submitted; its scores are final."))
    rows = {s.item.code: s for s in evaluation.scores.select_related("item")}
    unknown = sorted(set(scores) - set(rows))
    if unknown:
        raise InvalidInput("unknown_item", _("Unknown rubric item."), field=f"scores.{unknown[0]}")
    changed = []
    for code, entry in scores.items():
        row, field = rows[code], f"scores.{code}"
        try:
            awarded = Decimal(str(entry.awarded).strip())
        except (InvalidOperation, ValueError):
            raise InvalidInput("invalid_score", _("Enter a number of points."), field=field) from None
        if not awarded.is_finite() or awarded != awarded.quantize(_TENTH):
            raise InvalidInput("invalid_score", _("Enter a number of points with at most one decimal."),
                               field=field)
        if awarded < 0:
            raise InvalidInput("negative_score", _("A score cannot be negative."), field=field)
        if awarded > row.item.points:
            raise InvalidInput("over_points", _("At most %(points)s points for this item.")
                               % {"points": _points(row.item.points)}, field=field, points=_points(row.item.points))
        reason = _text(entry.reason, field, required=False)
        note = _text(entry.note, field, required=False)
        if awarded != row.suggested and not reason:
            raise InvalidInput("reason_required", _("Give the reason for a score that differs from the pre-filled "
                                                    "%(points)s.") % {"points": _points(row.suggested)}, field=field)
        if awarded == row.suggested:
            reason = ""
        if (awarded, reason, note) != (row.awarded, row.reason, row.note):
            row.awarded, row.reason, row.note = awarded, reason, note
            row.save(update_fields=["awarded", "reason", "note"])
            changed.append({"item": code, "awarded": _points(awarded), "suggested": _points(row.suggested),
                            "reason": reason})
    return changed


@transaction.atomic
def evaluation_score(*, evaluation_id, actor: User, scores: Mapping[str, ScoreInput],
                     comment: str | None = None) -> Evaluation:
    """Record item scores (评分) and the overall comment of an open evaluation."""
    evaluation = _lock(actor, evaluation_id)
    changed = _apply_scores(evaluation, scores)
    if comment is not None:
        evaluation.comment = _text(comment, "comment", required=False)
        evaluation.save(update_fields=["comment"])
    ledger_append(subject=evaluation.ref, action="evaluation.scored", actor=_actor(actor),
                  payload={"items": changed, "comment": evaluation.comment})
    return evaluation


@transaction.atomic
def evaluation_submit(*, evaluation_id, actor: User, scores: Mapping[str, ScoreInput] | None = None,
                      comment: str | None = None) -> Evaluation:
    """Submit the evaluation (提交评查结果): the score is the sum of the items, the grade follows
    the rubric's thresholds; the scores are final."""
    evaluation = _lock(actor, evaluation_id)
    changed = _apply_scores(evaluation, scores or {})
    if comment is not None:
        evaluation.comment = _text(comment, "comment", required=False)
    total = evaluation.scores.aggregate(t=Sum("awarded"))["t"] or Decimal(0)
    rubric = evaluation.rubric
    evaluation.score = Decimal(total).quantize(_TENTH)
    evaluation.grade = grade_of(evaluation.score, excellent_from=rubric.excellent_from, pass_from=rubric.pass_from)
    evaluation.status = EvaluationStatus.SUBMITTED
    evaluation.submitted_at = timezone.now()
    evaluation.save(update_fields=["comment", "score", "grade", "status", "submitted_at"])
    adjusted = [{"item": s.item.code, "awarded": _points(s.awarded), "suggested": _points(s.suggested),
                 "reason": s.reason}
                for s in evaluation.scores.select_related("item").filter(~Q(awarded=F("suggested")))
                .order_by("item__position")]
    ledger_append(subject=evaluation.ref, action="evaluation.submitted", actor=_actor(actor), payload={
        "score": _points(evaluation.score), "grade": evaluation.grade, "items": changed, "adjusted": adjusted,
        "comment": evaluation.comment, "rubric": {"code": rubric.code, "version": rubric.version},
    })
    return evaluation


# ------------------------------------------------------------------------------ rectification


@transaction.atomic
def rectification_issue(*, evaluation_id, actor: User, requirement: str, due_on: dt.date | None
                        ) -> EvaluationRectification:
    """Issue a rectification request (下发整改要求) to the handling unit of a submitted evaluation."""
    evaluation = _lock(actor, evaluation_id)
    if evaluation.status != EvaluationStatus.SUBMITTED:
        raise GuardRefused("evaluation_not_submitted", _("Submit the evaluation before requiring rectification."))
    requirement = _text(requirement, "requirement")
    if due_on is None:
        raise InvalidInput("required", _("This field is required."), field="due_on")
    if due_on < timezone.localdate():
        raise InvalidInput("past_date", _("The due date cannot be in the past."), field="due_on")
    rect = EvaluationRectification.objects.create(evaluation=evaluation, unit=evaluation.unit,
                                                  requirement=requirement, due_on=due_on, issued_by=actor)
    ledger_append(subject=evaluation.ref, action="evaluation.rectification_issued", actor=_actor(actor), payload={
        "rectification": rect.pk, "unit": evaluation.unit.code, "requirement": requirement,
        "due_on": due_on.isoformat()})
    return rect


def rectification_get(*, viewer: User, rectification_id) -> EvaluationRectification:
    try:
        pk = int(rectification_id)
    except (TypeError, ValueError):
        raise NotFound("rectification_not_found", _("No such rectification request.")) from None
    visible = Evaluation.objects.filter(evaluation_visible_q(viewer)).values("pk")
    rect = (EvaluationRectification.objects.filter(pk=pk, evaluation__in=visible)
            .select_related("evaluation", "evaluation__unit", "unit").first())
    if rect is None:
        raise NotFound("rectification_not_found", _("No such rectification request."))
    return rect


def _locked_rect(actor: User, rectification_id) -> EvaluationRectification:
    rect = rectification_get(viewer=actor, rectification_id=rectification_id)
    return (EvaluationRectification.objects.select_for_update()
            .select_related("evaluation", "evaluation__unit", "unit").get(pk=rect.pk))


@transaction.atomic
def rectification_reply(*, rectification_id, actor: User, reply: str) -> EvaluationRectification:
    """The handling unit replies with its rectification (报送整改情况): its head or the agency head."""
    rect = _locked_rect(actor, rectification_id)
    if not (actor.has_role(*HEAD_ROLES) and actor.unit is not None and unit_is_within(rect.unit, actor.unit)):
        raise PermissionDenied("not_unit_head", _("Only the head of the handling unit may reply."))
    if rect.status not in (RectificationStatus.PENDING, RectificationStatus.RETURNED):
        raise GuardRefused("reply_not_expected", _("A reply is not expected now: it was submitted or accepted."))
    reply = _text(reply, "reply")
    rect.status, rect.round, rect.reply = RectificationStatus.SUBMITTED, rect.round + 1, reply
    rect.replied_at, rect.replied_by = timezone.now(), actor
    rect.save(update_fields=["status", "round", "reply", "replied_at", "replied_by"])
    ledger_append(subject=rect.evaluation.ref, action="evaluation.rectification_replied", actor=_actor(actor),
                  payload={"rectification": rect.pk, "unit": rect.unit.code, "round": rect.round, "reply": reply,
                           "overdue": timezone.localdate() > rect.due_on})
    return rect


def _verdict(rectification_id, actor: User, comment: str, accept: bool) -> EvaluationRectification:
    rect = _locked_rect(actor, rectification_id)
    if not is_supervisor_over(actor, rect.evaluation.unit):
        raise PermissionDenied("not_supervisor", _("Only a supervisor of the handling unit may review the reply."))
    if rect.status != RectificationStatus.SUBMITTED:
        raise GuardRefused("no_reply", _("There is no reply to review."))
    comment = _text(comment, "comment", required=not accept)
    rect.status = RectificationStatus.ACCEPTED if accept else RectificationStatus.RETURNED
    rect.review_comment, rect.reviewed_at, rect.reviewed_by = comment, timezone.now(), actor
    rect.save(update_fields=["status", "review_comment", "reviewed_at", "reviewed_by"])
    ledger_append(subject=rect.evaluation.ref, action="evaluation.rectification_accepted" if accept
                  else "evaluation.rectification_returned", actor=_actor(actor),
                  payload={"rectification": rect.pk, "unit": rect.unit.code, "round": rect.round,
                           "comment": comment})
    return rect


@transaction.atomic
def rectification_accept(*, rectification_id, actor: User, comment: str = "") -> EvaluationRectification:
    """Accept the unit's rectification (整改验收通过)."""
    return _verdict(rectification_id, actor, comment, True)


@transaction.atomic
def rectification_return(*, rectification_id, actor: User, comment: str) -> EvaluationRectification:
    """Return the reply for more work (退回重新整改), with the reason."""
    return _verdict(rectification_id, actor, comment, False)


# ------------------------------------------------------------------------------ results


@dataclass(frozen=True)
class UnitResult:
    """Submitted evaluations of one unit (and the units below it) in a period."""

    unit: Unit
    own: bool
    count: int
    average: Decimal | None
    grades: dict[str, int]

    @property
    def grade_rows(self) -> list[tuple[str, str, int]]:
        return [(g.value, str(g.label), self.grades.get(g.value, 0)) for g in Grade]


@dataclass(frozen=True)
class Results:
    unit: Unit
    period: metrics.Period
    total: UnitResult
    groups: list[UnitResult]
    failing: list[dict]


def _average(total, count: int) -> Decimal | None:
    if not count:
        return None
    return (Decimal(total or 0) / Decimal(count)).quantize(_TENTH, ROUND_HALF_UP)


def submitted_in(viewer: User, unit: Unit, period: metrics.Period) -> QuerySet[Evaluation]:
    """Submitted evaluations of cases of ``unit`` and below, submitted in the period (local dates)."""
    return Evaluation.objects.filter(
        evaluation_visible_q(viewer), status=EvaluationStatus.SUBMITTED, unit__path__startswith=unit.path,
        submitted_at__gte=day_start(period.start), submitted_at__lt=day_start(period.end + dt.timedelta(days=1)))


def results(*, viewer: User, unit: Unit, period: metrics.Period, top: int = 10) -> Results:
    """Results per unit (评查结果): number of evaluations, average score (one decimal, half up),
    grade distribution — for the whole scope and for each unit directly below it (with
    everything below it) plus the unit's own cases — and the items most often marked down
    (扣分项: scored below their points), most frequent first."""
    qs = submitted_in(viewer, unit, period)
    groups = metrics.comparison_units(unit)

    def one(sub: QuerySet, u: Unit, own: bool) -> UnitResult:
        agg = sub.aggregate(n=Count("pk"), total=Sum("score"))
        grades = dict(sub.values_list("grade").annotate(n=Count("pk")).order_by("grade").values_list("grade", "n"))
        return UnitResult(u, own, agg["n"] or 0, _average(agg["total"], agg["n"] or 0), grades)

    rows = [one(qs.filter(unit__path__startswith=g.path), g, False) for g in groups]
    rows.append(one(qs.filter(unit=unit), unit, True))
    failing = list(EvaluationScore.objects.filter(evaluation__in=qs.values("pk"), awarded__lt=F("item__points"))
                   .values("item__code").annotate(n=Count("pk"), lost=Sum(F("item__points") - F("awarded")))
                   .order_by("-n", "item__code")[:top])
    titles = dict(RubricItem.objects.filter(code__in=[f["item__code"] for f in failing])
                  .order_by("code", "rubric__version").values_list("code", "title"))
    failing = [{"code": f["item__code"], "title": titles.get(f["item__code"], ""), "count": f["n"],
                "lost": Decimal(f["lost"]).quantize(_TENTH)} for f in failing]
    return Results(unit, period, one(qs, unit, False), rows, failing)
