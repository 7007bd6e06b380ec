"""The search form of published decisions (执法决定公示查询表单): GET parameters to filters."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from sanxiang.disclosure import selectors_portal
from sanxiang.disclosure.selectors import PUBLIC_SORTS

SORT_LABELS = {
    "newest": _("Newest first"),
    "oldest": _("Oldest first"),
    "fine": _("Largest fine first"),
}
DATE_FORMATS = ["%Y-%m-%d"]
MAX_AMOUNT = Decimal("99999999999999.99")


def _amount(label) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=False, min_value=0, max_value=MAX_AMOUNT, max_digits=16, decimal_places=2,
        localize=False,
        error_messages={
            "invalid": _("Enter an amount in yuan, such as 5000 or 5000.50."),
            "min_value": _("The amount cannot be negative."),
            "max_value": _("The amount is too large."),
            "max_digits": _("The amount is too large."),
            "max_decimal_places": _("Give at most two decimal places (fen)."),
            "max_whole_digits": _("The amount is too large."),
        },
    )


def _date(label) -> forms.DateField:
    return forms.DateField(label=label, required=False, input_formats=DATE_FORMATS,
                           error_messages={"invalid": _("Enter a date as YYYY-MM-DD, such as 2026-11-20.")})


class DecisionSearchForm(forms.Form):
    """Filters of the portal search; field names are the GET parameters (`q`, `unit`, …, `page`)."""

    q = forms.CharField(label=_("Search text"), required=False, max_length=100, strip=True,
                        error_messages={"max_length": _("Search for at most 100 characters.")})
    unit = forms.ChoiceField(label=_("Unit or district"), required=False,
                             error_messages={"invalid_choice": _("Choose a unit from the list.")})
    kind = forms.ChoiceField(label=_("Decision kind"), required=False,
                             error_messages={"invalid_choice": _("Choose a decision kind from the list.")})
    penalty_type = forms.ChoiceField(label=_("Penalty type"), required=False,
                                     error_messages={"invalid_choice": _("Choose a penalty type from the list.")})
    date_from = _date(_("Decided from"))
    date_to = _date(_("Decided until"))
    amount_min = _amount(_("Fine from (yuan)"))
    amount_max = _amount(_("Fine up to (yuan)"))
    sort = forms.ChoiceField(label=_("Sort"), required=False,
                             error_messages={"invalid_choice": _("Choose a sort order from the list.")})
    page = forms.IntegerField(label=_("Page"), required=False, min_value=1, max_value=1_000_000,
                              error_messages={"invalid": _("The page number must be a whole number from 1."),
                                              "min_value": _("The page number must be a whole number from 1."),
                                              "max_value": _("The page number is too large.")})

    #: Fields shown in the form (`page` travels in the pager links only).
    FILTER_FIELDS = ("q", "unit", "kind", "penalty_type", "date_from", "date_to", "amount_min", "amount_max", "sort")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        every = ("", _("All"))
        self.fields["unit"].choices = [every, *selectors_portal.unit_choices()]
        self.fields["kind"].choices = [every, *selectors_portal.decision_kind_choices()]
        self.fields["penalty_type"].choices = [every, *selectors_portal.penalty_type_choices()]
        self.fields["sort"].choices = [(key, SORT_LABELS.get(key, key)) for key in PUBLIC_SORTS]

    def clean(self):
        data = super().clean()
        low, high = data.get("amount_min"), data.get("amount_max")
        if low is not None and high is not None and low > high:
            self.add_error("amount_max", _("The upper fine bound is below the lower one."))
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def filters(self) -> dict:
        """The cleaned filters as keyword arguments of `selectors_portal.search_decisions`."""
        data = self.cleaned_data
        return {"q": data.get("q") or None, "unit": data.get("unit") or None, "kind": data.get("kind") or None,
                "penalty_type": data.get("penalty_type") or None, "date_from": data.get("date_from"),
                "date_to": data.get("date_to"), "amount_min": data.get("amount_min"),
                "amount_max": data.get("amount_max"), "sort": data.get("sort") or None,
                "page": data.get("page") or 1}

    def filter_fields(self):
        return [self[name] for name in self.FILTER_FIELDS]
