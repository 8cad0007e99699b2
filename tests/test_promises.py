"""Promises to pay: recorded from the case page, settled the day after from the payments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from arrears.cases.models import CaseStatus
from arrears.payments.models import Promise
from arrears.payments.promises import promise_record, promises_settle
from arrears.payments.services import payment_post, payment_reverse
from tests.conftest import make_case, make_user

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def finance(org):
    return make_user("finance", "finance", org)


def test_collector_records_a_promise_from_the_case_page(client, placement, alice):
    case = make_case(placement, collector=alice)
    due = timezone.localdate() + dt.timedelta(days=3)
    client.force_login(alice)
    client.post(reverse("payments:promise", args=[case.pk]), {"amount": "500.00", "due_on": due.isoformat()})
    promise = Promise.objects.get()
    assert (promise.amount, promise.due_on, promise.made_by, promise.status) == (
        D("500.00"),
        due,
        alice,
        "open",
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.PROMISED
    assert case.events.filter(kind="promise.made").exists()


def test_promise_of_someone_elses_case_is_not_found(client, placement, alice, bob):
    case = make_case(placement, collector=bob)
    client.force_login(alice)
    response = client.post(
        reverse("payments:promise", args=[case.pk]), {"amount": "5", "due_on": "2030-01-01"}
    )
    assert response.status_code == 404 and not Promise.objects.exists()


@pytest.mark.parametrize(("amount", "days"), [("0", 3), ("999999", 3), ("100", -1), ("100", 61)])
def test_promise_limits(placement, alice, amount, days):
    case = make_case(placement, collector=alice)
    with pytest.raises(ValidationError):
        promise_record(
            actor=alice, case=case, amount=D(amount), due_on=timezone.localdate() + dt.timedelta(days=days)
        )


def _promise(case, actor, amount, made, due):
    return Promise.objects.create(case=case, made_at=made, amount=D(amount), due_on=due, made_by=actor)


@pytest.mark.parametrize(
    ("payments", "status", "case_status"),
    [
        (["300.00"], "kept", CaseStatus.IN_PROGRESS),
        (["100.00", "200.00"], "kept", CaseStatus.IN_PROGRESS),
        (["100.00"], "partly_kept", CaseStatus.BROKEN_PROMISE),
        ([], "broken", CaseStatus.BROKEN_PROMISE),
    ],
)
def test_settlement_from_the_payments(placement, alice, finance, payments, status, case_status):
    case = make_case(placement, collector=alice)
    made = timezone.make_aware(dt.datetime(2026, 11, 10, 10, 0))
    case.status = CaseStatus.PROMISED
    case.save(update_fields=["status"])
    promise = _promise(case, alice, "300.00", made, dt.date(2026, 11, 15))
    for i, amount in enumerate(payments):
        payment_post(
            actor=finance,
            case=case,
            amount=D(amount),
            paid_on=dt.date(2026, 11, 12 + i),
            channel="alipay",
            reference=f"P{i}",
        )
    # a payment after the due date does not keep the promise
    payment_post(
        actor=finance,
        case=case,
        amount=D("1000.00"),
        paid_on=dt.date(2026, 11, 20),
        channel="alipay",
        reference="LATE",
    )
    counts = promises_settle(business_date=dt.date(2026, 11, 16))
    promise.refresh_from_db()
    case.refresh_from_db()
    assert promise.status == status and counts[status] == 1
    assert case.status == case_status
    assert case.events.filter(kind=f"promise.{status}").exists()
    assert promises_settle(business_date=dt.date(2026, 11, 16)) == {"kept": 0, "partly_kept": 0, "broken": 0}


def test_a_reversed_payment_does_not_keep_a_promise(placement, alice, finance):
    case = make_case(placement, collector=alice)
    promise = _promise(
        case, alice, "100.00", timezone.make_aware(dt.datetime(2026, 11, 10)), dt.date(2026, 11, 15)
    )
    posted = payment_post(
        actor=finance,
        case=case,
        amount=D("100.00"),
        paid_on=dt.date(2026, 11, 11),
        channel="alipay",
        reference="R1",
    )
    payment_reverse(actor=finance, payment=posted.payment, reason="退票")
    promises_settle(business_date=dt.date(2026, 11, 16))
    promise.refresh_from_db()
    assert promise.status == "broken"


def test_promises_due_later_stay_open(placement, alice):
    case = make_case(placement, collector=alice)
    promise = _promise(case, alice, "100.00", timezone.now(), dt.date(2026, 12, 20))
    promises_settle(business_date=dt.date(2026, 12, 20))  # due today: decided tomorrow
    promise.refresh_from_db()
    assert promise.status == "open"


def test_finance_posts_a_payment_from_the_case_page(client, placement, alice, finance):
    case = make_case(placement, collector=alice)
    client.force_login(finance)
    client.post(
        reverse("payments:payment", args=[case.pk]),
        {"amount": "25.00", "paid_on": "2026-11-20", "channel": "counter", "reference": "CTR-1"},
    )
    case.refresh_from_db()
    assert case.late_fee == D("0.00") and case.payments.get().reference == "CTR-1"
    client.force_login(alice)
    client.post(
        reverse("payments:payment", args=[case.pk]),
        {"amount": "25.00", "paid_on": "2026-11-20", "channel": "counter", "reference": "CTR-2"},
    )
    assert case.payments.count() == 1
