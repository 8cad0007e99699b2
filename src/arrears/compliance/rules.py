"""The compliance rules, one function each, and the facts they read.

Every rule is a function ``rule(facts, moment) -> Refusal | None``: ``facts`` describes the proposed
contact (profile, debtor, contact, history), ``moment`` is the instant being judged. The guard judges
``now`` first and, when only time-based rules refuse, later moments to find the next allowed time.
Rules may be called directly (the property tests do) with ``Facts(...)`` and ``facts.moment(at)``.

A rule only runs when the profile has it (``profile.rules``); its numbers come from the profile.
Time is always the debtor's local time (compliance-rules.md §0.3), in the zone the debtor records.

History conventions, chosen to be conservative (when in doubt, count):
- history events are counted whatever their time relative to ``now``: an event stamped a moment
  after ``now`` (clock skew between servers) still counts;
- an event's instant is converted once (on first use) to integer microseconds, and the rules compare
  those, so a decision over a long history does little date arithmetic per event.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property, lru_cache
from operator import attrgetter
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from arrears.compliance.content import disclosure_violation, prohibited_violation
from arrears.compliance.profiles import (
    CHANNELS,
    OUTCOMES,
    PARTIES,
    PENDING,
    PHONE_CHANNELS,
    PURPOSES,
    RULE_IDS,
    STATES,
    TIME_RULES,
    UNANSWERED,
    VOICE_CHANNELS,
    Profile,
    RuleInfo,
    Violation,
)
from arrears.core.masking import mask_phone

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ONE_US = timedelta(microseconds=1)


def to_us(at: datetime) -> int:
    """An aware datetime as integer microseconds since the epoch (exact, unlike float timestamps)."""
    return (at - EPOCH) // _ONE_US


@lru_cache(maxsize=1024)
def zone(name: str) -> ZoneInfo:
    """The time zone called ``name``, looked up once per process."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise ValueError(f"未知时区 {name!r} / unknown time zone {name!r}") from None


def _aware(at: object, what: str) -> datetime:
    if not isinstance(at, datetime) or at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"{what} 必须是带时区的时间 / {what} must be a timezone-aware datetime, got {at!r}")
    return at


@dataclass(frozen=True)
class Debtor:
    """The debtor as the guard sees it: where they are (time zone), their states, an agreed window.

    ``agreed_window`` is the contact window the debtor agreed to (recorded and timestamped elsewhere);
    where the profile allows it (CN) it replaces the profile's window. A window may run over midnight
    (start after end), e.g. for a night-shift worker.
    """

    timezone: str = "Asia/Shanghai"
    states: frozenset[str] = frozenset()
    agreed_window: tuple[time, time] | None = None
    # The debtor's own phone numbers as the system knows them (None: unknown, e.g. a scenario file).
    # When given, "every debtor number is invalid" means every one of these, not just those in the
    # history: an untried number means the debtor is not lost.
    numbers: frozenset[str] | None = None

    def __post_init__(self) -> None:
        zone(self.timezone)
        if not isinstance(self.states, frozenset):
            object.__setattr__(self, "states", frozenset(self.states))
        if self.numbers is not None and not isinstance(self.numbers, frozenset):
            object.__setattr__(self, "numbers", frozenset(self.numbers))
        unknown = self.states - STATES
        if unknown:
            raise ValueError(f"未知状态 / unknown debtor states: {sorted(unknown)}")
        if self.agreed_window is not None:
            window = tuple(self.agreed_window)
            if len(window) != 2 or not all(isinstance(t, time) and t.tzinfo is None for t in window):
                raise ValueError("agreed_window 应为两个时间 / agreed_window must be two naive times")
            if window[0] == window[1]:
                raise ValueError("agreed_window 开始与结束不能相同 / agreed_window start and end must differ")
            object.__setattr__(self, "agreed_window", window)


