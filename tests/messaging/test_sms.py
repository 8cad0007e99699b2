"""SMS through the HTTP gateway on loopback: sending, receipts, retries without a double send,
opt-out replies, and the strategy's SMS tasks. Every send goes through the compliance choke point."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest

from arrears.batch.models import Task
from arrears.compliance.models import ContactDecision
from arrears.contacts.models import ContactRecord
from arrears.messaging.models import Message
from arrears.messaging.services import message_send, messages_dispatch
from tests.conftest import make_case

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def own_mobile(case):
    return case.debtor.contact_points.get(person__isnull=True, kind="mobile")


def send(case, user, code="early_reminder"):
    return message_send(
        actor=user, case=case, channel="sms", code=code, language="zh-hans", point=own_mobile(case)
    )


def api_post(client, path, token, payload):
    return client.post(
        f"/api/v1/messages/{path}", data=json.dumps(payload), content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )  # fmt: skip


def test_sms_goes_through_the_http_gateway_and_the_receipt_marks_it_delivered(
    client, at, placement, alice, sender, gateway, gateway_token
):
    at(2026, 3, 2, 10, 0)
    case = make_case(placement, collector=alice)
    message = send(case, alice)
    assert message.status == "sent" and message.attempts == 1 and message.gateway_id == "gw-1"
    [request] = gateway.requests
    assert request["auth"] == "Bearer gw-secret" and request["key"] == str(message.key)
    text = request["body"]["text"]
    assert request["body"]["to"] == "+8613800138000"
    # Signed, filled from the ledger (5,000 + 100 + 25), with the official number.
    assert text.startswith("【东湖银行】张伟您好") and "5,125.00元" in text and "400-800-8000" in text
    assert text == message.text
    # Through the choke point: the decision was logged and the attempt recorded as sent.
    assert ContactDecision.objects.get().allowed
    assert ContactRecord.objects.get(case=case).outcome == "sent"
    assert case.events.filter(kind="message.sent").exists()

    at(2026, 3, 2, 10, 1)
    answer = api_post(client, "receipts", gateway_token, {"receipts": [
        {"id": str(message.key), "status": "delivered"}, {"id": "nobody-knows", "status": "delivered"},
    ]})  # fmt: skip
    assert answer.status_code == 200, answer.content
    assert answer.json() == {"updated": 1, "unknown": ["nobody-knows"]}
    message.refresh_from_db()
    assert message.status == "delivered" and message.delivered_at == dt.datetime(
        2026, 3, 2, 10, 1, tzinfo=SHANGHAI
    )


def test_a_failed_send_is_retried_with_back_off_and_sent_once(at, placement, alice, sender, gateway):
    gateway.fail_first = True
    at(2026, 3, 2, 10, 0)
    case = make_case(placement, collector=alice)
    message = send(case, alice)
    assert message.status == "queued" and "503" in message.error
    assert message.next_try_at == dt.datetime(2026, 3, 2, 10, 1, tzinfo=SHANGHAI)
    at(2026, 3, 2, 10, 0, 30)
    assert messages_dispatch().sent == 0  # not due yet
    at(2026, 3, 2, 10, 2)
    assert messages_dispatch().sent == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, message.error) == ("sent", 2, "")
    assert len(gateway.requests) == 2 and list(gateway.sent) == [str(message.key)]
    # Each try asked the guard at its own moment.
    assert ContactDecision.objects.filter(allowed=True).count() == 2


def test_a_retry_after_a_timeout_never_sends_twice(at, placement, alice, sender, gateway):
    gateway.slow_first = 2.5  # takes the message, answers after our 1 s timeout
    at(2026, 3, 2, 10, 0)
    case = make_case(placement, collector=alice)
    message = send(case, alice)
    assert message.status == "queued" and "timeout" in message.error
    at(2026, 3, 2, 10, 5)
    messages_dispatch()
    message.refresh_from_db()
    assert message.status == "sent" and message.gateway_id == "gw-1"
    assert [r["key"] for r in gateway.requests] == [str(message.key)] * 2
    assert len(gateway.sent) == 1  # the debtor's phone got it once


def test_a_delivery_receipt_settles_a_message_waiting_for_its_retry(
    client, at, placement, alice, sender, gateway, gateway_token
):
    gateway.slow_first = 2.5
    at(2026, 3, 2, 10, 0)
    message = send(make_case(placement, collector=alice), alice)
    assert message.status == "queued"
    api_post(
        client, "receipts", gateway_token, {"receipts": [{"id": str(message.key), "status": "delivered"}]}
    )
    at(2026, 3, 2, 10, 5)
    messages_dispatch()
    message.refresh_from_db()
    assert message.status == "delivered" and len(gateway.requests) == 1


def test_gives_up_after_the_last_attempt(at, placement, alice, sender, monkeypatch):
    monkeypatch.setenv("ARREARS_SMS_BACKEND", "http")
    monkeypatch.setenv("ARREARS_SMS_URL", "http://127.0.0.1:9/nothing-listens-here")
    at(2026, 3, 2, 10, 0)
    case = make_case(placement, collector=alice)
    message = send(case, alice)
    for minute in (10, 20, 30, 40):
        at(2026, 3, 2, 10, minute)
        messages_dispatch()
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("failed", 5) and "connection" in message.error
    assert case.events.filter(kind="message.failed").exists()


@pytest.mark.parametrize("reply", ["退订", " TD ", "t", "Stop!", "【退订】", "td。"])
def test_an_opt_out_reply_makes_the_guard_refuse_sms_to_that_number(
    client, at, placement, alice, sender, gateway, gateway_token, reply
):
    at(2026, 3, 2, 10, 0)
    case = make_case(placement, collector=alice)
    assert send(case, alice).status == "sent"
    answer = api_post(client, "replies", gateway_token, {"from": "138 0013 8000", "text": reply})
    assert answer.status_code == 200, answer.content
    assert answer.json() == {"opt_out": True, "contact_points": 1, "cases": [case.pk]}
    assert own_mobile(case).do_not_contact
    assert case.events.filter(kind="message.opt_out").exists()
    at(2026, 3, 2, 11, 0)
    refused = send(case, alice)
    assert refused.status == "refused" and "禁止联系" in refused.error
    assert [v["rule"] for v in ContactDecision.objects.filter(allowed=False).get().violations] == [
        "do_not_contact"
    ]
    assert len(gateway.sent) == 1


def test_any_other_reply_is_put_on_the_case_and_opts_nobody_out(client, at, placement, alice, gateway_token):
    at(2026, 3, 2, 10, 0)
    case = make_case(placement, collector=alice)
    answer = api_post(client, "replies", gateway_token, {"from": "+8613800138000", "text": "明天还，别停"})
    assert answer.json()["opt_out"] is False
    assert not own_mobile(case).do_not_contact
    assert case.events.get(kind="message.reply").data["text"] == "明天还，别停"


def test_receipts_need_a_role_that_reports_on_messages(client, alice):
    from arrears.accounts.services import token_issue

    _token, secret = token_issue(actor=None, user=alice, name="x", role="collector")
    answer = api_post(client, "receipts", secret, {"receipts": []})
    assert answer.status_code == 403


def test_the_guard_refuses_at_night_and_the_collector_sees_why(at, placement, alice, sender, gateway):
    at(2026, 3, 2, 22, 30)
    message = send(make_case(placement, collector=alice), alice)
    assert message.status == "refused" and "22:00" in message.error
    assert gateway.requests == []


def test_a_strategy_sms_task_is_sent_once(at, placement, alice, sender, gateway):
    at(2026, 3, 2, 9, 0)
    case = make_case(placement, collector=alice)
    task = Task.objects.create(
        case=case,
        due_on=dt.date(2026, 3, 2),
        kind="sms",
        template="early_reminder",
        treatment="soft_reminder",
    )
    later = Task.objects.create(
        case=case, due_on=dt.date(2026, 3, 5), kind="sms", template="early_reminder", treatment="x"
    )
    summary = messages_dispatch()
    assert (summary.sent, summary.skipped) == (1, [])
    message = Message.objects.get()
    assert message.task == task and message.status == "sent" and message.requested_by is None
    assert "5,125.00" in gateway.sent[str(message.key)]["text"]
    task.refresh_from_db()
    later.refresh_from_db()
    assert (task.status, later.status) == ("done", "open")
    assert messages_dispatch().sent == 0 and Message.objects.count() == 1
    assert ContactDecision.objects.get().actor is None  # the system sent it


def test_a_strategy_sms_at_night_waits_for_the_morning(at, placement, alice, sender, gateway):
    at(2026, 3, 2, 22, 30)
    case = make_case(placement, collector=alice)
    Task.objects.create(
        case=case, due_on=dt.date(2026, 3, 2), kind="sms", template="early_reminder", treatment="x"
    )
    assert messages_dispatch().waiting == 1
    message = Message.objects.get()
    assert message.status == "queued" and message.next_try_at == dt.datetime(
        2026, 3, 3, 8, 0, tzinfo=SHANGHAI
    )
    at(2026, 3, 3, 8, 0)
    assert messages_dispatch().sent == 1
    assert len(gateway.sent) == 1


def test_a_task_that_cannot_become_a_message_is_reported_and_stays_open(at, placement, alice):
    at(2026, 3, 2, 9, 0)
    case = make_case(placement, collector=alice)
    task = Task.objects.create(
        case=case, due_on=dt.date(2026, 3, 2), kind="sms", template="no_such", treatment="x"
    )
    other = make_case(placement, collector=alice)
    Task.objects.create(
        case=other, due_on=dt.date(2026, 3, 2), kind="sms", template="early_reminder", treatment="x"
    )
    skipped = messages_dispatch().skipped
    assert [s["case"] for s in skipped] == [case.pk, other.pk]
    assert "no_such" in skipped[0]["reason"] and "东湖银行信用卡中心" in skipped[1]["reason"]  # no sender yet
    task.refresh_from_db()
    assert task.status == "open" and not Message.objects.exists()


def test_send_messages_command_prints_json(at, placement, alice, sender):
    from io import StringIO

    from django.core.management import call_command

    at(2026, 3, 2, 9, 0)
    case = make_case(placement, collector=alice)
    Task.objects.create(
        case=case, due_on=dt.date(2026, 3, 2), kind="sms", template="early_reminder", treatment="x"
    )
    out = StringIO()
    call_command("send_messages", "--json", stdout=out)
    assert json.loads(out.getvalue()) == {"sent": 1, "refused": 0, "waiting": 0, "failed": 0, "skipped": []}
    assert Message.objects.get().gateway_id.startswith("outbox:")  # the default backend keeps it


def test_the_case_page_sends_and_lists(client, at, placement, alice, sender, gateway):
    at(2026, 3, 2, 10, 0)
    case = make_case(placement, collector=alice)
    client.force_login(alice)
    page = client.get(f"/messaging/cases/{case.pk}/").content.decode()
    assert "early_reminder" not in page or "逾期还款提醒" in page
    posted = client.post(
        f"/messaging/cases/{case.pk}/",
        {"template": "sms:early_reminder:zh-hans", "point": own_mobile(case).pk},
    )
    assert posted.status_code == 200
    body = posted.content.decode()
    assert Message.objects.get().status == "sent" and "5,125.00" in body


def test_the_case_page_of_someone_elses_case_is_not_found(client, placement, alice, bob):
    case = make_case(placement, collector=bob)
    client.force_login(alice)
    assert client.get(f"/messaging/cases/{case.pk}/").status_code == 404
    assert client.post(f"/messaging/cases/{case.pk}/", {}).status_code == 404


def test_a_failed_try_leaves_a_failed_attempt_not_a_pending_one(at, placement, alice, sender, gateway):
    gateway.fail_first = True
    at(2026, 3, 2, 10, 0)
    case = make_case(placement, collector=alice)
    send(case, alice)
    at(2026, 3, 2, 10, 2)
    assert messages_dispatch().sent == 1
    history = list(ContactRecord.objects.filter(case=case).order_by("at").values("outcome", "note", "detail"))
    assert [r["outcome"] for r in history] == ["rejected", "sent"]  # one failed, one sent, none pending
    assert "503" in history[0]["note"] and history[0]["detail"] == {"not_sent": True}


def test_a_double_clicked_send_sends_once_and_shows_the_first_result(
    client, at, placement, alice, sender, gateway
):
    import re

    at(2026, 3, 2, 10, 0)
    case = make_case(placement, collector=alice)
    client.force_login(alice)
    page = client.get(f"/messaging/cases/{case.pk}/").content.decode()
    once = re.search(r'name="once" value="([0-9a-f-]{36})"', page).group(1)
    form = {"template": "sms:early_reminder:zh-hans", "point": own_mobile(case).pk, "once": once}
    first = client.post(f"/messaging/cases/{case.pk}/", form).content.decode()
    second = client.post(f"/messaging/cases/{case.pk}/", form).content.decode()
    assert Message.objects.count() == 1 and len(gateway.requests) == 1
    assert ContactDecision.objects.count() == 1  # the second post did not even ask the guard
    for body in (first, second):
        assert "消息已发送" in body or "Message sent" in body
    # After a send the form carries a new key, so the next message is a new one.
    fresh = re.search(r'name="once" value="([0-9a-f-]{36})"', second).group(1)
    assert fresh != once
    client.post(f"/messaging/cases/{case.pk}/", {**form, "once": fresh})
    assert Message.objects.count() == 2


def test_a_send_forms_key_cannot_show_another_collectors_message(at, placement, alice, bob, sender, gateway):
    import uuid

    from django.core.exceptions import ValidationError

    at(2026, 3, 2, 10, 0)
    key = uuid.uuid4()
    case = make_case(placement, collector=alice)
    message_send(
        actor=alice, case=case, channel="sms", code="early_reminder", language="zh-hans",
        point=own_mobile(case), request_key=key,
    )  # fmt: skip
    other = make_case(placement, collector=bob)
    with pytest.raises(ValidationError):
        message_send(
            actor=bob, case=other, channel="sms", code="early_reminder", language="zh-hans",
            point=own_mobile(other), request_key=key,
        )  # fmt: skip
    assert Message.objects.count() == 1
