"""Forms of the letters pages: they validate input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from arrears.documents.kinds import LETTERS
from arrears.documents.models import LawFirm, Letterhead

LETTER_LABELS = {
    "demand_letter": _("Demand letter"),
    "lawyer_letter": _("Lawyer's letter"),
    "plan_agreement": _("Repayment plan agreement"),
    "credit_notice": _("Credit-bureau reporting notice"),
    "locate_letter": _("Locate letter"),
}
KIND_CHOICES = [(k.code, LETTER_LABELS[k.code]) for k in LETTERS]
BATCH_CHOICES = [(c, label) for c, label in KIND_CHOICES if c != "locate_letter"]


class LetterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Letter"), choices=KIND_CHOICES)
    law_firm = forms.IntegerField(required=False)
    contact_person = forms.IntegerField(required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)


class MailingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Letter"), choices=BATCH_CHOICES)
    law_firm = forms.ModelChoiceField(label=_("Law firm"), queryset=LawFirm.objects.none(), required=False)
    day = forms.DateField(
        label=_("Strategy tasks due on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    accounts = forms.CharField(
        label=_("Or these account numbers"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One account number a line."),
    )  # fmt: skip

    def __init__(self, *args, firms=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if firms is not None:
            self.fields["law_firm"].queryset = firms

    def clean(self):
        data = super().clean()
        if not data.get("day") and not (data.get("accounts") or "").strip():
            raise forms.ValidationError(_("Choose a date of strategy tasks or list account numbers."))
        return data


class RegisterForm(forms.Form):
    file = forms.FileField(label=_("Register with tracking numbers (.xlsx)"))


class DispatchForm(forms.Form):
    sent_on = forms.DateField(
        label=_("Sent on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=64, required=False)
    delivered_on = forms.DateField(
        label=_("Delivered on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    proof = forms.FileField(label=_("Proof of delivery"), required=False)
    returned_reason = forms.CharField(
        label=_("Returned undeliverable because"), max_length=200, required=False
    )


class LawFirmForm(forms.ModelForm):
    class Meta:
        model = LawFirm
        fields = ["name", "licence_number", "address", "phone", "lawyers", "active"]


class LetterheadForm(forms.ModelForm):
    class Meta:
        model = Letterhead
        fields = ["phone", "address", "check_how", "repay_how", "dispute_how", "locate_phone", "reply_days"]


class TemplateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Letter"), choices=KIND_CHOICES)
    body = forms.CharField(
        label=_("Body paragraphs"), required=False, widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Paragraphs separated by a blank line; placeholders such as {debtor_name} or {total}. "
                    "Empty: the standard wording."),
    )  # fmt: skip
