"""Text screening: prohibited phrases in any message, and debt disclosure in messages to third parties.

Used by the guard for the content of a proposed contact, and on its own (:func:`screen_text`) for
templates when they are saved, collectors' notes when they are written and scripts (话术).

Matching is deliberately simple and predictable, because a compliance officer must be able to read a
phrase list and know what it blocks:

- text and phrases are NFKC-normalised (full-width letters, digits and ￥ become their plain forms) and
  case-folded; 您 is read as 你, so the polite form does not slip past a phrase;
- spaces (and zero-width characters) between Chinese characters are ignored, so "老 赖" is "老赖";
- an English phrase matches whole words only ("sue" is not found in "issue") and also its plain
  inflections (s, es, d, ed, ing), so "owe" finds "owed" and "debt" finds "debts".

The compiled patterns are cached per profile (profiles are themselves cached and immutable).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from arrears.compliance.profiles import PARTIES, PHRASE_CATEGORIES, Bilingual, Profile, Violation

# How each phrase category is named in a reason.
CATEGORY_LABELS: dict[str, tuple[str, str]] = {
    "threat": ("威胁恐吓", "threat"),
    "insult": ("侮辱谩骂", "insult"),
    "impersonation": ("冒充司法或行政机关", "impersonating a court, the police or another authority"),
    "exposure": ("曝光或向他人泄露的威胁", "threat to expose the debtor or tell others"),
    "blacklist": ("虚假黑名单", "fake blacklist"),
    "borrowing": ("诱导借贷还款", "pressure to borrow to pay"),
    "time_barred_suit": ("对已过诉讼时效的债务威胁诉讼", "threat of suit on a time-barred debt"),
}

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_ZERO_WIDTH = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad]")
_CJK_GAP = re.compile(f"(?<=[{_CJK}])\\s+(?=[{_CJK}])")
_WORD_CHAR = re.compile(r"[a-z0-9]")

# Amounts. Any digits next to a currency word or sign, amounts written in Chinese numerals with 元, and
# decimal money figures (1,234.56 or 99.50). Dates such as 2026.03.02 are not money: the decimal
# pattern requires exactly two decimals not followed by another dot or digit.
_MONEY = (
    r"(?:[¥$€£]|rmb|cny|usd)\s*\d(?:[\d,]*\d)?(?:\.\d+)?"
    r"|\d(?:[\d,]*\d)?(?:\.\d+)?\s*(?:万元|元|块钱|块|rmb|cny|usd|dollars?|yuan)(?![a-z])"
    r"|[〇零一二两三四五六七八九十百千万亿]+(?:元|块钱)"
    r"|(?<![\d.,])\d{1,3}(?:,\d{3})+(?:\.\d{2})?(?![\d.])"
    r"|(?<![\d.,])\d+\.\d{2}(?![\d.])"
)


def normalize(text: str) -> str:
    """The form of a text that phrases are matched against."""
    text = unicodedata.normalize("NFKC", text).casefold().replace("您", "你")
    text = _ZERO_WIDTH.sub("", text)
    return _CJK_GAP.sub("", text)


def _phrase_pattern(phrase: str) -> str:
    norm = normalize(phrase).strip()
    body = r"\s+".join(re.escape(part) for part in norm.split())
    if _WORD_CHAR.match(norm[0]):
        body = r"(?<![a-z0-9])" + body
    if norm[-1].isascii() and norm[-1].isalpha():
        body += r"(?:s|es|d|ed|ing)?(?![a-z0-9])"
    elif _WORD_CHAR.match(norm[-1]):
        body += r"(?![a-z0-9])"
    return body


def _alternation(phrases: tuple[str, ...] | list[str]) -> str:
    # Longest first, so the fuller phrase is the one reported.
    unique = sorted(set(phrases), key=lambda p: (-len(p), p))
    return "|".join(_phrase_pattern(p) for p in unique if p.strip())


@lru_cache(maxsize=128)
def _prohibited_pattern(profile: Profile, time_barred: bool) -> re.Pattern[str] | None:
    groups = []
    for category in PHRASE_CATEGORIES:
        if category == "time_barred_suit" and not time_barred:
            continue
        phrases = profile.phrases.get(category, ())
        if phrases:
            groups.append(f"(?P<{category}>{_alternation(phrases)})")
    return re.compile("|".join(groups)) if groups else None


@lru_cache(maxsize=128)
def _disclosure_pattern(profile: Profile) -> re.Pattern[str]:
    words = _alternation(profile.disclosure_words)
    return re.compile(f"{_MONEY}|{words}" if words else _MONEY)


def find_prohibited(text: str, profile: Profile, *, time_barred: bool = False) -> list[tuple[str, str]]:
    """Every prohibited phrase in ``text`` as (category, matched text), in order of appearance."""
    pattern = _prohibited_pattern(profile, time_barred)
    if pattern is None or not text:
        return []
    found: list[tuple[str, str]] = []
    for match in pattern.finditer(normalize(text)):
        hit = (match.lastgroup or "", match.group())
        if hit not in found:
            found.append(hit)
    return found


def find_disclosure(text: str, profile: Profile) -> str | None:
    """The first amount or debt word in ``text`` (normalised), or None."""
    if not text:
        return None
    match = _disclosure_pattern(profile).search(normalize(text))
    return match.group() if match else None


def prohibited_violation(text: str | None, profile: Profile, *, time_barred: bool) -> Violation | None:
    """The ``prohibited_content`` violation for ``text``; ``matched`` is the first phrase found."""
    if not text or not profile.has("prohibited_content"):
        return None
    found = find_prohibited(text, profile, time_barred=time_barred)
    if not found:
        return None
    zh = "、".join(f"“{hit}”（{CATEGORY_LABELS[cat][0]}）" for cat, hit in found)
    en = ", ".join(f'"{hit}" ({CATEGORY_LABELS[cat][1]})' for cat, hit in found)
    return profile.rules["prohibited_content"].violation(matched=found[0][1], matches=Bilingual(zh, en))


def disclosure_violation(text: str | None, profile: Profile) -> Violation | None:
    """The ``third_party_disclosure`` violation for a text meant for a contact, or None."""
    if not text or not profile.has("third_party_disclosure"):
        return None
    matched = find_disclosure(text, profile)
    if matched is None:
        return None
    return profile.rules["third_party_disclosure"].violation(matched=matched)


def screen_text(
    text: str, *, profile: Profile, party: str = "debtor", time_barred: bool = False
) -> tuple[Violation, ...]:
    """Screen a template, note or script meant for ``party``: prohibited phrases, and for a contact
    (联系人) also any disclosure of the debt. An empty result means the text may be used."""
    if party not in PARTIES:
        raise ValueError(f"未知的联系对象 {party!r} / unknown party {party!r}")
    found: list[Violation] = []
    prohibited = prohibited_violation(text, profile, time_barred=time_barred)
    if prohibited is not None:
        found.append(prohibited)
    if party == "contact":
        disclosed = disclosure_violation(text, profile)
        if disclosed is not None:
            found.append(disclosed)
    return tuple(found)
