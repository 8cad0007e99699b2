"""The nightly run as a background task, and the schedule that starts it once a day.

``arrears worker`` runs the task worker (django-tasks, database backend) and, beside it, the
schedule: at ``ARREARS_BATCH_AT`` local time it enqueues the run for the business day just ended,
once (a date already run successfully, or already waiting or running, is not enqueued again).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from arrears.batch.models import BatchRun
from arrears.batch.run import batch_run

QUEUE = "batch"


@task(queue_name=QUEUE)
def nightly(business_date: str) -> dict:
    """Run the end-of-day steps for ``business_date`` (ISO); the result says how it went."""
    run = batch_run(business_date=dt.date.fromisoformat(business_date))
    return {"run": run.pk, "status": run.status}


def due(now: dt.datetime | None = None) -> dt.date | None:
    """The business date whose run should start now, or None: after the scheduled time, the day
    just ended, if it has not succeeded and is not already waiting or running."""
    now = timezone.localtime(now or timezone.now())
    if now.time() < settings.BATCH_AT:
        return None
    day = now.date() - dt.timedelta(days=1)
    if BatchRun.objects.filter(business_date=day, status=BatchRun.Status.SUCCEEDED).exists():
        return None
    pending = (TaskResultStatus.READY, TaskResultStatus.RUNNING)
    waiting = DBTaskResult.objects.filter(
        task_path=nightly.module_path, status__in=pending, args_kwargs__args=[day.isoformat()]
    )
    return None if waiting.exists() else day


def schedule(now: dt.datetime | None = None) -> dt.date | None:
    """Enqueue the run that is due, if any; returns its business date."""
    day = due(now)
    if day is not None:
        nightly.enqueue(day.isoformat())
    return day
