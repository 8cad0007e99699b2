"""``arrears send-messages [--json]``: send today's strategy SMS and every queued message whose time has
come (retries with back-off, sends held back by quiet hours). Safe to run often and in parallel."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from arrears.messaging.services import messages_dispatch


class Command(BaseCommand):
    help = "Send the day's strategy SMS and the queued messages that are due."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args, **options) -> None:
        result = messages_dispatch().as_json()
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        self.stdout.write(
            f"sent {result['sent']}, refused {result['refused']}, waiting {result['waiting']}, "
            f"failed {result['failed']}, skipped {len(result['skipped'])}"
        )
        for skipped in result["skipped"]:
            self.stdout.write(f"  task {skipped['task']} (case {skipped['case']}): {skipped['reason']}")
