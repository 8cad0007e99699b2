"""The dossier read in ten seconds: the collection stage and the warnings of a case (pure).

The workbench's key-facts panel is assembled from the case, its ledger and its history by the
selectors; this module holds the judgements on top of those facts, so they are the same on the
panel, in the script picker and in the team lead's view, and testable without a database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# Collection stages of the script library, by days past due. The first reminder is the first
# conversation on an early case; pre-legal starts where card issuers usually charge off (180 days).
STAGES = ("first_reminder", "m1", "m2_m3", "m4_plus", "pre_legal")
RETURN_SOON_DAYS = 7
SILENT_DAYS = 7  # no attempt for this long on an open case is a warning
BROKEN_PROMISES_WARN = 2


def stage_for(dpd: int, *, reached_before: bool) -> str:
    if dpd <= 30:
        return "m1" if reached_before else "first_reminder"
    if dpd <= 90:
        return "m2_m3"
    if dpd <= 180:
        return "m4_plus"
    return "pre_legal"


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """What the warnings look at; every field is read from the database by the selectors."""

    today: dt.date
    return_on: dt.date | None
    broken_promises: int = 0
    last_attempt_on: dt.date | None = None  # local dates
    last_reached_on: dt.date | None = None
    lost_contact: bool = False
    complaint_threat: bool = False
    open_dispute: bool = False
    open_claim: bool = False
    qa_flagged: bool = False
    valid_numbers: int = 0
    numbers: int = 0


def warnings(f: CaseFacts) -> list[str]:
    """Warning codes, most urgent first. The nightly run's stored warnings (issue 6) join these."""
    found: list[str] = []
    if f.complaint_threat:
        found.append("complaint_threat")
    if f.open_dispute:
        found.append("dispute_open")
    if f.broken_promises >= BROKEN_PROMISES_WARN:
        found.append("promises_broken")
    if f.return_on is not None and 0 <= (f.return_on - f.today).days <= RETURN_SOON_DAYS:
        month_start = f.today.replace(day=1)
        if f.last_reached_on is None or f.last_reached_on < month_start:
            found.append("return_soon_unreached")
    if f.lost_contact or (f.numbers and not f.valid_numbers):
        found.append("lost_contact")
    if f.last_attempt_on is None or (f.today - f.last_attempt_on).days >= SILENT_DAYS:
        found.append("no_recent_attempt")
    if f.open_claim:
        found.append("payment_claim_open")
    if f.qa_flagged:
        found.append("qa_flagged")
    return found
