"""The compliance officer's tester: a case and a proposed contact."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

CHANNELS = [
    ("call", _("Phone call")), ("ai_call", _("AI voice call")), ("sms", _("SMS")), ("email", _("E-mail")),
    ("letter", _("Letter")), ("visit", _("Field visit")),
    ("wechat_group", _("Group message (no such channel: always refused)")),
]  # fmt: skip
PURPOSES = [("demand", _("Demand for payment")), ("locate", _("Locate the debtor")), ("notice", _("Notice"))]


class ProposedContactForm(forms.Form):
    account_number = forms.CharField(label=_("Account number"), max_length=64)
    party = forms.ChoiceField(label=_("Whom"), choices=[("debtor", _("Debtor")), ("contact", _("A contact"))])
    channel = forms.ChoiceField(label=_("Channel"), choices=CHANNELS)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=PURPOSES)
    content = forms.CharField(
        label=_("Text of the message"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    collectors = forms.IntegerField(label=_("Collectors on a visit"), min_value=1, max_value=10, initial=1)
    at = forms.DateTimeField(
        label=_("At (empty: now)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
