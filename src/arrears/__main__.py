"""The ``arrears`` console command: Django's management commands, with dashed names.

``arrears import-cases FILE`` runs the ``import_cases`` management command, so operators type the
names the documentation uses while the command modules keep importable Python names.
"""

from __future__ import annotations

import os
import sys

# Developer commands that only read the models or the message files: they need no production keys,
# so a checkout can run them without a configured environment.
DEVELOPER_COMMANDS = {"makemigrations", "makemessages", "compilemessages", "check"}


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
        if argv[1] in DEVELOPER_COMMANDS:
            os.environ.setdefault("ARREARS_DEV", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "arrears.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
