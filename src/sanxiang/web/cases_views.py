"""Staff pages of cases and legal review (办案、法制审核).

Thin, as STYLE.md asks: a view parses (a form), calls one service or selector, renders. A
`DomainError` is shown on the form, next to the field it names; success redirects to the
case page (post/redirect/get) with a message. Which step forms the page offers is display
logic only (stage table and roles): the services still guard every step.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from sanxiang.accounts import selectors as accounts
from sanxiang.accounts.constants import Role
from sanxiang.accounts.services import actor_ref
from sanxiang.cases import selectors, selectors_ui, services
from sanxiang.cases.constants import ActivityKind, PartyResponseKind, Stage
from sanxiang.cases.rules import stages
from sanxiang.catalog.constants import CaseFlag, CaseKind, DecisionKind, PenaltyType
from sanxiang.core.errors import DomainError, NotFound
from sanxiang.core.identifiers import mask_id_number
from sanxiang.records.services_evidence import evidence_open
from sanxiang.review.constants import (
    APPROVED_STATUSES,
    REQUIRED_MATERIALS,
    Finding,
    OpinionResult,
    SubmissionStatus,
)
from sanxiang.web import case_forms as forms
from sanxiang.web.actions import status_of, submit

# ------------------------------------------------------------------------------------------ labels

#: Ledger actions of a case, as the timeline names them (全过程记录).
ACTION_LABELS = {
    "case.registered": _("Case filed"),
    "case.transition": _("Stage changed"),
    "case.proposed": _("Proposed decision recorded"),
    "case.flag_set": _("Flag set"),
    "case.party_response": _("Party's response recorded"),
    "case.recusal_declared": _("Recusal declared"),
    "case.decided": _("Decision made"),
    "case.noted": _("Note"),
    "activity.recorded": _("Activity recorded"),
    "activity.completed": _("Activity completed"),
    "evidence.registered": _("Evidence registered"),
    "evidence.annotated": _("Evidence annotated"),
    "evidence.accessed": _("Evidence viewed"),
    "review.submitted": _("Submitted for legal review"),
    "review.opinion_given": _("Legal review opinion given"),
    "review.escalated": _("Review disagreement escalated"),
    "review.settled": _("Disagreement settled by the agency head"),
    "review.withdrawn": _("Review withdrawn"),
    "collective_discussion.recorded": _("Collective discussion recorded"),
    "document.issued": _("Document issued"),
    "publication.scheduled": _("Publication scheduled"),
}

#: Legal time limits of a case (办案期限), by the name `cases.deadlines` gives them.
DEADLINE_LABELS = {
    "filing": _("Filing"),
    "decision": _("Decision"),
    "statement": _("Statement and defence period"),
    "hearing_request": _("Hearing request period"),
    "review": _("Legal review"),
    "service": _("Service of the decision"),
    "payment": _("Payment of the fine"),
}

PROVISIONAL_HELP = _("Provisional: the official holiday schedule of that year is not yet published, so the date "
                     "is computed on weekends and fixed-date holidays only and may still change.")


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def _timeline_rows(entries: list[dict]) -> list[dict]:
    """Who, when, what: the action's label and a short detail from its payload."""
    rows = []
    for entry in entries:
        try:
            payload = json.loads(entry["body"]).get("payload") or {}
        except (ValueError, AttributeError):
            payload = {}
        action = entry["action"]
        detail = ""
        if action == "case.transition":
            detail = f"{_label(Stage, payload.get('from'))} → {_label(Stage, payload.get('to'))}"
        elif action in ("activity.recorded", "activity.completed"):
            detail = _label(ActivityKind, payload.get("kind"))
        elif action in ("evidence.registered", "evidence.accessed", "evidence.annotated"):
            detail = f"#{payload.get('number', '')}"
        elif action == "case.party_response":
            detail = _label(PartyResponseKind, payload.get("kind"))
        elif action == "case.flag_set":
            detail = _label(CaseFlag, payload.get("flag"))
        elif action == "review.opinion_given":
            detail = _label(OpinionResult, payload.get("result"))
        elif action in ("case.decided", "document.issued"):
            detail = payload.get("document_number") or payload.get("title") or ""
        elif action == "case.registered":
            detail = payload.get("number", "")
        rows.append({"at": entry["at"], "who": entry["actor_name"], "what": ACTION_LABELS.get(action, action),
                     "detail": detail, "seq": entry["seq"]})
    return rows


