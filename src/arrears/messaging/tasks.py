"""The sender as a background task: ``arrears worker`` enqueues a round every few minutes (the
strategy's SMS of the day, retries, sends held back by quiet hours) and runs it; ``arrears
send-messages`` does one round by hand or from a system scheduler."""

from __future__ import annotations

from django_tasks import task

from arrears.messaging.services import messages_dispatch


@task()
def dispatch() -> dict:
    return messages_dispatch().as_json()
