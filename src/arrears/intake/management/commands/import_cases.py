"""``arrears import-cases FILE --creditor CODE --placement NAME [--json]``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from arrears.creditors.models import ColumnMapping, Creditor, Placement
from arrears.intake.services import ImportRefused, cases_import


class Command(BaseCommand):
    help = "Import a creditor's file of overdue accounts (.xlsx or .csv) into a placement."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--creditor", required=True, help="creditor code")
        parser.add_argument("--placement", required=True, help="placement name")
        parser.add_argument("--mapping", help="name of a saved column mapping of the creditor")
        parser.add_argument("--date", type=dt.date.fromisoformat, help="business date (default: today)")
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args, **opts) -> None:
        path: Path = opts["file"]
        if not path.is_file():
            raise CommandError(f"文件不存在 / no such file: {path}")
        try:
            creditor = Creditor.objects.get(code=opts["creditor"])
        except Creditor.DoesNotExist:
            raise CommandError(f"委托方不存在 / no creditor with code {opts['creditor']!r}") from None
        try:
            placement = Placement.objects.get(creditor=creditor, name=opts["placement"])
        except Placement.DoesNotExist:
            raise CommandError(
                f"委案批次不存在 / creditor {creditor.code} has no placement named {opts['placement']!r}"
            ) from None
        mapping = None
        if opts["mapping"]:
            try:
                mapping = ColumnMapping.objects.get(creditor=creditor, name=opts["mapping"]).mapping
            except ColumnMapping.DoesNotExist:
                raise CommandError(f"列映射不存在 / no saved mapping {opts['mapping']!r}") from None
        try:
            result = cases_import(
                actor=None,
                creditor=creditor,
                placement=placement,
                data=path.read_bytes(),
                filename=path.name,
                business_date=opts["date"],
                mapping=mapping,
            )
        except ImportRefused as exc:
            if opts["json"]:
                self.stdout.write(
                    json.dumps({"error": {"code": exc.code, "message": exc.message}}, ensure_ascii=False)
                )
            raise CommandError(exc.message) from None
        if opts["json"]:
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
            return
        counts = [
            ("导入 imported", result.imported),
            ("更新 updated", result.updated),
            ("未变 unchanged", result.unchanged),
            ("拒绝 rejected", result.rejected),
            ("警告 warnings", len(result.warnings)),
        ]
        self.stdout.write(" · ".join(f"{label} {n}" for label, n in counts))
        if result.same_file_as:
            earlier = result.same_file_as
            self.stdout.write(f"同一文件已导入过 (#{earlier}) / this file was imported before (#{earlier})")
        for error in result.errors:
            self.stdout.write(
                f"  第 {error['row']} 行 row {error['row']} [{error['column']}] {error['reason']}"
            )
