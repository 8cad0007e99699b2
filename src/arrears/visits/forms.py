"""Forms of the visit pages: they check the shape of the input; the services decide the rest."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from arrears.accounts.models import User
from arrears.core.roles import Role
from arrears.visits.models import Visit


class RequestForm(forms.Form):
    address = forms.CharField(label=_("Address"), max_length=300)
    district = forms.CharField(
        label=_("District"), max_length=100, required=False,
        help_text=_("Left empty, the district is read from the address."),
    )  # fmt: skip
    reason = forms.CharField(label=_("Reason for the visit"), widget=forms.Textarea(attrs={"rows": 3}))


class DecideForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ScheduleForm(forms.Form):
    agents = forms.ModelMultipleChoiceField(
        label=_("Field agents"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    scheduled_for = forms.DateTimeField(
        label=_("Date and time"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )  # fmt: skip
    district = forms.CharField(label=_("District"), max_length=100, required=False)

    def __init__(self, *args, organisation_id: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agents"].queryset = User.objects.filter(
            organisation_id=organisation_id, role=Role.FIELD_AGENT, is_active=True
        ).order_by("display_name", "pk")


class CheckInForm(forms.Form):
    location_note = forms.CharField(
        label=_("Where you are"), max_length=300,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. at the door of unit 3-502")}),
    )  # fmt: skip
    id_shown = forms.BooleanField(label=_("We showed our ID badges"), required=False)


class _MultipleFiles(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Several files in one input; what each file is, the service checks (by its bytes, not its name)."""

    def __init__(self, **kwargs) -> None:
        attrs = {"accept": "audio/*,image/*", "capture": "environment"}
        super().__init__(widget=_MultipleFiles(attrs=attrs), required=False, **kwargs)

    def clean(self, data, initial=None):
        items = data if isinstance(data, (list, tuple)) else [data] if data else []
        return [super(FilesField, self).clean(item, initial) for item in items]


class EvidenceForm(forms.Form):
    files = FilesField(label=_("Recordings and photos"))


class ReportForm(forms.Form):
    met = forms.ChoiceField(
        label=_("Whom did you meet?"), choices=Visit.MetChoice.choices, widget=forms.RadioSelect
    )
    finding = forms.ChoiceField(
        label=_("Result"), choices=[("", _("No result")), *list(Visit.FindingChoice.choices)], required=False,
        widget=forms.RadioSelect,
    )  # fmt: skip
    relationship = forms.CharField(label=_("Family member (relationship)"), max_length=50, required=False)
    promise_amount = forms.DecimalField(
        label=_("Promised amount"), max_digits=14, decimal_places=2, min_value=0, required=False
    )
    promise_due = forms.DateField(
        label=_("Promised by"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    new_phone = forms.CharField(label=_("New phone number"), max_length=32, required=False)
    new_address = forms.CharField(label=_("New address"), max_length=300, required=False)
    entered = forms.BooleanField(
        label=_("We entered the premises, with the occupant's consent"), required=False
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    files = FilesField(label=_("Recordings and photos"))


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Why cancel"), widget=forms.Textarea(attrs={"rows": 2}))
