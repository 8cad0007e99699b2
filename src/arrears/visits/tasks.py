"""The strategy's visits as a background round: the nightly run writes "visit" tasks; ``arrears
worker`` turns the open ones into visit requests for team leads to approve every few minutes, as the
sender does with SMS tasks, so the night's run is not held up by per-request checks."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from arrears.visits.services import visits_request_due


@task()
def request_due() -> dict:
    found = visits_request_due(business_date=timezone.localdate())
    return {"requested": found.requested, "skipped": len(found.skipped)}
