"""Forms for promises, payments, payment files and suspense items."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from arrears.payments.models import Payment


class PromiseForm(forms.Form):
    amount = forms.DecimalField(label=_("Promised amount"), max_digits=14, decimal_places=2, min_value=0.01)
    due_on = forms.DateField(label=_("Promised date"), widget=forms.DateInput(attrs={"type": "date"}))


class PaymentForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount"), max_digits=14, decimal_places=2, min_value=0.01)
    paid_on = forms.DateField(label=_("Paid on"), widget=forms.DateInput(attrs={"type": "date"}))
    channel = forms.ChoiceField(label=_("Channel"), choices=Payment.Channel.choices)
    reference = forms.CharField(label=_("Bank reference"), max_length=64)


class PaymentFileForm(forms.Form):
    file = forms.FileField(label=_("Bank payment file (.xlsx or .csv)"))


class ResolveForm(forms.Form):
    account_number = forms.CharField(label=_("Account number of the case"), max_length=64)
