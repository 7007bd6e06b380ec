"""Staff pages of oversight (考核监督): complaints (投诉举报) and supervision notices (督查通报).

Thin, as STYLE.md asks: a view parses a form, calls one service or selector and renders. A
`DomainError` is shown on the form next to the field it names; success redirects (post/
redirect/get) with a message. Which forms a page offers is display logic only; the services
guard every step. Objects outside the viewer's scope are 404.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

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

from sanxiang.accounts.constants import Role, UnitKind
from sanxiang.accounts.selectors import units_visible
from sanxiang.cases.selectors import urgency
from sanxiang.core.errors import DomainError, NotFound
from sanxiang.oversight import selectors, services
from sanxiang.oversight.constants import STAFF_CHANNELS, ComplaintStatus, RectificationStatus
from sanxiang.web.actions import status_of, submit, submit_answer_or_verdict
from sanxiang.web.case_forms import TEXTAREA, DateInput, StepForm
from sanxiang.web.cases_views import PROVISIONAL_HELP

TABS = [
    ("open", _("Open")),
    ("overdue", _("Overdue")),
    ("mine", _("Assigned to me")),
    ("replied", _("Replied")),
    ("closed", _("Closed")),
    ("all", _("All")),
]


# ------------------------------------------------------------------------------------------ forms


class ComplaintEntryForm(StepForm):
    """A complaint received by phone, letter, visit or e-mail (登记投诉举报)."""

    FIELD_MAP = {"unit": "unit", "received_on": "received_on", "channel": "channel"}

    channel = forms.ChoiceField(label=_("Received by"), choices=STAFF_CHANNELS)
    received_on = forms.DateField(label=_("Received on"), widget=DateInput())
    unit = forms.ChoiceField(label=_("Bureau or district concerned"))
    officer_certificate = forms.CharField(label=_("Officer's certificate number (optional)"), max_length=32,
                                          required=False)
    case_reference = forms.CharField(label=_("Case or decision number (optional)"), max_length=60, required=False)
    facts = forms.CharField(label=_("What happened"), max_length=10000, widget=forms.Textarea(attrs=TEXTAREA))
    anonymous = forms.BooleanField(label=_("Anonymous"), required=False)
    name = forms.CharField(label=_("Complainant's name"), max_length=50, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    id_number = forms.CharField(label=_("Resident ID number (optional)"), max_length=18, required=False)
    email = forms.CharField(label=_("E-mail (optional)"), max_length=120, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = units_visible(user).filter(kind=UnitKind.BUREAU, active=True).order_by("path")
        self.fields["unit"].choices = [(u.code, u.name) for u in units]

    def as_input(self) -> services.ComplaintInput:
        d = self.cleaned_data
        return services.ComplaintInput(
            unit_code=d["unit"], facts=d["facts"], anonymous=d["anonymous"], name=d["name"], phone=d["phone"],
            id_number=d["id_number"], email=d["email"], officer_certificate=d["officer_certificate"],
            case_reference=d["case_reference"])


class AssignForm(StepForm):
    handler = forms.TypedChoiceField(label=_("Handler"), coerce=int)

    def __init__(self, *args, complaint=None, **kwargs):
        super().__init__(*args, **kwargs)
        users = selectors.handler_choices(complaint) if complaint is not None else []
        self.fields["handler"].choices = [(u.pk, f"{u.full_name} · {u.unit.name}") for u in users]


class NoteForm(StepForm):
    FIELD_MAP = {"text": "text"}
    text = forms.CharField(label=_("Handling note"), max_length=10000, widget=forms.Textarea(attrs=TEXTAREA),
                           help_text=_("Notes are internal and can never be changed or removed."))


class LinkCaseForm(StepForm):
    FIELD_MAP = {"case_number": "case_number"}
    case_number = forms.CharField(label=_("Case number"), max_length=40,
                                  help_text=_("A case within your scope."))


class ReplyForm(StepForm):
    FIELD_MAP = {"text": "text"}
    text = forms.CharField(label=_("Reply (public)"), max_length=10000, widget=forms.Textarea(attrs=TEXTAREA),
                           help_text=_("Shown to the complainant on the status page. Write no personal data."))


class CloseForm(StepForm):
    """A confirmation."""


class NoticeForm(StepForm):
    FIELD_MAP = {"title": "title", "findings": "findings", "required_rectification": "required_rectification",
                 "due_on": "due_on", "units": "units"}

    title = forms.CharField(label=_("Title"), max_length=200)
    findings = forms.CharField(label=_("Findings"), max_length=10000, widget=forms.Textarea(attrs=TEXTAREA))
    required_rectification = forms.CharField(label=_("Required rectification"), max_length=10000,
                                             widget=forms.Textarea(attrs=TEXTAREA))
    due_on = forms.DateField(label=_("Rectify by"), widget=DateInput())
    units = forms.MultipleChoiceField(label=_("Units"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = units_visible(user).exclude(pk=user.unit_id).order_by("path") if user.unit_id else []
        self.fields["units"].choices = [(u.code, u.name) for u in units]


class ReportForm(StepForm):
    FIELD_MAP = {"report": "report"}
    report = forms.CharField(label=_("Rectification report"), max_length=10000,
                             widget=forms.Textarea(attrs=TEXTAREA))


class ReviewForm(StepForm):
    FIELD_MAP = {"comment": "comment"}
    verdict = forms.ChoiceField(label=_("Verdict"), widget=forms.RadioSelect,
                                choices=[("accept", _("Accept")), ("return", _("Return for more work"))])
    comment = forms.CharField(label=_("Comment"), max_length=5000, required=False,
                              widget=forms.Textarea(attrs=TEXTAREA),
                              help_text=_("Required when returning the report."))


# ------------------------------------------------------------------------------------------ helpers



def _complaint(request, complaint_id):
    try:
        return selectors.complaint_get(viewer=request.user, complaint_id=complaint_id)
    except NotFound:
        raise Http404 from None


def _notice(request, notice_id):
    try:
        return selectors.notice_get(viewer=request.user, notice_id=notice_id)
    except NotFound:
        raise Http404 from None


def _complaint_context(request, complaint, bound: dict | None = None) -> dict:
    bound = bound or {}
    user = request.user
    today = timezone.localdate()
    is_open = complaint.status != ComplaintStatus.CLOSED
    handles = selectors.may_handle(user, complaint) and is_open
    return {
        "complaint": complaint,
        "identity": selectors.complainant_for(user, complaint),
        "overdue": complaint.is_overdue(today),
        "urgency": urgency(complaint.due_on, today) if complaint.status in ("received", "handling") else "",
        "notes": complaint.notes.select_related("author").order_by("created_at", "id"),
        "links": complaint.case_links.select_related("case", "case__unit").order_by("linked_at"),
        "timeline": selectors.subject_timeline(complaint.ref),
        "may_assign": is_open and selectors.is_supervisor_over(user, complaint.unit),
        "may_handle": handles,
        "may_reply": handles and complaint.handler_id is not None,
        "may_close": handles and complaint.status == ComplaintStatus.REPLIED,
        "assign_form": bound.get("assign") or AssignForm(complaint=complaint,
                                                         initial={"handler": complaint.handler_id}),
        "note_form": bound.get("note") or NoteForm(),
        "link_form": bound.get("link") or LinkCaseForm(),
        "reply_form": bound.get("reply") or ReplyForm(initial={"text": complaint.reply}),
        "close_form": bound.get("close") or CloseForm(),
        "provisional_help": PROVISIONAL_HELP,
    }


def _notice_context(request, notice, bound: dict | None = None) -> dict:
    bound = bound or {}
    user = request.user
    today = timezone.localdate()
    supervises = selectors.is_notice_supervisor(user, notice)
    rows = []
    for r in selectors.notice_recipients_for(user, notice):
        may_report = selectors.may_report_for(user, r) and r.status in (RectificationStatus.PENDING,
                                                                          RectificationStatus.RETURNED)
        may_review = supervises and r.status == RectificationStatus.SUBMITTED
        rows.append({
            "r": r, "overdue": r.is_overdue(today),
            "report_form": (bound.get(("report", r.unit.code)) or ReportForm()) if may_report else None,
            "review_form": (bound.get(("review", r.unit.code)) or ReviewForm()) if may_review else None,
        })
    return {"notice": notice, "rows": rows, "progress": selectors.notice_progress(notice, today),
            "timeline": selectors.subject_timeline(notice.ref)}


# ------------------------------------------------------------------------------------------ pages


@login_required
@require_GET
def module(request):
    """The oversight module (考核监督): complaints with due dates and overdue, supervision notices."""
    state = request.GET.get("state") or "open"
    if state not in dict(TABS):
        state = "open"
    qs = selectors.complaint_list(viewer=request.user, state=None if state == "all" else state)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [{"c": c, "overdue": c.is_overdue(today),
             "urgency": urgency(c.due_on, today) if c.status in ("received", "handling") else ""} for c in page]
    notices = [{"n": n, "progress": selectors.notice_progress(n, today)}
               for n in selectors.notice_list(viewer=request.user)[:20]]
    return render(request, "web/oversight/module.html", {
        "page": page, "rows": rows, "state": state, "tabs": TABS, "notices": notices,
        "is_supervisor": request.user.has_role(Role.SUPERVISOR), "provisional_help": PROVISIONAL_HELP,
        "any_provisional": any(r["c"].due_provisional for r in rows),
    })


@login_required
@require_http_methods(["GET", "POST"])
def complaint_new(request):
    """Register a complaint received by phone, letter, visit or e-mail (supervisors)."""
    if not request.user.has_role(Role.SUPERVISOR):
        raise Http404
    form = ComplaintEntryForm(request.POST or None, user=request.user,
                              initial={"received_on": timezone.localdate()})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                filed = services.complaint_file(data=form.as_input(), channel=form.cleaned_data["channel"],
                                                actor=request.user, received_on=form.cleaned_data["received_on"])
            except DomainError as err:
                form.add_domain_error(err)
                status = status_of(err)
            else:
                messages.success(request, _("The complaint was registered. Tracking code for the complainant "
                                            "(shown only now): %(code)s") % {"code": filed.tracking_code})
                return redirect("web:complaint", filed.complaint.pk)
    return render(request, "web/oversight/complaint_new.html", {"form": form}, status=status)


@login_required
@require_GET
def complaint_detail(request, complaint_id: int):
    complaint = _complaint(request, complaint_id)
    return render(request, "web/oversight/complaint_detail.html", _complaint_context(request, complaint))


@dataclass(frozen=True)
class Step:
    name: str
    form: type
    run: Callable  # (request, complaint, form) -> None; calls exactly one service
    success: object
    needs_complaint: bool = False


COMPLAINT_STEPS: dict[str, Step] = {s.name: s for s in [
    Step("assign", AssignForm, lambda r, c, f: services.complaint_assign(
        complaint_id=c.pk, actor=r.user, handler_id=f.cleaned_data["handler"]),
        _("The handler was assigned."), needs_complaint=True),
    Step("note", NoteForm, lambda r, c, f: services.complaint_add_note(
        complaint_id=c.pk, actor=r.user, text=f.cleaned_data["text"]), _("The note was added.")),
    Step("link", LinkCaseForm, lambda r, c, f: services.complaint_link_case(
        complaint_id=c.pk, actor=r.user, case_number=f.cleaned_data["case_number"]), _("The case was linked.")),
    Step("reply", ReplyForm, lambda r, c, f: services.complaint_reply(
        complaint_id=c.pk, actor=r.user, text=f.cleaned_data["text"]), _("The reply was recorded.")),
    Step("close", CloseForm, lambda r, c, f: services.complaint_close(complaint_id=c.pk, actor=r.user),
         _("The complaint was closed.")),
]}


def _complaint_step(step: Step):
    @login_required
    @require_http_methods(["POST"])
    def view(request, complaint_id: int):
        complaint = _complaint(request, complaint_id)
        form = step.form(request.POST, complaint=complaint) if step.needs_complaint else step.form(request.POST)
        status = submit(form, lambda: step.run(request, complaint, form))
        if status is None:
            messages.success(request, step.success)
            return redirect("web:complaint", complaint.pk)
        complaint = _complaint(request, complaint.pk)
        return render(request, "web/oversight/complaint_detail.html",
                      _complaint_context(request, complaint, {step.name: form}), status=status)

    view.__name__ = f"complaint_step_{step.name}"
    view.__doc__ = f"Step form: {step.name}."
    return view


@login_required
@require_http_methods(["GET", "POST"])
def notice_new(request):
    """Issue a supervision notice (supervisors)."""
    if not request.user.has_role(Role.SUPERVISOR):
        raise Http404
    form = NoticeForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            try:
                notice = services.notice_issue(actor=request.user, title=d["title"], findings=d["findings"],
                                               required_rectification=d["required_rectification"],
                                               due_on=d["due_on"], unit_codes=d["units"])
            except DomainError as err:
                form.add_domain_error(err)
                status = status_of(err)
            else:
                messages.success(request, _("The notice was issued."))
                return redirect("web:notice", notice.pk)
    return render(request, "web/oversight/notice_new.html", {"form": form}, status=status)


@login_required
@require_GET
def notice_detail(request, notice_id: int):
    notice = _notice(request, notice_id)
    return render(request, "web/oversight/notice_detail.html", _notice_context(request, notice))


def _notice_step(name: str):
    @login_required
    @require_http_methods(["POST"])
    def view(request, notice_id: int, unit_code: str):
        notice = _notice(request, notice_id)
        form = ReportForm(request.POST) if name == "report" else ReviewForm(request.POST)
        status, message = submit_answer_or_verdict(
            form, {"notice_id": notice.pk, "unit_code": unit_code, "actor": request.user},
            answer=(services.notice_submit_report, "report", _("The rectification report was submitted."))
            if name == "report" else None,
            accept=(services.notice_accept_report, _("The report was accepted.")),
            give_back=(services.notice_return_report, _("The report was returned.")))
        if status is None:
            messages.success(request, message)
            return redirect("web:notice", notice.pk)
        return render(request, "web/oversight/notice_detail.html",
                      _notice_context(request, notice, {(name, unit_code): form}), status=status)

    view.__name__ = f"notice_step_{name}"
    return view


# ------------------------------------------------------------------------------------------ urls

urlpatterns = [
    path("oversight/", module, name="module-oversight"),
    path("oversight/complaints/new/", complaint_new, name="complaint-new"),
    path("oversight/complaints/<int:complaint_id>/", complaint_detail, name="complaint"),
    *[path(f"oversight/complaints/<int:complaint_id>/{name}/", _complaint_step(step), name=f"complaint-{name}")
      for name, step in COMPLAINT_STEPS.items()],
    path("oversight/notices/new/", notice_new, name="notice-new"),
    path("oversight/notices/<int:notice_id>/", notice_detail, name="notice"),
    path("oversight/notices/<int:notice_id>/<slug:unit_code>/report/", _notice_step("report"), name="notice-report"),
    path("oversight/notices/<int:notice_id>/<slug:unit_code>/review/", _notice_step("review"), name="notice-review"),
]
