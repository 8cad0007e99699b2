"""Warnings (预警) raised by rules over the book. Pure Polars.

Each rule is a boolean expression over one row of facts per case; the run writes the warnings that
hold today and clears those that no longer do. A creditor may change the thresholds (``Rules``);
the rule set itself is fixed here, so each warning has one meaning in every report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

CODES = (
    "promises_broken", "rolling_high_balance", "return_soon_unreached", "no_recent_attempt",
    "complaint_threat", "lost_contact", "limitation_lapsing", "payment_reversed",
)  # fmt: skip


FINISHED = ("paid", "settled", "recalled", "closed")


@dataclass(frozen=True, slots=True)
class Rules:
    """A creditor's thresholds (the defaults are the domain notes')."""

    high_balance: int = 5_000_000  # fen: ¥50,000
    return_days: int = 7
    silent_days: int = 7
    broken_promises: int = 2


def facts_rules(rules: Rules, business_date: dt.date) -> dict[str, pl.Expr]:
    """code -> the condition, over the columns of ``raised``'s input."""
    day = pl.lit(business_date)
    month_start = pl.lit(business_date.replace(day=1))
    return {
        "promises_broken": pl.col("broken_promises") >= rules.broken_promises,
        "rolling_high_balance": (
            pl.col("moved") & (pl.col("bucket") != "M0") & (pl.col("total") >= rules.high_balance)
        ),
        "return_soon_unreached": (
            ((pl.col("return_on") - day).dt.total_days().is_between(0, rules.return_days))
            & (pl.col("last_reached_on").is_null() | (pl.col("last_reached_on") < month_start))
        ),
        "no_recent_attempt": (
            pl.col("last_attempt_on").is_null()
            | ((day - pl.col("last_attempt_on")).dt.total_days() >= rules.silent_days)
        ),
        "complaint_threat": pl.col("complaint_threat"),
        "lost_contact": pl.col("lost_contact"),
        "limitation_lapsing": pl.col("lapses_soon"),
        "payment_reversed": pl.col("reversed_on") == day,
    }


def raised(facts: pl.LazyFrame, rules: Rules, business_date: dt.date) -> pl.LazyFrame:
    """One row (case_id, code) per warning that holds. facts: id, broken_promises, moved, total,
    dpd, return_on, last_reached_on, last_attempt_on, complaint_threat, lost_contact, lapses_soon,
    reversed_on, status; a case that owes nothing, or is finished (paid, settled, recalled, closed),
    raises nothing."""
    conditions = facts_rules(rules, business_date)
    columns = [cond.fill_null(False).alias(code) for code, cond in conditions.items()]
    working = (pl.col("total") > 0) & ~pl.col("status").is_in(FINISHED)
    flags = facts.filter(working).select(pl.col("id").alias("case_id"), *columns)
    return (
        flags.unpivot(index="case_id", variable_name="code", value_name="holds")
        .filter(pl.col("holds"))
        .select("case_id", "code")
    )
