"""Staff pages of the publication queue (公示队列): queue, redaction preview, publish / correct / withdraw.

Thin, as STYLE.md asks: a view parses a form, calls one service or selector, renders. A
`DomainError` is shown on the form next to the field it names; success redirects to the
item page (post/redirect/get) with a message. Which forms the page offers is display logic
only (谁执法谁公示: the publisher of the deciding unit or of a unit above it); the services
still guard every step.
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

from sanxiang.accounts.constants import Role
from sanxiang.accounts.models import Unit
from sanxiang.cases.selectors import urgency
from sanxiang.core.errors import DomainError, NotFound
from sanxiang.disclosure import selectors, services
from sanxiang.disclosure.models import LIVE_STATES, PublicationState, WithdrawalEvent
from sanxiang.disclosure.rules.policy import CATEGORIES
from sanxiang.disclosure.rules.public_record import CORRECTABLE_FIELDS
from sanxiang.web.actions import submit
from sanxiang.web.case_forms import TEXTAREA, DateInput, StepForm
from sanxiang.web.cases_views import PROVISIONAL_HELP

# ------------------------------------------------------------------------------------------ labels

CATEGORY_LABELS = {
    "id_number": _("ID number"),
    "bank_account": _("Bank account"),
    "phone": _("Phone number"),
    "email": _("E-mail address"),
    "birth_date": _("Date of birth"),
    "health": _("Health information"),
    "biometric": _("Biometric information"),
    "whereabouts": _("Whereabouts"),
    "address": _("Home address"),
    "property_certificate": _("Property certificate number"),
    "financial_status": _("Financial status"),
    "other_person_name": _("Name of another person"),
    "party_name": _("Name of a natural-person party"),
    "other": _("Other"),
}

SOURCE_LABELS = {
    "known": _("a personal value of the case"),
    "pattern": _("detected by pattern"),
    "manual": _("manual redaction"),
    "policy": _("field rule of the policy"),
}

FIELD_LABELS = {
    "title": _("Title"),
    "decision_number": _("Decision number"),
    "penalty_types": _("Penalty types (codes, comma separated)"),
    "fine_amount": _("Fine (yuan)"),
    "confiscation_amount": _("Confiscation (yuan)"),
    "legal_basis": _("Legal basis"),
    "facts": _("Facts"),
    "conclusion": _("Decision"),
}

TABS = [
    ("", _("All")),
    ("pending", _("To publish")),
    ("overdue", _("Overdue")),
    ("published", _("On the portal")),
    ("withdrawn", _("Withdrawn")),
    ("expired", _("Ended")),
]

PUBLIC_URL = "/api/public/v1/decisions/{public_id}"


def category_label(category: str) -> str:
    return str(CATEGORY_LABELS.get(category, category))


# ------------------------------------------------------------------------------------------ forms


class PublishForm(StepForm):
    """A confirmation: the service builds and publishes the previewed record."""


class RedactionForm(StepForm):
    FIELD_MAP = {"start": "text", "end": "text", "redactions": "text"}

    field = forms.ChoiceField(label=_("Field"))
    text = forms.CharField(label=_("Exact text to hide"), max_length=2000, required=False,
                           help_text=_("Copy the words exactly as they appear in the field; the first "
                                       "occurrence is hidden. Or give the offsets below."))
    start = forms.IntegerField(label=_("From character (offset)"), min_value=0, required=False)
    end = forms.IntegerField(label=_("To character (exclusive)"), min_value=0, required=False)
    category = forms.ChoiceField(label=_("Category"), initial="other",
                                 choices=[(c, CATEGORY_LABELS.get(c, c)) for c in CATEGORIES])
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs=TEXTAREA))

    def __init__(self, *args, texts: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.texts = texts or {}
        self.fields["field"].choices = [(k, k) for k in self.texts]

    def clean(self):
        data = super().clean()
        text, start, end = data.get("text"), data.get("start"), data.get("end")
        original = self.texts.get(data.get("field") or "", "")
        if text:
            at = original.find(text)
            if at < 0:
                self.add_error("text", _("This text does not occur in the field."))
            else:
                data["start"], data["end"] = at, at + len(text)
        elif start is None or end is None:
            self.add_error("text", _("Give the exact text, or both offsets."))
        return data


class CorrectForm(StepForm):
    FIELD_MAP = {f"fields.{name}": "value" for name in CORRECTABLE_FIELDS} | {"fields": "field"}

    field = forms.ChoiceField(label=_("Field to correct"),
                              choices=[(f, FIELD_LABELS.get(f, f)) for f in CORRECTABLE_FIELDS])
    value = forms.CharField(label=_("Corrected value"), max_length=20000, widget=forms.Textarea(attrs=TEXTAREA))
    reason = forms.CharField(label=_("Reason for the correction"), max_length=2000,
                             widget=forms.Textarea(attrs=TEXTAREA),
                             help_text=_("Published with the correction."))

    def fields_value(self) -> dict:
        name, value = self.cleaned_data["field"], self.cleaned_data["value"]
        if name == "penalty_types":
            return {name: [t.strip() for t in value.replace("、", ",").split(",") if t.strip()]}
        return {name: value}


class WithdrawForm(StepForm):
    reason = forms.CharField(label=_("Reason for the withdrawal (public)"), max_length=2000, required=False,
                             widget=forms.Textarea(attrs=TEXTAREA),
                             help_text=_("The reason is published with the withdrawal notice; personal "
                                         "values of the case are removed from it."))


class WithdrawalRequiredForm(StepForm):
    event = forms.ChoiceField(label=_("Event"), choices=WithdrawalEvent.choices)
    event_on = forms.DateField(label=_("Event date"), widget=DateInput())


# ------------------------------------------------------------------------------------------ helpers



def _get(request, item_id):
    try:
        return selectors.publication_get(viewer=request.user, item_id=item_id)
    except NotFound:
        raise Http404 from None


def _segments(preview) -> list[dict]:
    """The preview's fields as rows of segments, each mark with its label and a title."""
    rows = []
    for name, segments in preview.result.preview.items():
        parts = []
        for seg in segments:
            mark = seg.mark
            if mark is None:
                parts.append({"text": seg.text, "mark": None})
                continue
            label = category_label(mark.category)
            title = f"{label} · {SOURCE_LABELS.get(mark.source, mark.source)}"
            if mark.reason:
                title += f" · {mark.reason}"
            title += f" → {mark.replacement or _('(removed)')}"
            parts.append({"text": seg.text, "mark": mark, "label": label, "title": title})
        rows.append({"field": name, "parts": parts, "marked": any(p["mark"] for p in parts)})
    return rows


