"""The interest-calc scenario: parse its JSON with errors that name the field, compute, render JSON.

A scenario looks like::

    {"daily_rate": "0.0005", "statement_day_included": true, "compound": false,
     "transactions": [{"date": "2024-03-30", "amount": "1000.00"}],
     "repayments": [{"date": "2024-04-23", "amount": "100.00"}],
     "statement_date": "2024-05-05"}

``transactions`` and ``statement_date`` are required. The rest default to a product's usual values:
``daily_rate`` "0.0005", ``statement_day_included`` true, ``compound`` false, ``repayments`` [],
``previous_statements`` [] (earlier statement dates at which compounding capitalises interest) and
``day_count`` "actual" (the only convention supported: calendar days). Amounts and rates may be JSON
strings or numbers; numbers are read as Decimal, never float. Unknown fields are refused, so a typo
such as ``statment_date`` is reported instead of silently falling back to a default.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from arrears.core.money import CENT
from arrears.money.interest import DEFAULT_DAILY_RATE, InterestResult, Movement, card_interest

# A daily rate of 1% is 365% a year: anything that high is a percentage typed as a fraction
# (0.05 meaning 0.05%), so it is refused rather than producing an absurd figure.
MAX_DAILY_RATE = Decimal("0.01")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_FIELDS = frozenset(
    {
        "daily_rate",
        "statement_day_included",
        "compound",
        "transactions",
        "repayments",
        "statement_date",
        "previous_statements",
        "day_count",
    }
)


class ScenarioError(ValueError):
    """The scenario cannot be used; ``field`` is where (e.g. ``transactions[0].date``), in both languages."""

    def __init__(self, field: str, message_zh: str, message_en: str) -> None:
        super().__init__(f"{field}: {message_en}")
        self.field = field
        self.message_zh = message_zh
        self.message_en = message_en

    @property
    def reason(self) -> str:
        return f"字段 {self.field}：{self.message_zh} / field {self.field}: {self.message_en}"

    def as_json(self) -> dict[str, str]:
        return {"field": self.field, "message_zh": self.message_zh, "message_en": self.message_en}


@dataclass(frozen=True, slots=True)
class Scenario:
    """A parsed, valid interest-calc scenario."""

    transactions: tuple[Movement, ...]
    statement_date: date
    repayments: tuple[Movement, ...] = ()
    daily_rate: Decimal = DEFAULT_DAILY_RATE
    statement_day_included: bool = True
    compound: bool = False
    previous_statements: tuple[date, ...] = ()
    day_count: str = "actual"

    def compute(self) -> InterestResult:
        return card_interest(
            transactions=self.transactions,
            repayments=self.repayments,
            statement_date=self.statement_date,
            daily_rate=self.daily_rate,
            statement_day_included=self.statement_day_included,
            compound=self.compound,
            previous_statements=self.previous_statements,
        )


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise ScenarioError(key, "字段重复出现", "the field appears twice")
        seen[key] = value
    return seen


def _reject_constant(name: str) -> Any:
    raise ScenarioError("$", f"不支持 {name}", f"{name} is not a number this tool accepts")


def loads(text: str) -> Scenario:
    """Parse scenario JSON text; raises ``ScenarioError``."""
    try:
        data = json.loads(
            text,
            parse_float=Decimal,
            parse_int=Decimal,
            parse_constant=_reject_constant,
            object_pairs_hook=_reject_duplicates,
        )
    except json.JSONDecodeError as exc:
        raise ScenarioError(
            "$",
            f"不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列）：{exc.msg}",
            f"not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}",
        ) from None
    return parse(data)


def parse(data: object) -> Scenario:
    """Validate already-decoded JSON (numbers may be Decimal or int); raises ``ScenarioError``."""
    if not isinstance(data, dict):
        raise ScenarioError("$", "应为 JSON 对象", "the scenario must be a JSON object")
    for key in data:
        if key not in _FIELDS:
            raise ScenarioError(
                key,
                f"未知字段；可用字段：{', '.join(sorted(_FIELDS))}",
                f"unknown field; the fields are {', '.join(sorted(_FIELDS))}",
            )
    for key in ("transactions", "statement_date"):
        if key not in data:
            raise ScenarioError(key, "缺少必填字段", "this field is required")

    day_count = data.get("day_count", "actual")
    if day_count != "actual":
        raise ScenarioError(
            "day_count",
            f'仅支持 "actual"（按实际天数），收到 {day_count!r}',
            f'only "actual" (calendar days) is supported, got {day_count!r}',
        )
    daily_rate = _decimal(data.get("daily_rate", DEFAULT_DAILY_RATE), "daily_rate")
    if daily_rate < 0:
        raise ScenarioError("daily_rate", "日利率不能为负数", "the daily rate cannot be negative")
    if daily_rate >= MAX_DAILY_RATE:
        raise ScenarioError(
            "daily_rate",
            f"日利率应为小数，如 0.0005 表示每日万分之五；{daily_rate} 过高",
            f"the daily rate is a fraction, e.g. 0.0005 for 0.05% a day; {daily_rate} is too high",
        )
    statement_date = _date(data["statement_date"], "statement_date")
    transactions = _movements(data["transactions"], "transactions", statement_date)
    if not transactions:
        raise ScenarioError("transactions", "至少需要一笔入账交易", "at least one transaction is needed")
    repayments = _movements(data.get("repayments", []), "repayments", statement_date)
    previous = data.get("previous_statements", [])
    if not isinstance(previous, list):
        raise ScenarioError("previous_statements", "应为日期列表", "must be a list of dates")
    earlier: list[date] = []
    for i, item in enumerate(previous):
        field = f"previous_statements[{i}]"
        day = _date(item, field)
        if day >= statement_date:
            raise ScenarioError(
                field, f"应早于账单日 {statement_date}", f"must be before the statement date {statement_date}"
            )
        if day in earlier:
            raise ScenarioError(field, "日期重复", "the date appears twice")
        earlier.append(day)
    return Scenario(
        transactions=transactions,
        statement_date=statement_date,
        repayments=repayments,
        daily_rate=daily_rate,
        statement_day_included=_bool(data.get("statement_day_included", True), "statement_day_included"),
        compound=_bool(data.get("compound", False), "compound"),
        previous_statements=tuple(sorted(earlier)),
        day_count=day_count,
    )


def _bool(value: object, field: str) -> bool:
    if not isinstance(value, bool):
        raise ScenarioError(field, "应为 true 或 false", f"must be true or false, got {value!r}")
    return value


def _decimal(value: object, field: str) -> Decimal:
    # bool is an int in Python; true/false as an amount is a mistake, not 1/0.
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise ScenarioError(
            field, "应为数字或数字字符串", f"must be a number or a numeric string, got {value!r}"
        )
    try:
        number = Decimal(value.strip() if isinstance(value, str) else value)
    except InvalidOperation:
        raise ScenarioError(field, f"不是有效的数字：{value!r}", f"not a valid number: {value!r}") from None
    if not number.is_finite():
        raise ScenarioError(field, f"不是有效的数字：{value!r}", f"not a valid number: {value!r}")
    return number


def _date(value: object, field: str) -> date:
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise ScenarioError(
            field, f"日期格式应为 YYYY-MM-DD，收到 {value!r}", f"a date must be YYYY-MM-DD, got {value!r}"
        )
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ScenarioError(field, f"日期不存在：{value}", f"no such date: {value}") from None


def _movements(value: object, field: str, statement_date: date) -> tuple[Movement, ...]:
    if not isinstance(value, list):
        raise ScenarioError(field, "应为列表", 'must be a list of {"date", "amount"} objects')
    out: list[Movement] = []
    for i, item in enumerate(value):
        where = f"{field}[{i}]"
        if not isinstance(item, dict):
            raise ScenarioError(
                where, "应为含 date 和 amount 的对象", "must be an object with date and amount"
            )
        for key in item:
            if key not in ("date", "amount"):
                raise ScenarioError(
                    f"{where}.{key}", "未知字段；只有 date 和 amount", "unknown field; only date and amount"
                )
        for key in ("date", "amount"):
            if key not in item:
                raise ScenarioError(f"{where}.{key}", "缺少必填字段", "this field is required")
        on = _date(item["date"], f"{where}.date")
        if on > statement_date:
            raise ScenarioError(
                f"{where}.date",
                f"晚于账单日 {statement_date}",
                f"is after the statement date {statement_date}",
            )
        amount = _decimal(item["amount"], f"{where}.amount")
        if amount <= 0:
            raise ScenarioError(f"{where}.amount", "金额必须大于 0", "the amount must be greater than 0")
        if amount != amount.quantize(CENT):
            raise ScenarioError(
                f"{where}.amount", "金额最多两位小数（分）", "the amount has more than two decimals (fen)"
            )
        out.append(Movement(on, amount))
    return tuple(out)


def _money(value: Decimal) -> str:
    return f"{value.quantize(CENT):f}"


def result_json(result: InterestResult, scenario: Scenario) -> dict[str, object]:
    """The command's JSON: total interest and one line per constant balance, amounts as strings.

    ``capitalised`` appears only when the scenario compounds over earlier statements, so the common
    output has exactly the ``interest`` and ``lines`` keys.
    """
    out: dict[str, object] = {
        "interest": _money(result.interest),
        "lines": [
            {
                "amount": _money(line.balance),
                "from": line.start.isoformat(),
                "to": line.end.isoformat(),
                "days": line.days,
                "interest": _money(line.interest),
            }
            for line in result.lines
        ],
    }
    if scenario.compound and scenario.previous_statements:
        out["capitalised"] = [
            {"statement_date": c.statement_date.isoformat(), "amount": _money(c.amount)}
            for c in result.capitalised
        ]
    return out


def result_text(result: InterestResult) -> str:
    """A human-readable rendering, one line per balance period, in both languages."""
    rows = [f"利息 interest: {_money(result.interest)}"]
    for line in result.lines:
        period = f"{line.days} 天 days ({line.start} – {line.end})"
        rows.append(f"  {_money(line.balance)} × {period} = {_money(line.interest)}")
    for c in result.capitalised:
        rows.append(f"  {c.statement_date} 计入本金 capitalised: {_money(c.amount)}")
    return "\n".join(rows)
