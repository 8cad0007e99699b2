"""Property tests of card interest: monotone in rate and days, the statement-day convention, and the
lines against a day-by-day simulation of the exact accrual."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from arrears.core.money import ZERO
from arrears.money.interest import InterestResult, Movement, card_interest, round_fen

START = date(2024, 1, 1)

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("200000.00"), places=2)
rates = st.decimals(min_value=Decimal("0"), max_value=Decimal("0.002"), places=6)
offsets = st.integers(min_value=0, max_value=90)


@st.composite
def scenarios(draw: st.DrawFn, *, capitalising: bool = True) -> dict:
    """Random postings and repayments before a statement date, with or without compounding."""
    posted = draw(st.lists(st.tuples(offsets, amounts), min_size=1, max_size=5))
    repaid = draw(st.lists(st.tuples(offsets, amounts), max_size=4))
    last = max(offset for offset, _ in posted + repaid)
    statement = START + timedelta(days=last + draw(st.integers(min_value=0, max_value=40)))
    compound = draw(st.booleans())
    previous: list[date] = []
    if capitalising and compound:
        span = (statement - START).days
        if span > 0:
            days = draw(st.lists(st.integers(min_value=0, max_value=span - 1), max_size=3, unique=True))
            previous = [START + timedelta(days=d) for d in days]
    return {
        "transactions": [Movement(START + timedelta(days=o), a) for o, a in posted],
        "repayments": [Movement(START + timedelta(days=o), a) for o, a in repaid],
        "statement_date": statement,
        "compound": compound,
        "previous_statements": previous,
        "statement_day_included": draw(st.booleans()),
    }


@given(scenarios(), rates, rates)
def test_interest_is_monotone_in_the_daily_rate(scenario: dict, r1: Decimal, r2: Decimal) -> None:
    low, high = sorted((r1, r2))
    assert (
        card_interest(**scenario, daily_rate=low).interest
        <= card_interest(**scenario, daily_rate=high).interest
    )


@given(scenarios(), rates, st.integers(min_value=1, max_value=60))
def test_interest_is_monotone_in_the_number_of_days(scenario: dict, rate: Decimal, extra: int) -> None:
    later = {**scenario, "statement_date": scenario["statement_date"] + timedelta(days=extra)}
    assert (
        card_interest(**scenario, daily_rate=rate).interest
        <= card_interest(**later, daily_rate=rate).interest
    )


@given(scenarios(capitalising=False), rates)
def test_including_the_statement_day_never_gives_less(scenario: dict, rate: Decimal) -> None:
    # Without capitalisation inside the period the conventions differ by the statement day only.
    # (With it, they also differ in which cycle that day falls: see test_interest.py.)
    included = card_interest(**{**scenario, "statement_day_included": True}, daily_rate=rate)
    excluded = card_interest(**{**scenario, "statement_day_included": False}, daily_rate=rate)
    assert included.interest >= excluded.interest


def _check_lines(result: InterestResult, rate: Decimal, scenario: dict) -> None:
    assert result.interest == sum((line.interest for line in result.lines), ZERO)
    last_day = scenario["statement_date"] - timedelta(days=0 if scenario["statement_day_included"] else 1)
    for line in result.lines:
        assert line.days == (line.end - line.start).days + 1 > 0
        assert line.balance > 0
        assert line.exact == line.balance * rate * line.days
        assert line.interest == round_fen(line.exact)
        assert line.end <= last_day
    for before, after in pairwise(result.lines):
        assert before.end < after.start


@given(scenarios(), rates)
def test_lines_are_consistent(scenario: dict, rate: Decimal) -> None:
    _check_lines(card_interest(**scenario, daily_rate=rate), rate, scenario)


@given(scenarios(capitalising=False), rates)
def test_lines_match_a_day_by_day_accrual(scenario: dict, rate: Decimal) -> None:
    # An independent model: walk every calendar day, take what is outstanding after that day's
    # postings and repayments (never below zero), and accrue it exactly.
    result = card_interest(**{**scenario, "compound": False}, daily_rate=rate)
    first = min(m.on for m in scenario["transactions"] + scenario["repayments"])
    last = scenario["statement_date"] - timedelta(days=0 if scenario["statement_day_included"] else 1)
    expected = ZERO
    per_day: dict[date, Decimal] = {}
    day = first
    while day <= last:
        outstanding = sum((m.amount for m in scenario["transactions"] if m.on <= day), ZERO) - sum(
            (m.amount for m in scenario["repayments"] if m.on <= day), ZERO
        )
        per_day[day] = max(outstanding, ZERO)
        expected += per_day[day] * rate
        day += timedelta(days=1)
    assert sum((line.exact for line in result.lines), ZERO) == expected
    for line in result.lines:
        covered = [per_day[line.start + timedelta(days=i)] for i in range(line.days)]
        assert set(covered) == {line.balance}
    # Every day with something outstanding is in exactly one line.
    in_lines = sum(line.days for line in result.lines)
    assert in_lines == sum(1 for value in per_day.values() if value > 0)


@given(scenarios(), rates)
def test_compounding_capitalises_the_billed_interest(scenario: dict, rate: Decimal) -> None:
    result = card_interest(**scenario, daily_rate=rate)
    if not scenario["compound"]:
        assert result.capitalised == ()
        return
    assert [c.statement_date for c in result.capitalised] == sorted(scenario["previous_statements"])
    # Each capitalisation is the rounded interest of the lines before it that were not yet capitalised.
    shift = timedelta(days=1 if scenario["statement_day_included"] else 0)
    taken = ZERO
    for capitalisation in result.capitalised:
        opens = capitalisation.statement_date + shift
        billed = sum((line.interest for line in result.lines if line.start < opens), ZERO) - taken
        assert capitalisation.amount == billed
        taken += billed
