"""The sender as a background task: ``arrears worker`` enqueues a round every few minutes (the
strategy's SMS of the day, retries, sends held back by quiet hours) and runs it; ``arrears
send-messages`` does one round by hand or from a system scheduler."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from arrears.messaging.services import messages_dispatch

EVERY = dt.timedelta(minutes=5)


@task()
def dispatch() -> dict:
    return messages_dispatch().as_json()


def schedule_dispatch(now: dt.datetime | None = None) -> bool:
    """Enqueue a sender's round unless one was enqueued in the last five minutes; True if enqueued."""
    now = now or timezone.now()
    if DBTaskResult.objects.filter(task_path=dispatch.module_path, enqueued_at__gt=now - EVERY).exists():
        return False
    dispatch.enqueue()
    return True
