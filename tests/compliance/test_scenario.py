"""Scenario files and ``arrears compliance-check``: parsing, errors that name the field, the command's
JSON and its exit status. No database: pytest-django refuses database access in these tests."""

from __future__ import annotations

import copy
import io
import json
from datetime import time

import pytest

from arrears.compliance.management.commands import compliance_check
from arrears.compliance.scenario import ScenarioError, load, parse

EXAMPLE = {
    "profile": "CN",
    "now": "2026-03-02T21:30:00+08:00",
    "debtor": {"timezone": "Asia/Shanghai", "states": [], "agreed_window": None},
    "contact": {
        "channel": "call",
        "party": "debtor",
        "target": "+8613800138000",
        "purpose": "demand",
        "content": None,
        "do_not_contact": False,
        "collectors": 1,
    },
    "history": [
        {
            "at": "2026-03-02T09:10:00+08:00",
            "channel": "call",
            "party": "debtor",
            "target": "+8613800138000",
            "outcome": "no_answer",
        }
    ],
}


def scenario(**changes: object) -> dict:
    """The example with dotted-path changes, e.g. ``scenario(**{"contact.party": "x"})``; a value of
    ``...`` deletes the key."""
    data = copy.deepcopy(EXAMPLE)
    for path, value in changes.items():
        *parents, last = path.split(".")
        node: object = data
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]  # type: ignore[index]
        if value is ...:
            del node[last]  # type: ignore[union-attr]
        elif isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value  # type: ignore[index]
    return data


def test_parse_the_example():
    profile, now, debtor, contact, history = parse(EXAMPLE)
    assert profile.name == "CN"
    assert now.isoformat() == "2026-03-02T21:30:00+08:00"
    assert debtor.timezone == "Asia/Shanghai" and debtor.states == frozenset()
    assert (contact.channel, contact.party, contact.purpose) == ("call", "debtor", "demand")
    assert contact.collectors == 1
    assert [(e.channel, e.outcome) for e in history] == [("call", "no_answer")]


def test_defaults():
    profile, _now, debtor, contact, history = parse(
        {
            "now": "2026-03-02T10:00:00+08:00",
            "contact": {"channel": "sms", "party": "debtor", "purpose": "notice"},
        }
    )
    assert profile.name == "CN"
    assert debtor.timezone == "Asia/Shanghai"
    assert contact.target is None and contact.content is None and not contact.time_barred
    assert history == []


def test_agreed_window_and_states():
    _, _, debtor, _, _ = parse(
        scenario(**{"debtor.agreed_window": ["09:00", "20:00"], "debtor.states": ["disputed", "plan_active"]})
    )
    assert debtor.agreed_window == (time(9), time(20))
    assert debtor.states == {"disputed", "plan_active"}


def test_unknown_contact_channel_is_not_a_scenario_error():
    _, _, _, contact, _ = parse(scenario(**{"contact.channel": "wechat_group"}))
    assert contact.channel == "wechat_group"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"now": ...}, "now"),
        ({"now": "2026-03-02T21:30:00"}, "now"),
        ({"now": "yesterday"}, "now"),
        ({"now": 1772458200}, "now"),
        ({"contact": ...}, "contact"),
        ({"surprise": 1}, "surprise"),
        ({"profile": "UK"}, "profile"),
        ({"profile": 7}, "profile"),
        ({"tighten": {"quiet_hours": {"end": "23:00"}}}, "tighten"),
        ({"tighten": ["quiet_hours"]}, "tighten"),
        ({"debtor": "Zhang San"}, "debtor"),
        ({"debtor.timezone": "Mars/Olympus"}, "debtor.timezone"),
        ({"debtor.timezone": ""}, "debtor.timezone"),
        ({"debtor.states": ["angry"]}, "debtor.states[0]"),
        ({"debtor.states": "disputed"}, "debtor.states"),
        ({"debtor.agreed_window": ["9am", "20:00"]}, "debtor.agreed_window[0]"),
        ({"debtor.agreed_window": ["09:00", "25:00"]}, "debtor.agreed_window[1]"),
        ({"debtor.agreed_window": ["09:00"]}, "debtor.agreed_window"),
        ({"debtor.agreed_window": ["09:00", "09:00"]}, "debtor.agreed_window"),
        ({"debtor.nickname": "x"}, "debtor.nickname"),
        ({"contact.party": ...}, "contact.party"),
        ({"contact.party": "neighbour"}, "contact.party"),
        ({"contact.purpose": "threaten"}, "contact.purpose"),
        ({"contact.channel": ...}, "contact.channel"),
        ({"contact.channel": ""}, "contact.channel"),
        ({"contact.channel": 5}, "contact.channel"),
        ({"contact.target": 13800138000}, "contact.target"),
        ({"contact.content": ["hello"]}, "contact.content"),
        ({"contact.collectors": "two"}, "contact.collectors"),
        ({"contact.collectors": -1}, "contact.collectors"),
        ({"contact.collectors": True}, "contact.collectors"),
        ({"contact.do_not_contact": "no"}, "contact.do_not_contact"),
        ({"contact.time_barred": 1}, "contact.time_barred"),
        ({"contact.extra": 1}, "contact.extra"),
        ({"history": {"at": "x"}}, "history"),
        ({"history.0": "call"}, "history[0]"),
        ({"history.0.outcome": "hung_up"}, "history[0].outcome"),
        ({"history.0.outcome": ...}, "history[0].outcome"),
        ({"history.0.at": "2026-03-02T09:10:00"}, "history[0].at"),
        ({"history.0.party": "boss"}, "history[0].party"),
        ({"history.0.channel": None}, "history[0].channel"),
        ({"history.0.note": "x"}, "history[0].note"),
    ],
)
def test_errors_name_the_field(changes, field):
    with pytest.raises(ScenarioError) as info:
        parse(scenario(**changes))
    error = info.value
    assert error.field == field
    assert str(error).startswith(f"{field}: ")
    assert error.message_zh and error.message_en
    assert any("\u4e00" <= ch <= "\u9fff" for ch in error.message_zh)


