"""The night brings each case's lost-contact state in line with the register of numbers: lost when
every own number is invalid, back when a number is added that is not known to be invalid."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from arrears.batch import run as batch
from arrears.cases.models import Case, CaseEvent
from arrears.debtors.models import ContactPoint
from tests.conftest import make_case

pytestmark = pytest.mark.django_db
D = dt.date(2026, 11, 29)


@pytest.fixture
def case(placement, alice, at):
    at(2026, 11, 29, 23, 0)
    return make_case(placement, collector=alice)


def own(case):
    return ContactPoint.objects.filter(debtor=case.debtor, person__isnull=True)


def test_every_own_number_invalid_loses_the_case_and_a_new_number_brings_it_back(case, at):
    own(case).update(status="invalid")
    batch.batch_run(business_date=D)
    case.refresh_from_db()
    assert case.lost_contact_since == timezone.now() and case.status == "lost_contact"
    assert Case.objects.filter(lost_contact_since__lt=timezone.now() + dt.timedelta(seconds=1)).exists()
    batch.batch_run(business_date=D)  # again: nothing more
    assert CaseEvent.objects.filter(case=case, kind="contact.lost").count() == 1

    at(2026, 11, 30, 10, 0)
    ContactPoint.objects.create(debtor=case.debtor, kind="mobile", value="+8613700137000", source="visit")
    at(2026, 11, 30, 23, 0)
    batch.batch_run(business_date=D + dt.timedelta(days=1))
    case.refresh_from_db()
    assert case.lost_contact_since is None and case.status == "in_progress"
    assert CaseEvent.objects.filter(case=case, kind="contact.regained").exists()


def test_a_reachable_number_or_an_old_invalid_one_changes_nothing(case, placement, alice):
    lost_by_calls = make_case(placement, collector=alice)
    since = timezone.now() - dt.timedelta(days=3)  # lost by its call history, numbers unchanged
    Case.objects.filter(pk=lost_by_calls.pk).update(lost_contact_since=since, status="lost_contact")
    own(lost_by_calls).update(created_at=since - dt.timedelta(days=30))  # known before it was lost
    batch.batch_run(business_date=D)
    case.refresh_from_db()
    lost_by_calls.refresh_from_db()
    assert case.lost_contact_since is None and case.status == "new"
    assert lost_by_calls.lost_contact_since == since and lost_by_calls.status == "lost_contact"
