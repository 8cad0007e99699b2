"""Cases (案件): one debtor's overdue account under one placement, the unit of collection work."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from arrears.core.fields import MoneyField

_COMPONENTS = F("principal") + F("interest") + F("late_fee") + F("other_fees") + F("legal_costs")


class CaseStatus(models.TextChoices):
    NEW = "new", _("New case")
    IN_PROGRESS = "in_progress", _("In progress")
    PROMISED = "promised", _("Promised")
    BROKEN_PROMISE = "broken_promise", _("Broken promise")
    PLAN = "plan", _("On repayment plan")
    DISPUTED = "disputed", _("Disputed")
    LOST_CONTACT = "lost_contact", _("Lost contact")
    SETTLED = "settled", _("Settled")
    PAID = "paid", _("Paid in full")
    RECALLED = "recalled", _("Recalled")
    CLOSED = "closed", _("Closed")


class DebtorType(models.TextChoices):
    """The collector's reading of the debtor (债务人类型), which picks the scripts that fit."""

    WILLING_UNABLE = "willing_unable", _("Willing but unable")
    FORGETFUL = "forgetful", _("Forgetful")
    EVASIVE = "evasive", _("Evasive")
    UNWILLING = "unwilling", _("Unwilling")


class Case(models.Model):
    """An overdue account placed for collection, with its balances by component.

    The balance columns are the current amount owed per component, always equal to the sum of the
    case's ledger entries (``payments.LedgerEntry``): they change only together with an entry, in
    the same transaction (``payments.ledger``). ``total`` is kept equal to their sum by a database
    constraint, so no code path can store an inconsistent total.
    """

    AUDIT_EXCLUDE = ("extra_secret",)

    creditor = models.ForeignKey("creditors.Creditor", on_delete=models.PROTECT, related_name="cases")
    placement = models.ForeignKey("creditors.Placement", on_delete=models.PROTECT, related_name="cases")
    # Copied from the placement so that the access filter is one indexed column, not a join.
    # Indexed by the (organisation, collector) and (organisation, team) indexes below, which lead with it.
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="cases", db_index=False
    )
    debtor = models.ForeignKey("debtors.Debtor", on_delete=models.PROTECT, related_name="cases")
    account_number = models.CharField(_("account number"), max_length=64)
    product = models.CharField(_("product"), max_length=100, blank=True)

    principal = MoneyField(_("principal"))
    interest = MoneyField(_("interest"))
    late_fee = MoneyField(_("late fee"))
    other_fees = MoneyField(_("other fees"))
    # Costs of legal action the court may award; its own component so it is allocated first.
    legal_costs = MoneyField(_("legal costs"), db_default=Decimal("0.00"))
    total = MoneyField(_("total owed"))
    credit_limit = MoneyField(_("credit limit"), null=True, blank=True, default=None)

    overdue_since = models.DateField(_("overdue since"))
    # Days past due count from here: the overdue date moved on by the days a dispute paused the case;
    # empty when nothing is owed. Set at intake and by the nightly run only when it changes (a cure,
    # a pause), so the book does not rewrite a million rows a night to add one day (ADR 0009).
    aged_from = models.DateField(_("days past due count from"), null=True, blank=True)
    bucket = models.CharField(_("bucket"), max_length=8)
    last_payment_date = models.DateField(_("last payment date"), null=True, blank=True)
    last_payment_amount = MoneyField(_("last payment amount"), null=True, blank=True, default=None)
    statement_day = models.PositiveSmallIntegerField(_("statement day"), null=True, blank=True)
    due_day = models.PositiveSmallIntegerField(_("due day"), null=True, blank=True)

    status = models.CharField(_("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.NEW)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("collector"),
        db_index=False,  # led by the (collector, next follow-up) index below
    )
    team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("team"),
    )
    # Columns of the creditor's file that arrears has no field for, kept under their own headers.
    # Values that look like ID or phone numbers are shown masked here and kept in clear only in
    # ``extra_secret`` (encrypted JSON), like the ID number itself.
    # The workbench: the collector's tag of the debtor, when to come back, and the states that a
    # contact outcome sets (lost contact is also derived by the guard from the history).
    debtor_type = models.CharField(
        _("debtor type"), max_length=16, choices=DebtorType.choices, blank=True, db_default=""
    )
    next_follow_up = models.DateTimeField(_("next follow-up"), null=True, blank=True)
    lost_contact_since = models.DateTimeField(_("lost contact since"), null=True, blank=True)
    complaint_threat_at = models.DateTimeField(_("complaint threatened on"), null=True, blank=True)
    # Set by the nightly run (and at once when a payment, a broken promise or a dispute changes the
    # case): the queue's order within its bands, the segment, the limitation date, the treatment.
    priority = models.SmallIntegerField(_("priority"), null=True, blank=True)
    segment = models.CharField(_("segment"), max_length=16, blank=True, db_default="")
    limitation_on = models.DateField(_("limitation lapses on"), null=True, blank=True)
    treatment = models.CharField(_("treatment"), max_length=64, blank=True, db_default="")
    treatment_since = models.DateField(_("treatment since"), null=True, blank=True)
    # Which strategy version and rule chose the treatment ("<strategy id>:<rule>"): a decision is
    # recorded only when this or the treatment changes, not for every case every night.
    decided_by = models.CharField(_("decided by"), max_length=32, blank=True, db_default="")
    extra = models.JSONField(_("other attributes"), default=dict, blank=True)
    extra_secret = models.BinaryField(null=True, blank=True)
    # The creditor's own figures as its last file gave them. A re-import applies only what changed
    # in the creditor's figures since then, so payments posted here in between are never undone.
    placed = models.JSONField(_("creditor's figures"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-total", "id"]
        constraints = [
            models.UniqueConstraint(fields=["placement", "account_number"], name="case_unique_account"),
            # Half a fen of slack: SQLite evaluates decimal sums in binary floating point, where
            # 0.10 + 0.20 is not exactly 0.30. PostgreSQL's numeric is exact either way.
            models.CheckConstraint(
                condition=models.Q(
                    total__gte=_COMPONENTS - Decimal("0.005"), total__lte=_COMPONENTS + Decimal("0.005")
                ),
                name="case_total_is_sum",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    principal__gte=0, interest__gte=0, late_fee__gte=0, other_fees__gte=0, legal_costs__gte=0
                ),
                name="case_components_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "assigned_to"], name="case_org_collector"),
            models.Index(fields=["organisation", "team"], name="case_org_team"),
            models.Index(fields=["account_number"], name="case_account"),
            models.Index(fields=["assigned_to", "next_follow_up"], name="case_collector_follow_up"),
            models.Index(fields=["bucket"], name="case_bucket"),  # no LIKE index: buckets are matched whole
        ]

    def __str__(self) -> str:
        return self.account_number

    def dpd_on(self, day: dt.date) -> int:
        """Days past due at the end of ``day``."""
        return max((day - self.aged_from).days, 0) if self.aged_from else 0

    @property
    def dpd(self) -> int:
        """Days past due today (the bucket is the nightly run's, as of its business date)."""
        return self.dpd_on(timezone.localdate())


class CaseEvent(models.Model):
    """One thing that happened to a case, written in the same transaction as the change itself."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("time"))
    kind = models.CharField(_("event"), max_length=40)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    request_id = models.CharField(max_length=36, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["case", "-at"], name="caseevent_case_at")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"


class RevealLog(models.Model):
    """A user saw a piece of personal data in clear (ID number, phone): who, when, which case."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    field = models.CharField(max_length=32)
    target = models.CharField(max_length=64, blank=True)  # e.g. the contact point id, never the value
    at = models.DateTimeField()
    request_id = models.CharField(max_length=36, blank=True)

    class Meta:
        verbose_name = _("personal data reveal")
        verbose_name_plural = _("personal data reveals")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.field} {self.case_id}"
