"""Writing one file's valid records: match against what the placement holds, insert the new,
update the changed, leave the unchanged alone.

New debtors, cases, contacts and contact points go in with set-based inserts under reserved
primary keys (``arrears.core.bulk``); changed cases and debtors are updated through the ORM with
their before/after in the change log. Lookups run in chunks so the ``IN`` lists stay within what
every database accepts.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

from django.utils import timezone

from arrears.accounts.models import User
from arrears.cases.models import Case, CaseEvent, CaseStatus
from arrears.core import audit, bulk, crypto
from arrears.core.audit import request_id
from arrears.core.money import ZERO
from arrears.creditors.buckets import bucket_for
from arrears.creditors.models import Creditor, Placement
from arrears.debtors.models import ContactPerson, ContactPoint, Debtor
from arrears.debtors.phones import is_mobile
from arrears.intake.normalize import Phone
from arrears.intake.parse import CaseRecord

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
NEW_DEBTOR_COLUMNS = (
    "id",
    "name",
    "id_encrypted",
    "id_hash",
    "id_masked",
    "id_last4",
    "birth_date",
    "gender",
    *DEBTOR_FIELDS[1:],
    "timezone",
    "created_at",
    "updated_at",
)
NEW_CASE_COLUMNS = (
    "id",
    "creditor_id",
    "placement_id",
    "organisation_id",
    "account_number",
    *CASE_FIELDS,
    "status",
    "created_at",
    "updated_at",
)


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _money(value: Decimal | None) -> Decimal:
    return value if value is not None else ZERO


class CaseWriter:
    """Applies one file's records to a placement; afterwards says what it did."""

    def __init__(self, *, actor: User | None, creditor: Creditor, placement: Placement) -> None:
        self.actor = actor
        self.creditor = creditor
        self.placement = placement
        self.now = timezone.now()
        self.created = self.updated = self.unchanged = 0
        self._new_case_totals: list[tuple[int, Decimal]] = []
        self._changed_cases: list[tuple[Case, dict[str, Any], dict[str, list[Any]]]] = []
        self._changed_debtors: list[tuple[Debtor, dict[str, Any]]] = []
        self.new_debtors = 0

    def apply(self, records: Sequence[CaseRecord]) -> None:
        hashes = [crypto.keyed_hash(r.id_number.value) for r in records]
        debtor_ids = self._debtors(records, hashes)
        self._cases(records, [debtor_ids[h] for h in hashes])
        self._contact_points(records, [debtor_ids[h] for h in hashes])

    # -- debtors -----------------------------------------------------------------------------
    def _debtors(self, records: Sequence[CaseRecord], hashes: Sequence[str]) -> dict[str, int]:
        first: dict[str, CaseRecord] = {}
        for digest, rec in zip(hashes, records, strict=True):
            first.setdefault(digest, rec)
        found: dict[str, Debtor] = {}
        for part in _chunks(list(first)):
            found.update({d.id_hash: d for d in Debtor.objects.filter(id_hash__in=part)})
        ids = {digest: debtor.pk for digest, debtor in found.items()}
        for digest, debtor in found.items():
            self._refresh_debtor(debtor, first[digest])
        if self._changed_debtors:
            Debtor.objects.bulk_update(
                [d for d, _b in self._changed_debtors], list(DEBTOR_FIELDS), batch_size=1000
            )

        new = [(digest, rec) for digest, rec in first.items() if digest not in found]
        rows = []
        for pk, (digest, rec) in zip(bulk.reserve_ids(Debtor, len(new)), new, strict=True):
            number = rec.id_number
            rows.append(
                (
                    pk,
                    rec.name,
                    crypto.encrypt(number.value),
                    digest,
                    number.masked,
                    number.last4,
                    number.birth_date,
                    number.gender,
                    rec.employer or "",
                    rec.home_address or "",
                    rec.work_address or "",
                    "Asia/Shanghai",
                    self.now,
                    self.now,
                )
            )
            ids[digest] = pk
        bulk.insert(Debtor, NEW_DEBTOR_COLUMNS, rows)
        self.new_debtors = len(rows)
        return ids

    def _refresh_debtor(self, debtor: Debtor, rec: CaseRecord) -> None:
        # A blank cell never erases what is known: creditors often send partial updates.
        changes = {
            name: value
            for name in DEBTOR_FIELDS
            if (value := getattr(rec, name) or "") and value != getattr(debtor, name)
        }
        if changes:
            self._changed_debtors.append((debtor, audit.snapshot(debtor)))
            for name, value in changes.items():
                setattr(debtor, name, value)

    # -- cases -------------------------------------------------------------------------------
    def _case_values(self, rec: CaseRecord, debtor_id: int) -> dict[str, Any]:
        principal, interest = _money(rec.principal), _money(rec.interest)
        late_fee, other = _money(rec.late_fee), _money(rec.other_fees)
        if principal == interest == late_fee == other == ZERO and rec.total:
            principal = rec.total  # the creditor gave only a total: treat it as principal owed
        dpd = rec.dpd or 0
        return {
            "debtor_id": debtor_id,
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

    def _cases(self, records: Sequence[CaseRecord], debtor_ids: Sequence[int]) -> None:
        existing: dict[str, Case] = {}
        for part in _chunks([r.account_number for r in records]):
            existing.update(
                {
                    c.account_number: c
                    for c in Case.objects.filter(placement=self.placement, account_number__in=part)
                }
            )
        new: list[tuple[CaseRecord, dict[str, Any]]] = []
        for rec, debtor_id in zip(records, debtor_ids, strict=True):
            values = self._case_values(rec, debtor_id)
            case = existing.get(rec.account_number)
            if case is None:
                new.append((rec, values))
                continue
            changes = {k: [getattr(case, k), v] for k, v in values.items() if getattr(case, k) != v}
            if not changes:
                self.unchanged += 1
                continue
            before = audit.snapshot(case)
            for name, (_old, value) in changes.items():
                setattr(case, name, value)
            case.updated_at = self.now
            self._changed_cases.append((case, before, changes))
        if self._changed_cases:
            Case.objects.bulk_update(
                [c for c, _b, _ch in self._changed_cases], [*CASE_FIELDS, "updated_at"], batch_size=1000
            )
        rows = []
        for pk, (rec, values) in zip(bulk.reserve_ids(Case, len(new)), new, strict=True):
            rows.append(
                (
                    pk,
                    self.creditor.pk,
                    self.placement.pk,
                    self.placement.organisation_id,
                    rec.account_number,
                    *(values[name] for name in CASE_FIELDS),
                    CaseStatus.NEW,
                    self.now,
                    self.now,
                )
            )
            self._new_case_totals.append((pk, values["total"]))
        bulk.insert(Case, NEW_CASE_COLUMNS, rows)
        self.created, self.updated = len(rows), len(self._changed_cases)

    # -- contact persons and points ----------------------------------------------------------
    def _contact_points(self, records: Sequence[CaseRecord], debtor_ids: Sequence[int]) -> None:
        persons: dict[tuple[int, str, str], int] = {}
        points: set[tuple[int, int | None, str]] = set()
        for part in _chunks(list(set(debtor_ids))):
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

        wanted = {
            (debtor_id, c.name or "", c.relationship or "")
            for rec, debtor_id in zip(records, debtor_ids, strict=True)
            for c in rec.contacts
        }
        new_persons = sorted(wanted - persons.keys())
        person_rows = []
        for pk, key in zip(bulk.reserve_ids(ContactPerson, len(new_persons)), new_persons, strict=True):
            person_rows.append((pk, key[0], key[1], key[2], False))
            persons[key] = pk
        bulk.insert(ContactPerson, ("id", "debtor_id", "name", "relationship", "do_not_contact"), person_rows)

        source = f"intake:{self.placement.pk}"
        point_rows: list[tuple[Any, ...]] = []

        def add(debtor_id: int, person_id: int | None, kind: str, value: str, status: str) -> None:
            key = (debtor_id, person_id, value)
            if value and key not in points:
                points.add(key)
                point_rows.append((debtor_id, person_id, kind, value, status, False, source, self.now))

        for rec, debtor_id in zip(records, debtor_ids, strict=True):
            for phone in rec.mobiles:
                add(debtor_id, None, *_phone_point(phone))
            if rec.email:
                add(debtor_id, None, ContactPoint.Kind.EMAIL, rec.email, ContactPoint.Status.UNVERIFIED)
            for contact in rec.contacts:
                person_id = persons[(debtor_id, contact.name or "", contact.relationship or "")]
                for phone in contact.phones:
                    add(debtor_id, person_id, *_phone_point(phone))
        bulk.insert(
            ContactPoint,
            ("debtor_id", "person_id", "kind", "value", "status", "do_not_contact", "source", "created_at"),
            point_rows,
        )

    # -- logs --------------------------------------------------------------------------------
    def write_logs(self, batch_id: int) -> None:
        """One case event per new or changed case; change-log rows with before/after for each
        update. Creations are logged once for the batch by the caller (ADR 0004)."""
        actor_id = self.actor.pk if self.actor else None
        rid = request_id()
        events = [
            (case_id, self.now, "case.imported", actor_id, rid, {"batch": batch_id, "total": str(total)})
            for case_id, total in self._new_case_totals
        ]
        events += [
            (
                case.pk,
                self.now,
                "case.updated",
                actor_id,
                rid,
                {"batch": batch_id, "changes": _jsonable(changes)},
            )
            for case, _before, changes in self._changed_cases
        ]
        bulk.insert(CaseEvent, ("case_id", "at", "kind", "actor_id", "request_id", "data"), events)
        audit.log_bulk(
            updated=[*self._changed_debtors, *((c, b) for c, b, _ch in self._changed_cases)], user=self.actor
        )


def _phone_point(phone: Phone) -> tuple[str, str, str]:
    if phone.valid and phone.e164:
        kind = ContactPoint.Kind.MOBILE if is_mobile(phone.e164) else ContactPoint.Kind.LANDLINE
        return kind, phone.e164, ContactPoint.Status.UNVERIFIED
    return ContactPoint.Kind.MOBILE, phone.raw[:254], ContactPoint.Status.INVALID


def _jsonable(changes: dict[str, list[Any]]) -> dict[str, list[Any]]:
    return {k: [audit.jsonable(a), audit.jsonable(b)] for k, (a, b) in changes.items()}
