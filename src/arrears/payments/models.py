"""Payments received (回款) and promises to pay (承诺还款).

A payment is allocated to the balance components by the creditor's waterfall and booked as ledger
entries (``LedgerEntry``); the case's balances are the sum of its ledger.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from arrears.core.fields import MoneyField


class Payment(models.Model):
    """Money received on a case. ``reference`` is the bank's; the same reference is posted once."""

    class Channel(models.TextChoices):
        BANK_TRANSFER = "bank_transfer", _("Bank transfer")
        ALIPAY = "alipay", _("Alipay")
        WECHAT = "wechat", _("WeChat Pay")
        COUNTER = "counter", _("Bank counter")

    # A bank's reference is unique within the organisation receiving the money, not across all.
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="payments")
    amount = MoneyField(_("amount"))
    paid_on = models.DateField(_("paid on"))
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    reference = models.CharField(_("reference"), max_length=64)
    # More than the case owed: kept here for finance to refund or place, never booked to the ledger.
    unallocated = MoneyField(_("not allocated"), db_default=Decimal("0.00"))
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    reversed_at = models.DateTimeField(_("reversed at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-paid_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_positive"),
            models.UniqueConstraint(fields=["organisation", "reference"], name="payment_unique_reference"),
        ]
        indexes = [models.Index(fields=["paid_on"], name="payment_paid_on")]

    def __str__(self) -> str:
        return f"{self.reference} {self.amount}"


class Promise(models.Model):
    """A promise to pay an amount by a date, and whether it was kept."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        KEPT = "kept", _("Kept")
        PARTLY_KEPT = "partly_kept", _("Partly kept")
        BROKEN = "broken", _("Broken")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="promises")
    made_at = models.DateTimeField(_("made at"))
    amount = MoneyField(_("amount"))
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("promise to pay")
        verbose_name_plural = _("promises to pay")
        ordering = ["-due_on", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="promise_positive")]
        indexes = [
            models.Index(fields=["status", "due_on"], name="promise_status_due"),  # promises due
            models.Index(fields=["made_by", "made_at"], name="promise_made_by_at"),  # my day
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.amount} {self.due_on}"


class LedgerEntry(models.Model):
    """One immutable line of a case's ledger (查账): what changed which component, when and why.

    The case's balance columns are the sum of these lines, always; entries are only ever added
    (a mistake is corrected by a reversal or an adjustment, never by editing a line).
    """

    class Kind(models.TextChoices):
        OPENING = "opening", _("Opening balance")
        INTEREST = "interest", _("Interest")
        LATE_FEE = "late_fee", _("Late fee")
        FEE = "fee", _("Fee")
        PAYMENT = "payment", _("Payment")
        REVERSAL = "reversal", _("Reversal")
        WAIVER = "waiver", _("Waiver")
        ADJUSTMENT = "adjustment", _("Adjustment")
        WRITE_OFF = "write_off", _("Write-off")
        LEGAL_COST = "legal_cost", _("Legal cost")

    class Component(models.TextChoices):
        PRINCIPAL = "principal", _("Principal")
        INTEREST = "interest", _("Interest")
        LATE_FEE = "late_fee", _("Late fee")
        FEES = "fees", _("Other fees")
        LEGAL_COSTS = "legal_costs", _("Legal costs")

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="ledger")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    component = models.CharField(_("component"), max_length=16, choices=Component.choices)
    amount = MoneyField(_("amount"))  # signed: what the entry did to the component's balance
    on = models.DateField(_("business date"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    reverses = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(_("recorded at"))
    # The statement date an accrued charge bills (the nightly run's): a cycle is billed once.
    cycle = models.DateField(_("billing cycle"), null=True, blank=True)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["on", "id"]
        indexes = [models.Index(fields=["case", "on"], name="ledger_case_on")]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind", "cycle"],
                condition=models.Q(cycle__isnull=False) & ~models.Q(kind="adjustment"),
                name="ledger_cycle_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.component} {self.amount}"


class SuspenseItem(models.Model):
    """A payment from a bank's file that could not be matched to exactly one case (挂账).

    Nothing a bank sends is dropped: finance resolves each item by choosing the case, which posts
    the payment; the item keeps who resolved it and when. The ID number is kept only masked.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Resolved")

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(_("file name"), max_length=255)
    row = models.IntegerField(_("row"))
    reference = models.CharField(_("reference"), max_length=64)
    amount = MoneyField(_("amount"))
    paid_on = models.DateField(_("paid on"))
    channel = models.CharField(_("channel"), max_length=16, choices=Payment.Channel.choices)
    account_number = models.CharField(_("account number"), max_length=64, blank=True)
    id_masked = models.CharField(_("ID number"), max_length=18, blank=True)
    reason = models.CharField(_("reason"), max_length=200)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("suspense item")
        verbose_name_plural = _("suspense items")
        ordering = ["status", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "reference"], name="suspense_unique_reference")
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.amount}"


