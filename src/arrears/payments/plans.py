"""Repayment plans (个性化分期): proposed by a collector, active at once within their authority,
otherwise approved up the chain; tracked against the payments; broken after missed instalments.

Payments are matched to instalments cumulatively: the payments since the plan became active cover
the down payment first, then the instalments in order. An instalment covered by its due date is
paid, covered later is late, and not covered when tracked after its due date is missed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from arrears.accounts.models import User
from arrears.cases import events
from arrears.cases.models import Case, CaseStatus
from arrears.core.money import ZERO
from arrears.core.roles import can
from arrears.creditors.selectors import rules_for
from arrears.money.ledger import allocate, waiver_entries
from arrears.money.schedule import add_months, plan_schedule
from arrears.payments import ledger
from arrears.payments.authority import PLAN_MONTHS, covers, plan_approver, share_of
from arrears.payments.models import Payment, PlanInstalment, RepaymentPlan
from arrears.payments.settlements import FORGIVE_ORDER


def plan_propose(
    *,
    actor: User,
    case: Case,
    down_payment: Decimal,
    months: int,
    first_due: dt.date,
    waive_interest: Decimal = ZERO,
    waive_fees: Decimal = ZERO,
) -> RepaymentPlan:
    if not can(actor.role, "request_waivers"):
        raise PermissionDenied(_("Your role may not propose plans."))
    if first_due < timezone.localdate():
        raise ValidationError({"first_due": _("The first instalment cannot be due in the past.")})
    with transaction.atomic():
        case = Case.objects.select_for_update(of=("self",)).select_related("placement").get(pk=case.pk)
        if case.plans.filter(status__in=[RepaymentPlan.Status.PENDING, RepaymentPlan.Status.ACTIVE]).exists():
            raise ValidationError(_("This case already has a plan."))
        if waive_interest > case.interest or waive_fees > case.other_fees + case.late_fee:
            raise ValidationError({"waive_interest": _("A plan cannot waive more than is owed.")})
        # The down payment falls on the first date; the monthly instalments start a month later.
        instalments_from = add_months(first_due, 1) if down_payment else first_due
        try:
            schedule = plan_schedule(
                case.total,
                down_payment=down_payment,
                months=months,
                first_due=instalments_from,
                waive_interest=waive_interest,
                waive_fees=waive_fees,
                max_months=rules_for(case).max_plan_months,
            )
        except (ValueError, TypeError) as exc:
            raise ValidationError(str(exc)) from exc
        waived = waive_interest + waive_fees
        needs = plan_approver(months, waived, share_of(waived, case.total), requester_role=actor.role)
        if needs is None:
            raise ValidationError(_("Nobody in the approval chain may agree this plan."))
        plan = RepaymentPlan.objects.create(
            case=case,
            down_payment=down_payment,
            months=months,
            first_due=first_due,
            waive_interest=waive_interest,
            waive_fees=waive_fees,
            plan_total=case.total - waived,
            needs_role=needs,
            requested_by=actor,
            requested_at=timezone.now(),
        )
        rows = (
            [PlanInstalment(plan=plan, number=0, due_on=first_due, amount=down_payment)]
            if down_payment
            else []
        )
        rows += [
            PlanInstalment(plan=plan, number=i.number, due_on=i.due_on, amount=i.amount) for i in schedule
        ]
        PlanInstalment.objects.bulk_create(rows)
        events.record(case, "plan.proposed", actor=actor, plan=plan.pk, months=months, needs=needs or "-")
        if not needs:
            _activate(plan, case, actor)
    return plan


def plan_decide(*, actor: User, plan: RepaymentPlan, approve: bool) -> RepaymentPlan:
    with transaction.atomic():
        plan = RepaymentPlan.objects.select_for_update().get(pk=plan.pk)
        if plan.status != RepaymentPlan.Status.PENDING:
            raise ValidationError(_("This plan is already decided."))
        if plan.requested_by_id == actor.pk:
            raise PermissionDenied(_("Nobody approves their own request."))
        waived = plan.waive_interest + plan.waive_fees
        share = share_of(waived, plan.plan_total + waived)
        if plan.months > PLAN_MONTHS.get(actor.role, 0) or (waived and not covers(actor.role, waived, share)):
            raise PermissionDenied(_("This is beyond your approval authority."))
        case = Case.objects.select_for_update(of=("self",)).get(pk=plan.case_id)
        plan.decided_by = actor
        if approve:
            _activate(plan, case, actor)
        else:
            plan.status = RepaymentPlan.Status.REJECTED
            plan.save(update_fields=["status", "decided_by"])
            events.record(case, "plan.rejected", actor=actor, plan=plan.pk)
    return plan


def _activate(plan: RepaymentPlan, case: Case, actor: User) -> None:
    plan.status, plan.activated_at = RepaymentPlan.Status.ACTIVE, timezone.now()
    plan.save(update_fields=["status", "activated_at", "decided_by"])
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.PLAN)
    events.record(case, "plan.active", actor=actor, plan=plan.pk)


def plans_track(*, business_date: dt.date, creditor_ids: list[int] | None = None) -> dict[str, int]:
    """Update every active plan's instalments from the payments; break or complete plans. Idempotent."""
    counts = {"broken": 0, "completed": 0}
    active = RepaymentPlan.objects.filter(status=RepaymentPlan.Status.ACTIVE)
    if creditor_ids is not None:  # one partition of the nightly run
        active = active.filter(case__creditor_id__in=creditor_ids)
    for plan in active.select_related("case"):
        with transaction.atomic():
            outcome = _track(plan, business_date)
        if outcome:
            counts[outcome] += 1
    return counts


