"""A message that waited is rendered again from the ledger when it leaves, and keeps the text it was
sent with; once the gateway may hold a text under the message's key, a retry repeats it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from arrears.batch.models import Task
from arrears.messaging.models import Message
from arrears.messaging.services import message_send, messages_dispatch
from arrears.payments.services import payment_post
from tests.conftest import make_case, make_user

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def finance(org):
    return make_user("finance", "finance", org)


def pay(finance, case, amount, at):
    at(2026, 3, 2, 23, 0)
    payment_post(
        actor=finance, case=case, amount=Decimal(amount), paid_on=dt.date(2026, 3, 2), channel="alipay",
        reference=f"pay-{case.pk}-{amount}",
    )  # fmt: skip


def test_an_sms_held_for_quiet_hours_states_the_amount_due_when_it_leaves(
    at, placement, alice, finance, sender, gateway
):
    at(2026, 3, 2, 22, 30)
    case = make_case(placement, collector=alice)
    Task.objects.create(
        case=case, due_on=dt.date(2026, 3, 2), kind="sms", template="early_reminder", treatment="x"
    )
    assert messages_dispatch().waiting == 1
    assert "5,125.00元" in Message.objects.get().text  # as it would have read at 22:30
    pay(finance, case, "1000.00", at)  # the debtor pays at 23:00
    at(2026, 3, 3, 8, 0)
    assert messages_dispatch().sent == 1
    [request] = gateway.requests
    assert "4,125.00元" in request["body"]["text"] and "5,125.00" not in request["body"]["text"]
    message = Message.objects.get()
    assert message.text == request["body"]["text"] and message.text_final


def test_a_retry_after_a_timeout_repeats_the_text_the_gateway_may_hold(
    at, placement, alice, finance, sender, gateway
):
    gateway.slow_first = 1.5  # the gateway takes the first try but answers after our timeout
    at(2026, 3, 2, 21, 0)
    case = make_case(placement, collector=alice)
    point = case.debtor.contact_points.get(person__isnull=True, kind="mobile")
    message = message_send(
        actor=alice, case=case, channel="sms", code="early_reminder", language="zh-hans", point=point
    )
    assert message.status == "queued" and message.text_final
    pay(finance, case, "1000.00", at)
    at(2026, 3, 3, 8, 0)
    messages_dispatch()
    first, second = [r for r in gateway.requests if r["key"] == str(message.key)]
    assert first["body"]["text"] == second["body"]["text"]  # the same key, the same text
    message.refresh_from_db()
    assert message.status == "sent" and message.text == first["body"]["text"]
