"""A template marked "notice" is not a way round the holds: it may not carry the debt's figures, and
it is judged as a demand unless the case is under an active repayment plan."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from arrears.cases.models import Case
from arrears.compliance.models import ContactDecision
from arrears.messaging.models import MessageTemplate
from arrears.messaging.services import message_send, template_save
from tests.conftest import make_case

pytestmark = pytest.mark.django_db

# A notice in name that asks for payment without naming a figure: it passes the save check, so only
# the purpose given to the guard at send time keeps it off a disputed or paid case.
CALL_US = "{debtor_name}您好，关于您尾号{account_tail}的{creditor}账户，请尽快还款并致电{hotline}。"


def save_notice(manager, creditor, body, code="call_us"):
    return template_save(
        actor=manager, creditor=creditor, channel="sms", code=code, language="zh-hans", purpose="notice",
        title="通知", subject="", body=body,
    )  # fmt: skip


def send(case, user, code):
    point = case.debtor.contact_points.get(person__isnull=True, kind="mobile")
    return message_send(actor=user, case=case, channel="sms", code=code, language="zh-hans", point=point)


@pytest.mark.parametrize("figure", ["{total}", "{dpd}", "{promise_amount}", "{due_date}", "{principal}"])
def test_a_notice_carrying_the_debts_figures_is_refused_at_save(manager, creditor, figure):
    body = f"{{debtor_name}}您好，您欠款{figure}，请立即还清。电话{{hotline}}"
    with pytest.raises(ValidationError) as info:
        save_notice(manager, creditor, body)
    text = " ".join(info.value.messages)
    assert figure.strip("{}") in text and "通知只能使用分期计划" in text and "a notice may carry only" in text
    assert not MessageTemplate.objects.exists()
    # The same text as a reminder to pay is a demand, judged as one: it may be saved.
    template_save(
        actor=manager, creditor=creditor, channel="sms", code="call_us", language="zh-hans",
        purpose="demand", title="提醒", subject="", body=body,
    )  # fmt: skip


def test_a_notice_with_the_plans_instalment_may_be_saved(manager, creditor):
    saved = save_notice(
        manager, creditor, "{debtor_name}您好，下一期{instalment_amount}元于{instalment_due}到期。{hotline}"
    )
    assert saved.purpose == "notice"


@pytest.mark.parametrize(("status", "rule"), [("disputed", "hold_dispute"), ("paid", "case_closed")])
def test_a_notice_template_on_a_case_without_a_plan_is_judged_as_a_demand(
    at, placement, alice, manager, sender, gateway, status, rule
):
    save_notice(manager, placement.creditor, CALL_US)
    at(2026, 3, 2, 10, 0)
    case = make_case(placement, collector=alice)
    Case.objects.filter(pk=case.pk).update(status=status)
    message = send(case, alice, "call_us")
    assert message.status == "refused" and gateway.requests == []
    decision = ContactDecision.objects.get()
    assert decision.purpose == "demand" and rule in [v["rule"] for v in decision.violations]


def test_under_an_active_plan_an_instalment_reminder_is_a_notice(at, placement, alice, sender, gateway):
    from arrears.payments.plans import plan_propose

    at(2026, 3, 2, 10, 0)
    case = make_case(placement, collector=alice, principal="1000.00")
    plan_propose(
        actor=alice, case=case, down_payment=Decimal("125.00"), months=3, first_due=dt.date(2026, 3, 20)
    )
    message = send(case, alice, "plan_reminder")
    assert message.status == "sent", message.error
    assert ContactDecision.objects.get().purpose == "notice"
    # A reminder to pay on the same case is still held by the plan.
    refused = send(case, alice, "early_reminder")
    assert refused.status == "refused"
    assert "hold_plan" in [v["rule"] for v in ContactDecision.objects.filter(allowed=False).get().violations]
