"""Issuing documents for a case: the facts come from the ledger, the layout from the pure modules."""

from __future__ import annotations

import hashlib
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from arrears.accounts.models import User
from arrears.cases import events
from arrears.cases.models import Case, CaseStatus
from arrears.core.money import ZERO
from arrears.core.roles import can
from arrears.documents.certificate import settlement_certificate
from arrears.documents.fonts import faces
from arrears.documents.layout import render
from arrears.documents.models import Document
from arrears.payments.models import LedgerEntry

PAID_KINDS = (LedgerEntry.Kind.PAYMENT, LedgerEntry.Kind.REVERSAL)


def settlement_facts(case: Case) -> dict[str, object]:
    """What the certificate states, read off the ledger: everything charged, paid and forgiven."""
    entries = LedgerEntry.objects.filter(case=case)
    sums = entries.aggregate(
        paid=Sum("amount", filter=Q(kind__in=PAID_KINDS)),
        waived=Sum("amount", filter=Q(kind=LedgerEntry.Kind.WAIVER)),
        charged=Sum("amount", filter=~Q(kind__in=(*PAID_KINDS, LedgerEntry.Kind.WAIVER))),
        last=Max("on", filter=Q(kind__in=(*PAID_KINDS, LedgerEntry.Kind.WAIVER))),
    )
    money = {k: Decimal(sums[k] or ZERO).quantize(Decimal("0.01")) for k in ("paid", "waived", "charged")}
    return {
        "debtor_name": case.debtor.name,
        "id_masked": case.debtor.id_masked,
        "creditor": case.creditor.name,
        "product": case.product or case.placement.get_product_type_display(),
        "account_tail": case.account_number[-4:],
        "settled_on": sums["last"],
        "charged": money["charged"],
        "paid": -money["paid"],
        "waived": -money["waived"],
        "agency": case.organisation.name,
    }


def certificate_issue(*, actor: User, case: Case) -> Document:
    """The settlement certificate of a cleared case, issued once: asking again returns the same one."""
    if not can(actor.role, "issue_certificates"):
        raise PermissionDenied(_("Your role may not issue certificates."))
    kind = Document.Kind.SETTLEMENT_CERTIFICATE
    with transaction.atomic():
        case = Case.objects.select_for_update(of=("self",)).select_related(
            "debtor", "creditor", "placement", "organisation"
        ).get(pk=case.pk)
        # Checked every time, also for a certificate issued before: a reversed payment can make the
        # case owe again, and then no certificate may be handed out.
        if case.status not in (CaseStatus.SETTLED, CaseStatus.PAID) or case.total != ZERO:
            raise ValidationError(_("A certificate is issued only when nothing is owed on the case."))
        existing = Document.objects.filter(case=case, kind=kind).first()
        if existing is not None:
            return existing
        today = timezone.localdate()
        number = f"JQ-{case.creditor.code}-{today:%Y%m%d}-{case.pk:06d}"
        pdf = render(settlement_certificate(settlement_facts(case), number=number, issued_on=today),
                     faces(settings.PDF_FONT_DIR))  # fmt: skip
        document = Document(
            case=case, kind=kind, number=number, issued_at=timezone.now(), issued_by=actor,
            sha256=hashlib.sha256(pdf).hexdigest(),
        )  # fmt: skip
        document.file.save(f"{number}.pdf", ContentFile(pdf), save=False)
        document.save()
        events.record(
            case, "document.issued", actor=actor, document=kind, number=number, sha256=document.sha256
        )
    return document
