"""The nightly run for a business date: read the book in bulk, compute, write back in bulk.

Steps run in order, each in its own transaction and recorded on the ``BatchRun`` with its time and
counts. Every write for the date replaces the date's own rows (snapshots, moves, decisions, tasks)
or changes only what differs (ages, limits, warnings, priorities), so running a date again, or
after a crash half-way, gives the same book. The promise, plan and settlement steps are the money
services' own set-based functions.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
import tomllib
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
from django.db import connection, transaction
from django.utils import timezone

from arrears.batch import billing, io
from arrears.batch import replay as replaying
from arrears.batch.contactability import contactability
from arrears.batch.models import (
    BatchRun,
    BucketMove,
    CaseSnapshot,
    CaseWarning,
    Strategy,
    StrategyDecision,
    Task,
)
from arrears.batch.pipeline import Arm, Book, Outputs, Plan, compute
from arrears.batch.scope import WHOLE_BOOK, Scope
from arrears.batch.strategy import Strategy as Rules
from arrears.cases.models import Case
from arrears.creditors.models import Creditor
from arrears.documents.kinds import KINDS
from arrears.payments.plans import plans_track
from arrears.payments.promises import promises_settle
from arrears.payments.settlements import settlements_expire

logger = logging.getLogger(__name__)
DEFAULTS = Path(__file__).with_name("default_strategies.toml")
FINISHED = ("paid", "settled", "recalled", "closed")
DATE, INT, TEXT, FLAG = pl.Date, pl.Int64, pl.String, pl.Boolean
# A finished case stays in the run until it is cured (bucket M0) and its warnings are cleared, and
# on the day it was cured (a rerun of that day writes its move again).
UNSETTLED = (
    "(c.total = 0 AND c.bucket <> 'M0')"
    " OR EXISTS (SELECT 1 FROM batch_casewarning w WHERE w.case_id = c.id AND w.cleared_on IS NULL)"
    ' OR EXISTS (SELECT 1 FROM batch_bucketmove m WHERE m.case_id = c.id AND m."on" = %s)'
)


class LaterDateRun(ValueError):
    """A live run of a date before one that has already run would age the book back."""

    def __init__(self, day: dt.date, later: dt.date) -> None:
        self.day, self.later = day, later
        super().__init__(
            f"{later} 已经跑过日终，再跑 {day} 会把案件账龄倒退；只重建 {day} 的历史请用 replay"
            f" / {later} has already run: running {day} live would age the book back; replay it to"
            f" rebuild its history only"
        )


def later_run(business_date: dt.date, scope: Scope) -> dt.date | None:
    """The latest date after ``business_date`` that has run for the whole book or this partition."""
    later = BatchRun.objects.live().filter(
        status=BatchRun.Status.SUCCEEDED, business_date__gt=business_date, partition__in=("", scope.label)
    ).order_by("-business_date")
    return later.values_list("business_date", flat=True).first()


def batch_run(*, business_date: dt.date, scope: Scope = WHOLE_BOOK, replay: bool = False) -> BatchRun:
    """Run every step for ``business_date`` over the book (or a partition of it); the returned
    record says how it went. ``replay`` rebuilds only the date's history (``batch.replay``); a live
    run of a date before one that has run is refused (``LaterDateRun``)."""
    if not replay and (later := later_run(business_date, scope)) is not None:
        raise LaterDateRun(business_date, later)
    run = BatchRun.objects.create(
        business_date=business_date, partition=scope.label, started_at=timezone.now(), steps={}, replay=replay
    )
    day, state = business_date, {"scope": scope}
    creditors = scope.creditors
    steps: list[tuple[str, Callable[[], dict[str, Any]]]] = [
        ("promises", lambda: promises_settle(business_date=day, creditor_ids=creditors)),
        ("plans", lambda: plans_track(business_date=day, creditor_ids=creditors)),
        ("settlements", lambda: settlements_expire(business_date=day, creditor_ids=creditors)),
        ("billing", lambda: billing.bill(business_date=day, scope=scope)),
        ("contactability", lambda: contactability(scope=scope)),
        ("read", lambda: _read(state, day)),
        ("compute", lambda: _compute(state, day)),
        ("ageing", lambda: _write_ageing(state, day)),
        ("snapshot", lambda: _write_snapshot(state, day)),
        ("limitation", lambda: _write_changed(state, "limits", ["limitation_on"])),
        ("warnings", lambda: _write_warnings(state, day)),
        ("priority", lambda: _write_changed(state, "priorities", ["priority", "segment"])),
        ("strategy", lambda: _write_strategy(state, day)),
    ]
    if replay:
        steps = [("replay", lambda: replaying.replay(business_date=day, scope=scope, bands=_bands()))]
    try:
        for name, step in steps:
            started = time.perf_counter()
            with transaction.atomic():
                counts = step()
            seconds = round(time.perf_counter() - started, 3)
            run.steps[name] = {"status": "done", "seconds": seconds, "counts": counts}
            run.save(update_fields=["steps"])
            if os.environ.get("ARREARS_BATCH_CRASH_AFTER") == name:
                # Fault injection for the crash test: die as kill -9 would, with no cleanup at all.
                os._exit(137)
    except Exception as exc:  # the record must say what failed, then the error goes on up
        run.steps[name] = {"status": "failed", "seconds": round(time.perf_counter() - started, 3)}
        run.status, run.error = BatchRun.Status.FAILED, traceback.format_exc()
        run.finished_at = timezone.now()
        run.save(update_fields=["steps", "status", "error", "finished_at"])
        raise exc
    run.status, run.finished_at = BatchRun.Status.SUCCEEDED, timezone.now()
    run.save(update_fields=["status", "finished_at"])
    return run


# -- reading ----------------------------------------------------------------------------------------


def _read(state: dict[str, Any], day: dt.date) -> dict[str, int]:
    """The book (or the run's scope of it) as frames, one query per table. Timestamps are turned into
    local dates after they are aggregated: once per case, not once per row of millions."""
    fen, local, d = io.fen, io.local_date, io.day
    scope: Scope = state["scope"]
    cases_only, case_only = scope.on_cases("c"), scope.on_case_id()
    money = ("principal", "interest", "late_fee", "other_fees", "legal_costs", "total")
    cases = io.read(
        f"""SELECT c.id, c.creditor_id, c.placement_id, p.product_type, {d("c.overdue_since")}, c.status,
                   {", ".join(f"{fen('c.' + m)} AS {m}" for m in money)}, c.bucket, {d("c.aged_from")},
                   c.assigned_to_id,
                   c.team_id, {d("c.last_payment_date")}, {d("p.return_on")},
                   c.complaint_threat_at IS NOT NULL, c.lost_contact_since IS NOT NULL, c.treatment,
                   {d("c.treatment_since")}, c.priority, c.segment, {d("c.limitation_on")}, c.decided_by
            FROM cases_case c JOIN creditors_placement p ON p.id = c.placement_id
            WHERE (c.status NOT IN ({", ".join(["%s"] * len(FINISHED))}) OR {UNSETTLED}){cases_only}""",
        [*FINISHED, day],
        {"id": INT, "creditor_id": INT, "placement_id": INT, "product_type": TEXT, "overdue_since": DATE,
         "status": TEXT, **dict.fromkeys(money, INT), "bucket": TEXT, "aged_from": DATE,
         "assigned_to_id": INT,
         "team_id": INT, "last_payment_on": DATE, "return_on": DATE, "complaint_threat": FLAG,
         "lost_contact": FLAG, "treatment_before": TEXT, "treatment_since_before": DATE,
         "priority_before": INT, "segment_before": TEXT, "limitation_before": DATE, "decided_before": TEXT},
    )  # fmt: skip
    promises = io.read(
        f"""SELECT case_id, MAX(CASE WHEN status = 'open' THEN 1 ELSE 0 END),
                   SUM(CASE WHEN status = 'broken' THEN 1 ELSE 0 END), {local("MAX(made_at)")}
            FROM payments_promise WHERE 1 = 1{case_only} GROUP BY case_id""",
        [], {"case_id": INT, "open_promise": FLAG, "broken_promises": INT, "last_promised_on": DATE},
    )  # fmt: skip
    plans = io.read(
        f"""SELECT case_id, {local("MAX(requested_at)")} FROM payments_repaymentplan
            WHERE status IN ('active', 'completed', 'broken'){case_only} GROUP BY case_id""",
        [], {"case_id": INT, "last_plan_on": DATE},
    )  # fmt: skip
    contacts = io.read(
        f"""SELECT case_id, {local("MAX(at)")}, {local("MAX(CASE WHEN outcome = 'right_party' THEN at END)")}
            FROM contacts_contactrecord WHERE party = 'debtor'{case_only} GROUP BY case_id""",
        [], {"case_id": INT, "last_attempt_on": DATE, "last_reached_on": DATE},
    )  # fmt: skip
    reversals = io.read(
        f"""SELECT case_id, {local("MAX(reversed_at)")} FROM payments_payment
            WHERE reversed_at IS NOT NULL{case_only} GROUP BY case_id""",
        [], {"case_id": INT, "reversed_on": DATE},
    )  # fmt: skip
    pauses = io.read(
        f"SELECT case_id, {local('opened_at')}, {local('resolved_at')} FROM complaints_dispute"
        f" WHERE 1 = 1{case_only}",
        [], {"case_id": INT, "start": DATE, "end": DATE},
    )  # fmt: skip
    moves = io.read(
        f'SELECT case_id, from_bucket FROM batch_bucketmove WHERE "on" = %s{case_only}', [day],
        {"case_id": INT, "from_bucket": TEXT},
    )  # fmt: skip
    interrupting = ", ".join(f"'{k.code}'" for k in KINDS.values() if k.interrupts_limitation)
    demands = io.read(
        f"""SELECT case_id, MAX({d("delivered_on")}) FROM documents_dispatch
            WHERE to_debtor AND delivered_on <= %s AND kind IN ({interrupting}){case_only}
            GROUP BY case_id""",
        [day], {"case_id": INT, "last_demand_on": DATE},
    )  # fmt: skip
    state["book"] = Book(
        cases=cases,
        bands=_bands(),
        pauses=pauses,
        promises=promises.join(plans, on="case_id", how="full", coalesce=True),
        contacts=contacts,
        reversals=reversals,
        moves_today=moves,
        plans=_plans(cases),
        demands=demands,
    )
    state["cases"] = cases
    return {"cases": cases.height, "contact_summaries": contacts.height}


def _bands() -> pl.DataFrame:
    """Every creditor's bucket bands: creditor_id, bound (the upper DPD bound of each bucket)."""
    return pl.DataFrame(
        [(c.pk, bound) for c in Creditor.objects.all() for bound in c.bucket_bands],
        schema={"creditor_id": INT, "bound": INT}, orient="row",
    )  # fmt: skip


def _plans(cases: pl.DataFrame) -> dict[tuple[int, str], Plan]:
    """The active strategy of every (creditor, product type) in the book; a creditor without one
    starts from the default shipped for the product type (saved as its version 1)."""
    defaults = tomllib.loads(DEFAULTS.read_text(encoding="utf-8"))
    plans = {}
    for creditor_id, product_type in cases.select("creditor_id", "product_type").unique().iter_rows():
        mine = Strategy.objects.filter(creditor_id=creditor_id, product_type=product_type)
        active = mine.filter(active=True).select_related("challenger").first()
        if active is None:
            default = defaults[product_type]
            active = Strategy.objects.create(
                creditor_id=creditor_id, product_type=product_type, version=1, title=default["title_zh"],
                document={"rules": default["rules"], "treatments": default["treatments"]}, active=True,
                saved_at=timezone.now(),
            )  # fmt: skip
        challenger = active.challenger
        plans[(creditor_id, product_type)] = Plan(
            champion=Arm(active.pk, Rules.of(active.document)),
            challenger=Arm(challenger.pk, Rules.of(challenger.document)) if challenger else None,
            share=float(active.challenger_share),
        )
    return plans


def _compute(state: dict[str, Any], day: dt.date) -> dict[str, int]:
    out: Outputs = compute(state["book"], day)
    state["out"] = out
    return {"moves": out.moves.height, "warnings": out.warnings.height, "tasks": out.tasks.height}


# -- writing ----------------------------------------------------------------------------------------


def _changed(before: pl.DataFrame, after: pl.DataFrame, pairs: dict[str, str]) -> pl.DataFrame:
    """Rows of ``after`` whose columns differ from ``before`` (``pairs``: after column → before column)."""
    joined = after.join(before.select("id", *pairs.values()), on="id", how="left")
    differs = pl.lit(False)
    for new, old in pairs.items():
        differs = differs | pl.col(new).ne_missing(pl.col(old))
    return joined.filter(differs).select("id", *pairs)


def _write_ages(state: dict[str, Any], day: dt.date) -> int:
    """Write what ageing changed: the date days past due count from (moved by a cure, a pause, a
    case owing again) and the bucket. A case that merely grew a day older changes neither, so a
    usual night writes thousands of rows, not a million; each write is guarded against a change
    since the read (a payment re-evaluated the case while the night ran)."""
    cases = state["cases"]
    read = cases.select("id", "overdue_since", "total", aged_read="aged_from", bucket_read="bucket")
    owed = pl.col("total") > 0
    counts_from = (
        pl.when(~owed).then(pl.lit(None, dtype=pl.Date))
        .when(pl.col("dpd") > 0).then(pl.lit(day) - pl.duration(days=pl.col("dpd")))
        # Nothing past due yet, or paused all along: from tomorrow at the earliest.
        .otherwise(pl.max_horizontal("overdue_since", pl.lit(day)))
    )  # fmt: skip
    aged = state["out"].ages.join(read, on="id").with_columns(aged_from=counts_from)
    moved = pl.col("aged_from").ne_missing(pl.col("aged_read")) | (pl.col("bucket") != pl.col("bucket_read"))
    changed = aged.filter(moved)
    guards = {"aged_from": "aged_read", "bucket": "bucket_read"}
    return io.update(Case, changed, ["aged_from", "bucket"], unless_changed=guards)


def _write_ageing(state: dict[str, Any], day: dt.date) -> dict[str, int]:
    out: Outputs = state["out"]
    changed = _write_ages(state, day)
    _delete_scoped(BucketMove, state["scope"], '"on" = %s', [day], on=day)
    moves = io.insert(BucketMove, out.moves.with_columns(on=pl.lit(day)))
    return {"aged": changed, "moves": moves}


# A snapshot row is the case row as it stands: the same columns, three of them named differently,
# and the days past due counted to the date from the date they count from.
BALANCES = ("principal", "interest", "late_fee", "other_fees", "legal_costs", "total")
SHARED = ("creditor_id", "placement_id", "bucket", *BALANCES, "status")
CASE_COLUMNS = ("id", *SHARED, "assigned_to_id", "team_id")
SNAPSHOT_COLUMNS = ("case_id", *SHARED, "collector_id", "team_id", "dpd")


def _write_snapshot(state: dict[str, Any], day: dt.date) -> dict[str, int]:
    """Copy every open case as it stands (the ageing step has just written its bucket and the date
    its days past due count from) inside the database: a million rows never pass through Python."""
    out: Outputs = state["out"]
    scope: Scope = state["scope"]
    CaseSnapshot.objects.filter(scope.q(), business_date=day).delete()
    table = Case._meta.db_table
    target = ", ".join(f'"{c}"' for c in ("business_date", *SNAPSHOT_COLUMNS))
    source = ", ".join(f'"{c}"' for c in CASE_COLUMNS)
    dpd = f'CASE WHEN "aged_from" IS NULL OR "aged_from" >= %s THEN 0 ELSE {io.days_since("aged_from")} END'
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO "{CaseSnapshot._meta.db_table}" ({target}) SELECT %s, {source}, {dpd} '
            f'FROM "{table}" WHERE "status" NOT IN ({", ".join(["%s"] * len(FINISHED))})'
            f"{scope.on_cases(table)}",
            [day, day, day, *FINISHED],
        )
        written = cursor.rowcount
    if written != out.snapshot.height:  # the book changed under the run: say so rather than hide it
        logger.warning("snapshot of %s: %s cases written, %s computed", day, written, out.snapshot.height)
    return {"rows": written}


