"""The upload form for case intake."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from arrears.core.access import restrict
from arrears.creditors.models import ColumnMapping, Placement
from arrears.intake.reader import SUPPORTED_EXTENSIONS


class UploadForm(forms.Form):
    placement = forms.ModelChoiceField(label=_("Placement"), queryset=Placement.objects.none())
    file = forms.FileField(label=_("Creditor file (.xlsx or .csv)"))
    mapping = forms.ModelChoiceField(
        label=_("Saved column mapping"),
        queryset=ColumnMapping.objects.none(),
        required=False,
        help_text=_("Only needed when the creditor's headers are not recognised."),
    )
    business_date = forms.DateField(
        label=_("Business date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Days past due are counted to this date; empty means today."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["placement"].queryset = restrict(
            Placement.objects.select_related("creditor"), user
        ).order_by("creditor__code", "-entrusted_on")
        self.fields["placement"].label_from_instance = lambda p: f"{p.creditor.code} · {p.name}"
        self.fields["mapping"].queryset = restrict(ColumnMapping.objects.select_related("creditor"), user)
        self.fields["mapping"].label_from_instance = lambda m: f"{m.creditor.code} · {m.name}"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(tuple(SUPPORTED_EXTENSIONS)):
            raise forms.ValidationError(_("Only .xlsx, .xls and .csv files can be imported."))
        if upload.size > settings.ARREARS_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than the configured upload limit."))
        return upload

    def clean(self):
        data = super().clean()
        mapping, placement = data.get("mapping"), data.get("placement")
        if mapping and placement and mapping.creditor_id != placement.creditor_id:
            self.add_error("mapping", _("This mapping belongs to another creditor."))
        return data
