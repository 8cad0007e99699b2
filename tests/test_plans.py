"""Repayment plans: exact schedules, authority, tracking against payments, breaking and completing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from arrears.cases.models import CaseStatus
from arrears.payments import ledger
from arrears.payments.plans import plan_decide, plan_propose, plans_track
from arrears.payments.services import payment_post
from tests.conftest import SHANGHAI, make_case, make_user

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def finance(org):
    return make_user("finance", "finance", org)


def start() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=1)


def pay(finance, case, amount, on, ref):
    """Post a payment the day it was made (a payment is never dated in the future)."""
    moment = dt.datetime.combine(on, dt.time(12), tzinfo=SHANGHAI)
    with mock.patch.object(timezone, "now", return_value=moment):
        payment_post(actor=finance, case=case, amount=D(amount), paid_on=on, channel="alipay", reference=ref)


def test_a_plan_within_the_collectors_authority_is_active_at_once(placement, alice):
    case = make_case(placement, collector=alice, principal="1000.00")  # 1,125.00 owed
    plan = plan_propose(actor=alice, case=case, down_payment=D("125.00"), months=3, first_due=start())
    amounts = [i.amount for i in plan.instalments.order_by("number")]
    assert amounts == [D("125.00"), D("333.33"), D("333.33"), D("333.34")] and sum(amounts) == D("1125.00")
    case.refresh_from_db()
    assert plan.status == "active" and case.status == CaseStatus.PLAN


def test_a_long_plan_with_a_waiver_needs_approval_never_by_the_requester(placement, alice, lead_a, manager):
    case = make_case(placement, collector=alice)
    plan = plan_propose(
        actor=alice,
        case=case,
        down_payment=D("500.00"),
        months=24,
        first_due=start(),
        waive_interest=D("100.00"),
    )
    assert (plan.status, plan.needs_role) == ("pending", "team_lead")
    with pytest.raises(PermissionDenied):
        plan_decide(actor=alice, plan=plan, approve=True)
    plan_decide(actor=lead_a, plan=plan, approve=True)
    plan.refresh_from_db()
    assert plan.status == "active" and plan.plan_total == D("5025.00")


def test_plans_longer_than_sixty_months_are_refused(placement, alice):
    with pytest.raises(ValidationError):
        plan_propose(
            actor=alice,
            case=make_case(placement, collector=alice),
            down_payment=D("0.00"),
            months=61,
            first_due=start(),
        )


def test_paid_instalments_complete_the_plan_and_book_the_waiver(placement, alice, lead_a, finance):
    case = make_case(placement, collector=alice, principal="1000.00")
    plan = plan_propose(
        actor=alice,
        case=case,
        down_payment=D("0.00"),
        months=2,
        first_due=start(),
        waive_interest=D("100.00"),
    )
    plan_decide(actor=lead_a, plan=plan, approve=True)
    first, second = (i.due_on for i in plan.instalments.order_by("number"))
    pay(finance, case, "512.50", first, "I1")
    assert plans_track(business_date=first + dt.timedelta(days=1)) == {"broken": 0, "completed": 0}
    pay(finance, case, "512.50", second + dt.timedelta(days=2), "I2")  # late, still paid
    assert plans_track(business_date=second + dt.timedelta(days=3))["completed"] == 1
    plan.refresh_from_db()
    case.refresh_from_db()
    assert plan.status == "completed" and case.total == D("0.00") and case.status == CaseStatus.SETTLED
    assert [i.status for i in plan.instalments.order_by("number")] == ["paid", "late"]
    assert ledger.ledger_balances(case) == ledger.balances_of(case)


def test_two_missed_instalments_break_the_plan_and_keep_the_original_balance(placement, alice, finance):
    case = make_case(placement, collector=alice, principal="1000.00")
    plan = plan_propose(actor=alice, case=case, down_payment=D("100.00"), months=4, first_due=start())
    dates = [i.due_on for i in plan.instalments.order_by("number")]
    pay(finance, case, "100.00", dates[0], "D1")
    assert plans_track(business_date=dates[1] + dt.timedelta(days=1)) == {"broken": 0, "completed": 0}
    assert plans_track(business_date=dates[2] + dt.timedelta(days=1))["broken"] == 1
    plan.refresh_from_db()
    case.refresh_from_db()
    assert plan.status == "broken" and case.status == CaseStatus.BROKEN_PROMISE
    assert case.total == D("1025.00")  # the original 1,125.00 less the 100.00 paid; nothing waived
    assert plans_track(business_date=dates[3] + dt.timedelta(days=1)) == {"broken": 0, "completed": 0}


def test_plan_from_the_case_page(client, placement, alice):
    from django.urls import reverse

    case = make_case(placement, collector=alice)
    client.force_login(alice)
    client.post(
        reverse("payments:plan", args=[case.pk]),
        {"down_payment": "125.00", "months": "6", "first_due": start().isoformat()},
    )
    page = client.get(reverse("cases:detail", args=[case.pk]))
    assert page.context["plan"].status == "active"
    assert page.context["plan"].instalments.count() == 7
