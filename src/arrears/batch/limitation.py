"""The limitation period (诉讼时效) per case: three years (Civil Code Art 188) from the last event
that started it running again. Pure Polars.

The period runs from the overdue date and restarts on a payment, an acknowledgement of the debt by
the debtor (a promise or a repayment plan agreed), or a demand delivered to the debtor's registered
contact (Art 195). Which of these arrears has on record is in the input; a delivered demand is a
demand or lawyer's letter whose delivery to the debtor's address on record was recorded
(``documents.Dispatch``).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

YEARS = 3
WARN_DAYS = 90


def limitation(cases: pl.LazyFrame, business_date: dt.date) -> pl.LazyFrame:
    """cases: id, overdue_since, last_payment_on, last_acknowledged_on, last_demand_on (dates or null).

    Returns id, restarted_on, limitation_on, lapses_soon (within ``WARN_DAYS``), lapsed.
    """
    events = ("overdue_since", "last_payment_on", "last_acknowledged_on", "last_demand_on")
    restarted = pl.max_horizontal(*events)
    # offset_by keeps the calendar day, and 29 February becomes 28 February in a common year.
    until = pl.col("restarted_on").dt.offset_by(f"{YEARS}y")
    left = (until - pl.lit(business_date)).dt.total_days()
    return (
        cases.with_columns(restarted_on=restarted)
        .with_columns(limitation_on=until)
        .with_columns(lapses_soon=(left >= 0) & (left <= WARN_DAYS), lapsed=left < 0)
        .select("id", "restarted_on", "limitation_on", "lapses_soon", "lapsed")
    )
