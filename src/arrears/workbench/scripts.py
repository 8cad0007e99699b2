"""Scripts (话术): choosing the one that fits the case and the moment, and filling in its figures (pure).

A script is chosen by stage, debtor type and the objection the collector picks; the most specific
match wins (an objection beats a debtor type beats a stage, and "any" matches everything). Figures
come in only through placeholders filled from the ledger, so a script never carries a typed amount.
The starter library ships with arrears as ``starter_scripts.toml``; an organisation's own versions
replace a starter script with the same key.
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from arrears.workbench.keyfacts import STAGES

DEBTOR_TYPES = ("willing_unable", "forgetful", "evasive", "unwilling")
OBJECTIONS = (
    "no_money", "not_me", "already_paid", "complaint", "wants_plan", "cannot_reach", "too_high",
    "busy_now", "hardship_illness",
)  # fmt: skip
PLACEHOLDERS = frozenset(
    {"debtor_name", "collector", "agency", "creditor", "account_tail", "total", "principal", "interest",
     "late_fee", "other_fees", "dpd", "overdue_since"}
)  # fmt: skip
STARTER = Path(__file__).with_name("starter_scripts.toml")


class ScriptError(ValueError):
    """A script that cannot be used as written; ``zh`` and ``en`` say why."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh, self.en = zh, en


@dataclass(frozen=True, slots=True)
class Script:
    key: str
    stage: str  # "any" or one of STAGES
    debtor_type: str  # "any" or one of DEBTOR_TYPES
    objection: str  # "" or one of OBJECTIONS
    party: str  # "debtor" or "contact"
    title_zh: str
    title_en: str
    body_zh: str
    body_en: str

    def title(self, language: str) -> str:
        return self.title_en if language == "en" else self.title_zh

    def body(self, language: str) -> str:
        return self.body_en if language == "en" else self.body_zh


def placeholders(text: str) -> set[str]:
    """The placeholder names used in ``text``; raises ScriptError for a malformed brace. A field is
    a bare name: no attribute, index, conversion or format (``{total:>10}``, ``{name.x}``)."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise ScriptError(f"花括号不成对：{exc}", f"unbalanced braces: {exc}") from None
    fields = [(name, spec, conversion) for _, name, spec, conversion in parsed if name is not None]
    for name, spec, conversion in fields:
        if spec or conversion or not name.isidentifier():
            raise ScriptError(f"占位符只能是名称：{{{name}}}", f"a placeholder is a bare name: {{{name}}}")
    return {name for name, _spec, _conversion in fields}


def check(script: Script) -> None:
    """Raise ScriptError when the script's classification or placeholders are not usable."""
    if script.stage not in ("any", *STAGES):
        raise ScriptError(f"未知的阶段 {script.stage}", f"unknown stage {script.stage}")
    if script.debtor_type not in ("any", *DEBTOR_TYPES):
        raise ScriptError(
            f"未知的债务人类型 {script.debtor_type}", f"unknown debtor type {script.debtor_type}"
        )
    if script.objection not in ("", *OBJECTIONS):
        raise ScriptError(f"未知的异议 {script.objection}", f"unknown objection {script.objection}")
    for text in (script.body_zh, script.body_en, script.title_zh, script.title_en):
        unknown = placeholders(text) - PLACEHOLDERS
        if unknown:
            names = "、".join(sorted(unknown))
            raise ScriptError(f"未知的占位符：{names}", f"unknown placeholders: {', '.join(sorted(unknown))}")
        if script.party == "contact" and placeholders(text):
            # A contact (联系人) may only be asked to pass on a message: no case figures at all.
            raise ScriptError(
                "对联系人的话术不得包含案件信息占位符", "a script for a contact may not use case placeholders"
            )


def _score(script: Script, *, stage: str, debtor_type: str, objection: str, party: str) -> int | None:
    """How specifically ``script`` fits, or None when it does not fit at all."""
    if script.party != party or script.objection != objection:
        return None
    score = 4 if objection else 0
    if script.debtor_type == debtor_type:
        score += 2
    elif script.debtor_type != "any":
        return None
    if script.stage == stage:
        score += 1
    elif script.stage != "any":
        return None
    return score


def pick(
    scripts: Iterable[Script], *, stage: str, debtor_type: str = "", objection: str = "",
    party: str = "debtor",
) -> list[Script]:  # fmt: skip
    """The scripts that fit, best first (ties keep the library's order)."""
    scored = [
        (score, -i, s)
        for i, s in enumerate(scripts)
        if (score := _score(s, stage=stage, debtor_type=debtor_type, objection=objection, party=party))
        is not None
    ]
    return [s for _, _, s in sorted(scored, key=lambda t: (t[0], t[1]), reverse=True)]


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "—"


def fill(text: str, values: Mapping[str, str]) -> str:
    """The script text with the case's figures; a figure the case lacks reads as a dash."""
    return text.format_map(_Blank(values))


@cache
def starter() -> tuple[Script, ...]:
    """The library shipped with arrears."""
    with STARTER.open("rb") as fh:
        data = tomllib.load(fh)
    return tuple(Script(**entry) for entry in data["script"])
