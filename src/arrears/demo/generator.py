"""A deterministic, Django-free demo book: creditors, placements, debtors, cases and 90 days of history.

``generate(accounts=..., seed=..., business_date=...)`` returns a :class:`Book`. The small tables
(creditors, placements) are built at once; debtors and everything hanging off them come from
``book.chunks(size)``, one :class:`Chunk` at a time, so a million accounts fit in flat memory.

Determinism: accounts are built in blocks of 64, each block drawing from its own ``random.Random``
seeded from (seed, block index); nothing uses the global generator, ``hash()`` or set order. An
account is therefore the same whatever chunk size is used and whichever process builds it, so chunks
can be produced in parallel and in any order. Values that must be unique across the book (ID
numbers, card and contract numbers, phone numbers, payment references) are derived from the account
index through bijections rather than drawn at random, because independent chunks cannot check each
other for collisions.

The history is not noise: each debtor has a hidden type (willing but unable, forgetful, evasive,
unwilling) that drives answer rates, results, promise keeping and payments, so reports and models
built on the book have something true to find.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import math
import random
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, fields, make_dataclass
from decimal import Decimal
from typing import Generic, TypeVar
from zoneinfo import ZoneInfo

from arrears.creditors.buckets import DEFAULT_BANDS, bucket_for
from arrears.debtors import idnumber
from arrears.demo import vocab

__all__ = [
    "BUCKETS",
    "CREDITORS",
    "DEBTOR_TYPES",
    "TZ",
    "Book",
    "Chunk",
    "DemoAddress",
    "DemoAttempt",
    "DemoCase",
    "DemoContact",
    "DemoCreditor",
    "DemoDebtor",
    "DemoPayment",
    "DemoPlacement",
    "DemoPromise",
    "generate",
    "luhn_digit",
    "money",
]

TZ = ZoneInfo("Asia/Shanghai")
HISTORY_DAYS = 90
MAX_ACCOUNTS = 5_000_000
BUCKETS: tuple[str, ...] = ("M1", "M2", "M3", "M4", "M5", "M6", "M7+")
DEBTOR_TYPES: tuple[str, ...] = ("willing_unable", "forgetful", "evasive", "unwilling")
PRODUCT_LABELS: dict[str, str] = {"credit_card": "信用卡", "consumer_loan": "消费贷"}
CALL_WINDOW_SECONDS = (8 * 3600, 22 * 3600)  # contacts only in [08:00, 22:00) local time

T = TypeVar("T")


# --------------------------------------------------------------------------------------------------
# Public records
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DemoCreditor:
    """A fictional creditor that places accounts for collection."""

    code: str
    name_zh: str
    name_en: str
    product_type: str  # "credit_card" | "consumer_loan"
    compliance_profile: str = "CN"
    bucket_bands: tuple[int, ...] = DEFAULT_BANDS  # upper DPD bound of M1, M2, ...; above: M7+


@dataclass(frozen=True, slots=True)
class DemoPlacement:
    """A placement batch (委案批次): accounts handed over on one date, due back on another."""

    creditor_code: str
    name: str
    entrusted_on: dt.date
    return_on: dt.date
    product_type: str
    commission_rate: Decimal


@dataclass(frozen=True, slots=True)
class DemoAddress:
    """A mainland address in its parts; ``text`` joins them the way a form would print it."""

    province: str
    city: str
    district: str
    street: str  # road and house number, "建设路118号"
    community: str  # 小区 for a home, office building for a workplace
    room: str  # "3栋2单元1102室" / "12楼1203室"

    @property
    def text(self) -> str:
        # Municipalities repeat themselves as province and city; print them once.
        city = "" if self.city == self.province else self.city
        return f"{self.province}{city}{self.district}{self.street}{self.community}{self.room}"


@dataclass(frozen=True, slots=True)
class DemoDebtor:
    """A fictional debtor. ``debtor_type`` is the hidden truth behind the history, not known to users."""

    key: str
    name: str
    id_number: str
    gender: str  # "M" | "F", matching the parity of the ID number's sequence code
    mobiles: tuple[str, ...]  # E.164
    home_address: DemoAddress
    work_address: DemoAddress | None
    employer: str | None
    email: str | None
    debtor_type: str


@dataclass(frozen=True, slots=True)
class DemoContact:
    """A person the debtor named; may only be asked to pass on a message."""

    debtor_key: str
    name: str
    relationship: str  # 配偶/父亲/母亲/兄弟/姐妹/朋友/同事
    phone: str  # E.164


@dataclass(frozen=True, slots=True)
class DemoCase:
    """One overdue account under one placement.

    The amounts are those placed (as of the placement's entrustment date); payments in the history
    reduce them. ``overdue_since`` is the missed due date, so DPD on any day is
    ``(day - overdue_since).days``, as intake computes it.
    """

    debtor_key: str
    creditor_code: str
    placement_name: str
    account_number: str
    product: str  # 信用卡 | 消费贷
    principal: Decimal
    interest: Decimal
    late_fee: Decimal
    other_fees: Decimal
    credit_limit: Decimal
    overdue_since: dt.date
    last_payment_date: dt.date | None
    last_payment_amount: Decimal | None
    statement_day: int | None  # None for loans, which have no statement cycle
    due_day: int

    @property
    def total(self) -> Decimal:
        return self.principal + self.interest + self.late_fee + self.other_fees

    def dpd(self, on: dt.date) -> int:
        return (on - self.overdue_since).days


@dataclass(frozen=True, slots=True)
class DemoAttempt:
    """One contact attempt (催记).

    For SMS the outcome records delivery: ``right_party`` when delivered to the debtor's own number,
    ``suspended``/``not_exist`` when it bounced; contact-rate KPIs should be computed on calls.
    """

    account_number: str
    at: dt.datetime  # aware, Asia/Shanghai
    channel: str  # "call" | "sms"
    party: str  # "debtor" | "contact"
    target: str  # E.164
    outcome: str
    result: str | None
    note: str


@dataclass(frozen=True, slots=True)
class DemoPromise:
    """A promise to pay, made on a right-party call.

    Status against the payments dated from ``made_at``'s day to ``due_on`` inclusive: kept (paid at
    least the amount), partly_kept (paid something less), broken (paid nothing), open (due on or
    after the business date, so not yet decided).
    """

    account_number: str
    made_at: dt.datetime
    amount: Decimal
    due_on: dt.date
    status: str


@dataclass(frozen=True, slots=True)
class DemoPayment:
    """Money received on a case; never more than the balance owed at the time."""

    account_number: str
    paid_on: dt.date
    amount: Decimal
    channel: str  # "bank_transfer" | "alipay" | "wechat" | "counter"
    reference: str


@dataclass(frozen=True, slots=True)
class Chunk:
    """The debtors ``start`` to ``stop - 1`` of a book and everything that belongs to them."""

    index: int
    start: int
    stop: int
    debtors: list[DemoDebtor]
    contacts: list[DemoContact]
    cases: list[DemoCase]
    attempts: list[DemoAttempt]
    promises: list[DemoPromise]
    payments: list[DemoPayment]


@dataclass(frozen=True, slots=True)
class Book:
    """A generated demo book. Small tables are attributes; the big ones come from :meth:`chunks`."""

    accounts: int
    seed: int
    business_date: dt.date
    creditors: tuple[DemoCreditor, ...]
    placements: tuple[DemoPlacement, ...]
    _factory: _AccountFactory = field(repr=False, compare=False)

    def chunk_count(self, size: int = 10_000) -> int:
        _check_size(size)
        return -(-self.accounts // size)

    def chunk(self, index: int, size: int = 10_000) -> Chunk:
        """Build chunk ``index`` on its own, e.g. in a worker process."""
        _check_size(size)
        if not 0 <= index < max(self.chunk_count(size), 1):
            raise IndexError(f"chunk {index} is outside the book")
        start = index * size
        return self._factory.chunk(index, start, min(start + size, self.accounts))

    def chunks(self, size: int = 10_000) -> Iterator[Chunk]:
        """Yield the chunks in order, each built only when asked for."""
        for index in range(self.chunk_count(size)):
            yield self.chunk(index, size)


def _check_size(size: int) -> None:
    if size < 1:
        raise ValueError("chunk size must be at least 1")


def generate(*, accounts: int, seed: int, business_date: dt.date) -> Book:
    """Build the book for ``accounts`` debtors. Same arguments, same book, byte for byte."""
    if isinstance(business_date, dt.datetime) or not isinstance(business_date, dt.date):
        raise TypeError("business_date must be a datetime.date")
    if not 0 <= accounts <= MAX_ACCOUNTS:
        raise ValueError(f"accounts must be between 0 and {MAX_ACCOUNTS}")
    plans = _placement_plans(seed, business_date)
    factory = _AccountFactory(seed=seed, accounts=accounts, business_date=business_date, plans=plans)
    placements = tuple(plan.placement for code in _CREDITOR_CODES for plan in plans[code])
    return Book(accounts, seed, business_date, CREDITORS, placements, factory)


# --------------------------------------------------------------------------------------------------
# Creditors and placements
# --------------------------------------------------------------------------------------------------

CREDITORS: tuple[DemoCreditor, ...] = (
    DemoCreditor("DHBANK", "东湖银行信用卡中心", "Donghu Bank Credit Card Centre", "credit_card"),
    DemoCreditor("NJRCB", "南瑾农村商业银行", "Nanjin Rural Commercial Bank", "credit_card"),
    DemoCreditor("XLCF", "祥麟消费金融有限公司", "Xianglin Consumer Finance Co., Ltd.", "consumer_loan"),
)
_CREDITOR_CODES = tuple(c.code for c in CREDITORS)
_CREDITOR_BY_CODE = {c.code: c for c in CREDITORS}
# Share of debtors, number of placement batches, and the number prefix: a six-digit BIN for cards
# (made up, not taken from any issuer list) or the letters that start a loan contract number.
_CREDITOR_SETUP: dict[str, tuple[int, int, str]] = {
    "DHBANK": (45, 3, "625917"),
    "NJRCB": (22, 2, "623358"),
    "XLCF": (33, 3, "XL"),
}
# Commission by the lowest bucket a batch held when it was placed: later buckets are harder to
# collect, so agencies are paid a larger share (reference: about 12%-40% by bucket).
_COMMISSION_BY_BUCKET = ("0.12", "0.15", "0.18", "0.22", "0.25", "0.30", "0.35")
_COMMISSION_CREDITOR_OFFSET = {"DHBANK": "0.00", "NJRCB": "0.02", "XLCF": "0.01"}


@dataclass(frozen=True, slots=True)
class _PlacementPlan:
    """A placement plus the DPD range (as of the business date) of the cases it holds."""

    placement: DemoPlacement
    age: int  # days from entrustment to the business date
    min_dpd: int
    max_dpd: int | None


def _placement_plans(seed: int, business_date: dt.date) -> dict[str, tuple[_PlacementPlan, ...]]:
    """Two or three batches per creditor, each holding a contiguous DPD range.

    A case's DPD at entrustment is its DPD today minus the batch's age, and must be at least 1. The
    ranges are cut so that every DPD today falls in exactly one batch, and each batch's name states the
    buckets its cases were in when placed, so the name is true for every case in it.
    """
    rng = random.Random(f"arrears.demo/placements/{seed}")
    plans: dict[str, tuple[_PlacementPlan, ...]] = {}
    for creditor in CREDITORS:
        count = _CREDITOR_SETUP[creditor.code][1]
        if count == 3:
            ages = [rng.randint(3, 10), rng.randint(30, 55), rng.randint(75, 110)]
            cuts = [90, 180]
        else:
            ages = [rng.randint(3, 10), rng.randint(60, 110)]
            cuts = [120]
        lows = [ages[0] + 1] + [cut + 1 for cut in cuts]
        highs: list[int | None] = [*cuts, None]
        batch: list[_PlacementPlan] = []
        for age, low, high in zip(ages, lows, highs, strict=True):
            entrusted = business_date - dt.timedelta(days=age)
            bands = creditor.bucket_bands
            low_bucket = bucket_for(low - age, bands)
            if high is None:
                label = f"{low_bucket}+" if not low_bucket.endswith("+") else low_bucket
            else:
                high_bucket = bucket_for(high - age, bands)
                label = low_bucket if high_bucket == low_bucket else f"{low_bucket}-{high_bucket}"
            rate = Decimal(_COMMISSION_BY_BUCKET[_bucket_index(low - age, bands)]) + Decimal(
                _COMMISSION_CREDITOR_OFFSET[creditor.code]
            )
            # Late-bucket batches get a longer term, so the oldest one is still active today.
            term = 90 if age < 85 else 120
            placement = DemoPlacement(
                creditor_code=creditor.code,
                name=f"{entrusted:%Y-%m} {label} 委案",
                entrusted_on=entrusted,
                return_on=entrusted + dt.timedelta(days=term),
                product_type=creditor.product_type,
                commission_rate=rate,
            )
            batch.append(_PlacementPlan(placement, age, low, high))
        plans[creditor.code] = tuple(batch)
    return plans


def _bucket_index(dpd: int, bands: Sequence[int]) -> int:
    for i, upper in enumerate(bands):
        if dpd <= upper:
            return i
    return len(bands)


# --------------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------------


class _Weighted(Generic[T]):
    """Weighted choice by bisection on cumulative weights; several times cheaper than rng.choices."""

    __slots__ = ("cum", "items", "total")

    def __init__(self, pairs: Sequence[tuple[T, float]]) -> None:
        self.items: tuple[T, ...] = tuple(item for item, _ in pairs)
        running = 0.0
        cum: list[float] = []
        for _, weight in pairs:
            running += weight
            cum.append(running)
        self.cum = tuple(cum)
        self.total = running

    def pick(self, u: float) -> T:
        """The item for a uniform draw ``u`` in [0, 1)."""
        return self.items[bisect_right(self.cum, u * self.total)]


def money(cents: int) -> Decimal:
    """Integer fen to a Decimal yuan with exactly two places (scaleb keeps the exponent at -2)."""
    return Decimal(cents).scaleb(-2)


def _yuan_text(cents: int) -> str:
    return str(cents // 100) if cents % 100 == 0 else f"{cents // 100}.{cents % 100:02d}"


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)


def _fast_constructor(cls: type[T]) -> Callable[..., T]:
    """A positional constructor for a frozen slotted dataclass, about three times faster than ``cls``.

    The ``__init__`` that dataclasses generates for a frozen class must store every field through
    ``object.__setattr__``, a slow call per field; the generator builds records by the million, and
    that alone was a third of its run time. So records are built as instances of a plain (mutable)
    slotted twin with the same fields, whose ``__init__`` stores fields directly, and then given the
    frozen class: CPython allows ``__class__`` assignment between classes with identical slot
    layouts, and from then on the object is an ordinary, frozen instance of ``cls``. ``build(*args)``
    equals ``cls(*args)`` (the records have no defaults or checks to skip); a test holds it to that.
    """
    draft = make_dataclass(
        f"_{cls.__name__}Draft",
        [(f.name, f.type) for f in fields(cls)],  # type: ignore[arg-type]
        slots=True,
        eq=False,
        repr=False,
        match_args=False,
    )

    def build(*args: object) -> T:
        obj = draft(*args)
        obj.__class__ = cls
        return obj  # type: ignore[return-value]

    return build


_new_address = _fast_constructor(DemoAddress)
_new_debtor = _fast_constructor(DemoDebtor)
_new_contact = _fast_constructor(DemoContact)
_new_case = _fast_constructor(DemoCase)
_new_attempt = _fast_constructor(DemoAttempt)
_new_promise = _fast_constructor(DemoPromise)
_new_payment = _fast_constructor(DemoPayment)


def luhn_digit(body: str) -> str:
    """The Luhn check digit to append to ``body`` (card numbers carry one)."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = ord(ch) - 48
        if i % 2 == 0:  # every second digit from the right of the full number is doubled
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return str(-total % 10)


