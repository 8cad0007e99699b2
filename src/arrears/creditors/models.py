"""Creditors (委托方), their placements (委案批次) and saved intake column mappings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from arrears.creditors.buckets import DEFAULT_BANDS


class ComplianceProfile(models.TextChoices):
    CN = "CN", _("China (CBA 2026 / GB/T 45251-2025)")
    US_REGF = "US-REGF", _("United States (FDCPA / Regulation F)")


class ProductType(models.TextChoices):
    CREDIT_CARD = "credit_card", _("Credit card")
    CONSUMER_LOAN = "consumer_loan", _("Consumer loan")


def default_bands() -> list[int]:
    return list(DEFAULT_BANDS)


class Creditor(models.Model):
    """A bank or lender that owns debt and places it for collection."""

    # The organisation that keeps this creditor's record and works its placements.
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="creditors", verbose_name=_("kept by")
    )
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    compliance_profile = models.CharField(
        _("compliance profile"),
        max_length=16,
        choices=ComplianceProfile.choices,
        default=ComplianceProfile.CN,
    )
    # The creditor's own, stricter limits on top of the profile, e.g. {"quiet_hours": {"end": "21:00"}};
    # checked when saved, and a tightening can never loosen the profile.
    compliance_tightening = models.JSONField(_("stricter rules of this creditor"), default=dict, blank=True)
    bucket_bands = models.JSONField(_("bucket bands (upper DPD bound of each bucket)"), default=default_bands)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("creditor")
        verbose_name_plural = _("creditors")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def profile(self):
        """The compliance profile that governs contacts on this creditor's cases."""
        from arrears.compliance.guard import load_profile

        return load_profile(self.compliance_profile, tighten=self.compliance_tightening or None)


class Placement(models.Model):
    """A batch of accounts a creditor hands over on a date, due back on the return date."""

    creditor = models.ForeignKey(Creditor, on_delete=models.PROTECT, related_name="placements")
    # The organisation working the batch: the bank's own department or an agency. Access follows it.
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="placements",
        verbose_name=_("handled by"),
    )
    name = models.CharField(_("name"), max_length=100)
    entrusted_on = models.DateField(_("entrusted on"))
    return_on = models.DateField(_("return date"))
    product_type = models.CharField(_("product type"), max_length=16, choices=ProductType.choices)
    commission_rate = models.DecimalField(_("commission rate"), max_digits=5, decimal_places=4, default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["creditor", "-entrusted_on", "name"]
        constraints = [
            models.UniqueConstraint(fields=["creditor", "name"], name="placement_unique_name"),
            models.CheckConstraint(
                condition=models.Q(return_on__gte=models.F("entrusted_on")),
                name="placement_return_after_entrust",
            ),
            models.CheckConstraint(
                condition=models.Q(commission_rate__gte=0, commission_rate__lte=1),
                name="placement_commission_0_1",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ColumnMapping(models.Model):
    """A creditor's own header names, saved so its next files map without help.

    ``mapping`` is ``{header text as in the file: canonical field, "extra" or "ignore"}``.
    """

    creditor = models.ForeignKey(Creditor, on_delete=models.CASCADE, related_name="column_mappings")
    name = models.CharField(_("name"), max_length=100)
    mapping = models.JSONField(_("mapping"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")
        constraints = [models.UniqueConstraint(fields=["creditor", "name"], name="mapping_unique_name")]

    def __str__(self) -> str:
        return self.name
