"""Ledger arithmetic: entries and their signs, balances, the payment waterfall, waivers, reversals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from arrears.core.money import ZERO
from arrears.money.ledger import (
    DEFAULT_ORDER,
    Component,
    Entry,
    Kind,
    allocate,
    balances,
    payment_entries,
    reverse,
    total,
    waiver_entries,
)

D = Decimal
DAY = date(2024, 6, 1)
P, INT, LF, F, LC = (
    Component.PRINCIPAL,
    Component.INTEREST,
    Component.LATE_FEE,
    Component.FEES,
    Component.LEGAL_COSTS,
)


def opening(**amounts: str) -> list[Entry]:
    return [Entry(Kind.OPENING, Component(c), D(a), DAY, "opening balance") for c, a in amounts.items()]


BOOK = opening(principal="1000.00", interest="100.00", late_fee="20.00", fees="30.00")


# ---- entries -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "component", "amount"),
    [
        (Kind.OPENING, P, "-1.00"),  # a charge cannot be negative
        (Kind.INTEREST, INT, "-1.00"),
        (Kind.LATE_FEE, LF, "-1.00"),
        (Kind.FEE, F, "-1.00"),
        (Kind.LEGAL_COST, LC, "-1.00"),
        (Kind.PAYMENT, P, "1.00"),  # a reduction cannot be positive
        (Kind.WAIVER, INT, "1.00"),
        (Kind.WRITE_OFF, P, "1.00"),
        (Kind.INTEREST, P, "1.00"),  # an interest entry must land on interest
        (Kind.LATE_FEE, F, "1.00"),
        (Kind.FEE, LF, "1.00"),
        (Kind.LEGAL_COST, F, "1.00"),
        (Kind.OPENING, P, "1.001"),  # fen only
        (Kind.OPENING, P, "Infinity"),
    ],
)
def test_entry_refuses_inconsistent_amounts(kind: Kind, component: Component, amount: str) -> None:
    with pytest.raises(ValueError):
        Entry(kind, component, D(amount), DAY, "x")


def test_entry_refuses_float_and_unknown_names() -> None:
    with pytest.raises(TypeError):
        Entry(Kind.OPENING, P, 1.0, DAY, "x")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Entry("charge", P, D("1.00"), DAY, "x")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Entry(Kind.OPENING, "other_fees", D("1.00"), DAY, "x")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Entry(Kind.PAYMENT, P, D("-1.00"), DAY, "x", reverses="R1")


def test_entry_accepts_names_as_strings_and_either_sign_for_adjustments() -> None:
    entry = Entry("adjustment", "principal", D("-5.00"), DAY, "correction")  # type: ignore[arg-type]
    assert (entry.kind, entry.component) == (Kind.ADJUSTMENT, P)
    assert Entry(Kind.ADJUSTMENT, P, D("5.00"), DAY, "correction").amount == D("5.00")


def test_balances_are_the_sum_of_signed_entries() -> None:
    entries = [
        *BOOK,
        Entry(Kind.INTEREST, INT, D("12.34"), DAY, "June interest"),
        Entry(Kind.LATE_FEE, LF, D("5.00"), DAY, "违约金"),
        Entry(Kind.FEE, F, D("2.00"), DAY, "SMS fee"),
        Entry(Kind.LEGAL_COST, LC, D("300.00"), DAY, "court fee"),
        Entry(Kind.PAYMENT, F, D("-32.00"), DAY, "payment", ref="R1"),
        Entry(Kind.WAIVER, INT, D("-50.00"), DAY, "settlement waiver"),
        Entry(Kind.WRITE_OFF, P, D("-400.00"), DAY, "核销"),
        Entry(Kind.ADJUSTMENT, P, D("-0.50"), DAY, "rounding correction"),
        Entry(Kind.REVERSAL, F, D("32.00"), DAY, "bounced", reverses="R1"),
    ]
    assert balances(entries) == {
        P: D("599.50"),  # 1000 − 400 − 0.50
        INT: D("62.34"),  # 100 + 12.34 − 50
        LF: D("25.00"),  # 20 + 5
        F: D("32.00"),  # 30 + 2 − 32 + 32
        LC: D("300.00"),
    }
    assert total(entries) == D("1018.84")


def test_balances_of_nothing_are_zero_for_every_component() -> None:
    assert balances([]) == {c: ZERO for c in Component}
    assert total([]) == ZERO


# ---- allocation ----------------------------------------------------------------------------------

HELD = {LC: ZERO, F: D("30.00"), LF: D("20.00"), INT: D("100.00"), P: D("1000.00")}

ALLOCATIONS = [
    # (amount, order, expected paid, surplus, why)
    ("10.00", DEFAULT_ORDER, {F: "10.00"}, "0.00", "fees first"),
    ("75.00", DEFAULT_ORDER, {F: "30.00", LF: "20.00", INT: "25.00"}, "0.00", "fees, late fee, interest"),
    ("150.00", DEFAULT_ORDER, {F: "30.00", LF: "20.00", INT: "100.00"}, "0.00", "exactly up to principal"),
    ("1200.00", DEFAULT_ORDER, {F: "30.00", LF: "20.00", INT: "100.00", P: "1000.00"}, "50.00", "overpaid"),
    ("0.00", DEFAULT_ORDER, {}, "0.00", "nothing paid"),
    ("1100.00", (P, INT, LF, F, LC), {P: "1000.00", INT: "100.00"}, "0.00", "principal-first order"),
    ("120.00", (LC, INT, P), {INT: "100.00", P: "20.00"}, "0.00", "legal order: costs, interest, principal"),
    ("200.00", (INT,), {INT: "100.00"}, "100.00", "a component outside the order is not paid"),
]


@pytest.mark.parametrize(
    ("amount", "order", "paid", "surplus", "why"), ALLOCATIONS, ids=[row[4] for row in ALLOCATIONS]
)
def test_allocate(amount: str, order: tuple, paid: dict, surplus: str, why: str) -> None:
    got, left = allocate(D(amount), HELD, order)
    assert got == {c: D(v) for c, v in paid.items()}, why
    assert left == D(surplus)


def test_allocate_skips_credits_and_accepts_string_keys() -> None:
    got, left = allocate(D("50.00"), {"fees": D("-5.00"), "interest": D("20.00"), "principal": D("100.00")})
    assert got == {INT: D("20.00"), P: D("30.00")}
    assert left == ZERO


@pytest.mark.parametrize(
    ("amount", "order"),
    [
        (D("-1.00"), DEFAULT_ORDER),
        (D("1.001"), DEFAULT_ORDER),
        (D("1.00"), (P, P)),
        (D("1.00"), ("other_fees", "principal")),
    ],
)
def test_allocate_refuses(amount: Decimal, order: tuple) -> None:
    with pytest.raises(ValueError):
        allocate(amount, HELD, order)


def test_payment_entries_book_the_allocation_as_negative_entries() -> None:
    posting = payment_entries(D("75.00"), balances(BOOK), on=DAY, reason="bank transfer", ref="BANK-1")
    assert posting.entries == (
        Entry(Kind.PAYMENT, F, D("-30.00"), DAY, "bank transfer", ref="BANK-1"),
        Entry(Kind.PAYMENT, LF, D("-20.00"), DAY, "bank transfer", ref="BANK-1"),
        Entry(Kind.PAYMENT, INT, D("-25.00"), DAY, "bank transfer", ref="BANK-1"),
    )
    assert posting.paid == {F: D("30.00"), LF: D("20.00"), INT: D("25.00")}
    assert posting.surplus == ZERO
    after = balances([*BOOK, *posting.entries])
    assert after == {P: D("1000.00"), INT: D("75.00"), LF: ZERO, F: ZERO, LC: ZERO}


def test_payment_surplus_is_not_booked() -> None:
    posting = payment_entries(D("1200.00"), balances(BOOK), on=DAY)
    assert posting.surplus == D("50.00")
    assert -sum(e.amount for e in posting.entries) == D("1150.00")
    assert all(value == ZERO for value in balances([*BOOK, *posting.entries]).values())


def test_reversal_restores_exactly_what_the_payment_took() -> None:
    before = balances(BOOK)
    posting = payment_entries(D("75.00"), before, on=DAY, ref="BANK-1")
    undo = reverse(posting.entries, on=date(2024, 6, 3), reason="payment bounced")
    assert [(e.kind, e.component, e.amount, e.on, e.reverses) for e in undo] == [
        (Kind.REVERSAL, F, D("30.00"), date(2024, 6, 3), "BANK-1"),
        (Kind.REVERSAL, LF, D("20.00"), date(2024, 6, 3), "BANK-1"),
        (Kind.REVERSAL, INT, D("25.00"), date(2024, 6, 3), "BANK-1"),
    ]
    assert balances([*BOOK, *posting.entries, *undo]) == before


def test_reversal_defaults_to_the_original_date_and_cannot_be_reversed() -> None:
    posting = payment_entries(D("10.00"), balances(BOOK), on=DAY, ref="R")
    undo = reverse(posting.entries)
    assert [e.on for e in undo] == [DAY]
    assert undo[0].reason == "reversal of payment"
    with pytest.raises(ValueError, match="cannot be reversed"):
        reverse(undo)


def test_waiver_entries() -> None:
    held = balances(BOOK)
    entries = waiver_entries(
        {"interest": D("40.00"), "late_fee": D("20.00"), "fees": ZERO}, held, on=DAY, reason="减免"
    )
    assert entries == (
        Entry(Kind.WAIVER, INT, D("-40.00"), DAY, "减免"),
        Entry(Kind.WAIVER, LF, D("-20.00"), DAY, "减免"),
    )
    assert balances([*BOOK, *entries])[INT] == D("60.00")
    with pytest.raises(ValueError, match="cannot waive"):
        waiver_entries({INT: D("100.01")}, held, on=DAY, reason="too much")
    with pytest.raises(ValueError, match="negative"):
        waiver_entries({INT: D("-1.00")}, held, on=DAY, reason="negative")


# ---- properties ----------------------------------------------------------------------------------

components = st.sampled_from(list(Component))
money = st.decimals(min_value=0, max_value=Decimal("1000000.00"), places=2)
orders = st.permutations(list(Component))


@given(money, st.dictionaries(components, st.decimals(min_value=-100, max_value=1000000, places=2)), orders)
def test_allocation_never_makes_a_component_negative(amount: Decimal, held: dict, order: list) -> None:
    paid, surplus = allocate(amount, held, order)
    assert sum(paid.values(), ZERO) + surplus == amount
    assert surplus >= 0
    for component, value in paid.items():
        assert ZERO < value <= held[component]
        assert held[component] - value >= 0
    # The waterfall: a component is paid only once every earlier one is cleared.
    for i, component in enumerate(order):
        if component in paid:
            for earlier in order[:i]:
                assert paid.get(earlier, ZERO) == max(held.get(earlier, ZERO), ZERO)
    # Surplus only when everything in the order is cleared.
    if surplus > 0:
        assert all(paid.get(c, ZERO) == max(held.get(c, ZERO), ZERO) for c in order)


@given(st.dictionaries(components, money, min_size=1), money, orders)
def test_a_reversal_is_an_exact_inverse(held: dict, amount: Decimal, order: list) -> None:
    book = [Entry(Kind.OPENING, c, v, DAY, "opening") for c, v in held.items()]
    before = balances(book)
    posting = payment_entries(amount, before, on=DAY, order=order, ref="P1")
    assert balances([*book, *posting.entries, *reverse(posting.entries)]) == before


operations = st.lists(
    st.one_of(
        st.tuples(st.just("opening"), components, money),
        st.tuples(
            st.just("charge"),
            st.sampled_from([Kind.INTEREST, Kind.LATE_FEE, Kind.FEE, Kind.LEGAL_COST]),
            money,
        ),
        st.tuples(st.just("payment"), orders, money),
        st.tuples(st.just("waiver"), components, st.integers(min_value=0, max_value=100)),
        st.tuples(st.just("reversal"), st.integers(min_value=0, max_value=20)),
    ),
    max_size=30,
)

CHARGE_COMPONENT = {Kind.INTEREST: INT, Kind.LATE_FEE: LF, Kind.FEE: F, Kind.LEGAL_COST: LC}


@given(operations)
def test_balance_is_the_sum_of_entries_after_any_sequence(ops: list) -> None:
    # An independent model of the balances, updated by each operation's own effect, against the
    # ledger's sum of entries after every step; no component ever goes negative.
    entries: list[Entry] = []
    model = {c: ZERO for c in Component}
    payments: list[tuple[Entry, ...]] = []
    reversed_payments: set[int] = set()
    for op in ops:
        match op:
            case ("opening", component, amount):
                entries.append(Entry(Kind.OPENING, component, amount, DAY, "opening"))
                model[component] += amount
            case ("charge", kind, amount):
                entries.append(Entry(kind, CHARGE_COMPONENT[kind], amount, DAY, "charge"))
                model[CHARGE_COMPONENT[kind]] += amount
            case ("payment", order, amount):
                posting = payment_entries(
                    amount, balances(entries), on=DAY, order=order, ref=f"P{len(payments)}"
                )
                entries.extend(posting.entries)
                payments.append(posting.entries)
                for component, value in posting.paid.items():
                    model[component] -= value
                assert sum(posting.paid.values(), ZERO) + posting.surplus == amount
            case ("waiver", component, percent):
                amount = (model[component] * percent / 100).quantize(D("0.01"), rounding="ROUND_DOWN")
                waived = waiver_entries({component: amount}, balances(entries), on=DAY, reason="waiver")
                entries.extend(waived)
                model[component] -= amount
            case ("reversal", index):
                if index < len(payments) and index not in reversed_payments:
                    entries.extend(reverse(payments[index]))
                    reversed_payments.add(index)
                    for entry in payments[index]:
                        model[entry.component] -= entry.amount
        current = balances(entries)
        assert current == model
        assert all(value >= 0 for value in current.values())
        assert total(entries) == sum(model.values(), ZERO)
