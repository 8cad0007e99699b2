"""Posting and reversing payments (回款), booked to the ledger in one transaction each.

A payment is allocated by the creditor's waterfall (default: legal costs, fees, late fee, interest,
principal), never making a component negative; what exceeds the balance stays on the payment as
``unallocated`` for finance. The bank's reference makes posting idempotent: the same reference
twice is posted once. A reversal books the exact negation of the payment's entries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from arrears.accounts.models import User
from arrears.cases import events
from arrears.cases.models import Case, CaseStatus
from arrears.core import audit
from arrears.core.money import CENT
from arrears.core.roles import can
from arrears.creditors.selectors import rules_for
from arrears.money.ledger import Entry, payment_entries, reverse
from arrears.payments import ledger
from arrears.payments.models import LedgerEntry, Payment
from arrears.payments.rebilling import cycles_rebill
from arrears.payments.settlements import settlement_check


@dataclass(frozen=True)
class Posted:
    payment: Payment
    created: bool  # False: the reference was already posted, nothing changed


FINISHED = (CaseStatus.PAID, CaseStatus.SETTLED, CaseStatus.RECALLED, CaseStatus.CLOSED)


def payment_post(
    *, actor: User | None, case: Case, amount: Decimal, paid_on: dt.date, channel: str, reference: str,
    refresh: bool = True,
) -> Posted:  # fmt: skip
    """Post a payment on ``case``. ``actor`` None is a system (a bank's payment file, the API).

    The case is then re-evaluated at once (treatment, priority, warnings); a caller posting many
    payments passes ``refresh=False`` and refreshes all its cases together afterwards.
    """
    if actor is not None and not can(actor.role, "post_payments"):
        raise PermissionDenied(_("Your role may not post payments."))
    if actor is not None and actor.organisation_id != case.organisation_id:
        raise PermissionDenied(_("Your role may not post payments."))
    if amount <= 0 or amount != amount.quantize(CENT):
        raise ValidationError({"amount": _("A payment must be more than zero, in yuan and fen.")})
    if channel not in Payment.Channel.values:
        raise ValidationError({"channel": _("Unknown payment channel.")})
    reference = reference.strip()
    if not reference:
        # The reference is what makes posting idempotent: without one, two payments would be one.
        raise ValidationError({"reference": _("Give the bank's reference of the payment.")})
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("A payment cannot be dated in the future.")})
    existing = Payment.objects.filter(organisation_id=case.organisation_id, reference=reference).first()
    if existing is not None:
        return _same_payment(existing, case, amount)
    try:
        with transaction.atomic():
            # of=("self",): lock the case row only, not its creditor (which all its cases share).
            locked = Case.objects.select_for_update(of=("self",)).select_related("placement").get(pk=case.pk)
            posting = payment_entries(
                amount, ledger.balances_of(locked), on=paid_on, reason=_payment_reason(channel, reference),
                ref=reference, order=rules_for(locked).waterfall,
            )  # fmt: skip
            payment = Payment.objects.create(
                organisation_id=locked.organisation_id,
                case=locked, amount=amount, paid_on=paid_on, channel=channel, reference=reference,
                unallocated=posting.surplus, posted_by=actor,
            )  # fmt: skip
            ledger.book(case=locked, entries=posting.entries, actor=actor, payment=payment)
            cycles_rebill(case=locked, since=paid_on, actor=actor, payment=payment)  # billed before it came
            Case.objects.filter(pk=locked.pk).update(last_payment_date=paid_on, last_payment_amount=amount)
            _follow_balance(locked, actor)
            audit.log_create(payment, user=actor)
            settlement_check(case=locked)
            events.record(
                locked, "payment.received", actor=actor, amount=str(amount), reference=reference,
                paid={c.value: str(v) for c, v in posting.paid.items()}, unallocated=str(posting.surplus),
            )  # fmt: skip
            if refresh:
                _refresh([locked.pk])
    except IntegrityError:
        # The same reference posted at the same moment by another process: theirs stands.
        existing = Payment.objects.filter(organisation_id=case.organisation_id, reference=reference).first()
        if existing is None:
            raise
        return _same_payment(existing, case, amount)
    return Posted(payment=payment, created=True)


def _same_payment(existing: Payment, case: Case, amount: Decimal) -> Posted:
    if existing.reversed_at is not None:
        raise ValidationError({"reference": _("This reference belongs to a reversed payment.")})
    if existing.case_id != case.pk or existing.amount != amount:
        raise ValidationError(
            {"reference": _("This reference was already posted with another case or amount.")}
        )
    return Posted(payment=existing, created=False)


def _payment_reason(channel: str, reference: str) -> str:
    return f"{Payment.Channel(channel).label} {reference}"


def payment_reverse(*, actor: User | None, payment: Payment, reason: str) -> Payment:
    """Reverse a posted payment: restore exactly what it took from each component."""
    if actor is not None and not can(actor.role, "post_payments"):
        raise PermissionDenied(_("Your role may not reverse payments."))
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=payment.case_id)
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.reversed_at is not None:
            raise ValidationError(_("This payment is already reversed."))
        # Its allocation, and where it was applied again when a cycle it paid was billed lower.
        kinds = (LedgerEntry.Kind.PAYMENT, LedgerEntry.Kind.ADJUSTMENT)
        originals = list(payment.entries.filter(kind__in=kinds).order_by("pk"))
        pure = [
            Entry(e.kind, e.component, e.amount, e.on, e.reason, ref=payment.reference) for e in originals
        ]
        before = audit.snapshot(payment)
        ledger.book(
            case=case, entries=reverse(pure, on=timezone.localdate(), reason=reason), actor=actor,
            payment=payment, reverses=originals,
        )  # fmt: skip
        payment.reversed_at = timezone.now()
        payment.save(update_fields=["reversed_at"])
        cycles_rebill(case=case, since=payment.paid_on, actor=actor)  # as if it was never made
        # The case's "last payment" is the latest payment that still stands.
        latest = case.payments.filter(reversed_at__isnull=True).order_by("-paid_on", "-pk").first()
        Case.objects.filter(pk=case.pk).update(
            last_payment_date=latest.paid_on if latest else None,
            last_payment_amount=latest.amount if latest else None,
        )
        audit.log_update(payment, before, user=actor)
        events.record(case, "payment.reversed", actor=actor, reference=payment.reference, reason=reason)
        _follow_balance(case, actor)
        _refresh([case.pk])
    return payment


def _refresh(case_ids: list[int]) -> None:
    from arrears.batch.run import refresh_quietly  # the batch builds on payments, not the reverse

    refresh_quietly(case_ids)


def _follow_balance(case: Case, actor: User | None) -> None:
    """A case that owes nothing is paid; a paid or settled case owing again after a reversal goes
    back to work. (A settlement marks its case settled itself, after this.)"""
    total = Case.objects.filter(pk=case.pk).values_list("total", flat=True).get()
    if total == 0:
        if Case.objects.filter(pk=case.pk).exclude(status__in=FINISHED).update(status=CaseStatus.PAID):
            events.record(case, "case.paid", actor=actor)
    elif Case.objects.filter(pk=case.pk, status__in=(CaseStatus.PAID, CaseStatus.SETTLED)).update(
        status=CaseStatus.IN_PROGRESS
    ):
        events.record(case, "case.reopened", actor=actor, owed=str(total))
