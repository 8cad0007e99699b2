"""Profiles: the shipped data, caching, and tightening that may only ever make a profile stricter."""

from __future__ import annotations

import shutil
from datetime import time, timedelta

import pytest

from arrears.compliance import profiles
from arrears.compliance.guard import Debtor, ProfileError, load_profile, screen_text
from arrears.compliance.profiles import CONFIDENCE_TAGS, RULE_IDS
from tests.compliance import decide, event

CN_RULES = {
    "quiet_hours",
    "attempts_per_number_day",
    "conversations_per_debtor_day",
    "third_party_lost_contact",
    "third_party_purpose",
    "third_party_disclosure",
    "do_not_contact",
    "hold_dispute",
    "hold_complaint",
    "hold_plan",
    "hold_deceased",
    "visit_min_collectors",
    "prohibited_content",
    "public_channel",
}
US_RULES = {
    "quiet_hours",
    "calls_7_in_7",
    "post_conversation_lockout",
    "third_party_purpose",
    "third_party_disclosure",
    "do_not_contact",
    "hold_dispute",
    "hold_cease",
    "hold_deceased",
    "attorney_represented",
    "prohibited_content",
    "public_channel",
}


@pytest.mark.parametrize(("name", "rules"), [("CN", CN_RULES), ("US-REGF", US_RULES)])
def test_shipped_profiles(name, rules):
    profile = load_profile(name)
    assert profile.name == name
    assert profile.version
    assert set(profile.rules) == rules
    assert list(profile.rules) == [rule for rule in RULE_IDS if rule in rules]
    for info in profile.rules.values():
        assert info.confidence in CONFIDENCE_TAGS
        assert info.source.strip()
        assert any(tag in info.source for tag in CONFIDENCE_TAGS), info.id
        assert info.reason_zh.strip()
        assert info.reason_en.strip()


def test_shipped_parameters():
    cn, us = load_profile("CN"), load_profile("US-REGF")
    assert (cn.quiet_start, cn.quiet_end) == (time(8), time(22))
    assert (us.quiet_start, us.quiet_end) == (time(8), time(21))
    assert cn.agreed_window_overrides and not us.agreed_window_overrides
    assert (cn.attempts_per_number_day, cn.conversations_per_debtor_day, cn.visit_min_collectors) == (6, 3, 2)
    assert (us.calls_max, us.calls_window, us.lockout) == (7, timedelta(days=7), timedelta(days=7))
    assert cn.complaint_pauses_demands


def test_profiles_are_cached():
    assert load_profile("CN") is load_profile("CN")
    assert load_profile() is load_profile("CN")
    tightened = load_profile("CN", tighten={"quiet_hours": {"end": "21:00"}})
    assert tightened is load_profile("CN", tighten={"quiet_hours": {"end": time(21)}})
    assert tightened is not load_profile("CN")
    assert dict(tightened.tightening) == {"quiet_hours": {"end": "21:00"}}


@pytest.mark.parametrize("name", ["UK", "cn", "", "../CN"])
def test_unknown_profile(name):
    with pytest.raises(ProfileError, match="unknown compliance profile"):
        load_profile(name)


# --- tightening -----------------------------------------------------------------------------------


def test_tightened_end_of_day():
    profile = load_profile("CN", tighten={"quiet_hours": {"end": "21:00"}})
    assert profile.quiet_end == time(21)
    assert profile.version.startswith(load_profile("CN").version + "+t")
    assert decide(load_profile("CN"), "2026-03-02T21:30:00+08:00").allowed
    refused = decide(profile, "2026-03-02T21:30:00+08:00")
    assert refused.rules == ("quiet_hours",)
    assert refused.profile_version == profile.version
    assert "21:00" in refused.violations[0].reason
    # The base profile is untouched.
    assert load_profile("CN").quiet_end == time(22)


