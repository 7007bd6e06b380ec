"""Staff pages of case-file evaluation (案卷评查): the list, the evaluation form, the results
per unit.

Thin: a view parses a form, calls one service or selector of ``oversight.evaluation`` and
renders; a ``DomainError`` is shown next to the field it names; success redirects with a
message. Objects outside the viewer's scope are 404.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from sanxiang.accounts.constants import Role
from sanxiang.accounts.selectors import units_visible
from sanxiang.core.errors import DomainError, NotFound
from sanxiang.oversight import evaluation as ev
from sanxiang.oversight import selectors
from sanxiang.oversight.constants import RectificationStatus
from sanxiang.oversight.metrics import Period, PeriodError
from sanxiang.oversight.models_evaluation import EvaluationStatus, SampleMethod
from sanxiang.web.actions import status_of, submit_answer_or_verdict
from sanxiang.web.case_forms import TEXTAREA, DateInput, StepForm

TABS = [("open", _("Being scored")), ("submitted", _("Submitted")), ("rectifying", _("Rectification open")),
        ("all", _("All"))]


class OpenForm(StepForm):
    FIELD_MAP = {"case_id": "case_number"}
    case_number = forms.CharField(label=_("Case number"), max_length=40,
                                  help_text=_("A closed or archived case within your scope."))


class BatchForm(StepForm):
    FIELD_MAP = {"unit": "unit", "start": "start", "end": "end", "method": "method", "size": "size",
                 "case_ids": "case_numbers", "seed": "seed"}
    unit = forms.ChoiceField(label=_("Unit"))
    start = forms.DateField(label=_("Closed from"), widget=DateInput())
    end = forms.DateField(label=_("Closed until"), widget=DateInput())
    method = forms.ChoiceField(label=_("Sampling"), choices=SampleMethod.choices, widget=forms.RadioSelect,
                               initial=SampleMethod.RANDOM)
    size = forms.IntegerField(label=_("Number of cases to draw"), min_value=1, required=False)
    seed = forms.CharField(label=_("Random seed (optional)"), max_length=64, required=False,
                           help_text=_("The same seed draws the same cases again."))
    case_numbers = forms.CharField(label=_("Case numbers (chosen cases)"), required=False,
                                   widget=forms.Textarea(attrs=TEXTAREA), help_text=_("One per line."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.code, u.name) for u in units_visible(user).order_by("path")]


class CommentForm(StepForm):
    FIELD_MAP = {"comment": "comment"}
    comment = forms.CharField(label=_("Overall comment"), max_length=10000, required=False,
                              widget=forms.Textarea(attrs=TEXTAREA))


class RectificationForm(StepForm):
    FIELD_MAP = {"requirement": "requirement", "due_on": "due_on"}
    requirement = forms.CharField(label=_("Required rectification"), max_length=10000,
                                  widget=forms.Textarea(attrs=TEXTAREA))
    due_on = forms.DateField(label=_("Rectify by"), widget=DateInput())


class ReplyForm(StepForm):
    FIELD_MAP = {"reply": "reply"}
    reply = forms.CharField(label=_("Rectification reply"), max_length=10000, widget=forms.Textarea(attrs=TEXTAREA))


class VerdictForm(StepForm):
    FIELD_MAP = {"comment": "comment"}
    verdict = forms.ChoiceField(label=_("Verdict"), widget=forms.RadioSelect,
                                choices=[("accept", _("Accept")), ("return", _("Return for more work"))])
    comment = forms.CharField(label=_("Comment"), max_length=5000, required=False,
                              widget=forms.Textarea(attrs=TEXTAREA), help_text=_("Required when returning."))



def _evaluation(request, evaluation_id):
    try:
        return ev.evaluation_get(viewer=request.user, evaluation_id=evaluation_id)
    except NotFound:
        raise Http404 from None


def _scores_from(post) -> dict[str, ev.ScoreInput]:
    codes = [k.removeprefix("awarded-") for k in post if k.startswith("awarded-")]
    return {c: ev.ScoreInput(post.get(f"awarded-{c}", ""), post.get(f"reason-{c}", ""), post.get(f"note-{c}", ""))
            for c in codes}


def _detail(request, evaluation, *, bound: dict | None = None, score_error=None, posted=None, status=200):
    bound = bound or {}
    user = request.user
    today = timezone.localdate()
    supervises = selectors.is_supervisor_over(user, evaluation.unit)
    rects = []
    for r in evaluation.rectifications.select_related("replied_by", "reviewed_by", "issued_by").order_by("issued_at"):
        rects.append({
            "r": r, "overdue": r.is_overdue(today),
            "reply_form": (bound.get(("reply", r.pk)) or ReplyForm()) if ev.may_reply(user, r) else None,
            "verdict_form": ((bound.get(("verdict", r.pk)) or VerdictForm())
                             if supervises and r.status == RectificationStatus.SUBMITTED else None),
        })
    rows = ev.score_rows(evaluation)
    if posted:
        for row in rows:
            code = row["item"].code
            row["posted"] = {"awarded": posted.get(f"awarded-{code}", ""), "reason": posted.get(f"reason-{code}", ""),
                             "note": posted.get(f"note-{code}", "")}
    return render(request, "web/oversight/evaluation/detail.html", {
        "evaluation": evaluation, "rows": rows, "may_score": ev.may_score(user, evaluation),
        "score_error": score_error, "comment_form": bound.get("comment") or CommentForm(
            initial={"comment": evaluation.comment}),
        "may_issue": supervises and evaluation.status == EvaluationStatus.SUBMITTED,
        "rect_form": bound.get("rectification") or RectificationForm(), "rects": rects,
        "timeline": selectors.subject_timeline(evaluation.ref),
    }, status=status)


@login_required
@require_GET
def evaluation_list(request):
    """The evaluations in the viewer's scope (案卷评查列表), with the forms to open new ones."""
    state = request.GET.get("state") or "open"
    if state not in dict(TABS):
        state = "open"
    qs = ev.evaluation_list(viewer=request.user, state=None if state == "all" else state)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    is_supervisor = request.user.has_role(Role.SUPERVISOR)
    today = timezone.localdate()
    return render(request, "web/oversight/evaluation/list.html", {
        "page": page, "state": state, "tabs": TABS, "is_supervisor": is_supervisor,
        "open_form": OpenForm() if is_supervisor else None,
        "batch_form": BatchForm(user=request.user, initial={"start": today.replace(day=1), "end": today})
        if is_supervisor else None,
    })


