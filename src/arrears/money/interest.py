"""Interest: credit-card full-balance interest (全额计息) with optional compounding, and loan 罚息.

Card interest, as Chinese issuers apply it when a statement is not paid in full: every posted amount
accrues from its posting date at the daily rate; a repayment lowers the accruing balance from the
repayment date (the day of repayment already accrues on the lower balance); the rest accrues to the
statement date. Whether the statement day itself is counted is a parameter, because issuers differ.
The published examples (0.05%/day): ¥1000 posted 3/30, ¥100 repaid 4/23, statement 5/5 →
1000 × 0.0005 × 24 + 900 × 0.0005 × 13 = 17.85 (17.40 without the statement day); ¥100 repaid 5/1,
statement 5/10 → 1000 × 0.0005 × 32 + 900 × 0.0005 × 10 = 20.50.

Only the total outstanding matters for interest, so the balance over time is a step function split at
every change (posting, repayment, capitalisation); each constant stretch is one ``InterestLine``.

Rounding: each line accrues exactly (balance × rate × days) and is rounded half up to the fen once;
the total is the sum of the rounded lines. We round per line rather than per total so that the lines a
collector shows the debtor add up to the total to the fen; the published examples come out exactly
either way. Capitalised interest is the sum of the rounded lines of its cycle, i.e. what the
statement billed.

Compounding (the 1999 rules): with ``compound`` on and earlier statement dates inside the period, the
interest of each cycle is added to the balance that accrues in the next one. Without earlier statement
dates, compounding has no effect within one cycle: interest only becomes principal when a statement
bills it. Cycles follow the day-count convention: with the statement day included a cycle ends on its
statement day and the next starts the day after; with it excluded a cycle ends the day before its
statement day, which opens the next cycle. So every day belongs to exactly one cycle either way; with
the statement day excluded, capitalised interest starts accruing one day earlier.

A balance that repayments take below zero (a credit) accrues nothing and offsets later postings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from arrears.core.money import CENT, ZERO

DEFAULT_DAILY_RATE = Decimal("0.0005")  # 0.05% a day (18.25% a year): the pre-2021 cap and still common
DEFAULT_PENALTY_DAY_BASIS = 360  # Chinese banks convert annual to daily rates over a 360-day year
_ONE_DAY = timedelta(days=1)


def round_fen(value: Decimal) -> Decimal:
    """Round half up to the fen: the one rounding rule for amounts billed to a debtor."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class Movement:
    """A posted amount (purchase, cash advance) or a repayment: a date and a positive amount."""

    on: date
    amount: Decimal

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal) or not self.amount.is_finite():
            raise TypeError("a movement's amount must be a finite Decimal")
        if self.amount <= 0:
            raise ValueError(f"a movement's amount must be positive, got {self.amount}")
        if self.amount != self.amount.quantize(CENT):
            raise ValueError(f"a movement's amount must be in fen (two decimal places), got {self.amount}")


@dataclass(frozen=True, slots=True)
class InterestLine:
    """``balance`` accrued from ``start`` to ``end`` (both inclusive) for ``days`` days.

    ``exact`` is balance × rate × days before rounding; ``interest`` is it rounded half up to the fen.
    """

    balance: Decimal
    start: date
    end: date
    days: int
    exact: Decimal
    interest: Decimal


@dataclass(frozen=True, slots=True)
class Capitalisation:
    """Interest billed on an earlier statement and added to the balance from the next cycle on."""

    statement_date: date
    amount: Decimal


@dataclass(frozen=True, slots=True)
class InterestResult:
    """The interest for the period, the lines it is the sum of, and any capitalised interest."""

    interest: Decimal
    lines: tuple[InterestLine, ...]
    capitalised: tuple[Capitalisation, ...] = ()


def _as_movements(items: Iterable[Movement | tuple[date, Decimal]]) -> list[Movement]:
    return [item if isinstance(item, Movement) else Movement(*item) for item in items]


