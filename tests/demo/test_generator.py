"""The demo-book generator: determinism, validity of every generated value, and behaviour by debtor type.

Plain unit tests: no database, no Django. Most checks run over one module-scoped book of 2,000
accounts, large enough for the statistics the reports and models later rely on.
"""

from __future__ import annotations

import datetime as dt
import pickle
import subprocess
import sys
from collections import Counter, defaultdict
from dataclasses import FrozenInstanceError, fields
from decimal import Decimal
from pathlib import Path
from statistics import mean, median

import phonenumbers
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arrears.creditors.buckets import bucket_for
from arrears.debtors import idnumber
from arrears.demo import generator, vocab
from arrears.demo.generator import Book, Chunk, generate

BD = dt.date(2026, 11, 15)
COMPOUND_SURNAMES = {s for s, _, _ in vocab.SURNAMES if len(s) == 2}
HISTORY_START = BD - dt.timedelta(days=90)


class Flat:
    """All chunks of a book concatenated, with a few indexes the tests share."""

    def __init__(self, chunks: list[Chunk]) -> None:
        self.debtors = [d for c in chunks for d in c.debtors]
        self.contacts = [x for c in chunks for x in c.contacts]
        self.cases = [x for c in chunks for x in c.cases]
        self.attempts = [x for c in chunks for x in c.attempts]
        self.promises = [x for c in chunks for x in c.promises]
        self.payments = [x for c in chunks for x in c.payments]
        self.debtor_by_key = {d.key: d for d in self.debtors}
        self.case_by_account = {c.account_number: c for c in self.cases}

    def type_of(self, account_number: str) -> str:
        return self.debtor_by_key[self.case_by_account[account_number].debtor_key].debtor_type

    def records(self) -> tuple[list[object], ...]:
        return (self.debtors, self.contacts, self.cases, self.attempts, self.promises, self.payments)


def flatten(book: Book, size: int = 10_000) -> Flat:
    return Flat(list(book.chunks(size)))


@pytest.fixture(scope="module")
def book() -> Book:
    return generate(accounts=2_000, seed=20261115, business_date=BD)


@pytest.fixture(scope="module")
def flat(book: Book) -> Flat:
    return flatten(book, size=500)


# -- determinism -------------------------------------------------------------------------------------


def test_same_arguments_give_the_same_book_byte_for_byte() -> None:
    first = generate(accounts=300, seed=42, business_date=BD)
    second = generate(accounts=300, seed=42, business_date=BD)
    assert first.creditors == second.creditors
    assert first.placements == second.placements
    a, b = flatten(first), flatten(second)
    assert a.records() == b.records()
    assert repr(a.records()).encode() == repr(b.records()).encode()


def test_chunk_size_and_order_do_not_change_the_book() -> None:
    book = generate(accounts=700, seed=5, business_date=BD)
    whole = flatten(book, size=10_000)
    # Sizes that cut the internal seeding blocks in odd places, and a chunk built on its own.
    for size in (97, 64, 1, 333):
        assert flatten(book, size=size).records() == whole.records()
    alone = book.chunk(3, size=150)
    assert (alone.start, alone.stop) == (450, 600)
    assert alone.debtors == whole.debtors[450:600]
    assert alone.cases == [c for c in whole.cases if 450 < int(c.debtor_key[1:]) <= 600]


def test_a_book_travels_to_another_process_intact() -> None:
    # Chunks are meant to be built in worker processes: the book must pickle and build the same there.
    book = generate(accounts=250, seed=12, business_date=BD)
    clone = pickle.loads(pickle.dumps(book))
    assert clone == book
    assert flatten(clone, size=100).records() == flatten(book, size=100).records()


def test_a_smaller_book_is_a_prefix_of_a_larger_one() -> None:
    small = flatten(generate(accounts=120, seed=9, business_date=BD))
    large = flatten(generate(accounts=400, seed=9, business_date=BD))
    assert large.debtors[:120] == small.debtors
    assert large.cases[: len(small.cases)] == small.cases


