"""Portal pages of complaints about enforcement (投诉举报): the public form and the status page.

No login. The form is CSRF-protected, validated on the server (the service names the field),
guarded by a honeypot field and a per-address rate limit. The tracking code is shown once on
the answer to the form and never again; the status page, asked by code (POST, so the code does
not end up in URLs and logs), shows only the public status and reply — never the
complainant's data or the handling record.

Settings: ``COMPLAINT_RATE_LIMIT`` complaints per window and address (default 5; 0: off),
``COMPLAINT_RATE_WINDOW`` seconds (default 3600); ``COMPLAINT_TRACK_LIMIT`` status look-ups
per window (default 30). Counters live in the default cache (see ``api.ratelimit``).
"""

from __future__ import annotations

import time

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from sanxiang.api.ratelimit import client_ip
from sanxiang.core.errors import InvalidInput, NotFound
from sanxiang.oversight import selectors, services

REQUIRED = {"required": _("This field is required.")}


class ComplaintForm(forms.Form):
    """The public complaint form (投诉举报表单). Shapes only; the service validates the content."""

    unit = forms.ChoiceField(label=_("Bureau or district concerned"), error_messages={
        **REQUIRED, "invalid_choice": _("Choose the bureau or district the complaint concerns.")})
    anonymous = forms.BooleanField(label=_("Complain anonymously"), required=False,
                                   help_text=_("Without your name and phone we cannot call you back; the reply "
                                               "is only on the status page."))
    name = forms.CharField(label=_("Your name"), max_length=50, required=False,
                           error_messages={"max_length": _("At most 50 characters.")})
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False,
                            error_messages={"max_length": _("At most 30 characters.")})
    id_number = forms.CharField(label=_("Resident ID number (optional)"), max_length=18, required=False,
                                error_messages={"max_length": _("A resident ID number has 18 characters.")})
    email = forms.CharField(label=_("E-mail (optional)"), max_length=120, required=False,
                            error_messages={"max_length": _("At most 120 characters.")})
    officer_certificate = forms.CharField(label=_("Officer's certificate number (optional)"), max_length=32,
                                          required=False,
                                          error_messages={"max_length": _("At most 32 characters.")})
    case_reference = forms.CharField(label=_("Case or decision number (optional)"), max_length=60, required=False,
                                     error_messages={"max_length": _("At most 60 characters.")})
    facts = forms.CharField(label=_("What happened"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}),
                            help_text=_("When, where, who, what the officers did, and what you ask for."),
                            error_messages={**REQUIRED, "max_length": _("At most 5000 characters.")})
    website = forms.CharField(required=False, label=_("Leave this field empty"))  # honeypot

    FIELD_MAP = {"unit": "unit", "facts": "facts", "name": "name", "phone": "phone", "id_number": "id_number",
                 "email": "email", "officer_certificate": "officer_certificate", "case_reference": "case_reference"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("— choose —"))] + [
            (u.code, u.name) for u in selectors.complaint_units()]

    def as_input(self) -> services.ComplaintInput:
        d = self.cleaned_data
        return services.ComplaintInput(
            unit_code=d["unit"], facts=d["facts"], anonymous=d["anonymous"], name=d["name"], phone=d["phone"],
            id_number=d["id_number"], email=d["email"], officer_certificate=d["officer_certificate"],
            case_reference=d["case_reference"])

    def add_domain_error(self, err: InvalidInput) -> None:
        name = self.FIELD_MAP.get(str(err.details.get("field")))
        self.add_error(name if name in self.fields else None, str(err.message))


class TrackForm(forms.Form):
    code = forms.CharField(label=_("Tracking code"), max_length=40, error_messages=REQUIRED,
                           help_text=_("The 16 characters you were given when you filed, e.g. K7QM-3XWD-9PTA-HC4R."))


def _limited(request, scope: str, setting: str, default: int) -> bool:
    """Count this request for its address; True when past the limit of the window."""
    limit = int(getattr(settings, setting, default) or 0)
    if not limit:
        return False
    window = max(1, int(getattr(settings, "COMPLAINT_RATE_WINDOW", 3600)))
    key = f"sanxiang:rate:{scope}:{window}:{client_ip(request)}:{int(time.time() // window)}"
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=window + 1)
        count = 1
    return count > limit


@never_cache
@require_http_methods(["GET", "POST"])
def complaint_new(request):
    """投诉举报: the form; on success the tracking code, shown once."""
    if request.method == "GET":
        return render(request, "portal/oversight/complaint_form.html", {"form": ComplaintForm()})
    form = ComplaintForm(request.POST)
    if _limited(request, "complaint", "COMPLAINT_RATE_LIMIT", 5):
        form.is_valid()
        return render(request, "portal/oversight/complaint_form.html",
                      {"form": form, "limited": True}, status=429)
    if form.is_valid():
        if form.cleaned_data["website"]:
            # A robot filled the hidden field: answer as if refused, store nothing.
            form.add_error(None, _("The complaint could not be accepted. Please try again."))
        else:
            try:
                filed = services.complaint_file(data=form.as_input())
            except InvalidInput as err:
                form.add_domain_error(err)
            else:
                return render(request, "portal/oversight/complaint_filed.html", {
                    "code": filed.tracking_code, "complaint": filed.complaint}, status=201)
    return render(request, "portal/oversight/complaint_form.html", {"form": form}, status=400)


@never_cache
@require_http_methods(["GET", "POST"])
def complaint_track(request):
    """投诉办理进度查询: status, dates and the public reply for a tracking code."""
    if request.method == "GET":
        return render(request, "portal/oversight/complaint_track.html", {"form": TrackForm()})
    form = TrackForm(request.POST)
    if _limited(request, "complaint-track", "COMPLAINT_TRACK_LIMIT", 30):
        return render(request, "portal/oversight/complaint_track.html", {"form": form, "limited": True},
                      status=429)
    if not form.is_valid():
        return render(request, "portal/oversight/complaint_track.html", {"form": form}, status=400)
    try:
        status = selectors.complaint_public_status(code=form.cleaned_data["code"])
    except NotFound as err:
        form.add_error("code", str(err.message))
        return render(request, "portal/oversight/complaint_track.html", {"form": form}, status=404)
    return render(request, "portal/oversight/complaint_track.html",
                  {"form": TrackForm(), "status": status})
