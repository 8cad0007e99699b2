"""Background rounds that ``arrears worker`` starts every few minutes (the sender, visit requests)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

EVERY = dt.timedelta(minutes=5)


def enqueue_every(task, every: dt.timedelta = EVERY, now: dt.datetime | None = None) -> bool:
    """Enqueue ``task`` unless it was enqueued within ``every``; True if it was enqueued now."""
    now = now or timezone.now()
    if DBTaskResult.objects.filter(task_path=task.module_path, enqueued_at__gt=now - every).exists():
        return False
    task.enqueue()
    return True
