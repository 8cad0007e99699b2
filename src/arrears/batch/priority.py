"""Priority score and segment per case (the queue's order within its bands). Pure Polars.

The score favours money that can still be recovered: the balance (on a log scale, so one large
case does not swamp the desk), the stage (early arrears cure most often), an open or broken promise,
and whether the debtor was reached lately. A model score joins it later with its own weight.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

SEGMENTS = ("promised", "lost", "high_value", "early", "mid", "late")


def score(facts: pl.LazyFrame, business_date: dt.date) -> pl.LazyFrame:
    """facts: id, total (fen), dpd, open_promise, broken_promises, last_reached_on, lost_contact.

    Returns id, priority (0–1000, higher first), segment.
    """
    day = pl.lit(business_date)
    yuan = (pl.col("total") / 100).clip(lower_bound=1)
    amount = (yuan.log10() / 6).clip(0, 1)  # ¥1 → 0, ¥1,000,000 → 1
    stage = pl.when(pl.col("dpd") <= 30).then(1.0).when(pl.col("dpd") <= 90).then(0.7)
    stage = stage.when(pl.col("dpd") <= 180).then(0.4).otherwise(0.2)
    reached = (day - pl.col("last_reached_on")).dt.total_days()
    recent = pl.when(reached.is_null()).then(0.0).when(reached <= 30).then(1.0).otherwise(0.5)
    promise = pl.when(pl.col("open_promise")).then(1.0).when(pl.col("broken_promises") > 0).then(0.6)
    promise = promise.otherwise(0.3)
    lost = pl.when(pl.col("lost_contact")).then(0.3).otherwise(1.0)
    value = (0.45 * amount + 0.25 * stage + 0.15 * promise + 0.15 * recent) * lost
    segment = (
        pl.when(pl.col("open_promise")).then(pl.lit("promised"))
        .when(pl.col("lost_contact")).then(pl.lit("lost"))
        .when(pl.col("total") >= 5_000_000).then(pl.lit("high_value"))
        .when(pl.col("dpd") <= 30).then(pl.lit("early"))
        .when(pl.col("dpd") <= 180).then(pl.lit("mid"))
        .otherwise(pl.lit("late"))
    )  # fmt: skip
    return facts.select(
        "id", (value * 1000).round(0).cast(pl.Int32).alias("priority"), segment.alias("segment")
    )
