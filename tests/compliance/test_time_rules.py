"""Time-based rules at their edges: quiet hours, daily caps (CN), 7-in-7 and the lock-out (US), and
the next allowed time the guard computes when only such rules refuse."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from arrears.compliance.guard import Debtor, load_profile
from tests.compliance import NUMBER, OTHER_NUMBER, at, decide, event

CN = load_profile("CN")
US = load_profile("US-REGF")
NY = Debtor(timezone="America/New_York")


# --- quiet hours ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("profile", "debtor", "now", "allowed", "next_allowed_at"),
    [
        (CN, Debtor(), "2026-03-02T21:59:59+08:00", True, None),
        (CN, Debtor(), "2026-03-02T22:00:00+08:00", False, "2026-03-03T08:00:00+08:00"),
        (CN, Debtor(), "2026-03-02T07:59:59+08:00", False, "2026-03-02T08:00:00+08:00"),
        (CN, Debtor(), "2026-03-02T08:00:00+08:00", True, None),
        (CN, Debtor(), "2026-03-02T23:59:59+08:00", False, "2026-03-03T08:00:00+08:00"),
        (CN, Debtor(), "2026-03-03T00:00:00+08:00", False, "2026-03-03T08:00:00+08:00"),
        # The same instants written in another offset are judged in the debtor's zone.
        (CN, Debtor(), "2026-03-02T13:59:59+00:00", True, None),
        (CN, Debtor(), "2026-03-02T14:00:00+00:00", False, "2026-03-03T08:00:00+08:00"),
        (US, NY, "2026-03-02T20:59:59-05:00", True, None),
        (US, NY, "2026-03-02T21:00:00-05:00", False, "2026-03-03T08:00:00-05:00"),
        (US, NY, "2026-03-02T07:59:59-05:00", False, "2026-03-02T08:00:00-05:00"),
        (US, NY, "2026-03-02T08:00:00-05:00", True, None),
        # US 21:30 is refused although CN would allow it.
        (US, Debtor(), "2026-03-02T21:30:00+08:00", False, "2026-03-03T08:00:00+08:00"),
    ],
)
def test_quiet_hours_edges(profile, debtor, now, allowed, next_allowed_at):
    decision = decide(profile, now, debtor=debtor)
    assert decision.allowed is allowed
    assert decision.rules == (() if allowed else ("quiet_hours",))
    expected = at(next_allowed_at) if next_allowed_at else None
    assert decision.next_allowed_at == expected


def test_next_allowed_at_is_in_the_debtors_zone():
    decision = decide(CN, "2026-03-02T14:30:00+00:00")
    assert decision.next_allowed_at is not None
    assert decision.next_allowed_at.isoformat() == "2026-03-03T08:00:00+08:00"


@pytest.mark.parametrize(
    ("profile", "instant", "zone_allowed", "zone_refused"),
    [
        # 21:30 in Shanghai is 22:30 in Tokyo.
        (CN, "2026-03-02T13:30:00+00:00", "Asia/Shanghai", "Asia/Tokyo"),
        # 08:30 in Tokyo is 07:30 in Shanghai.
        (CN, "2026-03-02T23:30:00+00:00", "Asia/Tokyo", "Asia/Shanghai"),
        # 18:30 in Los Angeles is 21:30 in New York.
        (US, "2026-03-03T02:30:00+00:00", "America/Los_Angeles", "America/New_York"),
    ],
)
def test_the_debtors_time_zone_decides(profile, instant, zone_allowed, zone_refused):
    assert decide(profile, instant, debtor=Debtor(timezone=zone_allowed)).allowed
    refused = decide(profile, instant, debtor=Debtor(timezone=zone_refused))
    assert refused.rules == ("quiet_hours",)


def test_daylight_saving_time_is_respected():
    # New York moves to UTC-4 on 2026-03-08: 00:59:59Z on the 9th is 20:59:59 local, 01:00Z is 21:00.
    assert decide(US, "2026-03-09T00:59:59+00:00", debtor=NY).allowed
    refused = decide(US, "2026-03-09T01:00:00+00:00", debtor=NY)
    assert refused.rules == ("quiet_hours",)
    assert refused.next_allowed_at == at("2026-03-09T08:00:00-04:00")


@pytest.mark.parametrize("channel", ["call", "ai_call", "sms", "email", "visit"])
def test_quiet_hours_bind_every_time_bound_channel(channel):
    decision = decide(CN, "2026-03-02T23:00:00+08:00", channel=channel, collectors=2)
    assert decision.rules == ("quiet_hours",)


def test_letters_are_not_time_bound():
    assert decide(CN, "2026-03-02T23:00:00+08:00", channel="letter").allowed
    assert decide(US, "2026-03-02T23:00:00+08:00", channel="letter").allowed


@pytest.mark.parametrize(
    ("now", "allowed", "next_allowed_at"),
    [
        ("2026-03-02T08:30:00+08:00", False, "2026-03-02T09:00:00+08:00"),
        ("2026-03-02T09:00:00+08:00", True, None),
        ("2026-03-02T19:59:59+08:00", True, None),
        ("2026-03-02T20:00:00+08:00", False, "2026-03-03T09:00:00+08:00"),
    ],
)
def test_agreed_window_replaces_the_cn_window(now, allowed, next_allowed_at):
    debtor = Debtor(agreed_window=(time(9), time(20)))
    decision = decide(CN, now, debtor=debtor)
    assert decision.allowed is allowed
    assert decision.next_allowed_at == (at(next_allowed_at) if next_allowed_at else None)


def test_agreed_window_may_widen_the_cn_window_but_not_the_us_one():
    debtor = Debtor(timezone="America/New_York", agreed_window=(time(7), time(23)))
    assert decide(CN, "2026-03-02T22:30:00-05:00", debtor=debtor).allowed
    assert decide(US, "2026-03-02T22:30:00-05:00", debtor=debtor).rules == ("quiet_hours",)


def test_agreed_window_over_midnight():
    debtor = Debtor(agreed_window=(time(20), time(2)))
    assert decide(CN, "2026-03-02T01:00:00+08:00", debtor=debtor).allowed
    assert decide(CN, "2026-03-02T23:00:00+08:00", debtor=debtor).allowed
    refused = decide(CN, "2026-03-02T03:00:00+08:00", debtor=debtor)
    assert refused.rules == ("quiet_hours",)
    assert refused.next_allowed_at == at("2026-03-02T20:00:00+08:00")


# --- CN: unanswered attempts per number and local day ---------------------------------------------


def _attempts(n: int, day: str = "2026-03-02", **fields: object) -> list:
    return [event(f"{day}T{9 + i:02d}:00:00+08:00", **fields) for i in range(n)]


def test_sixth_attempt_allowed_seventh_refused():
    assert decide(CN, "2026-03-02T16:00:00+08:00", history=_attempts(5)).allowed
    refused = decide(CN, "2026-03-02T16:00:00+08:00", history=_attempts(6))
    assert refused.rules == ("attempts_per_number_day",)
    assert "6" in refused.violations[0].reason
    # Next local midnight, then quiet hours: 08:00 the next day.
    assert refused.next_allowed_at == at("2026-03-03T08:00:00+08:00")


@pytest.mark.parametrize("outcome", ["no_answer", "failed", "invalid_number"])
def test_every_unanswered_outcome_counts(outcome):
    refused = decide(CN, "2026-03-02T16:00:00+08:00", history=_attempts(6, outcome=outcome))
    assert refused.rules == ("attempts_per_number_day",)


@pytest.mark.parametrize("outcome", ["answered", "refused_contact"])
def test_answered_calls_are_not_unanswered_attempts(outcome):
    assert decide(CN, "2026-03-02T16:00:00+08:00", history=_attempts(6, outcome=outcome)).allowed


def test_ai_calls_count_sms_does_not():
    history = _attempts(3) + _attempts(3, channel="ai_call")
    assert decide(CN, "2026-03-02T16:00:00+08:00", history=history).rules == ("attempts_per_number_day",)
    sms = _attempts(6, channel="sms")
    assert decide(CN, "2026-03-02T16:00:00+08:00", history=sms).allowed


def test_attempts_are_counted_per_number():
    other = _attempts(6, target=OTHER_NUMBER)
    assert decide(CN, "2026-03-02T16:00:00+08:00", history=other).allowed
    refused = decide(CN, "2026-03-02T16:00:00+08:00", history=other, target=OTHER_NUMBER)
    assert refused.rules == ("attempts_per_number_day",)


def test_the_cap_binds_an_ai_call_and_a_call_to_a_guarantor_on_that_number():
    history = _attempts(6)
    assert decide(CN, "2026-03-02T16:00:00+08:00", history=history, channel="ai_call").rules == (
        "attempts_per_number_day",
    )
    assert decide(CN, "2026-03-02T16:00:00+08:00", history=history, party="guarantor").rules == (
        "attempts_per_number_day",
    )
    assert decide(CN, "2026-03-02T16:00:00+08:00", history=history, channel="sms").allowed


def test_yesterdays_attempts_do_not_count():
    history = _attempts(6, day="2026-03-01")
    assert decide(CN, "2026-03-02T08:30:00+08:00", history=history).allowed


def test_the_day_is_the_debtors_local_day():
    # 23:30 in Shanghai on the 2nd is 00:30 on the 3rd in Tokyo.
    history = [event(f"2026-03-02T23:{i:02d}:00+08:00") for i in range(30, 36)]
    now = "2026-03-03T10:00:00+09:00"  # 09:00 in Shanghai
    assert decide(CN, now, history=history, debtor=Debtor()).allowed
    assert decide(CN, now, history=history, debtor=Debtor(timezone="Asia/Tokyo")).rules == (
        "attempts_per_number_day",
    )


def test_day_boundary_in_a_zone_behind_utc():
    la = Debtor(timezone="America/Los_Angeles")
    # 23:50 on the 1st in Los Angeles (07:50Z on the 2nd) is yesterday at 09:00 local on the 2nd.
    yesterday = [event(f"2026-03-02T07:{50 + i}:00+00:00") for i in range(6)]
    assert decide(CN, "2026-03-02T09:00:00-08:00", history=yesterday, debtor=la).allowed
    today = [event(f"2026-03-02T08:{i:02d}:00+00:00") for i in range(6)]  # 00:00-00:05 local
    assert decide(CN, "2026-03-02T09:00:00-08:00", history=today, debtor=la).rules == (
        "attempts_per_number_day",
    )


def test_a_daily_cap_is_released_at_local_midnight_when_the_window_allows():
    debtor = Debtor(agreed_window=(time(0), time(23, 59)))
    refused = decide(CN, "2026-03-02T16:00:00+08:00", history=_attempts(6), debtor=debtor)
    assert refused.next_allowed_at == at("2026-03-03T00:00:00+08:00")
    assert decide(CN, refused.next_allowed_at, history=_attempts(6), debtor=debtor).allowed
    still = decide(CN, "2026-03-02T23:58:59+08:00", history=_attempts(6), debtor=debtor)
    assert still.rules == ("attempts_per_number_day",)


# --- CN: conversations per debtor and local day ---------------------------------------------------


def _conversations(n: int, **fields: object) -> list:
    return [event(f"2026-03-02T{9 + i:02d}:00:00+08:00", "conversation", **fields) for i in range(n)]


def test_third_conversation_allowed_fourth_refused():
    assert decide(CN, "2026-03-02T16:00:00+08:00", history=_conversations(2)).allowed
    refused = decide(CN, "2026-03-02T16:00:00+08:00", history=_conversations(3))
    assert refused.rules == ("conversations_per_debtor_day",)
    assert refused.next_allowed_at == at("2026-03-03T08:00:00+08:00")


def test_ai_voice_conversations_count_and_any_number_counts():
    ai_voice = event("2026-03-02T15:00:00+08:00", "conversation", channel="ai_call", target=OTHER_NUMBER)
    history = [*_conversations(2), ai_voice]
    assert decide(CN, "2026-03-02T16:00:00+08:00", history=history).rules == ("conversations_per_debtor_day",)


def test_conversation_cap_is_per_debtor_and_voice_only():
    history = _conversations(3)
    assert decide(CN, "2026-03-02T16:00:00+08:00", history=history, channel="sms").allowed
    assert decide(CN, "2026-03-02T16:00:00+08:00", history=history, party="guarantor").allowed
    with_guarantor = _conversations(3, party="guarantor")
    assert decide(CN, "2026-03-02T16:00:00+08:00", history=with_guarantor).allowed


def test_us_has_no_cn_daily_caps():
    history = [event(f"2026-03-02T{9 + i:02d}:00:00-05:00") for i in range(6)]
    assert decide(US, "2026-03-02T16:00:00-05:00", debtor=NY, history=history).allowed


# --- US: 7 calls in 7 days ------------------------------------------------------------------------


def _week_of_calls(n: int, outcome: str = "no_answer") -> list:
    return [event(f"2026-03-{2 + i:02d}T10:00:00-05:00", outcome) for i in range(n)]


def test_seventh_call_allowed_eighth_refused_released_on_day_eight():
    assert decide(US, "2026-03-08T15:00:00-05:00", debtor=NY, history=_week_of_calls(6)).allowed
    history = _week_of_calls(7)
    refused = decide(US, "2026-03-08T15:00:00-05:00", debtor=NY, history=history)
    assert refused.rules == ("calls_7_in_7",)
    # The oldest counted call (2 March 10:00 EST) + 7 x 24 h; New York is on EDT by then.
    assert refused.next_allowed_at == at("2026-03-09T10:00:00-05:00")
    assert refused.next_allowed_at.isoformat() == "2026-03-09T11:00:00-04:00"
    assert decide(US, refused.next_allowed_at, debtor=NY, history=history).allowed
    just_before = refused.next_allowed_at - timedelta(seconds=1)
    assert decide(US, just_before, debtor=NY, history=history).rules == ("calls_7_in_7",)


def test_every_call_counts_whatever_its_outcome_and_ai_calls_count():
    history = [
        *_week_of_calls(4, "answered"),
        event("2026-03-07T12:00:00-05:00", "failed", channel="ai_call"),
        event("2026-03-07T13:00:00-05:00", "refused_contact"),
        event("2026-03-07T14:00:00-05:00"),
    ]
    assert decide(US, "2026-03-07T15:00:00-05:00", debtor=NY, history=history).rules == ("calls_7_in_7",)


def test_calls_to_others_and_sms_do_not_count():
    history = [event(f"2026-03-0{2 + i}T10:00:00-05:00", party="attorney") for i in range(7)]
    history += [event(f"2026-03-0{2 + i}T11:00:00-05:00", channel="sms") for i in range(7)]
    assert decide(US, "2026-03-08T15:00:00-05:00", debtor=NY, history=history).allowed


# --- US: lock-out after a conversation ------------------------------------------------------------------


def test_lockout_after_a_conversation_boundary():
    history = [event("2026-03-02T10:00:00-05:00", "conversation")]
    refused = decide(US, "2026-03-09T09:59:59-04:00", debtor=NY, history=history)
    assert refused.rules == ("post_conversation_lockout",)
    assert refused.next_allowed_at == at("2026-03-09T11:00:00-04:00")  # 10:00 EST + 168 h
    assert decide(US, "2026-03-09T11:00:00-04:00", debtor=NY, history=history).allowed
    assert decide(US, "2026-03-09T10:59:59-04:00", debtor=NY, history=history).rules == (
        "post_conversation_lockout",
    )


def test_lockout_binds_calls_to_the_debtor_only():
    history = [event("2026-03-02T10:00:00-05:00", "conversation")]
    assert decide(US, "2026-03-03T10:00:00-05:00", debtor=NY, history=history, channel="sms").allowed
    assert decide(US, "2026-03-03T10:00:00-05:00", debtor=NY, history=history, channel="letter").allowed
    assert decide(US, "2026-03-03T10:00:00-05:00", debtor=NY, history=history, party="guarantor").allowed
    assert decide(US, "2026-03-03T10:00:00-05:00", debtor=NY, history=history, channel="ai_call").rules == (
        "post_conversation_lockout",
    )


def test_lockout_that_ends_in_quiet_hours_moves_to_the_next_window():
    history = [event("2026-03-02T21:30:00-05:00", "conversation")]
    refused = decide(US, "2026-03-05T10:00:00-05:00", debtor=NY, history=history)
    assert refused.rules == ("post_conversation_lockout",)
    assert refused.next_allowed_at == at("2026-03-10T08:00:00-04:00")


def test_cn_has_no_lockout():
    history = [event("2026-03-02T10:00:00+08:00", "conversation")]
    assert decide(CN, "2026-03-02T11:00:00+08:00", history=history).allowed


# --- combinations ---------------------------------------------------------------------------------


def test_several_time_rules_report_together_and_next_time_satisfies_all():
    history = [event(f"2026-03-02T{9 + i:02d}:00:00+08:00") for i in range(6)]
    history += [event(f"2026-03-02T{9 + i:02d}:30:00+08:00", "conversation") for i in range(3)]
    refused = decide(CN, "2026-03-02T22:30:00+08:00", history=history)
    assert set(refused.rules) == {"quiet_hours", "attempts_per_number_day", "conversations_per_debtor_day"}
    assert refused.next_allowed_at == at("2026-03-03T08:00:00+08:00")


def test_us_cap_and_lockout_together():
    history = [*_week_of_calls(6), event("2026-03-08T09:00:00-04:00", "conversation")]
    refused = decide(US, "2026-03-08T12:00:00-04:00", debtor=NY, history=history)
    assert set(refused.rules) == {"calls_7_in_7", "post_conversation_lockout"}
    assert refused.next_allowed_at == at("2026-03-15T09:00:00-04:00")


def test_no_next_time_when_a_rule_that_time_cannot_fix_also_refuses():
    refused = decide(CN, "2026-03-02T23:00:00+08:00", do_not_contact=True)
    assert set(refused.rules) == {"quiet_hours", "do_not_contact"}
    assert refused.next_allowed_at is None


def test_events_after_now_still_count():
    # Clock skew between servers must not open a gap in the caps.
    history = [*_attempts(5), event("2026-03-02T16:00:01+08:00")]
    assert decide(CN, "2026-03-02T16:00:00+08:00", history=history).rules == ("attempts_per_number_day",)


def test_number_masked_in_reason():
    from arrears.core.masking import mask_phone

    refused = decide(CN, "2026-03-02T16:00:00+08:00", history=_attempts(6))
    for reason in (refused.violations[0].reason_zh, refused.violations[0].reason_en):
        assert mask_phone(NUMBER) in reason and NUMBER not in reason
