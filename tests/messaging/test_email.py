"""E-mail through a real SMTP server on loopback, with the unsubscribe link that needs no login."""

from __future__ import annotations

import email
import email.policy
import re

import pytest

from arrears.debtors.models import ContactPoint
from arrears.messaging.models import Message
from arrears.messaging.services import message_send
from tests.conftest import make_case

pytestmark = pytest.mark.django_db


def with_email(case) -> ContactPoint:
    return ContactPoint.objects.create(debtor=case.debtor, kind="email", value="zhang.wei@example.com")


def send_email(case, user, point, language="zh-hans"):
    return message_send(
        actor=user, case=case, channel="email", code="early_reminder", language=language, point=point
    )


def test_an_email_arrives_with_the_figures_and_an_unsubscribe_link_that_works(
    client, at, placement, alice, sender, smtp
):
    at(2026, 3, 2, 10, 0)
    case = make_case(placement, collector=alice)
    point = with_email(case)
    message = send_email(case, alice, point)
    assert message.status == "sent", message.error
    [received] = smtp.received
    assert received["to"] == ["<zhang.wei@example.com>"] and "notice@dhbank.example" in received["from"]
    mail = email.message_from_bytes(received["data"], policy=email.policy.default)
    assert mail["Subject"].strip() == f"东湖银行信用卡中心：尾号{case.account_number[-4:]}账户还款提醒"
    assert mail["Message-ID"] == f"<{message.key}@arrears>"
    body = mail.get_content()
    assert "合计：5,125.00元" in body and "违约金：25.00元" in body and "400-800-8000" in body
    link = re.search(r"https://pay\.dhbank\.example(/messaging/unsubscribe/[^/\s]+/)", body)
    assert link, body

    client.logout()
    page = client.get(link.group(1))  # a mail scanner opening the link changes nothing
    assert page.status_code == 200 and "z***@example.com" in page.content.decode()
    point.refresh_from_db()
    assert not point.do_not_contact
    done = client.post(link.group(1))
    assert done.status_code == 200
    point.refresh_from_db()
    assert point.do_not_contact
    assert case.events.filter(kind="message.opt_out", data__channel="email").exists()

    at(2026, 3, 2, 11, 0)
    refused = send_email(case, alice, point)
    assert refused.status == "refused" and len(smtp.received) == 1
    # The SMS number is untouched: only the address opted out.
    assert not case.debtor.contact_points.get(kind="mobile", person__isnull=True).do_not_contact


def test_an_english_email_under_the_us_profile(at, placement, alice, sender, smtp):
    placement.creditor.compliance_profile = "US-REGF"
    placement.creditor.save()
    at(2026, 3, 2, 10, 0)
    case = make_case(placement, collector=alice)
    message = send_email(case, alice, with_email(case), language="en")
    assert message.status == "sent", message.error
    body = email.message_from_bytes(smtp.received[0]["data"], policy=email.policy.default).get_content()
    assert "Total: CNY 5,125.00" in body and "To stop receiving e-mails" in body


def test_a_forged_unsubscribe_link_is_not_found(client, at, placement, alice):
    case = make_case(placement, collector=alice)
    point = with_email(case)
    assert client.get("/messaging/unsubscribe/not-a-token/").status_code == 404
    assert client.post(f"/messaging/unsubscribe/{point.pk}:{case.pk}/").status_code == 404
    point.refresh_from_db()
    assert not point.do_not_contact


def test_without_a_mail_server_the_email_stays_in_the_outbox(at, placement, alice, sender, monkeypatch):
    monkeypatch.delenv("ARREARS_EMAIL_HOST", raising=False)
    at(2026, 3, 2, 10, 0)
    case = make_case(placement, collector=alice)
    message = send_email(case, alice, with_email(case))
    assert message.status == "sent" and message.gateway_id == f"outbox:{message.key}"
    assert Message.objects.get().subject.startswith("东湖银行信用卡中心")


def test_an_email_the_server_may_have_accepted_is_not_resent(at, placement, alice, sender, smtp, monkeypatch):
    from arrears.contacts.models import ContactRecord
    from arrears.messaging.services import messages_dispatch

    monkeypatch.setenv("ARREARS_EMAIL_TIMEOUT", "1")
    smtp.stall_after_data = 2  # the server has the e-mail but its answer comes after our timeout
    at(2026, 3, 2, 10, 0)
    case = make_case(placement, collector=alice)
    message = send_email(case, alice, with_email(case))
    assert message.status == "failed" and message.next_try_at is None
    assert "不会自动重发" in message.error and "邮件服务器" in message.error
    assert case.events.filter(kind="message.failed").exists()
    record = ContactRecord.objects.get(case=case)
    assert record.outcome == "rejected" and record.detail == {"unconfirmed": True}
    smtp.stall_after_data = 0
    at(2026, 3, 2, 11, 0)
    messages_dispatch()
    assert len(smtp.received) == 1  # the debtor has at most the one e-mail


def test_an_email_nothing_of_which_left_is_retried(at, placement, alice, sender, smtp):
    from arrears.messaging.services import messages_dispatch

    smtp.greeting = "554 too busy, try later"  # the server will not talk: nothing handed over
    at(2026, 3, 2, 10, 0)
    case = make_case(placement, collector=alice)
    message = send_email(case, alice, with_email(case))
    assert message.status == "queued" and "554" in message.error
    smtp.greeting = "220 localhost test SMTP"
    at(2026, 3, 2, 10, 5)
    assert messages_dispatch().sent == 1
    message.refresh_from_db()
    assert message.status == "sent" and len(smtp.received) == 1


def test_an_email_to_a_mail_server_that_is_not_listening_is_retried(
    at, placement, alice, sender, monkeypatch
):
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("ARREARS_EMAIL_HOST", "127.0.0.1")
    monkeypatch.setenv("ARREARS_EMAIL_PORT", str(port))
    monkeypatch.setenv("ARREARS_PUBLIC_URL", "https://pay.dhbank.example")
    at(2026, 3, 2, 10, 0)
    case = make_case(placement, collector=alice)
    message = send_email(case, alice, with_email(case))
    assert message.status == "queued" and "SMTP connection" in message.error
