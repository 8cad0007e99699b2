"""The nightly run's billing step: on each case's cycle day, the cycle's interest and late fee as
ledger entries (``money.accrual``), and the case's balance columns moved by the same amounts.

Set-based: one query for the cases whose cycle closes on the date, one for their ledgers, one insert
of the entries and one ``UPDATE … FROM`` of the balances; the per-case arithmetic is the money
engine's, in Decimal. A cycle is billed once (the ledger's unique case, kind and cycle), so a rerun of
the date, or one after a crash, bills nothing twice. The cases are locked while they are billed, so a
payment posted meanwhile waits and then applies to the billed balance.

Not billed: a product that does not accrue (停息挂账), a case without a cycle day on file, a case on
an active repayment plan or with an approved settlement (their amounts were agreed), a finished case.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from decimal import Decimal

import polars as pl
from django.db import connection
from django.utils import timezone

from arrears.batch import io
from arrears.batch.scope import Scope
from arrears.cases.models import Case
from arrears.core import bulk
from arrears.creditors.models import Product
from arrears.money.accrual import Account, Movement, cycle_charges, cycle_start
from arrears.money.fees import ProductRules
from arrears.money.ledger import Component, Kind
from arrears.payments.ledger import CASE_FIELD, ENTRY_COLUMNS, entry_row
from arrears.payments.models import LedgerEntry

FINISHED = ("paid", "settled", "recalled", "closed")
INT, TEXT, DATE = pl.Int64, pl.String, pl.Date
BALANCES = tuple(CASE_FIELD.values())
# A loan's cycle closes on its instalment due day, a card's on its statement day.
CYCLE_DAY = (
    "CASE WHEN p.product_type = 'consumer_loan' THEN COALESCE(c.due_day, c.statement_day)"
    " ELSE c.statement_day END"
)


def bill(*, business_date: dt.date, scope: Scope) -> dict[str, int]:
    """Bill every case in ``scope`` whose cycle closes on ``business_date``."""
    cases = _due(business_date, scope)
    if cases.is_empty():
        return {"cases": 0, "entries": 0}
    ledgers = _ledgers(cases["id"], business_date)
    products = _products()
    rows, balances, now = [], [], timezone.now()
    for case in cases.iter_rows(named=True):
        rules = _rules(products, case)
        if rules is None:  # the product does not accrue
            continue
        loan = case["product_type"] == "consumer_loan"
        ledger = tuple(ledgers.get(case["id"], ()))
        account = Account(rules=rules, loan=loan, overdue_since=case["overdue_since"], ledger=ledger)
        start = max(cycle_start(case["cycle_day"], business_date), case["overdue_since"])
        entries = cycle_charges(account, start=start, statement=business_date)
        if not entries:
            continue
        rows += [(*entry_row(case["id"], e, at=now), business_date) for e in entries]
        moved = defaultdict(int)  # whole fen, as the case was read
        for e in entries:
            moved[CASE_FIELD[e.component]] += int(e.amount * 100)
        new = {f: case[f] + moved[f] for f in BALANCES}
        balances.append({"id": case["id"], **new, "total": sum(new.values())})
    bulk.insert(LedgerEntry, [*ENTRY_COLUMNS, "cycle"], rows)
    if balances:
        frame = pl.DataFrame(balances).with_columns(io.yuan(c) for c in (*BALANCES, "total"))
        io.update(Case, frame, [*BALANCES, "total"])
    return {"cases": len(balances), "entries": len(rows)}


def _due(day: dt.date, scope: Scope) -> pl.DataFrame:
    """The open cases whose cycle closes on ``day`` and is not billed yet, locked on PostgreSQL."""
    last_day = calendar.monthrange(day.year, day.month)[1] == day.day
    closes = f"({CYCLE_DAY}) >= %s" if last_day else f"({CYCLE_DAY}) = %s"
    lock = " FOR UPDATE OF c" if connection.vendor == "postgresql" else ""  # SQLite locks the whole file
    return io.read(
        f"""SELECT c.id, c.creditor_id, c.product, p.product_type, {io.day("c.overdue_since")}, {CYCLE_DAY},
                   {", ".join(f"{io.fen('c.' + f)}" for f in BALANCES)}
            FROM cases_case c JOIN creditors_placement p ON p.id = c.placement_id
            WHERE c.status NOT IN ({", ".join(["%s"] * len(FINISHED))}) AND {closes}
              AND NOT EXISTS (SELECT 1 FROM payments_ledgerentry e WHERE e.case_id = c.id AND e.cycle = %s)
              AND NOT EXISTS (SELECT 1 FROM payments_repaymentplan r
                              WHERE r.case_id = c.id AND r.status = 'active')
              AND NOT EXISTS (SELECT 1 FROM payments_waiverrequest w
                              WHERE w.case_id = c.id AND w.kind = 'settlement' AND w.status = 'approved')
              {scope.on_cases("c")}{lock}""",
        [*FINISHED, day.day, day],
        {"id": INT, "creditor_id": INT, "product": TEXT, "product_type": TEXT, "overdue_since": DATE,
         "cycle_day": INT, **dict.fromkeys(BALANCES, INT)},
    )  # fmt: skip


def _ledgers(case_ids: pl.Series, day: dt.date) -> dict[int, list[Movement]]:
    """Every ledger line of the cases up to ``day``, through a temporary table of their ids; a
    reversed payment and its reversal count as never made (``payments.rebilling``)."""
    rows = [(int(pk),) for pk in case_ids.to_list()]
    with (
        connection.cursor() as cursor,
        io.temporary(cursor, "tmp_billing_cases", {"id": "bigint"}, rows) as temp,
    ):
        lines = io.read(
            f"""SELECT e.case_id, {io.day('e."on"')}, e.kind, e.component, {io.fen("e.amount")}
                FROM payments_ledgerentry e JOIN "{temp}" t ON t.id = e.case_id WHERE e."on" <= %s
                  AND NOT EXISTS (SELECT 1 FROM payments_payment p
                                  WHERE p.id = e.payment_id AND p.reversed_at IS NOT NULL)""",
            [day], {"case_id": INT, "on": DATE, "kind": TEXT, "component": TEXT, "fen": INT},
        )  # fmt: skip
    ledgers: dict[int, list[Movement]] = defaultdict(list)
    for case_id, on, kind, component, fen in lines.iter_rows():
        ledgers[case_id].append(Movement(on, Kind(kind), Component(component), Decimal(fen) / 100))
    return ledgers


def _products() -> dict[tuple[int, str], Product]:
    """Every product by (creditor, code), and each creditor's defaults by (creditor, "type:<type>")."""
    found: dict[tuple[int, str], Product] = {}
    for product in Product.objects.all():
        found[(product.creditor_id, product.code)] = product
        if product.is_default:
            found[(product.creditor_id, f"type:{product.product_type}")] = product
    return found


def _rules(products: dict[tuple[int, str], Product], case: dict) -> ProductRules | None:
    """The case's product rules as ``creditors.selectors.rules_for`` picks them; None when it does
    not accrue."""
    product = products.get((case["creditor_id"], case["product"])) if case["product"] else None
    product = product or products.get((case["creditor_id"], f"type:{case['product_type']}"))
    if product is None:
        return ProductRules()
    return product.rules() if product.accrues else None
