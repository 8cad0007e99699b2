"""Allocation of a payment to balance components, in a creditor's order. Pure, no Django.

The default order pays fees first, then the late fee, then interest, and principal last, which is
how Chinese card issuers apply repayments; a legal order (costs → interest → principal) is just
another order. No component ever goes below zero; anything left over is returned as surplus.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

DEFAULT_ORDER: tuple[str, ...] = ("other_fees", "late_fee", "interest", "principal")


def allocate(
    amount: Decimal, balances: Mapping[str, Decimal], order: Sequence[str] = DEFAULT_ORDER
) -> tuple[dict[str, Decimal], Decimal]:
    """Split ``amount`` over ``balances`` in ``order``: ``({component: paid}, surplus)``."""
    if amount < 0:
        raise ValueError("a payment cannot be negative")
    paid: dict[str, Decimal] = {}
    left = amount
    for component in order:
        take = min(left, balances.get(component, Decimal(0)))
        if take > 0:
            paid[component] = take
            left -= take
    return paid, left
