"""Compliance profiles: the parameters of the rules, read from the TOML data files beside this module.

A profile (``CN.toml``, ``US-REGF.toml``) says which rules apply and with which numbers (windows, caps,
phrase lists), and records for each rule its legal source and a confidence tag ([V] verbatim text,
[S] secondary source, [R] recollection) plus the reason shown when the rule refuses a contact.

The profile files live inside this package (rather than beside a ``profiles.py`` module) so that the
project's package-data rule ships them with the code.

A creditor may *tighten* a profile, never loosen it: ``load_profile("CN", tighten={"quiet_hours":
{"end": "21:00"}})``. Every tightenable parameter has a direction (a later start, an earlier end, a
lower cap, more phrases, a hold turned on); anything else raises :class:`ProfileError`.

Pure Python: no Django import here or anywhere in the guard.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Any

# The vocabulary of the guard's inputs. The strings are part of the product's interface.
CHANNELS = frozenset({"call", "ai_call", "sms", "email", "letter", "visit"})
VOICE_CHANNELS = frozenset({"call", "ai_call"})
PHONE_CHANNELS = frozenset({"call", "ai_call", "sms"})
PARTIES = frozenset({"debtor", "guarantor", "contact", "attorney"})
PURPOSES = frozenset({"demand", "locate", "notice"})
STATES = frozenset(
    {
        "disputed",
        "complaint_open",
        "plan_active",
        "plan_broken",
        "cease_requested",
        "deceased",
        "incapacitated",
        "attorney_represented",
        "lost_contact",
    }
)
OUTCOMES = frozenset(
    {"no_answer", "failed", "invalid_number", "answered", "conversation", "refused_contact", "pending"}
)
# An attempt whose outcome is not recorded yet counts against every cap, as unanswered for the
# per-number cap and as a conversation for the conversation caps, and proves nothing about whether
# the debtor can be reached (so it never makes a debtor "lost").
PENDING = "pending"
UNANSWERED = frozenset({"no_answer", "failed", "invalid_number"})

# Every rule id, in the order decisions report them.
RULE_IDS: tuple[str, ...] = (
    "public_channel",
    "do_not_contact",
    "quiet_hours",
    "attempts_per_number_day",
    "conversations_per_debtor_day",
    "calls_7_in_7",
    "post_conversation_lockout",
    "third_party_lost_contact",
    "third_party_purpose",
    "third_party_disclosure",
    "hold_dispute",
    "hold_complaint",
    "hold_plan",
    "hold_cease",
    "hold_deceased",
    "attorney_represented",
    "visit_min_collectors",
    "prohibited_content",
)
# Rules a later time can satisfy; only when every violation is one of these is there a next allowed time.
TIME_RULES = frozenset(
    {
        "quiet_hours",
        "attempts_per_number_day",
        "conversations_per_debtor_day",
        "calls_7_in_7",
        "post_conversation_lockout",
    }
)
CONFIDENCE_TAGS = frozenset({"[V]", "[S]", "[R]"})
PHRASE_CATEGORIES: tuple[str, ...] = (
    "threat",
    "insult",
    "impersonation",
    "exposure",
    "blacklist",
    "borrowing",
    "time_barred_suit",
)

# Per rule: each parameter's type and the direction in which a creditor may move it.
#   later/earlier (times), lower/higher (ints), on/off (bools), subset (a list that may only shrink),
#   add (a list, or the phrase table, to which the creditor's entries are added, never replacing any).
_PARAMS: dict[str, dict[str, tuple[str, str]]] = {
    "quiet_hours": {
        "start": ("time", "later"),
        "end": ("time", "earlier"),
        "channels": ("strings", "add"),
        "agreed_window_overrides": ("bool", "off"),
    },
    "attempts_per_number_day": {"max": ("count", "lower")},
    "conversations_per_debtor_day": {"max": ("count", "lower")},
    "calls_7_in_7": {"max": ("count", "lower"), "window_days": ("positive", "higher")},
    "post_conversation_lockout": {"days": ("positive", "higher")},
    "third_party_lost_contact": {
        "consecutive_failures": ("positive", "higher"),
        "states": ("strings", "subset"),
    },
    "third_party_disclosure": {"words": ("strings", "add")},
    "hold_complaint": {"complaint_pauses_demands": ("bool", "on")},
    "visit_min_collectors": {"min": ("positive", "higher")},
    "prohibited_content": {"phrases": ("phrases", "add")},
}
_META = ("source", "confidence", "reason_zh", "reason_en")

# The fields each rule's reason template may use (checked when a profile loads, so a typo in a data
# file fails at start-up rather than at the first refusal).
REASON_FIELDS: dict[str, tuple[str, ...]] = {
    "quiet_hours": ("local", "start", "end"),
    "attempts_per_number_day": ("target", "count", "max"),
    "conversations_per_debtor_day": ("count", "max"),
    "calls_7_in_7": ("count", "max", "window_days"),
    "post_conversation_lockout": ("conversation", "days"),
    "third_party_purpose": ("purpose",),
    "third_party_disclosure": ("matched",),
    "hold_cease": ("purpose",),
    "visit_min_collectors": ("min", "collectors"),
    "prohibited_content": ("matches",),
    "public_channel": ("channel",),
}

_DIR = Path(__file__).resolve().parent


class ProfileError(ValueError):
    """A profile file is invalid, a profile is unknown, or a tightening would loosen a rule."""


@dataclass(frozen=True)
class Violation:
    """One rule that refused a contact (or flagged a text), with the reason in Chinese and English."""

    rule: str
    reason_zh: str
    reason_en: str
    matched: str | None = None  # the offending phrase or amount, for content rules

    @property
    def reason(self) -> str:
        return f"{self.reason_zh} / {self.reason_en}"


@dataclass(frozen=True)
class Bilingual:
    """A reason field whose text differs by language (e.g. a list of phrase categories)."""

    zh: str
    en: str


@dataclass(frozen=True)
class RuleInfo:
    """A rule as the profile records it: where it comes from, how sure we are, and how it explains itself."""

    id: str
    source: str
    confidence: str
    reason_zh: str
    reason_en: str

    def violation(self, *, matched: str | None = None, **fields: Any) -> Violation:
        """The violation of this rule, its reason templates filled from ``fields`` (and ``matched``)."""
        fields.setdefault("matched", matched)
        zh = {k: (v.zh if isinstance(v, Bilingual) else v) for k, v in fields.items()}
        en = {k: (v.en if isinstance(v, Bilingual) else v) for k, v in fields.items()}
        return Violation(
            rule=self.id,
            reason_zh=self.reason_zh.format_map(zh),
            reason_en=self.reason_en.format_map(en),
            matched=matched,
        )


@dataclass(frozen=True, eq=False)
class Profile:
    """A loaded, validated compliance profile. Immutable and cached; compared by identity.

    Parameters of a rule the profile does not have keep neutral values and are never read: the guard
    only runs the rules in :attr:`rules`.
    """

    name: str
    version: str
    title: str
    rules: Mapping[str, RuleInfo]
    quiet_start: time = time(8)
    quiet_end: time = time(22)
    quiet_channels: frozenset[str] = frozenset()
    agreed_window_overrides: bool = False
    attempts_per_number_day: int = 0
    conversations_per_debtor_day: int = 0
    calls_max: int = 0
    calls_window: timedelta = timedelta(days=7)
    lockout: timedelta = timedelta(days=7)
    lost_contact_failures: int = 3
    lost_contact_states: frozenset[str] = frozenset()
    complaint_pauses_demands: bool = False
    visit_min_collectors: int = 2
    disclosure_words: tuple[str, ...] = ()
    phrases: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    tightening: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    def has(self, rule: str) -> bool:
        return rule in self.rules


def available_profiles() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in _DIR.glob("*.toml")))


_CACHE: dict[tuple[str, str], Profile] = {}


def load_profile(name: str = "CN", *, tighten: Mapping[str, Any] | None = None) -> Profile:
    """Load a profile by name ("CN" or "US-REGF"), optionally tightened by a creditor; cached."""
    canonical = _canonical(tighten) if tighten else ""
    key = (name, canonical)
    cached = _CACHE.get(key)
    if cached is not None:
        return cached
    raw = _read(name)
    if tighten:
        raw = _apply_tightening(raw, tighten, name)
    # The profile keeps its own copy of the tightening (for the audit trail), not the caller's object.
    recorded = json.loads(canonical) if tighten else {}
    profile = _build(raw, tightening=recorded, suffix=_digest(canonical) if tighten else "")
    _CACHE[key] = profile
    return profile


def _canonical(tighten: Mapping[str, Any]) -> str:
    def default(o: Any) -> Any:
        if isinstance(o, (set, frozenset)):
            return sorted(o)
        if isinstance(o, time):
            return o.strftime("%H:%M")
        raise ProfileError(
            f"收紧配置含有无法识别的值 {o!r} / the tightening holds a value of unsupported type: {o!r}"
        )

    try:
        return json.dumps(tighten, sort_keys=True, default=default, ensure_ascii=False)
    except TypeError as exc:  # e.g. non-string keys that cannot be sorted
        raise ProfileError(f"收紧配置格式错误 / malformed tightening: {exc}") from None


def _digest(canonical: str) -> str:
    return hashlib.sha256(canonical.encode()).hexdigest()[:8]


def _read(name: str) -> dict[str, Any]:
    if not isinstance(name, str) or name not in available_profiles():
        raise ProfileError(
            f"未知的合规配置 {name!r}（可用：{', '.join(available_profiles())}） / unknown compliance "
            f"profile {name!r} (available: {', '.join(available_profiles())})"
        )
    path = _DIR / f"{name}.toml"
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise _fail(path.name, "合规配置文件格式错误", f"not valid TOML: {exc}") from None


def _fail(where: str, zh: str, en: str) -> ProfileError:
    return ProfileError(f"{where}: {zh} / {en}")


def _parse_time(value: Any, where: str) -> time:
    if isinstance(value, time):
        return value.replace(tzinfo=None)
    if isinstance(value, str):
        try:
            return time.fromisoformat(value)
        except ValueError:
            pass
    raise _fail(where, f"时间格式应为 HH:MM，实际为 {value!r}", f"expected a time HH:MM, got {value!r}")


def _check_value(kind: str, value: Any, where: str) -> Any:
    """Validate one parameter value and return it in its typed form."""
    if kind == "time":
        return _parse_time(value, where)
    if kind == "bool":
        if not isinstance(value, bool):
            raise _fail(where, f"应为 true 或 false：{value!r}", f"expected true or false, got {value!r}")
        return value
    if kind in ("count", "positive"):
        least = 0 if kind == "count" else 1
        if isinstance(value, bool) or not isinstance(value, int) or value < least:
            raise _fail(
                where, f"应为不小于 {least} 的整数：{value!r}", f"expected an integer >= {least}: {value!r}"
            )
        return value
    if kind == "strings":
        if not isinstance(value, (list, tuple, set, frozenset)) or not all(
            isinstance(v, str) and v.strip() for v in value
        ):
            raise _fail(where, "应为非空字符串列表", f"expected a list of non-empty strings, got {value!r}")
        return tuple(value)
    if kind == "phrases":
        if not isinstance(value, Mapping):
            raise _fail(where, "应为 类别 = [短语] 的表", f"expected a table category = [phrases]: {value!r}")
        out: dict[str, tuple[str, ...]] = {}
        for category, phrases in value.items():
            if category not in PHRASE_CATEGORIES:
                raise _fail(
                    f"{where}.{category}",
                    f"未知的禁用语类别（可用：{', '.join(PHRASE_CATEGORIES)}）",
                    f"unknown phrase category (known: {', '.join(PHRASE_CATEGORIES)})",
                )
            out[category] = _check_value("strings", phrases, f"{where}.{category}")
        return out
    raise AssertionError(kind)  # pragma: no cover - _PARAMS only uses the kinds above


def _apply_tightening(raw: dict[str, Any], tighten: Mapping[str, Any], name: str) -> dict[str, Any]:
    """Merge a creditor's tightening into a profile's raw data, refusing anything that loosens it."""
    if not isinstance(tighten, Mapping):
        raise _fail("tighten", "收紧配置应为 规则 → 参数 的映射", "a tightening maps rule ids to parameters")
    rules = {rule: dict(table) for rule, table in raw.get("rules", {}).items()}
    for rule, changes in tighten.items():
        where = f"tighten.{rule}"
        if rule not in RULE_IDS:
            raise _fail(where, "未知的规则", "unknown rule id")
        if rule not in rules:
            raise _fail(
                where,
                f"配置 {name} 没有这条规则；收紧只能调整配置已有的规则",
                f"profile {name} has no such rule; a tightening can only adjust the profile's own rules",
            )
        if not isinstance(changes, Mapping):
            raise _fail(where, "应为 参数 → 值 的映射", "expected a mapping of parameter -> value")
        spec = _PARAMS.get(rule, {})
        for key, value in changes.items():
            pwhere = f"{where}.{key}"
            if key not in spec:
                raise _fail(
                    pwhere,
                    f"这个参数不能收紧（可收紧：{', '.join(spec) or '无'}）",
                    f"this parameter cannot be tightened (tightenable: {', '.join(spec) or 'none'})",
                )
            kind, direction = spec[key]
            old = _check_value(kind, rules[rule][key], f"{name}.{rule}.{key}")
            new = _check_value(kind, value, pwhere)
            rules[rule][key] = _tightened(pwhere, direction, old, new)
    out = dict(raw)
    out["rules"] = rules
    return out


def _tightened(where: str, direction: str, old: Any, new: Any) -> Any:
    """Return the merged value, or raise if moving from ``old`` to ``new`` loosens the rule."""
    loosens = {
        "later": lambda: new < old,
        "earlier": lambda: new > old,
        "lower": lambda: new > old,
        "higher": lambda: new < old,
        "subset": lambda: not set(new) <= set(old),
        "off": lambda: new and not old,
        "on": lambda: old and not new,
        "add": lambda: False,  # entries are added to the profile's, never replace them
    }[direction]()
    if loosens:
        hint = {
            "later": ("只能推迟", "may only move later"),
            "earlier": ("只能提前", "may only move earlier"),
            "lower": ("只能降低", "may only be lowered"),
            "higher": ("只能提高", "may only be raised"),
            "subset": ("只能减少，不能增加", "may only lose entries, never gain them"),
            "off": ("只能关闭", "may only be turned off"),
            "on": ("只能开启", "may only be turned on"),
        }[direction]
        shown_old = old.strftime("%H:%M") if isinstance(old, time) else old
        shown_new = new.strftime("%H:%M") if isinstance(new, time) else new
        raise _fail(
            where,
            f"收紧配置不能放宽规则：该参数{hint[0]}（{shown_old} → {shown_new}）",
            f"a tightening may not loosen a rule: this parameter {hint[1]} ({shown_old} -> {shown_new})",
        )
    if direction == "add" and not isinstance(old, Mapping):
        return tuple(dict.fromkeys((*old, *new)))
    if direction == "add":
        merged = {cat: list(phrases) for cat, phrases in old.items()}
        for cat, phrases in new.items():
            merged[cat] = list(dict.fromkeys((*merged.get(cat, ()), *phrases)))
        return merged
    if isinstance(new, time):
        return new.strftime("%H:%M:%S")
    return new


def _build(raw: Mapping[str, Any], *, tightening: Mapping[str, Any], suffix: str) -> Profile:
    """Validate a profile's raw data and turn it into a :class:`Profile`."""
    name = raw.get("profile")
    where = str(name or "profile")
    unknown = set(raw) - {"profile", "version", "extends", "title", "rules"}
    if unknown:
        raise _fail(where, f"未知的顶层字段 {sorted(unknown)}", f"unknown top-level keys {sorted(unknown)}")
    if not isinstance(name, str) or not isinstance(raw.get("version"), str):
        raise _fail(where, "缺少 profile 或 version", "the file needs string keys profile and version")
    if raw.get("extends", []):
        # Profiles are flat for now; an overlay (e.g. a US state) would merge here, strictest value winning.
        raise _fail(f"{name}.extends", "暂不支持继承其他配置", "extending a profile is not supported yet")
    rules_raw = raw.get("rules")
    if not isinstance(rules_raw, Mapping) or not rules_raw:
        raise _fail(f"{name}.rules", "配置没有任何规则", "the profile defines no rules")

    infos: dict[str, RuleInfo] = {}
    params: dict[str, dict[str, Any]] = {}
    for rule, table in rules_raw.items():
        rwhere = f"{name}.rules.{rule}"
        if rule not in RULE_IDS:
            raise _fail(rwhere, "未知的规则", "unknown rule id")
        spec = _PARAMS.get(rule, {})
        extra = set(table) - set(spec) - set(_META)
        missing = (set(spec) | set(_META)) - set(table)
        if extra or missing:
            raise _fail(
                rwhere,
                f"字段不符：多余 {sorted(extra)}，缺少 {sorted(missing)}",
                f"keys do not match: unexpected {sorted(extra)}, missing {sorted(missing)}",
            )
        if table["confidence"] not in CONFIDENCE_TAGS:
            raise _fail(f"{rwhere}.confidence", "应为 [V]、[S] 或 [R]", "must be one of [V], [S], [R]")
        sample = dict.fromkeys(REASON_FIELDS.get(rule, ()), "x")
        for lang in ("reason_zh", "reason_en"):
            try:
                table[lang].format_map(sample)
            except (KeyError, IndexError, ValueError) as exc:
                raise _fail(f"{rwhere}.{lang}", f"模板字段错误 {exc}", f"bad template field {exc}") from None
        infos[rule] = RuleInfo(rule, *(str(table[k]) for k in _META))
        params[rule] = {k: _check_value(kind, table[k], f"{rwhere}.{k}") for k, (kind, _) in spec.items()}

    kwargs: dict[str, Any] = {}
    if "quiet_hours" in params:
        qh = params["quiet_hours"]
        if not qh["start"] < qh["end"]:
            raise _fail(f"{name}.rules.quiet_hours", "开始时间必须早于结束时间", "start must be before end")
        unknown_channels = set(qh["channels"]) - CHANNELS
        if unknown_channels:
            raise _fail(f"{name}.rules.quiet_hours.channels", "未知渠道", f"unknown: {unknown_channels}")
        kwargs.update(
            quiet_start=qh["start"],
            quiet_end=qh["end"],
            quiet_channels=frozenset(qh["channels"]),
            agreed_window_overrides=qh["agreed_window_overrides"],
        )
    if "attempts_per_number_day" in params:
        kwargs["attempts_per_number_day"] = params["attempts_per_number_day"]["max"]
    if "conversations_per_debtor_day" in params:
        kwargs["conversations_per_debtor_day"] = params["conversations_per_debtor_day"]["max"]
    if "calls_7_in_7" in params:
        kwargs["calls_max"] = params["calls_7_in_7"]["max"]
        kwargs["calls_window"] = timedelta(days=params["calls_7_in_7"]["window_days"])
    if "post_conversation_lockout" in params:
        kwargs["lockout"] = timedelta(days=params["post_conversation_lockout"]["days"])
    if "third_party_lost_contact" in params:
        states = frozenset(params["third_party_lost_contact"]["states"])
        if not states <= STATES:
            where = f"{name}.rules.third_party_lost_contact.states"
            raise _fail(where, "未知状态", f"unknown states {sorted(states - STATES)}")
        kwargs["lost_contact_failures"] = params["third_party_lost_contact"]["consecutive_failures"]
        kwargs["lost_contact_states"] = states
    if "hold_complaint" in params:
        kwargs["complaint_pauses_demands"] = params["hold_complaint"]["complaint_pauses_demands"]
    if "visit_min_collectors" in params:
        kwargs["visit_min_collectors"] = params["visit_min_collectors"]["min"]
    if "third_party_disclosure" in params:
        kwargs["disclosure_words"] = params["third_party_disclosure"]["words"]
    if "prohibited_content" in params:
        kwargs["phrases"] = MappingProxyType(dict(params["prohibited_content"]["phrases"]))

    ordered = {rule: infos[rule] for rule in RULE_IDS if rule in infos}
    return Profile(
        name=name,
        # A tightened profile gets its own version, so a recorded decision says exactly what was applied.
        version=f"{raw['version']}+t{suffix}" if suffix else raw["version"],
        title=str(raw.get("title", name)),
        rules=MappingProxyType(ordered),
        tightening=MappingProxyType(dict(tightening)),
        **kwargs,
    )
