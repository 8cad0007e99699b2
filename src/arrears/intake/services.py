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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from arrears.accounts.models import User
from arrears.cases import events
from arrears.cases.models import Case
from arrears.core import audit, crypto
from arrears.core.money import ZERO
from arrears.core.roles import can
from arrears.creditors.buckets import bucket_for
from arrears.creditors.models import Creditor, Placement
from arrears.debtors.models import ContactPerson, ContactPoint, Debtor
from arrears.debtors.phones import is_mobile
from arrears.intake.errorbook import write_error_workbook
from arrears.intake.errors import IntakeFileError
from arrears.intake.models import ImportBatch
from arrears.intake.parse import CaseRecord, Issue, parse_file

CHUNK = 5000
# Case fields the creditor's file decides; a re-import compares and updates exactly these.
CASE_FIELDS = (
    "debtor_id",
    "product",
    "principal",
    "interest",
    "late_fee",
    "other_fees",
    "total",
    "credit_limit",
    "overdue_since",
    "dpd",
    "bucket",
    "last_payment_date",
    "last_payment_amount",
    "statement_day",
    "due_day",
    "extra",
)
DEBTOR_FIELDS = ("name", "employer", "home_address", "work_address")


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


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


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
    earlier = ImportBatch.objects.filter(placement=placement, sha256=sha).exclude(
        status=ImportBatch.Status.FAILED
    )
    earlier = earlier.order_by("pk").first()
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
        writer = _Writer(actor=actor, creditor=creditor, placement=placement)
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
        writer.write_events(batch)
    return ImportResult(
        batch=batch,
        imported=batch.imported,
        updated=batch.updated,
        unchanged=batch.unchanged,
        rejected=batch.rejected,
        errors=batch.errors_json,
        warnings=batch.warnings_json,
        same_file_as=earlier.pk if earlier else None,
    )


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


def _money(value: Decimal | None) -> Decimal:
    return value if value is not None else ZERO


