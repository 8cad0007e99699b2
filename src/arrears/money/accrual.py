"""What a statement date bills on a case in collection: interest and the late fee (pure).

Once a month, on the account's cycle day (a card's statement day, a loan's instalment due day), the
nightly run bills the cycle that ends that day, through the money engine:

- **Interest.** A card bills full-balance interest (``card_interest``) at the product's daily rate; a
  loan bills penalty interest (罚息) at the daily rate × the penalty multiple. Either accrues on the
  product's accruing balance (principal; interest too when the product compounds; fees only when the
  contract allows interest on fees) as it moved through the cycle: every ledger movement of those
  components counts from its date, so a payment lowers the balance from the day it was made. An
  opening balance (the creditor's figures at placement) accrues from the day after it: the creditor
  billed up to that day.
- **Late fee (违约金), cards only.** On the unpaid minimum payment: 10% of the principal plus the
  interest, late fee and fees outstanding when the cycle opened, less what was paid in the cycle.
  Earlier unpaid minimums are not added again, since they are the same arrears and would be billed twice.
- **The cost ceiling.** A court does not support charges above the product's annualised-cost ceiling
  (24% by default), so nothing above it is billed: all charges since the account went overdue (the
  creditor's included) stay within ceiling × principal × days ÷ 365. Interest is capped first, then
  the late fee, and a capped entry says so in its reason.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal

from arrears.core.money import CENT, ZERO
from arrears.money.fees import ProductRules
from arrears.money.interest import card_interest, round_fen
from arrears.money.ledger import CHARGES, Component, Entry, Kind, allocate

MINIMUM_SHARE = Decimal("0.10")  # of principal, in the minimum payment (domain notes)
REAPPLIED = "已还款项改抵其他欠款 / payment applied elsewhere"
_DAY = timedelta(days=1)


def cycle_day(*, loan: bool, statement_day: int | None, due_day: int | None) -> int | None:
    """The day of the month an account's cycle closes: a loan's instalment due day (else its
    statement day), a card's statement day; None when none is on file (nothing is billed)."""
    return (due_day or statement_day) if loan else statement_day


def cycle_date(cycle_day: int, year: int, month: int) -> date:
    """The cycle's closing date in a month: ``cycle_day``, or the month's last day when shorter."""
    return date(year, month, min(cycle_day, calendar.monthrange(year, month)[1]))


def closes_on(cycle_day: int, on: date) -> bool:
    """Whether a cycle with ``cycle_day`` closes on ``on``."""
    return cycle_date(cycle_day, on.year, on.month) == on


def cycle_start(cycle_day: int, statement: date) -> date:
    """The first day of the cycle that closes on ``statement``: the day after the previous close."""
    year, month = (statement.year, statement.month - 1) if statement.month > 1 else (statement.year - 1, 12)
    return cycle_date(cycle_day, year, month) + _DAY


@dataclass(frozen=True, slots=True)
class Movement:
    """One ledger line as the accrual reads it."""

    on: date
    kind: Kind
    component: Component
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Account:
    """A case as of its statement: its whole ledger up to the statement date, and its terms."""

    rules: ProductRules
    loan: bool
    overdue_since: date
    ledger: tuple[Movement, ...]


def cycle_charges(account: Account, *, start: date, statement: date) -> tuple[Entry, ...]:
    """The interest and late fee entries the cycle ``start``..``statement`` bills (none if nothing is due)."""
    if start > statement:  # the account went overdue after this statement
        return ()
    rules = account.rules
    before = [m for m in account.ledger if m.on < start]
    within = [m for m in account.ledger if start <= m.on <= statement]
    opening = _balances(before)
    rate = rules.daily_rate * (rules.penalty_multiple if account.loan else 1)
    interest = _interest(account, before, within, start=start, statement=statement, rate=rate)
    fee = ZERO if account.loan else _late_fee(rules, opening, within)
    room = _room(account, statement)
    billed_interest = min(interest, room)
    billed_fee = min(fee, room - billed_interest)
    capped = (billed_interest, billed_fee) != (interest, fee)
    period = f"{start.isoformat()}–{statement.isoformat()}"
    cap = f"，按成本上限{_percent(rules.apr_ceiling)}封顶 / capped at the cost ceiling" if capped else ""
    entries = []
    if billed_interest > 0:
        what = "罚息 / penalty interest" if account.loan else "利息 / interest"
        entries.append(
            Entry(Kind.INTEREST, Component.INTEREST, billed_interest, statement, f"{period} {what}{cap}")
        )
    if billed_fee > 0:
        entries.append(Entry(Kind.LATE_FEE, Component.LATE_FEE, billed_fee, statement,
                             f"{period} 违约金 / late fee{cap}"))  # fmt: skip
    return tuple(entries)


