"""The sender as a background task: ``arrears worker`` runs it when enqueued (e.g. every few minutes
by cron or a systemd timer calling ``arrears send-messages``, or from code after the nightly run)."""

from __future__ import annotations

from django_tasks import task

from arrears.messaging.services import messages_dispatch


@task()
def dispatch() -> dict:
    return messages_dispatch().as_json()