def test_a_different_seed_gives_a_different_book() -> None:
    a = flatten(generate(accounts=200, seed=1, business_date=BD))
    b = flatten(generate(accounts=200, seed=2, business_date=BD))
    assert [d.id_number for d in a.debtors] != [d.id_number for d in b.debtors]
    assert [d.name for d in a.debtors] != [d.name for d in b.debtors]
    assert [c.account_number for c in a.cases] != [c.account_number for c in b.cases]


def test_the_generator_imports_no_django() -> None:
    code = (
        "import sys; import arrears.demo.generator, arrears.demo.creditor_file; "
        "bad = [m for m in sys.modules if m == 'django' or m.startswith('django.')]; "
        "assert not bad, bad"
    )
    src = Path(__file__).resolve().parents[2] / "src"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(src)},
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError):
        generate(accounts=-1, seed=1, business_date=BD)
    with pytest.raises(TypeError):
        generate(accounts=1, seed=1, business_date=dt.datetime(2026, 11, 15))  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        list(generate(accounts=10, seed=1, business_date=BD).chunks(size=0))
    with pytest.raises(IndexError):
        generate(accounts=10, seed=1, business_date=BD).chunk(5, size=5)


def test_fast_record_constructors_build_ordinary_frozen_records(flat: Flat) -> None:
    # The generator builds records through a faster path than the dataclass __init__; they must be
    # indistinguishable from records built the ordinary way.
    for record in (
        flat.debtors[0],
        flat.debtors[0].home_address,
        flat.contacts[0],
        flat.cases[0],
        flat.attempts[0],
        flat.promises[0],
        flat.payments[0],
    ):
        cls = type(record)
        values = [getattr(record, f.name) for f in fields(cls)]
        ordinary = cls(*values)
        assert record == ordinary and hash(record) == hash(ordinary) and repr(record) == repr(ordinary)
        with pytest.raises(FrozenInstanceError):
            record.__setattr__(fields(cls)[0].name, None)


def test_an_empty_book_has_no_chunks() -> None:
    book = generate(accounts=0, seed=1, business_date=BD)
    assert list(book.chunks()) == []
    assert len(book.creditors) == 3


# -- creditors and placements ------------------------------------------------------------------------


def test_creditors_are_three_fictional_ones(book: Book) -> None:
    assert [c.code for c in book.creditors] == ["DHBANK", "NJRCB", "XLCF"]
    assert {c.product_type for c in book.creditors} == {"credit_card", "consumer_loan"}
    for creditor in book.creditors:
        assert creditor.compliance_profile == "CN"
        assert creditor.bucket_bands == (30, 60, 90, 120, 150, 180)
        assert creditor.name_zh and creditor.name_en


def test_placements_per_creditor(book: Book, flat: Flat) -> None:
    by_creditor = Counter(p.creditor_code for p in book.placements)
    assert len({(p.creditor_code, p.name) for p in book.placements}) == len(book.placements)
    assert set(by_creditor) == {"DHBANK", "NJRCB", "XLCF"}
    assert all(2 <= n <= 3 for n in by_creditor.values())
    for p in book.placements:
        assert BD - dt.timedelta(days=120) <= p.entrusted_on < BD
        assert p.return_on > BD
        assert p.name.startswith(f"{p.entrusted_on:%Y-%m} M") and p.name.endswith(" 委案")
        assert Decimal("0.10") <= p.commission_rate <= Decimal("0.40")
        assert p.commission_rate.as_tuple().exponent == -2
    # Later batches hold later buckets and pay a higher commission.
    for code in by_creditor:
        rates = [p.commission_rate for p in book.placements if p.creditor_code == code]
        assert rates == sorted(rates)
    placement = {(p.creditor_code, p.name): p for p in book.placements}
    for case in flat.cases:
        p = placement[case.creditor_code, case.placement_name]
        # Placed while overdue, and the batch name states the bucket the case was in at the time.
        dpd_at_entrustment = (p.entrusted_on - case.overdue_since).days
        assert dpd_at_entrustment >= 1
        label = p.name.split()[1]
        low = label.split("-")[0].rstrip("+")
        assert int(bucket_for(dpd_at_entrustment)[1]) >= int(low[1])
        if "-" in label:
            assert int(bucket_for(dpd_at_entrustment)[1]) <= int(label.split("-")[1][1])


# -- debtors -----------------------------------------------------------------------------------------


