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


def test_two_workers_running_the_partitions_leave_the_book_one_worker_would(placement, alice, settings, org):
    """Two creditors, two partitions, two worker processes at once; then the whole book run again
    in one process for the same date changes nothing."""
    import os
    import subprocess
    import sys

    from arrears.batch.run import batch_run
    from arrears.batch.tasks import nightly
    from arrears.creditors.models import Creditor, Placement
    from tests.batch.test_run import state

    other = Creditor.objects.create(organisation=org, code="NANJIN", name="南瑾农村商业银行")
    second = Placement.objects.create(
        creditor=other,
        organisation=org,
        name="2026-11 消费贷",
        entrusted_on=placement.entrusted_on,
        return_on=placement.return_on,
        product_type="consumer_loan",
    )
    for dpd in (20, 70, 200):
        make_case(placement, collector=alice, dpd=dpd)
        make_case(second, collector=alice, dpd=dpd + 5)
    settings.BATCH_PARTITIONS = 2
    day = dt.date(2026, 11, 29)
    nightly.call(day.isoformat())  # the scheduled task: splits the book and enqueues the parts
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        url = f"sqlite:///{db['NAME']}"
    else:
        url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "ARREARS_DEV": "1"}
    command = [sys.executable, "-m", "arrears", "worker", "--once", "--no-schedule", "--worker-id"]
    workers = [subprocess.Popen([*command, f"w{i}"], env=env, stderr=subprocess.PIPE) for i in (1, 2)]
    for worker in workers:
        assert worker.wait(timeout=120) == 0, worker.stderr.read().decode()[-2000:]
    runs = BatchRun.objects.filter(business_date=day)
    assert sorted(r.partition for r in runs) == sorted(
        f"creditors {c}" for c in (placement.creditor_id, other.pk)
    )
    assert all(r.status == "succeeded" for r in runs)
    partitioned = state(day)
    assert len(partitioned["snapshots"]) == 6 and len(partitioned["decisions"]) == 6
    batch_run(business_date=day)
    assert state(day) == partitioned


def test_a_missed_night_is_caught_up_and_a_dead_run_does_not_block_its_date(placement, alice, settings, at):
    from django.utils import timezone

    settings.BATCH_AT = dt.time(1, 30)
    make_case(placement, collector=alice)
    at(2026, 11, 27, 2, 0)
    call_command("worker", "--once")  # runs 26 November
    # The machine was down on the 28th; a run of the 27th died mid-way days ago (left "running").
    BatchRun.objects.create(
        business_date=dt.date(2026, 11, 27), status="running", started_at=timezone.now(), steps={}
    )
    at(2026, 11, 29, 9, 0)
    assert due() == dt.date(2026, 11, 27)  # the dead run is stale, the date is run again
    call_command("worker", "--once")
    assert due() == dt.date(2026, 11, 28)  # then the missed night
    call_command("worker", "--once")
    assert due() is None
    succeeded = BatchRun.objects.filter(status="succeeded").order_by("business_date")
    assert list(succeeded.values_list("business_date", flat=True)) == [
        dt.date(2026, 11, 26),
        dt.date(2026, 11, 27),
        dt.date(2026, 11, 28),
    ]
