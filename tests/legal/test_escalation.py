"""Escalating a case to legal: who may propose and decide, and which cases may never go."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from arrears.cases.models import Case
from arrears.complaints.services import dispute_open
from arrears.legal.models import Escalation
from arrears.legal.services import escalation_decide, escalation_propose
from tests.conftest import make_case
from tests.legal.conftest import with_limitation

pytestmark = pytest.mark.django_db


def test_a_time_barred_case_cannot_be_proposed_and_the_reason_names_the_lapse_date(placement, alice, today):
    case = with_limitation(make_case(placement, collector=alice), dt.date(2026, 3, 1))  # lapsed yesterday
    with pytest.raises(ValidationError) as info:
        escalation_propose(actor=alice, case=case, reason="拒不还款")
    message = " ".join(info.value.messages)
    assert "2026-03-01" in message and "诉讼时效" in message and "limitation period lapsed" in message
    assert [e.code for e in info.value.error_list] == ["time_barred"]
    assert not Escalation.objects.exists()
    assert not case.events.filter(kind__startswith="legal.").exists()


def test_the_last_day_of_the_period_is_not_yet_time_barred(placement, alice, today):
    case = with_limitation(make_case(placement, collector=alice), today)
    assert escalation_propose(actor=alice, case=case, reason="拒不还款").status == "proposed"


def test_a_case_that_lapsed_after_its_proposal_cannot_be_approved(placement, alice, lawyer, today, at):
    case = with_limitation(make_case(placement, collector=alice), dt.date(2026, 3, 5))
    proposal = escalation_propose(actor=alice, case=case, reason="拒不还款")
    at(2026, 3, 6, 10, 0)
    with pytest.raises(ValidationError) as info:
        escalation_decide(actor=lawyer, escalation=proposal, approve=True, note="同意")
    assert "2026-03-05" in " ".join(info.value.messages)
    proposal.refresh_from_db()
    assert proposal.status == "proposed"
    # Rejecting it, with the reason, still works: the proposal does not hang forever.
    assert escalation_decide(
        actor=lawyer, escalation=proposal, approve=False, note="已过诉讼时效"
    ).status == ("rejected")


def test_approval_needs_a_known_limitation_date(placement, alice, lawyer, today):
    case = make_case(placement, collector=alice)  # the nightly run has not set the date yet
    proposal = escalation_propose(actor=alice, case=case, reason="拒不还款")
    with pytest.raises(ValidationError) as info:
        escalation_decide(actor=lawyer, escalation=proposal, approve=True, note="同意")
    assert [e.code for e in info.value.error_list] == ["limitation_unknown"]


def test_a_disputed_case_can_neither_be_proposed_nor_approved(live_case, alice, lawyer):
    proposal = escalation_propose(actor=alice, case=live_case, reason="拒不还款")
    dispute_open(actor=alice, case=live_case, reason="债务人称部分消费非本人所为")
    with pytest.raises(ValidationError) as info:
        escalation_decide(actor=lawyer, escalation=proposal, approve=True, note="同意")
    assert "异议" in " ".join(info.value.messages) and "dispute" in " ".join(info.value.messages)
    escalation_decide(actor=lawyer, escalation=proposal, approve=False, note="异议处理中")
    with pytest.raises(ValidationError):
        escalation_propose(actor=alice, case=live_case, reason="再次提请")


def test_the_proposer_cannot_approve_their_own_proposal(live_case, lawyer, lawyer2):
    proposal = escalation_propose(actor=lawyer, case=live_case, reason="法务自行发现，拟起诉")
    with pytest.raises(PermissionDenied):
        escalation_decide(actor=lawyer, escalation=proposal, approve=True, note="同意")
    proposal.refresh_from_db()
    assert proposal.status == "proposed" and proposal.decided_by is None
    approved = escalation_decide(actor=lawyer2, escalation=proposal, approve=True, note="同意")
    assert approved.status == "approved" and approved.decided_by == lawyer2


def test_only_legal_decides_and_a_reason_is_required(live_case, alice, manager, lawyer):
    proposal = escalation_propose(actor=alice, case=live_case, reason="拒不还款")
    with pytest.raises(PermissionDenied):
        escalation_decide(actor=manager, escalation=proposal, approve=True, note="同意")
    with pytest.raises(ValidationError) as info:
        escalation_decide(actor=lawyer, escalation=proposal, approve=True, note="  ")
    assert "note" in info.value.message_dict


def test_one_live_escalation_per_case_and_a_decision_is_final(on_track, alice, lawyer):
    with pytest.raises(ValidationError):
        escalation_propose(actor=alice, case=on_track, reason="again")
    approved = Escalation.objects.get()
    with pytest.raises(ValidationError):
        escalation_decide(actor=lawyer, escalation=approved, approve=False, note="改变主意")
    kinds = list(on_track.events.filter(kind__startswith="legal.").values_list("kind", flat=True))
    assert sorted(kinds) == ["legal.approved", "legal.proposed"]


def test_a_finished_case_is_not_proposed(live_case, alice):
    Case.objects.filter(pk=live_case.pk).update(status="paid")
    live_case.refresh_from_db()
    with pytest.raises(ValidationError):
        escalation_propose(actor=alice, case=live_case, reason="x")


def test_roles_without_the_capability_cannot_propose(live_case, org):
    from tests.conftest import make_user

    with pytest.raises(PermissionDenied):
        escalation_propose(actor=make_user("fin", "finance", org), case=live_case, reason="x")
