"""Card full-balance interest (全额计息) and loan penalty interest (罚息), worked out by hand.

Every expected figure below is computed in the comments: balance × daily rate × days per line, each
line rounded half up to the fen, the total the sum of the rounded lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pytest

from arrears.money.interest import (
    Capitalisation,
    InterestLine,
    Movement,
    card_interest,
    penalty_interest,
    round_fen,
)

D = Decimal


@dataclass(frozen=True)
class Case:
    transactions: list[tuple[date, str]]
    repayments: list[tuple[date, str]]
    statement: date
    lines: list[tuple[str, date, date, int, str]]  # (balance, from, to, days, interest)
    total: str
    rate: str = "0.0005"
    included: bool = True
    compound: bool = False
    previous: list[date] = field(default_factory=list)
    capitalised: list[tuple[date, str]] = field(default_factory=list)


CASES: dict[str, Case] = {
    # Published: 1000 × 0.0005 × 24 (3/30–4/22) = 12.00; 900 × 0.0005 × 13 (4/23–5/5) = 5.85 → 17.85.
    "published, statement day included": Case(
        [(date(2024, 3, 30), "1000.00")],
        [(date(2024, 4, 23), "100.00")],
        date(2024, 5, 5),
        [
            ("1000.00", date(2024, 3, 30), date(2024, 4, 22), 24, "12.00"),
            ("900.00", date(2024, 4, 23), date(2024, 5, 5), 13, "5.85"),
        ],
        "17.85",
    ),
    # Published: the same without 5/5: 900 × 0.0005 × 12 = 5.40 → 12.00 + 5.40 = 17.40.
    "published, statement day excluded": Case(
        [(date(2024, 3, 30), "1000.00")],
        [(date(2024, 4, 23), "100.00")],
        date(2024, 5, 5),
        [
            ("1000.00", date(2024, 3, 30), date(2024, 4, 22), 24, "12.00"),
            ("900.00", date(2024, 4, 23), date(2024, 5, 4), 12, "5.40"),
        ],
        "17.40",
        included=False,
    ),
    # Published: 1000 × 0.0005 × 32 (3/30–4/30) = 16.00; 900 × 0.0005 × 10 (5/1–5/10) = 4.50 → 20.50.
    "published, repaid 5/1, statement 5/10": Case(
        [(date(2024, 3, 30), "1000.00")],
        [(date(2024, 5, 1), "100.00")],
        date(2024, 5, 10),
        [
            ("1000.00", date(2024, 3, 30), date(2024, 4, 30), 32, "16.00"),
            ("900.00", date(2024, 5, 1), date(2024, 5, 10), 10, "4.50"),
        ],
        "20.50",
    ),
    # The same excluded: 900 × 0.0005 × 9 (5/1–5/9) = 4.05 → 16.00 + 4.05 = 20.05.
    "repaid 5/1, statement 5/10, excluded": Case(
        [(date(2024, 3, 30), "1000.00")],
        [(date(2024, 5, 1), "100.00")],
        date(2024, 5, 10),
        [
            ("1000.00", date(2024, 3, 30), date(2024, 4, 30), 32, "16.00"),
            ("900.00", date(2024, 5, 1), date(2024, 5, 9), 9, "4.05"),
        ],
        "20.05",
        included=False,
    ),
    # Three postings, two repayments; the balance steps at every change:
    #   3/10–3/19  500 × 10 × 0.0005 = 2.50
    #   3/20–3/31  800 × 12 × 0.0005 = 4.80      (+300 on 3/20)
    #   4/1–4/14   600 × 14 × 0.0005 = 4.20      (−200 on 4/1)
    #   4/15–4/19  700 ×  5 × 0.0005 = 1.75      (+100 on 4/15)
    #   4/20–4/30  550 × 11 × 0.0005 = 3.025 → 3.03 (−150 on 4/20; half up)
    #   total 2.50 + 4.80 + 4.20 + 1.75 + 3.03 = 16.28
    "several postings and repayments": Case(
        [(date(2024, 3, 10), "500.00"), (date(2024, 3, 20), "300.00"), (date(2024, 4, 15), "100.00")],
        [(date(2024, 4, 1), "200.00"), (date(2024, 4, 20), "150.00")],
        date(2024, 4, 30),
        [
            ("500.00", date(2024, 3, 10), date(2024, 3, 19), 10, "2.50"),
            ("800.00", date(2024, 3, 20), date(2024, 3, 31), 12, "4.80"),
            ("600.00", date(2024, 4, 1), date(2024, 4, 14), 14, "4.20"),
            ("700.00", date(2024, 4, 15), date(2024, 4, 19), 5, "1.75"),
            ("550.00", date(2024, 4, 20), date(2024, 4, 30), 11, "3.03"),
        ],
        "16.28",
    ),
    # Excluded: the last line loses 4/30: 550 × 10 × 0.0005 = 2.75 → 13.25 + 2.75 = 16.00.
    "several postings and repayments, excluded": Case(
        [(date(2024, 3, 10), "500.00"), (date(2024, 3, 20), "300.00"), (date(2024, 4, 15), "100.00")],
        [(date(2024, 4, 1), "200.00"), (date(2024, 4, 20), "150.00")],
        date(2024, 4, 30),
        [
            ("500.00", date(2024, 3, 10), date(2024, 3, 19), 10, "2.50"),
            ("800.00", date(2024, 3, 20), date(2024, 3, 31), 12, "4.80"),
            ("600.00", date(2024, 4, 1), date(2024, 4, 14), 14, "4.20"),
            ("700.00", date(2024, 4, 15), date(2024, 4, 19), 5, "1.75"),
            ("550.00", date(2024, 4, 20), date(2024, 4, 29), 10, "2.75"),
        ],
        "16.00",
        included=False,
    ),
    # 0.04%/day, leap February, a posting and a repayment on the same day (net −200), excluded:
    #   2/27–2/29  1234.56 × 3 × 0.0004 = 1.481472 → 1.48
    #   3/1–3/4    1034.56 × 4 × 0.0004 = 1.655296 → 1.66
    #   total 3.14
    "other rate, leap year, same-day posting and repayment, excluded": Case(
        [(date(2024, 2, 27), "1234.56"), (date(2024, 3, 1), "100.00")],
        [(date(2024, 3, 1), "300.00")],
        date(2024, 3, 5),
        [
            ("1234.56", date(2024, 2, 27), date(2024, 2, 29), 3, "1.48"),
            ("1034.56", date(2024, 3, 1), date(2024, 3, 4), 4, "1.66"),
        ],
        "3.14",
        rate="0.0004",
        included=False,
    ),
    # Included: 3/1–3/5 1034.56 × 5 × 0.0004 = 2.06912 → 2.07; total 1.48 + 2.07 = 3.55.
    "other rate, leap year, same-day posting and repayment, included": Case(
        [(date(2024, 2, 27), "1234.56"), (date(2024, 3, 1), "100.00")],
        [(date(2024, 3, 1), "300.00")],
        date(2024, 3, 5),
        [
            ("1234.56", date(2024, 2, 27), date(2024, 2, 29), 3, "1.48"),
            ("1034.56", date(2024, 3, 1), date(2024, 3, 5), 5, "2.07"),
        ],
        "3.55",
        rate="0.0004",
    ),
    # An overpayment leaves a credit of 50 that accrues nothing and offsets the next posting:
    #   4/1–4/4    100 × 4 × 0.0005 = 0.20
    #   4/5–4/9    −50 → no interest, no line
    #   4/10–4/20  (−50 + 200) = 150 × 11 × 0.0005 = 0.825 → 0.83
    #   total 1.03
    "overpayment becomes a credit": Case(
        [(date(2024, 4, 1), "100.00"), (date(2024, 4, 10), "200.00")],
        [(date(2024, 4, 5), "150.00")],
        date(2024, 4, 20),
        [
            ("100.00", date(2024, 4, 1), date(2024, 4, 4), 4, "0.20"),
            ("150.00", date(2024, 4, 10), date(2024, 4, 20), 11, "0.83"),
        ],
        "1.03",
    ),
    # Compounding, previous statement 4/5, included (the cycle ends on 4/5):
    #   3/30–4/5   1000    × 7  × 0.0005 = 3.50  → billed on 4/5 and capitalised from 4/6
    #   4/6–4/22   1003.50 × 17 × 0.0005 = 8.52975 → 8.53
    #   4/23–5/5    903.50 × 13 × 0.0005 = 5.87275 → 5.87
    #   total 3.50 + 8.53 + 5.87 = 17.90 (0.05 more than the published 17.85 uncompounded)
    "compound, previous statement, included": Case(
        [(date(2024, 3, 30), "1000.00")],
        [(date(2024, 4, 23), "100.00")],
        date(2024, 5, 5),
        [
            ("1000.00", date(2024, 3, 30), date(2024, 4, 5), 7, "3.50"),
            ("1003.50", date(2024, 4, 6), date(2024, 4, 22), 17, "8.53"),
            ("903.50", date(2024, 4, 23), date(2024, 5, 5), 13, "5.87"),
        ],
        "17.90",
        compound=True,
        previous=[date(2024, 4, 5)],
        capitalised=[(date(2024, 4, 5), "3.50")],
    ),
    # Compounding, excluded: the cycle ends 4/4 and 4/5 opens the next one:
    #   3/30–4/4   1000 × 6  × 0.0005 = 3.00 → capitalised from 4/5
    #   4/5–4/22   1003 × 18 × 0.0005 = 9.027 → 9.03
    #   4/23–5/4    903 × 12 × 0.0005 = 5.418 → 5.42
    #   total 3.00 + 9.03 + 5.42 = 17.45
    "compound, previous statement, excluded": Case(
        [(date(2024, 3, 30), "1000.00")],
        [(date(2024, 4, 23), "100.00")],
        date(2024, 5, 5),
        [
            ("1000.00", date(2024, 3, 30), date(2024, 4, 4), 6, "3.00"),
            ("1003.00", date(2024, 4, 5), date(2024, 4, 22), 18, "9.03"),
            ("903.00", date(2024, 4, 23), date(2024, 5, 4), 12, "5.42"),
        ],
        "17.45",
        included=False,
        compound=True,
        previous=[date(2024, 4, 5)],
        capitalised=[(date(2024, 4, 5), "3.00")],
    ),
    # Two capitalisations (1/20, 2/20), no repayment, statement 3/20:
    #   1/10–1/20  2000    × 11 × 0.0005 = 11.00            → capitalised: 2011.00
    #   1/21–2/20  2011    × 31 × 0.0005 = 31.1705 → 31.17  → capitalised: 2042.17
    #   2/21–3/20  2042.17 × 29 × 0.0005 = 29.611465 → 29.61 (2024: Feb has 29 days)
    #   total 11.00 + 31.17 + 29.61 = 71.78 (uncompounded: 2000 × 71 × 0.0005 = 71.00)
    "compound, two previous statements": Case(
        [(date(2024, 1, 10), "2000.00")],
        [],
        date(2024, 3, 20),
        [
            ("2000.00", date(2024, 1, 10), date(2024, 1, 20), 11, "11.00"),
            ("2011.00", date(2024, 1, 21), date(2024, 2, 20), 31, "31.17"),
            ("2042.17", date(2024, 2, 21), date(2024, 3, 20), 29, "29.61"),
        ],
        "71.78",
        compound=True,
        previous=[date(2024, 2, 20), date(2024, 1, 20)],  # order does not matter
        capitalised=[(date(2024, 1, 20), "11.00"), (date(2024, 2, 20), "31.17")],
    ),
    "uncompounded, same dates: 2000 × 71 × 0.0005": Case(
        [(date(2024, 1, 10), "2000.00")],
        [],
        date(2024, 3, 20),
        [("2000.00", date(2024, 1, 10), date(2024, 3, 20), 71, "71.00")],
        "71.00",
    ),
    # Compounding without an earlier statement in the period changes nothing: interest becomes
    # principal only when a statement bills it.
    "compound without previous statements = published": Case(
        [(date(2024, 3, 30), "1000.00")],
        [(date(2024, 4, 23), "100.00")],
        date(2024, 5, 5),
        [
            ("1000.00", date(2024, 3, 30), date(2024, 4, 22), 24, "12.00"),
            ("900.00", date(2024, 4, 23), date(2024, 5, 5), 13, "5.85"),
        ],
        "17.85",
        compound=True,
    ),
    # Earlier statement dates are ignored when the product does not compound.
    "previous statements without compound = published": Case(
        [(date(2024, 3, 30), "1000.00")],
        [(date(2024, 4, 23), "100.00")],
        date(2024, 5, 5),
        [
            ("1000.00", date(2024, 3, 30), date(2024, 4, 22), 24, "12.00"),
            ("900.00", date(2024, 4, 23), date(2024, 5, 5), 13, "5.85"),
        ],
        "17.85",
        previous=[date(2024, 4, 5)],
    ),
    # A previous statement before the first posting capitalises nothing:
    #   2/1–2/29 (included) 100 × 29 × 0.0005 = 1.45
    "compound, previous statement before any posting": Case(
        [(date(2024, 2, 1), "100.00")],
        [],
        date(2024, 2, 29),
        [("100.00", date(2024, 2, 1), date(2024, 2, 29), 29, "1.45")],
        "1.45",
        compound=True,
        previous=[date(2024, 1, 15)],
        capitalised=[(date(2024, 1, 15), "0.00")],
    ),
    # Posted on the statement day itself: counted once when included (100 × 1 × 0.0005 = 0.05)…
    "posted on the statement day, included": Case(
        [(date(2024, 5, 5), "100.00")],
        [],
        date(2024, 5, 5),
        [("100.00", date(2024, 5, 5), date(2024, 5, 5), 1, "0.05")],
        "0.05",
    ),
    # …and not at all when excluded.
    "posted on the statement day, excluded": Case(
        [(date(2024, 5, 5), "100.00")], [], date(2024, 5, 5), [], "0.00", included=False
    ),
    # Repaid in full: 1000 × 10 × 0.0005 (4/1–4/10) = 5.00, then nothing accrues (no zero line).
    "repaid in full": Case(
        [(date(2024, 4, 1), "1000.00")],
        [(date(2024, 4, 11), "1000.00")],
        date(2024, 4, 30),
        [("1000.00", date(2024, 4, 1), date(2024, 4, 10), 10, "5.00")],
        "5.00",
    ),
    # A zero rate accrues nothing but still shows what was outstanding.
    "zero rate": Case(
        [(date(2024, 4, 1), "1000.00")],
        [],
        date(2024, 4, 30),
        [("1000.00", date(2024, 4, 1), date(2024, 4, 30), 30, "0.00")],
        "0.00",
        rate="0",
    ),
}


def _calc(case: Case):
    return card_interest(
        transactions=[Movement(on, D(amount)) for on, amount in case.transactions],
        repayments=[Movement(on, D(amount)) for on, amount in case.repayments],
        statement_date=case.statement,
        daily_rate=D(case.rate),
        statement_day_included=case.included,
        compound=case.compound,
        previous_statements=case.previous,
    )


@pytest.mark.parametrize("name", list(CASES))
def test_card_interest_by_hand(name: str) -> None:
    case = CASES[name]
    result = _calc(case)
    assert result.interest == D(case.total)
    assert [(str(x.balance), x.start, x.end, x.days, str(x.interest)) for x in result.lines] == case.lines
    assert [(c.statement_date, str(c.amount)) for c in result.capitalised] == case.capitalised


def test_published_examples_exactly() -> None:
    # The three figures the domain notes publish, asserted on their own so they can never drift.
    posted = [(date(2024, 3, 30), D("1000.00"))]
    first = {"transactions": posted, "repayments": [(date(2024, 4, 23), D("100.00"))]}
    assert card_interest(**first, statement_date=date(2024, 5, 5)).interest == D("17.85")
    assert card_interest(
        **first, statement_date=date(2024, 5, 5), statement_day_included=False
    ).interest == D("17.40")
    second = card_interest(
        transactions=posted, repayments=[(date(2024, 5, 1), D("100.00"))], statement_date=date(2024, 5, 10)
    )
    assert second.interest == D("20.50")


def test_lines_are_rounded_one_by_one_and_sum_to_the_total() -> None:
    # Two lines of x.xx5 each: per line 0.025 → 0.03 twice = 0.06 (a per-total rounding would give 0.05).
    #   4/1      50 × 1 × 0.0005 = 0.025 → 0.03
    #   4/2–4/3  25 × 2 × 0.0005 = 0.025 → 0.03
    result = card_interest(
        transactions=[(date(2024, 4, 1), D("50.00"))],
        repayments=[(date(2024, 4, 2), D("25.00"))],
        statement_date=date(2024, 4, 3),
    )
    assert [line.exact for line in result.lines] == [D("0.025"), D("0.025")]
    assert [line.interest for line in result.lines] == [D("0.03"), D("0.03")]
    assert result.interest == D("0.06")


def test_capitalising_at_the_statement_day_depends_on_the_convention() -> None:
    # With the statement day excluded the cycle ends the day before and the statement day opens the
    # next cycle, on the capitalised balance. So when the debtor clears everything just after, the
    # excluded convention can bill a fen more:
    #   included: 1/1–1/31 1000 × 31 × 0.0005 = 15.50; 2/1 repaid 1015.50 → 0     → 15.50
    #   excluded: 1/1–1/30 1000 × 30 × 0.0005 = 15.00; 1/31 1015 × 1 × 0.0005 = 0.5075 → 0.51;
    #             2/1 1015 − 1015.50 → credit, nothing                              → 15.51
    common = {
        "transactions": [(date(2024, 1, 1), D("1000.00"))],
        "repayments": [(date(2024, 2, 1), D("1015.50"))],
        "statement_date": date(2024, 2, 10),
        "compound": True,
        "previous_statements": [date(2024, 1, 31)],
    }
    assert card_interest(**common).interest == D("15.50")
    assert card_interest(**common, statement_day_included=False).interest == D("15.51")


def test_line_records_the_exact_accrual() -> None:
    line = _calc(CASES["several postings and repayments"]).lines[-1]
    assert line == InterestLine(
        D("550.00"), date(2024, 4, 20), date(2024, 4, 30), 11, D("3.025000"), D("3.03")
    )
    assert _calc(CASES["compound, previous statement, included"]).capitalised == (
        Capitalisation(date(2024, 4, 5), D("3.50")),
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"transactions": []}, "at least one posted transaction"),
        ({"transactions": [(date(2024, 5, 6), D("1.00"))]}, "after the statement date"),
        ({"repayments": [(date(2024, 5, 6), D("1.00"))]}, "after the statement date"),
        ({"daily_rate": D("-0.0001")}, "daily rate"),
        ({"daily_rate": 0.0005}, "daily rate"),
        ({"compound": True, "previous_statements": [date(2024, 5, 5)]}, "before the statement date"),
    ],
)
def test_card_interest_refuses_bad_input(kwargs: dict, message: str) -> None:
    args = {"transactions": [(date(2024, 4, 1), D("1.00"))], "statement_date": date(2024, 5, 5), **kwargs}
    with pytest.raises(ValueError, match=message):
        card_interest(**args)


@pytest.mark.parametrize(
    ("amount", "error"),
    [(D("0.00"), ValueError), (D("-1.00"), ValueError), (D("1.001"), ValueError), (D("NaN"), TypeError)],
)
def test_movement_amounts_are_positive_fen(amount: Decimal, error: type[Exception]) -> None:
    with pytest.raises(error):
        Movement(date(2024, 1, 1), amount)


def test_round_fen_is_half_up() -> None:
    assert [round_fen(D(x)) for x in ("0.005", "0.015", "2.675", "-0.005", "1.004999")] == [
        D("0.01"),
        D("0.02"),
        D("2.68"),
        D("-0.01"),
        D("1.00"),
    ]


# 罚息 = overdue principal × annual rate × multiple ÷ day basis × days.
PENALTY = [
    # 10000 × 0.12 × 1.5 ÷ 360 × 30 = 1800 × 30 ÷ 360 = 150.00
    (("10000.00", "0.12", "1.5", 30), 360, "150.00"),
    # over 365 days: 1800 × 30 ÷ 365 = 147.9452… → 147.95
    (("10000.00", "0.12", "1.5", 30), 365, "147.95"),
    # 3333.33 × 0.0435 × 1.3 × 17 ÷ 360 = 3204.4967955 ÷ 360 = 8.90138… → 8.90
    (("3333.33", "0.0435", "1.3", 17), 360, "8.90"),
    # 10 × 0.18 × 1 × 1 ÷ 360 = 0.005 → 0.01 (half up, not to even)
    (("10.00", "0.18", "1", 1), 360, "0.01"),
    # no days, no principal: nothing
    (("10000.00", "0.12", "1.5", 0), 360, "0.00"),
    (("0.00", "0.12", "1.5", 30), 360, "0.00"),
]


@pytest.mark.parametrize(("args", "basis", "expected"), PENALTY)
def test_penalty_interest(args: tuple[str, str, str, int], basis: int, expected: str) -> None:
    principal, rate, multiple, days = args
    assert penalty_interest(D(principal), D(rate), D(multiple), days, day_basis=basis) == D(expected)


def test_penalty_interest_defaults_to_a_360_day_year() -> None:
    assert penalty_interest(D("10000.00"), D("0.12"), D("1.5"), 30) == D("150.00")


@pytest.mark.parametrize(
    "args",
    [
        (D("-1"), D("0.1"), D("1.5"), 1, 360),
        (D("1"), D("-0.1"), D("1.5"), 1, 360),
        (D("1"), D("0.1"), D("-1.5"), 1, 360),
        (D("1"), D("0.1"), D("1.5"), -1, 360),
        (D("1"), D("0.1"), D("1.5"), 1, 0),
        (D("1"), 0.1, D("1.5"), 1, 360),
    ],
)
def test_penalty_interest_refuses_bad_input(args: tuple) -> None:
    *positional, basis = args
    with pytest.raises(ValueError):
        penalty_interest(*positional, day_basis=basis)
