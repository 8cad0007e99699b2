"""The outcome of a contact attempt, as the collector records it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from arrears.contacts.models import Outcome, Result


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[c for c in Outcome.choices if c[0] != Outcome.PENDING]
    )
    result = forms.ChoiceField(label=_("Result"), choices=[("", "—"), *Result.choices], required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)
