"""The contact choke point: every outbound contact is decided by the guard and recorded, and the
caps hold when two collectors press "call" at the same moment."""

from __future__ import annotations

import datetime as dt
import re
import threading
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

import arrears
from arrears.cases.models import Case
from arrears.compliance.models import ContactDecision
from arrears.contacts.models import ContactRecord
from arrears.contacts.services import contact_attempt
from tests.conftest import make_case

SHANGHAI = ZoneInfo("Asia/Shanghai")
PACKAGE = Path(arrears.__file__).parent
# Only these modules may create contact records: the choke point itself, and the demo loader, which
# writes a synthetic *history* (no contact leaves arrears there).
ALLOWED_WRITERS = {"contacts/services.py", "demo/services.py"}


def own_number(case):
    return case.debtor.contact_points.get(person__isnull=True)


def call(case, actor, point=None, purpose="demand"):
    return contact_attempt(
        actor=actor, case=case, channel="call", purpose=purpose, contact_point=point or own_number(case)
    )


WRITES = re.compile(
    r"(?<!class )ContactRecord\("
    r"|ContactRecord\.objects\.(?:create|bulk_create|update_or_create)"
    r"|insert\(\s*ContactRecord"
)


def test_nothing_else_writes_contact_records():
    writers = {
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if "migrations" not in path.parts and WRITES.search(path.read_text(encoding="utf-8"))
    }
    assert writers == ALLOWED_WRITERS


@pytest.mark.django_db
def test_allowed_call_is_recorded_as_pending(at, placement, alice):
    at(2026, 3, 2, 10, 0)
    case = make_case(placement, collector=alice)
    result = call(case, alice)
    assert result.decision.allowed and result.record.outcome == "pending"
    logged = ContactDecision.objects.get()
    assert (logged.allowed, logged.actor, logged.profile) == (True, alice, "CN")
    assert case.events.filter(kind="contact.allowed").exists()


@pytest.mark.django_db
def test_call_at_half_past_ten_at_night_is_refused_and_recorded(at, placement, alice):
    at(2026, 3, 2, 22, 30)
    case = make_case(placement, collector=alice)
    result = call(case, alice)
    assert not result.decision.allowed and result.record is None
    logged = ContactDecision.objects.get()
    assert [v["rule"] for v in logged.violations] == ["quiet_hours"]
    assert logged.next_allowed_at == dt.datetime(2026, 3, 3, 8, 0, tzinfo=SHANGHAI)
    assert not ContactRecord.objects.exists()


@pytest.mark.django_db
def test_seventh_unanswered_attempt_on_a_number_is_refused(at, placement, alice):
    case = make_case(placement, collector=alice)
    for minute in range(6):
        at(2026, 3, 2, 9, minute * 5)
        assert call(case, alice).decision.allowed
        ContactRecord.objects.filter(outcome="pending").update(outcome="no_answer")
    at(2026, 3, 2, 11, 0)
    refused = call(case, alice).decision
    assert not refused.allowed and {v.rule for v in refused.violations} == {"attempts_per_number_day"}
    at(2026, 3, 3, 9, 0)  # a new day in Shanghai
    assert call(case, alice).decision.allowed


@pytest.mark.django_db
def test_a_contact_may_only_be_asked_to_locate_once_the_debtor_is_lost(at, placement, alice):
    case = make_case(placement, collector=alice)
    contact = case.debtor.contact_points.get(person__isnull=False)
    at(2026, 3, 2, 9, 0)
    first = contact_attempt(actor=alice, case=case, channel="call", purpose="locate", contact_point=contact)
    assert {v.rule for v in first.decision.violations} == {"third_party_lost_contact"}
    for minute in range(3):
        at(2026, 3, 2, 10, minute)
        call(case, alice)
        ContactRecord.objects.update(outcome="no_answer")
    at(2026, 3, 2, 11, 0)
    demand = contact_attempt(actor=alice, case=case, channel="call", purpose="demand", contact_point=contact)
    assert {v.rule for v in demand.decision.violations} == {"third_party_purpose"}
    locate = contact_attempt(actor=alice, case=case, channel="call", purpose="locate", contact_point=contact)
    assert locate.decision.allowed


