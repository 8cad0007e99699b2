"""The debtor says it is paid (已还款): a claim for finance to check, which moves no money."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from arrears.accounts.models import User
from arrears.cases import events
from arrears.cases.models import Case
from arrears.core.roles import can
from arrears.payments.models import Payment, PaymentClaim


def payment_claim_record(
    *, actor: User, case: Case, amount: Decimal | None, paid_on: dt.date | None, how: str = ""
) -> PaymentClaim:
    if not can(actor.role, "contact_debtors"):
        raise PermissionDenied(_("Your role may not record what a debtor says."))
    if amount is not None and amount <= 0:
        raise ValidationError({"claimed_amount": _("The amount claimed must be above zero.")})
    if paid_on is not None and paid_on > timezone.localdate():
        raise ValidationError({"claimed_on": _("A payment already made cannot be dated in the future.")})
    with transaction.atomic():
        claim = PaymentClaim.objects.create(
            case=case, claimed_at=timezone.now(), claimed_by=actor, amount=amount, paid_on=paid_on, how=how
        )
        events.record(
            case, "payment.claimed", actor=actor, claim=claim.pk, amount=str(amount or ""),
            paid_on=paid_on.isoformat() if paid_on else "",
        )  # fmt: skip
    return claim


def payment_claim_check(
    *, actor: User, claim: PaymentClaim, payment: Payment | None, note: str = ""
) -> PaymentClaim:
    """Finance's answer: the posted payment that matches the claim, or None when there is none."""
    if not can(actor.role, "post_payments"):
        raise PermissionDenied(_("Your role may not check payments."))
    if payment is not None and payment.case_id != claim.case_id:
        raise ValidationError(_("That payment was posted to another case."))
    if payment is not None and payment.reversed_at is not None:
        raise ValidationError(_("That payment was reversed: it does not confirm the claim."))
    with transaction.atomic():
        claim = PaymentClaim.objects.select_for_update().select_related("case").get(pk=claim.pk)
        if claim.status != PaymentClaim.Status.OPEN:
            raise ValidationError(_("This claim has already been checked."))
        claim.status = PaymentClaim.Status.CONFIRMED if payment else PaymentClaim.Status.NOT_FOUND
        claim.payment, claim.note = payment, note
        claim.checked_by, claim.checked_at = actor, timezone.now()
        claim.save(update_fields=["status", "payment", "note", "checked_by", "checked_at"])
        events.record(claim.case, f"payment.claim_{claim.status}", actor=actor, claim=claim.pk, note=note)
    return claim
