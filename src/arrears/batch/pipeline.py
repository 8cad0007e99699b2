"""The nightly run's computation: the whole book in, every day's answers out. Pure Polars.

``compute`` takes the book as frames (read in bulk by ``batch.run``) and returns, as frames, what the
run writes: ages and buckets, bucket moves, snapshot rows, limitation dates, warnings, priorities and
segments, strategy decisions and the tasks they give out. Money is integer fen throughout.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import polars as pl

from arrears.batch.ageing import age, paused_days
from arrears.batch.alerts import FINISHED, Rules, raised
from arrears.batch.limitation import limitation
from arrears.batch.priority import score
from arrears.batch.strategy import Strategy, assign, evaluate


@dataclass(frozen=True)
class Arm:
    """A strategy version as the run applies it (its database id, for the decision record)."""

    id: int
    strategy: Strategy


@dataclass(frozen=True)
class Plan:
    """The strategy of one (creditor, product type): the champion and, optionally, a challenger
    taking ``share`` of the cases (stable per case by a hash seeded with the champion's id)."""

    champion: Arm
    challenger: Arm | None = None
    share: float = 0.0


@dataclass(frozen=True)
class Book:
    cases: pl.DataFrame
    bands: pl.DataFrame
    pauses: pl.DataFrame
    promises: pl.DataFrame
    contacts: pl.DataFrame
    reversals: pl.DataFrame
    moves_today: pl.DataFrame  # bucket moves already written for the date (a rerun)
    plans: dict[tuple[int, str], Plan] = field(default_factory=dict)
    # case_id, last_demand_on: the latest demand delivered to the debtor's address on record
    demands: pl.DataFrame = field(
        default_factory=lambda: pl.DataFrame(schema={"case_id": pl.Int64, "last_demand_on": pl.Date})
    )


@dataclass(frozen=True)
class Outputs:
    ages: pl.DataFrame  # id, dpd, bucket
    moves: pl.DataFrame  # case_id, from_bucket, to_bucket
    snapshot: pl.DataFrame
    limits: pl.DataFrame  # id, limitation_on
    warnings: pl.DataFrame  # case_id, code
    priorities: pl.DataFrame  # id, priority, segment
    decisions: pl.DataFrame  # case_id, strategy_id, arm, rule, rule_name, treatment (changed ones only)
    treatments: pl.DataFrame  # id, treatment, treatment_since, decided_by, changed
    tasks: pl.DataFrame  # case_id, kind, template, priority, treatment


DEFAULT_RULES = Rules()
SNAPSHOT = (
    "creditor_id", "placement_id", "bucket", "dpd", "principal", "interest", "late_fee", "other_fees",
    "legal_costs", "total", "status", "team_id",
)  # fmt: skip
EMPTY_DECISIONS = {
    "id": pl.Int64, "rule": pl.Int32, "rule_name": pl.String, "treatment": pl.String, "strategy_id": pl.Int64,
    "arm": pl.String,
}  # fmt: skip


def compute(book: Book, business_date: dt.date, rules: Rules = DEFAULT_RULES) -> Outputs:
    cases = book.cases.lazy()
    # A rerun of the date starts from the bucket the case had before the date's first run.
    before = book.moves_today.lazy().select(pl.col("case_id").alias("id"), pl.col("from_bucket"))
    cases = cases.join(before, on="id", how="left").with_columns(
        bucket=pl.coalesce("from_bucket", "bucket")
    ).drop("from_bucket")
    paused = paused_days(book.pauses.lazy(), cases, business_date)
    aged = age(cases, book.bands.lazy(), paused, business_date)
    facts = (
        cases.drop("bucket")
        .join(aged, on="id")
        .join(book.promises.lazy(), left_on="id", right_on="case_id", how="left")
        .join(book.contacts.lazy(), left_on="id", right_on="case_id", how="left")
        .join(book.reversals.lazy(), left_on="id", right_on="case_id", how="left")
        .join(book.demands.lazy(), left_on="id", right_on="case_id", how="left")
        .with_columns(
            pl.col("open_promise").fill_null(False),
            pl.col("broken_promises").fill_null(0),
            last_acknowledged_on=pl.max_horizontal("last_promised_on", "last_plan_on"),
        )
    )
    limits = limitation(facts, business_date)
    facts = facts.join(limits, on="id").with_columns(
        limitation_lapsed=pl.col("lapsed"),
        days_since_contact=(pl.lit(business_date) - pl.col("last_attempt_on")).dt.total_days(),
    )
    priorities = score(facts, business_date)
    facts = facts.join(priorities, on="id")
    # A finished case is in the book only to be cured (M0) and to have its warnings cleared.
    decided = _decide(facts.filter(~pl.col("status").is_in(FINISHED)), book.plans).collect()
    treatments, tasks = _work(decided, book.plans, business_date)
    frame = facts.collect()
    return Outputs(
        ages=frame.select("id", "dpd", "bucket"),
        moves=frame.filter(pl.col("moved")).select(
            pl.col("id").alias("case_id"),
            pl.col("previous_bucket").alias("from_bucket"),
            pl.col("bucket").alias("to_bucket"),
        ),
        snapshot=frame.filter(~pl.col("status").is_in(FINISHED)).select(
            pl.col("id").alias("case_id"), *SNAPSHOT, pl.col("assigned_to_id").alias("collector_id")
        ),  # the open cases only: a finished one is in the book only to be cured
        limits=frame.select("id", "limitation_on"),
        warnings=raised(facts, rules, business_date).collect(),
        priorities=frame.select("id", "priority", "segment"),
        decisions=decided.join(treatments.filter("changed").select("id"), on="id").select(
            pl.col("id").alias("case_id"), "strategy_id", "arm", "rule", "rule_name", pl.col("treatment")
        ),
        treatments=treatments,
        tasks=tasks,
    )


def _decide(facts: pl.LazyFrame, plans: dict[tuple[int, str], Plan]) -> pl.LazyFrame:
    """The treatment of every case under its creditor's strategy for its product type."""
    parts = []
    for (creditor_id, product_type), plan in plans.items():
        mine = (pl.col("creditor_id") == creditor_id) & (pl.col("product_type") == product_type)
        group = facts.filter(mine)
        challenged = assign(pl.col("id"), share=plan.share, seed=plan.champion.id)
        arms = [(plan.champion, "champion", ~challenged)]
        if plan.challenger is not None and plan.share > 0:
            arms.append((plan.challenger, "challenger", challenged))
        for arm, name, chosen in arms:
            decided = evaluate(group.filter(chosen), arm.strategy)
            parts.append(decided.with_columns(strategy_id=pl.lit(arm.id), arm=pl.lit(name)))
    empty = pl.LazyFrame(schema=EMPTY_DECISIONS)
    decided = pl.concat([p.with_columns(pl.col("rule").cast(pl.Int32)) for p in parts]) if parts else empty
    before = facts.select("id", "treatment_before", "treatment_since_before", "decided_before")
    return decided.join(before, on="id", how="left").with_columns(
        decided_by=pl.format("{}:{}", "strategy_id", "rule")
    )


def _work(decided: pl.DataFrame, plans: dict[tuple[int, str], Plan], business_date: dt.date):
    """Each case's treatment (kept with its start date when unchanged) and the actions due today."""
    since = (
        pl.when(pl.col("treatment") == pl.col("treatment_before"))
        .then(pl.col("treatment_since_before"))
        .otherwise(pl.lit(business_date))
    )
    treatments = decided.with_columns(treatment_since=since.fill_null(pl.lit(business_date))).with_columns(
        # A new treatment (or a rerun of the day it began) or another rule: worth a decision record.
        changed=(pl.col("treatment_since") == pl.lit(business_date))
        | pl.col("decided_by").ne_missing(pl.col("decided_before"))
    )
    cadence = [
        {"strategy_id": arm.id, "treatment": name, "day": a.get("day", 0), "kind": a["kind"],
         "template": a.get("template", ""), "priority": a.get("priority", "")}
        for plan in plans.values() for arm in (plan.champion, plan.challenger) if arm is not None
        for name, treatment in arm.strategy.treatments.items() for a in treatment.get("actions", ())
    ]  # fmt: skip
    schema = {"strategy_id": pl.Int64, "treatment": pl.String, "day": pl.Int64, "kind": pl.String,
              "template": pl.String, "priority": pl.String}  # fmt: skip
    actions = pl.DataFrame(cadence, schema=schema)
    due = (
        treatments.with_columns(day=(pl.lit(business_date) - pl.col("treatment_since")).dt.total_days())
        .join(actions, on=["strategy_id", "treatment", "day"])
        .select(pl.col("id").alias("case_id"), "kind", "template", "priority", "treatment")
        .unique(["case_id", "kind"], keep="first", maintain_order=True)
    )
    return treatments.select("id", "treatment", "treatment_since", "decided_by", "changed"), due
