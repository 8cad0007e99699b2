"""SMS and e-mail messages, the pure part: what a template may say, how a reply is read, when to retry.

No Django here. Placeholders reuse the script library's machinery (``workbench.scripts``): the same
brace syntax, the same check that a placeholder is a bare known name, the same filling, where a
figure the case lacks reads as a dash. Messages add the figures a written reminder needs and a
spoken script does not (the due date, the plan's next instalment, the official contact number).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from arrears.workbench import scripts
from arrears.workbench.scripts import ScriptError, fill, placeholders

__all__ = ["ScriptError", "fill", "placeholders"]

CHANNELS = ("sms", "email")
LANGUAGES = ("zh-hans", "en")
PURPOSES = ("demand", "notice")
PLACEHOLDERS = scripts.PLACEHOLDERS | frozenset(
    {
        "account_masked",  # 6222 **** **** 1234
        "due_date",  # the next date a payment is due: plan instalment, else promise
        "instalment_amount",
        "instalment_due",
        "promise_amount",
        "promise_due",
        "hotline",  # the creditor's official contact number
    }
)
# What a notice (purpose "notice") may name: who writes, to whom, about which account, and the plan's
# next instalment. A notice is what the guard lets through on a disputed debt or under a plan, so a
# figure of the debt itself (total, overdue days, a promise) would make it a demand in disguise.
NOTICE_PLACEHOLDERS = frozenset(
    {"debtor_name", "collector", "agency", "creditor", "account_tail", "account_masked", "hotline",
     "instalment_amount", "instalment_due"}
)  # fmt: skip
# A Chinese SMS of more than ~5 segments is split badly by handsets; a longer text belongs in a letter.
SMS_MAX_CHARS = 300
CODE = re.compile(r"^[a-z][a-z0-9_]{1,63}$")
# An amount typed into a template (rather than a placeholder) would not follow the ledger.
_TYPED_AMOUNT = re.compile(
    r"(?:[¥$€£￥]|rmb|cny|usd)\s*\d|\d[\d,]*(?:\.\d+)?\s*(?:元|块|rmb|cny|usd|dollars?|yuan)(?![a-z])"
    r"|(?<![\d.])\d{1,3}(?:,\d{3})+(?:\.\d{2})?|(?<![\d.])\d+\.\d{2}(?![\d.])",
    re.IGNORECASE,
)


def check(*, channel: str, code: str, language: str, purpose: str, subject: str, body: str) -> None:
    """Raise ScriptError (Chinese and English) when the template cannot be used as written."""
    if channel not in CHANNELS:
        raise ScriptError(f"未知的渠道 {channel}", f"unknown channel {channel}")
    if not CODE.match(code):
        raise ScriptError(
            "代码只能使用小写字母、数字和下划线，以字母开头（2–64 个字符）",
            "the code takes lower-case letters, digits and underscores, starting with a letter (2-64)",
        )
    if language not in LANGUAGES:
        raise ScriptError(f"未知的语言 {language}", f"unknown language {language}")
    if purpose not in PURPOSES:
        raise ScriptError(f"未知的目的 {purpose}", f"unknown purpose {purpose}")
    if not body.strip():
        raise ScriptError("正文不能为空", "the body is empty")
    if channel == "email" and not subject.strip():
        raise ScriptError("电子邮件需要主题", "an e-mail needs a subject")
    if channel == "sms" and subject.strip():
        raise ScriptError("短信没有主题，请清空主题", "an SMS has no subject; leave it empty")
    for where_zh, where_en, text in (("主题", "subject", subject), ("正文", "body", body)):
        unknown = placeholders(text) - PLACEHOLDERS
        if unknown:
            names = ", ".join(sorted(unknown))
            raise ScriptError(
                f"{where_zh}中有未知的占位符：{names}", f"unknown placeholders in the {where_en}: {names}"
            )
        typed = _TYPED_AMOUNT.search(unicodedata.normalize("NFKC", text))
        if typed:
            raise ScriptError(
                f"{where_zh}中直接写了金额“{typed.group()}”，金额只能用占位符（如 {{total}}）从台账取得",
                f'the {where_en} types an amount ("{typed.group()}"); amounts come from the ledger '
                "through placeholders such as {total}",
            )
    if purpose == "notice":
        debt = (placeholders(subject) | placeholders(body)) - NOTICE_PLACEHOLDERS
        if debt:
            names = ", ".join(sorted(debt))
            raise ScriptError(
                f"通知只能使用分期计划的金额和日期（instalment_amount、instalment_due），不能含欠款信息：{names}；"
                "要求还款的模板请选“还款提醒”",
                f"a notice may carry only the plan's instalment (instalment_amount, instalment_due), not the "
                f"debt's figures: {names}; a template that asks for payment is a reminder to pay",
            )
    if channel == "sms" and len(fill(body, sample_values())) > SMS_MAX_CHARS:
        raise ScriptError(
            f"短信填入内容后超过 {SMS_MAX_CHARS} 个字符，请缩短",
            f"the SMS is longer than {SMS_MAX_CHARS} characters once filled in; shorten it",
        )


def sample_values() -> dict[str, str]:
    """Figures of a plausible case, to screen and measure a template before any case uses it."""
    values = {name: "1,234.56" for name in PLACEHOLDERS}
    values.update(
        debtor_name="张伟", collector="王芳", agency="明理资产", creditor="东湖银行", account_tail="1234",
        account_masked="6222 **** **** 1234", dpd="45", overdue_since="2026-10-15", due_date="2026-12-05",
        instalment_due="2026-12-05", promise_due="2026-12-05", hotline="400-800-8000",
    )  # fmt: skip
    return values


def mask_account(number: str) -> str:
    """The first four and last four digits, the rest hidden (as on a card statement)."""
    digits = number.replace(" ", "")
    if len(digits) <= 8:
        return "****" + digits[-4:]
    return f"{digits[:4]} **** **** {digits[-4:]}"


# Opt-out replies: 退订 and TD are China's SMS convention, T its shortest form, STOP the US one.
OPT_OUT_WORDS = frozenset({"退订", "td", "t", "stop"})


def is_opt_out(text: str) -> bool:
    """Whether a reply asks to stop messages: one of the words alone, in any case, whatever spaces
    or punctuation surround it ("  td。", "Stop!", "【退订】"). A sentence that merely contains the word
    ("don't stop calling") is not an opt-out; a person reads those replies."""
    norm = unicodedata.normalize("NFKC", text).casefold()
    stripped = "".join(ch for ch in norm if not _ignorable(ch))
    return stripped in OPT_OUT_WORDS


def _ignorable(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch)[0] in "PSZC"


# Retries after a gateway failure: 1, 2, 4, 8 minutes, then give up (the message is failed and shown).
MAX_ATTEMPTS = 5


def backoff(attempts: int) -> dt.timedelta:
    """How long to wait before the next try, after ``attempts`` tries so far (1 or more)."""
    return dt.timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


def sms_text(*, signature: str, body: str, footer: str = "") -> str:
    """The text as it leaves: the registered sender name first, as Chinese carriers require (【…】)."""
    text = f"【{signature}】{body}" if signature else body
    return f"{text} {footer}" if footer else text
