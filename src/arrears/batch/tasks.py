"""The nightly run as a background task (whole, or in partitions several workers take at once), and
the schedule that starts it once a day.

``arrears worker`` runs the task worker (django-tasks, database backend) and, beside it, the
schedule: at ``ARREARS_BATCH_AT`` local time it enqueues the run for the business day just ended,
once (a date already run successfully, or already waiting or running, is not enqueued again).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Count
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from arrears.batch.models import BatchRun
from arrears.batch.run import FINISHED, batch_run
from arrears.batch.scope import Scope
from arrears.cases.models import Case

QUEUE = "batch"


@task(queue_name=QUEUE)
def nightly(business_date: str) -> dict:
    """Run the end-of-day steps for ``business_date`` (ISO), or, for a book split into
    ``ARREARS_BATCH_PARTITIONS`` partitions, hand them to the workers, which run them in parallel."""
    parts = partitions(settings.BATCH_PARTITIONS)
    if len(parts) > 1:
        for creditor_ids in parts:
            nightly_part.enqueue(business_date, creditor_ids)
        return {"partitions": parts}
    run = batch_run(business_date=dt.date.fromisoformat(business_date))
    return {"run": run.pk, "status": run.status}


@task(queue_name=QUEUE)
def nightly_part(business_date: str, creditor_ids: list[int]) -> dict:
    """One partition of the nightly run: the cases of these creditors."""
    scope = Scope(creditor_ids=tuple(creditor_ids))
    run = batch_run(business_date=dt.date.fromisoformat(business_date), scope=scope)
    return {"run": run.pk, "status": run.status}


def partitions(count: int) -> list[list[int]]:
    """The creditors split into at most ``count`` groups of about the same number of open cases
    (largest first into the lightest group), so the workers finish at about the same time."""
    sizes = (
        Case.objects.exclude(status__in=FINISHED).values("creditor_id").annotate(n=Count("pk")).order_by("-n")
    )
    groups: list[tuple[int, list[int]]] = [(0, []) for _ in range(max(1, count))]
    for row in sizes:
        load, members = min(groups, key=lambda g: g[0])
        groups.remove((load, members))
        groups.append((load + row["n"], [*members, row["creditor_id"]]))
    return [sorted(members) for _load, members in groups if members]


CATCH_UP_DAYS = 7  # nights missed (the machine was down) are run, up to a week back
STALE = dt.timedelta(hours=6)  # a run "running" this long died with its worker


def _done(day: dt.date) -> bool:
    """A date is done when the whole book, or every partition of it, ran successfully."""
    runs = BatchRun.objects.live().filter(business_date=day, status=BatchRun.Status.SUCCEEDED)
    succeeded = set(runs.values_list("partition", flat=True))
    if "" in succeeded:
        return True
    parts = partitions(settings.BATCH_PARTITIONS)
    return len(parts) > 1 and {Scope(creditor_ids=tuple(p)).label for p in parts} <= succeeded


def _busy(day: dt.date, now: dt.datetime) -> bool:
    """A run of the date is under way, or waiting in the queue."""
    running = BatchRun.objects.live().filter(
        business_date=day, status=BatchRun.Status.RUNNING, started_at__gt=now - STALE
    )
    pending = (TaskResultStatus.READY, TaskResultStatus.RUNNING)
    waiting = DBTaskResult.objects.filter(
        task_path__in=(nightly.module_path, nightly_part.module_path), status__in=pending,
        args_kwargs__args__0=day.isoformat(),
    )  # fmt: skip
    return running.exists() or waiting.exists()


def due(now: dt.datetime | None = None) -> dt.date | None:
    """The business date whose run should start now, or None: after the scheduled time, the
    earliest date up to the day just ended that has not run successfully (a missed night is caught
    up, a week back at most, never before the first run) and is not under way."""
    now = timezone.localtime(now or timezone.now())
    if now.time() < settings.BATCH_AT:
        return None
    yesterday = now.date() - dt.timedelta(days=1)
    first = BatchRun.objects.live().order_by("business_date").values_list("business_date", flat=True).first()
    start = yesterday if first is None else max(first, yesterday - dt.timedelta(days=CATCH_UP_DAYS - 1))
    for offset in range((yesterday - start).days + 1):
        day = start + dt.timedelta(days=offset)
        if not _done(day) and not _busy(day, now):
            return day
    return None


def schedule(now: dt.datetime | None = None) -> dt.date | None:
    """Enqueue the run that is due, if any; returns its business date."""
    day = due(now)
    if day is not None:
        nightly.enqueue(day.isoformat())
    return day
