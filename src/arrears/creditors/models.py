"""Creditors (委托方), their placements (委案批次) and saved intake column mappings."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from arrears.core.fields import MoneyField
from arrears.creditors.buckets import DEFAULT_BANDS
from arrears.money.fees import ProductRules
from arrears.money.ledger import DEFAULT_ORDER


class ComplianceProfile(models.TextChoices):
    CN = "CN", _("China (CBA 2026 / GB/T 45251-2025)")
    US_REGF = "US-REGF", _("United States (FDCPA / Regulation F)")


class ProductType(models.TextChoices):
    CREDIT_CARD = "credit_card", _("Credit card")
    CONSUMER_LOAN = "consumer_loan", _("Consumer loan")


def default_bands() -> list[int]:
    return list(DEFAULT_BANDS)


def default_waterfall() -> list[str]:
    return [c.value for c in DEFAULT_ORDER]


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


# The ProductRules fields a product stores as columns (the waterfall is a JSON list; the penalty's
# day basis keeps the core's default).
RULE_FIELDS = (
    "daily_rate", "statement_day_included", "compound", "interest_on_fees", "late_fee_rate", "late_fee_floor",
    "late_fee_cap", "late_fee_fixed", "penalty_multiple", "max_plan_months", "apr_ceiling",
)  # fmt: skip


class Product(models.Model):
    """A creditor product's money rules (产品规则): interest, late fee, penalty interest, the payment
    waterfall, the longest plan and the cost ceiling. The pure money core computes with them
    (``arrears.money.fees.ProductRules``); a case takes the product named in the creditor's file, or
    the creditor's default product of the placement's type, or the domain defaults."""

    creditor = models.ForeignKey(Creditor, on_delete=models.PROTECT, related_name="products")
    code = models.CharField(_("product code"), max_length=100, help_text=_("As in the creditor's files."))
    product_type = models.CharField(_("product type"), max_length=16, choices=ProductType.choices)
    is_default = models.BooleanField(_("default for its type"), default=False)
    # Off for accounts placed with interest frozen (停息挂账): the balance stays as placed.
    accrues = models.BooleanField(
        _("interest and fees accrue in collection"), default=True,
        help_text=_("Billed by the nightly run on each cycle day. Off: frozen at placement (停息挂账)."),
    )  # fmt: skip
    daily_rate = models.DecimalField(
        _("daily interest rate"), max_digits=8, decimal_places=6, default=Decimal("0.0005")
    )
    statement_day_included = models.BooleanField(_("statement day accrues"), default=True)
    compound = models.BooleanField(_("interest compounds on statement"), default=False)
    interest_on_fees = models.BooleanField(_("interest on fees and late fees"), default=False)
    late_fee_rate = models.DecimalField(
        _("late fee rate (of the unpaid minimum)"), max_digits=6, decimal_places=4, default=Decimal("0.05")
    )
    late_fee_floor = MoneyField(_("late fee floor"), null=True, blank=True, default=None)
    late_fee_cap = MoneyField(_("late fee cap"), null=True, blank=True, default=None)
    late_fee_fixed = MoneyField(_("fixed late fee"), null=True, blank=True, default=None)
    penalty_multiple = models.DecimalField(
        _("penalty interest multiple"), max_digits=5, decimal_places=2, default=Decimal("1.50")
    )
    waterfall = models.JSONField(_("payment waterfall"), default=default_waterfall)
    max_plan_months = models.PositiveSmallIntegerField(_("longest repayment plan (months)"), default=60)
    apr_ceiling = models.DecimalField(
        _("annual cost ceiling"), max_digits=5, decimal_places=4, default=Decimal("0.24")
    )

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["creditor", "code"]
        constraints = [
            models.UniqueConstraint(fields=["creditor", "code"], name="product_unique_code"),
            models.UniqueConstraint(
                fields=["creditor", "product_type"],
                condition=models.Q(is_default=True),
                name="product_one_default",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.creditor.code} {self.code}"

    def rules(self) -> ProductRules:
        """The rules as the money core reads them; raises ValueError for an inconsistent product."""
        stored = {name: getattr(self, name) for name in RULE_FIELDS}
        return ProductRules(**stored, waterfall=tuple(self.waterfall))
