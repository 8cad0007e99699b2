"""Who may approve how much forgiveness (减免审批权限). Pure data and a lookup, no Django.

Each role in the approval chain may approve waivers up to an amount *and* up to a share of the
balance; a request above both limits of a role goes to the next role up. The figures are the
defaults a bank would start from; a creditor's policy replaces them (the matrix is data).
"""

from __future__ import annotations

from decimal import Decimal

# (role, largest amount, largest share of the balance) in the order requests go up the chain.
DEFAULT_MATRIX: tuple[tuple[str, Decimal, Decimal], ...] = (
    ("collector", Decimal("500.00"), Decimal("0.10")),
    ("team_lead", Decimal("5000.00"), Decimal("0.30")),
    ("manager", Decimal("50000.00"), Decimal("0.60")),
)


# Above the agency's own chain the creditor decides (a bank keeps the last word on forgiving its
# debt): the request waits for the creditor's written answer, which a manager records with its
# reference.
CREDITOR = "creditor"


def share_of(waived: Decimal, balance: Decimal) -> Decimal:
    """The share of the balance a waiver forgives, to four places (what the matrix compares)."""
    return (waived / balance).quantize(Decimal("0.0001"))


def covers(role: str, amount: Decimal, share: Decimal, matrix=DEFAULT_MATRIX) -> bool:
    return any(r == role and amount <= limit and share <= ceiling for r, limit, ceiling in matrix)


def approver_for(amount: Decimal, share: Decimal, *, requester_role: str, matrix=DEFAULT_MATRIX) -> str:
    """The lowest role above the requester whose authority covers the request (the requester never
    approves their own); the creditor when nobody in the chain may approve it."""
    roles = [r for r, _limit, _share in matrix]
    start = roles.index(requester_role) + 1 if requester_role in roles else 0
    for role, limit, ceiling in matrix[start:]:
        if amount <= limit and share <= ceiling:
            return role
    return CREDITOR


# The longest plan each role may agree to on its own (the product's maximum, at most 60, applies).
PLAN_MONTHS: dict[str, int] = {"collector": 12, "team_lead": 36, "manager": 60}


def plan_approver(months: int, waived: Decimal, share: Decimal, *, requester_role: str) -> str | None:
    """ "" when the requester may agree the plan alone (no waiver, within their months); otherwise the
    lowest role above the requester that covers both, or None when nobody in the chain may."""
    if not waived and months <= PLAN_MONTHS.get(requester_role, 0):
        return ""
    roles = [r for r, _limit, _share in DEFAULT_MATRIX]
    start = roles.index(requester_role) + 1 if requester_role in roles else 0
    for role in roles[start:]:
        if months <= PLAN_MONTHS[role] and (not waived or covers(role, waived, share)):
            return role
    return None
