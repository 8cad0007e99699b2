"""Time the compliance guard: the average decision for a debtor with a long contact history.

Run: ``.venv/bin/python benchmarks/guard.py [--events 500] [--decisions 20000]``. Prints one JSON line,
``{"history_events": 500, "decisions": 20000, "mean_ms": ..., "mean_ms_cold": ...}``. The target for
``mean_ms`` is well under 1 ms.

``mean_ms`` is the decision itself, over a history already built (the guard keeps each event's instant
once computed). ``mean_ms_cold`` builds the 500 ``Event`` objects afresh for every decision, as a
service that loads the history from the database each time would; it is measured over fewer decisions.

The history (built once, as the contact service would load it) spans 60 days on three numbers, with
every channel and outcome. The decisions cycle through a mix of proposed contacts under both profiles:
allowed and refused ones, daytime and night (so the next-allowed-time search runs), calls that hit the
daily caps, third-party messages with content to screen, visits and a public channel.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import datetime, timedelta, timezone

from arrears.compliance.guard import Contact, Debtor, Event, evaluate, load_profile

NUMBERS = ("+8613800138000", "+8613900139000", "+8613700137000")
CHANNELS = ("call", "call", "call", "ai_call", "ai_call", "sms", "email", "letter")
OUTCOMES = (
    "no_answer",
    "no_answer",
    "failed",
    "invalid_number",
    "answered",
    "conversation",
    "refused_contact",
)
PARTIES = ("debtor", "debtor", "debtor", "guarantor", "contact")
SHANGHAI = timezone(timedelta(hours=8))


def history(n: int, end: datetime, rng: random.Random) -> list[Event]:
    events = []
    for _ in range(n):
        at = end - timedelta(seconds=rng.randrange(60 * 86400))
        events.append(
            Event(
                at=at,
                channel=rng.choice(CHANNELS),
                party=rng.choice(PARTIES),
                target=rng.choice(NUMBERS),
                outcome=rng.choice(OUTCOMES),
            )
        )
    # The busiest case: the last day holds many of them.
    for i in range(min(n // 50, 12)):
        events[i] = Event(
            at=end - timedelta(minutes=30 * (i + 1)),
            channel="call",
            party="debtor",
            target=NUMBERS[0],
            outcome="no_answer",
        )
    return events


def scenarios(now: datetime) -> list[tuple[str, datetime, Debtor, Contact]]:
    cn, us = "CN", "US-REGF"
    sh, ny = Debtor(), Debtor(timezone="America/New_York", states=frozenset({"disputed"}))
    lost = Debtor(states=frozenset({"lost_contact"}))
    night = now.replace(hour=22, minute=30)
    call = Contact("call", "debtor", NUMBERS[0], "demand")
    return [
        (cn, now, sh, call),
        (cn, night, sh, call),
        (cn, now, sh, Contact("ai_call", "debtor", NUMBERS[1], "demand")),
        (cn, now, sh, Contact("sms", "debtor", NUMBERS[1], "notice", content="您的账户已逾期，请尽快还款。")),
        (cn, now, lost, Contact("call", "contact", NUMBERS[2], "locate", content="请转告他回电，谢谢。")),
        (cn, now, sh, Contact("call", "contact", NUMBERS[2], "locate", content="他欠款 5000 元，老赖。")),
        (cn, now, sh, Contact("visit", "debtor", None, "demand", collectors=1)),
        (cn, now, sh, Contact("wechat_group", "debtor", None, "demand", content="曝光")),
        (us, now, ny, call),
        (us, night, ny, Contact("call", "debtor", NUMBERS[0], "notice")),
        (us, now, ny, Contact("email", "debtor", "a@example.com", "notice", content="We may sue you.")),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--decisions", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    now = datetime(2026, 3, 2, 15, 0, tzinfo=SHANGHAI)
    events = history(args.events, now, rng)
    cases = [(load_profile(name), at, debtor, contact) for name, at, debtor, contact in scenarios(now)]

    def decide(i: int) -> None:
        profile, at, debtor, contact = cases[i % len(cases)]
        evaluate(profile=profile, now=at, debtor=debtor, contact=contact, history=events)

    for i in range(200):  # warm-up: compiled patterns and zone lookups are cached after this
        decide(i)
    start = time.perf_counter()
    for i in range(args.decisions):
        decide(i)
    elapsed = time.perf_counter() - start

    rows = [(e.at, e.channel, e.party, e.target, e.outcome) for e in events]
    cold = max(args.decisions // 20, 1)
    cold_start = time.perf_counter()
    for i in range(cold):
        profile, at, debtor, contact = cases[i % len(cases)]
        fresh = [Event(*row) for row in rows]
        evaluate(profile=profile, now=at, debtor=debtor, contact=contact, history=fresh)
    cold_elapsed = time.perf_counter() - cold_start

    result = {
        "history_events": len(events),
        "decisions": args.decisions,
        "mean_ms": round(elapsed / args.decisions * 1000, 4),
        "mean_ms_cold": round(cold_elapsed / cold * 1000, 4),
    }
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
