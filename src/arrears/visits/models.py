"""Field visits (外访): the request, its approval, the two (or more) agents and the time, the check-in,
the report and the evidence files.

The contact itself is a contact record made through the compliance choke point at check-in; the
visit keeps a link to it, and the report's outcome is recorded on it like a call's.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from arrears.visits.flow import ACTIVE, Finding, Met, Status


class Visit(models.Model):
    """One field visit to a debtor's address, from the request to the closed report."""

    class StatusChoice(models.TextChoices):
        REQUESTED = Status.REQUESTED, _("Requested")
        APPROVED = Status.APPROVED, _("Approved")
        REJECTED = Status.REJECTED, _("Rejected")
        SCHEDULED = Status.SCHEDULED, _("Scheduled")
        CHECKED_IN = Status.CHECKED_IN, _("Checked in")
        REPORTED = Status.REPORTED, _("Reported")
        CLOSED = Status.CLOSED, _("Closed")
        CANCELLED = Status.CANCELLED, _("Cancelled")

    class MetChoice(models.TextChoices):
        DEBTOR = Met.DEBTOR, _("The debtor")
        FAMILY = Met.FAMILY, _("A family member")
        NOBODY = Met.NOBODY, _("Nobody")

    class FindingChoice(models.TextChoices):
        PROMISE = Finding.PROMISE, _("Promise to pay")
        PLAN_REQUEST = Finding.PLAN_REQUEST, _("Asks for a repayment plan")
        REFUSAL = Finding.REFUSAL, _("Refuses to pay")
        MOVED_AWAY = Finding.MOVED_AWAY, _("Moved away")
        ADDRESS_INVALID = Finding.ADDRESS_INVALID, _("Address invalid")

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="visits")
    address = models.CharField(_("address"), max_length=300)
    district = models.CharField(_("district"), max_length=100, blank=True, db_index=True)
    reason = models.TextField(_("reason for the visit"))
    status = models.CharField(
        _("status"), max_length=16, choices=StatusChoice.choices, default=StatusChoice.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )  # None: requested by the nightly strategy (``task``)
    requested_at = models.DateTimeField(_("requested at"))
    task = models.ForeignKey("batch.Task", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("approval note"), blank=True)
    agents = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="field_visits")
    scheduled_for = models.DateTimeField(_("scheduled for"), null=True, blank=True, db_index=True)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The check-in: the contact attempt the guard allowed, who made it, when and where.
    contact_record = models.OneToOneField(
        "contacts.ContactRecord", on_delete=models.PROTECT, null=True, blank=True, related_name="visit"
    )
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    location_note = models.CharField(_("where you are"), max_length=300, blank=True)
    id_shown = models.BooleanField(_("ID shown"), default=False)
    # The report.
    met = models.CharField(_("met"), max_length=8, choices=MetChoice.choices, blank=True)
    finding = models.CharField(_("result"), max_length=16, choices=FindingChoice.choices, blank=True)
    entered = models.BooleanField(_("entered the premises"), default=False)
    new_phone = models.CharField(_("new phone number"), max_length=32, blank=True)
    new_address = models.CharField(_("new address"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    cancel_reason = models.TextField(_("why cancelled"), blank=True)

    class Meta:
        verbose_name = _("field visit")
        verbose_name_plural = _("field visits")
        ordering = ["-requested_at", "-id"]
        constraints = [
            # One visit under way per case: two teams knocking on the same door is never right.
            # (Sorted, so the migration does not change with the set's order from run to run.)
            models.UniqueConstraint(
                fields=["case"], condition=models.Q(status__in=sorted(s.value for s in ACTIVE)),
                name="visit_one_active_per_case",
            ),
        ]  # fmt: skip
        indexes = [models.Index(fields=["status", "scheduled_for"], name="visit_status_when")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.status} {self.address}"


class VisitEvidence(models.Model):
    """A recording or photo taken on a visit, kept as a file with its SHA-256 so a copy can be checked."""

    class Kind(models.TextChoices):
        AUDIO = "audio", _("Recording")
        PHOTO = "photo", _("Photo")

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    file_format = models.CharField(_("format"), max_length=16)
    file = models.FileField(_("file"), upload_to="visits/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("visit evidence")
        verbose_name_plural = _("visit evidence")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return f"{self.visit_id} {self.kind} {self.sha256[:12]}"
