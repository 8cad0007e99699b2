"""An outcome and what it leads to: promise, dispute, payment claim, flags, numbers, the next step."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from arrears.cases.models import Case, CaseStatus
from arrears.complaints.models import Dispute
from arrears.complaints.services import dispute_resolve
from arrears.compliance.models import ContactDecision
from arrears.contacts.models import ContactRecord
from arrears.contacts.services import contact_attempt
from arrears.debtors.models import ContactPoint
from arrears.payments.claims import payment_claim_check
from arrears.payments.models import PaymentClaim, Promise
from arrears.workbench.services import OutcomeEntry, outcome_record
from tests.conftest import SHANGHAI, make_case

pytestmark = pytest.mark.django_db


def own_number(case: Case) -> ContactPoint:
    return case.debtor.contact_points.filter(person__isnull=True).order_by("pk").first()


def dial(case: Case, actor, point: ContactPoint | None = None) -> ContactRecord:
    result = contact_attempt(
        actor=actor, case=case, channel="call", purpose="demand", contact_point=point or own_number(case)
    )
    assert result.decision.allowed, result.decision.violations
    return result.record


def record(case: Case, actor, **entry) -> object:
    return outcome_record(actor=actor, record=dial(case, actor), entry=OutcomeEntry(**entry))


@pytest.fixture
def case(placement, alice, at):
    at(2026, 11, 30, 10, 0)
    return make_case(placement, collector=alice)


def test_a_promise_is_recorded_and_checked_the_day_after_it_falls_due(case, alice):
    done = record(
        case, alice, outcome="right_party", result="promise", promise_amount=Decimal("800.00"),
        promise_due=dt.date(2026, 12, 5), note="客户同意12月5日前还800元",
    )  # fmt: skip
    promise = Promise.objects.get(case=case)
    assert (promise.amount, promise.due_on) == (Decimal("800.00"), dt.date(2026, 12, 5))
    assert promise.made_by == alice
    case.refresh_from_db()
    assert case.status == CaseStatus.PROMISED
    assert case.next_follow_up == dt.datetime(2026, 12, 6, 10, tzinfo=SHANGHAI) == done.follow_up
    assert done.suggested and done.promise == promise
    saved = ContactRecord.objects.get()
    assert saved.detail == {"promise_amount": "800.00", "promise_due": "2026-12-05"}
    assert case.events.filter(kind="case.follow_up").exists()


def test_a_refused_promise_records_nothing_not_even_the_outcome(case, alice):
    attempt = dial(case, alice)
    entry = OutcomeEntry(
        outcome="right_party", result="promise", promise_amount=Decimal("999999.00"),
        promise_due=dt.date(2026, 12, 5),
    )  # fmt: skip
    with pytest.raises(ValidationError):
        outcome_record(actor=alice, record=attempt, entry=entry)
    attempt.refresh_from_db()
    case.refresh_from_db()
    assert attempt.outcome == "pending" and not Promise.objects.exists()
    assert case.next_follow_up is None and case.status == CaseStatus.NEW


def test_a_dispute_opens_and_pauses_collection_until_resolved(case, alice, lead_a):
    done = record(case, alice, outcome="right_party", result="dispute", note="称该笔消费不是本人所刷")
    case.refresh_from_db()
    assert case.status == CaseStatus.DISPUTED
    assert done.dispute.reason == "称该笔消费不是本人所刷" and done.dispute.status == Dispute.Status.OPEN
    point = own_number(case)
    refused = contact_attempt(actor=alice, case=case, channel="call", purpose="demand", contact_point=point)
    assert not refused.decision.allowed
    assert "hold_dispute" in {v.rule for v in refused.decision.violations}

    dispute_resolve(actor=lead_a, dispute=done.dispute, upheld=False, resolution="调取签购单，确认为本人消费")
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS
    assert case.events.filter(kind="dispute.rejected").exists()


def test_a_collector_cannot_resolve_a_dispute(case, alice):
    done = record(case, alice, outcome="right_party", result="dispute", note="金额有误")
    with pytest.raises(PermissionDenied):
        dispute_resolve(actor=alice, dispute=done.dispute, upheld=True, resolution="x")


def test_already_paid_goes_to_finance_to_check(case, alice, manager):
    done = record(
        case, alice, outcome="right_party", result="claims_paid", claimed_amount=Decimal("500.00"),
        claimed_on=dt.date(2026, 11, 28), claimed_how="支付宝转账",
    )  # fmt: skip
    claim = PaymentClaim.objects.get()
    assert claim == done.claim and claim.status == PaymentClaim.Status.OPEN and claim.claimed_by == alice
    case.refresh_from_db()
    assert case.total == Decimal("5125.00")  # a claim moves no money
    payment_claim_check(actor=manager, claim=claim, payment=None, note="未查到该笔入账")
    claim.refresh_from_db()
    assert claim.status == PaymentClaim.Status.NOT_FOUND and claim.checked_by == manager


def test_a_complaint_threat_flags_the_case_and_hardship_tags_the_debtor(case, alice):
    record(case, alice, outcome="right_party", result="complaint_threat", note="表示要向监管投诉")
    record(case, alice, outcome="right_party", result="hardship", hardship_reason="unemployed")
    case.refresh_from_db()
    assert case.complaint_threat_at is not None
    assert case.debtor_type == "willing_unable"


def test_a_call_back_time_becomes_the_next_follow_up(case, alice):
    asked = dt.datetime(2026, 12, 1, 19, 30, tzinfo=SHANGHAI)
    record(case, alice, outcome="right_party", result="call_back", call_back_at=asked)
    case.refresh_from_db()
    assert case.next_follow_up == asked


def test_the_collector_may_choose_the_follow_up_but_not_in_the_past(case, alice):
    chosen = dt.datetime(2026, 12, 2, 9, 0, tzinfo=SHANGHAI)
    done = record(case, alice, outcome="no_answer", next_follow_up=chosen)
    assert not done.suggested and done.follow_up == chosen
    with pytest.raises(ValidationError):
        record(case, alice, outcome="no_answer", next_follow_up=dt.datetime(2026, 11, 30, 9, tzinfo=SHANGHAI))


def test_a_dead_number_is_marked_invalid_and_when_all_are_dead_the_debtor_is_lost(case, alice):
    record(case, alice, outcome="not_exist")
    case.refresh_from_db()
    assert own_number(case).status == ContactPoint.Status.INVALID
    assert case.status == CaseStatus.LOST_CONTACT and case.lost_contact_since is not None
    assert case.events.filter(kind="contact.lost").exists()


def test_reaching_the_debtor_again_ends_the_lost_contact_state(case, alice, at):
    second = ContactPoint.objects.create(debtor=case.debtor, kind="mobile", value="+8613700137000")
    for hour in (10, 12, 14):  # three unanswered calls in a row: lost, as the CN profile reads it
        at(2026, 11, 30, hour, 0)
        record(case, alice, outcome="no_answer")
    case.refresh_from_db()
    assert case.lost_contact_since is not None
    at(2026, 11, 30, 16, 0)
    outcome_record(actor=alice, record=dial(case, alice, second), entry=OutcomeEntry(outcome="right_party"))
    case.refresh_from_db()
    assert case.lost_contact_since is None and case.status == CaseStatus.IN_PROGRESS
    assert ContactPoint.objects.get(pk=second.pk).status == ContactPoint.Status.VALID


def test_a_prohibited_phrase_in_the_note_is_flagged_for_qa(case, alice):
    done = record(case, alice, outcome="right_party", result="refuses", note="我说他是老赖")
    assert done.record.qa_flags and done.record.qa_flags[0]["rule"] == "prohibited_content"


def test_third_party_needs_no_result_and_keeps_the_relationship(case, alice):
    point = case.debtor.contact_points.get(person__isnull=False)
    case.debtor.contact_points.filter(person__isnull=True).update(status=ContactPoint.Status.INVALID)
    attempt = contact_attempt(actor=alice, case=case, channel="call", purpose="locate", contact_point=point)
    assert attempt.decision.allowed
    done = outcome_record(
        actor=alice, record=attempt.record, entry=OutcomeEntry(outcome="third_party", relationship="配偶")
    )
    assert done.record.detail == {"relationship": "配偶"}
    assert ContactDecision.objects.filter(allowed=True).count() == 1


def test_the_dispute_is_resolved_by_someone_else_and_the_plan_comes_back(case, alice, lead_a, manager):
    from arrears.payments.plans import plan_propose

    plan_propose(actor=alice, case=case, down_payment=Decimal("0"), months=6, first_due=dt.date(2026, 12, 15))
    case.refresh_from_db()
    assert case.status == CaseStatus.PLAN
    # The debtor rang in (a plan holds our own demands): the collector records the dispute.
    from arrears.complaints.services import dispute_open

    dispute = dispute_open(actor=alice, case=case, reason="第三期金额有误")
    case.refresh_from_db()
    assert case.status == CaseStatus.DISPUTED
    with pytest.raises(PermissionDenied):
        dispute_resolve(actor=alice, dispute=dispute, upheld=True, resolution="x")
    dispute_resolve(actor=lead_a, dispute=dispute, upheld=True, resolution="已更正第三期金额")
    case.refresh_from_db()
    assert case.status == CaseStatus.PLAN


def test_details_typed_for_another_result_are_not_kept(case, alice):
    from arrears.workbench.forms import OutcomeForm

    form = OutcomeForm({"outcome": "right_party", "result": "refuses", "promise_amount": "500",
                        "promise_due": "2026-12-05", "relationship": "配偶", "note": "明确拒绝"})  # fmt: skip
    assert form.is_valid(), form.errors
    entry = form.entry()
    assert entry.promise_amount is None and entry.relationship == "" and entry.note == "明确拒绝"
