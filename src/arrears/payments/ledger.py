"""Persisting ledger entries: the one place a case's balance columns change.

``book`` writes entries computed by the pure ledger (``arrears.money.ledger``) and moves the case's
columns by the same amounts, in the caller's transaction and under its lock on the case (the row
is read again under that lock, so nothing read earlier can be written back stale). Bulk writers
(intake, the demo book) insert entries set-based with ``entry_row`` and set the columns they insert
themselves.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils import timezone

from arrears.cases.models import Case
from arrears.core.money import CENT, ZERO
from arrears.money.ledger import Component, Entry
from arrears.payments.models import LedgerEntry, Payment

# Ledger components and the case columns that hold their balances.
CASE_FIELD: dict[Component, str] = {
    Component.PRINCIPAL: "principal",
    Component.INTEREST: "interest",
    Component.LATE_FEE: "late_fee",
    Component.FEES: "other_fees",
    Component.LEGAL_COSTS: "legal_costs",
}
ENTRY_COLUMNS = (
    "case_id",
    "kind",
    "component",
    "amount",
    "on",
    "reason",
    "payment_id",
    "actor_id",
    "created_at",
)


def balances_of(case: Case) -> dict[Component, Decimal]:
    """The case's balances by component, read from its columns (which equal its ledger)."""
    return {component: getattr(case, field) for component, field in CASE_FIELD.items()}


def ledger_balances(case: Case) -> dict[Component, Decimal]:
    """The same, summed from the ledger itself: what tests and reconciliation compare against."""
    sums: dict[Component, Decimal] = {component: ZERO for component in Component}
    for component, amount in LedgerEntry.objects.filter(case=case).values_list("component", "amount"):
        sums[Component(component)] += amount
    return sums


def entry_row(
    case_id: int, entry: Entry, *, payment_id: int | None = None, actor_id: int | None = None,
    at: dt.datetime,
) -> tuple[Any, ...]:  # fmt: skip
    """One row in ``ENTRY_COLUMNS`` order, for set-based inserts."""
    return (case_id, entry.kind.value, entry.component.value, entry.amount, entry.on, entry.reason[:200],
            payment_id, actor_id, at)  # fmt: skip


def book(
    *, case: Case, entries: Sequence[Entry], actor: Any, payment: Payment | None = None,
    reverses: Sequence[LedgerEntry] = (), cycle: dt.date | None = None,
) -> list[LedgerEntry]:  # fmt: skip
    """Write ``entries`` for ``case`` and move its balance columns by the same amounts.

    The caller holds the case locked (``select_for_update``) inside its transaction. ``reverses``
    pairs each entry with the stored entry it reverses, in order, when the entries are a reversal;
    ``cycle`` is the billing cycle an accrual or its correction belongs to.
    """
    now = timezone.now()
    rows = [
        LedgerEntry(
            case=case, kind=e.kind.value, component=e.component.value, amount=e.amount, on=e.on,
            reason=e.reason[:200], payment=payment, actor=actor if getattr(actor, "pk", None) else None,
            created_at=now, reverses=reverses[i] if reverses else None, cycle=cycle,
        )
        for i, e in enumerate(entries)
    ]  # fmt: skip
    LedgerEntry.objects.bulk_create(rows)
    delta: dict[str, Decimal] = defaultdict(Decimal)
    for e in entries:
        delta[CASE_FIELD[e.component]] += e.amount
    # New values are computed here in Decimal from the row as it stands under the caller's lock,
    # never as SQL arithmetic: SQLite would do that in binary floating point.
    fields = [*CASE_FIELD.values()]
    stored = Case.objects.filter(pk=case.pk).values(*fields).get()
    values = {field: (stored[field] + delta.get(field, ZERO)).quantize(CENT) for field in fields}
    Case.objects.filter(pk=case.pk).update(**values, total=sum(values.values(), ZERO), updated_at=now)
    case.refresh_from_db(fields=[*delta, "total", "updated_at"])
    return rows
