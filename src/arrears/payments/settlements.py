"""Waivers and settlements (减免 / 和解结清), approved through the authority matrix.

A waiver forgives amounts per component at once when approved. A settlement ("pay X by date Y,
the rest is forgiven") is approved first and completed when the payments since its approval reach
X by the date: the remaining balance is then booked as a waiver and the case is settled. The
requester never approves their own request; a request beyond a role's authority goes up the chain.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from arrears.accounts.models import User
from arrears.cases import events
from arrears.cases.models import Case, CaseStatus
from arrears.core.money import ZERO
from arrears.core.roles import Role, can
from arrears.money.ledger import Component, allocate, waiver_entries
from arrears.payments import ledger
from arrears.payments.authority import CREDITOR, approver_for, covers, share_of
from arrears.payments.models import WaiverRequest

# What a settlement forgives first: charges before principal.
FORGIVE_ORDER = (
    Component.LEGAL_COSTS,
    Component.FEES,
    Component.LATE_FEE,
    Component.INTEREST,
    Component.PRINCIPAL,
)


def waiver_request(
    *, actor: User, case: Case, kind: str, reason: str, amounts: dict[str, Decimal] | None = None,
    settle_amount: Decimal | None = None, due_on: dt.date | None = None,
) -> WaiverRequest:  # fmt: skip
    if not can(actor.role, "request_waivers"):
        raise PermissionDenied(_("Your role may not request waivers."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason and the evidence.")})
    with transaction.atomic():
        case = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
        balances = ledger.balances_of(case)
        if kind == WaiverRequest.Kind.SETTLEMENT:
            if settle_amount is None or not ZERO < settle_amount < case.total:
                raise ValidationError(
                    {"settle_amount": _("A settlement is for less than the balance, above zero.")}
                )
            if due_on is None or due_on < timezone.localdate():
                raise ValidationError({"due_on": _("Give a payment date from today on.")})
            forgiven, _rest = allocate(case.total - settle_amount, balances, FORGIVE_ORDER)
        elif kind == WaiverRequest.Kind.WAIVER:
            forgiven = {Component(k): v for k, v in (amounts or {}).items() if v}
            try:
                waiver_entries(forgiven, balances, on=timezone.localdate(), reason=reason)
            except (ValueError, TypeError) as exc:
                raise ValidationError({"amounts": str(exc)}) from exc
            if not forgiven:
                raise ValidationError({"amounts": _("Give the amounts to waive.")})
        else:
            raise ValidationError({"kind": _("Unknown request.")})
        waived = sum(forgiven.values(), ZERO)
        share = share_of(waived, case.total)
        needs = approver_for(waived, share, requester_role=actor.role)
        request = WaiverRequest.objects.create(
            case=case, kind=kind, amounts={c.value: str(v) for c, v in forgiven.items()}, waived=waived,
            share=share, settle_amount=settle_amount, due_on=due_on, reason=reason, needs_role=needs,
            requested_by=actor, requested_at=timezone.now(),
        )  # fmt: skip
        events.record(
            case, f"{kind}.requested", actor=actor, waived=str(waived), needs=needs, request=request.pk
        )
    return request


def waiver_decide(*, actor: User, request: WaiverRequest, approve: bool, note: str = "") -> WaiverRequest:
    with transaction.atomic():
        request = WaiverRequest.objects.select_for_update().get(pk=request.pk)
        if request.status != WaiverRequest.Status.PENDING:
            raise ValidationError(_("This request is already decided."))
        if request.requested_by_id == actor.pk:
            raise PermissionDenied(_("Nobody approves their own request."))
        if request.needs_role == CREDITOR:
            # The creditor decided; a manager records its answer and the reference of its letter.
            if actor.role != Role.MANAGER:
                raise PermissionDenied(_("Only a manager records the creditor's decision."))
            if not note.strip():
                raise ValidationError({"note": _("Give the reference of the creditor's written decision.")})
        elif not covers(actor.role, request.waived, request.share):
            raise PermissionDenied(_("This is beyond your approval authority."))
        case = Case.objects.select_for_update(of=("self",)).get(pk=request.case_id)
        request.decided_by, request.decided_at, request.decision_note = actor, timezone.now(), note
        if not approve:
            request.status = WaiverRequest.Status.REJECTED
        elif request.kind == WaiverRequest.Kind.WAIVER:
            _book_waiver(case, {Component(k): Decimal(v) for k, v in request.amounts.items()}, actor, request)
            request.status = WaiverRequest.Status.COMPLETED
        else:
            request.status = WaiverRequest.Status.APPROVED
        request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        events.record(case, f"{request.kind}.{request.status}", actor=actor, request=request.pk, note=note)
    if request.status == WaiverRequest.Status.APPROVED:
        settlement_check(case=case)
    return request


def settlement_check(*, case: Case) -> WaiverRequest | None:
    """Complete an approved settlement whose payments have arrived in time: waive the rest."""
    with transaction.atomic():
        request = (
            WaiverRequest.objects.select_for_update()
            .filter(case=case, kind=WaiverRequest.Kind.SETTLEMENT, status=WaiverRequest.Status.APPROVED)
            .first()
        )
        if request is None:
            return None
        paid = (
            case.payments.filter(
                reversed_at__isnull=True,
                paid_on__gte=timezone.localdate(request.requested_at),
                paid_on__lte=request.due_on,
            ).aggregate(total=Sum("amount"))["total"]
            or ZERO
        )
        if paid < request.settle_amount:
            return None
        locked = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
        rest = {c: v for c, v in ledger.balances_of(locked).items() if v > 0}
        _book_waiver(locked, rest, None, request)
        request.status = WaiverRequest.Status.COMPLETED
        request.save(update_fields=["status"])
        Case.objects.filter(pk=locked.pk).update(status=CaseStatus.SETTLED)
        events.record(locked, "settlement.completed", actor=None, request=request.pk, paid=str(paid))
    return request


# Banks' payment files arrive a few days late; a settlement paid by its date but posted after it
# must still complete, so expiry waits this long past the pay-by date.
EXPIRY_GRACE_DAYS = 5


def settlements_expire(*, business_date: dt.date, creditor_ids: list[int] | None = None) -> dict[str, int]:
    """End the approved settlements whose pay-by date is more than the grace period past: those paid
    in time complete, the others expire and the whole balance stands again. Idempotent per date."""
    last_due = business_date - dt.timedelta(days=EXPIRY_GRACE_DAYS)
    due = WaiverRequest.objects.filter(
        kind=WaiverRequest.Kind.SETTLEMENT, status=WaiverRequest.Status.APPROVED, due_on__lt=last_due
    ).select_related("case")
    if creditor_ids is not None:  # one partition of the nightly run
        due = due.filter(case__creditor_id__in=creditor_ids)
    counts = {"completed": 0, "expired": 0}
    for request in due:
        if settlement_check(case=request.case) is not None:
            counts["completed"] += 1
            continue
        with transaction.atomic():
            still = WaiverRequest.objects.filter(pk=request.pk, status=WaiverRequest.Status.APPROVED)
            if still.update(status=WaiverRequest.Status.EXPIRED):
                due_on = request.due_on.isoformat()
                events.record(
                    request.case, "settlement.expired", actor=None, request=request.pk, due_on=due_on
                )
                counts["expired"] += 1
    return counts


def _book_waiver(
    case: Case, amounts: dict[Component, Decimal], actor: User | None, request: WaiverRequest
) -> None:
    entries = waiver_entries(
        amounts,
        ledger.balances_of(case),
        on=timezone.localdate(),
        reason=f"减免 #{request.pk} / waiver #{request.pk}",
    )
    ledger.book(case=case, entries=entries, actor=actor)
    if case.total == ZERO:
        Case.objects.filter(pk=case.pk).update(status=CaseStatus.SETTLED)
