"""Rules that waiting does not satisfy: who may be contacted, holds by state, visits, public channels,
and how a decision reports several violations."""

from __future__ import annotations

import pytest

from arrears.compliance.guard import Debtor, load_profile
from tests.compliance import NUMBER, OTHER_NUMBER, decide, event

CN = load_profile("CN")
US = load_profile("US-REGF")
NOON_CN = "2026-03-02T12:00:00+08:00"
NOON_NY = "2026-03-02T12:00:00-05:00"
NY = "America/New_York"
LOCATE = {"party": "contact", "purpose": "locate", "target": OTHER_NUMBER}


def states(*names: str, timezone: str = "Asia/Shanghai") -> Debtor:
    return Debtor(timezone=timezone, states=frozenset(names))


# --- third parties --------------------------------------------------------------------------------


def test_cn_contact_refused_while_the_debtor_is_reachable():
    refused = decide(CN, NOON_CN, **LOCATE)
    assert refused.rules == ("third_party_lost_contact",)
    assert refused.next_allowed_at is None


@pytest.mark.parametrize("state", ["lost_contact", "deceased", "incapacitated"])
def test_cn_contact_allowed_when_the_debtor_is_lost_by_state(state):
    assert decide(CN, NOON_CN, debtor=states(state), **LOCATE).allowed


def test_cn_lost_contact_from_three_failed_attempts():
    history = [
        event("2026-02-27T10:00:00+08:00", "conversation"),
        event("2026-02-28T10:00:00+08:00", "no_answer"),
        event("2026-03-01T10:00:00+08:00", "failed", channel="ai_call"),
        event("2026-03-01T11:00:00+08:00", "invalid_number", target=OTHER_NUMBER),
    ]
    assert decide(CN, NOON_CN, history=history, **LOCATE).allowed
    # Order in the list does not matter, only time.
    assert decide(CN, NOON_CN, history=list(reversed(history)), **LOCATE).allowed


def test_cn_not_lost_when_a_recent_attempt_got_through():
    history = [
        event("2026-02-28T10:00:00+08:00", "no_answer"),
        event("2026-03-01T10:00:00+08:00", "no_answer"),
        event("2026-03-01T11:00:00+08:00", "answered"),
        event("2026-03-01T12:00:00+08:00", "no_answer"),
    ]
    assert decide(CN, NOON_CN, history=history, **LOCATE).rules == ("third_party_lost_contact",)


def test_cn_not_lost_with_fewer_than_three_failures():
    history = [event("2026-03-01T10:00:00+08:00"), event("2026-03-01T11:00:00+08:00")]
    assert decide(CN, NOON_CN, history=history, **LOCATE).rules == ("third_party_lost_contact",)


def test_cn_failures_of_other_parties_do_not_make_the_debtor_lost():
    history = [event(f"2026-03-01T1{i}:00:00+08:00", party="guarantor") for i in range(3)]
    assert decide(CN, NOON_CN, history=history, **LOCATE).rules == ("third_party_lost_contact",)


def test_cn_lost_contact_when_every_debtor_number_is_invalid():
    history = [
        event("2026-02-20T10:00:00+08:00", "answered"),
        event("2026-03-01T10:00:00+08:00", "invalid_number"),
        event("2026-03-01T10:05:00+08:00", "invalid_number", channel="sms", target=OTHER_NUMBER),
    ]
    assert decide(CN, NOON_CN, history=history, **LOCATE).allowed
    # One number still working: not lost.
    history.append(event("2026-02-25T10:00:00+08:00", "answered", target="+8613700137000"))
    assert decide(CN, NOON_CN, history=history, **LOCATE).rules == ("third_party_lost_contact",)


@pytest.mark.parametrize("purpose", ["demand", "notice"])
@pytest.mark.parametrize(
    ("profile", "now", "debtor"), [(CN, NOON_CN, states("lost_contact")), (US, NOON_NY, None)]
)
def test_a_contact_may_only_be_asked_to_locate(profile, now, debtor, purpose):
    refused = decide(profile, now, debtor=debtor or Debtor(timezone=NY), party="contact", purpose=purpose)
    assert refused.rules == ("third_party_purpose",)


def test_us_third_party_locate_is_allowed_without_a_lost_state():
    assert decide(US, NOON_NY, debtor=Debtor(timezone=NY), **LOCATE).allowed