# ------------------------------------------------------------------------------------------ display logic


def _within(user, case) -> bool:
    return user.unit is not None and case.unit.path.startswith(user.unit.path)


@dataclass
class Abilities:
    """Which step forms to offer this user on this case (display only; the services guard)."""

    handler: bool = False
    manages: bool = False
    steps: list[str] = field(default_factory=list)
    show_ids: bool = False

    def __contains__(self, step: str) -> bool:
        return step in self.steps


def abilities(case, user, reviews=(), discussions=()) -> Abilities:
    handler = any(h.user_id == user.pk for h in case.handlers.all())
    unit_head = user.has_role(Role.UNIT_HEAD) and _within(user, case)
    agency_head = user.has_role(Role.AGENCY_HEAD) and _within(user, case)
    manages = handler or unit_head
    records = manages and user.has_role(Role.OFFICER, Role.UNIT_HEAD)
    decided = getattr(case, "decision", None) is not None
    open_case = case.stage not in stages.TERMINAL and case.stage != Stage.CLOSED
    latest = reviews[-1].submission if reviews else None
    review_open = latest is not None and latest.status in (SubmissionStatus.PENDING, SubmissionStatus.ESCALATED)
    cleared = not case.major or (latest is not None and latest.status in APPROVED_STATUSES)
    steps = []
    if manages and _transition_targets(case):
        steps.append("transition")
    if open_case and user.has_role(Role.OFFICER, Role.UNIT_HEAD) and (manages or user.has_role(Role.OFFICER)):
        steps.append("activity")
    if open_case and records:
        steps.append("evidence")
    if (case.kind == CaseKind.PENALTY and manages and not decided
            and case.stage in (Stage.INVESTIGATING, Stage.EXAMINING, Stage.NOTIFIED, Stage.HEARING)):
        steps.append("proposal")
    if open_case and manages and not decided and {f.flag for f in case.flags.all()} != set(CaseFlag.values):
        steps.append("flag")
    if records and case.notified_on and not decided and open_case:
        steps.append("party-response")
    if manages and not review_open and case.stage in stages.REVIEWABLE_FROM.get(case.kind, ()):
        steps.append("review-submit")
    if manages and latest is not None and latest.status == SubmissionStatus.PROBLEMS:
        steps.append("escalate")
    decidable = not decided and case.stage in stages.DECIDABLE_FROM.get(case.kind, ())
    if agency_head and decidable and cleared and not discussions and not review_open:
        steps.append("collective")
    if decidable and cleared and not review_open and (agency_head or (unit_head and not case.major)):
        steps.append("decision")
    if open_case and (manages or agency_head):
        steps.append("recusal")
    show_ids = handler or unit_head or agency_head
    return Abilities(handler=handler, manages=manages, steps=steps, show_ids=show_ids)


def _transition_targets(case) -> list[str]:
    return [s for s in stages.allowed_next(case.kind, case.stage) if s not in stages.ENDPOINT_ONLY]


# ------------------------------------------------------------------------------------------ helpers


def _or_404(fn: Callable, **kwargs):
    try:
        return fn(**kwargs)
    except NotFound:
        raise Http404 from None



# ------------------------------------------------------------------------------------------ list, new, page


@login_required
@require_GET
def case_list(request):
    """Cases in my scope with filters and search (案件列表)."""
    form = forms.CaseFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.case_list(viewer=request.user, stage=filters.get("stage") or None,
                             kind=filters.get("kind") or None, q=filters.get("q") or None,
                             mine=bool(filters.get("mine")))
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "web/cases/list.html", {"form": form, "page": page, "query": query.urlencode(),
                                                   "can_file": request.user.has_role(Role.OFFICER, Role.UNIT_HEAD)})


