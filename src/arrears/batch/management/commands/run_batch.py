"""``arrears run-batch [--date D | --from D --to D] [--replay] [--json]``: the end-of-day run (日终批处理).

For one business date (default: today) or each date of a range in order (a backfill): promises,
plans and settlements settle; the book is aged, snapshotted, checked for limitation and warnings,
prioritised, and every case gets its treatment from its creditor's strategy, with the tasks due.
Idempotent per date; a failed run says which step failed, and running the date again completes it.
A date before one that has already run is refused, since it would age the book back; ``--replay``
rebuilds such a date's history (snapshot and bucket moves) from the ledger instead (``batch.replay``).
"""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from arrears.batch.run import LaterDateRun, batch_run


class Command(BaseCommand):
    help = "Run the end-of-day steps for a business date (default today) or a range of dates."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=dt.date.fromisoformat, help="business date, YYYY-MM-DD")
        day = dt.date.fromisoformat
        parser.add_argument("--from", dest="start", type=day, help="first date of a backfill")
        parser.add_argument("--to", dest="end", type=day, help="last date of a backfill")
        parser.add_argument(
            "--replay", action="store_true", help="rebuild the dates' snapshots and bucket moves only"
        )
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **opts) -> None:
        if opts["start"] or opts["end"]:
            if not (opts["start"] and opts["end"]) or opts["start"] > opts["end"]:
                raise CommandError("--from 与 --to 须同时给出且有先后 / give --from and --to, in order")
            span = (opts["end"] - opts["start"]).days
            days = [opts["start"] + dt.timedelta(days=i) for i in range(span + 1)]
        else:
            days = [opts["date"] or timezone.localdate()]
        for day in days:
            try:
                run = batch_run(business_date=day, replay=opts["replay"])
            except LaterDateRun as refused:
                raise CommandError(str(refused)) from refused
            result = {"business_date": day.isoformat(), "status": run.status, "run": run.pk}
            result["replay"] = run.replay
            result["steps"] = run.steps
            if opts["json"]:
                self.stdout.write(json.dumps(result, ensure_ascii=False))
            else:
                spent = sum(step["seconds"] for step in run.steps.values())
                self.stdout.write(f"{day} {run.status} in {spent:.1f} s: " + ", ".join(
                    f"{name} {step['counts']}" for name, step in run.steps.items() if step.get("counts")
                ))