@dataclass(frozen=True)
class Contact:
    """A proposed outbound contact. ``channel`` is not validated: an unknown channel must reach the
    guard, where ``public_channel`` refuses it."""

    channel: str
    party: str
    target: str | None
    purpose: str
    content: str | None = None
    do_not_contact: bool = False
    collectors: int = 1
    time_barred: bool = False

    def __post_init__(self) -> None:
        if self.party not in PARTIES:
            raise ValueError(f"未知的联系对象 / unknown party {self.party!r}")
        if self.purpose not in PURPOSES:
            raise ValueError(f"未知的联系目的 / unknown purpose {self.purpose!r}")
        if isinstance(self.collectors, bool) or not isinstance(self.collectors, int) or self.collectors < 0:
            raise ValueError(f"collectors 应为非负整数 / collectors must be an int >= 0: {self.collectors}")


@dataclass(frozen=True)
class Event:
    """One past outbound contact from the contact log (the history the caps count)."""

    at: datetime
    channel: str
    party: str
    target: str | None
    outcome: str

    def __post_init__(self) -> None:
        _aware(self.at, "Event.at")
        if self.outcome not in OUTCOMES:
            raise ValueError(f"未知的联系结果 / unknown outcome {self.outcome!r}")
        if self.party not in PARTIES:
            raise ValueError(f"未知的联系对象 / unknown party {self.party!r}")

    @cached_property
    def _us(self) -> int:
        """The instant in integer microseconds: computed on first use (only the events a rule counts
        need it), then kept, so later decisions over the same history do no date arithmetic."""
        return to_us(self.at)


@dataclass(frozen=True)
class Refusal:
    """A rule's refusal. ``retry_at`` is when that rule alone would stop refusing (time-based rules
    only; None for other rules, or when waiting cannot help)."""

    violation: Violation
    retry_at: datetime | None = None


class Moment:
    """One instant as the time rules see it: in the debtor's zone, with its local day's bounds."""

    __slots__ = ("_day", "at", "us", "zone")

    def __init__(self, at: datetime, tz: ZoneInfo) -> None:
        self.zone = tz
        self.at = at.astimezone(tz)
        self.us = to_us(at)
        self._day: tuple[int, int, datetime] | None = None

    def day(self) -> tuple[int, int, datetime]:
        """(start, end) of the local day in microseconds, and the next local midnight."""
        if self._day is None:
            today: date = self.at.date()
            start = datetime.combine(today, time(0), tzinfo=self.zone)
            midnight = datetime.combine(today + timedelta(days=1), time(0), tzinfo=self.zone)
            self._day = (to_us(start), to_us(midnight), midnight)
        return self._day

    def from_us(self, us: int) -> datetime:
        return (EPOCH + timedelta(microseconds=us)).astimezone(self.zone)


class VoiceHistory(NamedTuple):
    """The call history the caps count, as sorted instants (microseconds)."""

    unanswered_to_target: list[int]  # call/ai_call to the contact's target, outcome unanswered
    debtor_conversations: list[int]  # call/ai_call to the debtor, outcome conversation
    debtor_calls: list[int]  # call/ai_call to the debtor, any outcome


class Facts:
    """What the rules read about one proposed contact. Views of the history are derived on first use
    and then reused, so the history is walked once however many rules and moments are judged."""

    def __init__(
        self, *, profile: Profile, now: datetime, debtor: Debtor, contact: Contact, history: Sequence[Event]
    ) -> None:
        self.profile = profile
        self.now = _aware(now, "now")
        self.debtor = debtor
        self.contact = contact
        self.history = history
        self.zone = zone(debtor.timezone)

    def moment(self, at: datetime) -> Moment:
        return Moment(_aware(at, "at"), self.zone)

    @cached_property
    def voice(self) -> VoiceHistory:
        target = self.contact.target
        unanswered: list[int] = []
        conversations: list[int] = []
        calls: list[int] = []
        for e in self.history:
            if e.channel not in VOICE_CHANNELS:
                continue
            if e.party == "debtor":
                calls.append(e._us)
                if e.outcome in ("conversation", PENDING):
                    conversations.append(e._us)
            if e.target == target and (e.outcome in UNANSWERED or e.outcome == PENDING):
                unanswered.append(e._us)
        unanswered.sort()
        conversations.sort()
        calls.sort()
        return VoiceHistory(unanswered, conversations, calls)

    @cached_property
    def lost_by_history(self) -> bool:
        """Whether the history shows the debtor is lost (失联), as CN's third-party rule reads it.

        Either the debtor's last N calls (N = ``consecutive_failures``, 3 in CN) all went unanswered
        (no answer, failed, invalid number), or every phone number of the debtor seen in the history
        (calls, AI calls and SMS) last ended with ``invalid_number``: the history's approximation of
        "every debtor number is invalid", since the guard does not see the number register itself.
        """
        n = self.profile.lost_contact_failures
        debtor_calls = [e for e in self.history if e.party == "debtor" and e.channel in VOICE_CHANNELS]
        last = heapq.nlargest(n, debtor_calls, key=attrgetter("_us"))
        if len(last) == n and all(e.outcome in UNANSWERED for e in last):
            return True
        latest: dict[str, Event] = {}
        for e in self.history:
            if e.party == "debtor" and e.channel in PHONE_CHANNELS and e.target is not None:
                seen = latest.get(e.target)
                if seen is None or e._us >= seen._us:
                    latest[e.target] = e
        known = self.debtor.numbers if self.debtor.numbers is not None else frozenset(latest)
        return bool(known) and all(n in latest and latest[n].outcome == "invalid_number" for n in known)


