"""Ageing buckets (账龄) from days past due. Pure, no Django.

A creditor's bands are the upper DPD bounds of M1, M2, …; anything above the last bound is the
open-ended last bucket. The default (30, 60, …, 180) gives M1 = 1–30 … M6 = 151–180, M7+ = 181+.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

DEFAULT_BANDS: tuple[int, ...] = (30, 60, 90, 120, 150, 180)


def validate_bands(bands: Sequence[int]) -> None:
    if not bands:
        raise ValueError("at least one band is needed")
    if any(not isinstance(b, int) or b <= 0 for b in bands):
        raise ValueError("bands are positive whole numbers of days")
    if any(b >= c for b, c in pairwise(bands)):
        raise ValueError("bands must increase")


def bucket_for(dpd: int, bands: Sequence[int] = DEFAULT_BANDS) -> str:
    """``M0`` when not overdue, ``M1``… by band, ``M{n+1}+`` past the last band."""
    if dpd <= 0:
        return "M0"
    for index, upper in enumerate(bands, start=1):
        if dpd <= upper:
            return f"M{index}"
    return f"M{len(bands) + 1}+"


def bucket_labels(bands: Sequence[int] = DEFAULT_BANDS) -> list[str]:
    return [f"M{i}" for i in range(1, len(bands) + 1)] + [f"M{len(bands) + 1}+"]
