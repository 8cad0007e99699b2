"""Case intake: turn a creditor's file into debtors, contact points and cases, in one transaction.

The pure core (``arrears.intake.parse``) reads and validates the file; this service matches the
valid records against what the placement already holds and writes the differences in bulk:
new debtors and cases are inserted, changed cases updated with the change recorded, unchanged
ones left alone. Re-running the same file therefore changes nothing. The original file and the
workbook of rejected rows are kept with the import record, so nothing a creditor sent is lost.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from arrears.accounts.models import User
from arrears.core import audit, crypto
from arrears.core.roles import can
from arrears.creditors.models import Creditor, Placement
from arrears.intake.errorbook import write_error_workbook
from arrears.intake.errors import IntakeFileError
from arrears.intake.models import ImportBatch
from arrears.intake.parse import Issue, parse_file
from arrears.intake.writer import CaseWriter


class ImportRefused(Exception):
    """The file as a whole cannot be taken in (unreadable, no header row, missing columns)."""

    def __init__(self, code: str, message: str, batch: ImportBatch | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.batch = batch


@dataclass
class ImportResult:
    batch: ImportBatch
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    same_file_as: int | None = None

    @classmethod
    def of(cls, batch: ImportBatch, *, same_file_as: int | None) -> ImportResult:
        return cls(
            batch=batch,
            imported=batch.imported,
            updated=batch.updated,
            unchanged=batch.unchanged,
            rejected=batch.rejected,
            errors=batch.errors_json,
            warnings=batch.warnings_json,
            same_file_as=same_file_as,
        )

    @classmethod
    def of_stored(cls, batch: ImportBatch) -> ImportResult:
        """The result of an import already made (what the API returns for ``GET /imports/{id}``)."""
        earlier = batch.earlier_same_file()
        return cls.of(batch, same_file_as=earlier.pk if earlier else None)

    def as_json(self) -> dict[str, Any]:
        """The documented ``--json`` shape (rows numbered as the spreadsheet shows them)."""
        return {
            "imported": self.imported,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "warnings": len(self.warnings),
            "errors": self.errors,
            "warning_rows": self.warnings,
            "import_id": self.batch.pk,
            "same_file_as": self.same_file_as,
        }


def _issue_json(issue: Issue) -> dict[str, Any]:
    return {"row": issue.row, "column": issue.column, "code": issue.code, "reason": issue.reason}


def cases_import(
    *,
    actor: User | None,
    creditor: Creditor,
    placement: Placement,
    data: bytes,
    filename: str,
    business_date: dt.date | None = None,
    mapping: dict[str, str] | None = None,
) -> ImportResult:
    """Import one creditor file into ``placement``. ``actor`` None means the console (an operator)."""
    if actor is not None and not can(actor.role, "import_cases"):
        raise PermissionDenied(_("Your role may not import cases."))
    if placement.creditor_id != creditor.pk:
        raise ValidationError(_("The placement belongs to another creditor."))
    business_date = business_date or timezone.localdate()
    started = timezone.now()
    sha = hashlib.sha256(data).hexdigest()
    batch = ImportBatch(
        creditor=creditor,
        placement=placement,
        uploaded_by=actor,
        filename=filename[:255],
        sha256=sha,
        size=len(data),
        business_date=business_date,
        started_at=started,
    )
    earlier = batch.earlier_same_file()
    try:
        parsed = parse_file(data, filename, business_date=business_date, custom_mapping=mapping)
    except IntakeFileError as exc:
        batch.status = ImportBatch.Status.FAILED
        batch.message = f"{exc.message_zh} / {exc.message_en}"
        batch.finished_at = timezone.now()
        batch.file.save(f"{filename}.enc", _sealed(data), save=False)
        batch.save()
        raise ImportRefused(exc.code, batch.message, batch) from exc

    with transaction.atomic():
        # One import at a time per placement: two concurrent uploads of the same accounts would
        # otherwise both see "new" and collide on the unique constraint.
        Placement.objects.select_for_update().get(pk=placement.pk)
        writer = CaseWriter(actor=actor, creditor=creditor, placement=placement, business_date=business_date)
        writer.apply(parsed.records)
        batch.imported, batch.updated, batch.unchanged = writer.created, writer.updated, writer.unchanged
        batch.rejected = len(parsed.rejected)
        batch.warnings = len(parsed.warnings)
        batch.errors_json = [_issue_json(i) for i in parsed.errors]
        batch.warnings_json = [_issue_json(i) for i in parsed.warnings]
        changed = writer.created or writer.updated
        batch.status = ImportBatch.Status.DONE if changed else ImportBatch.Status.UNCHANGED
        if earlier is not None:
            # The very same bytes again: point at the file already kept instead of storing a copy.
            batch.file.name = earlier.file.name
        else:
            batch.file.save(f"{filename}.enc", _sealed(data), save=False)
        if parsed.rejected:
            book = write_error_workbook(parsed.rejected, parsed.headers, parsed.header_row)
            batch.error_file.save(f"{_error_name(filename)}.enc", _sealed(book), save=False)
        batch.finished_at = timezone.now()
        batch.save()
        writer.write_logs(batch.pk)
        if changed:
            # Rows created in bulk are logged once, with the import that created them (ADR 0004).
            audit.log_create(batch, user=actor)
    return ImportResult.of(batch, same_file_as=earlier.pk if earlier else None)


def _sealed(data: bytes) -> ContentFile:
    """Kept files hold ID numbers in clear, so they are stored encrypted (read with ``stored_file``)."""
    return ContentFile(crypto.encrypt_bytes(data))


def stored_file(field: Any) -> bytes:
    """The plain bytes of a kept original file or rejected-rows workbook."""
    with field.open("rb") as handle:
        return crypto.decrypt_bytes(handle.read())


def _error_name(filename: str) -> str:
    stem = filename.rsplit(".", 1)[0]
    return f"{stem}-rejected.xlsx"
