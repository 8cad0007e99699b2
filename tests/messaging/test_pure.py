"""The pure core of messaging: template checks, opt-out words, back-off; and the starter templates."""

from __future__ import annotations

import datetime as dt

import pytest

from arrears.compliance.guard import load_profile, screen_text
from arrears.messaging import core
from arrears.messaging.selectors import starter


def check(body: str, channel: str = "sms", subject: str = "") -> None:
    core.check(
        channel=channel, code="x_reminder", language="zh-hans", purpose="demand", subject=subject, body=body
    )


def test_an_unknown_placeholder_is_named():
    with pytest.raises(core.ScriptError) as info:
        check("您好{debtor_name}，请还款{amount_owed}")
    assert "amount_owed" in info.value.zh and "unknown placeholders in the body" in info.value.en


@pytest.mark.parametrize(
    "typed", ["请还款5000元", "请还 ¥ 300", "total 1,234.56", "please pay 99.50", "还100块"]
)
def test_a_typed_amount_is_refused(typed):
    with pytest.raises(core.ScriptError) as info:
        check(typed + " {total}")
    assert "ledger" in info.value.en


@pytest.mark.parametrize(
    "fine", ["逾期{dpd}天，应还{total}元", "请于2026-03-05前还款{total}元，电话400-800-8000"]
)
def test_placeholders_dates_and_phone_numbers_are_not_typed_amounts(fine):
    check(fine)


def test_subjects_belong_to_emails_only():
    with pytest.raises(core.ScriptError):
        check("{total}", channel="email")
    with pytest.raises(core.ScriptError):
        check("{total}", subject="提醒")
    check("{total}", channel="email", subject="{creditor}还款提醒")


def test_an_sms_too_long_once_filled_is_refused():
    with pytest.raises(core.ScriptError):
        check("{debtor_name}" + "请还款。" * 80)


@pytest.mark.parametrize(
    "reply", ["退订", "TD", " td ", "T", "t。", "STOP", "Stop!!", "stop.", "【退订】", "ＴＤ"]
)
def test_opt_out_words(reply):
    assert core.is_opt_out(reply)


@pytest.mark.parametrize("reply", ["", "好的", "don't stop", "TDD", "明天还", "退订吗？我想问问", "test"])
def test_other_replies_are_not_opt_outs(reply):
    assert not core.is_opt_out(reply)


def test_back_off_doubles_up_to_an_hour():
    assert [core.backoff(n) for n in (1, 2, 3, 4)] == [dt.timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert core.backoff(20) == dt.timedelta(hours=1)


def test_account_masking():
    assert core.mask_account("6222000012345678") == "6222 **** **** 5678"


@pytest.mark.parametrize("template", starter(), ids=lambda t: f"{t.channel}-{t.code}-{t.language}")
def test_every_starter_template_is_usable_and_lawful_under_every_profile(template):
    core.check(
        channel=template.channel, code=template.code, language=template.language, purpose=template.purpose,
        subject=template.subject, body=template.body,
    )  # fmt: skip
    for profile in ("CN", "US-REGF"):
        for text in (template.subject, template.body):
            assert screen_text(core.fill(text, core.sample_values()), profile=load_profile(profile)) == ()
    assert "{hotline}" in template.body  # how to reach the creditor, in every message


def test_the_strategy_templates_exist_in_both_languages():
    shipped = {(t.channel, t.code, t.language) for t in starter()}
    for code in ("early_reminder", "promise_reminder"):  # named by batch/default_strategies.toml
        assert {("sms", code, "zh-hans"), ("sms", code, "en")} <= shipped


def test_a_notice_names_only_the_plans_instalment():
    def notice(body: str) -> None:
        core.check(
            channel="sms", code="x_notice", language="zh-hans", purpose="notice", subject="", body=body
        )

    notice("{debtor_name}您好，下一期{instalment_amount}元于{instalment_due}到期，电话{hotline}")
    with pytest.raises(core.ScriptError) as info:
        notice("{debtor_name}您好，已逾期{dpd}天，电话{hotline}")
    assert "dpd" in info.value.en and "instalment_amount" in info.value.zh
