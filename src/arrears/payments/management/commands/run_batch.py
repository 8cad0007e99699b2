"""``arrears run-batch [--date D] [--json]``: the end-of-day run for a business date.

So far the money steps: promises due before the date are settled (kept, partly kept, broken),
plan instalments are tracked (paid, late, missed; plans broken by their rule), and approved
settlements not paid by their date expire. Each step is idempotent per date. Ageing, snapshots,
interest, warnings, priorities and the strategy engine join this run with the nightly-run issue.
"""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from arrears.payments.plans import plans_track
from arrears.payments.promises import promises_settle
from arrears.payments.settlements import settlements_expire


class Command(BaseCommand):
    help = "Run the end-of-day steps for a business date (default: today): promises, plans, settlements."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=dt.date.fromisoformat, help="business date, YYYY-MM-DD")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **opts) -> None:
        business_date = opts["date"] or timezone.localdate()
        result = {
            "business_date": business_date.isoformat(),
            "promises": promises_settle(business_date=business_date),
            "plans": plans_track(business_date=business_date),
            "settlements": settlements_expire(business_date=business_date),
        }
        if opts["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        else:
            for step, counts in result.items():
                self.stdout.write(f"{step}: {counts}")
