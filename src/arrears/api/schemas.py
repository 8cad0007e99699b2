"""The API's request and response shapes. Personal data leaves only masked."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Schema


class Error(Schema):
    code: str
    message: str


class CreditorOut(Schema):
    id: int
    code: str
    name: str
    compliance_profile: str
    bucket_bands: list[int]
    active: bool


class PlacementOut(Schema):
    id: int
    creditor_id: int
    creditor_code: str
    name: str
    entrusted_on: dt.date
    return_on: dt.date
    product_type: str
    commission_rate: Decimal

    @staticmethod
    def resolve_creditor_code(obj) -> str:
        return obj.creditor.code


class DebtorOut(Schema):
    id: int
    name: str
    id_number: str  # masked, e.g. 110105********002X
    employer: str
    home_address: str
    work_address: str


class ContactPointOut(Schema):
    id: int
    kind: str
    value: str  # masked
    status: str
    do_not_contact: bool
    contact_name: str | None
    relationship: str | None


class CaseOut(Schema):
    id: int
    account_number: str
    creditor_code: str
    placement: str
    debtor_name: str
    debtor_id_number: str
    product: str
    principal: Decimal
    interest: Decimal
    late_fee: Decimal
    other_fees: Decimal
    total: Decimal
    overdue_since: dt.date
    dpd: int
    bucket: str
    status: str
    collector: str | None


class CaseDetailOut(CaseOut):
    credit_limit: Decimal | None
    last_payment_date: dt.date | None
    last_payment_amount: Decimal | None
    statement_day: int | None
    due_day: int | None
    extra: dict[str, str]
    debtor: DebtorOut
    contact_points: list[ContactPointOut]


class CasePage(Schema):
    count: int
    page: int
    page_size: int
    results: list[CaseOut]


class RowIssueOut(Schema):
    row: int
    column: str
    code: str
    reason: str


class ImportOut(Schema):
    import_id: int
    imported: int
    updated: int
    unchanged: int
    rejected: int
    warnings: int
    errors: list[RowIssueOut]
    warning_rows: list[RowIssueOut]
    same_file_as: int | None


class PaymentIn(Schema):
    """A payment received: the case by id or by account number, the bank's reference once only."""

    case_id: int | None = None
    account_number: str | None = None
    amount: Decimal
    paid_on: dt.date
    channel: str
    reference: str


class PaymentOut(Schema):
    id: int
    case_id: int
    amount: Decimal
    paid_on: dt.date
    channel: str
    reference: str
    unallocated: Decimal
    allocated: dict[str, Decimal]
    created: bool


class LedgerEntryOut(Schema):
    id: int
    on: dt.date
    kind: str
    component: str
    amount: Decimal
    reason: str
    payment_id: int | None
