"""``arrears seed-demo --accounts N --seed S [--json]``: load a synthetic, realistic demo book."""

from __future__ import annotations

import datetime as dt
import json
import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from arrears.cases.models import Case
from arrears.demo.services import demo_seed


class Command(BaseCommand):
    help = "Load a synthetic demo book with 90 days of history. Same seed, same book."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--accounts", type=int, default=2000)
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--date", type=dt.date.fromisoformat, help="business date (default: today)")
        parser.add_argument(
            "--history-days", type=int, default=90, help="days of history to replay from the ledger (0: none)"
        )
        parser.add_argument("--if-empty", action="store_true", help="do nothing when the database has cases")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **opts) -> None:
        if opts["accounts"] < 0:
            raise CommandError("--accounts 不能为负 / must not be negative")
        if Case.objects.exists():
            if opts["if_empty"]:
                self.stdout.write(
                    "数据库中已有案件，跳过演示数据 / the database has cases; demo book not loaded"
                )
                return
            raise CommandError("数据库中已有案件 / the database already has cases; use an empty database")
        started = time.perf_counter()
        if not 0 <= opts["history_days"] <= 366:
            raise CommandError("--history-days 须在 0 到 366 之间 / must be between 0 and 366")
        result = demo_seed(
            accounts=opts["accounts"], seed=opts["seed"], business_date=opts["date"],
            history_days=opts["history_days"],
        )  # fmt: skip
        result["seconds"] = round(time.perf_counter() - started, 1)
        if opts["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        else:
            self.stdout.write(" · ".join(f"{k} {v}" for k, v in result.items()))