@pytest.mark.parametrize(
    ("name", "tighten", "check"),
    [
        ("CN", {"quiet_hours": {"start": "09:00"}}, lambda p: p.quiet_start == time(9)),
        ("CN", {"quiet_hours": {"agreed_window_overrides": False}}, lambda p: not p.agreed_window_overrides),
        ("CN", {"quiet_hours": {"channels": ["letter"]}}, lambda p: {"letter", "sms"} <= p.quiet_channels),
        ("CN", {"attempts_per_number_day": {"max": 4}}, lambda p: p.attempts_per_number_day == 4),
        ("CN", {"attempts_per_number_day": {"max": 6}}, lambda p: p.attempts_per_number_day == 6),
        ("CN", {"conversations_per_debtor_day": {"max": 2}}, lambda p: p.conversations_per_debtor_day == 2),
        ("CN", {"visit_min_collectors": {"min": 3}}, lambda p: p.visit_min_collectors == 3),
        ("CN", {"hold_complaint": {"complaint_pauses_demands": True}}, lambda p: p.complaint_pauses_demands),
        (
            "CN",
            {"third_party_lost_contact": {"consecutive_failures": 5}},
            lambda p: p.lost_contact_failures == 5,
        ),
        (
            "CN",
            {"third_party_lost_contact": {"states": ["deceased"]}},
            lambda p: p.lost_contact_states == {"deceased"},
        ),
        (
            "CN",
            {"third_party_disclosure": {"words": ["账单"]}},
            lambda p: {"账单", "欠款"} <= set(p.disclosure_words),
        ),
        ("US-REGF", {"calls_7_in_7": {"max": 5}}, lambda p: p.calls_max == 5),
        ("US-REGF", {"calls_7_in_7": {"window_days": 10}}, lambda p: p.calls_window == timedelta(days=10)),
        ("US-REGF", {"post_conversation_lockout": {"days": 8}}, lambda p: p.lockout == timedelta(days=8)),
        ("US-REGF", {"quiet_hours": {"end": "20:00", "start": "09:00"}}, lambda p: p.quiet_end == time(20)),
    ],
)
def test_tightening_is_allowed(name, tighten, check):
    assert check(load_profile(name, tighten=tighten))


def test_more_phrases_are_screened_and_the_profiles_stay():
    profile = load_profile("CN", tighten={"prohibited_content": {"phrases": {"insult": ["催命鬼"]}}})
    assert screen_text("你这个催命鬼", profile=profile)[0].matched == "催命鬼"
    assert screen_text("你这个老赖", profile=profile)[0].matched == "老赖"
    assert screen_text("你这个催命鬼", profile=load_profile("CN")) == ()


def test_tightened_caps_apply():
    profile = load_profile("CN", tighten={"attempts_per_number_day": {"max": 3}})
    history = [event(f"2026-03-02T{9 + i:02d}:00:00+08:00") for i in range(3)]
    assert decide(load_profile("CN"), "2026-03-02T15:00:00+08:00", history=history).allowed
    assert decide(profile, "2026-03-02T15:00:00+08:00", history=history).rules == ("attempts_per_number_day",)


def test_turning_off_agreed_windows_makes_the_profile_window_bind():
    profile = load_profile("CN", tighten={"quiet_hours": {"agreed_window_overrides": False}})
    debtor = Debtor(agreed_window=(time(6), time(23)))
    assert decide(load_profile("CN"), "2026-03-02T22:30:00+08:00", debtor=debtor).allowed
    assert decide(profile, "2026-03-02T22:30:00+08:00", debtor=debtor).rules == ("quiet_hours",)


