"""Field-visit services: the guard decides on the agents and the time, evidence is required, the
report updates the case like a call outcome, and only the right people take each step."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from arrears.batch.models import Task
from arrears.compliance.models import ContactDecision
from arrears.contacts.models import ContactRecord
from arrears.debtors.models import ContactPoint
from arrears.payments.models import Promise
from arrears.visits import services
from arrears.visits.models import Visit, VisitEvidence
from tests.conftest import make_case
from tests.visits.conftest import JPEG, M4A, MP4, PDF

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def when(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=SHANGHAI)


@pytest.fixture
def case(placement, alice):
    return make_case(placement, collector=alice)


@pytest.fixture
def approved(at, case, alice, lead_a):
    at(2026, 12, 1, 9, 0)
    visit = services.visit_request(
        actor=alice, case=case, address="北京市朝阳区建国路 88 号", reason="电话长期无人接听"
    )
    return services.visit_decide(actor=lead_a, visit=visit, approve=True)


@pytest.fixture
def scheduled(approved, lead_a, fa1, fa2):
    return services.visit_schedule(
        actor=lead_a, visit=approved, agents=[fa1, fa2], scheduled_for=when(2026, 12, 2, 10, 0)
    )


@pytest.fixture
def checked_in(at, scheduled, fa1):
    at(2026, 12, 2, 10, 5)
    return services.visit_check_in(actor=fa1, visit=scheduled, location_note="3 号楼 502 门口", id_shown=True)


def photo(name="door.jpg", data=JPEG):
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def recording(name="visit.m4a", data=M4A):
    return SimpleUploadedFile(name, data, content_type="audio/mp4")


# --- the guard decides ------------------------------------------------------------------------------


def test_a_visit_with_one_agent_is_refused_by_the_two_person_rule(approved, lead_a, fa1):
    with pytest.raises(services.GuardRefused) as info:
        services.visit_schedule(
            actor=lead_a, visit=approved, agents=[fa1], scheduled_for=when(2026, 12, 2, 10, 0)
        )
    assert info.value.rules == ("visit_min_collectors",)
    assert "上门外访至少需要 2 名催收员（本次 1 名）" in info.value.messages[0]
    assert "a field visit needs at least 2 collectors (1 planned)" in info.value.messages[0]
    approved.refresh_from_db()
    assert approved.status == "approved" and not approved.agents.exists()
    assert approved.case.events.filter(
        kind="visit.schedule_refused", data__rules=["visit_min_collectors"]
    ).exists()


def test_the_same_agent_twice_is_one_agent(approved, lead_a, fa1):
    with pytest.raises(services.GuardRefused) as info:
        services.visit_schedule(
            actor=lead_a, visit=approved, agents=[fa1, fa1], scheduled_for=when(2026, 12, 2, 10, 0)
        )
    assert info.value.rules == ("visit_min_collectors",)


def test_a_visit_at_half_past_ten_at_night_is_refused_by_the_contact_hours(approved, lead_a, fa1, fa2):
    with pytest.raises(services.GuardRefused) as info:
        services.visit_schedule(
            actor=lead_a, visit=approved, agents=[fa1, fa2], scheduled_for=when(2026, 12, 2, 22, 30)
        )
    assert info.value.rules == ("quiet_hours",)
    assert "22:30:00 不在允许联系的时段 08:00–22:00 内" in info.value.messages[0]
    assert info.value.next_allowed_at == when(2026, 12, 3, 8, 0)
    assert "2026-12-03 08:00" in info.value.messages[-1]


def test_agents_arriving_after_ten_at_night_cannot_check_in(at, scheduled, fa1):
    """Scheduled in the day; the choke point judges the moment at the door and records its refusal."""
    at(2026, 12, 2, 22, 30)
    with pytest.raises(services.GuardRefused) as info:
        services.visit_check_in(actor=fa1, visit=scheduled, location_note="门口", id_shown=True)
    assert info.value.rules == ("quiet_hours",)
    refused = ContactDecision.objects.get()
    assert (refused.channel, refused.allowed, refused.actor) == ("visit", False, fa1)
    assert [v["rule"] for v in refused.violations] == ["quiet_hours"]
    scheduled.refresh_from_db()
    assert scheduled.status == "scheduled" and not ContactRecord.objects.exists()


def test_check_in_goes_through_the_contact_choke_point_with_the_number_of_agents(checked_in, fa1):
    allowed = ContactDecision.objects.get()
    assert (allowed.channel, allowed.allowed, allowed.purpose) == ("visit", True, "demand")
    record = checked_in.contact_record
    assert (record.channel, record.outcome, record.collector) == ("visit", "pending", fa1)
    assert checked_in.status == "checked_in" and checked_in.checked_in_by == fa1


@pytest.mark.parametrize(
    "change", [{"is_active": False}, {"role": "collector"}], ids=["deactivated", "no longer a field agent"]
)
def test_an_agent_who_may_no_longer_go_does_not_count_at_check_in(at, scheduled, fa1, fa2, change):
    """fa1 and fa2 were sent; fa2 then left the field team, so fa1 at the door is alone."""
    for field, value in change.items():
        setattr(fa2, field, value)
    fa2.save()
    at(2026, 12, 2, 10, 5)
    with pytest.raises(services.GuardRefused) as info:
        services.visit_check_in(actor=fa1, visit=scheduled, location_note="3 号楼 502 门口", id_shown=True)
    assert info.value.rules == ("visit_min_collectors",)
    assert "本次 1 名" in info.value.messages[0] and "(1 planned)" in info.value.messages[0]
    refused = ContactDecision.objects.get()
    assert (refused.channel, refused.allowed) == ("visit", False)
    assert [v["rule"] for v in refused.violations] == ["visit_min_collectors"]
    scheduled.refresh_from_db()
    assert scheduled.status == "scheduled" and not ContactRecord.objects.exists()


# --- evidence and the report -----------------------------------------------------------------------


def test_a_report_without_a_recording_or_photo_is_refused(checked_in, fa1):
    report = services.VisitReport(met="debtor", finding="promise", promise_amount=Decimal("1000.00"),
                                  promise_due=dt.date(2026, 12, 10))  # fmt: skip
    with pytest.raises(ValidationError) as info:
        services.visit_report(actor=fa1, visit=checked_in, report=report)
    assert "files" in info.value.message_dict
    checked_in.refresh_from_db()
    assert checked_in.status == "checked_in" and checked_in.contact_record.outcome == "pending"
    assert not Promise.objects.exists()


def test_a_report_with_the_recording_makes_the_promise_and_closes(checked_in, fa1, lead_a, case):
    kept = services.visit_evidence_add(actor=fa1, visit=checked_in, upload=recording())
    assert kept.kind == "audio" and len(kept.sha256) == 64 and kept.file.read() == M4A
    extra = services.visit_evidence_add(actor=fa1, visit=checked_in, upload=photo())  # photos are extra
    assert extra.kind == "photo" and extra.file.read() == JPEG
    report = services.VisitReport(
        met="debtor", finding="promise", promise_amount=Decimal("1000.00"), promise_due=dt.date(2026, 12, 10),
        new_phone="13700137000", notes="本人在家，同意12月10日前还款1000元",
    )  # fmt: skip
    visit = services.visit_report(actor=fa1, visit=checked_in, report=report)
    promise = Promise.objects.get(case=case)
    assert (promise.amount, promise.due_on, promise.made_by) == (
        Decimal("1000.00"),
        dt.date(2026, 12, 10),
        fa1,
    )
    case.refresh_from_db()
    assert case.status == "promised" and case.next_follow_up == when(2026, 12, 11, 10, 0)
    record = ContactRecord.objects.get(pk=visit.contact_record_id)
    assert (record.outcome, record.result) == ("right_party", "promise")
    new = ContactPoint.objects.get(debtor=case.debtor, value="+8613700137000")
    assert (new.person, new.kind, new.source) == (None, "mobile", "visit")
    closed = services.visit_close(actor=lead_a, visit=visit)
    assert closed.status == "closed" and closed.closed_by == lead_a


def test_a_refusal_and_a_moved_debtor_are_recorded_and_the_address_is_not_visited_again(
    checked_in, fa1, alice, lead_a, case
):
    services.visit_evidence_add(actor=fa1, visit=checked_in, upload=recording("visit.mp4", MP4))  # a video
    report = services.VisitReport(
        met="family", finding="moved_away", relationship="母亲", new_address="上海市浦东新区世纪大道 1 号"
    )
    visit = services.visit_report(actor=fa1, visit=checked_in, report=report)
    assert visit.contact_record.outcome == "third_party"
    assert case.events.filter(kind="visit.address_flagged", data__finding="moved_away").exists()
    services.visit_close(actor=lead_a, visit=visit)
    with pytest.raises(ValidationError) as info:
        services.visit_request(actor=alice, case=case, address="北京市朝阳区建国路88号", reason="再访")
    assert "address" in info.value.message_dict
    from arrears.visits.selectors import known_addresses

    assert known_addresses(case=case) == [
        "上海市浦东新区世纪大道 1 号"
    ]  # the old one is gone, the new one offered


def test_photos_alone_are_not_the_recording_the_cn_profile_requires(checked_in, fa1):
    """CN: the whole visit is recorded in sound (or on video); a photo of the door does not say what
    was said there, so a photo-only report is refused with the reason, and nothing is recorded."""
    services.visit_evidence_add(actor=fa1, visit=checked_in, upload=photo())
    services.visit_evidence_add(actor=fa1, visit=checked_in, upload=photo("hall.jpg"))
    report = services.VisitReport(met="debtor", finding="promise", promise_amount=Decimal("1000.00"),
                                  promise_due=dt.date(2026, 12, 10))  # fmt: skip
    with pytest.raises(ValidationError) as info:
        services.visit_report(actor=fa1, visit=checked_in, report=report)
    (reason,) = info.value.message_dict["files"]
    assert "audio or video recording" in reason or "录音或录像" in reason
    assert "photos alone are not enough" in reason or "仅有照片" in reason
    checked_in.refresh_from_db()
    assert checked_in.status == "checked_in" and checked_in.contact_record.outcome == "pending"
    assert not Promise.objects.exists()
    services.visit_evidence_add(actor=fa1, visit=checked_in, upload=recording())
    assert services.visit_report(actor=fa1, visit=checked_in, report=report).status == "reported"


def test_a_visit_reported_with_photos_only_cannot_be_closed(checked_in, fa1, lead_a):
    """A report filed with photos only (as the rule once allowed) is not closed until the recording
    is added."""
    services.visit_evidence_add(actor=fa1, visit=checked_in, upload=photo())
    Visit.objects.filter(pk=checked_in.pk).update(status="reported")
    with pytest.raises(ValidationError) as info:
        services.visit_close(actor=lead_a, visit=checked_in)
    assert "audio or video recording" in info.value.messages[0] or "录音或录像" in info.value.messages[0]
    checked_in.refresh_from_db()
    assert checked_in.status == "reported"
    services.visit_evidence_add(actor=fa1, visit=checked_in, upload=recording())
    assert services.visit_close(actor=lead_a, visit=checked_in).status == "closed"


def test_files_that_are_not_recordings_or_photos_are_refused(checked_in, fa1):
    with pytest.raises(ValidationError) as info:
        services.visit_evidence_add(actor=fa1, visit=checked_in, upload=photo("photo.jpg", PDF))
    assert "photo.jpg" in info.value.message_dict["files"][0]
    assert not VisitEvidence.objects.exists()


def test_only_the_agent_who_checked_in_files_the_report(checked_in, fa2):
    services.visit_evidence_add(actor=fa2, visit=checked_in, upload=recording())  # either agent adds evidence
    with pytest.raises(PermissionDenied):
        services.visit_report(actor=fa2, visit=checked_in, report=services.VisitReport(met="nobody"))


def test_a_bad_new_number_is_refused_and_nothing_is_recorded(checked_in, fa1):
    services.visit_evidence_add(actor=fa1, visit=checked_in, upload=recording())
    with pytest.raises(ValidationError) as info:
        services.visit_report(
            actor=fa1, visit=checked_in, report=services.VisitReport(met="nobody", new_phone="12ab")
        )
    assert "new_phone" in info.value.message_dict
    checked_in.refresh_from_db()
    assert checked_in.status == "checked_in" and checked_in.contact_record.outcome == "pending"


def test_the_visit_cannot_be_closed_before_the_report(checked_in, lead_a):
    with pytest.raises(ValidationError):
        services.visit_close(actor=lead_a, visit=checked_in)


# --- who may do what -------------------------------------------------------------------------------


def test_the_requester_cannot_approve_their_own_request(at, case, lead_a, manager):
    at(2026, 12, 1, 9, 0)
    own = services.visit_request(
        actor=lead_a, case=case, address="北京市朝阳区建国路 88 号", reason="核实地址"
    )
    with pytest.raises(PermissionDenied):
        services.visit_decide(actor=lead_a, visit=own, approve=True)
    own.refresh_from_db()
    assert own.status == "requested"
    assert services.visit_decide(actor=manager, visit=own, approve=True).status == "approved"


def test_collectors_cannot_approve_and_a_rejection_needs_a_reason(at, case, alice, bob, lead_a):
    at(2026, 12, 1, 9, 0)
    visit = services.visit_request(
        actor=alice, case=case, address="北京市朝阳区建国路 88 号", reason="核实地址"
    )
    with pytest.raises(PermissionDenied):
        services.visit_decide(actor=bob, visit=visit, approve=True)
    with pytest.raises(ValidationError) as info:
        services.visit_decide(actor=lead_a, visit=visit, approve=False)
    assert "note" in info.value.message_dict
    assert (
        services.visit_decide(actor=lead_a, visit=visit, approve=False, note="余额较小，先电话").status
        == "rejected"
    )


def test_an_agent_not_sent_on_the_visit_cannot_check_in(at, scheduled, fa3):
    at(2026, 12, 2, 10, 5)
    with pytest.raises(PermissionDenied):
        services.visit_check_in(actor=fa3, visit=scheduled, location_note="门口", id_shown=True)
    assert not ContactDecision.objects.exists()


def test_check_in_only_on_the_scheduled_day(at, scheduled, fa1):
    at(2026, 12, 3, 10, 0)
    with pytest.raises(ValidationError) as info:
        services.visit_check_in(actor=fa1, visit=scheduled, location_note="门口", id_shown=True)
    assert "2026-12-02" in info.value.messages[0]
    assert not ContactDecision.objects.exists()


def test_check_in_needs_the_id_shown_and_where(at, scheduled, fa1):
    at(2026, 12, 2, 10, 5)
    with pytest.raises(ValidationError) as info:
        services.visit_check_in(actor=fa1, visit=scheduled, location_note=" ", id_shown=False)
    assert set(info.value.message_dict) == {"location_note", "id_shown"}


def test_only_field_agents_are_sent(approved, lead_a, fa1, alice):
    with pytest.raises(ValidationError) as info:
        services.visit_schedule(
            actor=lead_a, visit=approved, agents=[fa1, alice], scheduled_for=when(2026, 12, 2, 10, 0)
        )
    assert "agents" in info.value.message_dict


def test_one_visit_under_way_per_case(approved, alice, case):
    with pytest.raises(ValidationError):
        services.visit_request(actor=alice, case=case, address="北京市朝阳区建国路 88 号", reason="再来一次")


def test_a_reason_with_prohibited_wording_is_refused(at, case, alice):
    at(2026, 12, 1, 9, 0)
    with pytest.raises(ValidationError) as info:
        services.visit_request(
            actor=alice, case=case, address="北京市朝阳区建国路 88 号", reason="上门让你好看"
        )
    assert "reason" in info.value.message_dict
    assert not Visit.objects.exists()


def test_the_nightly_strategy_requests_visits_from_its_tasks(at, placement, alice):
    at(2026, 12, 1, 7, 0)
    with_address = make_case(placement, collector=alice)
    without = make_case(placement, collector=alice)
    without.debtor.home_address = ""
    without.debtor.save()
    for c in (with_address, without):
        Task.objects.create(case=c, due_on=dt.date(2026, 12, 1), kind="visit", treatment="m3_field")
    done = services.visits_request_due(business_date=dt.date(2026, 12, 1))
    assert done.requested == 1 and list(done.skipped) == [Task.objects.get(case=without).pk]
    visit = Visit.objects.get()
    assert (visit.case, visit.requested_by, visit.district) == (with_address, None, "朝阳区")
    assert Task.objects.get(case=with_address).status == "done"
    assert Task.objects.get(case=without).status == "open"