@login_required
@require_http_methods(["GET", "POST"])
def case_new(request):
    """File a case (立案)."""
    form = forms.CaseCreateForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            case = services.case_create(
                actor=request.user, kind=d["kind"], title=d["title"], matter_code=d["matter_code"],
                facts=d["facts"], discovered_on=d["discovered_on"],
                parties=[services.PartyInput(**form.party())])
        except DomainError as err:
            form.add_domain_error(err)
            status = status_of(err)
        else:
            messages.success(request, _("Case %(number)s filed.") % {"number": case.number})
            return redirect("web:case", case.pk)
    return render(request, "web/cases/new.html", {"form": form}, status=status)


@login_required
@require_GET
def case_detail(request, case_id: int):
    """The case page: header, deadlines, parties, activities, evidence, reviews, decision, timeline."""
    page = _or_404(selectors_ui.case_page, viewer=request.user, case_id=case_id)
    case = page.case
    can = abilities(case, request.user, page.reviews, page.discussions)
    parties = [{"party": p, "id_number": p.id_number if can.show_ids else mask_id_number(p.id_number)}
               for p in case.parties.all()]
    today = timezone.localdate()
    deadlines = [{"item": d, "label": DEADLINE_LABELS.get(d.name, d.name),
                  "urgency": "met" if d.met_on else selectors.urgency(d.due_on, today)}
                 for d in case.deadlines.all()]
    return render(request, "web/cases/detail.html", {
        "case": case, "page": page, "can": can, "parties": parties, "deadlines": deadlines,
        "actions": [{"name": n, "title": STEPS[n].title, "url": reverse(f"web:case-step-{n}", args=[case.pk])}
                    for n in can.steps],
        "timeline": _timeline_rows(page.timeline), "provisional_help": PROVISIONAL_HELP,
        "any_provisional": any(d["item"].provisional for d in deadlines),
        "decision": getattr(case, "decision", None),
        "penalty_labels": dict(PenaltyType.choices),
        "finding_labels": dict(Finding.choices),
    })


# ------------------------------------------------------------------------------------------ steps


@dataclass(frozen=True)
class Step:
    """A step form: its form, how to build it for the case, the one service it calls."""

    name: str
    title: object
    form: type
    run: Callable  # (request, case, form) -> None; calls exactly one service
    success: object
    kwargs: Callable = lambda request, case: {}
    initial: Callable = lambda case: {}
    multipart: bool = False


def _run_transition(request, case, form):
    services.case_transition(case_id=case.pk, actor=request.user, to=form.cleaned_data["to"],
                             note=form.cleaned_data["note"])


def _run_activity(request, case, form):
    d = form.cleaned_data
    services.activity_record(case_id=case.pk, actor=request.user, kind=d["kind"], occurred_at=d["occurred_at"],
                             officer_ids=d["officer_ids"], place=d["place"], notes=d["notes"])


def _run_party_response(request, case, form):
    d = form.cleaned_data
    services.party_response_record(case_id=case.pk, actor=request.user, kind=d["kind"],
                                   received_on=d["received_on"], text=d["text"])


def _run_flag(request, case, form):
    services.case_flag_set(case_id=case.pk, actor=request.user, flag=form.cleaned_data["flag"],
                           reason=form.cleaned_data["reason"])


def _run_proposal(request, case, form):
    d = form.cleaned_data
    services.case_propose(case_id=case.pk, actor=request.user, penalty_types=d["penalty_types"],
                          fine_amount=d["fine_amount"], confiscation_amount=d["confiscation_amount"],
                          legal_basis=d["legal_basis"])


def _run_review_submit(request, case, form):
    services.case_submit_review(case_id=case.pk, actor=request.user, materials=form.cleaned_data["materials"],
                                note=form.cleaned_data["note"])


def _latest_review_id(case):
    status = selectors_ui.latest_review(case)
    return status.submission.pk if status.submission else None


def _run_escalate(request, case, form):
    services.case_review_escalate(review_id=_latest_review_id(case), actor=request.user,
                                  reason=form.cleaned_data["reason"])


