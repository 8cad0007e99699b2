"""``arrears interest-calc FILE [--json]``: card interest for a JSON scenario (see ``money.scenario``).

Exit status 0 with the result; 2 when the file is missing or the scenario is malformed, with a message
naming the field in Chinese and English. ``run()`` does the work so tests need no command machinery.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from arrears.money import scenario

EXIT_BAD_INPUT = 2


def run(path: str, *, as_json: bool = True) -> tuple[int, str]:
    """Compute the scenario in ``path``: ``(exit status, text to print)``."""
    try:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise scenario.ScenarioError(
                "FILE", f"无法读取文件 {path}：{exc}", f"cannot read the file {path}: {exc}"
            ) from None
        parsed = scenario.loads(text)
    except scenario.ScenarioError as exc:
        if as_json:
            return EXIT_BAD_INPUT, json.dumps({"error": exc.as_json()}, ensure_ascii=False)
        return EXIT_BAD_INPUT, exc.reason
    result = parsed.compute()
    if as_json:
        return 0, json.dumps(scenario.result_json(result, parsed), ensure_ascii=False)
    return 0, scenario.result_text(result)


class Command(BaseCommand):
    help = "Card interest (全额计息) for a JSON scenario file: transactions, repayments, statement date."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="scenario JSON file")
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args, **opts) -> None:
        status, text = run(opts["file"], as_json=opts["json"])
        if status == 0:
            self.stdout.write(text)
            return
        if opts["json"]:
            # A machine reading --json output gets the error as JSON on stdout too.
            self.stdout.write(text)
        raise CommandError(text, returncode=status)
