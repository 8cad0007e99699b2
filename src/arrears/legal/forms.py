"""Forms of the legal track. Each has its own prefix, so several live on the case's legal page and
the one that failed comes back with its errors and everything typed, the others fresh."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from arrears.documents.models import Document
from arrears.legal.models import LegalCost, Suit

_DATE = {"type": "date"}


def _date(label: str) -> forms.DateField:
    return forms.DateField(label=label, widget=forms.DateInput(_DATE))


def _note(label: str, *, required: bool = False) -> forms.CharField:
    return forms.CharField(label=label, required=required, widget=forms.Textarea({"rows": 2}))


def _money(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, max_digits=14, decimal_places=2, min_value=0,
        widget=forms.NumberInput(attrs={"step": "0.01"}),
    )  # fmt: skip


class ProposeForm(forms.Form):
    prefix = "propose"
    reason = _note(_("Why legal action"), required=True)


class DecideForm(forms.Form):
    # No prefix: the desk writes one small form per proposal by hand.
    note = forms.CharField(label=_("Reason for the decision"), max_length=2000)


class LetterForm(forms.Form):
    prefix = "letter"
    sent_on = _date(_("Sent on"))
    law_firm = forms.CharField(label=_("Law firm"), max_length=200)
    reference = forms.CharField(label=_("Letter reference"), max_length=64)
    document = forms.ModelChoiceField(
        label=_("The letter among the case's documents"), queryset=Document.objects.none(), required=False
    )

    def __init__(self, *args: object, documents: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if documents is not None:
            self.fields["document"].queryset = documents


class SuitForm(forms.Form):
    prefix = "suit"
    court = forms.CharField(label=_("Court"), max_length=200)
    case_number = forms.CharField(label=_("Court case number (案号)"), max_length=64)
    filed_on = _date(_("Filed on"))


class HearingForm(forms.Form):
    prefix = "hearing"
    at = forms.DateTimeField(
        label=_("Hearing at"),
        widget=forms.DateTimeInput({"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    note = _note(_("Notes"))


class JudgmentForm(forms.Form):
    prefix = "judgment"
    judgment_on = _date(_("Judgment date"))
    amount = _money(_("Amount awarded"))
    note = _note(_("Judgment"))


class EnforcementForm(forms.Form):
    prefix = "enforcement"
    applied_on = _date(_("Applied for on"))
    number = forms.CharField(label=_("Enforcement case number"), max_length=64, required=False)
    outcome = forms.ChoiceField(label=_("Enforcement outcome"), choices=Suit.Enforcement.choices[1:])
    note = _note(_("Notes"))


class CostForm(forms.Form):
    prefix = "cost"
    kind = forms.ChoiceField(label=_("Kind"), choices=LegalCost.Kind.choices)
    amount = _money(_("Amount"))
    incurred_on = _date(_("Incurred on"))
    reference = forms.CharField(label=_("Receipt or invoice reference"), max_length=64)