def _texts(preview) -> dict[str, str]:
    """The original text of each field of the preview (for the manual redaction form)."""
    return {name: "".join(s.text for s in segs) for name, segs in preview.result.preview.items()}


def _why_not(request, item) -> str:
    if not request.user.has_role(Role.PUBLISHER):
        return str(_("Only a publisher (公示管理员) may publish; you do not hold that role."))
    return str(_("Only the publisher of the deciding unit (or of a unit above it) may publish this decision "
                 "(谁执法谁公示)."))


def _detail_context(request, item, bound: dict | None = None) -> dict:
    bound = bound or {}
    can = selectors.may_publish(request.user, item.unit_code)
    preview = error = None
    if can and item.source and item.state in (PublicationState.PENDING, *LIVE_STATES):
        try:
            preview = selectors.preview_of(item)
        except DomainError as err:
            error = err.message
    unit = Unit.objects.filter(code=item.unit_code).first()
    today = timezone.localdate()
    texts = _texts(preview) if preview else {}
    may_require = (request.user.unit is not None and unit is not None
                   and unit.path.startswith(request.user.unit.path)
                   and request.user.has_role(Role.PUBLISHER, Role.UNIT_HEAD, Role.AGENCY_HEAD))
    live = item.state in LIVE_STATES
    return {
        "item": item, "unit": unit, "can": can, "why_not": "" if can else _why_not(request, item),
        "preview": preview, "preview_error": error, "rows": _segments(preview) if preview else [],
        "marks": [{"mark": m, "label": category_label(m.category),
                   "source": SOURCE_LABELS.get(m.source, m.source)} for m in preview.result.marks] if preview else [],
        "pending": item.state == PublicationState.PENDING, "live": live,
        "urgency": urgency(item.due_on, today) if item.state == PublicationState.PENDING else "",
        "overdue_reason": selectors.overdue_reason(item, today),
        "versions": item.versions.order_by("number"),
        "public_url": PUBLIC_URL.format(public_id=item.public_id) if item.public_id else "",
        "manual": [{**m, "label": category_label(m.get("category", "other"))} for m in item.manual_redactions or []],
        "publish_form": bound.get("publish") or PublishForm(),
        "redaction_form": bound.get("redaction") or (RedactionForm(texts=texts) if texts else None),
        "correct_form": bound.get("correct") or CorrectForm(),
        "withdraw_form": bound.get("withdraw") or WithdrawForm(),
        "required_form": bound.get("withdrawal-required") or WithdrawalRequiredForm(initial={"event_on": today}),
        "may_require": may_require and live and not item.withdrawal_event,
        "provisional_help": PROVISIONAL_HELP,
    }


# ------------------------------------------------------------------------------------------ queue, detail