@pytest.mark.django_db(transaction=True)
def test_two_collectors_cannot_both_get_the_seventh_attempt(at, placement, alice, bob):
    case = make_case(placement, collector=alice)
    point = own_number(case)
    at(2026, 3, 2, 9, 0)
    for _ in range(5):
        assert call(case, alice, point).decision.allowed
        ContactRecord.objects.update(outcome="no_answer")
    at(2026, 3, 2, 10, 0)
    barrier = threading.Barrier(2)
    results: list[bool] = []

    def press(user):
        try:
            barrier.wait(timeout=10)
            results.append(call(case, user, point).decision.allowed)
        finally:
            connection.close()  # each thread has its own connection: close it, or teardown waits

    threads = [threading.Thread(target=press, args=(u,)) for u in (alice, bob)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(results) == [False, True]
    assert ContactRecord.objects.count() == 6


@pytest.mark.django_db
def test_a_creditor_may_tighten_the_profile(at, placement, alice, manager):
    from arrears.creditors.services import creditor_save

    creditor_save(
        actor=manager, creditor=placement.creditor, compliance_tightening={"quiet_hours": {"end": "21:00"}}
    )
    placement.creditor.refresh_from_db()
    case = make_case(placement, collector=alice)
    at(2026, 3, 2, 21, 30)
    assert {v.rule for v in call(case, alice).decision.violations} == {"quiet_hours"}


@pytest.mark.django_db
def test_a_creditor_may_not_loosen_the_profile(placement, manager):
    from django.core.exceptions import ValidationError

    from arrears.creditors.services import creditor_save

    with pytest.raises(ValidationError) as info:
        creditor_save(
            actor=manager,
            creditor=placement.creditor,
            compliance_tightening={"quiet_hours": {"end": "23:00"}},
        )
    assert "compliance_tightening" in info.value.message_dict


@pytest.mark.django_db
def test_call_button_shows_the_refusal_and_when_it_will_be_allowed(client, at, placement, alice):
    case = make_case(placement, collector=alice)
    client.force_login(alice)
    at(2026, 3, 2, 22, 30)
    refused = client.post(f"/cases/{case.pk}/call/", {"point": own_number(case).pk}).content.decode()
    assert "quiet_hours" not in refused and "22:00" in refused and "2026-03-03 08:00" in refused
    at(2026, 3, 2, 10, 0)
    allowed = client.post(f"/cases/{case.pk}/call/", {"point": own_number(case).pk}).content.decode()
    assert "拨打" in allowed or "Dialling" in allowed
    assert ContactRecord.objects.filter(outcome="pending", collector=alice).count() == 1
    assert ContactDecision.objects.filter(allowed=False).count() == 1


@pytest.mark.django_db
def test_call_button_on_someone_elses_case_is_not_found(client, placement, alice, bob):
    case = make_case(placement, collector=bob)
    client.force_login(alice)
    assert client.post(f"/cases/{case.pk}/call/", {"point": own_number(case).pk}).status_code == 404
    assert not ContactDecision.objects.exists()


@pytest.mark.django_db
def test_calls_without_an_outcome_count_against_the_caps_but_never_make_the_debtor_lost(at, placement, alice):
    case = make_case(placement, collector=alice)
    contact = case.debtor.contact_points.get(person__isnull=False)
    for minute in range(3):
        at(2026, 3, 2, 10, minute)
        assert call(case, alice).decision.allowed  # outcomes never recorded: pending
    at(2026, 3, 2, 10, 5)
    fourth = call(case, alice).decision
    assert {v.rule for v in fourth.violations} == {"conversations_per_debtor_day"}
    locate = contact_attempt(actor=alice, case=case, channel="call", purpose="locate", contact_point=contact)
    assert "third_party_lost_contact" in {v.rule for v in locate.decision.violations}


@pytest.mark.django_db
def test_an_untried_number_means_the_debtor_is_not_lost(at, placement, alice):
    from arrears.debtors.models import ContactPoint

    case = make_case(placement, collector=alice)
    first = own_number(case)
    ContactPoint.objects.create(debtor=case.debtor, kind="mobile", value="+8613700137000")
    contact = case.debtor.contact_points.get(person__isnull=False)
    at(2026, 3, 2, 9, 0)
    call(case, alice, first)
    ContactRecord.objects.update(outcome="not_exist")  # the first number does not exist
    at(2026, 3, 2, 9, 30)
    locate = contact_attempt(actor=alice, case=case, channel="call", purpose="locate", contact_point=contact)
    assert "third_party_lost_contact" in {v.rule for v in locate.decision.violations}


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["paid", "settled", "recalled", "closed"])
def test_no_demand_on_a_finished_case(at, placement, alice, status):
    case = make_case(placement, collector=alice)
    Case.objects.filter(pk=case.pk).update(status=status)
    at(2026, 3, 2, 10, 0)
    decision = call(case, alice).decision
    assert not decision.allowed and [v.rule for v in decision.violations] == ["case_closed"]


@pytest.mark.django_db
def test_roles_that_do_not_collect_cannot_call(placement, org):
    from django.core.exceptions import PermissionDenied

    from tests.conftest import make_user

    case = make_case(placement)
    for role in ("finance", "qa", "auditor", "complaints"):
        with pytest.raises(PermissionDenied):
            call(case, make_user(f"u-{role}", role, org))
    assert not ContactDecision.objects.exists()


@pytest.mark.django_db
def test_recording_the_outcome(at, placement, alice):
    from arrears.contacts.services import contact_outcome_record

    case = make_case(placement, collector=alice)
    at(2026, 3, 2, 10, 0)
    record = call(case, alice).record
    saved = contact_outcome_record(actor=alice, record=record, outcome="not_exist", note="空号")
    assert saved.outcome == "not_exist" and own_number(case).status == "invalid"
    second = call(
        case, alice, point=case.debtor.contact_points.get(person__isnull=False), purpose="locate"
    ).record
    flagged = contact_outcome_record(
        actor=alice, record=second, outcome="third_party", note="再不还钱就曝光你"
    )
    assert flagged.qa_flags and flagged.qa_flags[0]["rule"] == "prohibited_content"
