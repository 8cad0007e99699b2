"""``arrears interest-calc FILE --json``: the published examples end to end, and malformed scenarios
rejected with exit status 2 and a message naming the field in Chinese and English."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from arrears.money import scenario
from arrears.money.management.commands.interest_calc import Command, run

PUBLISHED = {
    "daily_rate": "0.0005",
    "statement_day_included": True,
    "compound": False,
    "transactions": [{"date": "2024-03-30", "amount": "1000.00"}],
    "repayments": [{"date": "2024-04-23", "amount": "100.00"}],
    "statement_date": "2024-05-05",
}


def write(tmp_path: Path, data: object, name: str = "scenario.json") -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


def test_the_issue_example_prints_exactly_the_published_output(tmp_path: Path) -> None:
    status, text = run(write(tmp_path, PUBLISHED))
    assert status == 0
    assert json.loads(text) == {
        "interest": "17.85",
        "lines": [
            {"amount": "1000.00", "from": "2024-03-30", "to": "2024-04-22", "days": 24, "interest": "12.00"},
            {"amount": "900.00", "from": "2024-04-23", "to": "2024-05-05", "days": 13, "interest": "5.85"},
        ],
    }


@pytest.mark.parametrize(
    ("changes", "interest"),
    [
        ({}, "17.85"),
        ({"statement_day_included": False}, "17.40"),
        (
            {"repayments": [{"date": "2024-05-01", "amount": "100.00"}], "statement_date": "2024-05-10"},
            "20.50",
        ),
        # Defaults: 0.05%/day, statement day included, not compounded.
        ({"daily_rate": None, "statement_day_included": None, "compound": None}, "17.85"),
        # Compounding over the 4/5 statement (worked out in test_interest.py): 3.50 + 8.53 + 5.87.
        ({"compound": True, "previous_statements": ["2024-04-05"]}, "17.90"),
    ],
)
def test_published_examples_through_the_command(tmp_path: Path, changes: dict, interest: str) -> None:
    data = {k: v for k, v in {**PUBLISHED, **changes}.items() if v is not None}
    status, out = run(write(tmp_path, data))
    assert status == 0, out
    assert json.loads(out)["interest"] == interest


def test_numbers_are_read_as_decimal_not_float(tmp_path: Path) -> None:
    # As a float 0.0007 is 0.000699999…, which would make 50 × 0.0007 × 1 = 0.0349999… → 0.03;
    # read as Decimal it is exactly 0.035 → 0.04 (half up).
    text = '{"daily_rate": 0.0007, "transactions": [{"date": "2024-04-01", "amount": 50.00}], '
    text += '"statement_date": "2024-04-01"}'
    status, out = run(write(tmp_path, text))
    assert status == 0, out
    assert json.loads(out)["lines"] == [
        {"amount": "50.00", "from": "2024-04-01", "to": "2024-04-01", "days": 1, "interest": "0.04"}
    ]


def test_capitalised_interest_is_reported_when_compounding(tmp_path: Path) -> None:
    status, out = run(write(tmp_path, {**PUBLISHED, "compound": True, "previous_statements": ["2024-04-05"]}))
    assert status == 0
    result = json.loads(out)
    assert result["capitalised"] == [{"statement_date": "2024-04-05", "amount": "3.50"}]
    assert [line["amount"] for line in result["lines"]] == ["1000.00", "1003.50", "903.50"]


def test_text_output(tmp_path: Path) -> None:
    status, out = run(write(tmp_path, PUBLISHED), as_json=False)
    assert status == 0
    assert out.splitlines() == [
        "利息 interest: 17.85",
        "  1000.00 × 24 天 days (2024-03-30 – 2024-04-22) = 12.00",
        "  900.00 × 13 天 days (2024-04-23 – 2024-05-05) = 5.85",
    ]


BAD = [
    # (scenario or raw text, field named, words of the English message)
    ({k: v for k, v in PUBLISHED.items() if k != "statement_date"}, "statement_date", "required"),
    ({k: v for k, v in PUBLISHED.items() if k != "transactions"}, "transactions", "required"),
    ({**PUBLISHED, "statment_date": "2024-05-05"}, "statment_date", "unknown field"),
    ({**PUBLISHED, "statement_date": "2024/05/05"}, "statement_date", "YYYY-MM-DD"),
    ({**PUBLISHED, "statement_date": "2024-02-30"}, "statement_date", "no such date"),
    ({**PUBLISHED, "statement_date": 20240505}, "statement_date", "YYYY-MM-DD"),
    ({**PUBLISHED, "daily_rate": "abc"}, "daily_rate", "not a valid number"),
    ({**PUBLISHED, "daily_rate": "-0.0005"}, "daily_rate", "negative"),
    ({**PUBLISHED, "daily_rate": "0.05"}, "daily_rate", "fraction"),
    ({**PUBLISHED, "daily_rate": True}, "daily_rate", "number"),
    ({**PUBLISHED, "statement_day_included": "yes"}, "statement_day_included", "true or false"),
    ({**PUBLISHED, "compound": 1}, "compound", "true or false"),
    ({**PUBLISHED, "day_count": "30/360"}, "day_count", "actual"),
    ({**PUBLISHED, "transactions": []}, "transactions", "at least one"),
    ({**PUBLISHED, "transactions": {"date": "2024-03-30"}}, "transactions", "list"),
    ({**PUBLISHED, "transactions": ["1000"]}, "transactions[0]", "object"),
    ({**PUBLISHED, "transactions": [{"date": "2024-03-30"}]}, "transactions[0].amount", "required"),
    ({**PUBLISHED, "transactions": [{"amount": "1.00"}]}, "transactions[0].date", "required"),
    (
        {**PUBLISHED, "transactions": [{"date": "2024-03-30", "amount": "1.00", "memo": "x"}]},
        "transactions[0].memo",
        "unknown field",
    ),
    (
        {**PUBLISHED, "transactions": [{"date": "2024-03-30", "amount": "1,000.00"}]},
        "transactions[0].amount",
        "valid",
    ),
    (
        {**PUBLISHED, "transactions": [{"date": "2024-03-30", "amount": "1000.005"}]},
        "transactions[0].amount",
        "two",
    ),
    (
        {**PUBLISHED, "transactions": [{"date": "2024-03-30", "amount": "0"}]},
        "transactions[0].amount",
        "greater",
    ),
    (
        {**PUBLISHED, "transactions": [{"date": "2024-03-30", "amount": "NaN"}]},
        "transactions[0].amount",
        "valid",
    ),
    (
        {**PUBLISHED, "transactions": [{"date": "2024-03-30", "amount": None}]},
        "transactions[0].amount",
        "number",
    ),
    ({**PUBLISHED, "repayments": [{"date": "2024-05-06", "amount": "1.00"}]}, "repayments[0].date", "after"),
    (
        {
            **PUBLISHED,
            "repayments": [{"date": "2024-04-01", "amount": "1.00"}, {"date": "2024-04-31", "amount": "1"}],
        },
        "repayments[1].date",
        "no such date",
    ),
    ({**PUBLISHED, "previous_statements": "2024-04-05"}, "previous_statements", "list"),
    ({**PUBLISHED, "previous_statements": ["2024-05-05"]}, "previous_statements[0]", "before"),
    ({**PUBLISHED, "previous_statements": ["2024-04-05", "2024-04-05"]}, "previous_statements[1]", "twice"),
    ([PUBLISHED], "$", "JSON object"),
    ('{"daily_rate": "0.0005",', "$", "not valid JSON"),
    ('{"daily_rate": NaN}', "$", "NaN"),
    ('{"statement_date": "2024-05-05", "statement_date": "2024-05-06"}', "statement_date", "twice"),
]


@pytest.mark.parametrize(("data", "field", "words"), BAD, ids=[f"{i}-{row[1]}" for i, row in enumerate(BAD)])
def test_malformed_scenarios_name_the_field(tmp_path: Path, data: object, field: str, words: str) -> None:
    status, out = run(write(tmp_path, data))
    assert status == 2
    error = json.loads(out)["error"]
    assert error["field"] == field
    assert words in error["message_en"]
    assert error["message_zh"] and not error["message_zh"].isascii()  # a Chinese message too

    status, text = run(write(tmp_path, data), as_json=False)
    assert status == 2
    assert text.startswith(f"字段 {field}：") and f"/ field {field}: " in text


def test_missing_file(tmp_path: Path) -> None:
    status, out = run(str(tmp_path / "nope.json"))
    assert status == 2
    assert json.loads(out)["error"]["field"] == "FILE"


def test_handle_prints_json(tmp_path: Path) -> None:
    out = io.StringIO()
    call_command(Command(), write(tmp_path, PUBLISHED), json=True, stdout=out)
    assert json.loads(out.getvalue())["interest"] == "17.85"


def test_handle_fails_with_status_2(tmp_path: Path) -> None:
    out = io.StringIO()
    path = write(tmp_path, {**PUBLISHED, "daily_rate": "x"})
    with pytest.raises(CommandError) as raised:
        call_command(Command(), path, json=True, stdout=out)
    assert raised.value.returncode == 2
    assert json.loads(out.getvalue())["error"]["field"] == "daily_rate"
    with pytest.raises(CommandError, match="field daily_rate"):
        call_command(Command(), path, stdout=io.StringIO())


def test_parse_gives_a_scenario_with_defaults() -> None:
    parsed = scenario.parse(
        {"transactions": [{"date": "2024-03-30", "amount": "1000.00"}], "statement_date": "2024-05-05"}
    )
    assert parsed.daily_rate == Decimal("0.0005")
    assert parsed.statement_day_included is True
    assert parsed.compound is False
    assert parsed.repayments == ()
    assert parsed.previous_statements == ()
    assert parsed.day_count == "actual"
    # 1000 × 0.0005 × 37 (3/30–5/5) = 18.50
    assert parsed.compute().interest == Decimal("18.50")
