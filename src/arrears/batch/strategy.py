"""The collection strategy (催收策略): ordered rules on a case's facts choosing a treatment. Pure.

A strategy is data that managers edit: an ordered list of rules, each a set of conditions on the
case's facts and the treatment it gives, and the treatments, each a cadence of actions (an SMS with
a template on day 0, a call on day 2, a letter on day 10, …). The first rule whose conditions all
hold decides, so every case gets exactly one treatment and one reason. ``check`` refuses a strategy
that could not run; ``evaluate`` applies one to the whole book in one Polars expression.
Champion/challenger is a parameter: ``assign`` sends a stable share of cases, by a hash of the case
id, to the challenger strategy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

# The facts a rule may test, and their kind. Amounts in a strategy are yuan; the book is in fen.
FIELDS: dict[str, str] = {
    "bucket": "text", "dpd": "number", "total": "money", "segment": "text", "status": "text",
    "product_type": "text", "lost_contact": "flag", "open_promise": "flag", "broken_promises": "number",
    "days_since_contact": "number", "complaint_threat": "flag", "limitation_lapsed": "flag",
    "priority": "number",
}  # fmt: skip
OPERATORS = ("==", "!=", "<", "<=", ">", ">=", "in", "not_in")
ACTIONS = ("sms", "call", "email", "letter", "visit", "lawyer_letter", "legal_review", "hold", "skip_trace")


class StrategyError(ValueError):
    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh, self.en = zh, en


@dataclass(frozen=True)
class Strategy:
    rules: tuple[Mapping[str, Any], ...]
    treatments: Mapping[str, Mapping[str, Any]]

    @classmethod
    def of(cls, data: Any) -> Strategy:
        _check_shape(data)
        strategy = cls(rules=tuple(data.get("rules", ())), treatments=dict(data.get("treatments", {})))
        check(strategy)
        return strategy


# The longest names the run stores (the columns of decisions and tasks).
LIMITS = {"rule name": 200, "treatment": 64, "template": 64, "priority": 8}


def _shape_error(what_zh: str, what_en: str) -> StrategyError:
    return StrategyError(f"策略格式有误：{what_zh}", f"the strategy is malformed: {what_en}")


def _check_shape(data: Any) -> None:
    """The document's shape, before anything reads it: rules a list of objects, treatments an object
    of objects, actions lists of objects, names within the stored lengths."""
    if not isinstance(data, Mapping):
        raise _shape_error("须为对象", "it must be an object")
    rules, treatments = data.get("rules", []), data.get("treatments", {})
    if not isinstance(rules, list) or not all(isinstance(r, Mapping) for r in rules):
        raise _shape_error("rules 须为规则对象的列表", "rules must be a list of objects")
    if not isinstance(treatments, Mapping) or not all(isinstance(t, Mapping) for t in treatments.values()):
        raise _shape_error("treatments 须为处置对象", "treatments must be an object of objects")
    for rule in rules:
        if not isinstance(rule.get("when") or {}, Mapping):
            raise _shape_error("when 须为对象", "when must be an object")
        if len(str(rule.get("name", ""))) > LIMITS["rule name"]:
            raise _shape_error("规则名称过长", "a rule name is too long")
    for name, treatment in treatments.items():
        actions = treatment.get("actions", [])
        if len(name) > LIMITS["treatment"]:
            raise _shape_error(f"处置名称过长：{name}", f"a treatment name is too long: {name}")
        if not isinstance(actions, list) or not all(isinstance(a, Mapping) for a in actions):
            raise _shape_error(f"处置「{name}」的 actions 须为对象列表", f"{name}: actions must list objects")
        for action in actions:
            for key in ("template", "priority"):
                value, limit = action.get(key, ""), LIMITS[key]
                if not isinstance(value, str) or len(value) > limit:
                    zh = f"处置「{name}」的 {key} 须为不超过 {limit} 字的文字"
                    raise _shape_error(zh, f"{name}: {key} must be text of at most {limit} characters")


def check(strategy: Strategy) -> None:
    """Raise StrategyError for anything that would stop the strategy from running or deciding."""
    if not strategy.rules:
        raise StrategyError("策略至少要有一条规则", "a strategy needs at least one rule")
    for name, treatment in strategy.treatments.items():
        _check_treatment(name, treatment)
    for index, rule in enumerate(strategy.rules, start=1):
        label = rule.get("name") or index
        where = (f"第 {index} 条规则「{label}」", f"rule {index} ({label})")
        if rule.get("treatment") not in strategy.treatments:
            raise StrategyError(f"{where[0]}：处置未定义", f"{where[1]}: its treatment is not defined")
        for field, test in (rule.get("when") or {}).items():
            for op, value in (test.items() if isinstance(test, Mapping) else [("==", test)]):
                _check_test(where, field, op, value)
    if strategy.rules[-1].get("when"):
        raise StrategyError(
            "最后一条规则须无条件（兜底），保证每个案件都有处置",
            "the last rule must have no conditions (a catch-all), so every case gets a treatment",
        )


def _check_treatment(name: str, treatment: Mapping[str, Any]) -> None:
    for action in treatment.get("actions", ()):
        kind, day = action.get("kind"), action.get("day", 0)
        zh, en = f"处置「{name}」", f"treatment {name}"
        if kind not in ACTIONS:
            raise StrategyError(f"{zh}中的动作 {kind!r} 不存在", f"{en}: no action {kind!r}")
        if isinstance(day, bool) or not isinstance(day, int) or day < 0:
            raise StrategyError(f"{zh}的天数须为非负整数", f"{en}: the day must be 0 or more")


def _check_test(where: tuple[str, str], field: str, op: str, value: Any) -> None:
    zh, en = where
    if field not in FIELDS:
        raise StrategyError(f"{zh}：未知的条件字段 {field}", f"{en}: unknown field {field}")
    if op not in OPERATORS:
        raise StrategyError(f"{zh}：未知的比较符 {op}", f"{en}: unknown operator {op}")
    values = value if op in ("in", "not_in") else [value]
    if op in ("in", "not_in") and not isinstance(value, list):
        raise StrategyError(f"{zh}：{op} 需要列表", f"{en}: {op} needs a list")
    kind = FIELDS[field]
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)
    if kind in ("number", "money") and not numbers:
        raise StrategyError(f"{zh}：{field} 须与数字比较", f"{en}: {field} compares with a number")
    if kind == "text" and not all(isinstance(v, str) for v in values):
        raise StrategyError(f"{zh}：{field} 须与文字比较", f"{en}: {field} compares with text")
    if kind == "flag" and (op not in ("==", "!=") or not isinstance(value, bool)):
        raise StrategyError(f"{zh}：{field} 只能等于 true 或 false", f"{en}: {field} is true or false")


def _expr(field: str, op: str, value: Any) -> pl.Expr:
    column = pl.col(field)
    if FIELDS[field] == "money":  # yuan in the strategy, fen in the book
        value = [round(v * 100) for v in value] if isinstance(value, list) else round(value * 100)
    match op:
        case "==":
            return column == value
        case "!=":
            return column != value
        case "<":
            return column < value
        case "<=":
            return column <= value
        case ">":
            return column > value
        case ">=":
            return column >= value
        case "in":
            return column.is_in(value)
        case _:
            return ~column.is_in(value)


def _matches(rule: Mapping[str, Any]) -> pl.Expr:
    parts = [
        _expr(field, op, value)
        for field, test in (rule.get("when") or {}).items()
        for op, value in (test.items() if isinstance(test, Mapping) else [("==", test)])
    ]
    condition = pl.lit(True)
    for part in parts:
        condition = condition & part.fill_null(False)
    return condition


def evaluate(facts: pl.LazyFrame, strategy: Strategy) -> pl.LazyFrame:
    """id, rule (its position, from 1), rule_name, treatment — the first matching rule per case."""
    chain = pl.when(_matches(strategy.rules[0])).then(pl.lit(1))
    for position, rule in enumerate(strategy.rules[1:], start=2):
        chain = chain.when(_matches(rule)).then(pl.lit(position))
    names = {i: str(r.get("name") or i) for i, r in enumerate(strategy.rules, start=1)}
    treatments = {i: str(r["treatment"]) for i, r in enumerate(strategy.rules, start=1)}
    rule = chain.otherwise(pl.lit(len(strategy.rules))).alias("rule")
    return facts.select("id", rule).with_columns(
        rule_name=pl.col("rule").replace_strict(names, return_dtype=pl.String),
        treatment=pl.col("rule").replace_strict(treatments, return_dtype=pl.String),
    )


def assign(ids: pl.Expr, *, share: float, seed: int) -> pl.Expr:
    """True for the cases in the challenger's share: stable per case and seed, not per run."""
    mixed = (ids.cast(pl.UInt64) * 2654435761 + seed) % (2**32)
    return (mixed % 10_000) < round(share * 10_000)


_SYMBOLS = {"==": "=", "!=": "≠", "<": "<", "<=": "≤", ">": ">", ">=": "≥", "in": "∈", "not_in": "∉"}


def describe(when: Mapping[str, Any] | None) -> str:
    """A rule's conditions as a reader writes them: ``dpd ≤ 30; total ≥ ¥50,000``."""
    parts = []
    for field, test in (when or {}).items():
        for op, value in (test.items() if isinstance(test, Mapping) else [("==", test)]):
            if isinstance(value, list):
                shown = ", ".join(str(v) for v in value)
            elif isinstance(value, bool):
                shown = str(value).lower()
            else:
                shown = f"¥{value:,}" if FIELDS.get(field) == "money" else str(value)
            parts.append(f"{field} {_SYMBOLS.get(op, op)} {shown}")
    return "; ".join(parts)
