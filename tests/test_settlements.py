"""Waivers and settlements through the authority matrix; settlements complete when paid in time."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from arrears.cases.models import CaseStatus
from arrears.payments import ledger
from arrears.payments.authority import approver_for
from arrears.payments.models import LedgerEntry, WaiverRequest
from arrears.payments.services import payment_post
from arrears.payments.settlements import waiver_decide, waiver_request
from tests.conftest import make_case, make_user

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def finance(org):
    return make_user("finance", "finance", org)


def in_days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def test_a_settlement_above_the_requesters_authority_goes_up_and_completes_when_paid(
    placement, alice, lead_a, manager, finance
):
    case = make_case(placement, collector=alice)  # 5,125.00 owed
    request = waiver_request(
        actor=alice,
        case=case,
        kind="settlement",
        reason="失业，家属代为筹款 / hardship",
        settle_amount=D("3000.00"),
        due_on=in_days(10),
    )
    assert (request.waived, request.needs_role, request.status) == (D("2125.00"), "manager", "pending")
    assert request.amounts == {"late_fee": "25.00", "interest": "100.00", "principal": "2000.00"}
    with pytest.raises(PermissionDenied):
        waiver_decide(actor=alice, request=request, approve=True)  # never one's own
    with pytest.raises(PermissionDenied):
        waiver_decide(actor=lead_a, request=request, approve=True)  # beyond a team lead's authority
    waiver_decide(actor=manager, request=request, approve=True, note="同意")
    request.refresh_from_db()
    assert request.status == "approved"
    payment_post(
        actor=finance,
        case=case,
        amount=D("3000.00"),
        paid_on=timezone.localdate(),
        channel="alipay",
        reference="SETTLE-1",
    )
    request.refresh_from_db()
    case.refresh_from_db()
    assert request.status == "completed" and case.status == CaseStatus.SETTLED and case.total == D("0.00")
    assert ledger.ledger_balances(case) == ledger.balances_of(case)
    assert sum(e.amount for e in LedgerEntry.objects.filter(case=case, kind="waiver")) == D("-2125.00")


def test_a_small_waiver_is_booked_when_the_team_lead_approves(placement, alice, lead_a):
    case = make_case(placement, collector=alice)
    request = waiver_request(
        actor=alice,
        case=case,
        kind="waiver",
        reason="重复收取 / charged twice",
        amounts={"late_fee": D("25.00")},
    )
    assert request.needs_role == "team_lead"
    waiver_decide(actor=lead_a, request=request, approve=True)
    case.refresh_from_db()
    assert case.late_fee == D("0.00") and case.total == D("5100.00")
    assert ledger.ledger_balances(case) == ledger.balances_of(case)


def test_a_rejected_request_changes_no_balance(placement, alice, manager):
    case = make_case(placement, collector=alice)
    request = waiver_request(
        actor=alice, case=case, kind="waiver", reason="x", amounts={"interest": D("100.00")}
    )
    waiver_decide(actor=manager, request=request, approve=False, note="证据不足")
    case.refresh_from_db()
    assert case.interest == D("100.00") and WaiverRequest.objects.get().status == "rejected"


def test_a_late_payment_does_not_complete_a_settlement(placement, alice, manager, finance, at):
    at(2026, 11, 30, 10, 0)
    case = make_case(placement, collector=alice)
    request = waiver_request(
        actor=alice, case=case, kind="settlement", reason="x", settle_amount=D("4000.00"),
        due_on=dt.date(2026, 12, 3),
    )  # fmt: skip
    waiver_decide(actor=manager, request=request, approve=True)
    at(2026, 12, 10, 10, 0)
    late = dt.date(2026, 12, 5)
    payment_post(actor=finance, case=case, amount=D("4000"), paid_on=late, channel="alipay", reference="L-1")
    request.refresh_from_db()
    case.refresh_from_db()
    assert request.status == "approved" and case.total == D("1125.00")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"kind": "settlement", "settle_amount": D("6000.00"), "due_on": None}, "settle_amount"),
        ({"kind": "waiver", "amounts": {"interest": D("999.00")}}, "amounts"),
        ({"kind": "waiver", "amounts": {}}, "amounts"),
    ],
)
def test_bad_requests_are_refused(placement, alice, kwargs, field):
    with pytest.raises(ValidationError) as info:
        waiver_request(actor=alice, case=make_case(placement, collector=alice), reason="x", **kwargs)
    assert field in info.value.message_dict


@pytest.mark.parametrize(
    ("amount", "share", "requester", "approver"),
    [
        ("400", "0.05", "collector", "team_lead"),
        ("4000", "0.20", "collector", "team_lead"),
        ("4000", "0.40", "collector", "manager"),
        ("60000", "0.10", "team_lead", "creditor"),
        ("100", "0.01", "team_lead", "manager"),
    ],
)
def test_the_authority_matrix(amount, share, requester, approver):
    assert approver_for(D(amount), D(share), requester_role=requester) == approver


def test_settlement_from_the_ui_up_to_the_managers_approval(client, placement, alice, lead_a, manager):
    from django.urls import reverse

    case = make_case(placement, collector=alice)
    client.force_login(alice)
    client.post(
        reverse("payments:waiver", args=[case.pk]),
        {
            "kind": "settlement",
            "settle_amount": "3000.00",
            "due_on": in_days(7).isoformat(),
            "reason": "一次性结清",
        },
    )
    request = WaiverRequest.objects.get()
    assert request.needs_role == "manager"
    client.force_login(lead_a)
    assert list(client.get(reverse("payments:approvals")).context["requests"]) == []  # beyond a team lead
    client.force_login(manager)
    assert list(client.get(reverse("payments:approvals")).context["requests"]) == [request]
    client.post(reverse("payments:decide", args=[request.pk]), {"approve": "1", "note": "同意"})
    request.refresh_from_db()
    assert (request.status, request.decided_by) == ("approved", manager)


def test_an_unpaid_settlement_expires_after_its_date_and_the_whole_balance_stands(
    placement, alice, manager, finance, at
):
    from io import StringIO

    from django.core.management import call_command

    from arrears.payments.settlements import EXPIRY_GRACE_DAYS, settlements_expire

    at(2026, 11, 30, 10, 0)
    due = dt.date(2026, 12, 3)
    unpaid, late_file = make_case(placement, collector=alice), make_case(placement, collector=alice)
    requests = {}
    for case in (unpaid, late_file):
        requests[case.pk] = waiver_request(
            actor=alice, case=case, kind="settlement", reason="x", settle_amount=D("4000.00"), due_on=due
        )
        waiver_decide(actor=manager, request=requests[case.pk], approve=True)
    after_grace = due + dt.timedelta(days=EXPIRY_GRACE_DAYS + 1)
    assert settlements_expire(business_date=due + dt.timedelta(days=1)) == {"completed": 0, "expired": 0}
    # The bank's file arrives after the date, with a payment the debtor made in time.
    at(2026, 12, 6, 9, 0)
    payment_post(actor=finance, case=late_file, amount=D("4000.00"), paid_on=due, channel="alipay",
                 reference="INTIME-1")  # fmt: skip
    at(after_grace.year, after_grace.month, after_grace.day, 2, 0)
    out = StringIO()
    call_command("run_batch", "--date", after_grace.isoformat(), "--json", stdout=out)
    steps = json.loads(out.getvalue())["steps"]
    assert steps["settlements"]["counts"] == {"completed": 0, "expired": 1}
    for case in (unpaid, late_file):
        requests[case.pk].refresh_from_db()
        case.refresh_from_db()
    assert requests[unpaid.pk].status == "expired" and unpaid.total == D("5125.00")
    assert unpaid.events.filter(kind="settlement.expired").exists()
    assert requests[late_file.pk].status == "completed" and late_file.status == CaseStatus.SETTLED
    assert settlements_expire(business_date=after_grace) == {"completed": 0, "expired": 0}  # idempotent


def test_a_request_above_the_managers_authority_goes_to_the_creditor(placement, alice, manager, client):
    case = make_case(placement, collector=alice, principal="150000.00")
    request = waiver_request(
        actor=alice, case=case, kind="settlement", reason="重病，家属一次性筹款",
        settle_amount=D("60000.00"), due_on=in_days(10),
    )  # fmt: skip
    assert request.needs_role == "creditor" and request.needs_label == "委托方"
    client.force_login(manager)
    assert request in client.get("/payments/approvals/").context["requests"]
    with pytest.raises(ValidationError):
        waiver_decide(actor=manager, request=request, approve=True, note="")  # the reference is required
    waiver_decide(actor=manager, request=request, approve=True, note="东湖银行减免审批单 JM-2026-1187")
    request.refresh_from_db()
    assert request.status == "approved" and "JM-2026-1187" in request.decision_note
