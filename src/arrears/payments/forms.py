"""Forms for promises, payments, payment files and suspense items."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from arrears.payments.models import Payment


class PromiseForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Promised amount"), max_digits=14, decimal_places=2, min_value=0.01,
        widget=forms.NumberInput(attrs={"placeholder": _("Promised amount"), "step": "0.01"}),
    )  # fmt: skip
    due_on = forms.DateField(label=_("Promised date"), widget=forms.DateInput(attrs={"type": "date"}))


class PaymentForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount"), max_digits=14, decimal_places=2, min_value=0.01,
        widget=forms.NumberInput(attrs={"placeholder": _("Amount"), "step": "0.01"}),
    )  # fmt: skip
    paid_on = forms.DateField(label=_("Paid on"), widget=forms.DateInput(attrs={"type": "date"}))
    channel = forms.ChoiceField(label=_("Channel"), choices=Payment.Channel.choices)
    reference = forms.CharField(
        label=_("Bank reference"),
        max_length=64,
        widget=forms.TextInput(attrs={"placeholder": _("Bank reference")}),
    )


class PaymentFileForm(forms.Form):
    file = forms.FileField(label=_("Bank payment file (.xlsx or .csv)"))


class ResolveForm(forms.Form):
    account_number = forms.CharField(label=_("Account number of the case"), max_length=64)
