"""Pure ledger arithmetic: entries, balances by component, payment allocation, exact reversal.

A case's debt is a list of immutable entries. Each entry moves one component (principal, interest,
late fee, fees, legal costs) by a signed amount, so the balance of a component is always the plain
sum of its entries; nothing is stored that could drift from the entries. Charges (opening balance,
interest, late fee, fee, legal cost) are positive; payments, waivers and write-offs are negative; an
adjustment may go either way; a reversal is the exact negation of the entry it reverses.

Payments are split over the components by a waterfall order (default: legal costs, fees, late fee,
interest, principal) and never take more from a component than it holds; what is left is surplus for
the caller to refund or keep in suspense. No Django here: the payments app persists what this computes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from arrears.core.money import CENT, ZERO


class Kind(StrEnum):
    """What an entry records. The kind fixes the sign an amount may have (see ``Entry``)."""

    OPENING = "opening"
    INTEREST = "interest"
    LATE_FEE = "late_fee"
    FEE = "fee"
    PAYMENT = "payment"
    REVERSAL = "reversal"
    WAIVER = "waiver"
    ADJUSTMENT = "adjustment"
    WRITE_OFF = "write_off"
    LEGAL_COST = "legal_cost"


class Component(StrEnum):
    """The parts of a balance a debtor owes; each is allocated and reported on its own."""

    PRINCIPAL = "principal"
    INTEREST = "interest"
    LATE_FEE = "late_fee"
    FEES = "fees"
    LEGAL_COSTS = "legal_costs"


# Card issuers take fees, then the late fee, then interest, principal last (the default).
# Legal costs come first: the Civil Code (Art 561) pays the costs of enforcing a claim before interest
# and principal, and a creditor that wants another order configures it per product.
DEFAULT_ORDER: tuple[Component, ...] = (
    Component.LEGAL_COSTS,
    Component.FEES,
    Component.LATE_FEE,
    Component.INTEREST,
    Component.PRINCIPAL,
)

CHARGES = frozenset({Kind.OPENING, Kind.INTEREST, Kind.LATE_FEE, Kind.FEE, Kind.LEGAL_COST})
REDUCTIONS = frozenset({Kind.PAYMENT, Kind.WAIVER, Kind.WRITE_OFF})

# A charge of one of these kinds can only land on its own component; an interest entry booked to
# principal would silently change what the interest rules (and the 2017 no-interest-on-fees rule) see.
_KIND_COMPONENT = {
    Kind.INTEREST: Component.INTEREST,
    Kind.LATE_FEE: Component.LATE_FEE,
    Kind.FEE: Component.FEES,
    Kind.LEGAL_COST: Component.LEGAL_COSTS,
}


def check_fen(amount: Decimal, what: str) -> None:
    """Raise ``ValueError`` unless ``amount`` is a finite Decimal with at most two decimal places."""
    if isinstance(amount, bool) or not isinstance(amount, Decimal):
        raise TypeError(f"{what} must be a Decimal, got {type(amount).__name__}")
    if not amount.is_finite() or amount != amount.quantize(CENT):
        raise ValueError(f"{what} must be a whole number of fen (two decimal places), got {amount}")


@dataclass(frozen=True, slots=True)
class Entry:
    """One immutable ledger line.

    ``amount`` is the signed effect on the component's balance: ≥ 0 for charges, ≤ 0 for payments,
    waivers and write-offs, either sign for adjustments and reversals. ``ref`` identifies the payment
    (or other event) the entry belongs to, e.g. the bank's external reference; ``reverses`` is the
    ``ref`` of the entries a reversal undoes.
    """

    kind: Kind
    component: Component
    amount: Decimal
    on: date
    reason: str
    reverses: str | None = None
    ref: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", Kind(self.kind))
        object.__setattr__(self, "component", Component(self.component))
        check_fen(self.amount, f"{self.kind} amount")
        if self.kind in CHARGES and self.amount < 0:
            raise ValueError(f"a {self.kind} entry charges the debtor; its amount cannot be negative")
        if self.kind in REDUCTIONS and self.amount > 0:
            raise ValueError(f"a {self.kind} entry reduces the balance; its amount must be negative")
        wanted = _KIND_COMPONENT.get(self.kind)
        if wanted is not None and self.component != wanted:
            raise ValueError(f"a {self.kind} entry belongs to component {wanted}, not {self.component}")
        if self.reverses is not None and self.kind != Kind.REVERSAL:
            raise ValueError("only a reversal entry can name the entries it reverses")


def balances(entries: Iterable[Entry]) -> dict[Component, Decimal]:
    """The balance of every component: the sum of its entries' signed amounts (ZERO when none)."""
    totals = {component: ZERO for component in Component}
    for entry in entries:
        totals[entry.component] += entry.amount
    return totals


