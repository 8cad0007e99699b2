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
from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from arrears.accounts.models import User
from arrears.cases import events
from arrears.cases.models import Case, CaseStatus
from arrears.core import bulk
from arrears.core.roles import can
from arrears.payments.models import Payment, Promise

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
    """Settle every open promise due before ``business_date``; idempotent per date. What each
    promise got is one correlated sum over its case's payments (an index lookup per promise), not a
    join grouped by every column of the promise."""
    money = DecimalField(max_digits=14, decimal_places=2)
    payments = (
        Payment.objects.filter(
            case_id=OuterRef("case_id"), reversed_at__isnull=True,
            paid_on__gte=OuterRef("made_on"), paid_on__lte=OuterRef("due_on"),
        )
        .order_by()
        .values("case_id")
        .annotate(total=Sum("amount"))
        .values("total")
    )  # fmt: skip
    paid = Coalesce(Subquery(payments, output_field=money), Value(Decimal("0.00")), output_field=money)
    due_promises = Promise.objects.filter(status=Promise.Status.OPEN, due_on__lt=business_date)
    if creditor_ids is not None:  # one partition of the nightly run
        due_promises = due_promises.filter(case__creditor_id__in=creditor_ids)
    due = list(due_promises.annotate(made_on=TruncDate("made_at")).annotate(paid=paid))
    settled: dict[str, list[Promise]] = {s: [] for s in (Promise.Status.KEPT, Promise.Status.PARTLY_KEPT,
                                                          Promise.Status.BROKEN)}  # fmt: skip
    for promise in due:
        if promise.paid >= promise.amount:
            promise.status = Promise.Status.KEPT
        elif promise.paid > 0:
            promise.status = Promise.Status.PARTLY_KEPT
        else:
            promise.status = Promise.Status.BROKEN
        settled[promise.status].append(promise)
    with transaction.atomic():
        for status, promises in settled.items():  # a statement per 5,000, not per promise
            for part in bulk.chunks([p.pk for p in promises]):
                Promise.objects.filter(pk__in=part).update(status=status)
        _follow_status(due)
        events.record_many(
            events.event(Case(pk=p.case_id), f"promise.{p.status}", actor=None, amount=str(p.amount),
                         paid=str(p.paid))
            for p in due
        )
    return {str(k): len(v) for k, v in settled.items()}


def _follow_status(settled: list[Promise]) -> None:
    """A case with a broken promise and no open one shows it; a kept one goes back to work."""
    still_open: set[int] = set()
    for part in bulk.chunks(list({p.case_id for p in settled})):
        open_ = Promise.objects.filter(case_id__in=part, status=Promise.Status.OPEN)
        still_open.update(open_.values_list("case_id", flat=True))
    broken = {p.case_id for p in settled if p.status != Promise.Status.KEPT} - still_open
    kept = {p.case_id for p in settled if p.status == Promise.Status.KEPT} - still_open - broken
    for case_ids, status in ((broken, CaseStatus.BROKEN_PROMISE), (kept, CaseStatus.IN_PROGRESS)):
        for part in bulk.chunks(list(case_ids)):
            Case.objects.filter(pk__in=part, status=CaseStatus.PROMISED).update(status=status)
