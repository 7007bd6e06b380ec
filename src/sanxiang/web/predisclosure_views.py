"""Staff editor of the pre-disclosure documents (事前公开编辑) under /publicity/pre/.

Thin: a view parses a form, calls one service of ``catalog.services_predisclosure`` or a selector
of ``catalog.selectors_predisclosure``, renders. Any staff user may read the lists and
histories; writing is for publishers (公示管理员) of the document's unit or a unit above it —
the pages only offer the buttons, the services decide (403 otherwise).
"""

from __future__ import annotations

import difflib

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from sanxiang.accounts import selectors as accounts
from sanxiang.accounts.constants import Role
from sanxiang.catalog import selectors_predisclosure as pre
from sanxiang.catalog import services_predisclosure as services
from sanxiang.core.errors import DomainError, NotFound, PermissionDenied
from sanxiang.web.actions import status_of
from sanxiang.web.case_forms import DateInput, StepForm

# ------------------------------------------------------------------------------------------ forms


class DocumentForm(StepForm):
    slug = forms.CharField(
        label=_("Identifier"), max_length=64,
        help_text=_("Lower-case letters, digits and hyphens, unique across all units, e.g. pudong-duties. "
                    "It cannot be changed later."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    unit_code = forms.ChoiceField(label=_("Owner unit"), choices=())
    body = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 18}),
        help_text=_("Plain text. A blank line starts a new paragraph; lines starting with \"- \" or \"1. \" "
                    "form lists; \"## \" starts a heading; **text** is bold. HTML is shown as text."),
    )
    change_note = forms.CharField(
        label=_("Change note"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What this version changes; shown in the public change history. Required to publish."),
    )
    effective_from = forms.DateField(
        label=_("In force from"), required=False, widget=DateInput(),
        help_text=_("Empty: the day it is published."),
    )

    def __init__(self, *args, units=(), fixed: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit_code"].choices = [(u.code, u.name) for u in units]
        if fixed:  # an existing document keeps its identifier and unit
            for name in ("slug", "unit_code"):
                self.fields[name].disabled = True
                self.fields[name].help_text = ""


class PublishForm(StepForm):
    effective_from = forms.DateField(
        label=_("In force from"), required=False, widget=DateInput(),
        help_text=_("Empty: the date in the draft, else today."),
    )


class RetireForm(StepForm):
    reason = forms.CharField(
        label=_("Reason for taking it off the portal"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown in the public change history."),
    )


# ------------------------------------------------------------------------------------------ helpers


def _category(value: str):
    try:
        return pre.predisclosure_category(value)
    except NotFound:
        raise Http404 from None


def _document(request, slug: str):
    try:
        return pre.predisclosure_staff_get(viewer=request.user, slug=slug)
    except NotFound:
        raise Http404 from None


def _publishable_units(user):
    """Units the user may publish for: his own and those below it (publishers only)."""
    if not user.has_role(Role.PUBLISHER) or user.unit is None:
        return []
    return list(accounts.units_visible(user).filter(path__startswith=user.unit.path))


def _forbidden(request, message=None):
    return render(request, "web/predisclosure/forbidden.html", {
        "message": message or _("Only a publicity officer (公示管理员) of this unit or a unit above it may do this."),
    }, status=403)



def _diff(old: str, new: str) -> list[dict]:
    """Changed lines of the text (display only)."""
    rows = []
    for line in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=1):
        if line.startswith(("---", "+++")):
            continue
        kind = {"+": "add", "-": "del", "@": "hunk"}.get(line[:1], "ctx")
        rows.append({"kind": kind, "text": "…" if kind == "hunk" else line[1:]})
    return rows


# ------------------------------------------------------------------------------------------ pages


@login_required
def index(request):
    """The seven categories with their documents on the portal."""
    return render(request, "web/predisclosure/index.html", {
        "categories": pre.predisclosure_index(),
        "is_publisher": request.user.has_role(Role.PUBLISHER),
    })


@login_required
def category_list(request, category: str):
    cat = _category(category)
    return render(request, "web/predisclosure/list.html", {
        "category": cat,
        "documents": pre.predisclosure_staff_list(viewer=request.user, category=cat),
        "can_create": bool(_publishable_units(request.user)),
    })


@login_required
@require_http_methods(["GET", "POST"])
def document_new(request, category: str):
    cat = _category(category)
    units = _publishable_units(request.user)
    if not units:
        return _forbidden(request)
    form = DocumentForm(request.POST or None, units=units,
                        initial={"unit_code": request.user.unit.code})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                draft = services.predisclosure_draft_save(actor=request.user, category=cat.value, **form.cleaned_data)
            except PermissionDenied as err:
                return _forbidden(request, err.message)
            except DomainError as err:
                form.add_domain_error(err)
                status = status_of(err)
            else:
                messages.success(request, _("Draft saved. Check the preview, then publish it."))
                return redirect("web:predisclosure-preview", draft.slug)
    return render(request, "web/predisclosure/edit.html",
                  {"category": cat, "form": form, "doc": None}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def document_edit(request, slug: str):
    """Edit the draft, or start one from the published version."""
    doc = _document(request, slug)
    if not doc.can_edit:
        return _forbidden(request)
    base = doc.draft or doc.published or doc.latest
    units = _publishable_units(request.user)
    initial = {"slug": doc.slug, "unit_code": doc.unit_code}
    if base is not None:
        initial.update(title=base.title, body=base.body)
    if doc.draft is not None:
        initial.update(change_note=doc.draft.change_note, effective_from=doc.draft.effective_from)
    form = DocumentForm(request.POST or None, units=units, fixed=True, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = {**form.cleaned_data, "slug": doc.slug, "unit_code": doc.unit_code}
            try:
                services.predisclosure_draft_save(actor=request.user, category=doc.category.value, **data)
            except PermissionDenied as err:
                return _forbidden(request, err.message)
            except DomainError as err:
                form.add_domain_error(err)
                status = status_of(err)
            else:
                messages.success(request, _("Draft saved. Check the preview, then publish it."))
                return redirect("web:predisclosure-preview", doc.slug)
    return render(request, "web/predisclosure/edit.html",
                  {"category": doc.category, "form": form, "doc": doc}, status=status)


def _preview_context(doc, publish_form=None) -> dict:
    draft = doc.draft
    return {
        "doc": doc, "category": doc.category, "draft": draft,
        "body_html": pre.predisclosure_render(draft.body),
        "diff": _diff(doc.published.body, draft.body) if doc.published else None,
        "title_changed": doc.published is not None and doc.published.title != draft.title,
        "publish_form": publish_form or PublishForm(initial={"effective_from": draft.effective_from}),
        "today": timezone.localdate(),
    }


@login_required
def document_preview(request, slug: str):
    """The draft as the portal will show it, what it changes, and the publish button."""
    doc = _document(request, slug)
    if not doc.can_edit:
        return _forbidden(request)
    if doc.draft is None:
        messages.info(request, _("This document has no draft."))
        return redirect("web:predisclosure-history", slug)
    return render(request, "web/predisclosure/preview.html", _preview_context(doc))


@login_required
@require_POST
def document_publish(request, slug: str):
    doc = _document(request, slug)
    if doc.draft is None:
        raise Http404
    form = PublishForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            published = services.predisclosure_publish(
                actor=request.user, document_id=doc.draft.pk,
                effective_from=form.cleaned_data["effective_from"],
            )
        except PermissionDenied as err:
            return _forbidden(request, err.message)
        except DomainError as err:
            form.add_domain_error(err)
            status = status_of(err)
        else:
            messages.success(request, _("Version %(version)s is published on the portal.")
                             % {"version": published.version})
            return redirect("web:predisclosure-list", doc.category.value)
    return render(request, "web/predisclosure/preview.html", _preview_context(doc, form), status=status)


@login_required
@require_POST
def document_discard(request, slug: str):
    doc = _document(request, slug)
    if doc.draft is None:
        raise Http404
    try:
        services.predisclosure_draft_discard(actor=request.user, document_id=doc.draft.pk)
    except PermissionDenied as err:
        return _forbidden(request, err.message)
    messages.success(request, _("The draft was discarded."))
    return redirect("web:predisclosure-list", doc.category.value)


@login_required
@require_http_methods(["GET", "POST"])
def document_history(request, slug: str):
    """Every version (drafts within scope too) with author, dates and notes; retire form."""
    doc = _document(request, slug)
    form = RetireForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.predisclosure_retire(actor=request.user, slug=slug, reason=form.cleaned_data["reason"])
            except PermissionDenied as err:
                return _forbidden(request, err.message)
            except DomainError as err:
                form.add_domain_error(err)
                status = status_of(err)
            else:
                messages.success(request, _("The document was taken off the portal."))
                return redirect("web:predisclosure-history", slug)
    return render(request, "web/predisclosure/history.html",
                  {"doc": doc, "category": doc.category, "retire_form": form}, status=status)


# ------------------------------------------------------------------------------------------ urls

urlpatterns = [
    path("publicity/pre/", index, name="predisclosure-index"),
    path("publicity/pre/<str:category>/", category_list, name="predisclosure-list"),
    path("publicity/pre/<str:category>/new/", document_new, name="predisclosure-new"),
    path("publicity/pre/doc/<str:slug>/edit/", document_edit, name="predisclosure-edit"),
    path("publicity/pre/doc/<str:slug>/preview/", document_preview, name="predisclosure-preview"),
    path("publicity/pre/doc/<str:slug>/publish/", document_publish, name="predisclosure-publish"),
    path("publicity/pre/doc/<str:slug>/discard/", document_discard, name="predisclosure-discard"),
    path("publicity/pre/doc/<str:slug>/history/", document_history, name="predisclosure-history"),
]
