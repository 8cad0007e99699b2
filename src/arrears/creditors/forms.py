"""Forms for creditors and placements: validation only; the services do the writing."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from arrears.creditors.buckets import validate_bands
from arrears.creditors.models import Creditor, Placement, Product


class BandsField(forms.CharField):
    """Bucket bands typed as ``30, 60, 90, 120, 150, 180``."""

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(str(v) for v in value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        try:
            bands = [int(part) for part in text.replace("，", ",").split(",") if part.strip()]
        except ValueError:
            raise forms.ValidationError(
                _("Write the upper DPD bound of each bucket, e.g. 30, 60, 90.")
            ) from None
        try:
            validate_bands(bands)
        except ValueError:
            raise forms.ValidationError(_("Bucket bands must be increasing whole numbers of days.")) from None
        return bands


class CreditorForm(forms.ModelForm):
    bucket_bands = BandsField(
        label=_("Bucket bands"),
        help_text=_("Upper DPD bound of M1, M2, …; above the last is the final bucket."),
    )

    class Meta:
        model = Creditor
        fields = ["code", "name", "compliance_profile", "compliance_tightening", "bucket_bands", "active"]
        help_texts = {
            "compliance_tightening": _(
                'JSON, e.g. {"quiet_hours": {"end": "21:00"}}: may only make the profile stricter.'
            )
        }

    def clean_compliance_tightening(self) -> dict:
        return self.cleaned_data["compliance_tightening"] or {}  # an empty box means no tightening


class PlacementForm(forms.ModelForm):
    class Meta:
        model = Placement
        fields = ["creditor", "name", "entrusted_on", "return_on", "product_type", "commission_rate"]
        widgets = {
            "entrusted_on": forms.DateInput(attrs={"type": "date"}),
            "return_on": forms.DateInput(attrs={"type": "date"}),
        }

    def clean(self):
        data = super().clean()
        if data.get("entrusted_on") and data.get("return_on") and data["return_on"] < data["entrusted_on"]:
            self.add_error("return_on", _("The return date cannot be before the entrusted date."))
        return data


class ColumnMappingForm(forms.Form):
    """A creditor's own headers, one per line: ``header text = field``."""

    name = forms.CharField(label=_("Name"), max_length=100)
    mapping = forms.CharField(
        label=_("Column mapping"),
        widget=forms.Textarea(attrs={"rows": 10, "cols": 60}),
        help_text=_(
            "One column per line: the header as in the file, an equals sign, then a field name, "
            "extra (keep as an attribute) or ignore."
        ),
    )

    def clean_mapping(self) -> dict[str, str]:
        pairs: dict[str, str] = {}
        for number, line in enumerate(self.cleaned_data["mapping"].splitlines(), start=1):
            if not line.strip():
                continue
            header, sep, target = line.rpartition("=")
            if not sep or not header.strip():
                raise forms.ValidationError(_("Line %(n)d: write it as “header = field”.") % {"n": number})
            pairs[header.strip()] = target.strip()
        if not pairs:
            raise forms.ValidationError(_("Give at least one column."))
        return pairs


class WaterfallField(forms.CharField):
    """The payment waterfall typed as component codes in order, e.g. ``legal_costs, fees, …``."""

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        text = super().to_python(value)
        return [part.strip() for part in text.replace("，", ",").split(",") if part.strip()]


class ProductForm(forms.ModelForm):
    waterfall = WaterfallField(
        label=_("Payment waterfall"),
        help_text=_(
            "What a payment pays, first to last, each once: legal_costs (legal costs), fees (fees), "
            "late_fee (late fee), interest (interest), principal (principal)."
        ),
    )

    class Meta:
        model = Product
        fields = [
            "code", "product_type", "is_default", "accrues", "daily_rate", "statement_day_included",
            "compound", "interest_on_fees", "late_fee_rate", "late_fee_floor", "late_fee_cap",
            "late_fee_fixed", "penalty_multiple", "waterfall", "max_plan_months", "apr_ceiling",
        ]  # fmt: skip
