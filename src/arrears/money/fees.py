"""Fees and per-product money rules: the late fee (违约金), the annualised-cost ceiling, ``ProductRules``.

Since 2017 card issuers may no longer charge a 滞纳金; they charge a contractual 违约金 instead,
commonly 5% of the unpaid minimum payment, often with a floor and sometimes a cap, or a fixed amount.
The same 2017 rule forbids interest on fees and late fees, so ``ProductRules.interest_on_fees`` is off
unless a product's contract says otherwise.

Courts generally do not support an all-in cost above 24% a year (low confidence, configurable), so
``cost_warning`` flags charges whose annualised cost passes the product's ceiling.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from arrears.core.money import ZERO
from arrears.money.interest import DEFAULT_DAILY_RATE, DEFAULT_PENALTY_DAY_BASIS, penalty_interest, round_fen
from arrears.money.ledger import DEFAULT_ORDER, Component, check_fen

DEFAULT_LATE_FEE_RATE = Decimal("0.05")
DEFAULT_APR_CEILING = Decimal("0.24")
MAX_PLAN_MONTHS = 60  # the longest personalised instalment plan (个性化分期) the rules allow
# Annualised cost is a ratio, not money: kept to 1e-6 (0.0001 percentage points), plenty to compare
# with a ceiling and stable enough to print and store.
RATE_PLACES = Decimal("0.000001")


def late_fee(
    unpaid_minimum: Decimal,
    *,
    rate: Decimal = DEFAULT_LATE_FEE_RATE,
    floor: Decimal | None = None,
    cap: Decimal | None = None,
    fixed: Decimal | None = None,
) -> Decimal:
    """The 违约金 for a missed minimum payment: ``fixed``, or ``rate`` × unpaid minimum within floor/cap.

    Nothing is charged when nothing of the minimum is unpaid. The percentage is rounded half up to the
    fen before the floor and cap apply, so a floor or cap is charged exactly as the contract states it.
    """
    check_fen(unpaid_minimum, "unpaid minimum")
    if unpaid_minimum < 0:
        raise ValueError("the unpaid minimum payment cannot be negative")
    for name, value in (("floor", floor), ("cap", cap), ("fixed", fixed)):
        if value is not None:
            check_fen(value, f"late fee {name}")
            if value < 0:
                raise ValueError(f"the late fee {name} cannot be negative")
    if fixed is not None and (floor is not None or cap is not None):
        raise ValueError("a fixed late fee has no floor or cap")
    if floor is not None and cap is not None and floor > cap:
        raise ValueError(f"the late fee floor {floor} is above the cap {cap}")
    if not isinstance(rate, Decimal) or not rate.is_finite() or rate < 0:
        raise ValueError(f"the late fee rate must be a Decimal ≥ 0, got {rate!r}")
    if unpaid_minimum == 0:
        return ZERO
    if fixed is not None:
        return fixed
    fee = round_fen(unpaid_minimum * rate)
    if floor is not None:
        fee = max(fee, floor)
    if cap is not None:
        fee = min(fee, cap)
    return fee


def annualised_cost(
    charges_total: Decimal, principal: Decimal, days: int, *, year_days: int = 365
) -> Decimal:
    """All charges (interest, fees, late fees) over ``days`` on ``principal``, as a yearly rate.

    Simple, not compounded: charges ÷ principal × year_days ÷ days, rounded half up to six places.
    """
    if not isinstance(principal, Decimal) or principal <= 0:
        raise ValueError("the principal must be a positive Decimal")
    if not isinstance(charges_total, Decimal) or charges_total < 0:
        raise ValueError("the charges cannot be negative")
    if isinstance(days, bool) or not isinstance(days, int) or days <= 0:
        raise ValueError("the number of days must be a positive whole number")
    return (charges_total * year_days / (principal * days)).quantize(RATE_PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class CostWarning:
    """The annualised cost is above the ceiling; both messages say by how much."""

    annualised: Decimal
    ceiling: Decimal
    message_zh: str
    message_en: str

    @property
    def reason(self) -> str:
        return f"{self.message_zh} / {self.message_en}"


def _percent(rate: Decimal) -> str:
    return f"{(rate * 100).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}%"


def cost_warning(
    charges_total: Decimal,
    principal: Decimal,
    days: int,
    *,
    ceiling: Decimal = DEFAULT_APR_CEILING,
    year_days: int = 365,
) -> CostWarning | None:
    """A warning when the annualised cost is strictly above ``ceiling``, else ``None``."""
    cost = annualised_cost(charges_total, principal, days, year_days=year_days)
    if cost <= ceiling:
        return None
    return CostWarning(
        annualised=cost,
        ceiling=ceiling,
        message_zh=f"综合年化成本 {_percent(cost)} 超过上限 {_percent(ceiling)}，法院可能不予支持",
        message_en=f"all-in annualised cost {_percent(cost)} is above the {_percent(ceiling)} ceiling; "
        "a court may not support it",
    )


@dataclass(frozen=True, slots=True)
class ProductRules:
    """Every money parameter of one creditor product, with the defaults the domain notes give.

    ``compound`` is off by default: compounding on statement was the 1999 rule, but without it the
    debtor is never overcharged, and a product that compounds says so. ``waterfall`` must name every
    component exactly once, so a payment can never be left as surplus while something is still owed.
    """

    daily_rate: Decimal = DEFAULT_DAILY_RATE
    statement_day_included: bool = True
    compound: bool = False
    late_fee_rate: Decimal = DEFAULT_LATE_FEE_RATE
    late_fee_floor: Decimal | None = None
    late_fee_cap: Decimal | None = None
    late_fee_fixed: Decimal | None = None
    penalty_multiple: Decimal = Decimal("1.5")
    penalty_day_basis: int = DEFAULT_PENALTY_DAY_BASIS
    waterfall: tuple[Component, ...] = DEFAULT_ORDER
    max_plan_months: int = MAX_PLAN_MONTHS
    apr_ceiling: Decimal = DEFAULT_APR_CEILING
    interest_on_fees: bool = False

    def __post_init__(self) -> None:
        waterfall = tuple(Component(c) for c in self.waterfall)
        object.__setattr__(self, "waterfall", waterfall)
        if sorted(waterfall) != sorted(Component):
            raise ValueError(f"the waterfall must name every component once, got {list(self.waterfall)}")
        if not 2 <= self.max_plan_months <= MAX_PLAN_MONTHS:
            raise ValueError(f"max_plan_months must be between 2 and {MAX_PLAN_MONTHS}")
        for name in ("daily_rate", "late_fee_rate", "penalty_multiple", "apr_ceiling"):
            value = getattr(self, name)
            if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
                raise ValueError(f"{name} must be a Decimal ≥ 0, got {value!r}")
        if self.penalty_day_basis <= 0:
            raise ValueError("penalty_day_basis must be positive")
        # Checks the floor/cap/fixed combination once, here, rather than at the first missed payment.
        late_fee(
            ZERO,
            rate=self.late_fee_rate,
            floor=self.late_fee_floor,
            cap=self.late_fee_cap,
            fixed=self.late_fee_fixed,
        )

    def late_fee(self, unpaid_minimum: Decimal) -> Decimal:
        """The product's 违约金 for ``unpaid_minimum``."""
        return late_fee(
            unpaid_minimum,
            rate=self.late_fee_rate,
            floor=self.late_fee_floor,
            cap=self.late_fee_cap,
            fixed=self.late_fee_fixed,
        )

    def penalty_interest(
        self, overdue_principal: Decimal, contract_annual_rate: Decimal, days: int
    ) -> Decimal:
        """The product's 罚息 on ``overdue_principal`` for ``days``."""
        return penalty_interest(
            overdue_principal,
            contract_annual_rate,
            self.penalty_multiple,
            days,
            day_basis=self.penalty_day_basis,
        )

    def cost_warning(self, charges_total: Decimal, principal: Decimal, days: int) -> CostWarning | None:
        """``cost_warning`` against this product's ceiling."""
        return cost_warning(charges_total, principal, days, ceiling=self.apr_ceiling)

    def accruing_components(self) -> tuple[Component, ...]:
        """The components interest accrues on: principal; interest only when compounding; late fee and
        fees only when the contract allows interest on fees; legal costs never."""
        components = [Component.PRINCIPAL]
        if self.compound:
            components.append(Component.INTEREST)
        if self.interest_on_fees:
            components += [Component.LATE_FEE, Component.FEES]
        return tuple(components)

    def accruing_balance(self, balances: Mapping[Component | str, Decimal]) -> Decimal:
        """The part of ``balances`` that bears interest under this product (negative parts count as 0)."""
        held = {Component(k): v for k, v in balances.items()}
        return sum((max(held.get(c, ZERO), ZERO) for c in self.accruing_components()), ZERO)
