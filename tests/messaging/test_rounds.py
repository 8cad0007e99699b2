"""The sender under concurrency and faults: a claim's lease runs from the moment of the claim, the
outcome is written against that claim (a delivery receipt that overtook it stands), and one message
that breaks neither fails the collector's page nor stops the round."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from arrears.batch.models import Task
from arrears.messaging.models import Message
from arrears.messaging.services import message_send, messages_dispatch, receipt_record
from tests.conftest import make_case


def own_mobile(case):
    return case.debtor.contact_points.get(person__isnull=True, kind="mobile")


def sms_task(case):
    return Task.objects.create(
        case=case, due_on=dt.date(2026, 3, 2), kind="sms", template="early_reminder", treatment="x"
    )


def in_server_thread(action):
    """Run ``action`` from the fake gateway's thread with its own database connection, closed after."""
    try:
        action()
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_a_parallel_round_cannot_take_a_message_claimed_late_in_a_long_round(
    at, placement, alice, sender, gateway
):
    # Two strategy SMS held back by quiet hours, both due at 08:00.
    at(2026, 3, 2, 22, 30)
    first, second = make_case(placement, collector=alice), make_case(placement, collector=alice)
    sms_task(first), sms_task(second)
    assert messages_dispatch().waiting == 2
    keys = [str(m.key) for m in Message.objects.order_by("pk")]
    parallel = []

    def meanwhile(key):
        if key == keys[0]:
            at(2026, 3, 3, 8, 15)  # the gateway is slow: the round's first send takes 15 minutes
        elif key == keys[1] and not parallel:
            # While the round sends the second message, another sender (the worker, or an operator
            # running `arrears send-messages`) starts its own round.
            parallel.append(True)
            in_server_thread(messages_dispatch)

    gateway.on_request = meanwhile
    at(2026, 3, 3, 8, 0)
    assert messages_dispatch().sent == 2
    assert [r["key"] for r in gateway.requests] == keys  # each message handed over exactly once
    assert set(Message.objects.values_list("status", flat=True)) == {"sent"}


@pytest.mark.django_db(transaction=True)
def test_a_delivery_receipt_arriving_during_a_retry_is_not_overwritten(
    at, placement, alice, manager, sender, gateway
):
    gateway.slow_first = 1.5  # takes the message, answers after our 1 s timeout
    at(2026, 3, 2, 10, 0)
    case = make_case(placement, collector=alice)
    message = message_send(
        actor=alice, case=case, channel="sms", code="early_reminder", language="zh-hans",
        point=own_mobile(case),
    )  # fmt: skip
    assert message.status == "queued"
    gateway.slow_first = 0

    def receipt(key):
        # The handset got the first try; its receipt arrives while the retry is with the gateway.
        in_server_thread(lambda: receipt_record(user=manager, ref=key, status="delivered"))

    gateway.on_request = receipt
    at(2026, 3, 2, 10, 5)
    messages_dispatch()
    message.refresh_from_db()
    assert message.status == "delivered" and message.delivered_at is not None
    assert len(gateway.requests) == 2 and len(gateway.sent) == 1


@pytest.mark.django_db
def test_an_answer_cut_short_neither_fails_the_page_nor_stops_the_round(
    client, at, placement, alice, sender, gateway
):
    gateway.truncate_first = True
    at(2026, 3, 2, 10, 0)
    case = make_case(placement, collector=alice)
    client.force_login(alice)
    page = client.post(
        f"/messaging/cases/{case.pk}/",
        {"template": "sms:early_reminder:zh-hans", "point": own_mobile(case).pk},
    )
    assert page.status_code == 200
    message = Message.objects.get()
    assert message.status == "queued" and "IncompleteRead" in message.error
    # The retry, under the same key, is settled; the gateway sent the text once.
    at(2026, 3, 2, 10, 5)
    assert messages_dispatch().sent == 1
    message.refresh_from_db()
    assert message.status == "sent" and len(gateway.sent) == 1


@pytest.mark.django_db
def test_a_round_goes_on_past_a_message_whose_answer_was_cut_short(at, placement, alice, sender, gateway):
    gateway.truncate_first = True
    at(2026, 3, 2, 10, 0)
    sms_task(make_case(placement, collector=alice)), sms_task(make_case(placement, collector=alice))
    summary = messages_dispatch()
    assert (summary.waiting, summary.sent) == (1, 1)
    assert len(gateway.requests) == 2
