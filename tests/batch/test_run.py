"""The nightly run on a small book: what it writes, that a rerun writes the same, that a failure is
recorded and a rerun completes, and that a range of dates backfills."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from arrears.batch import run as batch
from arrears.batch.models import (
    BatchRun,
    BucketMove,
    CaseSnapshot,
    CaseWarning,
    Strategy,
    StrategyDecision,
    Task,
)
from arrears.cases.models import Case
from arrears.payments.models import Promise
from tests.conftest import make_case

pytestmark = pytest.mark.django_db
D = dt.date(2026, 11, 29)


@pytest.fixture
def book(placement, alice, at):
    at(2026, 11, 29, 23, 0)
    rolling = make_case(placement, collector=alice, principal="80000.00", dpd=30)  # M1 today, M2 tomorrow
    broken = make_case(placement, collector=alice, dpd=100)
    for due in (dt.date(2026, 10, 1), dt.date(2026, 11, 1)):
        Promise.objects.create(
            case=broken, made_at=timezone.now(), amount="100.00", due_on=due, status="broken"
        )
    disputed = make_case(placement, collector=alice, dpd=50)
    Case.objects.filter(pk=disputed.pk).update(status="disputed")
    paid = make_case(placement, collector=alice, dpd=70)
    Case.objects.filter(pk=paid.pk).update(status="paid")
    return {"rolling": rolling, "broken": broken, "disputed": disputed, "paid": paid}


def state(day: dt.date) -> dict:
    return {
        "snapshots": sorted(
            CaseSnapshot.objects.filter(business_date=day).values_list("case_id", "bucket", "dpd", "total")
        ),
        "moves": sorted(BucketMove.objects.filter(on=day).values_list("case_id", "from_bucket", "to_bucket")),
        "warnings": sorted(CaseWarning.objects.values_list("case_id", "code", "raised_on", "cleared_on")),
        "decisions": sorted(
            StrategyDecision.objects.filter(business_date=day).values_list(
                "case_id", "rule_name", "treatment"
            )
        ),
        "tasks": sorted(Task.objects.filter(due_on=day).values_list("case_id", "kind", "template")),
        "cases": sorted(
            Case.objects.values_list(
                "pk", "aged_from", "bucket", "treatment", "treatment_since", "priority", "segment",
                "limitation_on",
            )
        ),
    }


def test_a_run_ages_snapshots_warns_and_decides(book):
    run = batch.batch_run(business_date=D + dt.timedelta(days=1))
    assert run.status == "succeeded" and list(run.steps)[-1] == "strategy"
    day = D + dt.timedelta(days=1)
    rolling = Case.objects.get(pk=book["rolling"].pk)
    assert (rolling.dpd_on(day), rolling.bucket) == (31, "M2")
    assert list(BucketMove.objects.values_list("case_id", "from_bucket", "to_bucket")) == [
        (rolling.pk, "M1", "M2")
    ]
    assert CaseSnapshot.objects.filter(business_date=day).count() == 3  # the paid case is not in the book
    codes = set(CaseWarning.objects.filter(case=book["broken"]).values_list("code", flat=True))
    assert "promises_broken" in codes
    assert set(CaseWarning.objects.filter(case=book["rolling"]).values_list("code", flat=True)) >= {
        "rolling_high_balance"
    }
    strategy = Strategy.objects.get()
    assert (strategy.version, strategy.active, strategy.product_type) == (1, True, "credit_card")
    decided = dict(StrategyDecision.objects.values_list("case_id", "treatment"))
    assert decided[book["disputed"].pk] == "hold"
    assert Case.objects.get(pk=book["disputed"].pk).treatment == "hold"
    assert Task.objects.filter(case=book["rolling"], due_on=day).exists()
    assert rolling.limitation_on == dt.date(2029, 10, 30)  # three years from the overdue date, 2026-10-30


def test_running_a_date_twice_changes_nothing(book):
    day = D + dt.timedelta(days=1)
    batch.batch_run(business_date=day)
    first = state(day)
    again = batch.batch_run(business_date=day)
    assert state(day) == first
    assert again.steps["warnings"]["counts"] == {"raised": 0, "cleared": 0}
    assert again.steps["priority"]["counts"] == {"changed": 0}


def test_a_warning_clears_when_its_reason_goes(book):
    batch.batch_run(business_date=D)
    Case.objects.filter(pk=book["rolling"].pk).update(complaint_threat_at=timezone.now())
    batch.batch_run(business_date=D + dt.timedelta(days=1))
    assert CaseWarning.objects.filter(case=book["rolling"], code="complaint_threat", cleared_on=None).exists()
    Case.objects.filter(pk=book["rolling"].pk).update(complaint_threat_at=None)
    batch.batch_run(business_date=D + dt.timedelta(days=2))
    warning = CaseWarning.objects.get(case=book["rolling"], code="complaint_threat")
    assert warning.cleared_on == D + dt.timedelta(days=2)


def test_a_failed_step_is_recorded_and_a_rerun_completes(book, monkeypatch):
    def broken(state, day):
        raise RuntimeError("disk full")

    monkeypatch.setattr(batch, "_write_warnings", broken)
    with pytest.raises(RuntimeError):
        batch.batch_run(business_date=D)
    failed = BatchRun.objects.get()
    assert failed.status == "failed" and failed.steps["warnings"]["status"] == "failed"
    assert "disk full" in failed.error and failed.steps["snapshot"]["status"] == "done"
    monkeypatch.undo()
    assert batch.batch_run(business_date=D).status == "succeeded"
    assert CaseSnapshot.objects.filter(business_date=D).count() == 3


def test_a_range_of_dates_backfills_in_order(book):
    out = StringIO()
    call_command("run_batch", "--from", "2026-11-27", "--to", "2026-11-29", "--json", stdout=out)
    days = [json.loads(line)["business_date"] for line in out.getvalue().splitlines()]
    assert days == ["2026-11-27", "2026-11-28", "2026-11-29"]
    assert sorted(set(CaseSnapshot.objects.values_list("business_date", flat=True))) == [
        dt.date(2026, 11, 27),
        dt.date(2026, 11, 28),
        dt.date(2026, 11, 29),
    ]


def test_the_queue_follows_the_runs_priority_within_a_band(book, alice):
    from arrears.workbench import selectors

    Case.objects.filter(pk=book["rolling"].pk).update(priority=100)
    Case.objects.filter(pk=book["broken"].pk).update(priority=900)
    queue = [c.pk for c in selectors.queue(user=alice) if c.band == 2]
    assert queue.index(book["broken"].pk) < queue.index(book["rolling"].pk)


def test_a_dispute_puts_the_case_on_hold_at_once_and_its_end_takes_it_off(book, alice, lead_a):
    from arrears.complaints.services import dispute_open, dispute_resolve

    batch.batch_run(business_date=D)
    case = book["rolling"]
    before = Case.objects.get(pk=case.pk).treatment
    assert before and before != "hold"
    dispute = dispute_open(actor=alice, case=case, reason="称该笔消费非本人所刷")
    assert Case.objects.get(pk=case.pk).treatment == "hold"
    dispute_resolve(actor=lead_a, dispute=dispute, upheld=False, resolution="调取签购单，确认为本人消费")
    assert Case.objects.get(pk=case.pk).treatment == before


def test_a_payment_re_evaluates_its_case_without_waiting_for_the_night(book, manager):
    from decimal import Decimal

    from arrears.payments.services import payment_post

    case = book["rolling"]
    batch.batch_run(business_date=D)
    assert Case.objects.get(pk=case.pk).treatment == "early_call"  # ¥80,125 owed, 30 days overdue
    payment_post(actor=manager, case=case, amount=Decimal("79000.00"), paid_on=D, channel="bank_transfer",
                 reference="RT-1")  # fmt: skip
    refreshed = Case.objects.get(pk=case.pk)
    # ¥1,125 left: the "early, small" rule decides at once, without waiting for the night.
    assert refreshed.treatment == "soft_reminder"
    decision = StrategyDecision.objects.get(case=case, business_date=D)
    assert decision.treatment == "soft_reminder" and decision.rule_name.startswith("早期小额")
    CaseSnapshot.objects.all().delete()
    payment_post(actor=manager, case=case, amount=Decimal("25"), paid_on=D, channel="alipay", reference="R2")
    assert not CaseSnapshot.objects.exists()  # the day's snapshot stays the night's to write


def test_a_decision_is_recorded_when_the_treatment_or_its_rule_changes_not_every_night(book):
    batch.batch_run(business_date=D)
    assert StrategyDecision.objects.filter(business_date=D).count() == 3
    batch.batch_run(business_date=D + dt.timedelta(days=1))
    batch.batch_run(business_date=D + dt.timedelta(days=2))
    # Nothing about the cases changed on the third day: no new decision, the treatments stand.
    assert not StrategyDecision.objects.filter(business_date=D + dt.timedelta(days=2)).exists()
    assert all(c.treatment and c.decided_by for c in Case.objects.exclude(status="paid"))


@pytest.mark.django_db(transaction=True)
def test_a_run_killed_half_way_is_completed_by_running_the_date_again(placement, alice, settings):
    """The process dies after the snapshot step (os._exit, as kill -9); the rerun finishes the date
    and the book is exactly what an uninterrupted run leaves."""
    import os
    import subprocess
    import sys

    for dpd in (30, 100, 200):
        make_case(placement, collector=alice, dpd=dpd)
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        url = f"sqlite:///{db['NAME']}"
    else:
        url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "ARREARS_BATCH_CRASH_AFTER": "snapshot", "ARREARS_DEV": "1"}
    crashed = subprocess.run(
        [sys.executable, "-m", "arrears", "run-batch", "--date", D.isoformat()], env=env, capture_output=True
    )
    assert crashed.returncode == 137, crashed.stderr.decode()[-2000:]
    left = BatchRun.objects.get()
    assert left.status == "running" and "snapshot" in left.steps and "strategy" not in left.steps
    assert not StrategyDecision.objects.exists()

    batch.batch_run(business_date=D)
    after_crash = state(D)
    batch.batch_run(business_date=D)  # and once more, as if nothing had happened
    assert state(D) == after_crash
    assert len(after_crash["decisions"]) == 3 and len(after_crash["snapshots"]) == 3


def test_the_batch_benchmark_reports_the_run_and_its_floor(at):
    from arrears.batch.bench import bench_batch

    at(2026, 11, 29, 23, 0)
    report = bench_batch(accounts=40, business_date=D)
    assert report["cases"] >= 40 and report["total_seconds"] >= 0
    assert set(report["floor"]) == {"read", "write"} and report["steps"]["strategy"] >= 0
    # The run's own rows stay and the floor's scratch writes leave nothing behind.
    open_cases = Case.objects.exclude(status__in=("paid", "settled", "recalled", "closed")).count()
    assert CaseSnapshot.objects.filter(business_date=D).count() == open_cases > 0


def test_a_case_paid_off_is_cured_at_once_and_its_warnings_clear(book, manager):
    from decimal import Decimal

    from arrears.payments.services import payment_post

    batch.batch_run(business_date=D)
    broken = book["broken"]
    assert CaseWarning.objects.filter(case=broken, cleared_on=None).exists()
    payment_post(actor=manager, case=broken, amount=Decimal("5125.00"), paid_on=D, channel="bank_transfer",
                 reference="OFF-1")  # fmt: skip
    cured = Case.objects.get(pk=broken.pk)
    assert (cured.status, cured.dpd, cured.bucket) == ("paid", 0, "M0")
    assert BucketMove.objects.filter(case=broken, on=D, to_bucket="M0").exists()
    assert not CaseWarning.objects.filter(case=broken, cleared_on=None).exists()
    batch.batch_run(business_date=D)  # the night agrees, and keeps the move
    assert BucketMove.objects.filter(case=broken, on=D, to_bucket="M0").exists()
    assert not Task.objects.filter(case=broken, due_on=D).exists()


def test_a_refresh_on_the_day_a_case_rolls_keeps_the_move_for_the_night(book, manager):
    from arrears.batch.run import cases_refresh

    rolling = book["rolling"]
    cases_refresh(case_ids=[rolling.pk], business_date=D + dt.timedelta(days=1))
    assert Case.objects.get(pk=rolling.pk).bucket == "M2"
    batch.batch_run(business_date=D + dt.timedelta(days=1))
    moves = list(BucketMove.objects.filter(case=rolling).values_list("from_bucket", "to_bucket"))
    assert moves == [("M1", "M2")]


def test_the_night_does_not_overwrite_what_changed_since_it_read(book):
    import polars as pl

    from arrears.batch import io

    case = book["rolling"]
    Case.objects.filter(pk=case.pk).update(priority=377)  # a payment re-evaluated it meanwhile
    stale = pl.DataFrame({"id": [case.pk], "priority": [498], "priority_read": [500]})
    assert io.update(Case, stale, ["priority"], unless_changed={"priority": "priority_read"}) == 0
    assert Case.objects.get(pk=case.pk).priority == 377
    fresh = pl.DataFrame({"id": [case.pk], "priority": [498], "priority_read": [377]})
    assert io.update(Case, fresh, ["priority"], unless_changed={"priority": "priority_read"}) == 1


def test_a_rerun_keeps_the_tasks_already_worked(book):
    batch.batch_run(business_date=D)
    task = Task.objects.filter(due_on=D).first()
    Task.objects.filter(pk=task.pk).update(status="done")
    assert batch.batch_run(business_date=D).status == "succeeded"
    assert Task.objects.get(pk=task.pk).status == "done"
    assert Task.objects.filter(case=task.case, due_on=D, kind=task.kind).count() == 1


def test_an_empty_refresh_touches_nothing(book):
    from arrears.batch.run import cases_refresh

    cases_refresh(case_ids=[])
    assert not StrategyDecision.objects.exists() and not Case.objects.exclude(treatment="").exists()


def test_the_snapshot_count_matches_what_was_computed(book, caplog):
    import logging

    # A case paid off before arrears knew how (an import): owing nothing, not yet cured.
    Case.objects.filter(pk=book["paid"].pk).update(total=0, principal=0, interest=0, late_fee=0)
    with caplog.at_level(logging.WARNING, logger="arrears.batch.run"):
        run = batch.batch_run(business_date=D)
    assert run.steps["snapshot"]["counts"]["rows"] == 3
    assert "snapshot of" not in caplog.text
    assert Case.objects.get(pk=book["paid"].pk).bucket == "M0"  # the paid case was cured, not snapshotted
