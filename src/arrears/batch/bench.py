"""``arrears bench batch``: time a whole nightly run and, in the same process on the same data, its
floor: reading the run's input columns and bulk-writing its output rows with nothing else.

The floor is what any implementation must pay to move the data in and out; the run's time over the
floor is what the computation and the bookkeeping cost. Target (issue 6): a 1,000,000-account book
on PostgreSQL in under 60 s, within 2× the floor.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import polars as pl
from django.db import connection, transaction

from arrears.batch import io
from arrears.batch.models import BucketMove, CaseSnapshot, CaseWarning, StrategyDecision, Task
from arrears.batch.run import _compute, _read, batch_run
from arrears.batch.scope import WHOLE_BOOK
from arrears.cases.models import Case
from arrears.demo.services import demo_seed


def bench_batch(*, accounts: int, business_date: dt.date) -> dict[str, Any]:
    if not Case.objects.exists():  # build the book once; later runs reuse it
        demo_seed(accounts=accounts, seed=7, business_date=business_date)
    run = batch_run(business_date=business_date)
    total = sum(step["seconds"] for step in run.steps.values())
    floor = _floor(business_date)
    return {
        "accounts": accounts,
        "cases": Case.objects.count(),
        "database": connection.vendor,
        "total_seconds": round(total, 1),
        "floor_seconds": round(floor["read"] + floor["write"], 1),
        "floor": {k: round(v, 1) for k, v in floor.items()},
        "steps": {name: step["seconds"] for name, step in run.steps.items()},
    }


def _floor(day: dt.date) -> dict[str, float]:
    """Read the inputs again; write rows shaped like every output of the run into scratch tables."""
    state: dict[str, Any] = {"scope": WHOLE_BOOK}
    started = time.perf_counter()
    _read(state, day)
    read = time.perf_counter() - started
    _compute(state, day)  # not timed: only to have the output rows to write
    out = state["out"]
    outputs = {
        CaseSnapshot: out.snapshot, BucketMove: out.moves, CaseWarning: out.warnings,
        StrategyDecision: out.decisions, Task: out.tasks,
    }  # fmt: skip
    updates = out.ages.join(out.priorities, on="id").join(out.limits, on="id").join(out.treatments, on="id")
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for model, frame in outputs.items():
            _scratch(cursor, model._meta.db_table, frame)
        _scratch(cursor, Case._meta.db_table, updates.drop("changed"))
        transaction.set_rollback(True)  # the floor writes nothing that stays
    return {"read": read, "write": time.perf_counter() - started}


def _scratch(cursor: Any, table: str, frame) -> None:
    """Load ``frame`` into a temporary table, as the run loads its rows (COPY / executemany)."""
    kinds = {name: "bigint" if dtype.is_integer() else "text" for name, dtype in frame.schema.items()}
    text = frame.with_columns(pl.col(n).cast(pl.String) for n, kind in kinds.items() if kind == "text")
    with io.temporary(cursor, f"tmp_floor_{table}", kinds, [io.driver_row(r) for r in text.iter_rows()]):
        pass
