"""Payments received (回款) and promises to pay (承诺还款).

The foundation keeps them as records on the case; the money issue adds the ledger that allocates
each payment to the balance components.
"""

from __future__ import annotations

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

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="payments")
    amount = MoneyField(_("amount"))
    paid_on = models.DateField(_("paid on"))
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    reference = models.CharField(_("reference"), max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-paid_on", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_positive")]

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

    def __str__(self) -> str:
        return f"{self.case_id} {self.amount} {self.due_on}"
