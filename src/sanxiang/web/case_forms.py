"""Forms of the case pages (办案表单). They parse and check shapes only; the services decide.

A `DomainError` raised by a service is attached to the form with `add_domain_error`: next
to the field named in `details["field"]` (mapped through `FIELD_MAP`), else above the form.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanxiang.cases.constants import ActivityKind, PartyResponseKind, Stage
from sanxiang.catalog.constants import CaseFlag, CaseKind, DecisionKind, PartyType, PenaltyType
from sanxiang.records.models import EvidenceKind
from sanxiang.review.constants import FINDING_KEYS, Finding, Material, OpinionResult, Settlement

TEXTAREA = {"rows": 3}


def _now_local() -> str:
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class StepForm(forms.Form):
    """Base: maps a service error's field onto a form field."""

    FIELD_MAP: dict[str, str] = {}

    def add_domain_error(self, error) -> None:
        if not hasattr(self, "cleaned_data"):
            self.cleaned_data = {}
        field = (error.details or {}).get("field")
        name = self.FIELD_MAP.get(field, field) if field else None
        if name and "[" in name and name not in self.fields:
            name = self.FIELD_MAP.get(name.split("[", 1)[0], name.split("[", 1)[0])
        if name and "." in name and name not in self.fields:
            name = self.FIELD_MAP.get(name.split(".", 1)[0], None)
        if name in self.fields:
            self.add_error(name, str(error.message))
        else:
            self.add_error(None, str(error.message))


# ------------------------------------------------------------------------------------------ filing


class CaseCreateForm(StepForm):
    kind = forms.ChoiceField(label=_("Kind of case"), choices=CaseKind.choices, initial=CaseKind.PENALTY)
    title = forms.CharField(label=_("Case title"), max_length=200)
    matter_code = forms.CharField(label=_("Enforcement matter code"), max_length=40, required=False,
                                  help_text=_("Optional: the code in the enforcement matter list."))
    discovered_on = forms.DateField(label=_("Clue discovered on"), required=False, widget=DateInput())
    facts = forms.CharField(label=_("Facts"), required=False, widget=forms.Textarea(attrs=TEXTAREA))
    party_type = forms.ChoiceField(label=_("Party type"), choices=PartyType.choices,
                                   initial=PartyType.ORGANIZATION)
    party_name = forms.CharField(label=_("Party name"), max_length=200)
    party_uscc = forms.CharField(label=_("Unified social credit code"), max_length=18, required=False,
                                 help_text=_("18 characters; required for an organization or individual business."))
    party_id_number = forms.CharField(label=_("Resident ID number"), max_length=18, required=False,
                                      help_text=_("Required for a natural person."))
    party_legal_representative = forms.CharField(label=_("Legal representative"), max_length=50, required=False)
    party_address = forms.CharField(label=_("Address"), max_length=300, required=False)
    party_phone = forms.CharField(label=_("Phone"), max_length=40, required=False)

    FIELD_MAP = {"unit": "__all__", "parties": "party_name", **{
        f"parties[0].{name}": f"party_{name}"
        for name in ("type", "name", "uscc", "id_number", "legal_representative", "address", "phone")}}

    def party(self) -> dict:
        d = self.cleaned_data
        return {name: d.get(f"party_{name}") or "" for name in
                ("type", "name", "uscc", "id_number", "legal_representative", "address", "phone")}


# ------------------------------------------------------------------------------------------ steps


class TransitionForm(StepForm):
    to = forms.ChoiceField(label=_("Move to stage"), choices=())
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs=TEXTAREA),
                           help_text=_("Required for a side exit (not punished, withdrawn, transferred)."))

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [(t, Stage(t).label) for t in targets]


class ActivityForm(StepForm):
    kind = forms.ChoiceField(label=_("Kind of activity"), choices=ActivityKind.choices)
    occurred_at = forms.DateTimeField(label=_("Time"), widget=DateTimeLocalInput(),
                                      input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"])
    officer_ids = forms.MultipleChoiceField(label=_("Officers present"), choices=(),
                                            widget=forms.CheckboxSelectMultiple,
                                            help_text=_("On-site acts need at least two officers holding valid "
                                                        "enforcement certificates."))
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs=TEXTAREA))

    def __init__(self, *args, officers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer_ids"].choices = [
            (str(o.pk), f"{o.user.full_name}（{o.certificate_number}）") for o in officers]
        self.fields["occurred_at"].initial = _now_local()


class ActivityCompleteForm(StepForm):
    """No fields: the confirmation button."""


class PartyResponseForm(StepForm):
    kind = forms.ChoiceField(label=_("Kind of response"), choices=PartyResponseKind.choices)
    received_on = forms.DateField(label=_("Received on"), widget=DateInput())
    text = forms.CharField(label=_("What the party said"), required=False, widget=forms.Textarea(attrs=TEXTAREA))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = timezone.localdate()


class FlagForm(StepForm):
    flag = forms.ChoiceField(label=_("Flag"), choices=CaseFlag.choices)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs=TEXTAREA))


class _PenaltyFields(StepForm):
    penalty_types = forms.MultipleChoiceField(label=_("Penalty types"), choices=PenaltyType.choices,
                                              widget=forms.CheckboxSelectMultiple, required=False)
    fine_amount = forms.DecimalField(label=_("Fine (yuan)"), required=False, min_value=0, max_digits=14,
                                     decimal_places=2)
    confiscation_amount = forms.DecimalField(label=_("Confiscation (yuan)"), required=False, min_value=0,
                                             max_digits=14, decimal_places=2)
    legal_basis = forms.CharField(label=_("Legal basis"), widget=forms.Textarea(attrs=TEXTAREA))