def _track(plan: RepaymentPlan, business_date: dt.date) -> str | None:
    payments = list(
        Payment.objects.filter(
            case=plan.case, reversed_at__isnull=True, paid_on__gte=plan.activated_at.date()
        )
        .order_by("paid_on", "pk")
        .values_list("paid_on", "amount")
    )
    instalments = list(plan.instalments.order_by("number"))
    due_so_far, missed = ZERO, 0
    changed: list[PlanInstalment] = []
    for instalment in instalments:
        due_so_far += instalment.amount
        covered_on = _covered_on(payments, due_so_far)
        if covered_on is not None:
            status = (
                PlanInstalment.Status.PAID if covered_on <= instalment.due_on else PlanInstalment.Status.LATE
            )
        elif instalment.due_on < business_date:
            status, missed = PlanInstalment.Status.MISSED, missed + 1
        else:
            status = PlanInstalment.Status.DUE
        if instalment.status != status:
            instalment.status = status
            changed.append(instalment)
    PlanInstalment.objects.bulk_update(changed, ["status"])
    case = Case.objects.select_for_update(of=("self",)).get(pk=plan.case_id)
    if missed >= plan.missed_limit:
        plan.status = RepaymentPlan.Status.BROKEN
        plan.save(update_fields=["status"])
        Case.objects.filter(pk=case.pk).update(status=CaseStatus.BROKEN_PROMISE)
        events.record(case, "plan.broken", actor=None, plan=plan.pk, missed=missed)
        return "broken"
    if all(i.status in (PlanInstalment.Status.PAID, PlanInstalment.Status.LATE) for i in instalments):
        # The payments went by the waterfall, so the promised forgiveness is taken from whatever is
        # left, charges first: the debtor ends owing exactly the plan total, no more.
        forgiven, _rest = allocate(
            plan.waive_interest + plan.waive_fees, ledger.balances_of(case), FORGIVE_ORDER
        )
        entries = waiver_entries(
            forgiven, ledger.balances_of(case), on=business_date,
            reason=f"分期完成减免 #{plan.pk} / plan #{plan.pk} completed",
        )  # fmt: skip
        if entries:
            ledger.book(case=case, entries=entries, actor=None)
        plan.status = RepaymentPlan.Status.COMPLETED
        plan.save(update_fields=["status"])
        Case.objects.filter(pk=case.pk).update(
            status=CaseStatus.SETTLED if case.total == ZERO else CaseStatus.PAID
        )
        events.record(case, "plan.completed", actor=None, plan=plan.pk)
        return "completed"
    return None


def _covered_on(payments: list[tuple[dt.date, Decimal]], amount: Decimal) -> dt.date | None:
    """The day the running total of ``payments`` first reaches ``amount``."""
    running = ZERO
    for paid_on, value in payments:
        running += value
        if running >= amount:
            return paid_on
    return None
