"""The ledger and payment posting: balances are always the sum of the ledger; payments are allocated
by the waterfall, posted once per reference, reversible exactly, and safe under concurrency."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from arrears.cases.models import Case
from arrears.intake.services import cases_import
from arrears.money.ledger import Component
from arrears.payments import ledger
from arrears.payments.models import LedgerEntry, Payment
from arrears.payments.services import payment_post, payment_reverse
from tests.conftest import make_case, make_user
from tests.intake._factory import BUSINESS_DATE, data_row, table, xlsx_bytes

D = Decimal
PAID_ON = dt.date(2026, 11, 20)


@pytest.fixture
def finance(org):
    return make_user("finance", "finance", org)


def assert_ledger_matches(case: Case) -> None:
    case.refresh_from_db()
    assert ledger.ledger_balances(case) == ledger.balances_of(case)
    assert case.total == sum(ledger.balances_of(case).values())


@pytest.mark.django_db
def test_intake_books_opening_entries_and_adjustments(placement):
    run = lambda data: cases_import(  # noqa: E731
        actor=None,
        creditor=placement.creditor,
        placement=placement,
        data=data,
        filename="f.xlsx",
        business_date=BUSINESS_DATE,
    )
    run(xlsx_bytes(table(data_row(1), data_row(2))))
    for case in Case.objects.all():
        assert_ledger_matches(case)
        assert set(case.ledger.values_list("kind", flat=True)) == {"opening"}
    run(xlsx_bytes(table(data_row(1, 利息="300.50", 欠款总额="1350.50"))))
    case = Case.objects.get(account_number="6222020000000001")
    adjustment = case.ledger.get(kind="adjustment")
    assert (adjustment.component, adjustment.amount) == ("interest", D("100.00"))
    assert_ledger_matches(case)


@pytest.mark.django_db
def test_demo_book_balances_are_its_ledger():
    from django.core.management import call_command

    call_command(
        "seed_demo", "--accounts", "150", "--seed", "3", "--date", "2026-11-29", "--history-days", "0",
        stdout=None,
    )
    assert Payment.objects.exists() and LedgerEntry.objects.filter(kind="payment").exists()
    for case in Case.objects.all():
        assert_ledger_matches(case)


@pytest.mark.django_db
def test_payment_is_allocated_fees_first_principal_last(placement, finance):
    case = make_case(placement, principal="1000.00")  # interest 100, late fee 25, fees 0
    posted = payment_post(
        actor=finance, case=case, amount=D("150.00"), paid_on=PAID_ON, channel="alipay", reference="ALI-1"
    )
    paid = {e.component: e.amount for e in posted.payment.entries.all()}
    assert paid == {"late_fee": D("-25.00"), "interest": D("-100.00"), "principal": D("-25.00")}
    case.refresh_from_db()
    assert (case.late_fee, case.interest, case.principal, case.total) == (
        D("0"),
        D("0"),
        D("975.00"),
        D("975.00"),
    )
    assert (case.last_payment_date, case.last_payment_amount) == (PAID_ON, D("150.00"))
    assert case.events.filter(kind="payment.received").exists()
    assert_ledger_matches(case)


@pytest.mark.django_db
def test_the_same_reference_is_posted_once(placement, finance):
    case = make_case(placement)
    first = payment_post(
        actor=finance, case=case, amount=D("50.00"), paid_on=PAID_ON, channel="wechat", reference="WX-9"
    )
    again = payment_post(
        actor=finance, case=case, amount=D("50.00"), paid_on=PAID_ON, channel="wechat", reference="WX-9"
    )
    assert first.created and not again.created and again.payment == first.payment
    assert LedgerEntry.objects.filter(kind="payment").count() == len(first.payment.entries.all())
    with pytest.raises(ValidationError):
        payment_post(
            actor=finance, case=case, amount=D("60.00"), paid_on=PAID_ON, channel="wechat", reference="WX-9"
        )


@pytest.mark.django_db
def test_overpayment_is_kept_unallocated(placement, finance):
    case = make_case(placement, principal="100.00")  # total 225.00
    posted = payment_post(
        actor=finance, case=case, amount=D("300.00"), paid_on=PAID_ON, channel="counter", reference="C-1"
    )
    case.refresh_from_db()
    assert case.total == D("0.00") and posted.payment.unallocated == D("75.00")
    assert_ledger_matches(case)


@pytest.mark.django_db
def test_reversal_restores_exactly_what_the_payment_took(placement, finance):
    case = make_case(placement, principal="800.00")
    before = ledger.balances_of(case)
    posted = payment_post(
        actor=finance, case=case, amount=D("333.33"), paid_on=PAID_ON, channel="alipay", reference="ALI-2"
    )
    payment_reverse(actor=finance, payment=posted.payment, reason="退票 / bounced")
    case.refresh_from_db()
    assert ledger.balances_of(case) == before
    reversals = LedgerEntry.objects.filter(kind="reversal")
    assert sorted((r.reverses.component, r.reverses.amount) for r in reversals) == sorted(
        (r.component, -r.amount) for r in reversals
    )
    assert case.last_payment_date is None
    assert_ledger_matches(case)
    with pytest.raises(ValidationError):
        payment_reverse(actor=finance, payment=posted.payment, reason="again")


@pytest.mark.django_db
def test_collectors_do_not_post_payments(placement, alice):
    case = make_case(placement, collector=alice)
    with pytest.raises(PermissionDenied):
        payment_post(
            actor=alice, case=case, amount=D("1.00"), paid_on=PAID_ON, channel="alipay", reference="X"
        )


@pytest.mark.django_db
@pytest.mark.parametrize("amount", ["0", "-5.00"])
def test_a_payment_must_be_positive(placement, finance, amount):
    with pytest.raises(ValidationError):
        payment_post(
            actor=finance,
            case=make_case(placement),
            amount=D(amount),
            paid_on=PAID_ON,
            channel="alipay",
            reference="N",
        )


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_payments_on_one_case_lose_nothing(placement, finance):
    case = make_case(placement, principal="5000.00")
    total = case.total
    barrier = threading.Barrier(2)
    errors: list[Exception] = []

    def pay(reference: str) -> None:
        try:
            barrier.wait(timeout=10)
            payment_post(
                actor=finance,
                case=case,
                amount=D("700.00"),
                paid_on=PAID_ON,
                channel="bank_transfer",
                reference=reference,
            )
        except Exception as exc:  # the assertion below reports it
            errors.append(exc)
        finally:
            connection.close()  # each thread has its own connection: close it, or teardown waits

    threads = [threading.Thread(target=pay, args=(ref,)) for ref in ("BT-1", "BT-2")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    case.refresh_from_db()
    assert case.total == total - D("1400.00")
    assert_ledger_matches(case)
    assert sum(ledger.ledger_balances(case).values()) == case.total
    assert ledger.ledger_balances(case)[Component.PRINCIPAL] == case.principal


@pytest.mark.django_db
def test_reimporting_the_creditor_file_never_undoes_a_payment(placement, finance, at):
    # On the file's business date, as in production (the case is re-evaluated when it is paid).
    at(BUSINESS_DATE.year, BUSINESS_DATE.month, BUSINESS_DATE.day, 15, 0)
    run = lambda data: cases_import(  # noqa: E731
        actor=None,
        creditor=placement.creditor,
        placement=placement,
        data=data,
        filename="f.xlsx",
        business_date=BUSINESS_DATE,
    )
    original = xlsx_bytes(table(data_row(1)))
    run(original)
    case = Case.objects.get()
    payment_post(
        actor=finance, case=case, amount=D("100.00"), paid_on=BUSINESS_DATE, channel="alipay", reference="A1"
    )
    case.refresh_from_db()
    after_payment = case.total
    assert run(original).unchanged == 1  # the same file again: the payment stands
    case.refresh_from_db()
    assert case.total == after_payment and case.last_payment_date == BUSINESS_DATE
    # the creditor adds 50.00 of interest: only that change is applied, on top of the payment
    run(xlsx_bytes(table(data_row(1, 利息="250.50", 欠款总额="1300.50"))))
    case.refresh_from_db()
    assert case.total == after_payment + D("50.00")
    assert_ledger_matches(case)


def test_the_stored_kinds_and_components_are_the_money_cores():
    from arrears.money import ledger as core

    assert set(LedgerEntry.Kind.values) == {k.value for k in core.Kind}
    assert set(LedgerEntry.Component.values) == {c.value for c in core.Component}
    assert set(ledger.CASE_FIELD) == set(core.Component)