def _run_collective(request, case, form):
    d = form.cleaned_data
    services.case_collective_discussion(case_id=case.pk, actor=request.user, held_on=d["held_on"],
                                        attendee_ids=[int(a) for a in d["attendees"]],
                                        conclusion=d["conclusion"], opinions=d["opinions"])


def _run_decision(request, case, form):
    d = form.cleaned_data
    services.case_decide(case_id=case.pk, actor=request.user, draft=services.DecisionDraft(
        kind=d["kind"], decided_on=d["decided_on"], legal_basis=d["legal_basis"], facts=d["facts"],
        conclusion=d["conclusion"], penalty_types=tuple(d["penalty_types"]), fine_amount=d["fine_amount"],
        confiscation_amount=d["confiscation_amount"]))


def _run_recusal(request, case, form):
    services.case_recusal_declare(case_id=case.pk, actor=request.user, user_id=int(form.cleaned_data["user_id"]),
                                  reason=form.cleaned_data["reason"])


def _run_evidence(request, case, form):
    d = form.cleaned_data
    upload = d["file"]
    services.case_evidence_add(
        case_id=case.pk, actor=request.user, stream=upload, kind=d["kind"], description=d["description"],
        speakers=d["speakers"], recorded_at=d["recorded_at"], activity_id=d["activity_id"] or "",
        device=d["device"], filename=upload.name or "", claimed_content_type=upload.content_type or "")


def _decision_initial(case):
    kind = {CaseKind.PENALTY: DecisionKind.PENALTY, CaseKind.PERMIT: DecisionKind.PERMIT,
            CaseKind.COERCION: DecisionKind.COERCION}.get(case.kind, DecisionKind.OTHER)
    return {"kind": kind, "penalty_types": case.proposed_penalty_types, "fine_amount": case.proposed_fine_amount,
            "confiscation_amount": case.proposed_confiscation_amount, "legal_basis": case.proposed_legal_basis,
            "facts": case.facts}


def _recusal_people(request, case):
    people = {h.user.pk: h.user for h in case.handlers.all()}
    people.setdefault(request.user.pk, request.user)
    return {"people": list(people.values())}


STEPS: dict[str, Step] = {s.name: s for s in [
    Step("transition", _("Change stage"), forms.TransitionForm, _run_transition, _("The stage was changed."),
         kwargs=lambda request, case: {"targets": _transition_targets(case)}),
    Step("activity", _("Record an activity"), forms.ActivityForm, _run_activity, _("The activity was recorded."),
         kwargs=lambda request, case: {"officers": accounts.officer_list(viewer=request.user)}),
    Step("evidence", _("Add evidence"), forms.EvidenceForm, _run_evidence, _("The evidence was registered."),
         kwargs=lambda request, case: {"activities": case.activities.all()}, multipart=True),
    Step("party-response", _("Record the party's response"), forms.PartyResponseForm, _run_party_response,
         _("The party's response was recorded.")),
    Step("flag", _("Set a flag"), forms.FlagForm, _run_flag, _("The flag was set.")),
    Step("proposal", _("Proposed decision"), forms.ProposalForm, _run_proposal,
         _("The proposed decision was recorded."),
         initial=lambda case: {"penalty_types": case.proposed_penalty_types,
                               "fine_amount": case.proposed_fine_amount,
                               "confiscation_amount": case.proposed_confiscation_amount,
                               "legal_basis": case.proposed_legal_basis}),
    Step("review-submit", _("Submit for legal review"), forms.ReviewSubmitForm, _run_review_submit,
         _("The case was submitted for legal review."),
         initial=lambda case: {"materials": list(REQUIRED_MATERIALS)}),
    Step("escalate", _("Escalate the disagreement"), forms.EscalateForm, _run_escalate,
         _("The disagreement was escalated to the agency head.")),
    Step("collective", _("Record the collective discussion"), forms.CollectiveDiscussionForm, _run_collective,
         _("The collective discussion was recorded."),
         kwargs=lambda request, case: {"people": [u for u in selectors_ui.discussion_attendee_choices(case)
                                                  if u.pk != request.user.pk]}),
    Step("decision", _("Make the decision"), forms.DecisionForm, _run_decision, _("The decision was made."),
         initial=_decision_initial),
    Step("recusal", _("Declare a recusal"), forms.RecusalForm, _run_recusal, _("The recusal was recorded."),
         kwargs=_recusal_people),
]}