class ProposalForm(_PenaltyFields):
    pass


class ReviewSubmitForm(StepForm):
    materials = forms.MultipleChoiceField(label=_("Materials submitted"), choices=Material.choices,
                                          widget=forms.CheckboxSelectMultiple, required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs=TEXTAREA))


class OpinionForm(StepForm):
    result = forms.ChoiceField(label=_("Result"), choices=OpinionResult.choices, widget=forms.RadioSelect)
    text = forms.CharField(label=_("Written opinion"), widget=forms.Textarea(attrs=TEXTAREA), required=False)

    FIELD_MAP = {f"findings.{key}": f"finding_{key}" for key in FINDING_KEYS} | {"findings": "finding_subject"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = {}
        for key in FINDING_KEYS:
            fields[f"finding_{key}"] = forms.CharField(label=Finding(key).label, required=False,
                                                       widget=forms.Textarea(attrs={"rows": 2}))
        text = self.fields.pop("text")
        self.fields.update(fields)
        self.fields["text"] = text

    def findings(self) -> dict:
        return {key: self.cleaned_data.get(f"finding_{key}") or "" for key in FINDING_KEYS}


class EscalateForm(StepForm):
    reason = forms.CharField(label=_("Why the handling unit disagrees"), widget=forms.Textarea(attrs=TEXTAREA))


class SettleForm(StepForm):
    settlement = forms.ChoiceField(label=_("Settlement"), choices=Settlement.choices, widget=forms.RadioSelect)
    text = forms.CharField(label=_("Written settlement"), widget=forms.Textarea(attrs=TEXTAREA), required=False)


class CollectiveDiscussionForm(StepForm):
    held_on = forms.DateField(label=_("Held on"), widget=DateInput())
    attendees = forms.MultipleChoiceField(label=_("Attendees"), choices=(), widget=forms.CheckboxSelectMultiple,
                                          required=False,
                                          help_text=_("You chair the discussion and are counted as an attendee."))
    opinions = forms.CharField(label=_("Opinions expressed"), required=False,
                               widget=forms.Textarea(attrs=TEXTAREA))
    conclusion = forms.CharField(label=_("Conclusion"), widget=forms.Textarea(attrs=TEXTAREA), required=False)

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].choices = [(str(u.pk), f"{u.full_name}（{u.unit.name if u.unit else ''}）")
                                            for u in people]
        self.fields["held_on"].initial = timezone.localdate()


class DecisionForm(_PenaltyFields):
    kind = forms.ChoiceField(label=_("Kind of decision"), choices=DecisionKind.choices)
    decided_on = forms.DateField(label=_("Decided on"), widget=DateInput())
    facts = forms.CharField(label=_("Facts found"), widget=forms.Textarea(attrs=TEXTAREA), required=False)
    conclusion = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs=TEXTAREA), required=False)

    field_order = ["kind", "penalty_types", "fine_amount", "confiscation_amount", "decided_on", "legal_basis",
                   "facts", "conclusion"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].initial = timezone.localdate()
        self.fields["legal_basis"].required = False


class RecusalForm(StepForm):
    user_id = forms.ChoiceField(label=_("Person who withdraws"), choices=())
    reason = forms.CharField(label=_("Reason for the recusal"), widget=forms.Textarea(attrs=TEXTAREA))

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user_id"].choices = [(str(u.pk), u.full_name) for u in people]


class EvidenceForm(StepForm):
    file = forms.FileField(label=_("File"), widget=forms.ClearableFileInput(attrs={
        "accept": "image/*,video/*,audio/*,application/pdf", "capture": "environment"}),
        help_text=_("On a phone the camera opens; large videos are uploaded in pieces and resume after a "
                    "network break."))
    kind = forms.ChoiceField(label=_("Kind of evidence"), choices=EvidenceKind.choices, initial=EvidenceKind.PHOTO)
    description = forms.CharField(label=_("Content note"), widget=forms.Textarea(attrs=TEXTAREA),
                                  help_text=_("What the record shows."))
    activity_id = forms.ChoiceField(label=_("Activity"), choices=(), required=False)
    recorded_at = forms.DateTimeField(label=_("Recorded at"), widget=DateTimeLocalInput(), required=False,
                                      input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"])
    speakers = forms.CharField(label=_("Speakers"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                               help_text=_("One per line: name, role."))
    device = forms.CharField(label=_("Recording device"), max_length=200, required=False)

    FIELD_MAP = {"blob_sha256": "file", "sha256": "file", "activity": "activity_id"}

    def __init__(self, *args, activities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity_id"].choices = [("", "—")] + [
            (str(a.pk), f"{a.get_kind_display()} {timezone.localtime(a.occurred_at):%Y-%m-%d %H:%M}")
            for a in activities]
        self.fields["recorded_at"].initial = _now_local()

    def clean_speakers(self) -> list[dict]:
        speakers = []
        for line in (self.cleaned_data.get("speakers") or "").splitlines():
            line = line.strip()
            if not line:
                continue
            for sep in (",", "，", "、", " "):
                if sep in line:
                    name, role = line.split(sep, 1)
                    break
            else:
                name, role = line, ""
            if not name.strip() or not role.strip():
                raise forms.ValidationError(_("Write each speaker as: name, role."))
            speakers.append({"name": name.strip(), "role": role.strip()})
        return speakers


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Number, title, party")}))
    stage = forms.ChoiceField(label=_("Stage"), required=False, choices=[("", _("All stages")), *Stage.choices])
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *CaseKind.choices])
    mine = forms.BooleanField(label=_("Only cases I handle"), required=False)
