"""On a time-barred case the compliance guard refuses any message that threatens suit; the same
message on a case still within its limitation period is a lawful notice and goes out."""

from __future__ import annotations

import datetime as dt

import pytest

from arrears.compliance.models import ContactDecision
from arrears.contacts.services import contact_attempt, contact_outcome_record
from tests.conftest import make_case
from tests.legal.conftest import with_limitation

pytestmark = pytest.mark.django_db

THREAT = "如您仍不还款，我司将依法起诉。"


def _sms(case, actor, content):
    point = case.debtor.contact_points.get(person__isnull=True)
    return contact_attempt(
        actor=actor, case=case, channel="sms", purpose="demand", contact_point=point, content=content
    )


def test_a_threat_of_suit_on_a_time_barred_case_is_refused_by_the_guard(placement, alice, today):
    barred = with_limitation(make_case(placement, collector=alice), dt.date(2026, 2, 1))
    result = _sms(barred, alice, THREAT)
    assert not result.decision.allowed and result.record is None
    (violation,) = result.decision.violations
    assert violation.rule == "prohibited_content" and "起诉" in violation.reason
    logged = ContactDecision.objects.get()
    assert not logged.allowed and logged.violations[0]["rule"] == "prohibited_content"


def test_the_same_notice_on_a_case_within_its_period_goes_out(placement, alice, today):
    live = with_limitation(make_case(placement, collector=alice), dt.date(2027, 2, 1))
    assert _sms(live, alice, THREAT).decision.allowed
    unknown = make_case(placement, collector=alice)  # no limitation date yet: not treated as lapsed
    assert _sms(unknown, alice, THREAT).decision.allowed


def test_a_reminder_without_a_threat_still_goes_out_on_a_time_barred_case(placement, alice, today):
    barred = with_limitation(make_case(placement, collector=alice), dt.date(2026, 2, 1))
    assert _sms(barred, alice, "您好，您的账户仍有欠款，如有疑问请致电我司。").decision.allowed


def test_a_note_recording_a_suit_threat_on_a_time_barred_case_is_flagged_for_qa(placement, alice, today):
    barred = with_limitation(make_case(placement, collector=alice), dt.date(2026, 2, 1))
    point = barred.debtor.contact_points.get(person__isnull=True)
    record = contact_attempt(
        actor=alice, case=barred, channel="call", purpose="demand", contact_point=point
    ).record
    saved = contact_outcome_record(actor=alice, record=record, outcome="right_party", note="告知将起诉")
    assert [f["rule"] for f in saved.qa_flags] == ["prohibited_content"]