def corrections(
    differences: Mapping[Component, Decimal], balances: Mapping[Component, Decimal], *,
    order: Sequence[Component], on: date, reason: str,
) -> tuple[tuple[Entry, ...], tuple[Entry, ...], Decimal]:  # fmt: skip
    """The adjustments that bring a cycle billed again to its new charges.

    A charge raised is added. A charge lowered is taken off, but no component goes below zero: what
    the debtor has already paid towards the part taken off becomes paid money again, applied down
    the waterfall (``order``) to what is still owed. Returns the charge adjustments, the entries
    that apply the released payment elsewhere, and what is left of it when nothing else is owed (an
    overpayment, for a refund review).
    """
    held = {component: balances.get(component, ZERO) for component in Component}
    charges: list[Entry] = []
    moved: list[Entry] = []
    freed = ZERO
    applied_elsewhere = f"{reason}；{REAPPLIED}"
    for component, difference in differences.items():
        if difference == 0:
            continue
        charges.append(Entry(Kind.ADJUSTMENT, component, difference, on, reason))
        held[component] += difference
        if held[component] < 0:  # it had been paid: that payment is released
            freed -= held[component]
            moved.append(Entry(Kind.ADJUSTMENT, component, -held[component], on, applied_elsewhere))
            held[component] = ZERO
    applied, left = allocate(freed, held, order) if freed else ({}, ZERO)
    moved += [Entry(Kind.ADJUSTMENT, c, -paid, on, applied_elsewhere) for c, paid in applied.items()]
    return tuple(charges), tuple(moved), left


def _balances(movements: Iterable[Movement]) -> dict[Component, Decimal]:
    held = dict.fromkeys(Component, ZERO)
    for m in movements:
        held[m.component] += m.amount
    return held


def _interest(
    account: Account, before: list[Movement], within: list[Movement], *, start: date, statement: date,
    rate: Decimal,
) -> Decimal:  # fmt: skip
    """The cycle's interest on the accruing balance as it stood day by day."""
    accruing = set(account.rules.accruing_components())
    opened = sum((m.amount for m in before if m.component in accruing), ZERO)
    postings: list[tuple[date, Decimal]] = [(start, opened)] if opened > 0 else []
    repayments: list[tuple[date, Decimal]] = [(start, -opened)] if opened < 0 else []
    for m in within:
        if m.component not in accruing or m.amount == 0:
            continue
        on = m.on + _DAY if m.kind is Kind.OPENING else m.on  # the creditor billed its opening day
        if on > statement:
            continue
        (postings if m.amount > 0 else repayments).append((on, abs(m.amount)))
    if not postings:
        return ZERO
    result = card_interest(
        transactions=postings, repayments=repayments, statement_date=statement, daily_rate=rate,
        statement_day_included=account.rules.statement_day_included,
    )  # fmt: skip
    return result.interest


def _late_fee(rules: ProductRules, opening: Mapping[Component, Decimal], within: list[Movement]) -> Decimal:
    owed = sum((max(v, ZERO) for v in opening.values()), ZERO)
    charges = sum(max(opening[c], ZERO) for c in (Component.INTEREST, Component.LATE_FEE, Component.FEES))
    minimum = min(round_fen(max(opening[Component.PRINCIPAL], ZERO) * MINIMUM_SHARE) + charges, owed)
    paid = -sum((m.amount for m in within if m.kind in (Kind.PAYMENT, Kind.REVERSAL)), ZERO)
    unpaid = max(minimum - max(paid, ZERO), ZERO)
    return rules.late_fee(unpaid)


def _room(account: Account, statement: date) -> Decimal:
    """How much more may be charged before the cost passes the ceiling (never below zero)."""
    principal = sum(
        (m.amount for m in account.ledger if m.kind is Kind.OPENING and m.component is Component.PRINCIPAL),
        ZERO,
    )
    if principal <= 0:
        return ZERO
    charged = sum(
        (m.amount for m in account.ledger
         if m.kind in (*CHARGES, Kind.ADJUSTMENT)
         and m.component in (Component.INTEREST, Component.LATE_FEE, Component.FEES)),
        ZERO,
    )  # fmt: skip
    days = (statement - account.overdue_since).days + 1
    allowed = (account.rules.apr_ceiling * principal * days / 365).quantize(CENT, rounding=ROUND_DOWN)
    return max(allowed - charged, ZERO)


def _percent(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f}%"
