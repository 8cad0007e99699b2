"""Forms for the case pages: filter the list, assign a case, spread cases over a team."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from arrears.accounts.models import Team, User
from arrears.cases.models import CaseStatus
from arrears.cases.selectors import CaseFilters
from arrears.core.access import restrict
from arrears.core.roles import Role
from arrears.creditors.buckets import DEFAULT_BANDS, bucket_labels
from arrears.creditors.models import Creditor


class CaseFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Name, last 4 of ID, phone or account number")}),
    )
    bucket = forms.ChoiceField(label=_("Bucket"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *CaseStatus.choices]
    )
    collector = forms.TypedChoiceField(label=_("Collector"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The buckets of the creditors in the user's scope: creditors may band their books differently.
        bands = list(restrict(Creditor.objects.all(), user).values_list("bucket_bands", flat=True))
        labels = {label for band in (bands or [DEFAULT_BANDS]) for label in bucket_labels(band)}
        ordered = sorted(labels, key=lambda label: (int(label[1:].rstrip("+")), label.endswith("+")))
        self.fields["bucket"].choices = [("", _("All buckets"))] + [(b, b) for b in ordered]
        collectors = restrict(
            User.objects.filter(role__in=[Role.COLLECTOR, Role.FIELD_AGENT]), user
        ).order_by("username")
        self.fields["collector"].choices = [("", _("All collectors"))] + [(u.pk, str(u)) for u in collectors]

    def filters(self) -> CaseFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return CaseFilters(
            q=data.get("q") or "",
            bucket=data.get("bucket") or "",
            status=data.get("status") or "",
            collector=data.get("collector"),
        )


class AssignForm(forms.Form):
    collector = forms.ModelChoiceField(label=_("Collector"), queryset=User.objects.none(), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        qs = restrict(User.objects.filter(role=Role.COLLECTOR, is_active=True), user)
        if user.role == Role.TEAM_LEAD:
            qs = qs.filter(team_id=user.team_id)
        self.fields["collector"].queryset = qs.order_by("username")


class DistributeForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none())
    only_unassigned = forms.BooleanField(
        label=_("Only cases without a collector"), required=False, initial=True
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        qs = restrict(Team.objects.all(), user)
        if user.role == Role.TEAM_LEAD:
            qs = qs.filter(pk=user.team_id)
        self.fields["team"].queryset = qs
