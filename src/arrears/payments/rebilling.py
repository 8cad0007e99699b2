"""Correcting billed cycles when the past changes: a payment dated on or before a cycle already
billed (a bank file that arrives late), or a payment reversed (a bounced transfer).

The nightly run bills each cycle once, from the ledger as it stood (``batch.billing``). When a
payment dated inside or before a billed cycle arrives later, that cycle billed interest on money the
debtor had already paid, and perhaps a late fee on a minimum that was met; when a payment is
reversed, the cycles after it billed too little. Each such cycle is billed again from the ledger as it
is now, through the same money engine, and the difference is posted as an adjustment belonging to
the cycle (``LedgerEntry.cycle``), so the ledger shows both what was billed and why it changed. A
reversed payment counts as never made, in billing and in rebilling alike.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Q

from arrears.cases import events
from arrears.cases.models import Case
from arrears.core.money import ZERO
from arrears.creditors.selectors import product_for
from arrears.money.accrual import Account, Movement, corrections, cycle_charges, cycle_day, cycle_start
from arrears.money.fees import ProductRules
from arrears.money.ledger import Component, Kind
from arrears.payments import ledger
from arrears.payments.models import LedgerEntry, Payment

BILLED = (Kind.INTEREST, Kind.LATE_FEE, Kind.ADJUSTMENT)  # with the cycle: its charges and their corrections


def standing(entries):
    """Ledger lines that billing counts: a reversed payment and its reversal count as never made."""
    return entries.filter(Q(payment__isnull=True) | Q(payment__reversed_at__isnull=True))


def cycles_rebill(*, case: Case, since: dt.date, actor, payment: Payment | None = None) -> int:
    """Bill again every cycle of ``case`` billed on or after ``since``; post the differences.

    The caller holds the case locked in its transaction. ``payment`` is the payment that changed the
    past: money it releases (a lowered charge it had paid) is applied elsewhere under its name, so
    reversing it undoes that too. Returns the number of entries posted."""
    cycles = LedgerEntry.objects.filter(case=case, cycle__gte=since).values_list("cycle", flat=True)
    billed = sorted(set(cycles))
    product = product_for(case) if billed else None
    if not billed or (product is not None and not product.accrues):
        return 0
    loan = case.placement.product_type == "consumer_loan"
    day = cycle_day(loan=loan, statement_day=case.statement_day, due_day=case.due_day)
    if day is None:
        return 0
    rules = product.rules() if product is not None else ProductRules()
    when = since.isoformat()
    why = f"{when} 的款项变动后重算 / billed again after a payment change dated {when}"
    posted = 0
    for cycle in billed:
        lines = standing(LedgerEntry.objects.filter(case=case, on__lte=cycle)).exclude(cycle=cycle)
        movements = tuple(
            Movement(on, Kind(kind), Component(component), amount)
            for on, kind, component, amount in lines.values_list("on", "kind", "component", "amount")
        )
        account = Account(rules=rules, loan=loan, overdue_since=case.overdue_since, ledger=movements)
        start = max(cycle_start(day, cycle), case.overdue_since)
        now = {e.component: e.amount for e in cycle_charges(account, start=start, statement=cycle)}
        was: dict[Component, Decimal] = defaultdict(lambda: ZERO)
        own = LedgerEntry.objects.filter(case=case, cycle=cycle, kind__in=BILLED)
        for component, amount in own.values_list("component", "amount"):
            was[Component(component)] += amount
        differences = {c: now.get(c, ZERO) - was[c] for c in (Component.INTEREST, Component.LATE_FEE)}
        held = ledger.balances_of(case)
        charges, moved, left = corrections(differences, held, order=rules.waterfall, on=cycle, reason=why)
        if moved:  # first: taking a paid charge off before its payment moves would go below zero
            ledger.book(case=case, entries=moved, actor=actor, payment=payment)
        if charges:
            ledger.book(case=case, entries=charges, actor=actor, cycle=cycle)
        posted += len(charges) + len(moved)
        if left:
            events.record(case, "billing.refund_due", actor=actor, cycle=cycle.isoformat(), amount=str(left))
    return posted
