"""Content screening: prohibited phrases by category, evasions that must not work, lawful wording that
must pass, time-barred debts, and the same screening inside a decision."""

from __future__ import annotations

import pytest

from arrears.compliance.content import CATEGORY_LABELS, find_prohibited, normalize
from arrears.compliance.guard import Debtor, load_profile, screen_text
from arrears.compliance.profiles import PHRASE_CATEGORIES
from tests.compliance import decide

CN = load_profile("CN")
US = load_profile("US-REGF")


@pytest.mark.parametrize(
    ("text", "category", "matched"),
    [
        ("再不还钱就弄死你", "threat", "弄死"),
        ("小心我打断你的腿", "threat", "打断你的腿"),
        ("不还钱让你好看", "threat", "让你好看"),
        ("你这个老赖", "insult", "老赖"),
        ("你真不要脸", "insult", "不要脸"),
        ("你就是个骗子", "insult", "骗子"),
        ("我们是法院的，请配合", "impersonation", "法院"),
        ("公安已经介入", "impersonation", "公安"),
        ("你会被拘留", "impersonation", "拘留"),
        ("已经立案侦查", "impersonation", "立案侦查"),
        ("明天给你寄传票", "impersonation", "传票"),
        ("再不还我们就曝光你", "exposure", "曝光"),
        ("我们会打给你通讯录里所有人", "exposure", "通讯录"),
        ("我们会发到朋友圈", "exposure", "发到朋友圈"),
        ("我们会告诉您的家人", "exposure", "告诉你的家人"),
        ("我们会告诉你的同事", "exposure", "告诉你的同事"),
        ("把你的照片贴出去", "exposure", "贴出去"),
        ("已将你列入黑名单", "blacklist", "黑名单"),
        ("你已经上了失信名单", "blacklist", "失信名单"),
        ("你可以以贷养贷", "borrowing", "以贷养贷"),
        ("去找网贷借一笔", "borrowing", "找网贷"),
        ("用信用卡套现还上", "borrowing", "信用卡套现"),
    ],
)
def test_cn_prohibited_phrases_by_category(text, category, matched):
    found = find_prohibited(text, CN)
    assert (category, matched) in found
    violations = screen_text(text, profile=CN)
    assert [v.rule for v in violations] == ["prohibited_content"]
    assert violations[0].matched == matched
    assert matched in violations[0].reason_zh
    assert CATEGORY_LABELS[category][1] in violations[0].reason_en


@pytest.mark.parametrize(
    ("text", "category", "matched"),
    [
        ("We will kill you", "threat", "kill you"),
        ("You deadbeat", "insult", "deadbeat"),
        ("The police will come to your house", "impersonation", "police"),
        ("You could be arrested", "impersonation", "arrested"),
        ("We will tell your employer", "exposure", "tell your employer"),
        ("We will add you to our blacklist", "blacklist", "blacklist"),
        ("Get a payday loan and pay us", "borrowing", "payday loan"),
    ],
)
def test_us_prohibited_phrases_by_category(text, category, matched):
    assert find_prohibited(text, US) == [(category, matched)]


@pytest.mark.parametrize(
    "text",
    [
        "老 赖",  # spaces between Chinese characters
        "老\u3000赖",  # ideographic space
        "老\u200b赖",  # zero-width space
        "曝 光 你",
        "ＤＥＡＤＢＥＡＴ",  # full-width
        "DeadBeat",
    ],
)
def test_evasions_do_not_work(text):
    assert screen_text(text, profile=CN), text


def test_all_matches_are_reported_first_one_is_matched():
    (violation,) = screen_text("老赖，再不还就曝光你，发到朋友圈", profile=CN)
    assert violation.matched == "老赖"
    for phrase in ("老赖", "曝光", "发到朋友圈"):
        assert phrase in violation.reason_zh
        assert phrase in violation.reason_en


LAWFUL_CN = [
    "您好，这里是东湖银行信用卡中心，您的账户已逾期，请尽快还款，如有疑问请致电客服。",
    "如您对账单有异议，可以提出并提供证据。",
    "逾期信息可能按规定报送征信系统。",
    "我们可能依法通过诉讼途径解决",
    "您的个性化分期本期应还 1,200.00 元，还款日为 3 月 15 日。",
    "如需协商还款计划，请致电 95555。",
    "感谢您的配合，祝您生活愉快。",
]


