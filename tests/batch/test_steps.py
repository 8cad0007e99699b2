"""Each step of the nightly run on small frames with known answers (pure, no database)."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from arrears.batch.ageing import age, paused_days
from arrears.batch.alerts import Rules, raised
from arrears.batch.limitation import limitation
from arrears.batch.priority import score
from arrears.batch.strategy import Strategy, StrategyError, assign, evaluate

D = dt.date(2026, 11, 29)
BANDS = pl.LazyFrame(
    {"creditor_id": [1] * 6, "bound": [30, 60, 90, 120, 150, 180]}
)
NO_PAUSE = pl.LazyFrame(schema={"case_id": pl.Int64, "paused": pl.Int64})


def days_ago(n: int) -> dt.date:
    return D - dt.timedelta(days=n)


def aged(rows: list[dict], pauses: pl.LazyFrame = NO_PAUSE) -> dict[int, tuple[int, str, bool]]:
    cases = pl.LazyFrame(rows)
    out = age(cases, BANDS, pauses, D).collect()
    return {r["id"]: (r["dpd"], r["bucket"], r["moved"]) for r in out.iter_rows(named=True)}


@pytest.mark.parametrize(
    ("overdue", "bucket_before", "expected"),
    [
        (30, "M1", (30, "M1", False)),  # the last day of M1
        (31, "M1", (31, "M2", True)),  # rolls into M2 today
        (180, "M6", (180, "M6", False)),
        (181, "M6", (181, "M7+", True)),  # past the last band
    ],
)
def test_bucket_boundaries(overdue, bucket_before, expected):
    row = {
        "id": 1,
        "creditor_id": 1,
        "overdue_since": days_ago(overdue),
        "total": 100,
        "bucket": bucket_before,
    }
    assert aged([row])[1] == expected


def test_a_case_that_owes_nothing_is_cured_and_a_partial_payment_cures_nothing():
    rows = [
        {"id": 1, "creditor_id": 1, "overdue_since": days_ago(45), "total": 0, "bucket": "M2"},
        {"id": 2, "creditor_id": 1, "overdue_since": days_ago(45), "total": 1, "bucket": "M2"},
    ]
    result = aged(rows)
    assert result[1] == (0, "M0", True) and result[2] == (45, "M2", False)


def test_days_in_dispute_do_not_count():
    cases = pl.LazyFrame(
        {
            "id": [1, 2],
            "creditor_id": [1, 1],
            "overdue_since": [days_ago(40)] * 2,
            "total": [100, 100],
            "bucket": ["M2", "M2"],
        }
    )
    pauses = pl.LazyFrame(
        {"case_id": [1, 2], "start": [days_ago(20), days_ago(15)], "end": [days_ago(5), None]},
        schema={"case_id": pl.Int64, "start": pl.Date, "end": pl.Date},
    )
    paused = paused_days(pauses, cases, D)
    out = age(cases, BANDS, paused, D).collect().sort("id")
    assert out["dpd"].to_list() == [25, 25]  # 40 − 15 resolved days; 40 − 15 days still open
    assert out["bucket"].to_list() == ["M1", "M1"]


def test_limitation_restarts_with_payment_acknowledgement_or_demand():
    cases = pl.LazyFrame(
        {
            "id": [1, 2, 3],
            "overdue_since": [dt.date(2023, 12, 1)] * 3,
            "last_payment_on": [None, dt.date(2024, 6, 1), None],
            "last_acknowledged_on": [None, None, dt.date(2025, 2, 28)],
            "last_demand_on": [None, None, None],
        },
        schema={
            "id": pl.Int64,
            "overdue_since": pl.Date,
            "last_payment_on": pl.Date,
            "last_acknowledged_on": pl.Date,
            "last_demand_on": pl.Date,
        },
    )
    out = limitation(cases, D).collect().sort("id")
    assert out["limitation_on"].to_list() == [dt.date(2026, 12, 1), dt.date(2027, 6, 1), dt.date(2028, 2, 28)]
    assert out["lapses_soon"].to_list() == [True, False, False]
    assert out["lapsed"].to_list() == [False, False, False]


def facts(**overrides) -> dict:
    base = {
        "id": 1,
        "broken_promises": 0,
        "moved": False,
        "total": 100_000,
        "dpd": 40,
        "return_on": D + dt.timedelta(60),
        "last_reached_on": D,
        "last_attempt_on": D,
        "complaint_threat": False,
        "lost_contact": False,
        "lapses_soon": False,
        "reversed_on": None,
        "status": "in_progress",
        "bucket": "M2",
    }
    return {**base, **overrides}


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"broken_promises": 2}, "promises_broken"),
        ({"moved": True, "total": 6_000_000}, "rolling_high_balance"),
        (
            {"return_on": D + dt.timedelta(5), "last_reached_on": dt.date(2026, 10, 30)},
            "return_soon_unreached",
        ),
        ({"last_attempt_on": D - dt.timedelta(7)}, "no_recent_attempt"),
        ({"complaint_threat": True}, "complaint_threat"),
        ({"lost_contact": True}, "lost_contact"),
        ({"lapses_soon": True}, "limitation_lapsing"),
        ({"reversed_on": D}, "payment_reversed"),
    ],
)
def test_each_warning_rule(overrides, code):
    quiet = raised(pl.LazyFrame([facts()]), Rules(), D).collect()
    assert quiet.is_empty()
    loud = raised(pl.LazyFrame([facts(**overrides)]), Rules(), D).collect()
    assert loud["code"].to_list() == [code]


def test_a_case_owing_nothing_or_finished_raises_no_warning_and_a_cure_is_no_roll():
    for quiet in (facts(total=0, complaint_threat=True), facts(status="recalled", complaint_threat=True)):
        assert raised(pl.LazyFrame([quiet]), Rules(), D).collect().is_empty()
    cured = facts(moved=True, total=6_000_000, bucket="M0", last_attempt_on=D)
    assert raised(pl.LazyFrame([cured]), Rules(), D).collect().is_empty()


def test_priority_prefers_money_early_stages_and_promises_and_segments_cases():
    rows = [
        {
            "id": 1,
            "total": 5_000_000,
            "dpd": 20,
            "open_promise": False,
            "broken_promises": 0,
            "last_reached_on": D,
            "lost_contact": False,
        },
        {
            "id": 2,
            "total": 5_000_000,
            "dpd": 400,
            "open_promise": False,
            "broken_promises": 0,
            "last_reached_on": D,
            "lost_contact": False,
        },
        {
            "id": 3,
            "total": 10_000,
            "dpd": 20,
            "open_promise": True,
            "broken_promises": 0,
            "last_reached_on": D,
            "lost_contact": False,
        },
        {
            "id": 4,
            "total": 5_000_000,
            "dpd": 20,
            "open_promise": False,
            "broken_promises": 0,
            "last_reached_on": None,
            "lost_contact": True,
        },
    ]
    out = score(pl.LazyFrame(rows), D).collect().sort("id")
    priority = out["priority"].to_list()
    assert priority[0] > priority[1] and priority[0] > priority[3]
    assert out["segment"].to_list() == ["high_value", "high_value", "promised", "lost"]


STRATEGY = {
    "rules": [
        {"name": "hold", "when": {"status": "disputed"}, "treatment": "hold"},
        {"name": "big early", "when": {"dpd": {"<=": 30}, "total": {">=": 1000}}, "treatment": "call"},
        {"name": "rest", "treatment": "sms"},
    ],
    "treatments": {
        "hold": {"actions": [{"kind": "hold"}]},
        "call": {"actions": [{"kind": "call", "day": 0}]},
        "sms": {"actions": [{"kind": "sms", "day": 0, "template": "t"}]},
    },
}


def test_the_first_matching_rule_decides_and_amounts_are_in_yuan():
    cases = pl.LazyFrame(
        {
            "id": [1, 2, 3],
            "status": ["disputed", "in_progress", "in_progress"],
            "dpd": [10, 10, 10],
            "total": [500_000, 100_000, 99_999],
        }
    )
    out = evaluate(cases, Strategy.of(STRATEGY)).collect().sort("id")
    assert out["treatment"].to_list() == ["hold", "call", "sms"]
    assert out["rule_name"].to_list() == ["hold", "big early", "rest"]


@pytest.mark.parametrize(
    "broken",
    [
        {"rules": []},
        {
            **STRATEGY,
            "rules": [{"name": "x", "when": {"colour": "red"}, "treatment": "sms"}, STRATEGY["rules"][-1]],
        },
        {
            **STRATEGY,
            "rules": [{"name": "x", "when": {"dpd": {"~": 3}}, "treatment": "sms"}, STRATEGY["rules"][-1]],
        },
        {
            **STRATEGY,
            "rules": [
                {"name": "x", "when": {"dpd": {"<": "ten"}}, "treatment": "sms"},
                STRATEGY["rules"][-1],
            ],
        },
        {**STRATEGY, "rules": [{"name": "x", "when": {}, "treatment": "nowhere"}]},
        {**STRATEGY, "rules": STRATEGY["rules"][:2]},  # no catch-all
        {**STRATEGY, "treatments": {**STRATEGY["treatments"], "sms": {"actions": [{"kind": "fax"}]}}},
        {
            **STRATEGY,
            "rules": [{"name": "x", "when": {"bucket": 2}, "treatment": "sms"}, STRATEGY["rules"][-1]],
        },
        {
            **STRATEGY,
            "rules": [
                {"name": "x", "when": {"lost_contact": "yes"}, "treatment": "sms"},
                STRATEGY["rules"][-1],
            ],
        },
        {**STRATEGY, "rules": {"not": "a list"}},
        {**STRATEGY, "treatments": {**STRATEGY["treatments"], "sms": {"actions": ["sms"]}}},
        {**STRATEGY, "treatments": {**STRATEGY["treatments"], "x" * 65: {"actions": []}}},
        ["not", "an", "object"],
    ],
)
def test_a_strategy_that_could_not_run_is_refused(broken):
    with pytest.raises(StrategyError):
        Strategy.of(broken)


def test_the_challenger_share_is_stable_and_close_to_its_size():
    ids = pl.Series("id", range(1, 20_001))
    first = pl.select(assign(ids, share=0.2, seed=7)).to_series()
    again = pl.select(assign(ids, share=0.2, seed=7)).to_series()
    assert first.to_list() == again.to_list()
    assert 0.18 < first.mean() < 0.22


def test_a_rule_reads_as_written():
    from arrears.batch.strategy import describe

    when = {"dpd": {"<=": 30}, "total": {">=": 50000}, "lost_contact": True, "bucket": {"in": ["M1", "M2"]}}
    assert describe(when) == "dpd ≤ 30; total ≥ ¥50,000; lost_contact = true; bucket ∈ M1, M2"
    assert describe({}) == ""


def test_the_challenger_takes_its_share_of_each_creditors_cases_with_its_own_rules():
    from arrears.batch.pipeline import Arm, Plan, _decide

    def only(treatment: str) -> Strategy:
        return Strategy.of(
            {
                "rules": [{"name": treatment, "treatment": treatment}],
                "treatments": {treatment: {"actions": []}},
            }
        )

    n = 5_000
    facts = pl.LazyFrame(
        {
            "id": range(1, n + 1),
            "creditor_id": [1] * n,
            "product_type": ["credit_card"] * n,
            "treatment_before": [None] * n,
            "treatment_since_before": [None] * n,
            "decided_before": [None] * n,
        },
        schema_overrides={
            "treatment_before": pl.String,
            "treatment_since_before": pl.Date,
            "decided_before": pl.String,
        },
    )
    plan = Plan(champion=Arm(11, only("call")), challenger=Arm(12, only("sms")), share=0.3)
    decided = _decide(facts, {(1, "credit_card"): plan}).collect()
    assert decided.height == n  # every case decided exactly once
    challenged = decided.filter(pl.col("arm") == "challenger")
    assert set(challenged["treatment"]) == {"sms"} and set(challenged["strategy_id"]) == {12}
    assert set(decided.filter(pl.col("arm") == "champion")["treatment"]) == {"call"}
    assert 0.27 < challenged.height / n < 0.33
    again = _decide(facts, {(1, "credit_card"): plan}).collect()
    assert sorted(again.filter(pl.col("arm") == "challenger")["id"]) == sorted(challenged["id"])