def test_every_id_number_is_valid_unique_and_matches_gender_and_age(flat: Flat) -> None:
    regions = {row[0] for row in vocab.REGIONS}
    seen: set[str] = set()
    for debtor in flat.debtors:
        parsed = idnumber.parse(debtor.id_number, today=BD)
        assert parsed.gender == debtor.gender
        assert parsed.region in regions
        birth = parsed.birth_date
        age = BD.year - birth.year - ((BD.month, BD.day) < (birth.month, birth.day))
        assert 20 <= age <= 65
        assert debtor.id_number not in seen
        seen.add(debtor.id_number)


def test_id_numbers_stay_unique_in_a_million_account_book() -> None:
    # Uniqueness comes from construction, not luck. Building a million debtors is too slow for a unit
    # test, so check the (birth date, sequence) pairs the factory assigns, for every 7th index (7 is
    # coprime with the 499 sequence classes, so all classes are covered) and for one whole class.
    factory = generate(accounts=1_000_000, seed=3, business_date=BD)._factory
    indexes = [*range(0, 1_000_000, 7), *range(5, 1_000_000, 499)]
    keys = {factory._birth(n, n % 2 == 0) for n in set(indexes)}
    assert len(keys) == len(set(indexes))
    # Parity carries the gender whatever the index.
    for n in indexes[:999]:
        assert factory._birth(n, True)[1] % 2 == 1
        assert factory._birth(n, False)[1] % 2 == 0


def test_every_phone_is_a_valid_chinese_mobile_and_unique(flat: Flat) -> None:
    phones = [m for d in flat.debtors for m in d.mobiles] + [c.phone for c in flat.contacts]
    assert len(phones) == len(set(phones))
    for phone in phones:
        assert phone.startswith("+86") and len(phone) == 14
        number = phonenumbers.parse(phone)
        assert phonenumbers.is_valid_number(number), phone
        assert phonenumbers.number_type(number) in (
            phonenumbers.PhoneNumberType.MOBILE,
            phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
        )


def test_every_mobile_prefix_in_the_vocabulary_is_valid() -> None:
    for prefix, _ in vocab.MOBILE_PREFIXES:
        for suffix in ("00000000", "12345678", "99999999", "50505050"):
            assert phonenumbers.is_valid_number(phonenumbers.parse(f"+86{prefix}{suffix}")), prefix


def test_debtors_look_real(flat: Flat) -> None:
    surnames = {s for s, _, _ in vocab.SURNAMES}
    by_type = Counter(d.debtor_type for d in flat.debtors)
    for debtor in flat.debtors:
        assert debtor.key.startswith("D") and len(debtor.key) == 8
        assert 2 <= len(debtor.name) <= 4
        assert debtor.name[0] in surnames or debtor.name[:2] in surnames
        assert 1 <= len(debtor.mobiles) <= 2
        home = debtor.home_address
        assert (home.province, home.city, home.district) in {(r[1], r[2], r[3]) for r in vocab.REGIONS}
        assert home.street.endswith("号") and home.room.endswith("室")
        assert home.text.startswith(home.province) and home.text.endswith(home.room)
        if debtor.work_address is not None:
            assert debtor.work_address.city == home.city
            assert debtor.employer is not None and debtor.employer.startswith(home.city.removesuffix("市"))
            assert debtor.employer.endswith("公司")
        assert debtor.email is None or debtor.email.split("@")[1] in vocab.EMAIL_DOMAINS
    assert sum(d.email is None for d in flat.debtors) > 0
    assert sum(d.work_address is None for d in flat.debtors) > 0
    # The hidden types in about the proportions asked for: 30/25/30/15.
    shares = {"willing_unable": 0.30, "forgetful": 0.25, "evasive": 0.30, "unwilling": 0.15}
    for kind, share in shares.items():
        assert abs(by_type[kind] / len(flat.debtors) - share) < 0.04


def test_surnames_follow_frequency(flat: Flat) -> None:
    counts = Counter(d.name[0] for d in flat.debtors)
    top = {s for s, _ in counts.most_common(5)}
    assert len(top & {"王", "李", "张", "刘", "陈"}) >= 4