# Luhn sums of digit pairs "ab" with a doubled and b not. Once the check digit is appended, the body's
# last digit is doubled and then every second one leftwards, so a card's nine-digit tail sums in four
# pair lookups and one single: the digit-by-digit loop of luhn_digit costs several times more.
_LUHN_PAIRS = {f"{a}{b}": (a * 2 - 9 if a > 4 else a * 2) + b for a in range(10) for b in range(10)}
_LUHN_DOUBLE = {str(a): a * 2 - 9 if a > 4 else a * 2 for a in range(10)}

_NAME_SURNAMES = _Weighted([((s, p), w) for s, p, w in vocab.SURNAMES])
_FIRST_CHARS = {"M": vocab.GIVEN_MALE + vocab.GIVEN_NEUTRAL, "F": vocab.GIVEN_FEMALE + vocab.GIVEN_NEUTRAL}
_LAST_CHARS = {"M": vocab.GIVEN_MALE, "F": vocab.GIVEN_FEMALE}
_Region = tuple[str, str, str, str, int, int]
_HUKOU_REGIONS: _Weighted[_Region] = _Weighted([(row, row[4]) for row in vocab.REGIONS])
_HOME_REGIONS: _Weighted[_Region] = _Weighted([(row, row[5]) for row in vocab.REGIONS])
_CITY_DISTRICTS: dict[str, tuple[_Region, ...]] = {}
for _row in vocab.REGIONS:
    _CITY_DISTRICTS[_row[2]] = (*_CITY_DISTRICTS.get(_row[2], ()), _row)
