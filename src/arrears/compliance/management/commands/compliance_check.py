"""``arrears compliance-check FILE [--json]``: judge one scenario file with the compliance guard.

Touches no database: the scenario file carries every fact the guard needs (see
``arrears.compliance.scenario``). Prints ``{"allowed": bool, "violations": [{"rule", "reason"}],
"next_allowed_at": iso or null}`` with ``--json``, a short bilingual summary otherwise. A refused
contact is a normal answer (exit status 0); a malformed scenario writes an error naming the field to
stderr and exits with status 2, as command-line tools do for bad input.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandParser

from arrears.compliance.guard import Decision, evaluate
from arrears.compliance.scenario import ScenarioError, load

EXIT_BAD_SCENARIO = 2


def run(path: str, *, as_json: bool = True) -> tuple[int, str]:
    """Judge the scenario in ``path``: (exit status, text to print). Status 2 means a malformed
    scenario and the text is the error for stderr; status 0 means the text is the decision."""
    try:
        profile, now, debtor, contact, history = load(path)
    except ScenarioError as exc:
        return EXIT_BAD_SCENARIO, f"场景文件错误 / invalid scenario: {exc}"
    decision = evaluate(profile=profile, now=now, debtor=debtor, contact=contact, history=history)
    if as_json:
        return 0, json.dumps(decision.as_json(), ensure_ascii=False)
    return 0, _summary(decision)


def _summary(decision: Decision) -> str:
    lines = [
        f"{'允许 / allowed' if decision.allowed else '拒绝 / refused'}"
        f"  ({decision.profile} {decision.profile_version})"
    ]
    lines += [f"  [{v.rule}] {v.reason}" for v in decision.violations]
    if decision.next_allowed_at is not None:
        lines.append(f"  最早可联系时间 / next allowed at: {decision.next_allowed_at.isoformat()}")
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Evaluate one compliance scenario file (JSON) with the guard, without touching the database."

    # No system checks: they are not needed to read a file, and the command must not touch the database.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="scenario file (JSON)")
        parser.add_argument("--json", action="store_true", help="print the decision as JSON")

    def handle(self, *args: object, **opts: object) -> None:
        status, text = run(str(opts["file"]), as_json=bool(opts["json"]))
        if status:
            self.stderr.write(text)
            raise SystemExit(status)
        self.stdout.write(text)
