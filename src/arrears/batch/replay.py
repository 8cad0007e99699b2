"""Replaying a past business date: its snapshot and bucket moves rebuilt from the ledger, without
touching the live book.

Once a later date has run, the cases' columns (DPD, bucket, treatment, …) are that later date's; a
live run of the earlier date would age them back and record moves in reverse, so ``batch_run``
refuses it. A replay instead reads every case as it stood at the end of the date — its balances are
its ledger's entries up to the date, its age counts to the date, its pauses are the disputes opened
by then — and rewrites only the date's history, the snapshot rows and the bucket moves that reports
read. It is how a book gets its history: the demo backfills 90 days.

A case is open on a date when it owed something at the end of it. What a replay cannot know is taken
as it is now, and said here: the collector and team (the assignment history is in the event log),
the overdue date (a case cured and aged again since shows its newer one), and the status of a case
open then but finished since (recorded as in progress).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from arrears.batch import io
from arrears.batch.ageing import age, paused_days
from arrears.batch.models import BucketMove, CaseSnapshot
from arrears.batch.scope import Scope
from arrears.payments.ledger import CASE_FIELD

FINISHED = ("paid", "settled", "recalled", "closed")
COMPONENTS = {component.value: column for component, column in CASE_FIELD.items()}
INT, TEXT, DATE = pl.Int64, pl.String, pl.Date


def replay(*, business_date: dt.date, scope: Scope, bands: pl.DataFrame) -> dict[str, int]:
    """Rewrite ``business_date``'s snapshot rows and bucket moves within ``scope`` from the ledger."""
    day, before = business_date, business_date - dt.timedelta(days=1)
    cases = _cases(day, before, scope)
    pauses = io.read(
        f"SELECT case_id, {io.local_date('opened_at')}, {io.local_date('resolved_at')}"
        f" FROM complaints_dispute WHERE 1 = 1{scope.on_case_id()}",
        [], {"case_id": INT, "start": DATE, "end": DATE},
    )  # fmt: skip
    today = _aged(cases, bands, pauses, day, "total")
    yesterday = _aged(cases.filter(pl.col("lines_before") > 0), bands, pauses, before, "total_before")
    yesterday = yesterday.rename({"bucket": "bucket_before"})
    frame = cases.join(today, on="id").join(yesterday, on="id", how="left")
    snapshot = frame.filter(pl.col("total") > 0).select(
        pl.col("id").alias("case_id"), "creditor_id", "placement_id", "bucket", "dpd", *COMPONENTS.values(),
        "total",
        pl.when(pl.col("status").is_in(FINISHED)).then(pl.lit("in_progress")).otherwise("status").alias(
            "status"
        ),
        pl.col("assigned_to_id").alias("collector_id"), "team_id",
    )  # fmt: skip
    moved = pl.col("bucket_before").is_not_null() & (pl.col("bucket") != pl.col("bucket_before"))
    moves = frame.filter(moved)
    moves = moves.select(pl.col("id").alias("case_id"), from_bucket="bucket_before", to_bucket="bucket")
    CaseSnapshot.objects.filter(scope.q(), business_date=day).delete()
    BucketMove.objects.filter(scope.q(), on=day).delete()
    written = io.insert(CaseSnapshot, _as_money(snapshot).with_columns(business_date=pl.lit(day)))
    moved = io.insert(BucketMove, moves.with_columns(on=pl.lit(day)))
    return {"snapshot": written, "moves": moved}


def _cases(day: dt.date, before: dt.date, scope: Scope) -> pl.DataFrame:
    """Every case with a ledger line by ``day``: its balances at the end of ``day`` and of the day before."""
    on = 'e."on"'
    amount = io.fen("e.amount")
    sums = ", ".join(
        f"SUM(CASE WHEN e.component = '{component}' THEN {amount} ELSE 0 END) AS {column}"
        for component, column in COMPONENTS.items()
    )
    cases = io.read(
        f"""SELECT c.id, c.creditor_id, c.placement_id, {io.day("c.overdue_since")}, c.status,
                   c.assigned_to_id, c.team_id, {", ".join(f"l.{column}" for column in COMPONENTS.values())},
                   l.total_before, l.lines_before
            FROM cases_case c JOIN (
                SELECT e.case_id, {sums},
                       SUM(CASE WHEN {on} <= %s THEN {amount} ELSE 0 END) AS total_before,
                       SUM(CASE WHEN {on} <= %s THEN 1 ELSE 0 END) AS lines_before
                FROM payments_ledgerentry e WHERE {on} <= %s GROUP BY e.case_id
            ) l ON l.case_id = c.id
            WHERE 1 = 1{scope.on_cases("c")}""",
        [before, before, day],
        {"id": INT, "creditor_id": INT, "placement_id": INT, "overdue_since": DATE, "status": TEXT,
         "assigned_to_id": INT, "team_id": INT, **dict.fromkeys(COMPONENTS.values(), INT),
         "total_before": INT, "lines_before": INT},
    )  # fmt: skip
    return cases.with_columns(total=pl.sum_horizontal(*COMPONENTS.values()))


def _aged(cases: pl.DataFrame, bands: pl.DataFrame, pauses: pl.DataFrame, day: dt.date, total: str):
    """DPD and bucket of ``cases`` at the end of ``day``, owing ``total``."""
    frame = cases.lazy().select("id", "creditor_id", "overdue_since", total=total, bucket=pl.lit(""))
    paused = paused_days(pauses.lazy(), frame, day)
    return age(frame, bands.lazy(), paused, day).select("id", "dpd", "bucket").collect()


def _as_money(frame: pl.DataFrame) -> pl.DataFrame:
    """The money columns from whole fen to exact yuan text ("-12.05"), as the database takes them."""
    return frame.with_columns(io.yuan(c) for c in (*COMPONENTS.values(), "total"))
