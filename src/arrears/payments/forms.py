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


class WaiverRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Request"), choices=[("settlement", _("Settlement")), ("waiver", _("Waiver"))]
    )
    settle_amount = forms.DecimalField(
        label=_("Settlement amount"), max_digits=14, decimal_places=2, required=False,
        widget=forms.NumberInput(attrs={"placeholder": _("Settlement amount"), "step": "0.01"}),
    )  # fmt: skip
    due_on = forms.DateField(
        label=_("Pay by"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    waive_interest = forms.DecimalField(
        label=_("Waive interest"), max_digits=14, decimal_places=2, required=False
    )
    waive_late_fee = forms.DecimalField(
        label=_("Waive late fee"), max_digits=14, decimal_places=2, required=False
    )
    waive_fees = forms.DecimalField(
        label=_("Waive other fees"), max_digits=14, decimal_places=2, required=False
    )
    reason = forms.CharField(label=_("Reason and evidence"), widget=forms.Textarea(attrs={"rows": 2}))

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        if data["kind"] == "settlement":
            return {"kind": "settlement", "settle_amount": data["settle_amount"], "due_on": data["due_on"],
                    "reason": data["reason"]}  # fmt: skip
        amounts = {
            "interest": data["waive_interest"],
            "late_fee": data["waive_late_fee"],
            "fees": data["waive_fees"],
        }
        return {
            "kind": "waiver",
            "amounts": {k: v for k, v in amounts.items() if v},
            "reason": data["reason"],
        }


class PlanForm(forms.Form):
    down_payment = forms.DecimalField(
        label=_("Down payment"), max_digits=14, decimal_places=2, min_value=0,
        widget=forms.NumberInput(attrs={"placeholder": _("Down payment"), "step": "0.01"}),
    )  # fmt: skip
    months = forms.IntegerField(
        label=_("Months"),
        min_value=2,
        max_value=60,
        widget=forms.NumberInput(attrs={"placeholder": _("Months")}),
    )
    first_due = forms.DateField(
        label=_("First instalment due"), widget=forms.DateInput(attrs={"type": "date"})
    )
    waive_interest = forms.DecimalField(
        label=_("Waive interest"), max_digits=14, decimal_places=2, required=False
    )
    waive_fees = forms.DecimalField(
        label=_("Waive other fees"), max_digits=14, decimal_places=2, required=False
    )
