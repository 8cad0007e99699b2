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


def due(now: dt.datetime | None = None) -> dt.date | None:
    """The business date whose run should start now, or None: after the scheduled time, the day
    just ended, if it has not succeeded and is not already waiting or running."""
    now = timezone.localtime(now or timezone.now())
    if now.time() < settings.BATCH_AT:
        return None
    day = now.date() - dt.timedelta(days=1)
    started = (BatchRun.Status.SUCCEEDED, BatchRun.Status.RUNNING)
    if BatchRun.objects.filter(business_date=day, status__in=started).exists():
        return None
    pending = (TaskResultStatus.READY, TaskResultStatus.RUNNING)
    waiting = DBTaskResult.objects.filter(
        task_path__in=(nightly.module_path, nightly_part.module_path), status__in=pending,
        args_kwargs__args__0=day.isoformat(),
    )  # fmt: skip
    return None if waiting.exists() else day


def schedule(now: dt.datetime | None = None) -> dt.date | None:
    """Enqueue the run that is due, if any; returns its business date."""
    day = due(now)
    if day is not None:
        nightly.enqueue(day.isoformat())
    return day