def test_not_an_object():
    with pytest.raises(ScenarioError) as info:
        parse([EXAMPLE])
    assert info.value.field == "(scenario)"


def test_later_history_errors_name_their_index():
    data = scenario()
    data["history"].append({**data["history"][0], "outcome": "ghosted"})
    with pytest.raises(ScenarioError) as info:
        parse(data)
    assert info.value.field == "history[1].outcome"


# --- the command ----------------------------------------------------------------------------------


def write(tmp_path, data: object, name: str = "scenario.json") -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_command_allows_the_example(tmp_path):
    status, text = compliance_check.run(write(tmp_path, EXAMPLE))
    assert status == 0
    assert json.loads(text) == {"allowed": True, "violations": [], "next_allowed_at": None}


def test_command_reports_refusals(tmp_path):
    data = scenario(now="2026-03-02T22:30:00+08:00", **{"contact.content": "老赖，快还钱"})
    status, text = compliance_check.run(write(tmp_path, data))
    assert status == 0
    result = json.loads(text)
    assert result["allowed"] is False
    assert [v["rule"] for v in result["violations"]] == ["quiet_hours", "prohibited_content"]
    assert all(" / " in v["reason"] for v in result["violations"])
    assert "老赖" in text  # printed as UTF-8, not \\u escapes
    assert result["next_allowed_at"] is None
    assert set(result) == {"allowed", "violations", "next_allowed_at"}


def test_command_next_allowed_at(tmp_path):
    status, text = compliance_check.run(write(tmp_path, scenario(now="2026-03-02T22:00:00+08:00")))
    assert status == 0
    assert json.loads(text)["next_allowed_at"] == "2026-03-03T08:00:00+08:00"


def test_command_refuses_a_public_channel(tmp_path):
    status, text = compliance_check.run(write(tmp_path, scenario(**{"contact.channel": "social_post"})))
    assert status == 0
    assert [v["rule"] for v in json.loads(text)["violations"]] == ["public_channel"]


@pytest.mark.parametrize(
    ("content", "field"),
    [
        (scenario(**{"contact.party": "neighbour"}), "contact.party"),
        (scenario(now="2026-03-02T21:30:00"), "now"),
        ("{not json", "FILE"),
        ("[]", "(scenario)"),
    ],
)
def test_command_exit_status_2_for_a_malformed_scenario(tmp_path, content, field):
    status, text = compliance_check.run(write(tmp_path, content))
    assert status == 2
    assert field in text
    assert "场景文件错误" in text and "invalid scenario" in text


def test_command_file_not_utf8(tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes(b'{"now": "\xff"}')
    status, text = compliance_check.run(str(path))
    assert status == 2
    assert "FILE" in text


def test_command_missing_file(tmp_path):
    status, text = compliance_check.run(str(tmp_path / "nope.json"))
    assert status == 2
    assert "FILE" in text


def test_command_human_summary(tmp_path):
    status, text = compliance_check.run(
        write(tmp_path, scenario(now="2026-03-02T22:00:00+08:00")), as_json=False
    )
    assert status == 0
    assert text.splitlines()[0].startswith("拒绝 / refused")
    assert "[quiet_hours]" in text
    assert "2026-03-03T08:00:00+08:00" in text


def test_handle_writes_stdout_and_exits_2_on_stderr(tmp_path):
    out, err = io.StringIO(), io.StringIO()
    command = compliance_check.Command(stdout=out, stderr=err)
    command.handle(file=write(tmp_path, EXAMPLE), json=True)
    assert json.loads(out.getvalue())["allowed"] is True
    assert err.getvalue() == ""

    out, err = io.StringIO(), io.StringIO()
    command = compliance_check.Command(stdout=out, stderr=err)
    with pytest.raises(SystemExit) as info:
        command.handle(file=write(tmp_path, scenario(**{"history.0.outcome": "x"})), json=True)
    assert info.value.code == 2
    assert "history[0].outcome" in err.getvalue()
    assert out.getvalue() == ""


def test_load_reads_a_file(tmp_path):
    profile, *_ = load(write(tmp_path, scenario(profile="US-REGF")))
    assert profile.name == "US-REGF"