_MOBILE_PREFIXES = _Weighted(vocab.MOBILE_PREFIXES)
_COMPANY_FORMS = _Weighted(vocab.COMPANY_FORMS)
_DEBTOR_TYPES = _Weighted(list(zip(DEBTOR_TYPES, (30, 25, 30, 15), strict=True)))
_CREDITOR_PICK = _Weighted([(code, _CREDITOR_SETUP[code][0]) for code in _CREDITOR_CODES])
_BUCKET_PICK = _Weighted(list(zip(range(7), (30, 18, 13, 10, 8, 7, 14), strict=True)))
# Debtors' ages: card and consumer-loan arrears are concentrated between 25 and 45.
_AGE_BANDS = _Weighted(
    [
        ((20, 24), 8),
        ((25, 29), 20),
        ((30, 34), 22),
        ((35, 39), 18),
        ((40, 44), 13),
        ((45, 49), 9),
        ((50, 54), 6),
        ((55, 59), 3),
        ((60, 65), 1),
    ]
)
_CONTACT_COUNT = _Weighted([(1, 35), (2, 45), (3, 20)])
_PAYMENT_CHANNELS = _Weighted([("bank_transfer", 35), ("alipay", 30), ("wechat", 25), ("counter", 10)])
# Start of a day's calling: collectors work office hours with an evening peak, never before 8:00.
_FIRST_HOUR = _Weighted(
    [
        (8, 4),
        (9, 12),
        (10, 14),
        (11, 11),
        (12, 4),
        (13, 6),
        (14, 11),
        (15, 11),
        (16, 9),
        (17, 6),
        (18, 4),
        (19, 5),
        (20, 3),
    ]
)
_CONTACT_MISSED = _Weighted([("no_answer", 55), ("busy", 15), ("rejected", 20), ("switched_off", 10)])


def _relationship_profiles() -> dict[tuple[bool, bool, bool, bool], _Weighted[str]]:
    """Whom a debtor names, by life stage: no spouse at 20, rarely a living father at 60."""
    profiles: dict[tuple[bool, bool, bool, bool], _Weighted[str]] = {}
    for married in (False, True):
        for father in (False, True):
            for mother in (False, True):
                for employed in (False, True):
                    options: list[tuple[str, int]] = [("兄弟", 10), ("姐妹", 10), ("朋友", 12)]
                    options += [("配偶", 30)] if married else []
                    options += [("父亲", 14)] if father else []
                    options += [("母亲", 18)] if mother else []
                    options += [("同事", 8)] if employed else []
                    profiles[married, father, mother, employed] = _Weighted(options)
    return profiles