def approver_label(role: str) -> str:
    """Who a request waits for, as people say it: a role, or the creditor above the chain."""
    from arrears.accounts.models import ROLE_CHOICES

    return str(_("The creditor")) if role == "creditor" else str(dict(ROLE_CHOICES).get(role, role))


class WaiverRequest(models.Model):
    """A request to forgive part of a balance (减免): a waiver now, or a settlement (pay X by a date,
    the rest forgiven). Approved by someone whose authority covers it, never by the requester."""

    class Kind(models.TextChoices):
        WAIVER = "waiver", _("Waiver")
        SETTLEMENT = "settlement", _("Settlement")

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        APPROVED = "approved", _("Approved, awaiting payment")
        REJECTED = "rejected", _("Rejected")
        COMPLETED = "completed", _("Completed")
        EXPIRED = "expired", _("Expired: not paid in time")

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="waivers")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    # Per component: {"interest": "120.00", ...}; for a settlement, what the debtor need not pay.
    amounts = models.JSONField(_("amounts waived"), default=dict)
    waived = MoneyField(_("total waived"))
    share = models.DecimalField(_("share of the balance"), max_digits=5, decimal_places=4)
    settle_amount = MoneyField(_("settlement amount"), null=True, blank=True, default=None)
    due_on = models.DateField(_("pay by"), null=True, blank=True)
    reason = models.TextField(_("reason and evidence"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    needs_role = models.CharField(_("approved by"), max_length=16)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        verbose_name = _("waiver request")
        verbose_name_plural = _("waiver requests")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.waived}"

    @property
    def needs_label(self) -> str:
        return approver_label(self.needs_role)


class RepaymentPlan(models.Model):
    """A personalised instalment plan (个性化分期): a down payment, then 2–60 monthly instalments.

    Waived interest and fees are forgiven only when the plan is completed; a broken plan leaves the
    original balance less what was paid, which is simply what the ledger holds then.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        ACTIVE = "active", _("Active")
        BROKEN = "broken", _("Broken")
        COMPLETED = "completed", _("Completed")
        REJECTED = "rejected", _("Rejected")

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="plans")
    down_payment = MoneyField(_("down payment"))
    months = models.PositiveSmallIntegerField(_("months"))
    first_due = models.DateField(_("first instalment due"))
    waive_interest = MoneyField(_("interest waived on completion"))
    waive_fees = MoneyField(_("fees waived on completion"))
    plan_total = MoneyField(_("amount to pay under the plan"))
    missed_limit = models.PositiveSmallIntegerField(_("missed instalments that break the plan"), default=2)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    needs_role = models.CharField(_("approved by"), max_length=16, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    activated_at = models.DateTimeField(_("active since"), null=True, blank=True)

    class Meta:
        verbose_name = _("repayment plan")
        verbose_name_plural = _("repayment plans")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.months}×"


class PlanInstalment(models.Model):
    """One instalment of a plan (number 0 is the down payment) and how it went."""

    class Status(models.TextChoices):
        DUE = "due", _("Due")
        PAID = "paid", _("Paid")
        LATE = "late", _("Paid late")
        MISSED = "missed", _("Missed")

    plan = models.ForeignKey(RepaymentPlan, on_delete=models.CASCADE, related_name="instalments")
    number = models.PositiveSmallIntegerField(_("number"))
    due_on = models.DateField(_("due on"))
    amount = MoneyField(_("amount"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.DUE)

    class Meta:
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="instalment_unique_number")]

    def __str__(self) -> str:
        return f"{self.plan_id} #{self.number}"


class PaymentClaim(models.Model):
    """The debtor says they have already paid (已还款): finance checks it before anyone relies on it.

    A claim changes no balance. Finance finds the payment (posted, or still in suspense) and marks
    the claim confirmed with it, or not found; the collector sees the answer on the case.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("To check")
        CONFIRMED = "confirmed", _("Payment found")
        NOT_FOUND = "not_found", _("No such payment")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="payment_claims")
    claimed_at = models.DateTimeField(_("claimed at"))
    claimed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    amount = MoneyField(_("amount"), null=True, blank=True, default=None)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    how = models.CharField(_("how it was paid"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("payment claim")
        verbose_name_plural = _("payment claims")
        ordering = ["status", "-claimed_at"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.amount} {self.status}"