def _step_view(step: Step):
    @login_required
    @require_http_methods(["GET", "POST"])
    def view(request, case_id: int):
        case = _or_404(selectors.case_get, viewer=request.user, case_id=case_id)
        kwargs = step.kwargs(request, case)
        if request.method == "POST":
            form = step.form(request.POST, request.FILES if step.multipart else None, **kwargs)
        else:
            form = step.form(initial=step.initial(case), **kwargs)
        status = 200
        if request.method == "POST" and form.is_valid():
            try:
                step.run(request, case, form)
            except NotFound:
                raise Http404 from None
            except DomainError as err:
                form.add_domain_error(err)
                status = status_of(err)
            else:
                messages.success(request, step.success)
                return redirect("web:case", case.pk)
        elif request.method == "POST":
            status = 400
        return render(request, "web/cases/step.html", {
            "case": case, "step": step, "form": form, "action": request.path}, status=status)

    view.__name__ = f"case_step_{step.name.replace('-', '_')}"
    view.__doc__ = f"Step form: {step.name}."
    return view


@login_required
@require_http_methods(["GET", "POST"])
def activity_complete(request, case_id: int, activity_id: int):
    """Mark an activity complete (a confirmation form; refused without the required video)."""
    case = _or_404(selectors.case_get, viewer=request.user, case_id=case_id)
    activity = next((a for a in case.activities.all() if a.pk == activity_id), None)
    if activity is None:
        raise Http404
    form = forms.ActivityCompleteForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_complete(case_id=case.pk, activity_id=activity.pk, actor=request.user)
        except NotFound:
            raise Http404 from None
        except DomainError as err:
            form.add_domain_error(err)
            status = status_of(err)
        else:
            messages.success(request, _("The activity was marked complete."))
            return redirect("web:case", case.pk)
    step = Step("activity-complete", _("Complete the activity"), forms.ActivityCompleteForm, None,
                _("The activity was marked complete."))
    return render(request, "web/cases/step.html", {"case": case, "step": step, "form": form, "activity": activity,
                                                    "action": request.path}, status=status)


# ------------------------------------------------------------------------------------------ files


INLINE_PREFIXES = ("image/", "audio/", "video/")