Rule = Callable[[Facts, Moment], Refusal | None]


def _info(f: Facts, rule: str) -> RuleInfo:
    return f.profile.rules[rule]


def _hhmm(t: time) -> str:
    return t.strftime("%H:%M")


# --- time-based rules -------------------------------------------------------------------------------


def quiet_hours(f: Facts, m: Moment) -> Refusal | None:
    """Contact only inside [start, end) of the debtor's local day (CN 08:00-22:00, US 08:00-21:00) on
    the profile's time-bound channels (calls, AI calls, SMS, e-mail, visits; letters are not). Where
    the profile allows it (CN), a recorded agreed window replaces the profile's. Retry: the next
    window start in the debtor's zone (today's if it is still ahead, else tomorrow's)."""
    p, c = f.profile, f.contact
    if c.channel not in p.quiet_channels:
        return None
    agreed = f.debtor.agreed_window
    start, end = agreed if (agreed and p.agreed_window_overrides) else (p.quiet_start, p.quiet_end)
    local = m.at.time()
    inside = start <= local < end if start < end else (local >= start or local < end)
    if inside:
        return None
    # Before the start (or, for a window over midnight, anywhere outside it) the next start is today.
    day = m.at.date() + timedelta(days=1) if start < end and local >= end else m.at.date()
    retry = datetime.combine(day, start, tzinfo=m.zone)
    if to_us(retry) <= m.us:  # only in a daylight-saving gap; move on rather than loop
        retry = m.at + timedelta(minutes=1)
    info = _info(f, "quiet_hours")
    return Refusal(info.violation(local=m.at.strftime("%H:%M:%S"), start=_hhmm(start), end=_hhmm(end)), retry)


def attempts_per_number_day(f: Facts, m: Moment) -> Refusal | None:
    """CN: at most ``max`` (6) unanswered call attempts (calls and AI calls; no answer, failed,
    invalid number) to one number per local day of the debtor; the next one (the 7th) is refused.
    Attempts to the number count whoever was called. Retry: the next local midnight."""
    c = f.contact
    if c.channel not in VOICE_CHANNELS:
        return None
    start, end, midnight = m.day()
    times = f.voice.unanswered_to_target
    count = bisect_left(times, end) - bisect_left(times, start)
    cap = f.profile.attempts_per_number_day
    if count < cap:
        return None
    info = _info(f, "attempts_per_number_day")
    # The reason is stored and shown: the number appears masked, like everywhere else.
    target = mask_phone(c.target) if c.target else "-"
    return Refusal(info.violation(target=target, count=count, max=cap), midnight if cap else None)


def conversations_per_debtor_day(f: Facts, m: Moment) -> Refusal | None:
    """CN: at most ``max`` (3) conversations we started with the debtor per local day, AI voice
    included (events: call or AI call, party debtor, outcome conversation); a further call or AI call
    to the debtor is refused. Retry: the next local midnight."""
    c = f.contact
    if c.channel not in VOICE_CHANNELS or c.party != "debtor":
        return None
    start, end, midnight = m.day()
    times = f.voice.debtor_conversations
    count = bisect_left(times, end) - bisect_left(times, start)
    cap = f.profile.conversations_per_debtor_day
    if count < cap:
        return None
    info = _info(f, "conversations_per_debtor_day")
    return Refusal(info.violation(count=count, max=cap), midnight if cap else None)


