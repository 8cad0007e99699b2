"""Property-based tests of the guard over random histories and contacts.

1. A decision reports exactly the rules whose functions refuse, so an allowed contact breaks no rule;
   and the time, state, party and channel rules agree with a naive reference implementation written
   here from the rule texts (per-event time-zone conversion, no precomputation).
2. Adding an unanswered attempt never turns a refusal into an allowance. (Except by design for a
   contact (联系人): failed attempts to the debtor are how CN infers the debtor is lost, which is what
   allows contacts; so for a contact the added attempt is to someone other than the debtor.)
3. A time-based refusal's next_allowed_at is later than now, is not refused by any time-based rule
   when judged again with the same history, and the moment just before it still is: it is the earliest.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from arrears.compliance.guard import Contact, Debtor, Event, evaluate, load_profile
from arrears.compliance.profiles import CHANNELS, OUTCOMES, PARTIES, PURPOSES, STATES, TIME_RULES, UNANSWERED
from arrears.compliance.rules import RULES, Facts

CN = load_profile("CN")
US = load_profile("US-REGF")
ZONES = [
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Asia/Kolkata",
    "America/Los_Angeles",
    "America/New_York",
    "Europe/London",
]
# Events are written in assorted offsets: the guard must compare instants, not wall-clock digits.
OFFSETS = [timezone(timedelta(hours=h)) for h in (8, 0, -5, 9, 5.5)]
NUMBERS = ["+8613800000001", "+8613800000002", "+8613800000003"]
TEXTS = [None, None, None, "请尽快还款", "请转告他回电", "你这个老赖", "他欠款 500 元", "We may sue you"]
VOICE = {"call", "ai_call"}
WINDOWS = [(time(9), time(20)), (time(7), time(23)), (time(20), time(2))]
BASE = datetime(2026, 3, 1, tzinfo=UTC)  # the month New York and London change to summer time

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def events(draw: st.DrawFn, now: datetime, parties: list[str] | None = None) -> Event:
    # Mostly within the last three days (where the caps bite), some older, a few just after now.
    ago = draw(st.one_of(st.integers(-600, 3 * 86400), st.integers(3 * 86400, 9 * 86400)))
    return Event(
        at=(now - timedelta(seconds=ago)).astimezone(draw(st.sampled_from(OFFSETS))),
        channel=draw(st.sampled_from(["call", "call", "ai_call", "sms"])),
        party=draw(st.sampled_from(parties or ["debtor", "debtor", "debtor", "guarantor", "contact"])),
        target=draw(st.sampled_from(NUMBERS)),
        outcome=draw(st.sampled_from(sorted(OUTCOMES))),
    )


@st.composite
def cases(draw: st.DrawFn, clean: bool = False) -> tuple:
    """(profile, now, debtor, contact, history). ``clean`` cases break no rule but the time-based
    ones, so that next_allowed_at is often set."""
    profile = draw(st.sampled_from([CN, US]))
    now = BASE + timedelta(seconds=draw(st.integers(0, 40 * 86400)))
    if clean:
        states = draw(st.frozensets(st.sampled_from(["lost_contact", "plan_broken", "incapacitated"])))
        channel = draw(st.sampled_from(["call", "call", "ai_call", "sms", "email", "visit"]))
        party, purpose, content, dnc = "debtor", draw(st.sampled_from(["demand", "notice"])), None, False
    else:
        states = draw(st.frozensets(st.sampled_from(sorted(STATES)), max_size=2))
        channel = draw(st.sampled_from([*sorted(CHANNELS), "call", "call", "wechat_group"]))
        party = draw(st.sampled_from([*sorted(PARTIES), "debtor", "debtor"]))
        purpose = draw(st.sampled_from(sorted(PURPOSES)))
        content = draw(st.sampled_from(TEXTS))
        dnc = draw(st.sampled_from([False, False, False, True]))
    debtor = Debtor(
        timezone=draw(st.sampled_from(ZONES)),
        states=states,
        agreed_window=draw(st.one_of(st.none(), st.none(), st.sampled_from(WINDOWS))),
    )
    contact = Contact(
        channel=channel,
        party=party,
        target=draw(st.sampled_from(NUMBERS)),
        purpose=purpose,
        content=content,
        do_not_contact=dnc,
        collectors=draw(st.integers(1, 3)) if not clean else 2,
        time_barred=draw(st.booleans()),
    )
    # Background noise plus a burst of calls to the debtor's number, so that the caps are reached often.
    noise = draw(st.lists(events(now), max_size=25))
    burst = draw(st.lists(burst_events(now, contact.target), max_size=10))
    # Distinct instants, so "the last three attempts" is well defined for the reference implementation.
    history = list({e.at: e for e in [*noise, *burst]}.values())
    return profile, now, debtor, contact, history


@st.composite
def burst_events(draw: st.DrawFn, now: datetime, target: str | None) -> Event:
    ago = draw(st.one_of(st.integers(0, 12 * 3600), st.integers(0, 8 * 86400)))
    return Event(
        at=(now - timedelta(seconds=ago)).astimezone(draw(st.sampled_from(OFFSETS))),
        channel=draw(st.sampled_from(sorted(VOICE))),
        party="debtor",
        target=target,
        outcome=draw(st.sampled_from(["no_answer", "failed", "invalid_number", "conversation", "answered"])),
    )


def judge(profile, now, debtor, contact, history):
    return evaluate(profile=profile, now=now, debtor=debtor, contact=contact, history=history)


def reference(profile, now, debtor, contact, history) -> set[str]:
    """The rules (all but the two text rules) that should refuse, computed the slow, obvious way."""
    zone = ZoneInfo(debtor.timezone)
    local = now.astimezone(zone)
    cn = profile is CN
    refused: set[str] = set()
    voice_to_debtor = contact.channel in VOICE and contact.party == "debtor"

    if contact.channel not in CHANNELS:
        refused.add("public_channel")
    if contact.do_not_contact:
        refused.add("do_not_contact")
    if contact.channel in {"call", "ai_call", "sms", "email", "visit"}:
        start, end = (time(8), time(22)) if cn else (time(8), time(21))
        if cn and debtor.agreed_window:
            start, end = debtor.agreed_window
        t = local.time()
        inside = start <= t < end if start < end else (t >= start or t < end)
        if not inside:
            refused.add("quiet_hours")
    if cn and contact.channel in VOICE:
        today = [e for e in history if e.at.astimezone(zone).date() == local.date() and e.channel in VOICE]
        # an attempt without a recorded outcome ("pending") counts against every cap
        if sum(1 for e in today if e.target == contact.target and e.outcome in UNANSWERED | {"pending"}) >= 6:
            refused.add("attempts_per_number_day")
        conversations = sum(
            1 for e in today if e.party == "debtor" and e.outcome in ("conversation", "pending")
        )
        if voice_to_debtor and conversations >= 3:
            refused.add("conversations_per_debtor_day")
    debtor_calls = [e for e in history if e.channel in VOICE and e.party == "debtor"]
    if not cn and voice_to_debtor:
        if sum(1 for e in debtor_calls if e.at > now - timedelta(days=7)) >= 7:
            refused.add("calls_7_in_7")
        if any(
            e.outcome in ("conversation", "pending") and e.at + timedelta(days=7) > now for e in debtor_calls
        ):
            refused.add("post_conversation_lockout")
    if cn and contact.party == "contact":
        last3 = sorted(debtor_calls, key=lambda e: e.at)[-3:]
        lost_by_calls = len(last3) == 3 and all(e.outcome in UNANSWERED for e in last3)
        latest: dict[str, Event] = {}
        for e in sorted(history, key=lambda e: e.at):
            if e.party == "debtor" and e.channel in {"call", "ai_call", "sms"} and e.target:
                latest[e.target] = e
        all_invalid = bool(latest) and all(e.outcome == "invalid_number" for e in latest.values())
        lost_state = debtor.states & {"lost_contact", "deceased", "incapacitated"}
        if not (lost_state or lost_by_calls or all_invalid):
            refused.add("third_party_lost_contact")
    if contact.party == "contact" and contact.purpose != "locate":
        refused.add("third_party_purpose")
    demand = contact.purpose == "demand"
    if "disputed" in debtor.states and demand:
        refused.add("hold_dispute")
    if cn and "complaint_open" in debtor.states and demand:
        refused.add("hold_complaint")
    if cn and "plan_active" in debtor.states and "plan_broken" not in debtor.states and demand:
        refused.add("hold_plan")
    if not cn and "cease_requested" in debtor.states and contact.purpose != "notice":
        refused.add("hold_cease")
    if "deceased" in debtor.states and demand and contact.party == "debtor":
        refused.add("hold_deceased")
    if not cn and "attorney_represented" in debtor.states and contact.party != "attorney":
        refused.add("attorney_represented")
    if cn and contact.channel == "visit" and contact.collectors < 2:
        refused.add("visit_min_collectors")
    return refused


@SETTINGS
@given(case=cases())
def test_decision_reports_exactly_the_rules_that_refuse(case):
    profile, now, debtor, contact, history = case
    decision = judge(*case)
    facts = Facts(profile=profile, now=now, debtor=debtor, contact=contact, history=history)
    moment = facts.moment(now)
    refusing = [rule for rule in profile.rules if RULES[rule](facts, moment) is not None]
    assert list(decision.rules) == refusing
    assert decision.allowed is (not refusing)
    if decision.allowed:
        assert decision.next_allowed_at is None
    assert set(decision.rules) - {"prohibited_content", "third_party_disclosure"} == reference(*case)


@SETTINGS
@given(case=cases(), data=st.data())
def test_an_unanswered_attempt_never_turns_a_refusal_into_an_allowance(case, data):
    profile, now, debtor, contact, history = case
    before = judge(*case)
    assume(not before.allowed)
    parties = ["guarantor", "contact", "attorney"] if contact.party == "contact" else None
    extra = data.draw(events(now, parties))
    extra = Event(
        at=extra.at,
        channel=data.draw(st.sampled_from(sorted(VOICE))),
        party=extra.party,
        target=data.draw(st.sampled_from([contact.target, *NUMBERS])),
        outcome=data.draw(st.sampled_from(sorted(UNANSWERED))),
    )
    after = judge(profile, now, debtor, contact, [*history, extra])
    assert not after.allowed
    assert set(before.rules) <= set(after.rules)


@SETTINGS
@given(case=cases(clean=True))
def test_next_allowed_at_is_the_earliest_time_the_time_rules_allow(case):
    profile, now, debtor, contact, history = case
    decision = judge(*case)
    if decision.allowed:
        assert decision.next_allowed_at is None
        return
    assert set(decision.rules) <= TIME_RULES
    nxt = decision.next_allowed_at
    assert nxt is not None
    assert nxt > now
    assert nxt.tzinfo is not None and nxt.utcoffset() == nxt.astimezone(ZoneInfo(debtor.timezone)).utcoffset()
    later = judge(profile, nxt, debtor, contact, history)
    assert not set(later.rules) & TIME_RULES
    just_before = judge(profile, nxt - timedelta(microseconds=1), debtor, contact, history)
    assert set(just_before.rules) & TIME_RULES