def card_interest(
    *,
    transactions: Iterable[Movement | tuple[date, Decimal]],
    repayments: Iterable[Movement | tuple[date, Decimal]] = (),
    statement_date: date,
    daily_rate: Decimal = DEFAULT_DAILY_RATE,
    statement_day_included: bool = True,
    compound: bool = False,
    previous_statements: Iterable[date] = (),
) -> InterestResult:
    """Full-balance interest (全额计息) billed on ``statement_date``; see the module docstring.

    ``previous_statements`` (earlier statement dates within the period) only matter with ``compound``:
    interest is capitalised at each. Movements must not be dated after the statement date. The total
    covers the whole period from the first posting, including interest already billed and capitalised
    at earlier statements, so it can be compared with the uncompounded figure for the same period.
    """
    posted = _as_movements(transactions)
    repaid = _as_movements(repayments)
    if not posted:
        raise ValueError("at least one posted transaction is needed")
    if not isinstance(daily_rate, Decimal) or not daily_rate.is_finite() or daily_rate < 0:
        raise ValueError(f"the daily rate must be a Decimal ≥ 0, got {daily_rate!r}")
    for movement in (*posted, *repaid):
        if movement.on > statement_date:
            raise ValueError(f"{movement.on} is after the statement date {statement_date}")
    earlier = sorted(set(previous_statements)) if compound else []
    if earlier and earlier[-1] >= statement_date:
        raise ValueError("previous statement dates must be before the statement date")

    # Net change of the (uncapitalised) balance per day; same-day postings and repayments combine,
    # since the day accrues on what is outstanding after both.
    change: dict[date, Decimal] = {}
    for movement in posted:
        change[movement.on] = change.get(movement.on, ZERO) + movement.amount
    for movement in repaid:
        change[movement.on] = change.get(movement.on, ZERO) - movement.amount

    # A cycle's capitalised interest starts to accrue on the first day of the next cycle.
    last_day = statement_date if statement_day_included else statement_date - _ONE_DAY
    opens = {(p + _ONE_DAY if statement_day_included else p): p for p in earlier}

    first_day = min(change)
    cuts = sorted(d for d in {*change, *opens} if first_day <= d <= last_day)
    lines: list[InterestLine] = []
    capitalised: list[Capitalisation] = []
    # Previous statements before the first posting bill nothing; they are still listed, as zero.
    capitalised.extend(Capitalisation(p, ZERO) for opening, p in opens.items() if opening < first_day)
    raw = ZERO  # postings minus repayments so far; negative when the debtor has a credit
    carried = ZERO  # interest capitalised so far
    cycle = ZERO  # rounded interest of the current cycle, not yet capitalised
    for i, day in enumerate(cuts):
        raw += change.get(day, ZERO)
        if day in opens:
            capitalised.append(Capitalisation(opens[day], cycle))
            carried += cycle
            cycle = ZERO
        end = cuts[i + 1] - _ONE_DAY if i + 1 < len(cuts) else last_day
        balance = max(raw + carried, ZERO)
        days = (end - day).days + 1
        if balance > 0 and days > 0:
            exact = balance * daily_rate * days
            line = InterestLine(balance, day, end, days, exact, round_fen(exact))
            lines.append(line)
            cycle += line.interest
    return InterestResult(
        interest=sum((line.interest for line in lines), ZERO),
        lines=tuple(lines),
        capitalised=tuple(capitalised),
    )


def penalty_interest(
    overdue_principal: Decimal,
    contract_annual_rate: Decimal,
    multiple: Decimal,
    days: int,
    *,
    day_basis: int = DEFAULT_PENALTY_DAY_BASIS,
) -> Decimal:
    """Consumer-loan overdue penalty interest (罚息), rounded half up to the fen.

    罚息 = overdue principal × contract annual rate × multiple ÷ day basis × days. The multiple is the
    contract's (PBOC rules put it at 1.3–1.5 for overdue loans). The day basis is 360 by default because
    Chinese banks derive daily rates as annual ÷ 360; pass 365 for a contract that says otherwise.
    Everything is multiplied before the one division so that only the final rounding loses anything.
    """
    for name, value in (
        ("overdue principal", overdue_principal),
        ("contract annual rate", contract_annual_rate),
        ("multiple", multiple),
    ):
        if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
            raise ValueError(f"the {name} must be a Decimal ≥ 0, got {value!r}")
    if isinstance(days, bool) or not isinstance(days, int) or days < 0:
        raise ValueError(f"days must be a whole number ≥ 0, got {days!r}")
    if isinstance(day_basis, bool) or not isinstance(day_basis, int) or day_basis <= 0:
        raise ValueError(f"the day basis must be a positive whole number, got {day_basis!r}")
    return round_fen(overdue_principal * contract_annual_rate * multiple * days / day_basis)
