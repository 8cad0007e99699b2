"""The legal track (法务): escalations to legal, and the record of what legal did on a case.

A collector proposes a case for legal action; someone of the legal role approves or rejects it (never
the proposer). An approved escalation puts the case on the legal track, which the case page shows;
the case's own status is left to collection, so a case in court can still be on a plan or paid.
Legal then records the lawyer's letter, the suit (hearings, judgment, enforcement) and the legal
costs, which are booked to the ledger's own ``legal_costs`` component.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from arrears.core.fields import MoneyField


class Escalation(models.Model):
    """A proposal to take a case to legal (转法务), and legal's decision on it."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed to legal")
        APPROVED = "approved", _("On the legal track")
        REJECTED = "rejected", _("Not taken by legal")

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="escalations")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PROPOSED)
    reason = models.TextField(_("why legal action"))
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(_("proposed at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision reason"), blank=True)

    class Meta:
        verbose_name = _("escalation to legal")
        verbose_name_plural = _("escalations to legal")
        ordering = ["-proposed_at", "-id"]
        constraints = [
            # One live escalation per case: a second proposal would be decided twice.
            models.UniqueConstraint(
                fields=["case"], condition=Q(status__in=["proposed", "approved"]), name="escalation_one_live"
            )
        ]
        indexes = [models.Index(fields=["status", "proposed_at"], name="escalation_status_at")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.status}"


class LawyerLetter(models.Model):
    """A lawyer's letter (律师函) sent on the case: the fact, the firm and its reference. The PDF, when
    arrears produced it, is a document of the case."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="lawyer_letters")
    sent_on = models.DateField(_("sent on"))
    law_firm = models.CharField(_("law firm"), max_length=200)
    reference = models.CharField(_("letter reference"), max_length=64)
    document = models.ForeignKey(
        "documents.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("document"),
    )  # fmt: skip
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("lawyer's letter")
        verbose_name_plural = _("lawyer's letters")
        ordering = ["sent_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "reference"], name="lawyerletter_unique_reference")
        ]

    def __str__(self) -> str:
        return f"{self.law_firm} {self.reference}"


class Suit(models.Model):
    """A lawsuit on the case (诉讼): the court and its case number (案号), then judgment and enforcement."""

    class Enforcement(models.TextChoices):
        NONE = "", _("Not applied for")
        PENDING = "pending", _("Enforcement under way")
        RECOVERED = "recovered", _("Recovered in full")
        PARTLY = "partly", _("Partly recovered")
        TERMINATED = "terminated", _("Ended without recovery (终本)")

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="suits")
    court = models.CharField(_("court"), max_length=200)
    case_number = models.CharField(_("court case number (案号)"), max_length=64)
    filed_on = models.DateField(_("filed on"))
    judgment_on = models.DateField(_("judgment date"), null=True, blank=True)
    judgment_amount = MoneyField(_("amount awarded"), null=True, blank=True, default=None)
    judgment_note = models.TextField(_("judgment"), blank=True)
    enforcement_applied_on = models.DateField(_("enforcement applied for on"), null=True, blank=True)
    enforcement_number = models.CharField(_("enforcement case number"), max_length=64, blank=True)
    enforcement_outcome = models.CharField(
        _("enforcement outcome"), max_length=16, choices=Enforcement.choices, blank=True, default=""
    )
    enforcement_note = models.TextField(_("enforcement note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("lawsuit")
        verbose_name_plural = _("lawsuits")
        ordering = ["filed_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["court", "case_number"], name="suit_unique_court_number"),
            models.CheckConstraint(
                condition=Q(judgment_amount__isnull=True) | Q(judgment_amount__gte=0),
                name="suit_judgment_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.court} {self.case_number}"


class Hearing(models.Model):
    """A court hearing (开庭) of a suit: when, and what happened."""

    suit = models.ForeignKey(Suit, on_delete=models.CASCADE, related_name="hearings")
    at = models.DateTimeField(_("hearing at"))
    note = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["at"], name="hearing_at")]

    def __str__(self) -> str:
        return f"{self.suit_id} {self.at:%Y-%m-%d}"


class LegalCost(models.Model):
    """A legal cost paid on the case (court fee, lawyer's fee, preservation fee …), with the ledger
    entry that charged it to the debtor's ``legal_costs`` balance."""

    class Kind(models.TextChoices):
        COURT_FEE = "court_fee", _("Court fee (诉讼费)")
        LAWYER_FEE = "lawyer_fee", _("Lawyer's fee (律师费)")
        PRESERVATION_FEE = "preservation", _("Preservation fee (保全费)")
        ENFORCEMENT_FEE = "enforcement", _("Enforcement fee (执行费)")
        SERVICE_FEE = "service", _("Service of documents (送达费)")
        OTHER = "other", _("Other legal cost")

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="legal_cost_items")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    amount = MoneyField(_("amount"))
    incurred_on = models.DateField(_("incurred on"))
    reference = models.CharField(_("receipt or invoice reference"), max_length=64)
    entry = models.OneToOneField(
        "payments.LedgerEntry", on_delete=models.PROTECT, related_name="+", verbose_name=_("ledger entry")
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("legal cost")
        verbose_name_plural = _("legal costs")
        ordering = ["incurred_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="legalcost_positive"),
            # The receipt's reference makes recording idempotent: the same receipt is charged once.
            models.UniqueConstraint(fields=["case", "reference"], name="legalcost_unique_reference"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.amount}"
