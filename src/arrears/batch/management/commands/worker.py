"""``arrears worker [--once]``: run the background tasks, and start the nightly run every day.

The worker takes tasks from the database queue (django-tasks); beside it, the schedule enqueues the
nightly run for the day just ended at ``ARREARS_BATCH_AT`` (local time), and every five minutes the
rounds that act on the strategy's tasks: the sender (SMS and e-mail due, ``messaging.tasks``) and
the visit requests (``visits.tasks``). ``--once`` enqueues what is
due, runs every waiting task and exits: for a system scheduler (cron, systemd timers) instead of a
resident worker, and for tests. Several workers may run at once: each task is claimed by one.
"""

from __future__ import annotations

import logging
import threading
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from arrears.batch.tasks import schedule
from arrears.core.periodic import enqueue_every
from arrears.messaging.tasks import dispatch
from arrears.visits.tasks import request_due

logger = logging.getLogger(__name__)
QUEUES = "default,batch"
SCHEDULE_EVERY = 30  # seconds between looks at the clock


class Command(BaseCommand):
    help = "Run background tasks, and start the nightly run every day at ARREARS_BATCH_AT."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="enqueue what is due, run what waits, exit")
        parser.add_argument("--worker-id", default="", help="a name for this worker in the task records")
        parser.add_argument(
            "--no-schedule", dest="schedule", action="store_false",
            help="only run waiting tasks (another worker keeps the schedule)",
        )  # fmt: skip

    def handle(self, *args, **opts) -> None:
        extra = {"worker_id": opts["worker_id"]} if opts["worker_id"] else {}
        if opts["once"]:
            day = schedule() if opts["schedule"] else None
            if day is not None:
                self.stdout.write(f"enqueued the nightly run for {day}")
            if opts["schedule"]:
                _enqueue_rounds()
            call_command("db_worker", queue_name=QUEUES, batch=True, interval=0, startup_delay=False, **extra)
            return
        if opts["schedule"]:
            threading.Thread(target=_keep_schedule, daemon=True, name="arrears-schedule").start()
        call_command("db_worker", queue_name=QUEUES, interval=1, **extra)


def _keep_schedule() -> None:
    while True:
        try:
            schedule()
            _enqueue_rounds()
        except Exception:  # a database hiccup must not end the schedule while the worker goes on
            logger.exception("the nightly schedule failed this round; trying again shortly")
        finally:
            close_old_connections()
        time.sleep(SCHEDULE_EVERY)


def _enqueue_rounds() -> None:
    for task in (dispatch, request_due):
        enqueue_every(task)
