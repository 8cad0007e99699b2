"""Disputes (异议): the debtor contests the debt, and collection on it pauses until it is resolved.

While a dispute is open the case is ``disputed``, which the compliance guard reads as a hold: no
demand goes out. The complaints workflow with its deadlines (C10) builds on this model.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Dispute(models.Model):
    """A debtor's objection to the debt or part of it, opened from a contact and resolved by review."""

    class Status(models.TextChoices):
        OPEN = "open", _("Under review")
        UPHELD = "upheld", _("Upheld")
        REJECTED = "rejected", _("Not upheld")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="disputes")
    opened_at = models.DateTimeField(_("opened at"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("what the debtor contests"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolution = models.TextField(_("resolution"), blank=True)
    # The case's status when the dispute was opened, restored when the case's disputes are resolved.
    status_before = models.CharField(_("status before"), max_length=16, blank=True)

    class Meta:
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["case", "status"], name="dispute_case_status")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.status}"