@login_required
@require_GET
def queue(request):
    """The publication queue in my scope (公示队列): tabs by state, due date and urgency."""
    state = request.GET.get("state") or ""
    if state not in selectors.STATE_FILTERS:
        state = ""
    qs = selectors.publication_list(viewer=request.user, state=state or None)
    if state in ("pending", "overdue"):
        qs = qs.order_by("due_on", "id")
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [{"item": i, "urgency": urgency(i.due_on, today) if i.state == PublicationState.PENDING else "",
             "overdue_reason": selectors.overdue_reason(i, today)} for i in page]
    units = dict(Unit.objects.filter(code__in={i.unit_code for i in page}).values_list("code", "name"))
    return render(request, "web/publicity/queue.html", {
        "page": page, "rows": rows, "state": state, "tabs": TABS, "units": units,
        "provisional_help": PROVISIONAL_HELP, "any_provisional": any(r["item"].provisional for r in rows),
    })


@login_required
@require_GET
def detail(request, item_id: int):
    """One item: facts, redaction preview with every mark, the forms its publisher may use, history."""
    item = _get(request, item_id)
    return render(request, "web/publicity/detail.html", _detail_context(request, item))


# ------------------------------------------------------------------------------------------ steps


@dataclass(frozen=True)
class Step:
    name: str
    form: type
    run: Callable  # (request, item, form) -> None; calls exactly one service
    success: object
    preview_texts: bool = False


def _run_publish(request, item, form):
    services.publication_publish(item_id=item.pk, actor=request.user)


def _run_redaction(request, item, form):
    d = form.cleaned_data
    services.publication_add_redaction(item_id=item.pk, actor=request.user, field=d["field"], start=d["start"],
                                       end=d["end"], reason=d["reason"], category=d["category"])


def _run_correct(request, item, form):
    services.publication_correct(item_id=item.pk, actor=request.user, fields=form.fields_value(),
                                 reason=form.cleaned_data["reason"])


def _run_withdraw(request, item, form):
    services.publication_withdraw(item_id=item.pk, actor=request.user, reason=form.cleaned_data["reason"])


def _run_required(request, item, form):
    services.publication_withdrawal_required(item=item.pk, actor=request.user, event=form.cleaned_data["event"],
                                             event_on=form.cleaned_data["event_on"])


STEPS: dict[str, Step] = {s.name: s for s in [
    Step("publish", PublishForm, _run_publish, _("The decision was published.")),
    Step("redaction", RedactionForm, _run_redaction, _("The redaction was added."), preview_texts=True),
    Step("correct", CorrectForm, _run_correct, _("The correction was published.")),
    Step("withdraw", WithdrawForm, _run_withdraw, _("The decision was withdrawn from the portal.")),
    Step("withdrawal-required", WithdrawalRequiredForm, _run_required, _("The withdrawal requirement was recorded.")),
]}


def _step_view(step: Step):
    @login_required
    @require_http_methods(["POST"])
    def view(request, item_id: int):
        item = _get(request, item_id)
        kwargs = {}
        if step.preview_texts:
            texts = {}
            if selectors.may_publish(request.user, item.unit_code) and item.source:
                try:
                    texts = _texts(selectors.preview_of(item))
                except DomainError:
                    texts = {}
            kwargs["texts"] = texts
        form = step.form(request.POST, **kwargs)
        status = submit(form, lambda: step.run(request, item, form))
        if status is None:
            messages.success(request, step.success)
            return redirect("web:publication", item.pk)
        item = _get(request, item.pk)
        return render(request, "web/publicity/detail.html",
                      _detail_context(request, item, {step.name: form}), status=status)

    view.__name__ = f"publication_step_{step.name.replace('-', '_')}"
    view.__doc__ = f"Step form: {step.name}."
    return view


def publisher_todos(user, limit: int = 8) -> list[dict]:
    """The workbench's 待公示: pending items the user may publish, due soonest first."""
    if not user.has_role(Role.PUBLISHER):
        return []
    today = timezone.localdate()
    qs = selectors.publication_list(viewer=user, state="pending").order_by("due_on", "id")
    rows = []
    for item in qs[: limit * 3]:
        if selectors.may_publish(user, item.unit_code):
            rows.append({"item": item, "urgency": urgency(item.due_on, today)})
        if len(rows) >= limit:
            break
    return rows


# ------------------------------------------------------------------------------------------ urls

urlpatterns = [
    path("publicity/", queue, name="module-publicity"),
    path("publicity/<int:item_id>/", detail, name="publication"),
    *[path(f"publicity/<int:item_id>/{name}/", _step_view(step), name=f"publication-{name}")
      for name, step in STEPS.items()],
]