def total(entries: Iterable[Entry]) -> Decimal:
    """The whole balance owed: the sum of all entries."""
    return sum((entry.amount for entry in entries), ZERO)


def _check_order(order: Sequence[Component | str]) -> tuple[Component, ...]:
    components = tuple(Component(c) for c in order)
    if len(set(components)) != len(components):
        raise ValueError(f"a waterfall order names each component at most once: {list(order)}")
    return components


def allocate(
    amount: Decimal,
    balances: Mapping[Component | str, Decimal],
    order: Sequence[Component | str] = DEFAULT_ORDER,
) -> tuple[dict[Component, Decimal], Decimal]:
    """Split ``amount`` over ``balances`` in ``order``: ``({component: paid}, surplus)``.

    Each component takes at most what it holds (a zero or negative balance takes nothing), so no
    component ever goes below zero; components not named in ``order`` are not paid. Only components
    that received something appear in the result, and ``sum(paid) + surplus == amount`` exactly.
    """
    check_fen(amount, "payment amount")
    if amount < 0:
        raise ValueError("a payment cannot be negative")
    held = {Component(k): v for k, v in balances.items()}
    paid: dict[Component, Decimal] = {}
    left = amount
    for component in _check_order(order):
        take = min(left, max(held.get(component, ZERO), ZERO))
        if take > 0:
            paid[component] = take
            left -= take
    return paid, left


@dataclass(frozen=True, slots=True)
class PaymentPosting:
    """The ledger entries of one payment, what each component received, and the unallocated rest."""

    entries: tuple[Entry, ...]
    paid: dict[Component, Decimal]
    surplus: Decimal


def payment_entries(
    amount: Decimal,
    balances: Mapping[Component | str, Decimal],
    *,
    on: date,
    reason: str = "",
    ref: str | None = None,
    order: Sequence[Component | str] = DEFAULT_ORDER,
) -> PaymentPosting:
    """Allocate a payment by ``order`` and return its entries (one per component paid, negative).

    The surplus is not booked: the ledger holds only what the debtor owes, and an overpayment is a
    matter for finance (refund or suspense), which the caller records elsewhere.
    """
    paid, surplus = allocate(amount, balances, order)
    entries = tuple(
        Entry(Kind.PAYMENT, component, -value, on, reason, ref=ref) for component, value in paid.items()
    )
    return PaymentPosting(entries=entries, paid=paid, surplus=surplus)


def waiver_entries(
    amounts: Mapping[Component | str, Decimal],
    balances: Mapping[Component | str, Decimal],
    *,
    on: date,
    reason: str,
    ref: str | None = None,
) -> tuple[Entry, ...]:
    """Entries waiving ``amounts`` per component; refuses to waive more than a component holds."""
    held = {Component(k): v for k, v in balances.items()}
    entries: list[Entry] = []
    for key, value in amounts.items():
        component = Component(key)
        check_fen(value, f"waiver of {component}")
        if value < 0:
            raise ValueError(f"a waiver of {component} cannot be negative")
        if value > held.get(component, ZERO):
            raise ValueError(
                f"cannot waive {value} of {component}: the balance is {held.get(component, ZERO)}"
            )
        if value > 0:
            entries.append(Entry(Kind.WAIVER, component, -value, on, reason, ref=ref))
    return tuple(entries)


def reverse(entries: Iterable[Entry], *, on: date | None = None, reason: str = "") -> tuple[Entry, ...]:
    """Reversal entries restoring exactly what ``entries`` (e.g. one payment's) moved.

    Each reversal negates one original entry on the same component, so the balances after the
    original and its reversal equal the balances before, to the fen. A reversal itself cannot be
    reversed: to undo a mistaken reversal, post the payment again, which keeps the history readable.
    """
    out: list[Entry] = []
    for entry in entries:
        if entry.kind == Kind.REVERSAL:
            raise ValueError("a reversal cannot be reversed; post the original again instead")
        out.append(
            Entry(
                Kind.REVERSAL,
                entry.component,
                -entry.amount,
                entry.on if on is None else on,
                reason or f"reversal of {entry.kind}",
                reverses=entry.ref,
            )
        )
    return tuple(out)
