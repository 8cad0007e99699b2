"""Forms of messaging: a template version, a creditor's sender details, a collector's send."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from arrears.messaging.models import Channel, Language, Purpose


class TemplateForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    code = forms.SlugField(
        label=_("Code"), max_length=64,
        help_text=_("Strategies name templates by code, e.g. early_reminder, promise_reminder."),
    )  # fmt: skip
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)
    title = forms.CharField(label=_("Title"), max_length=100)
    subject = forms.CharField(label=_("Subject (e-mail only)"), max_length=200, required=False)
    body = forms.CharField(label=_("Body"), widget=forms.Textarea({"rows": 10}))
    active = forms.BooleanField(label=_("In use"), required=False, initial=True)


class SenderForm(forms.Form):
    signature = forms.CharField(
        label=_("SMS signature"), max_length=20,
        help_text=_("The sender name registered with the carriers; SMS begin with it in 【】."),
    )  # fmt: skip
    hotline = forms.CharField(
        label=_("Official contact number"), max_length=32,
        help_text=_("The number every message gives debtors to call, to pay or to dispute."),
    )  # fmt: skip


class SendForm(forms.Form):
    template = forms.ChoiceField(label=_("Template"))
    point = forms.ChoiceField(label=_("To"))

    def __init__(self, *args, templates=(), points=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = list(templates)
        self.fields["point"].choices = list(points)