def test_contacts_are_consistent_with_the_debtor(flat: Flat) -> None:
    per_debtor: dict[str, list[generator.DemoContact]] = defaultdict(list)
    for contact in flat.contacts:
        per_debtor[contact.debtor_key].append(contact)
    assert set(per_debtor) == {d.key for d in flat.debtors}
    for key, contacts in per_debtor.items():
        debtor = flat.debtor_by_key[key]
        assert 1 <= len(contacts) <= 3
        relationships = [c.relationship for c in contacts]
        assert len(set(relationships)) == len(relationships)
        assert set(relationships) <= set(vocab.RELATIONSHIPS)
        surname = debtor.name[:2] if debtor.name[:2] in COMPOUND_SURNAMES else debtor.name[0]
        for contact in contacts:
            assert contact.name and contact.phone not in debtor.mobiles
            if contact.relationship in ("父亲", "兄弟", "姐妹"):  # same family name
                assert contact.name.startswith(surname)


# -- cases -------------------------------------------------------------------------------------------


def test_account_numbers_are_unique_and_well_formed(flat: Flat) -> None:
    numbers = [c.account_number for c in flat.cases]
    assert len(numbers) == len(set(numbers))
    for case in flat.cases:
        if case.product == "信用卡":
            assert len(case.account_number) == 16 and case.account_number.isdigit()
            assert generator.luhn_digit(case.account_number[:-1]) == case.account_number[-1]
            assert case.statement_day is not None and 1 <= case.statement_day <= 28
        else:
            assert case.product == "消费贷" and case.creditor_code == "XLCF"
            assert case.account_number.startswith("XL20") and len(case.account_number) == 16
            assert case.statement_day is None
        assert 1 <= case.due_day <= 31


def test_each_debtor_has_one_case_and_a_few_have_two(flat: Flat) -> None:
    per_debtor = Counter(c.debtor_key for c in flat.cases)
    assert set(per_debtor) == {d.key for d in flat.debtors}
    assert set(per_debtor.values()) <= {1, 2}
    two = [k for k, n in per_debtor.items() if n == 2]
    assert 0.01 <= len(two) / len(flat.debtors) <= 0.06
    for key in two:
        assert len({c.creditor_code for c in flat.cases if c.debtor_key == key}) == 2


def test_buckets_cover_m1_to_m7_and_thin_out_with_age(flat: Flat) -> None:
    counts = Counter(bucket_for(c.dpd(BD)) for c in flat.cases)
    assert set(counts) == set(generator.BUCKETS)
    assert counts["M1"] > counts["M2"] > counts["M3"] > counts["M4"]
    assert all(counts[b] / len(flat.cases) >= 0.03 for b in generator.BUCKETS)
    assert 0.25 <= counts["M1"] / len(flat.cases) <= 0.35


def test_balances_are_skewed_like_a_card_book(flat: Flat) -> None:
    principals = [float(c.principal) for c in flat.cases if c.product == "信用卡"]
    assert median(principals) < 0.75 * mean(principals)
    assert 5_000 <= median(principals) <= 12_000
    assert sum(p < 3_000 for p in principals) > 0.15 * len(principals)
    assert 0 < sum(p > 100_000 for p in principals) < 0.03 * len(principals)
    assert max(principals) <= 500_000


def test_money_is_decimal_with_two_places_and_adds_up(flat: Flat) -> None:
    for case in flat.cases:
        for amount in (case.principal, case.interest, case.late_fee, case.other_fees, case.credit_limit):
            assert isinstance(amount, Decimal) and amount.as_tuple().exponent == -2 and amount >= 0
        assert case.total == case.principal + case.interest + case.late_fee + case.other_fees
        assert case.principal > 0 and case.interest > 0
    for record in [*flat.promises, *flat.payments]:
        assert isinstance(record.amount, Decimal) and record.amount.as_tuple().exponent == -2
        assert record.amount > 0


