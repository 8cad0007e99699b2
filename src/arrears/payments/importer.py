"""Importing a bank's payment file: match each payment to a case, post it, or keep it in suspense.

A row is matched by account number, else by ID number (the debtor's open case), within the
organisation. Exactly one open case: the payment is posted (once per bank reference, so the same
file twice posts nothing new). No case or several: the payment goes to the suspense list for
finance, never dropped. Unreadable rows come back with their row number and reason.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from arrears.accounts.models import Organisation, User
from arrears.cases.models import Case, CaseStatus
from arrears.core import crypto
from arrears.core.masking import mask_id_number
from arrears.core.roles import can
from arrears.payments.models import Payment, SuspenseItem
from arrears.payments.paymentfile import PaymentRow, parse
from arrears.payments.services import payment_post

CLOSED = (CaseStatus.SETTLED, CaseStatus.PAID, CaseStatus.RECALLED, CaseStatus.CLOSED)


@dataclass
class PaymentImport:
    posted: int = 0
    already_posted: int = 0
    suspense: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "posted": self.posted,
            "already_posted": self.already_posted,
            "suspense": self.suspense,
            "rejected": len({e["row"] for e in self.errors}),
            "errors": self.errors,
        }


def payments_import(
    *, actor: User | None, organisation: Organisation, data: bytes, filename: str
) -> PaymentImport:
    """``actor`` None is the console; otherwise finance (or a manager) of ``organisation``."""
    if actor is not None and (
        not can(actor.role, "post_payments") or actor.organisation_id != organisation.pk
    ):
        raise PermissionDenied(_("Your role may not post payments."))
    parsed = parse(data, filename)
    result = PaymentImport(
        errors=[{"row": e.row, "column": e.column, "code": e.code, "reason": e.reason} for e in parsed.errors]
    )
    # Everything the rows are matched against is read up front in a few queries, not row by row.
    references = [row.reference for row in parsed.rows]
    posted = set(
        Payment.objects.filter(organisation=organisation, reference__in=references).values_list(
            "reference", flat=True
        )
    )
    waiting = set(
        SuspenseItem.objects.filter(organisation=organisation, reference__in=references).values_list(
            "reference", flat=True
        )
    )
    match = _Matcher(organisation, parsed.rows)
    suspense: list[SuspenseItem] = []
    touched: list[int] = []
    for row in parsed.rows:
        if row.reference in posted:
            result.already_posted += 1
            continue
        if row.reference in waiting:
            result.suspense += 1
            continue
        cases = match(row)
        if len(cases) == 1:
            try:
                payment_post(
                    actor=actor, case=cases[0], amount=row.amount, paid_on=row.paid_on, channel=row.channel,
                    reference=row.reference, refresh=False,
                )  # fmt: skip
            except ValidationError as exc:  # e.g. dated in the future: reported with its row, not posted
                for column, messages in exc.message_dict.items():
                    result.errors.append({"row": row.row, "column": column, "reason": " ".join(messages)})
                continue
            touched.append(cases[0].pk)
            posted.add(row.reference)
            result.posted += 1
            continue
        reason = "没有匹配的案件 / no matching case" if not cases else "匹配到多个案件 / several cases match"
        suspense.append(
            SuspenseItem(
                organisation=organisation,
                filename=filename[:255],
                row=row.row,
                reference=row.reference,
                amount=row.amount,
                paid_on=row.paid_on,
                channel=row.channel,
                account_number=row.account_number or "",
                id_masked=mask_id_number(row.id_number) if row.id_number else "",
                reason=reason,
            )
        )
        waiting.add(row.reference)
        result.suspense += 1
    SuspenseItem.objects.bulk_create(suspense)
    if touched:  # every case a payment changed is re-evaluated at once, together
        from arrears.batch.run import refresh_quietly

        refresh_quietly(touched)
    return result


class _Matcher:
    """The open cases of the organisation the file's rows can name, by account and by ID number."""

    def __init__(self, organisation: Organisation, rows: list[PaymentRow]) -> None:
        open_cases = Case.objects.filter(organisation=organisation).exclude(status__in=CLOSED)
        accounts = {r.account_number for r in rows if r.account_number}
        hashes = {crypto.keyed_hash(r.id_number) for r in rows if r.id_number}
        self.by_account: dict[str, list[Case]] = defaultdict(list)
        self.by_hash: dict[str, list[Case]] = defaultdict(list)
        for case in open_cases.filter(account_number__in=accounts):
            self.by_account[case.account_number].append(case)
        for case in open_cases.filter(debtor__id_hash__in=hashes).select_related("debtor"):
            self.by_hash[case.debtor.id_hash].append(case)

    def __call__(self, row: PaymentRow) -> list[Case]:
        if row.account_number and self.by_account.get(row.account_number):
            return self.by_account[row.account_number]
        if row.id_number:
            return self.by_hash.get(crypto.keyed_hash(row.id_number), [])
        return []


def suspense_resolve(*, actor: User, item: SuspenseItem, case: Case) -> Payment:
    """Post a suspense item's payment to ``case`` (chosen by finance) and close the item."""
    if not can(actor.role, "post_payments") or case.organisation_id != item.organisation_id:
        raise PermissionDenied(_("Your role may not post payments."))
    with transaction.atomic():
        item = SuspenseItem.objects.select_for_update().get(pk=item.pk)
        if item.status != SuspenseItem.Status.OPEN:
            raise PermissionDenied(_("This item is already resolved."))
        posted = payment_post(
            actor=actor,
            case=case,
            amount=item.amount,
            paid_on=item.paid_on,
            channel=item.channel,
            reference=item.reference,
        )
        item.status = SuspenseItem.Status.RESOLVED
        item.payment = posted.payment
        item.resolved_by = actor
        item.resolved_at = timezone.now()
        item.save(update_fields=["status", "payment", "resolved_by", "resolved_at"])
    return posted.payment