def _file_response(fh, content_type: str, filename: str, *, inline: bool | None = None) -> FileResponse:
    if inline is None:
        inline = content_type.startswith(INLINE_PREFIXES) or content_type == "application/pdf"
    response = FileResponse(fh, content_type=content_type, as_attachment=not inline, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
@require_GET
def evidence_content(request, case_id: int, evidence_id: int):
    """Stream an evidence file for preview; every read is written to the access log (调阅记录)."""
    evidence = _or_404(selectors_ui.case_evidence_get, viewer=request.user, case_id=case_id,
                       evidence_id=evidence_id)
    try:
        fh = evidence_open(evidence_id=evidence.pk, actor=actor_ref(request.user), purpose="preview")
    except DomainError as err:
        return render(request, "web/cases/file_error.html", {"message": err.message}, status=err.status)
    content_type = evidence.sniffed_content_type or "application/octet-stream"
    return _file_response(fh, content_type, evidence.filename or f"evidence-{evidence.number}")


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
@require_GET
def document_download(request, case_id: int, document_id: int):
    """Download an issued document (已出具文书) of a case the viewer may see."""
    doc = _or_404(selectors_ui.issued_document_get, viewer=request.user, case_id=case_id, document_id=document_id)
    try:
        opened = selectors_ui.issued_document_open(doc)
    except DomainError as err:
        return render(request, "web/cases/file_error.html", {"message": err.message}, status=err.status)
    content_type = DOCX if opened.content_type in ("application/zip", "application/octet-stream") else opened.content_type
    extension = {DOCX: "docx", "application/pdf": "pdf", "application/ofd": "ofd"}.get(content_type, "bin")
    name = f"{doc.document_number or doc.title}-v{doc.version}.{extension}"
    return _file_response(opened.file, content_type, name, inline=content_type == "application/pdf")


# ------------------------------------------------------------------------------------------ legal review


@login_required
@require_GET
def review_queue(request):
    """The review queue (待审队列) of a legal-unit reviewer; escalations for agency heads."""
    bench = selectors_ui.workbench(viewer=request.user)
    return render(request, "web/cases/review_queue.html", {"reviews": bench.reviews, "escalations": bench.escalations,
                                                           "provisional_help": PROVISIONAL_HELP})


def _review_context(request, submission, form, settle_form=None):
    case_id = int(submission.subject.split(":", 1)[1]) if submission.subject.startswith("case:") else None
    is_reviewer = request.user.has_role(Role.REVIEWER) and submission.status == SubmissionStatus.PENDING
    can_settle = request.user.has_role(Role.AGENCY_HEAD) and submission.status == SubmissionStatus.ESCALATED
    return {"submission": submission, "case_id": case_id, "form": form if is_reviewer else None,
            "settle_form": (settle_form or forms.SettleForm()) if can_settle else None,
            "penalty_labels": dict(PenaltyType.choices), "materials": submission.materials,
            "opinion": getattr(submission, "opinion", None) if _has(submission, "opinion") else None,
            "finding_labels": dict(Finding.choices), "provisional_help": PROVISIONAL_HELP}


def _has(obj, name) -> bool:
    try:
        return getattr(obj, name) is not None
    except Exception:  # RelatedObjectDoesNotExist
        return False


@login_required
@require_http_methods(["GET", "POST"])
def review_detail(request, review_id: int):
    """A review round with the proposal under review and the opinion form (审核意见)."""
    submission = _or_404(selectors_ui.review_with_case, viewer=request.user, review_id=review_id)
    form = forms.OpinionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = submit(form, lambda: services.case_review_opinion(
            review_id=submission.pk, reviewer=request.user, result=form.cleaned_data["result"],
            findings=form.findings(), text=form.cleaned_data["text"]))
        if status is None:
            messages.success(request, _("The review opinion was recorded."))
            return redirect("web:case", int(submission.subject.split(":", 1)[1]))
    return render(request, "web/cases/review.html", _review_context(request, submission, form), status=status)


@login_required
@require_http_methods(["POST"])
def review_settle(request, review_id: int):
    """The agency head settles an escalated disagreement (协调决定)."""
    submission = _or_404(selectors_ui.review_with_case, viewer=request.user, review_id=review_id)
    settle_form = forms.SettleForm(request.POST)
    status = submit(settle_form, lambda: services.case_review_settle(
        review_id=submission.pk, actor=request.user, settlement=settle_form.cleaned_data["settlement"],
        text=settle_form.cleaned_data["text"]))
    if status is None:
        messages.success(request, _("The disagreement was settled."))
        return redirect("web:case", int(submission.subject.split(":", 1)[1]))
    context = _review_context(request, submission, forms.OpinionForm(), settle_form)
    context["settle_form"] = settle_form
    return render(request, "web/cases/review.html", context, status=status)


# ------------------------------------------------------------------------------------------ urls

urlpatterns = [
    path("cases/", case_list, name="module-cases"),
    path("cases/new/", case_new, name="case-new"),
    path("cases/<int:case_id>/", case_detail, name="case"),
    *[path(f"cases/<int:case_id>/{name}/", _step_view(step), name=f"case-step-{name}")
      for name, step in STEPS.items()],
    path("cases/<int:case_id>/activities/<int:activity_id>/complete/", activity_complete,
         name="case-step-activity-complete"),
    path("cases/<int:case_id>/evidence/<int:evidence_id>/content", evidence_content, name="evidence-content"),
    path("cases/<int:case_id>/documents/<int:document_id>/download", document_download, name="document-download"),
    path("reviews/", review_queue, name="module-review"),
    path("reviews/<int:review_id>/", review_detail, name="review"),
    path("reviews/<int:review_id>/settle/", review_settle, name="review-settle"),
]
