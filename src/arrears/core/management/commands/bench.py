"""``arrears bench intake --rows N [--json]``: time case intake of a generated creditor file;
``arrears bench batch --accounts N [--json]``: time a nightly run and its floor (``batch.bench``).

The file is a realistic messy ``.xlsx`` (title row, aliased headers, 2% bad rows) written by the
demo generator; the import goes into a fresh placement of a ``BENCH`` creditor, then the same file
is imported again to time the nothing-changed path. Results go in ``docs/benchmarks.md``.
"""

from __future__ import annotations

import datetime as dt
import json
import platform
import time

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from django.utils import timezone

from arrears.accounts.models import Organisation
from arrears.creditors.models import Creditor, Placement
from arrears.demo.creditor_file import write_creditor_file
from arrears.intake.services import cases_import


class Command(BaseCommand):
    help = (
        "Benchmarks. `intake`: import a generated creditor file of --rows rows, then import it again. "
        "`batch`: a nightly run over a book of --accounts accounts, and its floor."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["intake", "batch"])
        parser.add_argument("--rows", type=int, default=100_000)
        parser.add_argument("--accounts", type=int, default=100_000, help="batch: the book's size")
        parser.add_argument(
            "--date", type=dt.date.fromisoformat, help="batch: the business date to run (default today)"
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **opts) -> None:
        if opts["what"] == "batch":
            from arrears.batch.bench import bench_batch

            day = opts["date"] or timezone.localdate()
            report = bench_batch(accounts=opts["accounts"], business_date=day)
            report["machine"] = f"{platform.machine()}, {_cpus()} CPUs"
            self.stdout.write(json.dumps(report, ensure_ascii=False) if opts["json"] else str(report))
            return
        today = timezone.localdate()
        started = time.perf_counter()
        data, manifest = write_creditor_file(rows=opts["rows"], seed=opts["seed"], business_date=today)
        file_seconds = time.perf_counter() - started

        org, _ = Organisation.objects.get_or_create(code="bench", defaults={"name": "Benchmark"})
        creditor, _ = Creditor.objects.get_or_create(
            code="BENCH", defaults={"organisation": org, "name": "基准测试银行"}
        )
        placement = Placement.objects.create(
            creditor=creditor,
            organisation=org,
            name=f"bench-{timezone.now():%Y%m%d%H%M%S%f}",
            entrusted_on=today,
            return_on=today + dt.timedelta(days=90),
            product_type="credit_card",
        )

        def timed_import():
            t0 = time.perf_counter()
            result = cases_import(
                actor=None,
                creditor=creditor,
                placement=placement,
                data=data,
                filename="bench.xlsx",
                business_date=today,
            )
            return result, time.perf_counter() - t0

        first, first_seconds = timed_import()
        second, second_seconds = timed_import()
        report = {
            "rows": manifest.rows,
            "file_mb": round(len(data) / 1e6, 1),
            "database": connection.vendor,
            "write_file_seconds": round(file_seconds, 1),
            "import_seconds": round(first_seconds, 1),
            "rows_per_second": round(manifest.rows / first_seconds),
            "imported": first.imported,
            "rejected": first.rejected,
            "warnings": len(first.warnings),
            "reimport_seconds": round(second_seconds, 1),
            "reimport_unchanged": second.unchanged,
            "python": platform.python_version(),
            "machine": f"{platform.machine()}, {_cpus()} CPUs",
        }
        if opts["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False))
        else:
            for key, value in report.items():
                self.stdout.write(f"{key:>20}: {value}")


def _cpus() -> int:
    import os

    return os.cpu_count() or 1
