"""Billing a cycle (pure): interest on the accruing balance day by day, the late fee on the unpaid
minimum, the cost ceiling, and the cycle calendar."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from arrears.money.accrual import Account, Movement, closes_on, cycle_charges, cycle_start
from arrears.money.fees import ProductRules
from arrears.money.ledger import Component, Kind

D = dt.date
JAN_1 = D(2026, 1, 1)
P, INT, LF = Component.PRINCIPAL, Component.INTEREST, Component.LATE_FEE


def opening(on: dt.date, principal: str, interest: str = "0") -> list[Movement]:
    lines = [Movement(on, Kind.OPENING, P, Decimal(principal))]
    if Decimal(interest):
        lines.append(Movement(on, Kind.OPENING, INT, Decimal(interest)))
    return lines


def charges(ledger, *, start, statement, loan=False, rules=None, overdue=JAN_1):
    account = Account(rules=rules or ProductRules(), loan=loan, overdue_since=overdue, ledger=tuple(ledger))
    return {(e.kind, e.component): e.amount for e in cycle_charges(account, start=start, statement=statement)}


def test_card_interest_follows_the_balance_through_the_cycle_and_a_paid_minimum_costs_no_fee():
    # ¥1000 from before the cycle, ¥100 repaid on 4/23, statement 5/5 (0.05%/day, statement day counted):
    # 1000 × 0.0005 × 17 (4/6–4/22) + 900 × 0.0005 × 13 (4/23–5/5) = 8.50 + 5.85.
    ledger = [*opening(D(2026, 3, 30), "1000"), Movement(D(2026, 4, 23), Kind.PAYMENT, P, Decimal("-100"))]
    billed = charges(ledger, start=D(2026, 4, 6), statement=D(2026, 5, 5))
    assert billed == {(Kind.INTEREST, INT): Decimal("14.35")}  # the ¥100 paid the minimum: no late fee


def test_an_unpaid_minimum_costs_the_late_fee_on_it():
    # Minimum: 10% of 1000 + the 50 of interest owed = 150; nothing paid; 5% of 150 = 7.50.
    ledger = opening(D(2026, 3, 1), "1000", "50")
    billed = charges(ledger, start=D(2026, 4, 6), statement=D(2026, 5, 5))
    assert billed[(Kind.LATE_FEE, LF)] == Decimal("7.50")
    assert billed[(Kind.INTEREST, INT)] == Decimal("15.00")  # 1000 × 0.0005 × 30; interest does not compound


def test_an_opening_balance_accrues_from_the_day_after_it():
    # Placed on 4/20 with the creditor's figures as of that day: 4/21–5/5 is 15 days.
    billed = charges(opening(D(2026, 4, 20), "1000"), start=D(2026, 4, 6), statement=D(2026, 5, 5))
    assert billed[(Kind.INTEREST, INT)] == Decimal("7.50")


def test_compounding_and_interest_on_fees_follow_the_product():
    ledger = [*opening(D(2026, 3, 1), "100000", "100"), Movement(D(2026, 3, 1), Kind.FEE, Component.FEES,
                                                                  Decimal("200"))]  # fmt: skip
    cycle = {"start": D(2026, 4, 6), "statement": D(2026, 5, 5), "overdue": D(2026, 3, 1)}
    plain = charges(ledger, **cycle)
    compound = charges(ledger, **cycle, rules=ProductRules(compound=True))
    on_fees = charges(ledger, **cycle, rules=ProductRules(interest_on_fees=True))
    assert plain[(Kind.INTEREST, INT)] == Decimal("1500.00")  # 100000 × 0.0005 × 30
    assert compound[(Kind.INTEREST, INT)] == Decimal("1501.50")  # and on the 100 of interest
    assert on_fees[(Kind.INTEREST, INT)] == Decimal("1503.00")  # and on the 200 of fees


def test_a_loan_bills_penalty_interest_and_no_late_fee():
    billed = charges(opening(D(2026, 3, 1), "10000"), start=D(2026, 4, 6), statement=D(2026, 5, 5), loan=True)
    assert billed == {(Kind.INTEREST, INT): Decimal("225.00")}  # 10000 × 0.0005 × 1.5 × 30


def test_nothing_is_billed_above_the_cost_ceiling():
    # Overdue since 1/1 on ¥1000: by 5/5 (125 days) a 24% ceiling allows 1000 × 0.24 × 125 ÷ 365 = 82.19
    # of charges; the creditor's 70 of interest leaves 12.19, less than the 15.00 of interest due.
    billed = charges(opening(D(2026, 1, 1), "1000", "70"), start=D(2026, 4, 6), statement=D(2026, 5, 5))
    assert billed == {(Kind.INTEREST, INT): Decimal("12.19")}
    account = Account(ProductRules(), False, D(2026, 1, 1), tuple(opening(D(2026, 1, 1), "1000", "70")))
    (entry,) = cycle_charges(account, start=D(2026, 4, 6), statement=D(2026, 5, 5))
    assert "封顶" in entry.reason and "capped" in entry.reason
    full = charges(opening(D(2026, 1, 1), "1000", "83"), start=D(2026, 4, 6), statement=D(2026, 5, 5))
    assert full == {}


def test_a_paid_off_balance_bills_nothing():
    ledger = [*opening(D(2026, 3, 1), "1000"), Movement(D(2026, 4, 1), Kind.PAYMENT, P, Decimal("-1000"))]
    assert charges(ledger, start=D(2026, 4, 6), statement=D(2026, 5, 5)) == {}


@pytest.mark.parametrize(
    ("cycle_day", "on", "closes", "start"),
    [
        (5, D(2026, 5, 5), True, D(2026, 4, 6)),
        (5, D(2026, 5, 6), False, None),
        (31, D(2026, 4, 30), True, D(2026, 4, 1)),  # a short month closes on its last day
        (31, D(2026, 3, 31), True, D(2026, 3, 1)),  # after February's 28th
        (30, D(2026, 3, 1), False, None),
        (15, D(2026, 1, 15), True, D(2025, 12, 16)),  # over the year's end
    ],
)
def test_the_cycle_calendar(cycle_day, on, closes, start):
    assert closes_on(cycle_day, on) is closes
    if closes:
        assert cycle_start(cycle_day, on) == start


@given(
    principal=st.integers(min_value=1, max_value=10_000_000),
    paid=st.integers(min_value=0, max_value=10_000_000),
    paid_day=st.integers(min_value=0, max_value=29),
    overdue_days=st.integers(min_value=30, max_value=2000),
)
def test_charges_are_whole_fen_never_negative_and_within_the_ceiling(principal, paid, paid_day, overdue_days):
    statement = D(2026, 5, 5)
    start = D(2026, 4, 6)
    overdue = statement - dt.timedelta(days=overdue_days)
    ledger = [Movement(overdue, Kind.OPENING, P, Decimal(principal) / 100)]
    if paid:
        ledger.append(Movement(start + dt.timedelta(days=paid_day), Kind.PAYMENT, P, -Decimal(paid) / 100))
    account = Account(ProductRules(), False, overdue, tuple(ledger))
    entries = cycle_charges(account, start=start, statement=statement)
    total = sum((e.amount for e in entries), Decimal(0))
    assert all(e.amount > 0 and e.amount == e.amount.quantize(Decimal("0.01")) for e in entries)
    assert total <= Decimal("0.24") * Decimal(principal) / 100 * (overdue_days + 1) / 365