@pytest.mark.parametrize(
    ("content", "matched"),
    [
        ("请转告他尽快还款", "还款"),
        ("他欠款五千元没还", "欠款"),
        ("请转告：账上有 ¥3,000.00 未处理", "¥3,000.00"),
        ("请转告：金额 ￥５００", "¥500"),
        ("请让他处理 RMB 200 的事", "rmb 200"),
        ("请转告他 1,234.56 的事情", "1,234.56"),
        ("请转告他 5000元 的事情", "5000元"),
        ("请转告他有五千元的事情", "五千元"),
        ("请转告他 99.50 的事情", "99.50"),
        ("请转告他这笔 债 务", "债务"),
        ("Please tell him about the debt", "debt"),
        ("Tell her she owes us", "owes"),
        ("Tell him his PAYMENT is late", "payment"),
    ],
)
def test_disclosure_to_a_contact_is_refused_and_the_match_reported(content, matched):
    refused = decide(CN, NOON_CN, debtor=states("lost_contact"), content=content, **LOCATE)
    assert refused.rules == ("third_party_disclosure",)
    assert refused.violations[0].matched == matched
    assert matched in refused.violations[0].reason


@pytest.mark.parametrize(
    "content",
    [
        "您好，我们有急事想联系张三先生，请转告他回电 95555，谢谢。",
        "请转告他，2026.03.02 我们来电找过他。",
        "您好，请问您能联系到李四吗？",
        "Please ask John to call Mary at 555-0100 about an important personal matter.",
    ],
)
def test_neutral_locate_messages_pass(content):
    assert decide(CN, NOON_CN, debtor=states("lost_contact"), content=content, **LOCATE).allowed
    assert decide(US, NOON_NY, debtor=Debtor(timezone=NY), content=content, **LOCATE).allowed


def test_us_disclosure_words():
    refused = decide(US, NOON_NY, debtor=Debtor(timezone=NY), content="Your son is delinquent", **LOCATE)
    assert refused.rules == ("third_party_disclosure",)


def test_debt_wording_to_the_debtor_or_guarantor_is_not_disclosure():
    text = "您的账户已逾期，欠款 5000 元，请尽快还款。"
    assert decide(CN, NOON_CN, content=text).allowed
    assert decide(CN, NOON_CN, content=text, party="guarantor").allowed


@pytest.mark.parametrize(("profile", "now", "tz"), [(CN, NOON_CN, "Asia/Shanghai"), (US, NOON_NY, NY)])
def test_do_not_contact(profile, now, tz):
    refused = decide(profile, now, debtor=Debtor(timezone=tz), do_not_contact=True, purpose="notice")
    assert refused.rules == ("do_not_contact",)
    assert refused.next_allowed_at is None


# --- holds ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("profile", "state", "purpose", "rules"),
    [
        (CN, "disputed", "demand", ("hold_dispute",)),
        (CN, "disputed", "notice", ()),
        (US, "disputed", "demand", ("hold_dispute",)),
        (US, "disputed", "notice", ()),
        (CN, "complaint_open", "demand", ("hold_complaint",)),
        (CN, "complaint_open", "notice", ()),
        (US, "complaint_open", "demand", ()),
        (CN, "plan_active", "demand", ("hold_plan",)),
        (CN, "plan_active", "notice", ()),
        (US, "plan_active", "demand", ()),
        (US, "cease_requested", "demand", ("hold_cease",)),
        (US, "cease_requested", "locate", ("hold_cease",)),
        (US, "cease_requested", "notice", ()),
        (CN, "cease_requested", "demand", ()),
        (CN, "deceased", "demand", ("hold_deceased",)),
        (US, "deceased", "demand", ("hold_deceased",)),
        (CN, "deceased", "notice", ()),
        (US, "attorney_represented", "notice", ("attorney_represented",)),
        (CN, "attorney_represented", "demand", ()),
        (CN, "incapacitated", "demand", ()),
        (CN, "lost_contact", "demand", ()),
        (CN, "plan_broken", "demand", ()),
    ],
)
def test_holds_by_state(profile, state, purpose, rules):
    tz = NY if profile is US else "Asia/Shanghai"
    now = NOON_NY if profile is US else NOON_CN
    decision = decide(profile, now, debtor=states(state, timezone=tz), purpose=purpose)
    assert decision.rules == rules
    assert decision.allowed is (not rules)


