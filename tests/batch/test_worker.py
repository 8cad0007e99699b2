"""The worker starts the nightly run once a day, for the day just ended, and runs it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from arrears.batch.models import BatchRun
from arrears.batch.tasks import due, schedule
from tests.conftest import SHANGHAI, make_case

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_run_is_due_after_the_scheduled_time_once(placement, alice, settings, at):
    settings.BATCH_AT = dt.time(1, 30)
    make_case(placement, collector=alice)
    assert due(dt.datetime(2026, 11, 30, 1, 0, tzinfo=SHANGHAI)) is None  # too early
    at(2026, 11, 30, 1, 45)
    assert schedule() == dt.date(2026, 11, 29)
    assert schedule() is None  # already waiting
    call_command("worker", "--once")
    run = BatchRun.objects.get()
    assert (run.business_date, run.status) == (dt.date(2026, 11, 29), "succeeded")
    assert schedule() is None  # done for the day
    at(2026, 12, 1, 2, 0)
    call_command("worker", "--once")
    assert list(BatchRun.objects.order_by("business_date").values_list("business_date", flat=True)) == [
        dt.date(2026, 11, 29),
        dt.date(2026, 11, 30),
    ]