@pytest.mark.parametrize(
    ("name", "tighten", "message"),
    [
        ("CN", {"quiet_hours": {"end": "23:00"}}, r"tighten\.quiet_hours\.end.*may only move earlier"),
        ("CN", {"quiet_hours": {"start": "07:00"}}, r"tighten\.quiet_hours\.start.*may only move later"),
        ("CN", {"quiet_hours": {"start": "21:00", "end": "09:00"}}, r"quiet_hours.*start must be before end"),
        ("CN", {"attempts_per_number_day": {"max": 7}}, r"attempts_per_number_day\.max.*may only be lowered"),
        ("CN", {"conversations_per_debtor_day": {"max": 4}}, r"may only be lowered"),
        ("CN", {"visit_min_collectors": {"min": 1}}, r"visit_min_collectors\.min.*may only be raised"),
        ("CN", {"hold_complaint": {"complaint_pauses_demands": False}}, r"may only be turned on"),
        ("CN", {"third_party_lost_contact": {"consecutive_failures": 2}}, r"may only be raised"),
        ("CN", {"third_party_lost_contact": {"states": ["lost_contact", "disputed"]}}, r"never gain"),
        ("US-REGF", {"quiet_hours": {"agreed_window_overrides": True}}, r"may only be turned off"),
        ("US-REGF", {"calls_7_in_7": {"max": 8}}, r"may only be lowered"),
        ("US-REGF", {"post_conversation_lockout": {"days": 6}}, r"may only be raised"),
        ("US-REGF", {"attempts_per_number_day": {"max": 3}}, r"profile US-REGF has no such rule"),
        ("CN", {"no_such_rule": {}}, r"tighten\.no_such_rule.*unknown rule"),
        ("CN", {"quiet_hours": {"source": "bank policy"}}, r"quiet_hours\.source.*cannot be tightened"),
        ("CN", {"public_channel": {"enabled": False}}, r"cannot be tightened"),
        ("CN", {"attempts_per_number_day": {"max": "six"}}, r"expected an integer"),
        ("CN", {"attempts_per_number_day": {"max": True}}, r"expected an integer"),
        ("CN", {"quiet_hours": {"end": "10 pm"}}, r"expected a time"),
        ("CN", {"quiet_hours": "21:00"}, r"expected a mapping"),
        ("CN", {"prohibited_content": {"phrases": {"rude": ["x"]}}}, r"unknown phrase category"),
    ],
)
def test_loosening_or_malformed_tightening_is_refused(name, tighten, message):
    with pytest.raises(ProfileError, match=message):
        load_profile(name, tighten=tighten)


def test_error_messages_are_bilingual():
    with pytest.raises(ProfileError) as info:
        load_profile("CN", tighten={"quiet_hours": {"end": "23:00"}})
    assert "不能放宽" in str(info.value)
    assert "may not loosen" in str(info.value)


# --- profile files --------------------------------------------------------------------------------


@pytest.fixture
def profile_dir(tmp_path, monkeypatch):
    """A private copy of the profile folder, and an empty cache, so tests can edit the data files."""
    for path in profiles._DIR.glob("*.toml"):
        shutil.copy(path, tmp_path / path.name)
    monkeypatch.setattr(profiles, "_DIR", tmp_path)
    monkeypatch.setattr(profiles, "_CACHE", {})
    return tmp_path


def _edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_hold_turned_off_in_the_data_may_be_turned_on_by_a_creditor(profile_dir):
    _edit(profile_dir / "CN.toml", "complaint_pauses_demands = true", "complaint_pauses_demands = false")
    relaxed = load_profile("CN")
    complaint = Debtor(states=frozenset({"complaint_open"}))
    assert decide(relaxed, "2026-03-02T12:00:00+08:00", debtor=complaint).allowed
    strict = load_profile("CN", tighten={"hold_complaint": {"complaint_pauses_demands": True}})
    assert decide(strict, "2026-03-02T12:00:00+08:00", debtor=complaint).rules == ("hold_complaint",)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('confidence = "[S]"', 'confidence = "[X]"', r"confidence.*\[V\], \[S\], \[R\]"),
        ("max = 6", "max = 6\nmaximum = 7", r"attempts_per_number_day.*unexpected \['maximum'\]"),
        ("max = 6", "", r"attempts_per_number_day.*missing \['max'\]"),
        ("{count} 次未接通", "{cnt} 次未接通", r"attempts_per_number_day\.reason_zh.*cnt"),
        ('version = "2026.11.1"', "", r"version"),
        ("extends = []", 'extends = ["US-REGF"]', r"extends.*not supported"),
        ("[rules.do_not_contact]", "[rules.do_not_call]", r"do_not_call.*unknown rule"),
        ('end = "22:00"', 'end = "07:00"', r"start must be before end"),
        ("max = 6", "max = -1", r"expected an integer >= 0"),
        ('title = "', 'titel = "', r"unknown top-level keys"),
        ("[rules.quiet_hours]", "[rules.quiet_hours", r"not valid TOML"),
    ],
)
def test_broken_profile_files_fail_loudly(profile_dir, old, new, message):
    _edit(profile_dir / "CN.toml", old, new)
    with pytest.raises(ProfileError, match=message):
        load_profile("CN")
