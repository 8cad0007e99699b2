"""Writing one file's valid records: match against what the placement holds, insert the new,
update the changed, leave the unchanged alone.

New debtors, cases, contacts and contact points go in with set-based inserts under reserved
primary keys (``arrears.core.bulk``); changed cases and debtors are updated through the ORM with
their before/after in the change log. Debtors are matched within the placement's organisation
(each organisation keeps its own dossier of a person). Lookups run in chunks so the ``IN`` lists
stay within what every database accepts.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Sequence
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
from arrears.debtors.rows import NEW_DEBTOR_COLUMNS, new_debtor_row
from arrears.intake import sensitive
from arrears.intake.normalize import Phone
from arrears.intake.parse import CaseRecord
from arrears.money.ledger import Entry, Kind
from arrears.payments.ledger import CASE_FIELD, ENTRY_COLUMNS, entry_row
from arrears.payments.models import LedgerEntry

# Case fields the creditor's file decides; a re-import compares and updates exactly these
# (``extra_secret`` is compared decrypted, see ``_cases``).
CASE_FIELDS = (
    "debtor_id", "product", "principal", "interest", "late_fee", "other_fees", "total", "credit_limit",
    "overdue_since", "aged_from", "bucket", "last_payment_date", "last_payment_amount", "statement_day",
    "due_day", "extra",
)  # fmt: skip
DEBTOR_FIELDS = ("name", "employer", "home_address", "work_address")
BALANCE_FIELDS = ("principal", "interest", "late_fee", "other_fees")
NEW_CASE_COLUMNS = (
    "id", "creditor_id", "placement_id", "organisation_id", "account_number", *CASE_FIELDS, "extra_secret",
    "placed", "status", "created_at", "updated_at",
)  # fmt: skip
HIDDEN = "(加密保存 / kept encrypted)"


def _money(value: Decimal | None) -> Decimal:
    return value if value is not None else ZERO


def _seal(secret: dict[str, str]) -> bytes | None:
    return crypto.encrypt(json.dumps(secret, ensure_ascii=False, sort_keys=True)) if secret else None


def _unseal(blob: bytes | memoryview | None) -> dict[str, str]:
    return json.loads(crypto.decrypt(blob)) if blob else {}


class CaseWriter:
    """Applies one file's records to a placement; afterwards says what it did."""

    def __init__(
        self, *, actor: User | None, creditor: Creditor, placement: Placement, business_date: dt.date
    ) -> None:
        self.actor = actor
        self.business_date = business_date
        self.creditor = creditor
        self.placement = placement
        self.organisation_id = placement.organisation_id
        self.now = timezone.now()
        self.created = self.updated = self.unchanged = 0
        self._new_case_totals: list[tuple[int, Decimal]] = []
        self._ledger_rows: list[tuple[Any, ...]] = []
        self._changed_cases: list[tuple[Case, dict[str, Any], dict[str, list[Any]]]] = []
        self._same_cases: list[Case] = []
        self._touched: list[tuple[int, dict[str, Any]]] = []  # cases whose debtor data changed
        self._changed_debtors: list[tuple[Debtor, dict[str, Any]]] = []

    def apply(self, records: Sequence[CaseRecord]) -> None:
        hashes = [crypto.keyed_hash(r.id_number.value) for r in records]
        ids = self._debtors(records, hashes)
        debtor_ids = [ids[h] for h in hashes]
        self._cases(records, debtor_ids)
        added = self._contact_points(records, debtor_ids)
        self._settle_unchanged(added)

    # -- debtors -----------------------------------------------------------------------------
    def _debtors(self, records: Sequence[CaseRecord], hashes: Sequence[str]) -> dict[str, int]:
        first: dict[str, CaseRecord] = {}
        for digest, rec in zip(hashes, records, strict=True):
            first.setdefault(digest, rec)
        found: dict[str, Debtor] = {}
        for part in bulk.chunks(list(first)):
            found.update(
                {
                    d.id_hash: d
                    for d in Debtor.objects.filter(organisation_id=self.organisation_id, id_hash__in=part)
                }
            )
        ids = {digest: debtor.pk for digest, debtor in found.items()}
        for digest, debtor in found.items():
            self._refresh_debtor(debtor, first[digest])
        if self._changed_debtors:
            Debtor.objects.bulk_update(
                [d for d, _b in self._changed_debtors], [*DEBTOR_FIELDS, "updated_at"], batch_size=1000
            )

        new = [(digest, rec) for digest, rec in first.items() if digest not in found]
        rows = []
        for pk, (digest, rec) in zip(bulk.reserve_ids(Debtor, len(new)), new, strict=True):
            rows.append(
                new_debtor_row(
                    pk=pk,
                    organisation_id=self.organisation_id,
                    number=rec.id_number,
                    name=rec.name,
                    employer=rec.employer or "",
                    home_address=rec.home_address or "",
                    work_address=rec.work_address or "",
                    now=self.now,
                    id_hash=digest,
                )
            )
            ids[digest] = pk
        bulk.insert(Debtor, NEW_DEBTOR_COLUMNS, rows)
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
            debtor.updated_at = self.now

    # -- cases -------------------------------------------------------------------------------
    def _case_values(self, rec: CaseRecord, debtor_id: int) -> tuple[dict[str, Any], dict[str, str]]:
        principal, interest = _money(rec.principal), _money(rec.interest)
        late_fee, other = _money(rec.late_fee), _money(rec.other_fees)
        if principal == interest == late_fee == other == ZERO and rec.total:
            principal = rec.total  # the creditor gave only a total: treat it as principal owed
        dpd = rec.dpd or 0
        total = principal + interest + late_fee + other
        shown, secret = sensitive.split(dict(rec.extra))
        values = {
            "debtor_id": debtor_id, "product": rec.product or "", "principal": principal,
            "interest": interest, "late_fee": late_fee, "other_fees": other, "total": total,
            "credit_limit": rec.credit_limit, "overdue_since": rec.overdue_since,
            "aged_from": rec.overdue_since if total > 0 else None,
            "bucket": bucket_for(dpd, self.creditor.bucket_bands), "last_payment_date": rec.last_payment_date,
            "last_payment_amount": rec.last_payment_amount, "statement_day": rec.statement_day,
            "due_day": rec.due_day, "extra": shown,
        }  # fmt: skip
        return values, secret

    def _cases(self, records: Sequence[CaseRecord], debtor_ids: Sequence[int]) -> None:
        existing: dict[str, Case] = {}
        for part in bulk.chunks([r.account_number for r in records]):
            # Locked in id order: a payment posted meanwhile waits, and no two writers deadlock.
            query = Case.objects.select_for_update(of=("self",)).filter(
                placement=self.placement, account_number__in=part
            )
            existing.update({c.account_number: c for c in query.order_by("pk")})
        new: list[tuple[CaseRecord, dict[str, Any], dict[str, str]]] = []
        for rec, debtor_id in zip(records, debtor_ids, strict=True):
            values, secret = self._case_values(rec, debtor_id)
            case = existing.get(rec.account_number)
            if case is None:
                new.append((rec, values, secret))
                continue
            target = _reimported(case, values)
            changes = {k: [getattr(case, k), v] for k, v in target.items() if getattr(case, k) != v}
            secret_changed = _unseal(case.extra_secret) != secret
            placed = _placed(values)
            if not changes and not secret_changed and case.placed == placed:
                self._same_cases.append(case)
                continue
            before = audit.snapshot(case)
            for name, (_old, value) in changes.items():
                setattr(case, name, value)
            case.placed = placed
            moved = {k: new - old for k, (old, new) in changes.items() if k in CASE_FIELD.values()}
            self._book(case.pk, Kind.ADJUSTMENT, moved, "委托方文件更新 / creditor file update")
            if secret_changed:
                case.extra_secret = _seal(secret)
                changes["extra_secret"] = [HIDDEN, HIDDEN]
            case.updated_at = self.now
            self._changed_cases.append((case, before, changes))
        if self._changed_cases:
            Case.objects.bulk_update(
                [c for c, _b, _ch in self._changed_cases],
                [*CASE_FIELDS, "extra_secret", "placed", "updated_at"],
                batch_size=1000,
            )
        rows = []
        for pk, (rec, values, secret) in zip(bulk.reserve_ids(Case, len(new)), new, strict=True):
            rows.append((
                pk, self.creditor.pk, self.placement.pk, self.organisation_id, rec.account_number,
                *(values[name] for name in CASE_FIELDS), _seal(secret), _placed(values), CaseStatus.NEW,
                self.now, self.now,
            ))  # fmt: skip
            self._new_case_totals.append((pk, values["total"]))
            self._book(pk, Kind.OPENING, values, "委案导入 / placed")
        bulk.insert(Case, NEW_CASE_COLUMNS, rows)
        self.created = len(rows)

    def _book(self, case_id: int, kind: Kind, amounts: dict[str, Any], reason: str) -> None:
        """Ledger rows moving each balance column in ``amounts`` by its (nonzero) amount, so the
        case's columns stay the sum of its ledger."""
        actor_id = self.actor.pk if self.actor else None
        for component, field in CASE_FIELD.items():
            if value := amounts.get(field):
                entry = Entry(kind, component, value, self.business_date, reason)
                self._ledger_rows.append(entry_row(case_id, entry, actor_id=actor_id, at=self.now))

    def _settle_unchanged(self, added: Counter[int]) -> None:
        """A case whose own fields are the same still counts as updated when the file brought new
        contact points or new facts about its debtor; otherwise it is unchanged."""
        debtor_fields = {d.pk: sorted(audit.diff(b, audit.snapshot(d))) for d, b in self._changed_debtors}
        for case in self._same_cases:
            notes: dict[str, Any] = {}
            if case.debtor_id in debtor_fields:
                notes["debtor_fields"] = debtor_fields[case.debtor_id]
            if added[case.debtor_id]:
                notes["contact_points_added"] = added[case.debtor_id]
            if notes:
                self._touched.append((case.pk, notes))
            else:
                self.unchanged += 1
        self.updated = len(self._changed_cases) + len(self._touched)

    # -- contact persons and points ----------------------------------------------------------
    def _contact_points(self, records: Sequence[CaseRecord], debtor_ids: Sequence[int]) -> Counter[int]:
        """Insert the persons and points not yet known; returns new points per debtor."""
        persons: dict[tuple[int, str, str], int] = {}
        points: set[tuple[int, int | None, str]] = set()
        for part in bulk.chunks(list(set(debtor_ids))):
            known = ContactPerson.objects.filter(debtor_id__in=part)
            persons.update(
                {
                    (d, n, r): pk
                    for pk, d, n, r in known.values_list("pk", "debtor_id", "name", "relationship")
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
            person_rows.append((pk, *key, False))
            persons[key] = pk
        bulk.insert(ContactPerson, ("id", "debtor_id", "name", "relationship", "do_not_contact"), person_rows)

        source = f"intake:{self.placement.pk}"
        point_rows: list[tuple[Any, ...]] = []
        added: Counter[int] = Counter()

        def add(debtor_id: int, person_id: int | None, kind: str, value: str, status: str) -> None:
            key = (debtor_id, person_id, value)
            if value and key not in points:
                points.add(key)
                point_rows.append((debtor_id, person_id, kind, value, status, False, source, self.now))
                added[debtor_id] += 1

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
        return added

    # -- logs --------------------------------------------------------------------------------
    def write_logs(self, batch_id: int) -> None:
        """One case event per new or changed case; change-log rows with before/after for each
        update. Creations are logged once for the batch by the caller (ADR 0004)."""
        actor_id = self.actor.pk if self.actor else None
        rid = request_id()

        def event(case_id: int, kind: str, data: dict[str, Any]) -> tuple[Any, ...]:
            return (case_id, self.now, kind, actor_id, rid, {"batch": batch_id, **data})

        events = [event(pk, "case.imported", {"total": str(total)}) for pk, total in self._new_case_totals]
        events += [
            event(c.pk, "case.updated", {"changes": _jsonable(ch)}) for c, _b, ch in self._changed_cases
        ]
        events += [event(pk, "case.updated", notes) for pk, notes in self._touched]
        bulk.insert(CaseEvent, ("case_id", "at", "kind", "actor_id", "request_id", "data"), events)
        bulk.insert(LedgerEntry, ENTRY_COLUMNS, self._ledger_rows)
        audit.log_bulk(
            updated=[*self._changed_debtors, *((c, b) for c, b, _ch in self._changed_cases)], user=self.actor
        )


def _placed(values: dict[str, Any]) -> dict[str, str]:
    return {name: str(values[name]) for name in BALANCE_FIELDS}


def _reimported(case: Case, values: dict[str, Any]) -> dict[str, Any]:
    """The case's fields after a re-import: the file decides the descriptive fields, but balances
    move only by what changed in the creditor's figures since its last file (new charges, or a
    correction), on top of what the ledger holds now, never below zero. The last payment is
    the later of the file's and the one posted here."""
    target = dict(values)
    previous = case.placed or {name: str(getattr(case, name)) for name in BALANCE_FIELDS}
    for name in BALANCE_FIELDS:
        target[name] = max(getattr(case, name) + values[name] - Decimal(previous[name]), ZERO)
    target["total"] = sum((target[name] for name in BALANCE_FIELDS), case.legal_costs)
    # Days past due keep counting from where the nightly run has them (pauses included), unless the
    # creditor moved the overdue date or nothing is owed any more.
    if target["total"] == 0:
        target["aged_from"] = None
    elif values["overdue_since"] == case.overdue_since and case.aged_from is not None:
        target["aged_from"] = case.aged_from
    file_date = values["last_payment_date"]
    if file_date is None or (case.last_payment_date is not None and file_date <= case.last_payment_date):
        target["last_payment_date"] = case.last_payment_date
        target["last_payment_amount"] = case.last_payment_amount
    return target


def _phone_point(phone: Phone) -> tuple[str, str, str]:
    if phone.valid and phone.e164:
        kind = ContactPoint.Kind.MOBILE if is_mobile(phone.e164) else ContactPoint.Kind.LANDLINE
        return kind, phone.e164, ContactPoint.Status.UNVERIFIED
    return ContactPoint.Kind.MOBILE, phone.raw[:254], ContactPoint.Status.INVALID


def _jsonable(changes: dict[str, list[Any]]) -> dict[str, list[Any]]:
    return {k: [audit.jsonable(a), audit.jsonable(b)] for k, (a, b) in changes.items()}
