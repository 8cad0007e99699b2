"""The compliance guard: may this contact leave arrears now, and if not, why and when?

``evaluate`` judges one proposed contact against a compliance profile and the facts of the case and
returns a :class:`Decision`: allowed or not, every rule that refused it (rule id, reason in Chinese and
English), and, when only time-based rules refused, the earliest time at which none of them would.
``screen_text`` applies the same profile's content rules to templates, notes and scripts.

This module is the guard's public face; the rules live in ``rules.py``, the text screening in
``content.py`` and the profile data and loader in the ``profiles`` package. Pure Python: no Django
import anywhere in the guard, so it can be tested and benchmarked on its own.

Example::

    from arrears.compliance.guard import Contact, Debtor, evaluate, load_profile
    decision = evaluate(profile=load_profile("CN"), now=now, debtor=Debtor(),
                        contact=Contact("call", "debtor", "+8613800138000", "demand"), history=events)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from arrears.compliance.content import screen_text
from arrears.compliance.profiles import Profile, ProfileError, Violation, load_profile
from arrears.compliance.rules import Contact, Debtor, Event, Facts, Rule, plan

__all__ = [
    "Contact",
    "Debtor",
    "Decision",
    "Event",
    "Profile",
    "ProfileError",
    "Violation",
    "evaluate",
    "load_profile",
    "screen_text",
]

# Each step of the search for the next allowed time jumps to the latest retry time of the rules still
# refusing (a midnight, a window start, a call ageing out), so a handful of steps settle any real case.
_MAX_SEARCH_STEPS = 16


@dataclass(frozen=True)
class Decision:
    """The guard's answer for one proposed contact.

    ``next_allowed_at`` (in the debtor's time zone) is set only when every violation is time-based;
    it is the earliest moment at which none of the time-based rules refuses, the history unchanged.
    """

    allowed: bool
    violations: tuple[Violation, ...]
    next_allowed_at: datetime | None
    profile: str
    profile_version: str

    @property
    def rules(self) -> tuple[str, ...]:
        """The ids of the rules that refused, in reporting order."""
        return tuple(v.rule for v in self.violations)

    def as_json(self) -> dict[str, Any]:
        return {
            "allowed": self.allowed,
            "violations": [{"rule": v.rule, "reason": v.reason} for v in self.violations],
            "next_allowed_at": self.next_allowed_at.isoformat() if self.next_allowed_at else None,
        }


def evaluate(
    *, profile: Profile, now: datetime, debtor: Debtor, contact: Contact, history: Sequence[Event]
) -> Decision:
    """Judge ``contact`` at ``now`` (aware) for ``debtor``, given the contact ``history``.

    Every rule of the profile runs, so all reasons are reported, not just the first.
    """
    facts = Facts(profile=profile, now=now, debtor=debtor, contact=contact, history=history)
    moment = facts.moment(now)
    rules = plan(profile)
    violations: list[Violation] = []
    retries: list[datetime | None] = []
    only_time_based = True
    for _rule, check, time_based in rules:
        refusal = check(facts, moment)
        if refusal is None:
            continue
        violations.append(refusal.violation)
        if time_based:
            retries.append(refusal.retry_at)
        else:
            only_time_based = False
    next_allowed_at = None
    if violations and only_time_based:
        timed = [check for _rule, check, time_based in rules if time_based]
        next_allowed_at = _next_allowed(facts, timed, retries)
    return Decision(
        allowed=not violations,
        violations=tuple(violations),
        next_allowed_at=next_allowed_at,
        profile=profile.name,
        profile_version=profile.version,
    )


def _next_allowed(facts: Facts, timed: list[Rule], retries: list[datetime | None]) -> datetime | None:
    """The earliest time no time-based rule refuses: jump to the latest retry time of the rules that
    refuse, judge again there (another rule may refuse at that time, e.g. quiet hours after a daily
    cap's midnight), and repeat. None when a rule says waiting cannot help."""
    for _ in range(_MAX_SEARCH_STEPS):
        if not retries or any(r is None for r in retries):
            return None
        candidate = facts.moment(max(r for r in retries if r is not None))
        retries = [refusal.retry_at for check in timed if (refusal := check(facts, candidate)) is not None]
        if not retries:
            return candidate.at
    return None
