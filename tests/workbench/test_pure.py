"""The workbench's pure cores: the next follow-up, the stage and warnings, the script picker."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from arrears.compliance.guard import load_profile, screen_text
from arrears.workbench import keyfacts, nextstep, scripts

SH = ZoneInfo("Asia/Shanghai")
WINDOW = nextstep.Window(dt.time(8), dt.time(22))


def local(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=SH)


# -- next follow-up --------------------------------------------------------------------------------


def test_a_promise_is_checked_mid_morning_the_day_after_its_date():
    at = nextstep.suggest(
        outcome="right_party", result="promise", now=local(2026, 11, 29, 15), window=WINDOW,
        promise_due=dt.date(2026, 12, 5),
    )  # fmt: skip
    assert at == local(2026, 12, 6, 10)


def test_no_answer_is_retried_in_three_hours():
    at = nextstep.suggest(outcome="no_answer", result="", now=local(2026, 11, 29, 10, 15), window=WINDOW)
    assert at == local(2026, 11, 29, 13, 15)


def test_a_retry_that_would_fall_late_in_the_evening_moves_to_the_next_morning():
    # 19:30 + 3 h = 22:30, past the window (and the last hour before its end is kept free).
    at = nextstep.suggest(outcome="no_answer", result="", now=local(2026, 11, 29, 19, 30), window=WINDOW)
    assert at == local(2026, 11, 30, 8)


def test_a_call_back_time_is_kept_but_never_outside_the_window():
    def call_back(asked: dt.datetime) -> dt.datetime:
        now = local(2026, 11, 29, 11)
        return nextstep.suggest(
            outcome="right_party", result="call_back", now=now, window=WINDOW, call_back_at=asked
        )

    assert call_back(local(2026, 11, 30, 6, 30)) == local(2026, 11, 30, 8)
    assert call_back(local(2026, 11, 30, 14, 45)) == local(2026, 11, 30, 14, 45)


def test_a_dead_number_waits_for_tomorrow_and_a_dispute_for_a_week():
    now = local(2026, 11, 29, 11)
    assert nextstep.suggest(outcome="not_exist", result="", now=now, window=WINDOW) == local(2026, 11, 30, 11)
    assert nextstep.suggest(outcome="right_party", result="dispute", now=now, window=WINDOW) == local(
        2026, 12, 6, 11
    )


@given(
    outcome=st.sampled_from(["no_answer", "busy", "rejected", "switched_off", "not_exist", "right_party"]),
    result=st.sampled_from(["", "refuses", "hardship", "claims_paid", "dispute", "plan_request"]),
    minutes=st.integers(min_value=0, max_value=60 * 24 * 3),
)
def test_every_suggestion_is_later_and_inside_the_window(outcome, result, minutes):
    now = local(2026, 11, 29) + dt.timedelta(minutes=minutes)
    at = nextstep.suggest(outcome=outcome, result=result, now=now, window=WINDOW)
    assert at > now
    assert dt.time(8) <= at.time() <= dt.time(21)


# -- stage and warnings ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dpd", "reached", "stage"),
    [(1, False, "first_reminder"), (30, False, "first_reminder"), (30, True, "m1"), (31, False, "m2_m3"),
     (90, True, "m2_m3"), (91, True, "m4_plus"), (180, True, "m4_plus"), (181, False, "pre_legal")],
)  # fmt: skip
def test_stage_follows_days_past_due(dpd, reached, stage):
    assert keyfacts.stage_for(dpd, reached_before=reached) == stage


def test_warnings_name_what_needs_care_first():
    today = dt.date(2026, 11, 29)
    quiet = keyfacts.CaseFacts(
        today=today, return_on=dt.date(2027, 3, 1), last_attempt_on=today, last_reached_on=today,
        valid_numbers=1, numbers=1,
    )  # fmt: skip
    assert keyfacts.warnings(quiet) == []
    loud = keyfacts.CaseFacts(
        today=today, return_on=dt.date(2026, 12, 3), broken_promises=2, last_attempt_on=dt.date(2026, 11, 1),
        last_reached_on=dt.date(2026, 10, 30), complaint_threat=True, open_dispute=True, open_claim=True,
        qa_flagged=True, valid_numbers=0, numbers=2,
    )  # fmt: skip
    assert keyfacts.warnings(loud) == [
        "complaint_threat", "dispute_open", "promises_broken", "return_soon_unreached", "lost_contact",
        "no_recent_attempt", "payment_claim_open", "qa_flagged",
    ]  # fmt: skip


def test_a_reach_this_month_silences_the_return_date_warning():
    facts = keyfacts.CaseFacts(
        today=dt.date(2026, 11, 29), return_on=dt.date(2026, 12, 2), last_attempt_on=dt.date(2026, 11, 28),
        last_reached_on=dt.date(2026, 11, 2), valid_numbers=1, numbers=1,
    )  # fmt: skip
    assert "return_soon_unreached" not in keyfacts.warnings(facts)


# -- scripts ---------------------------------------------------------------------------------------


def _script(key: str, **kw: str) -> scripts.Script:
    base = dict(stage="any", debtor_type="any", objection="", party="debtor", title_zh=key, title_en=key,
                body_zh="您好", body_en="Hello")  # fmt: skip
    return scripts.Script(key=key, **{**base, **kw})


def test_the_most_specific_script_wins():
    library = [
        _script("general"),
        _script("m1", stage="m1"),
        _script("forgetful", debtor_type="forgetful"),
        _script("no-money", objection="no_money"),
        _script("no-money-evasive", objection="no_money", debtor_type="evasive"),
        _script("m4", stage="m4_plus"),
    ]
    keys = lambda found: [s.key for s in found]  # noqa: E731
    assert keys(scripts.pick(library, stage="m1")) == ["m1", "general"]
    assert keys(scripts.pick(library, stage="m1", debtor_type="forgetful")) == ["forgetful", "m1", "general"]
    assert keys(scripts.pick(library, stage="m1", debtor_type="evasive", objection="no_money")) == [
        "no-money-evasive", "no-money",
    ]  # fmt: skip
    assert keys(scripts.pick(library, stage="m1", objection="no_money", party="contact")) == []


def test_filling_uses_the_figures_and_marks_what_is_missing():
    text = "{debtor_name}您好，欠款合计¥{total}，逾期{dpd}天。"
    filled = scripts.fill(text, {"debtor_name": "王浩", "total": "1,234.50"})
    assert filled == "王浩您好，欠款合计¥1,234.50，逾期—天。"


def test_unknown_placeholders_and_case_figures_for_contacts_are_refused():
    with pytest.raises(scripts.ScriptError, match="balance"):
        scripts.check(_script("x", body_zh="您的{balance}"))
    with pytest.raises(scripts.ScriptError, match="contact"):
        scripts.check(_script("x", party="contact", body_zh="请转告{debtor_name}回电"))
    with pytest.raises(scripts.ScriptError, match="brace"):
        scripts.check(_script("x", body_en="Hello {name"))
    with pytest.raises(scripts.ScriptError, match="bare name"):
        scripts.check(_script("x", title_zh="{debtor_name.__class__}"))
    with pytest.raises(scripts.ScriptError, match="brace"):
        scripts.check(_script("x", title_zh="标题{"))


@pytest.mark.parametrize("script", scripts.starter(), ids=lambda s: s.key)
def test_every_starter_script_is_usable_and_lawful(script):
    """The shipped library passes its own checks and both profiles' content rules, in both languages."""
    scripts.check(script)
    figures = {name: "1,234.56" for name in scripts.PLACEHOLDERS}
    for code in ("CN", "US-REGF"):
        for text in (script.body_zh, script.body_en, script.title_zh, script.title_en):
            filled = scripts.fill(text, figures)
            assert screen_text(filled, profile=load_profile(code), party=script.party) == ()


def test_the_starter_library_covers_every_stage_type_and_objection():
    library = scripts.starter()
    assert {s.stage for s in library} >= set(keyfacts.STAGES)
    assert {s.debtor_type for s in library} >= set(scripts.DEBTOR_TYPES)
    assert {s.objection for s in library} - {""} == set(scripts.OBJECTIONS)
    assert len({s.key for s in library}) == len(library)