def _write_changed(state: dict[str, Any], name: str, columns: list[str]) -> dict[str, int]:
    before = dict(limitation_on="limitation_before", priority="priority_before", segment="segment_before")
    pairs = {c: before[c] for c in columns}
    frame = _changed(state["cases"], getattr(state["out"], name), pairs)
    frame = frame.join(state["cases"].select("id", *pairs.values()), on="id")
    return {"changed": io.update(Case, frame, columns, unless_changed=pairs)}


def _write_warnings(state: dict[str, Any], day: dt.date) -> dict[str, int]:
    out: Outputs = state["out"]
    in_book = state["cases"].select(pl.col("id").alias("case_id"))
    scope: Scope = state["scope"]
    open_now = io.read(
        f"SELECT id, case_id, code FROM batch_casewarning WHERE cleared_on IS NULL{scope.on_case_id()}", [],
        {"id": INT, "case_id": INT, "code": TEXT},
    )  # fmt: skip
    new = out.warnings.join(open_now, on=["case_id", "code"], how="anti")
    gone = open_now.join(in_book, on="case_id", how="semi")
    gone = gone.join(out.warnings, on=["case_id", "code"], how="anti")
    io.insert(CaseWarning, new.with_columns(raised_on=pl.lit(day)))
    io.update(CaseWarning, gone.select("id", cleared_on=pl.lit(day)), ["cleared_on"])
    return {"raised": new.height, "cleared": gone.height}