def test_card_limits_and_interest_follow_the_card_rules(book: Book, flat: Flat) -> None:
    entrusted = {(p.creditor_code, p.name): p.entrusted_on for p in book.placements}
    cards = [c for c in flat.cases if c.product == "信用卡"]
    assert all(c.credit_limit % 1000 == 0 for c in cards)
    assert sum(c.credit_limit >= c.principal for c in cards) >= 0.85 * len(cards)
    for case in cards:
        # 0.05% a day, within the noise the generator adds, over the days overdue when placed.
        dpd = (entrusted[case.creditor_code, case.placement_name] - case.overdue_since).days
        expected = case.principal * Decimal("0.0005") * dpd
        assert expected * Decimal("0.84") - 1 <= case.interest <= expected * Decimal("1.16") + 1
    assert sum(c.last_payment_date is None for c in flat.cases) > 0
    for case in flat.cases:
        assert (case.last_payment_date is None) == (case.last_payment_amount is None)
        if case.last_payment_date is not None:
            assert case.last_payment_date < case.overdue_since


# -- history -----------------------------------------------------------------------------------------


def test_attempts_stay_inside_the_calling_window_and_the_daily_cap(flat: Flat) -> None:
    per_number_day: Counter[tuple[str, dt.date]] = Counter()
    for attempt in flat.attempts:
        local = attempt.at
        assert local.tzinfo is not None and getattr(local.tzinfo, "key", None) == "Asia/Shanghai"
        assert local.utcoffset() == dt.timedelta(hours=8)
        assert dt.time(8) <= local.time() < dt.time(22)
        assert HISTORY_START <= local.date() < BD
        assert local.date() > flat.case_by_account[attempt.account_number].overdue_since
        assert attempt.channel in ("call", "sms") and attempt.party in ("debtor", "contact")
        assert attempt.note
        per_number_day[attempt.target, local.date()] += 1
    assert max(per_number_day.values()) <= 6
    assert len(flat.attempts) > 5 * len(flat.cases)


def test_attempt_fields_use_the_documented_codes(flat: Flat) -> None:
    outcomes = {
        "right_party",
        "third_party",
        "no_answer",
        "busy",
        "rejected",
        "switched_off",
        "suspended",
        "not_exist",
        "wrong_number",
    }
    results = {
        None,
        "promise",
        "plan_request",
        "waiver_request",
        "refuses",
        "dispute",
        "hardship",
        "claims_paid",
        "complaint_threat",
        "call_back",
    }
    seen_outcomes = {a.outcome for a in flat.attempts}
    seen_results = {a.result for a in flat.attempts}
    assert seen_outcomes == outcomes
    assert seen_results == results
    for attempt in flat.attempts:
        if attempt.result is not None:
            assert attempt.outcome == "right_party"
            assert attempt.channel == "call" and attempt.party == "debtor"
        if attempt.channel == "sms":
            assert attempt.party == "debtor"


def test_contacts_are_called_only_when_the_debtor_is_lost_and_hear_nothing_of_the_debt(flat: Flat) -> None:
    by_account: dict[str, list[generator.DemoAttempt]] = defaultdict(list)
    for attempt in flat.attempts:
        by_account[attempt.account_number].append(attempt)
    debtor_of = {c.account_number: flat.debtor_by_key[c.debtor_key] for c in flat.cases}
    contact_phones = {c.phone for c in flat.contacts}
    for account, attempts in by_account.items():
        assert [a.at for a in attempts] == sorted(a.at for a in attempts)
        mobiles = set(debtor_of[account].mobiles)
        invalid: set[str] = set()
        fails = 0
        rpc_days: Counter[dt.date] = Counter()
        for a in attempts:
            if a.party == "debtor":
                assert a.target in mobiles
                if a.outcome in ("suspended", "not_exist", "wrong_number"):
                    invalid.add(a.target)
                if a.channel == "call":
                    fails = 0 if a.outcome == "right_party" else fails + 1
                    rpc_days[a.at.date()] += a.outcome == "right_party"
            else:
                assert a.target in contact_phones
                assert fails >= 3 or invalid == mobiles, "a contact was called before the debtor was lost"
                assert not any(word in a.note for word in ("欠", "逾期", "还款", "元", "金额"))
        assert max(rpc_days.values(), default=0) <= 1


