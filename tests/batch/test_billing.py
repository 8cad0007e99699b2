"""The nightly run bills interest and late fees on each case's cycle day, as ledger entries that the
case's balance follows, once per cycle however often the date is run."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from arrears.batch import run as batch
from arrears.cases.models import Case
from arrears.creditors.models import Placement, Product
from arrears.payments.ledger import balances_of, ledger_balances
from arrears.payments.models import LedgerEntry, RepaymentPlan
from arrears.payments.services import payment_post, payment_reverse
from tests.conftest import make_case

pytestmark = pytest.mark.django_db
STATEMENT = dt.date(2026, 12, 5)


@pytest.fixture
def card(placement, alice, at):
    at(2026, 12, 5, 23, 0)
    case = make_case(placement, collector=alice, principal="5000.00", dpd=200)  # overdue since 2026-05-13
    Case.objects.filter(pk=case.pk).update(statement_day=5)
    return case


def billed(case) -> dict[str, Decimal]:
    return dict(LedgerEntry.objects.filter(case=case, cycle=STATEMENT).values_list("kind", "amount"))


def test_the_cycle_day_bills_interest_and_the_late_fee_and_the_balance_follows(card):
    batch.batch_run(business_date=STATEMENT)
    # 5000 × 0.05% × 30 days (11/6–12/5); the minimum (500 + 125 of charges) unpaid: 5% of 625.
    assert billed(card) == {"interest": Decimal("75.00"), "late_fee": Decimal("31.25")}
    card.refresh_from_db()
    assert card.interest == Decimal("175.00") and card.late_fee == Decimal("56.25")
    assert card.total == Decimal("5231.25")
    assert ledger_balances(card) == balances_of(card)


def test_running_the_date_again_bills_nothing_more(card):
    batch.batch_run(business_date=STATEMENT)
    batch.batch_run(business_date=STATEMENT)
    card.refresh_from_db()
    assert LedgerEntry.objects.filter(case=card, cycle=STATEMENT).count() == 2
    assert card.total == Decimal("5231.25")


def test_another_day_bills_nothing(card):
    batch.batch_run(business_date=STATEMENT - dt.timedelta(days=1))
    assert not LedgerEntry.objects.filter(case=card).exclude(kind="opening").exists()


def test_a_frozen_product_an_active_plan_and_a_case_without_a_cycle_day_are_not_billed(
    card, placement, alice
):
    frozen_creditor_case = card
    Product.objects.create(creditor=placement.creditor, code="FROZEN", product_type="credit_card",
                           is_default=True, accrues=False)  # fmt: skip
    on_plan = make_case(placement, collector=alice, dpd=200)
    Case.objects.filter(pk=on_plan.pk).update(statement_day=5)
    RepaymentPlan.objects.create(
        case=on_plan, down_payment="0.00", months=6, first_due=STATEMENT, status="active",
        requested_by=alice, requested_at=card.created_at, activated_at=card.created_at,
    )  # fmt: skip
    no_day = make_case(placement, collector=alice, dpd=200)
    batch.batch_run(business_date=STATEMENT)
    assert billed(frozen_creditor_case) == {} and billed(on_plan) == {} and billed(no_day) == {}


def test_a_loan_bills_penalty_interest_on_its_due_day(org, creditor, alice, at):
    at(2026, 12, 5, 23, 0)
    loans = Placement.objects.create(
        creditor=creditor, organisation=org, name="loans", entrusted_on=dt.date(2026, 5, 1),
        return_on=dt.date(2027, 5, 1), product_type="consumer_loan",
    )  # fmt: skip
    loan = make_case(loans, collector=alice, principal="10000.00", dpd=200)
    Case.objects.filter(pk=loan.pk).update(due_day=5, statement_day=20)
    batch.batch_run(business_date=STATEMENT)
    assert billed(loan) == {"interest": Decimal("225.00")}  # 10000 × 0.05% × 1.5 × 30, no late fee


def test_many_cases_billed_together_keep_every_fen(placement, alice, at):
    at(2026, 12, 5, 23, 0)
    cases = [
        make_case(placement, collector=alice, principal=p, dpd=200) for p in ("8000.00", "7995.85", "3456.78")
    ]
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(statement_day=5)
    batch.batch_run(business_date=STATEMENT)
    for case in cases:
        case.refresh_from_db()
        assert billed(case) and ledger_balances(case) == balances_of(case)
        assert case.total == sum(balances_of(case).values())


def test_a_payment_dated_before_a_billed_cycle_corrects_it_and_its_reversal_undoes_that(card, at):
    batch.batch_run(business_date=STATEMENT)
    card.refresh_from_db()
    billed_state = balances_of(card)
    at(2026, 12, 6, 10, 0)  # the bank's file arrives a day late with a payment made on the 4th
    posted = payment_post(actor=None, case=card, amount=Decimal("1000.00"), paid_on=dt.date(2026, 12, 4),
                          channel="bank_transfer", reference="LATE-1")  # fmt: skip
    charged = dict(
        LedgerEntry.objects.filter(case=card, cycle=STATEMENT, kind="adjustment").values_list(
            "component", "amount"
        )
    )
    # 5000 × 0.05% × 28 days + (5000 − 768.75 of principal paid) × 0.05% × 2 days = 70.00 + 4.23 = 74.23,
    # 0.77 less than billed; the minimum (625) was paid inside the cycle: the 31.25 late fee goes.
    assert charged == {"interest": Decimal("-0.77"), "late_fee": Decimal("-31.25")}
    card.refresh_from_db()
    # The payment had paid those charges: the 32.02 it paid on them now pays principal.
    assert card.total == Decimal("5231.25") - Decimal("1000.00") - Decimal("32.02")
    assert card.interest == card.late_fee == Decimal("0.00")
    assert ledger_balances(card) == balances_of(card)

    payment_reverse(actor=None, payment=posted.payment, reason="退票 / bounced")
    card.refresh_from_db()
    assert (
        balances_of(card) == billed_state == ledger_balances(card)
    )  # exactly as billed, component by component