@login_required
@require_http_methods(["POST"])
def evaluation_new(request):
    """Open the evaluation of one closed case (supervisors)."""
    if not request.user.has_role(Role.SUPERVISOR):
        raise Http404
    form = OpenForm(request.POST)
    if form.is_valid():
        try:
            case = ev.closed_case_by_number(viewer=request.user, number=form.cleaned_data["case_number"])
            evaluation = ev.evaluation_open(actor=request.user, case_id=case.pk)
        except DomainError as err:
            form.add_domain_error(err)
        else:
            messages.success(request, _("The evaluation was opened; the automatic checks pre-filled the items."))
            return redirect("web:evaluation", evaluation.pk)
    return _list_with(request, open_form=form)


def _list_with(request, **forms_):
    qs = ev.evaluation_list(viewer=request.user, state="open")
    page = Paginator(qs, 25).get_page(1)
    context = {"page": page, "state": "open", "tabs": TABS, "is_supervisor": True,
               "open_form": OpenForm(), "batch_form": BatchForm(user=request.user)}
    context.update(forms_)
    return render(request, "web/oversight/evaluation/list.html", context, status=400)


@login_required
@require_http_methods(["POST"])
def batch_new(request):
    """Open a batch: a random or chosen sample of a unit's closed cases (supervisors)."""
    if not request.user.has_role(Role.SUPERVISOR):
        raise Http404
    form = BatchForm(request.POST, user=request.user)
    if form.is_valid():
        d = form.cleaned_data
        try:
            ids = ev.case_ids_by_numbers(viewer=request.user, numbers=(d["case_numbers"] or "").split())
            batch = ev.batch_create(actor=request.user, data=ev.BatchInput(
                unit_code=d["unit"], start=d["start"], end=d["end"], method=d["method"], size=d["size"],
                case_ids=tuple(ids), seed=d["seed"]))
        except DomainError as err:
            form.add_domain_error(err)
        else:
            messages.success(request, _("Batch %(number)s: %(n)d evaluations opened.")
                             % {"number": batch.number, "n": batch.evaluations.count()})
            return redirect("web:evaluations")
    return _list_with(request, batch_form=form)


@login_required
@require_GET
def evaluation_detail(request, evaluation_id: int):
    """The evaluation form (评查表): items, automatic findings, scores; rectification."""
    return _detail(request, _evaluation(request, evaluation_id))


