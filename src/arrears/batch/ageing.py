"""Ageing (账龄): days past due, bucket, and the moves between buckets, for the whole book at once.

Pure Polars over frames whose columns are listed with each function; money is in integer fen.
Days past due count from the oldest unpaid due date the creditor gave (``overdue_since``); a case
that owes nothing is cured (0 days, bucket M0); a partial payment cures nothing. Days when the case
was paused (a dispute under investigation, where the creditor's rules say so) do not count.
"""

from __future__ import annotations

import datetime as dt

import polars as pl


def paused_days(pauses: pl.LazyFrame, cases: pl.LazyFrame, business_date: dt.date) -> pl.LazyFrame:
    """Days each case spent paused between its overdue date and ``business_date``.

    pauses: case_id, start (date), end (date, null while open); cases: id, overdue_since.
    Returns case_id, paused (days). Overlapping pauses are counted once each: disputes on one case
    do not overlap in practice (a second one opens after the first is resolved).
    """
    day = pl.lit(business_date)
    joined = pauses.join(cases.select("id", "overdue_since"), left_on="case_id", right_on="id")
    start = pl.max_horizontal("start", "overdue_since")
    end = pl.min_horizontal(pl.col("end").fill_null(day), day)
    days = (end - start).dt.total_days().clip(lower_bound=0)
    return joined.group_by("case_id").agg(days.sum().alias("paused"))


def age(
    cases: pl.LazyFrame, bands: pl.LazyFrame, paused: pl.LazyFrame, business_date: dt.date
) -> pl.LazyFrame:
    """Days past due and bucket per case.

    cases: id, creditor_id, overdue_since, total (fen), bucket (the current one);
    bands: creditor_id, bound (the upper DPD bound of each bucket);
    paused: case_id, paused. Returns id, dpd, bucket, previous_bucket, moved.
    """
    raw = (pl.lit(business_date) - pl.col("overdue_since")).dt.total_days()
    aged = (
        cases.join(paused, left_on="id", right_on="case_id", how="left")
        .with_columns(
            dpd=pl.when(pl.col("total") > 0)
            .then((raw - pl.col("paused").fill_null(0)).clip(lower_bound=0))
            .otherwise(0)
            .cast(pl.Int32)
        )
        .select("id", "creditor_id", "dpd", pl.col("bucket").alias("previous_bucket"))
    )
    # The bucket is the first band whose bound is at least the DPD; past the last band, "M{n+1}+".
    counted = (
        aged.join(bands, on="creditor_id", how="left")
        .group_by("id")
        .agg(
            pl.first("dpd"),
            pl.first("previous_bucket"),
            (pl.col("bound") < pl.col("dpd")).sum().alias("below"),
            pl.col("bound").count().alias("bands"),
        )
    )
    bucket = (
        pl.when(pl.col("dpd") <= 0)
        .then(pl.lit("M0"))
        .when(pl.col("below") >= pl.col("bands"))
        .then(pl.format("M{}+", pl.col("bands") + 1))
        .otherwise(pl.format("M{}", pl.col("below") + 1))
    )
    return counted.with_columns(bucket=bucket).with_columns(
        moved=pl.col("bucket") != pl.col("previous_bucket")
    ).select("id", "dpd", "bucket", "previous_bucket", "moved")
