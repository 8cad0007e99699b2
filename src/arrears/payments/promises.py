"""Promises to pay (承诺还款): recorded by a collector, settled from the payments on the day after.

A promise is kept when the payments from the day it was made to its due date reach its amount,
partly kept when they fall short, broken when there were none. Settlement is one grouped query
over all due promises and bulk updates, so the nightly run can settle a whole book at once.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import DecimalField, F, Q, Sum, Value
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from arrears.accounts.models import User
from arrears.cases import events
from arrears.cases.models import Case, CaseStatus
from arrears.core.roles import can
from arrears.payments.models import Promise

MAX_DAYS_AHEAD = 60  # a promise further out is a plan, not a promise


def promise_record(*, actor: User, case: Case, amount: Decimal, due_on: dt.date) -> Promise:
    """Record the debtor's promise on ``case`` (already fetched in the actor's scope)."""
    if not can(actor.role, "record_promises"):
        raise PermissionDenied(_("Your role may not record promises."))
    today = timezone.localdate()
    if amount <= 0 or amount > case.total:
        raise ValidationError(
            {"amount": _("The promised amount must be above zero and at most the balance.")}
        )
    if not today <= due_on <= today + dt.timedelta(days=MAX_DAYS_AHEAD):
        raise ValidationError({"due_on": _("The promised date must be between today and 60 days ahead.")})
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        promise = Promise.objects.create(case=locked, made_at=timezone.now(), amount=amount, due_on=due_on,
                                         made_by=actor)  # fmt: skip
        Case.objects.filter(pk=locked.pk).update(status=CaseStatus.PROMISED)
        events.record(locked, "promise.made", actor=actor, amount=str(amount), due_on=due_on.isoformat())
    return promise


def promises_settle(*, business_date: dt.date, creditor_ids: list[int] | None = None) -> dict[str, int]:
    """Settle every open promise due before ``business_date``; idempotent per date."""
    paid = Coalesce(
        Sum(
            "case__payments__amount",
            filter=Q(
                case__payments__paid_on__gte=TruncDate("made_at"),
                case__payments__paid_on__lte=F("due_on"),
                case__payments__reversed_at__isnull=True,
            ),
        ),
        Value(Decimal("0.00")),
        output_field=DecimalField(max_digits=14, decimal_places=2),
    )
    due_promises = Promise.objects.filter(status=Promise.Status.OPEN, due_on__lt=business_date)
    if creditor_ids is not None:  # one partition of the nightly run
        due_promises = due_promises.filter(case__creditor_id__in=creditor_ids)
    due = list(due_promises.annotate(paid=paid))
    counts = {Promise.Status.KEPT: 0, Promise.Status.PARTLY_KEPT: 0, Promise.Status.BROKEN: 0}
    with transaction.atomic():
        for promise in due:
            if promise.paid >= promise.amount:
                promise.status = Promise.Status.KEPT
            elif promise.paid > 0:
                promise.status = Promise.Status.PARTLY_KEPT
            else:
                promise.status = Promise.Status.BROKEN
            counts[promise.status] += 1
        Promise.objects.bulk_update(due, ["status"], batch_size=1000)
        _follow_status(due)
        events.record_many(
            events.event(p.case, f"promise.{p.status}", actor=None, amount=str(p.amount), paid=str(p.paid))
            for p in due
        )
    return {str(k): v for k, v in counts.items()}


def _follow_status(settled: list[Promise]) -> None:
    """A case with a broken promise and no open one shows it; a kept one goes back to work."""
    still_open = set(
        Promise.objects.filter(
            case_id__in={p.case_id for p in settled}, status=Promise.Status.OPEN
        ).values_list("case_id", flat=True)
    )
    broken = {p.case_id for p in settled if p.status != Promise.Status.KEPT} - still_open
    kept = {p.case_id for p in settled if p.status == Promise.Status.KEPT} - still_open - broken
    Case.objects.filter(pk__in=broken, status=CaseStatus.PROMISED).update(status=CaseStatus.BROKEN_PROMISE)
    Case.objects.filter(pk__in=kept, status=CaseStatus.PROMISED).update(status=CaseStatus.IN_PROGRESS)
