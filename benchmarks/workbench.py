"""Time the workbench pages a collector lives on: the queue and the dossier (the case page).

Run against a database with a demo book loaded (``arrears seed-demo``), e.g.::

    DATABASE_URL=sqlite:////tmp/big.db ARREARS_DEV=1 .venv/bin/python benchmarks/workbench.py

Prints one JSON line: the number of open cases in the user's queue, and for each page the median and
95th percentile of the server time (Django's test client in process: the view, the queries and the
template, without network or browser), the number of queries, and the size of the page. The target
is under 100 ms for both pages.

The demo book gives its six collectors a sixth of the book each: on a million accounts, over 200,000
open cases apiece, which no collector has. ``--portfolio N`` measures a realistic desk instead: it
moves N of the user's cases to a benchmark collector of the same team (created once, in the
benchmark's database only) and measures that collector's pages, on the same whole book.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

import django


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--user", default="collector1")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--portfolio", type=int, default=0, help="measure a desk of this many cases")
    args = parser.parse_args()

    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "arrears.config.settings")
    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from arrears.accounts.models import User
    from arrears.workbench import selectors

    settings.ALLOWED_HOSTS = ["*"]
    user = User.objects.get(username=args.user)
    if args.portfolio:
        user = _desk(user, args.portfolio)
    client = Client()
    client.force_login(user)
    top = selectors.queue(user=user).values_list("pk", flat=True).first()
    pages = {"queue": "/workbench/", "dossier": f"/cases/{top}/"}
    open_cases = selectors.queue_counts(user=user)["total"]
    result: dict[str, object] = {"user": user.username, "open_cases": open_cases}
    for name, url in pages.items():
        client.get(url)  # warm the caches (templates, profiles, the database's pages)
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        times.sort()
        result[name] = {
            "median_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
            "queries": len(queries.captured_queries),
            "kb": round(len(response.content) / 1024, 1),
        }
    print(json.dumps(result, ensure_ascii=False))


def _desk(owner, size: int):
    """A benchmark collector in ``owner``'s team holding ``size`` of ``owner``'s cases."""
    from arrears.accounts.models import User
    from arrears.cases.models import Case

    desk, _created = User.objects.get_or_create(
        username=f"bench-desk-{size}",
        defaults={"role": owner.role, "organisation": owner.organisation, "team": owner.team},
    )
    held = Case.objects.filter(assigned_to=desk).count()
    if held < size:
        ids = list(Case.objects.filter(assigned_to=owner).values_list("pk", flat=True)[: size - held])
        Case.objects.filter(pk__in=ids).update(assigned_to=desk)
    return desk


if __name__ == "__main__":
    main()