_RELATIONSHIPS = _relationship_profiles()

# The ID sequence code is three digits with gender in its parity; 499 classes of (odd, even) pairs
# leave out 000. See _AccountFactory._birth for how the classes keep ID numbers unique.
_SEQ_CLASSES = 499
_BLOCK = 64  # accounts per seeded generator, see _AccountFactory.accounts
_DAY_END = CALL_WINDOW_SECONDS[1]
# One timedelta per second of the calling day, built once: adding a ready-made timedelta to a day's
# midnight is about three times cheaper than constructing one per attempt.
_SECONDS = tuple(dt.timedelta(seconds=s) for s in range(_DAY_END))


@dataclass(frozen=True, slots=True)
class _Behaviour:
    """How one debtor type behaves under collection; the figures are plausible, not measured."""

    kind: str
    answer: float  # a call to a working number is answered by the debtor
    family_answers: float  # someone else picks up the debtor's phone
    missed: _Weighted[str]  # outcome of a call that is not answered
    dead_number: float  # a mobile is already suspended or gone when collection starts
    results: _Weighted[str | None]  # what a right-party conversation ends with
    kept: float  # promise fate: kept below this,
    partly: float  # partly kept below this, broken above
    due_lag: tuple[int, int]  # days from promise to promised date
    gap: tuple[int, int]  # days between call days when nothing is pending
    spontaneous: float  # chance of an unprompted payment in a quiet gap
    sms: float  # chance of a reminder SMS on a call day


_BEHAVIOUR: dict[str, _Behaviour] = {
    "forgetful": _Behaviour(
        kind="forgetful",
        answer=0.55,
        family_answers=0.04,
        missed=_Weighted([("no_answer", 70), ("busy", 18), ("rejected", 5), ("switched_off", 7)]),
        dead_number=0.03,
        results=_Weighted(
            [
                ("promise", 55),
                (None, 14),
                ("call_back", 14),
                ("claims_paid", 7),
                ("plan_request", 4),
                ("hardship", 4),
                ("waiver_request", 2),
            ]
        ),
        kept=0.80,
        partly=0.90,
        due_lag=(0, 3),
        gap=(7, 14),
        spontaneous=0.12,
        sms=0.25,
    ),
    "evasive": _Behaviour(
        kind="evasive",
        answer=0.22,
        family_answers=0.05,
        missed=_Weighted([("no_answer", 45), ("busy", 8), ("rejected", 25), ("switched_off", 22)]),
        dead_number=0.12,
        results=_Weighted(
            [
                ("promise", 50),
                ("call_back", 18),
                ("hardship", 10),
                (None, 8),
                ("dispute", 5),
                ("waiver_request", 5),
                ("plan_request", 4),
            ]
        ),
        kept=0.12,
        partly=0.32,
        due_lag=(2, 10),
        gap=(6, 11),
        spontaneous=0.02,
        sms=0.2,
    ),
    "unwilling": _Behaviour(
        kind="unwilling",
        answer=0.35,
        family_answers=0.04,
        missed=_Weighted([("no_answer", 30), ("busy", 8), ("rejected", 45), ("switched_off", 17)]),
        dead_number=0.15,
        results=_Weighted(
            [
                ("refuses", 40),
                ("dispute", 14),
                ("complaint_threat", 12),
                (None, 10),
                ("call_back", 7),
                ("promise", 8),
                ("waiver_request", 9),
            ]
        ),
        kept=0.20,
        partly=0.35,
        due_lag=(3, 10),
        gap=(8, 16),
        spontaneous=0.01,
        sms=0.2,
    ),
    "willing_unable": _Behaviour(
        kind="willing_unable",
        answer=0.60,
        family_answers=0.05,
        missed=_Weighted([("no_answer", 62), ("busy", 20), ("rejected", 8), ("switched_off", 10)]),
        dead_number=0.05,
        results=_Weighted(
            [
                ("hardship", 30),
                ("promise", 32),
                ("plan_request", 15),
                ("waiver_request", 8),
                (None, 8),
                ("call_back", 5),
                ("claims_paid", 2),
            ]
        ),
        kept=0.42,
        partly=0.80,
        due_lag=(3, 14),
        gap=(8, 16),
        spontaneous=0.15,
        sms=0.2,
    ),
}


def _with_notes(weighted: _Weighted[str]) -> _Weighted[tuple[str, str]]:
    """The same outcomes paired with each of their notes, so the hot loop draws both at once."""
    pairs: list[tuple[tuple[str, str], float]] = []
    previous = 0.0
    for outcome, cumulative in zip(weighted.items, weighted.cum, strict=True):
        notes = vocab.NOTES_CALL_OUTCOME[outcome]
        pairs.extend(((outcome, note), (cumulative - previous) / len(notes)) for note in notes)
        previous = cumulative
    return _Weighted(pairs)


_MISSED_WITH_NOTE = {kind: _with_notes(behaviour.missed) for kind, behaviour in _BEHAVIOUR.items()}
# Days to wait after a conversation that ended this way, before calling again.
_PAUSE_AFTER: dict[str | None, tuple[int, int]] = {
    "call_back": (1, 1),
    "hardship": (5, 10),
    "plan_request": (5, 10),
    "waiver_request": (5, 10),
    "complaint_threat": (7, 12),
    "dispute": (10, 15),
    "claims_paid": (2, 4),
}

# Number states while simulating. Collectors learn that a number is dead or wrong only by dialling it;
# after that it is dropped from the usable list.
_WORKING, _DEAD, _WRONG = 0, 1, 2


# --------------------------------------------------------------------------------------------------
# The account factory
# --------------------------------------------------------------------------------------------------


