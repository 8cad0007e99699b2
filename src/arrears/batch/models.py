"""What the nightly run (日终批处理) keeps: its own record, the book's history day by day, the
warnings, the strategies and the decisions they made, and the work they gave out.

Everything the run writes for a business date is keyed by that date, so a rerun of the date
replaces its own rows and nothing else (the run is idempotent per date), and any past day reads
back as it was.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from arrears.core.fields import MoneyField


class BatchRunQuerySet(models.QuerySet):
    def live(self) -> BatchRunQuerySet:
        """The runs that brought the book up to date (not replays of a past date's history)."""
        return self.filter(replay=False)


class BatchRun(models.Model):
    """One run of the end-of-day steps for a business date: when, how far it got, what each step did."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, related_name="+"
    )
    business_date = models.DateField(_("business date"))
    # The part of the book: empty for the whole, "creditors 3,5" for a partition a worker took.
    partition = models.CharField(_("partition"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # {step: {"status": "done" | "failed", "seconds": 1.23, "counts": {...}}}, in the order run.
    steps = models.JSONField(_("steps"), default=dict)
    error = models.TextField(_("error"), blank=True)
    # A replay rebuilt the date's history only (``batch.replay``); the live book was not touched.
    replay = models.BooleanField(_("replay"), default=False)

    objects = BatchRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("batch run")
        verbose_name_plural = _("batch runs")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.business_date} {self.status}"


class BucketMove(models.Model):
    """A case entered a new bucket on a date (and left the one before)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="bucket_moves")
    on = models.DateField(_("date"))
    from_bucket = models.CharField(_("from"), max_length=8)
    to_bucket = models.CharField(_("to"), max_length=8)

    class Meta:
        verbose_name = _("bucket move")
        verbose_name_plural = _("bucket moves")
        constraints = [models.UniqueConstraint(fields=["case", "on"], name="bucketmove_once_a_day")]
        indexes = [models.Index(fields=["on", "to_bucket"], name="bucketmove_on_to")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.on} {self.from_bucket}→{self.to_bucket}"


def _reference(model: str, *, null: bool = False) -> models.ForeignKey:
    """A reference kept by value in a history table: no constraint, no index, never cascades."""
    return models.ForeignKey(
        model, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, null=null, related_name="+"
    )


class CaseSnapshot(models.Model):
    """One open case as it stood at the end of a business date: the base of roll rates and curves.

    An append-only fact table, a million rows a night: its references are plain columns copied from
    the case row (no foreign-key constraints or per-column indexes to check and maintain on every
    insert, ADR 0009), and history outlives what it refers to.
    """

    business_date = models.DateField(_("business date"))
    case = _reference("cases.Case")
    creditor = _reference("creditors.Creditor")
    placement = _reference("creditors.Placement")
    bucket = models.CharField(_("bucket"), max_length=8)
    dpd = models.IntegerField(_("days past due"))
    principal = MoneyField(_("principal"))
    interest = MoneyField(_("interest"))
    late_fee = MoneyField(_("late fee"))
    other_fees = MoneyField(_("other fees"))
    legal_costs = MoneyField(_("legal costs"))
    total = MoneyField(_("total owed"))
    status = models.CharField(_("status"), max_length=16)
    collector = _reference(settings.AUTH_USER_MODEL, null=True)
    team = _reference("accounts.Team", null=True)

    class Meta:
        verbose_name = _("case snapshot")
        verbose_name_plural = _("case snapshots")
        # One index: a day's rows are found by its date prefix (reports filter the day's rows).
        constraints = [
            models.UniqueConstraint(fields=["business_date", "case"], name="snapshot_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.business_date} {self.case_id}"


class CaseWarning(models.Model):
    """A warning (预警) that holds on a case from the day it was raised until the day it cleared."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="warnings")
    code = models.CharField(_("warning"), max_length=32)
    raised_on = models.DateField(_("raised on"))
    cleared_on = models.DateField(_("cleared on"), null=True, blank=True)

    class Meta:
        verbose_name = _("warning")
        verbose_name_plural = _("warnings")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "code"], condition=models.Q(cleared_on__isnull=True), name="warning_open_once"
            )
        ]
        indexes = [models.Index(fields=["code", "cleared_on"], name="warning_code_open")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.code}"


class Strategy(models.Model):
    """One version of a creditor's collection strategy for a product type (rules and treatments as
    data, see ``batch.strategy``). The active version decides; a challenger version may take a
    stable share of the cases."""

    creditor = models.ForeignKey("creditors.Creditor", on_delete=models.PROTECT, related_name="strategies")
    product_type = models.CharField(_("product type"), max_length=16)
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    document = models.JSONField(_("rules and treatments"))
    active = models.BooleanField(_("active"), default=False)
    challenger_share = models.DecimalField(
        _("share given to the challenger"), max_digits=4, decimal_places=3, default=0
    )
    challenger = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("challenger"),
    )  # fmt: skip
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    saved_at = models.DateTimeField(_("saved at"))

    class Meta:
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")
        ordering = ["creditor", "product_type", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["creditor", "product_type", "version"], name="strategy_version"),
            models.UniqueConstraint(
                fields=["creditor", "product_type"],
                condition=models.Q(active=True),
                name="strategy_one_active",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.creditor_id} {self.product_type} v{self.version}"


class StrategyDecision(models.Model):
    """Why a case got its treatment on a business date: the strategy version and the rule that fired."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="strategy_decisions")
    business_date = models.DateField(_("business date"))
    strategy = models.ForeignKey(Strategy, on_delete=models.PROTECT, related_name="+")
    arm = models.CharField(_("arm"), max_length=16, default="champion")
    rule = models.PositiveSmallIntegerField(_("rule"))
    rule_name = models.CharField(_("rule name"), max_length=200)
    treatment = models.CharField(_("treatment"), max_length=64)

    class Meta:
        verbose_name = _("strategy decision")
        verbose_name_plural = _("strategy decisions")
        constraints = [
            models.UniqueConstraint(fields=["case", "business_date"], name="decision_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.business_date} {self.treatment}"


class Task(models.Model):
    """Work the strategy gave out for a date: a call to make, an SMS or letter to send, a visit to
    request. Sending still goes through the compliance guard at the moment of sending."""

    class Status(models.TextChoices):
        OPEN = "open", _("To do")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="tasks")
    due_on = models.DateField(_("due on"))
    kind = models.CharField(_("action"), max_length=16)
    template = models.CharField(_("template"), max_length=64, blank=True)
    priority = models.CharField(_("priority"), max_length=8, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    treatment = models.CharField(_("treatment"), max_length=64)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        constraints = [models.UniqueConstraint(fields=["case", "due_on", "kind"], name="task_once_a_day")]
        indexes = [models.Index(fields=["due_on", "kind", "status"], name="task_due_kind")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.due_on} {self.kind}"
