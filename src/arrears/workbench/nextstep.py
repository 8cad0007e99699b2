"""When to come back to a case: the next follow-up suggested by what just happened (pure).

Every case leaves the workbench with a next follow-up time, so the queue can order itself. The
suggestion follows the outcome (a promise is checked the day after its date, a number that rang out
is tried again in a few hours) and always falls inside the hours the debtor may be contacted, in the
debtor's own time zone, so the follow-up never lands the collector on a call the guard will refuse.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

RETRY_UNANSWERED = dt.timedelta(hours=3)
# Outcomes (contacts.models.Outcome values) and how long to wait before the next try.
_AFTER_OUTCOME: dict[str, dt.timedelta] = {
    "no_answer": RETRY_UNANSWERED,
    "busy": dt.timedelta(hours=1),
    "rejected": RETRY_UNANSWERED,
    "switched_off": dt.timedelta(hours=4),
    # The number is dead: tomorrow, with another number or skip tracing.
    "suspended": dt.timedelta(days=1),
    "not_exist": dt.timedelta(days=1),
    "wrong_number": dt.timedelta(days=1),
    "third_party": dt.timedelta(days=1),
    "sent": dt.timedelta(days=1),
    "right_party": dt.timedelta(days=1),
}
# Results of a right-party contact (contacts.models.Result values) that set their own pace.
_AFTER_RESULT: dict[str, dt.timedelta] = {
    "plan_request": dt.timedelta(days=1),  # the approval is usually decided by then
    "waiver_request": dt.timedelta(days=1),
    "refuses": dt.timedelta(days=2),
    "hardship": dt.timedelta(days=3),
    "claims_paid": dt.timedelta(days=2),  # finance checks the claim first
    "complaint_threat": dt.timedelta(days=1),
    "dispute": dt.timedelta(days=7),  # collection is paused; look at the investigation in a week
}
FOLLOW_UP_HOUR = dt.time(10)  # a promise is checked mid-morning of the day after its date


@dataclass(frozen=True, slots=True)
class Window:
    """The local hours in which the debtor may be contacted (the profile's quiet hours inverted)."""

    start: dt.time
    end: dt.time

    def fit(self, at: dt.datetime) -> dt.datetime:
        """``at`` moved forward to the next moment inside the window (``at`` is local and aware)."""
        if at.time() < self.start:
            return at.replace(hour=self.start.hour, minute=self.start.minute, second=0, microsecond=0)
        # An hour's margin before the end, so a follow-up leaves time to make the call.
        last = dt.datetime.combine(at.date(), self.end, at.tzinfo) - dt.timedelta(hours=1)
        if at > last:
            following = at + dt.timedelta(days=1)
            return following.replace(hour=self.start.hour, minute=self.start.minute, second=0, microsecond=0)
        return at.replace(second=0, microsecond=0)


def suggest(
    *,
    outcome: str,
    result: str,
    now: dt.datetime,
    window: Window,
    promise_due: dt.date | None = None,
    call_back_at: dt.datetime | None = None,
) -> dt.datetime:
    """The suggested next follow-up, local to the debtor (``now`` in the debtor's time zone)."""
    if result == "call_back" and call_back_at is not None:
        return window.fit(call_back_at.astimezone(now.tzinfo))
    if result == "promise" and promise_due is not None:
        day_after = dt.datetime.combine(promise_due + dt.timedelta(days=1), FOLLOW_UP_HOUR, now.tzinfo)
        return window.fit(day_after)
    wait = _AFTER_RESULT.get(result) or _AFTER_OUTCOME.get(outcome, dt.timedelta(days=1))
    return window.fit(now + wait)