def _write_strategy(state: dict[str, Any], day: dt.date) -> dict[str, int]:
    """The cases whose treatment or deciding rule changed get a decision record and their new
    treatment; the rest keep theirs. The day's tasks are written again whole."""
    out: Outputs = state["out"]
    changed = out.treatments.filter("changed")
    io.delete_cases(StrategyDecision, changed["id"], '"business_date" = %s', [day])
    io.insert(StrategyDecision, out.decisions.with_columns(business_date=pl.lit(day)))
    guarded = changed.join(state["cases"].select("id", "treatment_before", "decided_before"), on="id")
    io.update(
        Case, guarded, ["treatment", "treatment_since", "decided_by"],
        unless_changed={"treatment": "treatment_before", "decided_by": "decided_before"},
    )  # fmt: skip
    scope: Scope = state["scope"]
    _delete_scoped(Task, scope, "\"due_on\" = %s AND \"status\" = 'open'", [day], due_on=day, status="open")
    # A task already done or cancelled for the day stays as it is; only the rest is written again.
    kept = io.read(
        f'SELECT case_id, kind FROM batch_task WHERE "due_on" = %s{scope.on_case_id()}', [day],
        {"case_id": INT, "kind": TEXT},
    )  # fmt: skip
    due = out.tasks.join(kept, on=["case_id", "kind"], how="anti")
    written = io.insert(Task, due.with_columns(due_on=pl.lit(day), status=pl.lit(Task.Status.OPEN)))
    return {"decisions": out.decisions.height, "tasks": written}


