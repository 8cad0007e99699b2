"""Contact records (催记): every attempt to reach a debtor or a contact, and what came of it.

This log is append-only; the compliance guard derives its counters (attempts per number per day,
conversations per debtor per day, lost contact) from it rather than from stored counters.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    CALL = "call", _("Phone call")
    AI_CALL = "ai_call", _("AI voice call")
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")
    LETTER = "letter", _("Letter")
    VISIT = "visit", _("Field visit")


class Party(models.TextChoices):
    DEBTOR = "debtor", _("Debtor")
    GUARANTOR = "guarantor", _("Guarantor")
    CONTACT = "contact", _("Contact")
    ATTORNEY = "attorney", _("Attorney")


class Outcome(models.TextChoices):
    # An allowed attempt is recorded at once as pending, so the guard counts it before the outcome
    # is known; until then it counts as unanswered (the conservative reading of the caps).
    PENDING = "pending", _("Dialling")
    RIGHT_PARTY = "right_party", _("Right party (本人接听)")
    THIRD_PARTY = "third_party", _("Third party answered")
    NO_ANSWER = "no_answer", _("No answer")
    BUSY = "busy", _("Busy")
    REJECTED = "rejected", _("Rejected the call")
    SWITCHED_OFF = "switched_off", _("Switched off")
    SUSPENDED = "suspended", _("Suspended")
    NOT_EXIST = "not_exist", _("Number does not exist")
    WRONG_NUMBER = "wrong_number", _("Wrong number")
    SENT = "sent", _("Sent")


class Result(models.TextChoices):
    PROMISE = "promise", _("Promise to pay")
    PLAN_REQUEST = "plan_request", _("Asks for a repayment plan")
    WAIVER_REQUEST = "waiver_request", _("Asks for a waiver")
    REFUSES = "refuses", _("Refuses to pay")
    DISPUTE = "dispute", _("Disputes the debt")
    HARDSHIP = "hardship", _("Hardship")
    CLAIMS_PAID = "claims_paid", _("Says it is paid")
    COMPLAINT_THREAT = "complaint_threat", _("Threatens a complaint")
    CALL_BACK = "call_back", _("Call back later")


class ContactRecord(models.Model):
    """One contact attempt on a case: channel, whom, which number, the outcome and a note."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="contact_records")
    at = models.DateTimeField(_("time"))
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    party = models.CharField(_("party"), max_length=16, choices=Party.choices)
    contact_point = models.ForeignKey(
        "debtors.ContactPoint", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    result = models.CharField(_("result"), max_length=20, choices=Result.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    collector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    # What the outcome said beyond its code: the promise, the relationship of a third party, the
    # hardship reason, the call-back time, the claimed payment (shown on the case, read by reports).
    detail = models.JSONField(_("details"), default=dict, blank=True)
    # Prohibited wording the guard found in the note: [{"rule", "matched"}], for QA review.
    qa_flags = models.JSONField(_("flagged for QA"), default=list, blank=True)

    class Meta:
        verbose_name = _("contact record")
        verbose_name_plural = _("contact records")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["case", "-at"], name="contactrecord_case_at"),
            models.Index(fields=["collector", "at"], name="contactrecord_collector_at"),  # my day
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.channel} {self.outcome}"
