"""Late fee (违约金), annualised cost and its ceiling warning, and per-product rules."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from arrears.money.fees import ProductRules, annualised_cost, cost_warning, late_fee
from arrears.money.ledger import DEFAULT_ORDER, Component

D = Decimal

LATE_FEES = [
    # (unpaid minimum, keyword arguments, expected fee, why)
    ("0.00", {}, "0.00", "minimum paid: no fee"),
    ("0.00", {"fixed": D("25.00")}, "0.00", "minimum paid: no fixed fee either"),
    ("0.00", {"floor": D("10.00")}, "0.00", "minimum paid: the floor does not apply"),
    ("1000.00", {}, "50.00", "1000 × 5%"),
    ("123.45", {}, "6.17", "123.45 × 5% = 6.1725 → 6.17"),
    ("100.10", {}, "5.01", "100.10 × 5% = 5.005 → 5.01 (half up, not to even)"),
    ("100.00", {"floor": D("10.00")}, "10.00", "5.00 raised to the floor"),
    ("300.00", {"floor": D("10.00")}, "15.00", "300 × 5% = 15.00, above the floor"),
    ("1000.00", {"cap": D("20.00")}, "20.00", "50.00 cut to the cap"),
    ("100.00", {"floor": D("10.00"), "cap": D("20.00")}, "10.00", "floor and cap: floor"),
    ("300.00", {"floor": D("10.00"), "cap": D("20.00")}, "15.00", "floor and cap: in between"),
    ("900.00", {"floor": D("10.00"), "cap": D("20.00")}, "20.00", "floor and cap: cap"),
    ("1000.00", {"rate": D("0.03")}, "30.00", "another rate: 1000 × 3%"),
    ("1000.00", {"fixed": D("25.00")}, "25.00", "fixed"),
    ("0.01", {"fixed": D("25.00")}, "25.00", "fixed whatever is unpaid"),
]


@pytest.mark.parametrize(
    ("unpaid", "kwargs", "expected", "why"), LATE_FEES, ids=[row[3] for row in LATE_FEES]
)
def test_late_fee(unpaid: str, kwargs: dict, expected: str, why: str) -> None:
    assert late_fee(D(unpaid), **kwargs) == D(expected), why


@pytest.mark.parametrize(
    ("unpaid", "kwargs"),
    [
        (D("-1.00"), {}),
        (D("1.005"), {}),
        (D("100.00"), {"floor": D("30.00"), "cap": D("20.00")}),
        (D("100.00"), {"fixed": D("25.00"), "floor": D("10.00")}),
        (D("100.00"), {"fixed": D("25.00"), "cap": D("30.00")}),
        (D("100.00"), {"fixed": D("-1.00")}),
        (D("100.00"), {"rate": D("-0.05")}),
    ],
)
def test_late_fee_refuses_bad_input(unpaid: Decimal, kwargs: dict) -> None:
    with pytest.raises(ValueError):
        late_fee(unpaid, **kwargs)


def test_late_fee_refuses_float() -> None:
    with pytest.raises(TypeError):
        late_fee(100.0)  # type: ignore[arg-type]


@given(
    st.decimals(min_value=0, max_value=Decimal("1000000.00"), places=2),
    st.decimals(min_value=0, max_value=Decimal("100.00"), places=2),
    st.decimals(min_value=0, max_value=Decimal("100.00"), places=2),
)
def test_late_fee_stays_within_floor_and_cap(unpaid: Decimal, a: Decimal, b: Decimal) -> None:
    floor, cap = sorted((a, b))
    fee = late_fee(unpaid, floor=floor, cap=cap)
    if unpaid == 0:
        assert fee == 0
    else:
        assert floor <= fee <= cap


ANNUALISED = [
    # (charges, principal, days, expected, why)
    ("24.00", "100.00", 365, "0.240000", "24 on 100 over a year: 24%"),
    ("10.00", "1000.00", 30, "0.121667", "10 × 365 ÷ (1000 × 30) = 0.1216666… → 0.121667"),
    ("182.50", "1000.00", 365, "0.182500", "0.05% a day for a year: 18.25%"),
    ("0.00", "1000.00", 30, "0.000000", "no charges"),
]


@pytest.mark.parametrize(
    ("charges", "principal", "days", "expected", "why"), ANNUALISED, ids=[row[4] for row in ANNUALISED]
)
def test_annualised_cost(charges: str, principal: str, days: int, expected: str, why: str) -> None:
    assert annualised_cost(D(charges), D(principal), days) == D(expected), why


@pytest.mark.parametrize(
    "args", [(D("1"), D("0"), 30), (D("1"), D("-1"), 30), (D("-1"), D("100"), 30), (D("1"), D("100"), 0)]
)
def test_annualised_cost_refuses_bad_input(args: tuple) -> None:
    with pytest.raises(ValueError):
        annualised_cost(*args)


def test_cost_warning_only_above_the_ceiling() -> None:
    assert cost_warning(D("24.00"), D("100.00"), 365) is None  # exactly at 24%: allowed
    warning = cost_warning(D("24.01"), D("100.00"), 365)
    assert warning is not None
    assert warning.annualised == D("0.240100")
    assert warning.ceiling == D("0.24")
    assert "24.01%" in warning.message_zh and "24.00%" in warning.message_zh
    assert "24.01%" in warning.message_en and "ceiling" in warning.message_en
    assert warning.reason == f"{warning.message_zh} / {warning.message_en}"


def test_cost_warning_with_another_ceiling() -> None:
    # 36 on 100 over a year is 36%: under a 36% ceiling, over the default 24%.
    assert cost_warning(D("36.00"), D("100.00"), 365, ceiling=D("0.36")) is None
    assert cost_warning(D("36.00"), D("100.00"), 365) is not None


def test_product_rules_defaults() -> None:
    rules = ProductRules()
    assert rules.daily_rate == D("0.0005")
    assert rules.statement_day_included is True
    assert rules.compound is False
    assert rules.late_fee_rate == D("0.05")
    assert rules.waterfall == DEFAULT_ORDER
    assert rules.max_plan_months == 60
    assert rules.apr_ceiling == D("0.24")
    assert rules.interest_on_fees is False
    assert rules.penalty_day_basis == 360


def test_product_rules_apply_their_parameters() -> None:
    rules = ProductRules(
        late_fee_floor=D("10.00"), late_fee_cap=D("20.00"), penalty_multiple=D("1.3"), apr_ceiling=D("0.36")
    )
    assert rules.late_fee(D("100.00")) == D("10.00")
    assert rules.late_fee(D("1000.00")) == D("20.00")
    # 10000 × 0.12 × 1.3 ÷ 360 × 30 = 130.00
    assert rules.penalty_interest(D("10000.00"), D("0.12"), 30) == D("130.00")
    assert rules.cost_warning(D("30.00"), D("100.00"), 365) is None
    assert rules.cost_warning(D("40.00"), D("100.00"), 365) is not None
    assert ProductRules(late_fee_fixed=D("25.00")).late_fee(D("1.00")) == D("25.00")


def test_product_rules_waterfall_accepts_strings() -> None:
    order = ("principal", "interest", "late_fee", "fees", "legal_costs")
    assert ProductRules(waterfall=order).waterfall == tuple(Component(c) for c in order)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"waterfall": (Component.PRINCIPAL, Component.INTEREST)},  # fees would never be paid
        {"waterfall": (*DEFAULT_ORDER, Component.PRINCIPAL)},
        {"waterfall": ("principal", "interest", "late_fee", "fees", "costs")},
        {"max_plan_months": 61},
        {"max_plan_months": 1},
        {"daily_rate": D("-0.0001")},
        {"apr_ceiling": 0.24},
        {"penalty_day_basis": 0},
        {"late_fee_floor": D("30.00"), "late_fee_cap": D("20.00")},
        {"late_fee_fixed": D("25.00"), "late_fee_floor": D("10.00")},
    ],
)
def test_product_rules_refuse_bad_parameters(kwargs: dict) -> None:
    with pytest.raises(ValueError):
        ProductRules(**kwargs)


@pytest.mark.parametrize(
    ("compound", "interest_on_fees", "expected", "bearing"),
    [
        # balances: principal 1000, interest 50, late fee 20, fees 10, legal costs 300
        (False, False, (Component.PRINCIPAL,), "1000.00"),
        (True, False, (Component.PRINCIPAL, Component.INTEREST), "1050.00"),
        (False, True, (Component.PRINCIPAL, Component.LATE_FEE, Component.FEES), "1030.00"),
        (
            True,
            True,
            (Component.PRINCIPAL, Component.INTEREST, Component.LATE_FEE, Component.FEES),
            "1080.00",
        ),
    ],
)
def test_no_interest_on_fees_unless_the_product_says_so(
    compound: bool, interest_on_fees: bool, expected: tuple, bearing: str
) -> None:
    rules = ProductRules(compound=compound, interest_on_fees=interest_on_fees)
    assert rules.accruing_components() == expected
    held = {
        "principal": D("1000.00"),
        "interest": D("50.00"),
        "late_fee": D("20.00"),
        "fees": D("10.00"),
        "legal_costs": D("300.00"),
    }
    assert rules.accruing_balance(held) == D(bearing)


def test_accruing_balance_ignores_credits() -> None:
    assert ProductRules(compound=True).accruing_balance(
        {"principal": D("100.00"), "interest": D("-5.00")}
    ) == D("100.00")