def _delete_scoped(model, scope: Scope, where: str, params: list[Any], **filters: Any) -> None:
    """Delete ``model`` rows of the day within the scope; a list of cases of any length goes
    through a temporary table (SQLite takes at most 32,766 parameters)."""
    if scope.case_ids:
        io.delete_cases(model, pl.Series(scope.case_ids), where, params)
    else:
        model.objects.filter(scope.q(), **filters).delete()


def refresh_date() -> dt.date:
    """The business date an at-once re-evaluation ages cases to: today, unless the night's run for
    yesterday has not finished yet (after midnight, before the run), when it is yesterday, so the
    night does not age a case back and record a move in reverse."""
    today = timezone.localdate()
    last = BatchRun.objects.live().filter(status=BatchRun.Status.SUCCEEDED).order_by("-business_date").first()
    if last is None:
        return today
    return min(today, last.business_date + dt.timedelta(days=1))


def cases_refresh(*, case_ids: list[int], business_date: dt.date | None = None) -> None:
    """Re-evaluate some cases at once with the nightly run's own code (their age, limitation,
    warnings, priority, treatment and the day's bucket move) after a payment, a reversal or a dispute
    changed them, so nobody works from last night's view. The day's snapshot stays the night's."""
    if not case_ids:  # an empty scope would be the whole book
        return
    day = business_date or refresh_date()
    state: dict[str, Any] = {"scope": Scope(case_ids=tuple(case_ids))}
    with transaction.atomic():
        _read(state, day)
        if state["cases"].is_empty():  # finished and settled long ago: nothing to do
            return
        _compute(state, day)
        _write_ageing(state, day)
        _write_changed(state, "limits", ["limitation_on"])
        _write_warnings(state, day)
        _write_changed(state, "priorities", ["priority", "segment"])
        _write_strategy(state, day)


def refresh_quietly(case_ids: list[int]) -> None:
    """``cases_refresh`` for a service that has just changed the cases: a failure here must not undo
    the payment or the dispute, so it is logged and left to the night's run."""
    try:
        with transaction.atomic():
            cases_refresh(case_ids=case_ids)
    except Exception:
        logger.exception("re-evaluating cases %s failed; the nightly run will", case_ids[:10])
