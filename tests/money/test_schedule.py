"""Repayment plan schedules: exact amounts, residue on the last instalment, monthly due dates."""

from __future__ import annotations

import calendar
from datetime import date
from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from arrears.core.money import ZERO
from arrears.money.schedule import Instalment, add_months, plan_schedule

D = Decimal

SCHEDULES = [
    # (total, down, months, waive interest, waive fees, expected amounts, why)
    ("10000.00", "1000.00", 3, "0", "0", ["3000.00"] * 3, "9000 ÷ 3 divides exactly"),
    ("1000.00", "0", 3, "0", "0", ["333.33", "333.33", "333.34"], "1000 ÷ 3 = 333.33…; residue 0.01 last"),
    (
        "1000.00",
        "100.00",
        7,
        "50.00",
        "20.00",
        ["118.57"] * 6 + ["118.58"],
        "1000 − 50 − 20 − 100 = 830; 830 ÷ 7 = 118.571… → 118.57; last 830 − 6 × 118.57 = 118.58",
    ),
    (
        "100.00",
        "0",
        60,
        "0",
        "0",
        ["1.66"] * 59 + ["2.06"],
        "100 ÷ 60 = 1.666… → 1.66 (down); last 100 − 97.94",
    ),
    ("0.06", "0", 6, "0", "0", ["0.01"] * 6, "the smallest plan: a fen a month"),
    ("2.00", "0", 3, "0", "0", ["0.66", "0.66", "0.68"], "2 ÷ 3 = 0.666… → 0.66; last 2 − 1.32 = 0.68"),
]


@pytest.mark.parametrize(
    ("total", "down", "months", "wi", "wf", "expected", "why"), SCHEDULES, ids=[row[6] for row in SCHEDULES]
)
def test_plan_schedule_amounts(
    total: str, down: str, months: int, wi: str, wf: str, expected: list[str], why: str
) -> None:
    plan = plan_schedule(
        D(total),
        down_payment=D(down),
        months=months,
        first_due=date(2024, 5, 10),
        waive_interest=D(wi),
        waive_fees=D(wf),
    )
    assert [i.amount for i in plan] == [D(x) for x in expected], why
    assert [i.number for i in plan] == list(range(1, months + 1))


def test_due_dates_are_monthly_on_the_same_day() -> None:
    plan = plan_schedule(D("1200.00"), down_payment=D("0"), months=3, first_due=date(2024, 5, 10))
    assert plan == [
        Instalment(1, date(2024, 5, 10), D("400.00")),
        Instalment(2, date(2024, 6, 10), D("400.00")),
        Instalment(3, date(2024, 7, 10), D("400.00")),
    ]


@pytest.mark.parametrize(
    ("first", "months", "expected"),
    [
        # Jan 31 clamps to the end of February (29 in 2024) and comes back to the 31st in March.
        (date(2024, 1, 31), 4, [date(2024, 1, 31), date(2024, 2, 29), date(2024, 3, 31), date(2024, 4, 30)]),
        (date(2023, 1, 31), 2, [date(2023, 1, 31), date(2023, 2, 28)]),
        # Across a year end.
        (date(2024, 11, 30), 3, [date(2024, 11, 30), date(2024, 12, 30), date(2025, 1, 30)]),
        (date(2024, 12, 31), 3, [date(2024, 12, 31), date(2025, 1, 31), date(2025, 2, 28)]),
    ],
)
def test_due_dates_clamp_to_month_end(first: date, months: int, expected: list[date]) -> None:
    plan = plan_schedule(D("100.00"), down_payment=ZERO, months=months, first_due=first)
    assert [i.due_on for i in plan] == expected


def test_add_months() -> None:
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2024, 1, 31), 13) == date(2025, 2, 28)
    assert add_months(date(2024, 3, 15), 0) == date(2024, 3, 15)
    assert add_months(date(2024, 1, 15), 59) == date(2028, 12, 15)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"months": 1}, "2 to 60"),
        ({"months": 61}, "2 to 60"),
        ({"months": 25, "max_months": 24}, "2 to 24"),
        ({"max_months": 61}, "maximum"),
        ({"down_payment": D("1000.00")}, "down payment"),
        ({"down_payment": D("1200.00")}, "down payment"),
        ({"down_payment": D("900.00"), "waive_interest": D("100.00")}, "down payment"),
        ({"waive_interest": D("600.00"), "waive_fees": D("400.00")}, "leave nothing"),
        ({"down_payment": D("-1.00")}, "negative"),
        ({"waive_fees": D("-1.00")}, "negative"),
        ({"total": D("-1.00")}, "negative"),
        ({"total": D("1000.001")}, "fen"),
        ({"total": D("0.05"), "down_payment": ZERO, "months": 6}, "less than one fen"),
    ],
)
def test_plan_schedule_refuses(kwargs: dict, message: str) -> None:
    args = {
        "total": D("1000.00"),
        "down_payment": D("100.00"),
        "months": 12,
        "first_due": date(2024, 5, 1),
        **kwargs,
    }
    total = args.pop("total")
    with pytest.raises(ValueError, match=message):
        plan_schedule(total, **args)


def test_sixty_months_is_allowed_and_a_product_maximum_applies() -> None:
    assert len(plan_schedule(D("6000.00"), down_payment=ZERO, months=60, first_due=date(2024, 1, 1))) == 60
    assert (
        len(
            plan_schedule(
                D("6000.00"), down_payment=ZERO, months=24, first_due=date(2024, 1, 1), max_months=24
            )
        )
        == 24
    )


@given(
    total=st.decimals(min_value=Decimal("1.00"), max_value=Decimal("5000000.00"), places=2),
    down_share=st.integers(min_value=0, max_value=90),
    waive_share=st.integers(min_value=0, max_value=50),
    months=st.integers(min_value=2, max_value=60),
    first_due=st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)),
)
def test_schedule_properties(
    total: Decimal, down_share: int, waive_share: int, months: int, first_due: date
) -> None:
    waive_interest = (total * waive_share / 200).quantize(D("0.01"))
    waive_fees = (total * waive_share / 300).quantize(D("0.01"))
    down = ((total - waive_interest - waive_fees) * down_share / 100).quantize(D("0.01"))
    spread = total - waive_interest - waive_fees - down
    if spread < D("0.01") * months:
        with pytest.raises(ValueError):
            plan_schedule(
                total,
                down_payment=down,
                months=months,
                first_due=first_due,
                waive_interest=waive_interest,
                waive_fees=waive_fees,
            )
        return
    plan = plan_schedule(
        total,
        down_payment=down,
        months=months,
        first_due=first_due,
        waive_interest=waive_interest,
        waive_fees=waive_fees,
    )
    amounts = [i.amount for i in plan]
    assert len(plan) == months
    assert sum(amounts, ZERO) == total - down - waive_interest - waive_fees
    residue = amounts[-1] - amounts[0]
    assert ZERO <= residue < D("0.01") * months
    assert all(abs(a - amounts[0]) <= residue for a in amounts)
    assert all(a == amounts[0] for a in amounts[:-1])
    assert all(a > 0 and a == a.quantize(D("0.01")) for a in amounts)
    dates = [i.due_on for i in plan]
    assert dates[0] == first_due
    assert all(b > a for a, b in pairwise(dates))
    for i, due in enumerate(dates):
        year, month0 = divmod(first_due.year * 12 + first_due.month - 1 + i, 12)
        assert (due.year, due.month) == (year, month0 + 1)
        assert due.day == min(first_due.day, calendar.monthrange(year, month0 + 1)[1])