def test_promises_come_from_promise_calls_and_match_the_payments(flat: Flat) -> None:
    promise_calls = Counter((a.account_number, a.at) for a in flat.attempts if a.result == "promise")
    assert Counter((p.account_number, p.made_at) for p in flat.promises) == promise_calls
    paid: dict[str, list[generator.DemoPayment]] = defaultdict(list)
    for payment in flat.payments:
        paid[payment.account_number].append(payment)
    statuses = Counter()
    for promise in flat.promises:
        statuses[promise.status] += 1
        assert promise.due_on >= promise.made_at.date()
        made_on = promise.made_at.date()
        payments = paid[promise.account_number]
        window = sum((p.amount for p in payments if made_on <= p.paid_on <= promise.due_on), Decimal(0))
        if promise.status == "open":
            assert promise.due_on >= BD
        else:
            assert promise.due_on < BD
        if promise.status == "kept":
            assert window >= promise.amount
        elif promise.status == "partly_kept":
            assert 0 < window < promise.amount
        elif promise.status == "broken":
            assert window == 0
    assert set(statuses) == {"kept", "partly_kept", "broken", "open"}


def test_payments_never_exceed_the_balance_owed(flat: Flat) -> None:
    references = [p.reference for p in flat.payments]
    assert len(references) == len(set(references))
    by_account: dict[str, list[generator.DemoPayment]] = defaultdict(list)
    for payment in flat.payments:
        by_account[payment.account_number].append(payment)
        assert payment.channel in ("bank_transfer", "alipay", "wechat", "counter")
        assert HISTORY_START <= payment.paid_on < BD
    settled = 0
    for account, payments in by_account.items():
        balance = flat.case_by_account[account].total
        for payment in sorted(payments, key=lambda p: p.paid_on):
            assert payment.amount <= balance
            balance -= payment.amount
        settled += balance == 0
        # Nobody is chased after paying in full.
        if balance == 0:
            last_payment = max(p.paid_on for p in payments)
            assert all(a.at.date() <= last_payment for a in flat.attempts if a.account_number == account)
    assert settled > 0


def test_debtor_types_behave_differently(flat: Flat) -> None:
    kept: Counter[str] = Counter()
    decided: Counter[str] = Counter()
    for promise in flat.promises:
        if promise.status != "open":
            kind = flat.type_of(promise.account_number)
            decided[kind] += 1
            kept[kind] += promise.status == "kept"
    rate = {kind: kept[kind] / decided[kind] for kind in decided}
    assert rate["forgetful"] > 2 * rate["evasive"]
    assert rate["forgetful"] > rate["willing_unable"] > rate["evasive"]

    calls: Counter[str] = Counter()
    answered: Counter[str] = Counter()
    results: dict[str, Counter[str | None]] = defaultdict(Counter)
    for attempt in flat.attempts:
        if attempt.channel == "call" and attempt.party == "debtor":
            kind = flat.type_of(attempt.account_number)
            calls[kind] += 1
            answered[kind] += attempt.outcome == "right_party"
            if attempt.outcome == "right_party":
                results[kind][attempt.result] += 1
    rpc = {kind: answered[kind] / calls[kind] for kind in calls}
    assert rpc["evasive"] < rpc["unwilling"] < rpc["forgetful"] < rpc["willing_unable"]
    assert results["unwilling"].most_common(1)[0][0] == "refuses"
    assert results["unwilling"]["complaint_threat"] > results["forgetful"]["complaint_threat"]
    assert results["willing_unable"]["hardship"] > results["forgetful"]["hardship"]
    assert results["forgetful"].most_common(1)[0][0] == "promise"


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(min_value=-(2**63), max_value=2**63), accounts=st.integers(min_value=1, max_value=40))
def test_invariants_hold_for_any_seed(seed: int, accounts: int) -> None:
    book = generate(accounts=accounts, seed=seed, business_date=BD)
    flat = flatten(book, size=7)
    assert len(flat.debtors) == accounts
    assert flatten(generate(accounts=accounts, seed=seed, business_date=BD)).records() == flat.records()
    for debtor in flat.debtors:
        assert idnumber.parse(debtor.id_number, today=BD).gender == debtor.gender
    owed = {c.account_number: c.total for c in flat.cases}
    for payment in sorted(flat.payments, key=lambda p: p.paid_on):
        owed[payment.account_number] -= payment.amount
        assert owed[payment.account_number] >= 0
    for attempt in flat.attempts:
        assert dt.time(8) <= attempt.at.time() < dt.time(22)
