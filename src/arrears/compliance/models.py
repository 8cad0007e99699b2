"""Every decision of the compliance guard, allowed or refused, with the rules and reasons.

The guard itself is pure (``arrears.compliance.guard``); this record is what the compliance report,
QA and auditors read: who asked to contact whom, on which channel and for what, and what the
guard said.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ContactDecision(models.Model):
    """One proposed outbound contact and the guard's answer."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="contact_decisions")
    at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )  # None: the system (the nightly strategy)
    channel = models.CharField(_("channel"), max_length=32)
    party = models.CharField(_("party"), max_length=16)
    purpose = models.CharField(_("purpose"), max_length=16)
    contact_point = models.ForeignKey(
        "debtors.ContactPoint", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    allowed = models.BooleanField(_("allowed"))
    # [{"rule": id, "reason": "中文 / English", "matched": phrase or null}]
    violations = models.JSONField(_("rules that refused"), default=list, blank=True)
    next_allowed_at = models.DateTimeField(_("allowed again at"), null=True, blank=True)
    profile = models.CharField(_("compliance profile"), max_length=16)
    profile_version = models.CharField(max_length=32)
    request_id = models.CharField(max_length=36, blank=True)

    class Meta:
        verbose_name = _("compliance decision")
        verbose_name_plural = _("compliance decisions")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["allowed", "at"], name="decision_allowed_at"),
            models.Index(fields=["actor", "at"], name="decision_actor_at"),  # refusals on my day
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.channel} {'allowed' if self.allowed else 'refused'}"