@pytest.mark.parametrize("text", LAWFUL_CN)
@pytest.mark.parametrize("party", ["debtor", "guarantor"])
def test_lawful_cn_wording_passes(text, party):
    assert screen_text(text, profile=CN, party=party) == ()


@pytest.mark.parametrize(
    "text",
    [
        "This is an attempt to collect a debt by a debt collector.",
        "Please resolve this issue; we will pursue a payment plan with you.",
        "We may report the account to a consumer reporting agency.",
        "We may file a lawsuit if the account is not resolved.",
    ],
)
def test_lawful_us_wording_passes(text):
    assert screen_text(text, profile=US) == ()


@pytest.mark.parametrize(
    ("profile", "text", "matched"),
    [
        (CN, "我们可能依法通过诉讼途径解决", "诉讼"),
        (CN, "我们将起诉你", "起诉"),
        (US, "We may sue you", "sue"),
        (US, "We will be suing you", "suing"),
        (US, "We may file a lawsuit if the account is not resolved.", "lawsuit"),
        (US, "We may take legal action", "legal action"),
    ],
)
def test_suit_threats_on_time_barred_debts(profile, text, matched):
    assert screen_text(text, profile=profile, time_barred=False) == ()
    (violation,) = screen_text(text, profile=profile, time_barred=True)
    assert violation.rule == "prohibited_content"
    assert violation.matched == matched


def test_court_is_refused_even_when_the_debt_is_not_time_barred():
    assert screen_text("法院会强制执行", profile=CN)[0].matched == "法院"


def test_screen_text_for_a_contact_also_checks_disclosure():
    rules = [v.rule for v in screen_text("老赖欠款不还", profile=CN, party="contact")]
    assert rules == ["prohibited_content", "third_party_disclosure"]
    assert screen_text("请转告他回电", profile=CN, party="contact") == ()


def test_screen_text_rejects_an_unknown_party():
    with pytest.raises(ValueError, match="unknown party"):
        screen_text("你好", profile=CN, party="neighbour")


def test_normalize():
    assert normalize("您 好 ＡＢＣ １２３ ￥") == "你好 abc 123 ¥"


def test_every_category_has_labels_and_phrases_in_cn():
    assert set(CATEGORY_LABELS) == set(PHRASE_CATEGORIES)
    assert all(CN.phrases.get(category) for category in PHRASE_CATEGORIES)


# --- inside a decision ----------------------------------------------------------------------------


def test_prohibited_content_refuses_a_contact():
    refused = decide(CN, "2026-03-02T12:00:00+08:00", channel="sms", content="你这个老赖，马上还钱")
    assert refused.rules == ("prohibited_content",)
    assert refused.violations[0].matched == "老赖"
    assert refused.next_allowed_at is None


def test_time_barred_flag_on_the_contact():
    text = "如不处理，我们可能依法通过诉讼途径解决"
    assert decide(CN, "2026-03-02T12:00:00+08:00", channel="letter", content=text).allowed
    refused = decide(CN, "2026-03-02T12:00:00+08:00", channel="letter", content=text, time_barred=True)
    assert refused.rules == ("prohibited_content",)


def test_lawful_reminder_passes_the_guard():
    assert decide(CN, "2026-03-02T12:00:00+08:00", channel="sms", content=LAWFUL_CN[0]).allowed
    ny = Debtor(timezone="America/New_York")
    text = "This is an attempt to collect a debt. Please call us."
    assert decide(US, "2026-03-02T12:00:00-05:00", debtor=ny, channel="email", content=text).allowed


def test_a_message_to_a_contact_naming_the_bank_card_or_loan_is_refused():
    from arrears.compliance.content import screen_text
    from arrears.compliance.profiles import load_profile

    cn = ("CN", "请他联系招商银行处理信用卡账单和贷款的事")
    cases = (cn, ("US-REGF", "Please ask him about his credit card."))
    for code, text in cases:
        found = screen_text(text, profile=load_profile(code), party="contact")
        assert [v.rule for v in found] == ["third_party_disclosure"], (code, found)
