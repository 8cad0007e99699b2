"""Repayment plan schedules (个性化分期): a down payment, then 2–60 equal monthly instalments.

The amount to spread is the balance less any waived interest and fees, less the down payment. Each
instalment is that amount ÷ months rounded *down* to the fen, and the last one also carries the
rounding residue, so the schedule sums to the amount exactly and the debtor is never asked for more
than an equal share until the final instalment (the residue is less than one fen per instalment).

Instalments fall due monthly on the day of the month of the first due date; in shorter months the
day is clamped to the month's end (Jan 31 → Feb 28/29 → Mar 31), always counted from the first due
date, so one short month does not pull every later date earlier.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal

from arrears.core.money import CENT, ZERO
from arrears.money.fees import MAX_PLAN_MONTHS
from arrears.money.ledger import check_fen

MIN_PLAN_MONTHS = 2


@dataclass(frozen=True, slots=True)
class Instalment:
    """The ``number``-th instalment (from 1), due on ``due_on``."""

    number: int
    due_on: date
    amount: Decimal


def add_months(start: date, months: int) -> date:
    """``start`` moved by ``months`` calendar months, the day clamped to the end of a shorter month."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def plan_schedule(
    total: Decimal,
    *,
    down_payment: Decimal,
    months: int,
    first_due: date,
    waive_interest: Decimal = ZERO,
    waive_fees: Decimal = ZERO,
    max_months: int = MAX_PLAN_MONTHS,
) -> list[Instalment]:
    """The monthly instalments of a plan on ``total`` (the down payment is not among them).

    ``max_months`` is the product's maximum (at most 60). Raises ``ValueError`` for a number of months
    out of range, a negative amount, a down payment that leaves nothing to spread, or instalments that
    would round down to nothing.
    """
    for name, value in (
        ("total", total),
        ("down payment", down_payment),
        ("waived interest", waive_interest),
        ("waived fees", waive_fees),
    ):
        check_fen(value, name)
        if value < 0:
            raise ValueError(f"the {name} cannot be negative, got {value}")
    if not MIN_PLAN_MONTHS <= max_months <= MAX_PLAN_MONTHS:
        raise ValueError(
            f"the product's maximum must be between {MIN_PLAN_MONTHS} and {MAX_PLAN_MONTHS} months"
        )
    if isinstance(months, bool) or not isinstance(months, int) or not MIN_PLAN_MONTHS <= months <= max_months:
        raise ValueError(f"a plan has {MIN_PLAN_MONTHS} to {max_months} monthly instalments, got {months!r}")
    after_waiver = total - waive_interest - waive_fees
    if after_waiver <= 0:
        raise ValueError(f"the waivers ({waive_interest} + {waive_fees}) leave nothing of {total} to pay")
    if down_payment >= after_waiver:
        raise ValueError(f"the down payment {down_payment} must be less than the amount due {after_waiver}")
    spread = after_waiver - down_payment
    equal = (spread / months).quantize(CENT, rounding=ROUND_DOWN)
    if equal <= 0:
        raise ValueError(f"{spread} over {months} months is less than one fen an instalment")
    last = spread - equal * (months - 1)
    return [
        Instalment(n, add_months(first_due, n - 1), equal if n < months else last)
        for n in range(1, months + 1)
    ]