def calls_7_in_7(f: Facts, m: Moment) -> Refusal | None:
    """US: at most ``max`` (7) calls (calls and AI calls to the debtor, any outcome) in the rolling
    ``window_days`` x 24 h before the moment; the 8th is refused. A rolling 168 h window is at least
    as strict as Reg F's "7 consecutive days". Retry: when enough of the counted calls have aged out
    (with exactly ``max`` counted, the oldest counted call + 7 days)."""
    c = f.contact
    if c.channel not in VOICE_CHANNELS or c.party != "debtor":
        return None
    p = f.profile
    window = p.calls_window // _ONE_US
    times = f.voice.debtor_calls
    first = bisect_right(times, m.us - window)  # calls exactly 7 days old have aged out
    count = len(times) - first
    if count < p.calls_max:
        return None
    retry = m.from_us(times[first + count - p.calls_max] + window) if p.calls_max else None
    info = _info(f, "calls_7_in_7")
    return Refusal(info.violation(count=count, max=p.calls_max, window_days=p.calls_window.days), retry)


def post_conversation_lockout(f: Facts, m: Moment) -> Refusal | None:
    """US: no call or AI call to the debtor within ``days`` x 24 h (168 h) after a telephone
    conversation with them (a call event with outcome conversation). Counting hours from the
    conversation is at least as strict as Reg F's "conversation day is day 1". Retry: the latest
    conversation + 7 days."""
    c = f.contact
    if c.channel not in VOICE_CHANNELS or c.party != "debtor":
        return None
    times = f.voice.debtor_conversations
    if not times:
        return None
    lockout = f.profile.lockout // _ONE_US
    latest = times[-1]
    if latest + lockout <= m.us:
        return None
    info = _info(f, "post_conversation_lockout")
    when = m.from_us(latest)
    return Refusal(
        info.violation(conversation=when.isoformat(timespec="minutes"), days=f.profile.lockout.days),
        m.from_us(latest + lockout),
    )


# --- who may be contacted -------------------------------------------------------------------------


def third_party_lost_contact(f: Facts, m: Moment) -> Refusal | None:
    """CN: a contact (联系人) may be approached only when the debtor is lost: a state among the
    profile's (lost_contact, deceased, incapacitated), or the history shows it (see
    :attr:`Facts.lost_by_history`)."""
    if f.contact.party != "contact":
        return None
    if f.debtor.states & f.profile.lost_contact_states or f.lost_by_history:
        return None
    return Refusal(_info(f, "third_party_lost_contact").violation())


def third_party_purpose(f: Facts, m: Moment) -> Refusal | None:
    """Both: a contact may only be asked to help locate the debtor (purpose ``locate``)."""
    c = f.contact
    if c.party != "contact" or c.purpose == "locate":
        return None
    return Refusal(_info(f, "third_party_purpose").violation(purpose=c.purpose))


def third_party_disclosure(f: Facts, m: Moment) -> Refusal | None:
    """Both: content for a contact must not reveal the debt: no amount and no debt wording."""
    c = f.contact
    if c.party != "contact" or not c.content:
        return None
    violation = disclosure_violation(c.content, f.profile)
    return Refusal(violation) if violation else None


def do_not_contact(f: Facts, m: Moment) -> Refusal | None:
    """Both: a number or person flagged do-not-contact (e.g. a contact who refused) is never contacted."""
    return Refusal(_info(f, "do_not_contact").violation()) if f.contact.do_not_contact else None


# --- holds by state ---------------------------------------------------------------------------------


def hold_dispute(f: Facts, m: Moment) -> Refusal | None:
    """Both: a disputed debt gets no demand (CN: until resolved; US: until verification is sent).
    Notices and locate contacts stay possible."""
    if "disputed" in f.debtor.states and f.contact.purpose == "demand":
        return Refusal(_info(f, "hold_dispute").violation())
    return None


