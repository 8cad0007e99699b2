"""``arrears import-payments FILE --organisation CODE [--json]``: post a bank's payment file."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from arrears.accounts.models import Organisation
from arrears.intake.errors import IntakeFileError
from arrears.payments.importer import payments_import


class Command(BaseCommand):
    help = "Match a bank's payment file to cases, post what matches once, keep the rest in suspense."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--organisation", required=True, help="code of the organisation whose cases are paid"
        )
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **opts) -> None:
        path: Path = opts["file"]
        if not path.is_file():
            raise CommandError(f"文件不存在 / no such file: {path}")
        try:
            organisation = Organisation.objects.get(code=opts["organisation"])
        except Organisation.DoesNotExist:
            raise CommandError(f"机构不存在 / no organisation {opts['organisation']!r}") from None
        try:
            result = payments_import(
                actor=None, organisation=organisation, data=path.read_bytes(), filename=path.name
            )
        except IntakeFileError as exc:
            raise CommandError(exc.reason) from None
        if opts["json"]:
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
        else:
            self.stdout.write(
                f"入账 posted {result.posted} · 已入账 already {result.already_posted} · "
                f"挂账 suspense {result.suspense} · 拒绝 rejected {len(result.errors)}"
            )