class _AccountFactory:
    """Builds accounts from (seed, index). Shared by the book and the creditor-file writer."""

    def __init__(
        self,
        *,
        seed: int,
        accounts: int,
        business_date: dt.date,
        plans: dict[str, tuple[_PlacementPlan, ...]],
        salt: str = "book",
    ) -> None:
        self.business_date = business_date
        self.plans = plans
        digest = hashlib.sha256(f"arrears.demo/{salt}/{seed}".encode()).digest()
        self._seed_base = int.from_bytes(digest[:12], "big") << 32
        # Offsets of the bijections that turn serial numbers into phone and account digits.
        self._off8 = int.from_bytes(digest[12:16], "big") % 10**8
        self._off9 = int.from_bytes(digest[16:20], "big") % 10**9
        self._off10 = int.from_bytes(digest[20:25], "big") % 10**10
        self._seq_off = digest[25] % _SEQ_CLASSES
        self._card_prefix_sum = {
            code: sum(_LUHN_DOUBLE[c] if i % 2 == 0 else int(c) for i, c in enumerate(setup[2]))
            for code, setup in _CREDITOR_SETUP.items()
            if setup[2].isdigit()
        }

        # Birth dates, see _birth: age 20..65 on the business date.
        self._max_birth = _years_before(business_date, 20).toordinal()
        min_birth = _years_before(business_date, 66).toordinal() + 1
        span = self._max_birth - min_birth + 1
        needed = max(accounts - 1, 0) // _SEQ_CLASSES + 1
        if needed > span:
            raise ValueError("too many accounts for unique ID numbers")
        self._window = min(span, max(3653, needed))
        self._stride = 7919 if self._window % 7919 else 7907  # a prime that does not divide the window
        age_rng = random.Random(f"arrears.demo/{salt}/ages/{seed}")
        windows: list[tuple[int, int]] = []
        for _ in range(_SEQ_CLASSES):
            low, high = _AGE_BANDS.pick(age_rng.random())
            centre = int((age_rng.uniform(low, high + 1) - 20) * 365.25)
            start = min(max(centre - self._window // 2, 0), span - self._window)
            windows.append((start, age_rng.randrange(self._window)))
        self._windows = tuple(windows)

        history_start = business_date - dt.timedelta(days=HISTORY_DAYS)
        self._history_start_ord = history_start.toordinal()
        self._day_start = tuple(
            dt.datetime.combine(history_start + dt.timedelta(days=i), dt.time(), tzinfo=TZ)
            for i in range(HISTORY_DAYS)
        )
        self._bd_ord = business_date.toordinal()

    # -- seeding and chunks ---------------------------------------------------------------------------

    def accounts(self, start: int, stop: int) -> Iterator[tuple[int, random.Random]]:
        """Yield (n, generator positioned for account n) for n in [start, stop).

        Accounts come in blocks of ``_BLOCK``; each block has its own generator seeded from (seed,
        block) and its accounts draw from it in turn. Seeding costs as much as a small account, so it
        is done per block rather than per account. An account still depends only on the seed and its
        index, so any chunking gives the same book: when ``start`` falls inside a block, the accounts
        before it are built and thrown away to bring the generator to the same point.
        """
        rng = random.Random()
        scratch = Chunk(-1, 0, 0, [], [], [], [], [], [])
        for n in range(start - start % _BLOCK, stop):
            if n % _BLOCK == 0:
                rng.seed(self._seed_base | (n // _BLOCK))
            if n < start:
                self.account(rng, n, scratch)
            else:
                yield n, rng

    def chunk(self, index: int, start: int, stop: int) -> Chunk:
        out = Chunk(index, start, stop, [], [], [], [], [], [])
        # The records form no reference cycles, so the cyclic collector has nothing to find here, yet
        # the allocations would trigger it over and over across a growing chunk: about a fifth of the
        # run time. Pause it while the chunk is built and restore the caller's setting afterwards.
        collecting = gc.isenabled()
        gc.disable()
        try:
            for n, rng in self.accounts(start, stop):
                self.account(rng, n, out)
        finally:
            if collecting:
                gc.enable()
        return out

    def account(self, rng: random.Random, n: int, out: Chunk) -> None:
        """Build debtor n, their contacts, cases and history, appending them to ``out``."""
        r = rng.random
        debtor, contacts = self.debtor(rng, n)
        out.debtors.append(debtor)
        out.contacts.extend(contacts)
        creditor_code = _CREDITOR_PICK.pick(r())
        codes = [creditor_code]
        if r() < 0.03:  # about 3% of debtors owe a second creditor too
            others = [c for c in _CREDITOR_CODES if c != creditor_code]
            codes.append(others[int(r() * len(others))])
        behaviour = _BEHAVIOUR[debtor.debtor_type]
        phones = tuple(c.phone for c in contacts)
        for k, code in enumerate(codes):
            case, balance = self.case(rng, 2 * n + k, debtor.key, code)
            out.cases.append(case)
            self._history(rng, behaviour, 2 * n + k, case, balance, debtor.mobiles, phones, out)

    # -- debtor ---------------------------------------------------------------------------------------

    def phone(self, serial: int, u: float) -> str:
        """A unique E.164 mobile for ``serial``: an affine bijection mod 10^8, digits reversed."""
        digits = f"{(serial * 48_271_009 + self._off8) % 100_000_000:08d}"[::-1]
        return f"+86{_MOBILE_PREFIXES.pick(u)}{digits}"

    def _birth(self, n: int, male: bool) -> tuple[int, int]:
        """(birth ordinal, sequence code) such that no two accounts share both.

        Account n falls in class c = n mod 499, which fixes the sequence code's odd/even pair, and has
        rank q = n div 499 within it. Within a class the birth date is an affine map of q modulo a
        window of days (stride coprime with the window), so it differs for every q. Region, birth date
        and sequence together are therefore unique in the book whatever region is drawn, while each
        class's window is centred on a realistically weighted age.
        """
        cls, rank = n % _SEQ_CLASSES, n // _SEQ_CLASSES
        slot = (cls * 263 + self._seq_off) % _SEQ_CLASSES
        start, offset = self._windows[slot]
        days_back = start + (offset + rank * self._stride) % self._window
        return self._max_birth - days_back, 2 * slot + (1 if male else 2)

    @staticmethod
    def name(r: Callable[[], float], gender: str, surname: tuple[str, str]) -> tuple[str, str]:
        """A given name after ``surname``: one character a quarter of the time, else two."""
        sur, sur_py = surname
        last = _LAST_CHARS[gender]
        c2, p2 = last[int(r() * len(last))]
        if r() < 0.25:
            return sur + c2, sur_py + p2
        first = _FIRST_CHARS[gender]
        c1, p1 = first[int(r() * len(first))]
        if c1 == c2:  # 伟伟-style repeats exist but are rare; keep them out
            return sur + c2, sur_py + p2
        return sur + c1 + c2, sur_py + p1 + p2

    @staticmethod
    def home(r: Callable[[], float], region: _Region) -> DemoAddress:
        estate = (
            vocab.ESTATE_WORDS[int(r() * len(vocab.ESTATE_WORDS))]
            + vocab.ESTATE_SUFFIXES[int(r() * len(vocab.ESTATE_SUFFIXES))]
        )
        floor = 1 + int(r() * 28)
        room = f"{1 + int(r() * 30)}栋{1 + int(r() * 4)}单元{floor}{1 + int(r() * 4):02d}室"
        street = f"{vocab.ROADS[int(r() * len(vocab.ROADS))]}{1 + int(r() * 400)}号"
        return _new_address(region[1], region[2], region[3], street, estate, room)

    @staticmethod
    def work(r: Callable[[], float], city: str) -> DemoAddress:
        """An office in the same city as the home, in any of its districts."""
        districts = _CITY_DISTRICTS[city]
        region = districts[int(r() * len(districts))]
        building = (
            vocab.ESTATE_WORDS[int(r() * len(vocab.ESTATE_WORDS))]
            + vocab.OFFICE_SUFFIXES[int(r() * len(vocab.OFFICE_SUFFIXES))]
        )
        floor = 1 + int(r() * 30)
        street = f"{vocab.ROADS[int(r() * len(vocab.ROADS))]}{1 + int(r() * 400)}号"
        room = f"{floor}楼{floor}{1 + int(r() * 20):02d}室"
        return _new_address(region[1], region[2], region[3], street, building, room)

    def debtor(self, rng: random.Random, n: int) -> tuple[DemoDebtor, list[DemoContact]]:
        """Debtor n and the contacts they named."""
        r = rng.random
        key = f"D{n + 1:07d}"
        debtor_type = _DEBTOR_TYPES.pick(r())
        male = r() < 0.58  # card arrears skew male
        gender = "M" if male else "F"
        birth_ord, sequence = self._birth(n, male)
        birth = dt.date.fromordinal(birth_ord)
        hukou = _HUKOU_REGIONS.pick(r())
        id_number = idnumber.make(hukou[0], birth, sequence)
        surname = _NAME_SURNAMES.pick(r())
        name, pinyin = self.name(r, gender, surname)
        # Most live where they are registered; the rest have moved, mostly to the big cities.
        home_region = hukou if r() < 0.6 else _HOME_REGIONS.pick(r())
        home = self.home(r, home_region)
        u = r()
        if u < 0.10:  # unemployed, retired or not disclosed
            employer, work = None, None
        elif u < 0.16:
            employer, work = vocab.SELF_EMPLOYED, None
        else:
            city = home_region[2]
            brand = vocab.COMPANY_BRANDS[int(r() * len(vocab.COMPANY_BRANDS))]
            industry = vocab.COMPANY_INDUSTRIES[int(r() * len(vocab.COMPANY_INDUSTRIES))]
            employer = city.removesuffix("市") + brand + industry + _COMPANY_FORMS.pick(r())
            work = self.work(r, city)
        mobile = self.phone(8 * n, r())
        mobiles = (mobile,) if r() < 0.72 else (mobile, self.phone(8 * n + 1, r()))
        u = r()
        if u < 0.35:
            email: str | None = f"{pinyin}{birth.year % 100:02d}@{vocab.EMAIL_DOMAINS[int(r() * 3)]}"
        elif u < 0.55:  # QQ-number style
            email = f"{10_000 + int(r() * 2_000_000_000)}@{vocab.EMAIL_DOMAINS[int(r() * 3)]}"
        else:
            email = None
        debtor = _new_debtor(key, name, id_number, gender, mobiles, home, work, employer, email, debtor_type)

        age = self.business_date.year - birth.year
        profile = _RELATIONSHIPS[age >= 24, age <= 58, age <= 60, work is not None]
        contacts: list[DemoContact] = []
        chosen: list[str] = []
        for slot in range(_CONTACT_COUNT.pick(r())):
            relationship = profile.pick(r())
            while relationship in chosen:  # each relationship once: nobody names two fathers
                relationship = profile.pick(r())
            chosen.append(relationship)
            if relationship == "配偶":
                cname = self.name(r, "F" if male else "M", _NAME_SURNAMES.pick(r()))[0]
            elif relationship == "父亲" or relationship == "兄弟":
                cname = self.name(r, "M", surname)[0]
            elif relationship == "姐妹":
                cname = self.name(r, "F", surname)[0]
            elif relationship == "母亲":
                cname = self.name(r, "F", _NAME_SURNAMES.pick(r()))[0]
            else:
                cname = self.name(r, "M" if r() < 0.5 else "F", _NAME_SURNAMES.pick(r()))[0]
            contacts.append(_new_contact(key, cname, relationship, self.phone(8 * n + 2 + slot, r())))
        return debtor, contacts

    # -- case -----------------------------------------------------------------------------------------

    def account_number(self, serial: int, code: str, year: int) -> str:
        """Unique per serial: an affine bijection of the serial, digits reversed so neighbours differ."""
        prefix = _CREDITOR_SETUP[code][2]
        if code in self._card_prefix_sum:
            tail = f"{(serial * 387_420_489 + self._off9) % 1_000_000_000:09d}"[::-1]
            # Luhn over BIN (6) + tail (9): with the check digit last, tail digits 0, 2, .., 8 are doubled.
            pairs = _LUHN_PAIRS
            total = (
                self._card_prefix_sum[code]
                + pairs[tail[0:2]]
                + pairs[tail[2:4]]
                + pairs[tail[4:6]]
                + pairs[tail[6:8]]
                + _LUHN_DOUBLE[tail[8]]
            )
            return f"{prefix}{tail}{-total % 10}"
        return f"{prefix}{year}" + f"{(serial * 3_486_784_401 + self._off10) % 10**10:010d}"[::-1]

    @staticmethod
    def draw_dpd(r: Callable[[], float], bands: Sequence[int], min_dpd: int) -> int:
        """DPD today: buckets M1..M7+ with counts falling with age, as a card book has them."""
        bucket = _BUCKET_PICK.pick(r())
        if bucket == 0:
            return min_dpd + int(r() * (bands[0] - min_dpd + 1))
        if bucket < len(bands):
            low = bands[bucket - 1] + 1
            return low + int(r() * (bands[bucket] - low + 1))
        # M7+: a long tail up to about three years, when limitation starts to matter.
        return bands[-1] + 1 + min(int(-math.log(1.0 - r()) * 220), 900)

    @staticmethod
    def amounts(rng: random.Random, product: str, dpd: int) -> tuple[int, int, int, int, int]:
        """(principal, interest, late fee, other fees, credit limit) in fen for a DPD at placement."""
        r = rng.random
        if product == "credit_card":
            # Lognormal with a median near ¥8,000: many small balances, about 1% above ¥100,000.
            principal = min(max(int(rng.lognormvariate(8.987, 1.05) * 100), 30_000), 50_000_000)
            # 0.05% a day on the full balance, with noise for partial repayments along the way.
            interest = int(principal * 0.0005 * dpd * (0.85 + 0.3 * r()))
            minimum = principal // 10
            # Limits in thousands, mostly above the balance; a few accounts ran over the limit.
            utilisation = 0.55 + 0.45 * r() if r() < 0.9 else 1.0 + 0.12 * r()
            limit = max(1000, math.ceil(principal / 100 / utilisation / 1000) * 1000) * 100
            u = r()
            if u < 0.2:  # annual fee not waived
                other = (10_000, 20_000, 30_000, 60_000)[int(r() * 4)]
            elif u < 0.28:  # cash-advance fee
                other = principal // 100
            else:
                other = 0
        else:
            principal = min(max(int(rng.lognormvariate(9.393, 0.85) * 100), 100_000), 50_000_000)
            # Penalty interest (罚息) at about 1.5 times a 12-18% contract rate.
            interest = int(principal * (0.00045 + 0.00025 * r()) * dpd)
            minimum = principal // 12  # one monthly instalment
            limit = math.ceil(principal / 100 / (0.6 + 0.4 * r()) / 1000) * 1000 * 100
            other = principal // 50 if r() < 0.1 else 0  # service fee
        # 违约金: 5% of the unpaid minimum payment for each missed cycle.
        late_fee = minimum // 20 * min(-(-dpd // 30), 36)
        return principal, interest, late_fee, other, limit

    def case(
        self, rng: random.Random, serial: int, debtor_key: str, code: str, plan: _PlacementPlan | None = None
    ) -> tuple[DemoCase, int]:
        """A case with creditor ``code`` and its placed balance in fen.

        Without ``plan`` the case goes to the creditor's batch whose DPD range holds it; amounts are as
        of entrustment, so interest and fees have run for the DPD at that date.
        """
        r = rng.random
        creditor = _CREDITOR_BY_CODE[code]
        if plan is None:
            plans = self.plans[code]
            dpd = self.draw_dpd(r, creditor.bucket_bands, plans[0].min_dpd)
            plan = plans[-1]
            for candidate in plans:
                if candidate.max_dpd is None or dpd <= candidate.max_dpd:
                    plan = candidate
                    break
        else:
            dpd = self.draw_dpd(r, creditor.bucket_bands, plan.min_dpd)
        principal, interest, late_fee, other, limit = self.amounts(rng, creditor.product_type, dpd - plan.age)
        overdue_ord = self._bd_ord - dpd
        overdue_since = dt.date.fromordinal(overdue_ord)
        year = overdue_since.year - int(r() * 3)  # loans were signed up to two years before default
        account = self.account_number(serial, code, year)
        # DPD counts days after the missed due date (as intake computes it: business date - since),
        # so overdue_since is that due date itself.
        due_day = overdue_since.day
        statement_day = (due_day - 21) % 28 + 1 if creditor.product_type == "credit_card" else None
        if r() < 0.85:
            last_date: dt.date | None = dt.date.fromordinal(overdue_ord - 1 - int(r() * 45))
            last_amount: Decimal | None = money(max(5_000, int(principal * (0.03 + 0.09 * r())) // 100 * 100))
        else:  # never paid anything: first-payment default
            last_date, last_amount = None, None
        record = _new_case(
            debtor_key,
            code,
            plan.placement.name,
            account,
            PRODUCT_LABELS[creditor.product_type],
            money(principal),
            money(interest),
            money(late_fee),
            money(other),
            money(limit),
            overdue_since,
            last_date,
            last_amount,
            statement_day,
            due_day,
        )
        return record, principal + interest + late_fee + other

    # -- history --------------------------------------------------------------------------------------

    def _history(
        self,
        rng: random.Random,
        b: _Behaviour,
        serial: int,
        case: DemoCase,
        balance: int,
        mobiles: tuple[str, ...],
        contact_phones: tuple[str, ...],
        out: Chunk,
    ) -> None:
        """Simulate up to 90 days of calls, SMS, promises and payments, jumping from call day to call day.

        Rules kept by construction: contact only in [08:00, 22:00); at most two calls and one SMS per
        number per day; at most one conversation with the debtor per day; contacts only after three
        failed calls in a row or when no valid number is left (lost contact), and never about the debt;
        no new call while a promise is running, so promise windows never overlap and every payment
        inside a window belongs to that promise; no payment above the balance then owed.
        """
        r = rng.random
        overdue_ord = case.overdue_since.toordinal()
        # Collection starts one to three days after the missed due date, within the 90-day window.
        day = max(0, overdue_ord + 1 - self._history_start_ord) + int(r() * 3)
        if day >= HISTORY_DAYS:
            return
        account = case.account_number
        dpd_today = self._bd_ord - overdue_ord
        day_start = self._day_start
        seconds = _SECONDS
        add_attempt = out.attempts.append
        attempt = _new_attempt
        hours, hour_cum, hour_total = _FIRST_HOUR.items, _FIRST_HOUR.cum, _FIRST_HOUR.total
        notes_outcome = vocab.NOTES_CALL_OUTCOME
        sms_sent = vocab.NOTES_SMS_SENT
        missed = _MISSED_WITH_NOTE[b.kind]
        missed_items, missed_cum, missed_total = missed.items, missed.cum, missed.total
        answer, family, sms_p = b.answer, b.answer + b.family_answers, b.sms
        # Old debts have more dead numbers: people change phones.
        dead_p = b.dead_number + min(0.3, dpd_today / 1500)
        states = [(_WRONG if u < 0.01 else _DEAD) if (u := r()) < dead_p else _WORKING for _ in mobiles]
        usable = list(range(len(mobiles)))  # numbers not yet known to be invalid
        contact_states = [
            (_WRONG if u < 0.03 else _DEAD) if (u := r()) < 0.1 else _WORKING for _ in contact_phones
        ]
        contact_usable = list(range(len(contact_phones)))
        min_due = max(10_000, balance // 1000 * 100)
        gap_low = b.gap[0] + (3 if dpd_today <= 30 else 0)  # early arrears often cure by themselves
        gap_span = b.gap[1] - b.gap[0] + 1
        fails = contact_turn = pay_seq = 0
        first = True
        while day < HISTORY_DAYS and balance > 0:
            base = day_start[day]
            t = hours[bisect_right(hour_cum, r() * hour_total)] * 3600 + int(r() * 3600)
            next_day = day + gap_low + int(r() * gap_span)
            promised = reached = False
            # A reminder SMS to the first number not known to be invalid; the first day always gets one.
            if usable and (first or r() < sms_p) and states[usable[0]] != _WRONG:
                i = usable[0]
                if states[i] == _DEAD:
                    outcome = "suspended" if r() < 0.5 else "not_exist"
                    usable.remove(i)
                    note = vocab.NOTES_SMS_FAILED[outcome]
                else:
                    outcome = "right_party"
                    note = sms_sent[int(r() * len(sms_sent))]
                at = base + seconds[t]
                add_attempt(attempt(account, at, "sms", "debtor", mobiles[i], outcome, None, note))
                t += 600 + int(r() * 3600)
            first = False
            for c in range(2 if r() < 0.25 else 1):
                if not usable or t >= _DAY_END:
                    break
                i = usable[c % len(usable)]
                state = states[i]
                u = r()
                if state:  # dead or wrong: found out now, never dialled again
                    outcome = "wrong_number" if state == _WRONG else "suspended" if u < 0.5 else "not_exist"
                    note = notes_outcome[outcome][int(r() * 2)]
                    usable.remove(i)
                elif u >= answer:
                    if u < family:
                        outcome = "third_party"
                        note = notes_outcome[outcome][int(r() * 2)]
                    else:
                        outcome, note = missed_items[bisect_right(missed_cum, r() * missed_total)]
                else:
                    outcome = "right_party"
                at = base + seconds[t]
                if outcome != "right_party":
                    add_attempt(attempt(account, at, "call", "debtor", mobiles[i], outcome, None, note))
                    fails += 1
                    t += 900 + int(r() * 5400)
                    continue
                reached = True
                fails = 0
                result = b.results.pick(r())
                if result == "promise":
                    due, pay_day, paid, note = self._promise(r, b, account, at, day, balance, min_due, out)
                    if paid:
                        pay_seq += 1
                        out.payments.append(self._payment(r, serial, account, pay_day, paid, pay_seq))
                        balance -= paid
                    # Follow up the day after the promised date, not before: windows never overlap.
                    next_day = due + 1
                    promised = True
                else:
                    notes = vocab.NOTES_RESULT[result]
                    note = notes[int(r() * len(notes))]
                    pause = _PAUSE_AFTER.get(result)
                    if pause is not None:
                        next_day = day + pause[0] + int(r() * (pause[1] - pause[0] + 1))
                add_attempt(attempt(account, at, "call", "debtor", mobiles[i], "right_party", result, note))
                break
            # Lost contact (失联): only now may a contact be asked to pass on a message.
            if not reached and (fails >= 3 or not usable) and contact_usable and t < _DAY_END and r() < 0.6:
                i = contact_usable[contact_turn % len(contact_usable)]
                contact_turn += 1
                state = contact_states[i]
                if state:
                    outcome = "wrong_number" if state == _WRONG else "suspended" if r() < 0.5 else "not_exist"
                    contact_usable.remove(i)
                    note = notes_outcome[outcome][int(r() * 2)]
                elif r() < 0.5:
                    outcome = "third_party"
                    if r() < 0.08:  # a contact who asks not to be called again never is
                        contact_usable.remove(i)
                        note = vocab.NOTE_CONTACT_DECLINES
                    else:
                        note = vocab.NOTES_CONTACT[int(r() * len(vocab.NOTES_CONTACT))]
                else:
                    outcome = _CONTACT_MISSED.pick(r())
                    notes = notes_outcome[outcome]
                    note = notes[int(r() * len(notes))]
                add_attempt(
                    attempt(
                        account, base + seconds[t], "call", "contact", contact_phones[i], outcome, None, note
                    )
                )
            # Unprompted payments fall strictly between call days, never inside a promise window.
            if not promised and next_day - day >= 2 and r() < b.spontaneous:
                last = min(next_day - 1, HISTORY_DAYS - 1)
                if last > day:
                    paid = _spontaneous_amount(r, b, balance, min_due)
                    pay_seq += 1
                    out.payments.append(
                        self._payment(r, serial, account, day + 1 + int(r() * (last - day)), paid, pay_seq)
                    )
                    balance -= paid
            day = next_day

    def _promise(
        self,
        r: Callable[[], float],
        b: _Behaviour,
        account: str,
        made_at: dt.datetime,
        day: int,
        balance: int,
        min_due: int,
        out: Chunk,
    ) -> tuple[int, int, int, str]:
        """Record a promise made on ``day`` and decide its fate: (due day, payment day, paid, note).

        A payment, if any, falls inside [day, due], the promise's own window.
        """
        amount = _promise_amount(r, b, balance, min_due)
        due = day + b.due_lag[0] + int(r() * (b.due_lag[1] - b.due_lag[0] + 1))
        due_on = dt.date.fromordinal(self._history_start_ord + due)
        note = vocab.NOTES_PROMISE[int(r() * len(vocab.NOTES_PROMISE))].format(
            m=due_on.month, d=due_on.day, amount=_yuan_text(amount)
        )
        paid = pay_day = 0
        if due >= HISTORY_DAYS:
            status = "open"  # due on or after the business date: not decided yet
        else:
            u = r()
            if u < b.kept:
                status = "kept"
                # The forgetful pay at once; the others near the promised date.
                if b.kind == "forgetful":
                    pay_day = min(day + int(r() * 2), due)
                else:
                    pay_day = max(day, due - int(r() * 3))
                paid = balance if r() < 0.15 else amount
            elif u < b.partly and amount >= 200:
                status = "partly_kept"
                pay_day = day + int(r() * (due - day + 1))
                paid = int(amount * (0.2 + 0.6 * r())) // 1000 * 1000
                if not 0 < paid < amount:
                    paid = amount // 2
            else:
                status = "broken"
        out.promises.append(_new_promise(account, made_at, money(amount), due_on, status))
        return due, pay_day, paid, note

    def _payment(
        self, r: Callable[[], float], serial: int, account: str, day: int, amount: int, sequence: int
    ) -> DemoPayment:
        paid_on = dt.date.fromordinal(self._history_start_ord + day)
        # Unique in the book: the case serial is, and its payments are numbered.
        reference = f"PAY{paid_on.year}{paid_on.month:02d}{paid_on.day:02d}{serial:010d}{sequence:02d}"
        return _new_payment(account, paid_on, money(amount), _PAYMENT_CHANNELS.pick(r()), reference)


def _promise_amount(r: Callable[[], float], b: _Behaviour, balance: int, min_due: int) -> int:
    kind = b.kind
    if kind == "forgetful":  # often the whole balance: they simply forgot
        amount = balance if balance <= 800_000 and r() < 0.6 else -(-min_due // 10_000) * 10_000
    elif kind == "evasive":  # round sums that sound serious
        amount = min_due if r() < 0.4 else (50_000, 100_000, 200_000, 300_000)[int(r() * 4)]
    elif kind == "unwilling":
        amount = (1 + int(r() * 5)) * 10_000
    else:  # willing but unable: what they can spare this month
        amount = (2 + int(r() * 14)) * 10_000
    return min(amount, balance)


def _spontaneous_amount(r: Callable[[], float], b: _Behaviour, balance: int, min_due: int) -> int:
    if b.kind == "forgetful":
        amount = balance if r() < 0.5 else min_due
    elif b.kind == "willing_unable":
        amount = (2 + int(r() * 14)) * 10_000
    else:
        amount = (1 + int(r() * 5)) * 10_000
    return min(amount, balance)