def hold_complaint(f: Facts, m: Moment) -> Refusal | None:
    """CN: an open complaint about collection pauses demands, unless the profile turns the flag
    ``complaint_pauses_demands`` off."""
    if (
        f.profile.complaint_pauses_demands
        and "complaint_open" in f.debtor.states
        and f.contact.purpose == "demand"
    ):
        return Refusal(_info(f, "hold_complaint").violation())
    return None


def hold_plan(f: Facts, m: Moment) -> Refusal | None:
    """CN: an active repayment plan stops demands unless the plan is broken; instalment reminders
    (purpose ``notice``) stay allowed."""
    states = f.debtor.states
    if "plan_active" in states and "plan_broken" not in states and f.contact.purpose == "demand":
        return Refusal(_info(f, "hold_plan").violation())
    return None


def hold_cease(f: Facts, m: Moment) -> Refusal | None:
    """US: after a cease request only a ``notice`` (collection ends / a remedy may or will be
    invoked) is allowed, to anyone."""
    if "cease_requested" in f.debtor.states and f.contact.purpose != "notice":
        return Refusal(_info(f, "hold_cease").violation(purpose=f.contact.purpose))
    return None


def hold_deceased(f: Facts, m: Moment) -> Refusal | None:
    """Both: no demand addressed to a deceased debtor."""
    c = f.contact
    if "deceased" in f.debtor.states and c.purpose == "demand" and c.party == "debtor":
        return Refusal(_info(f, "hold_deceased").violation())
    return None


def attorney_represented(f: Facts, m: Moment) -> Refusal | None:
    """US: once the consumer is represented by an attorney, only the attorney may be contacted."""
    if "attorney_represented" in f.debtor.states and f.contact.party != "attorney":
        return Refusal(_info(f, "attorney_represented").violation())
    return None


# --- channel and content ----------------------------------------------------------------------------


def visit_min_collectors(f: Facts, m: Moment) -> Refusal | None:
    """CN: a field visit needs at least ``min`` (2) collectors."""
    c, need = f.contact, f.profile.visit_min_collectors
    if c.channel == "visit" and c.collectors < need:
        return Refusal(_info(f, "visit_min_collectors").violation(min=need, collectors=c.collectors))
    return None


def prohibited_content(f: Facts, m: Moment) -> Refusal | None:
    """Both: the content has no threat, insult, impersonation of an authority, exposure threat, fake
    blacklist or pressure to borrow; on a time-barred debt, no threat of suit either."""
    c = f.contact
    violation = prohibited_violation(c.content, f.profile, time_barred=c.time_barred)
    return Refusal(violation) if violation else None


def public_channel(f: Facts, m: Moment) -> Refusal | None:
    """Both: only the known private channels exist; anything else (group chats, social posts, public
    notices, broadcasts, or a channel nobody has heard of) is refused, whatever else holds."""
    channel = f.contact.channel
    if channel in CHANNELS:
        return None
    return Refusal(_info(f, "public_channel").violation(channel=channel))


RULES: dict[str, Rule] = {
    "public_channel": public_channel,
    "do_not_contact": do_not_contact,
    "quiet_hours": quiet_hours,
    "attempts_per_number_day": attempts_per_number_day,
    "conversations_per_debtor_day": conversations_per_debtor_day,
    "calls_7_in_7": calls_7_in_7,
    "post_conversation_lockout": post_conversation_lockout,
    "third_party_lost_contact": third_party_lost_contact,
    "third_party_purpose": third_party_purpose,
    "third_party_disclosure": third_party_disclosure,
    "hold_dispute": hold_dispute,
    "hold_complaint": hold_complaint,
    "hold_plan": hold_plan,
    "hold_cease": hold_cease,
    "hold_deceased": hold_deceased,
    "attorney_represented": attorney_represented,
    "visit_min_collectors": visit_min_collectors,
    "prohibited_content": prohibited_content,
}
if tuple(RULES) != RULE_IDS:  # pragma: no cover - a guard against editing one list and not the other
    raise RuntimeError("rules.RULES and profiles.RULE_IDS disagree")


@lru_cache(maxsize=128)
def plan(profile: Profile) -> tuple[tuple[str, Rule, bool], ...]:
    """The profile's rules in reporting order, each with its function and whether it is time-based."""
    return tuple((rule, RULES[rule], rule in TIME_RULES) for rule in profile.rules)