@login_required
@require_http_methods(["POST"])
def evaluation_scores(request, evaluation_id: int):
    """Save the scores, or save and submit (``submit`` in the form)."""
    evaluation = _evaluation(request, evaluation_id)
    comment = CommentForm(request.POST)
    comment.is_valid()
    scores = _scores_from(request.POST)
    submit = "submit" in request.POST
    try:
        run = ev.evaluation_submit if submit else ev.evaluation_score
        run(evaluation_id=evaluation.pk, actor=request.user, scores=scores,
            comment=comment.cleaned_data.get("comment", ""))
    except NotFound:
        raise Http404 from None
    except DomainError as err:
        field = (err.details or {}).get("field") or ""
        error = {"item": field.removeprefix("scores."), "message": str(err.message)}
        return _detail(request, _evaluation(request, evaluation_id), score_error=error, posted=request.POST,
                       bound={"comment": comment}, status=status_of(err))
    messages.success(request, _("The evaluation was submitted.") if submit else _("The scores were saved."))
    return redirect("web:evaluation", evaluation.pk)


@login_required
@require_http_methods(["POST"])
def rectification_new(request, evaluation_id: int):
    evaluation = _evaluation(request, evaluation_id)
    form = RectificationForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            ev.rectification_issue(evaluation_id=evaluation.pk, actor=request.user,
                                   requirement=form.cleaned_data["requirement"], due_on=form.cleaned_data["due_on"])
        except DomainError as err:
            form.add_domain_error(err)
            status = status_of(err)
        else:
            messages.success(request, _("The rectification request was issued."))
            return redirect("web:evaluation", evaluation.pk)
    return _detail(request, evaluation, bound={"rectification": form}, status=status)


def _rect_step(name: str):
    @login_required
    @require_http_methods(["POST"])
    def view(request, evaluation_id: int, rectification_id: int):
        evaluation = _evaluation(request, evaluation_id)
        form = ReplyForm(request.POST) if name == "reply" else VerdictForm(request.POST)
        status, message = submit_answer_or_verdict(
            form, {"rectification_id": rectification_id, "actor": request.user},
            answer=(ev.rectification_reply, "reply", _("The rectification reply was submitted."))
            if name == "reply" else None,
            accept=(ev.rectification_accept, _("The rectification was accepted.")),
            give_back=(ev.rectification_return, _("The rectification was returned.")))
        if status is None:
            messages.success(request, message)
            return redirect("web:evaluation", evaluation.pk)
        return _detail(request, evaluation, bound={(name, int(rectification_id)): form}, status=status)

    view.__name__ = f"rectification_{name}"
    return view


@login_required
@require_GET
def evaluation_results(request):
    """Results per unit (评查结果): average score, grades, the items most often marked down."""
    if not request.user.has_role(Role.SUPERVISOR):
        raise Http404
    units = list(units_visible(request.user).order_by("path"))
    if not units:
        raise Http404
    code = request.GET.get("unit") or (request.user.unit.code if request.user.unit else units[0].code)
    unit = next((u for u in units if u.code == code), units[0])
    errors, status = {}, 200
    try:
        period = Period.parse(request.GET.get("from"), request.GET.get("to"))
    except PeriodError as err:
        errors, status, period = {err.field: err.message}, 400, Period.default()
    out = ev.results(viewer=request.user, unit=unit, period=period)
    return render(request, "web/oversight/evaluation/results.html", {
        "results": out, "units": units, "unit": unit, "period": period, "errors": errors,
    }, status=status)


urlpatterns = [
    path("oversight/evaluations/", evaluation_list, name="evaluations"),
    path("oversight/evaluations/new/", evaluation_new, name="evaluation-new"),
    path("oversight/evaluations/batch/", batch_new, name="evaluation-batch"),
    path("oversight/evaluations/results/", evaluation_results, name="evaluation-results"),
    path("oversight/evaluations/<int:evaluation_id>/", evaluation_detail, name="evaluation"),
    path("oversight/evaluations/<int:evaluation_id>/scores/", evaluation_scores, name="evaluation-scores"),
    path("oversight/evaluations/<int:evaluation_id>/rectifications/", rectification_new,
         name="evaluation-rectification"),
    path("oversight/evaluations/<int:evaluation_id>/rectifications/<int:rectification_id>/reply/",
         _rect_step("reply"), name="evaluation-rectification-reply"),
    path("oversight/evaluations/<int:evaluation_id>/rectifications/<int:rectification_id>/verdict/",
         _rect_step("verdict"), name="evaluation-rectification-verdict"),
]