class _Writer:
    """Bulk upsert of one file's valid records; keeps what it did for the event and change logs."""

    def __init__(self, *, actor: User | None, creditor: Creditor, placement: Placement) -> None:
        self.actor = actor
        self.creditor = creditor
        self.placement = placement
        self.created = self.updated = self.unchanged = 0
        self._new_cases: list[Case] = []
        self._changed_cases: list[tuple[Case, dict[str, Any], dict[str, list[Any]]]] = []
        self._new_debtors: list[Debtor] = []
        self._changed_debtors: list[tuple[Debtor, dict[str, Any]]] = []

    # -- debtors -----------------------------------------------------------------------------
    def _debtors(self, records: Sequence[CaseRecord]) -> dict[str, Debtor]:
        by_hash: dict[str, CaseRecord] = {}
        for rec in records:
            by_hash.setdefault(crypto.keyed_hash(rec.id_number.value), rec)
        found: dict[str, Debtor] = {}
        hashes = list(by_hash)
        for part in _chunks(hashes):
            found.update({d.id_hash: d for d in Debtor.objects.filter(id_hash__in=part)})
        for digest, rec in by_hash.items():
            debtor = found.get(digest)
            if debtor is None:
                debtor = Debtor(
                    name=rec.name,
                    id_encrypted=crypto.encrypt(rec.id_number.value),
                    id_hash=digest,
                    id_masked=rec.id_number.masked,
                    id_last4=rec.id_number.last4,
                    birth_date=rec.id_number.birth_date,
                    gender=rec.id_number.gender,
                    employer=rec.employer or "",
                    home_address=rec.home_address or "",
                    work_address=rec.work_address or "",
                )
                self._new_debtors.append(debtor)
                found[digest] = debtor
                continue
            before = audit.snapshot(debtor)
            # A blank cell never erases what is known: creditors often send partial updates.
            for name in DEBTOR_FIELDS:
                value = getattr(rec, name) or ""
                if value and value != getattr(debtor, name):
                    setattr(debtor, name, value)
            if audit.diff(before, audit.snapshot(debtor)):
                self._changed_debtors.append((debtor, before))
        Debtor.objects.bulk_create(self._new_debtors, batch_size=1000)
        if self._changed_debtors:
            Debtor.objects.bulk_update(
                [d for d, _b in self._changed_debtors], list(DEBTOR_FIELDS), batch_size=1000
            )
        return found

    # -- cases -------------------------------------------------------------------------------
    def _case_values(self, rec: CaseRecord, debtor: Debtor) -> dict[str, Any]:
        principal, interest = _money(rec.principal), _money(rec.interest)
        late_fee, other = _money(rec.late_fee), _money(rec.other_fees)
        if principal == interest == late_fee == other == ZERO and rec.total:
            principal = rec.total  # the creditor gave only a total: treat it as principal owed
        dpd = rec.dpd or 0
        return {
            "debtor_id": debtor.pk,
            "product": rec.product or "",
            "principal": principal,
            "interest": interest,
            "late_fee": late_fee,
            "other_fees": other,
            "total": principal + interest + late_fee + other,
            "credit_limit": rec.credit_limit,
            "overdue_since": rec.overdue_since,
            "dpd": dpd,
            "bucket": bucket_for(dpd, self.creditor.bucket_bands),
            "last_payment_date": rec.last_payment_date,
            "last_payment_amount": rec.last_payment_amount,
            "statement_day": rec.statement_day,
            "due_day": rec.due_day,
            "extra": dict(rec.extra),
        }

    def apply(self, records: Sequence[CaseRecord]) -> None:
        debtors = self._debtors(records)
        existing: dict[str, Case] = {}
        for part in _chunks([r.account_number for r in records]):
            existing.update(
                {
                    c.account_number: c
                    for c in Case.objects.filter(placement=self.placement, account_number__in=part)
                }
            )
        now = timezone.now()
        for rec in records:
            values = self._case_values(rec, debtors[crypto.keyed_hash(rec.id_number.value)])
            case = existing.get(rec.account_number)
            if case is None:
                self._new_cases.append(
                    Case(
                        creditor=self.creditor,
                        placement=self.placement,
                        organisation_id=self.placement.organisation_id,
                        account_number=rec.account_number,
                        **values,
                    )
                )
                continue
            before = audit.snapshot(case)
            changes = {k: [getattr(case, k), v] for k, v in values.items() if getattr(case, k) != v}
            if not changes:
                self.unchanged += 1
                continue
            for name, (_old, new) in changes.items():
                setattr(case, name, new)
            case.updated_at = now
            self._changed_cases.append((case, before, changes))
        Case.objects.bulk_create(self._new_cases, batch_size=1000)
        if self._changed_cases:
            Case.objects.bulk_update(
                [c for c, _b, _ch in self._changed_cases], [*CASE_FIELDS, "updated_at"], batch_size=1000
            )
        self.created, self.updated = len(self._new_cases), len(self._changed_cases)
        self._contact_points(records, debtors)

    # -- contact persons and points ----------------------------------------------------------
    def _contact_points(self, records: Sequence[CaseRecord], debtors: dict[str, Debtor]) -> None:
        ids = list({d.pk for d in debtors.values()})
        persons: dict[tuple[int, str, str], int] = {}
        points: set[tuple[int, int | None, str]] = set()
        for part in _chunks(ids):
            persons.update(
                {
                    (d, n, r): pk
                    for pk, d, n, r in ContactPerson.objects.filter(debtor_id__in=part).values_list(
                        "pk", "debtor_id", "name", "relationship"
                    )
                }
            )
            points.update(
                ContactPoint.objects.filter(debtor_id__in=part).values_list("debtor_id", "person_id", "value")
            )
        new_persons: dict[tuple[int, str, str], ContactPerson] = {}
        for rec in records:
            debtor = debtors[crypto.keyed_hash(rec.id_number.value)]
            for contact in rec.contacts:
                key = (debtor.pk, contact.name or "", contact.relationship or "")
                if key not in persons and key not in new_persons:
                    new_persons[key] = ContactPerson(debtor=debtor, name=key[1], relationship=key[2])
        ContactPerson.objects.bulk_create(list(new_persons.values()), batch_size=1000)
        persons.update({k: p.pk for k, p in new_persons.items()})

        new_points: list[ContactPoint] = []

        def add(debtor_id: int, person_id: int | None, kind: str, value: str, status: str) -> None:
            key = (debtor_id, person_id, value)
            if value and key not in points:
                points.add(key)
                new_points.append(
                    ContactPoint(
                        debtor_id=debtor_id,
                        person_id=person_id,
                        kind=kind,
                        value=value,
                        status=status,
                        source=f"intake:{self.placement.pk}",
                    )
                )

        for rec in records:
            debtor = debtors[crypto.keyed_hash(rec.id_number.value)]
            for phone in rec.mobiles:
                add(debtor.pk, None, *_phone_point(phone))
            if rec.email:
                add(debtor.pk, None, ContactPoint.Kind.EMAIL, rec.email, ContactPoint.Status.UNVERIFIED)
            for contact in rec.contacts:
                person_id = persons[(debtor.pk, contact.name or "", contact.relationship or "")]
                for phone in contact.phones:
                    add(debtor.pk, person_id, *_phone_point(phone))
        ContactPoint.objects.bulk_create(new_points, batch_size=1000)

    # -- logs --------------------------------------------------------------------------------
    def write_events(self, batch: ImportBatch) -> None:
        new_events = [
            events.event(c, "case.imported", actor=self.actor, batch=batch.pk, total=str(c.total))
            for c in self._new_cases
        ]
        new_events += [
            events.event(c, "case.updated", actor=self.actor, batch=batch.pk, changes=_jsonable_changes(ch))
            for c, _b, ch in self._changed_cases
        ]
        events.record_many(new_events)
        audit.log_bulk(
            created=[*self._new_debtors, *self._new_cases],
            updated=[*self._changed_debtors, *((c, b) for c, b, _ch in self._changed_cases)],
            user=self.actor,
        )


def _phone_point(phone: Any) -> tuple[str, str, str]:
    if phone.valid and phone.e164:
        kind = ContactPoint.Kind.MOBILE if is_mobile(phone.e164) else ContactPoint.Kind.LANDLINE
        return kind, phone.e164, ContactPoint.Status.UNVERIFIED
    return ContactPoint.Kind.MOBILE, phone.raw[:254], ContactPoint.Status.INVALID


def _jsonable_changes(changes: dict[str, list[Any]]) -> dict[str, list[Any]]:
    return {k: [audit.jsonable(a), audit.jsonable(b)] for k, (a, b) in changes.items()}
