"""Tests of the compliance guard (pure Python, no database), with small builders shared by the modules."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from arrears.compliance.guard import Contact, Debtor, Decision, Event, Profile, evaluate

NUMBER = "+8613800138000"
OTHER_NUMBER = "+8613900139000"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def contact(**fields: object) -> Contact:
    """A lawful demand call to the debtor unless told otherwise."""
    values: dict[str, object] = {"channel": "call", "party": "debtor", "target": NUMBER, "purpose": "demand"}
    values.update(fields)
    return Contact(**values)  # type: ignore[arg-type]


def event(when: str | datetime, outcome: str = "no_answer", **fields: object) -> Event:
    values: dict[str, object] = {"channel": "call", "party": "debtor", "target": NUMBER}
    values.update(fields)
    moment = at(when) if isinstance(when, str) else when
    return Event(at=moment, outcome=outcome, **values)  # type: ignore[arg-type]


def decide(
    profile: Profile,
    now: str | datetime,
    *,
    debtor: Debtor | None = None,
    history: Iterable[Event] = (),
    **contact_fields: object,
) -> Decision:
    return evaluate(
        profile=profile,
        now=at(now) if isinstance(now, str) else now,
        debtor=debtor or Debtor(),
        contact=contact(**contact_fields),
        history=list(history),
    )
