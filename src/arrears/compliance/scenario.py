"""Scenario files: one proposed contact and its facts, as JSON, turned into the guard's inputs.

Used by ``arrears compliance-check FILE`` and by compliance officers to test a profile::

    {"profile": "CN", "now": "2026-03-02T21:30:00+08:00",
     "debtor": {"timezone": "Asia/Shanghai", "states": [], "agreed_window": null},
     "contact": {"channel": "call", "party": "debtor", "target": "+8613800138000", "purpose": "demand",
                 "content": null, "do_not_contact": false, "collectors": 1, "time_barred": false},
     "history": [{"at": "2026-03-02T09:10:00+08:00", "channel": "call", "party": "debtor",
                  "target": "+8613800138000", "outcome": "no_answer"}]}

``profile`` (default CN), ``debtor`` (default: Asia/Shanghai, no states) and ``history`` (default
empty) may be left out, as may every contact field but channel, party and purpose; ``tighten`` may
carry a creditor's tightening of the profile. Every error is a :class:`ScenarioError` naming the field
(e.g. ``history[2].outcome``) in Chinese and English. An unknown *channel* is deliberately not an
error: it must reach the guard, which refuses it as a public or unknown channel.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime, time
from pathlib import Path
from typing import Any

from arrears.compliance.profiles import (
    OUTCOMES,
    PARTIES,
    PURPOSES,
    STATES,
    Profile,
    ProfileError,
    available_profiles,
    load_profile,
)
from arrears.compliance.rules import Contact, Debtor, Event, zone

_TOP = {"profile", "now", "debtor", "contact", "history", "tighten"}
_DEBTOR = {"timezone", "states", "agreed_window"}
_CONTACT = {"channel", "party", "target", "purpose", "content", "do_not_contact", "collectors", "time_barred"}
_EVENT = {"at", "channel", "party", "target", "outcome"}


class ScenarioError(ValueError):
    """A malformed scenario: which field, and what is wrong with it, in Chinese and English."""

    def __init__(self, field: str, message_zh: str, message_en: str) -> None:
        super().__init__(f"{field}: {message_zh} / {message_en}")
        self.field = field
        self.message_zh = message_zh
        self.message_en = message_en


def load(path: str | Path) -> tuple[Profile, datetime, Debtor, Contact, list[Event]]:
    """Read and parse a scenario file."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError("FILE", f"无法读取文件 {path}", f"cannot read {path}: {exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ScenarioError(
            "FILE", f"不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列）", f"not valid JSON: {exc}"
        ) from None
    return parse(data)


def parse(data: Any) -> tuple[Profile, datetime, Debtor, Contact, list[Event]]:
    """Validate a scenario (decoded JSON) and return (profile, now, debtor, contact, history)."""
    obj = _object(data, "(scenario)", _TOP, required={"now", "contact"})
    profile_name = _string(obj.get("profile", "CN"), "profile")
    tighten = obj.get("tighten")
    if tighten is not None and not isinstance(tighten, Mapping):
        raise ScenarioError("tighten", "应为对象", "must be an object mapping rule ids to parameters")
    if profile_name not in available_profiles():
        raise ScenarioError(
            "profile",
            f"未知的合规配置 {profile_name!r}",
            f"unknown profile {profile_name!r} (available: {', '.join(available_profiles())})",
        )
    try:
        profile = load_profile(profile_name, tighten=tighten)
    except ProfileError as exc:
        raise ScenarioError("tighten", "收紧配置无效", str(exc)) from None
    now = _instant(obj["now"], "now")
    debtor = _debtor(obj.get("debtor", {}))
    contact = _contact(obj["contact"])
    raw_history = obj.get("history", [])
    if not isinstance(raw_history, list):
        raise ScenarioError("history", "应为数组", "must be an array of events")
    history = [_event(item, f"history[{i}]") for i, item in enumerate(raw_history)]
    return profile, now, debtor, contact, history


def _object(value: Any, where: str, allowed: set[str], *, required: set[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ScenarioError(where, "应为 JSON 对象", "must be a JSON object")
    prefix = "" if where.startswith("(") else f"{where}."
    for key in value:
        if key not in allowed:
            raise ScenarioError(
                f"{prefix}{key}", "未知字段", f"unknown field (allowed: {', '.join(sorted(allowed))})"
            )
    for key in sorted(required):
        if key not in value:
            raise ScenarioError(f"{prefix}{key}", "缺少必填字段", "required field is missing")
    return value


def _string(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ScenarioError(where, "应为非空字符串", f"must be a non-empty string, got {value!r}")
    return value


def _optional_string(value: Any, where: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ScenarioError(where, "应为字符串或 null", f"must be a string or null, got {value!r}")
    return value


def _bool(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise ScenarioError(where, "应为 true 或 false", f"must be true or false, got {value!r}")
    return value


def _choice(value: Any, where: str, allowed: frozenset[str]) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise ScenarioError(
            where, f"取值无效：{value!r}", f"invalid value {value!r} (allowed: {', '.join(sorted(allowed))})"
        )
    return value


def _instant(value: Any, where: str) -> datetime:
    """An ISO 8601 date-time with an offset; a naive time is ambiguous and refused."""
    if not isinstance(value, str):
        raise ScenarioError(where, "应为 ISO 8601 时间字符串", f"must be an ISO 8601 string, got {value!r}")
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        raise ScenarioError(
            where, f"时间格式无效：{value!r}", f"not an ISO 8601 date-time: {value!r}"
        ) from None
    if at.tzinfo is None or at.utcoffset() is None:
        raise ScenarioError(
            where,
            "时间必须带时区偏移（如 +08:00）",
            f"the time must carry an offset such as +08:00: {value!r}",
        )
    return at


def _clock(value: Any, where: str) -> time:
    if isinstance(value, str):
        try:
            parsed = time.fromisoformat(value)
        except ValueError:
            parsed = None
        if parsed is not None and parsed.tzinfo is None:
            return parsed
    raise ScenarioError(where, f"应为 HH:MM 格式的时间：{value!r}", f"must be a time HH:MM, got {value!r}")


def _debtor(value: Any) -> Debtor:
    obj = _object(value, "debtor", _DEBTOR, required=set())
    tz = _string(obj.get("timezone", "Asia/Shanghai"), "debtor.timezone")
    try:
        zone(tz)
    except ValueError:
        raise ScenarioError("debtor.timezone", f"未知时区：{tz!r}", f"unknown time zone {tz!r}") from None
    states = obj.get("states", [])
    if not isinstance(states, list):
        raise ScenarioError("debtor.states", "应为数组", "must be an array of states")
    parsed_states = frozenset(_choice(s, f"debtor.states[{i}]", STATES) for i, s in enumerate(states))
    window = obj.get("agreed_window")
    agreed: tuple[time, time] | None = None
    if window is not None:
        if not isinstance(window, list) or len(window) != 2:
            raise ScenarioError(
                "debtor.agreed_window", "应为 null 或 [开始, 结束]", 'must be null or ["HH:MM", "HH:MM"]'
            )
        agreed = (_clock(window[0], "debtor.agreed_window[0]"), _clock(window[1], "debtor.agreed_window[1]"))
        if agreed[0] == agreed[1]:
            raise ScenarioError("debtor.agreed_window", "开始与结束不能相同", "start and end must differ")
    return Debtor(timezone=tz, states=parsed_states, agreed_window=agreed)


def _contact(value: Any) -> Contact:
    obj = _object(value, "contact", _CONTACT, required={"channel", "party", "purpose"})
    collectors = obj.get("collectors", 1)
    if isinstance(collectors, bool) or not isinstance(collectors, int) or collectors < 0:
        raise ScenarioError(
            "contact.collectors", "应为非负整数", f"must be an integer >= 0, got {collectors!r}"
        )
    return Contact(
        channel=_string(obj["channel"], "contact.channel"),  # any channel: the guard judges it
        party=_choice(obj["party"], "contact.party", PARTIES),
        target=_optional_string(obj.get("target"), "contact.target"),
        purpose=_choice(obj["purpose"], "contact.purpose", PURPOSES),
        content=_optional_string(obj.get("content"), "contact.content"),
        do_not_contact=_bool(obj.get("do_not_contact", False), "contact.do_not_contact"),
        collectors=collectors,
        time_barred=_bool(obj.get("time_barred", False), "contact.time_barred"),
    )


def _event(value: Any, where: str) -> Event:
    obj = _object(value, where, _EVENT, required={"at", "channel", "party", "outcome"})
    return Event(
        at=_instant(obj["at"], f"{where}.at"),
        # A past event on an unknown channel is not an error: no cap counts it.
        channel=_string(obj["channel"], f"{where}.channel"),
        party=_choice(obj["party"], f"{where}.party", PARTIES),
        target=_optional_string(obj.get("target"), f"{where}.target"),
        outcome=_choice(obj["outcome"], f"{where}.outcome", OUTCOMES),
    )