def test_us_dispute_reason_mentions_verification():
    refused = decide(US, NOON_NY, debtor=states("disputed", timezone=NY))
    assert "verification" in refused.violations[0].reason_en


def test_broken_plan_allows_demands_again():
    assert decide(CN, NOON_CN, debtor=states("plan_active", "plan_broken")).allowed


def test_demands_to_the_guarantor_of_a_deceased_debtor_are_allowed():
    assert decide(CN, NOON_CN, debtor=states("deceased"), party="guarantor").allowed


def test_attorney_represented_consumer_only_through_the_attorney():
    debtor = states("attorney_represented", timezone=NY)
    assert decide(US, NOON_NY, debtor=debtor, party="attorney").allowed
    assert decide(US, NOON_NY, debtor=debtor, party="guarantor").rules == ("attorney_represented",)


# --- visits and channels --------------------------------------------------------------------------


def test_visit_needs_two_collectors_in_cn():
    refused = decide(CN, NOON_CN, channel="visit", collectors=1)
    assert refused.rules == ("visit_min_collectors",)
    assert "2" in refused.violations[0].reason
    assert decide(CN, NOON_CN, channel="visit", collectors=2).allowed
    assert decide(US, NOON_NY, debtor=Debtor(timezone=NY), channel="visit", collectors=1).allowed


@pytest.mark.parametrize(
    "channel", ["wechat_group", "social_post", "public_notice", "broadcast", "carrier_pigeon", "Call", ""]
)
@pytest.mark.parametrize(("profile", "now", "tz"), [(CN, NOON_CN, "Asia/Shanghai"), (US, NOON_NY, NY)])
def test_public_or_unknown_channels_are_refused_whatever_else_holds(profile, now, tz, channel):
    refused = decide(profile, now, debtor=Debtor(timezone=tz), channel=channel, purpose="notice")
    assert refused.rules == ("public_channel",)
    assert refused.next_allowed_at is None
    # Even at night the only reason is the channel, and waiting does not help.
    night = decide(profile, now.replace("12:00", "23:30"), debtor=Debtor(timezone=tz), channel=channel)
    assert night.rules == ("public_channel",)
    assert night.next_allowed_at is None


@pytest.mark.parametrize("channel", ["call", "ai_call", "sms", "email", "letter", "visit"])
def test_known_channels_pass(channel):
    assert decide(CN, NOON_CN, channel=channel, collectors=2).allowed


# --- reporting ------------------------------------------------------------------------------------


def test_every_violated_rule_is_reported():
    refused = decide(
        CN,
        "2026-03-02T23:00:00+08:00",
        debtor=states("disputed"),
        channel="broadcast",
        party="contact",
        purpose="demand",
        content="老赖，欠款 500 元，不还就曝光",
        do_not_contact=True,
    )
    assert set(refused.rules) == {
        "public_channel",
        "do_not_contact",
        "third_party_lost_contact",
        "third_party_purpose",
        "third_party_disclosure",
        "hold_dispute",
        "prohibited_content",
    }
    assert refused.next_allowed_at is None
    assert refused.profile == "CN"
    assert refused.profile_version == CN.version


def test_decision_json():
    refused = decide(CN, "2026-03-02T22:30:00+08:00", target=NUMBER)
    assert refused.as_json() == {
        "allowed": False,
        "violations": [{"rule": "quiet_hours", "reason": refused.violations[0].reason}],
        "next_allowed_at": "2026-03-03T08:00:00+08:00",
    }
    reason = refused.violations[0].reason
    assert reason == f"{refused.violations[0].reason_zh} / {refused.violations[0].reason_en}"
    assert "22:30:00" in reason
    assert decide(CN, NOON_CN).as_json() == {"allowed": True, "violations": [], "next_allowed_at": None}


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Debtor(timezone="Mars/Olympus"), "time zone"),
        (lambda: Debtor(states=frozenset({"angry"})), "unknown debtor states"),
        (lambda: event("2026-03-02T10:00:00"), "timezone-aware"),
        (lambda: event("2026-03-02T10:00:00+08:00", "hung_up"), "unknown outcome"),
    ],
)
def test_bad_inputs_fail_loudly(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_naive_now_is_refused():
    from datetime import datetime

    with pytest.raises(ValueError, match="timezone-aware"):
        decide(CN, datetime(2026, 3, 2, 12))
