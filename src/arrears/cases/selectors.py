"""Reads of cases shared by the UI and the API, always through the access choke point."""

from __future__ import annotations

import contextlib
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from arrears.cases.models import Case, CaseEvent
from arrears.core import crypto
from arrears.core.access import restrict
from arrears.debtors.idnumber import IdNumberError, parse
from arrears.debtors.models import ContactPoint
from arrears.intake.normalize import phone as parse_phone

_LAST4 = re.compile(r"^\d{3}[\dX]$")


@dataclass(frozen=True, slots=True)
class CaseFilters:
    q: str = ""
    bucket: str = ""
    status: str = ""
    collector: int | None = None
    creditor: int | None = None
    placement: int | None = None
    unassigned: bool = False


def _search_q(text: str) -> Q:
    """One search box for what collectors have in hand: a name, an ID number or its last four
    characters, a phone number, or an account number."""
    text = unicodedata.normalize("NFKC", text).strip().replace(" ", "").upper()
    if not text:
        return Q()
    q = Q(account_number=text)
    if len(text) == 18:
        with contextlib.suppress(IdNumberError):
            q |= Q(debtor__id_hash=crypto.keyed_hash(parse(text).value))
    if _LAST4.match(text):
        q |= Q(debtor__id_last4=text)
    phone = parse_phone(text) if sum(ch.isdigit() for ch in text) >= 7 else None
    if phone is not None and phone.e164:
        q |= Q(debtor__in=ContactPoint.objects.filter(value=phone.e164).values("debtor_id"))
    if not text.isdigit():
        q |= Q(debtor__name__contains=text)
    return q


def case_list(*, user: Any, filters: CaseFilters) -> QuerySet[Case]:
    qs = restrict(Case.objects.all(), user)
    if filters.q:
        qs = qs.filter(_search_q(filters.q))
    if filters.bucket:
        qs = qs.filter(bucket=filters.bucket)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.collector:
        qs = qs.filter(assigned_to_id=filters.collector)
    if filters.creditor:
        qs = qs.filter(creditor_id=filters.creditor)
    if filters.placement:
        qs = qs.filter(placement_id=filters.placement)
    if filters.unassigned:
        qs = qs.filter(assigned_to__isnull=True)
    return qs.select_related("debtor", "creditor", "placement", "assigned_to").order_by("-total", "pk")


def case_detail(*, user: Any, pk: int) -> Case:
    """The case with what its page shows, or Case.DoesNotExist when it is out of scope."""
    return (
        restrict(Case.objects.all(), user)
        .select_related("debtor", "creditor", "placement", "assigned_to", "team", "organisation")
        .prefetch_related(
            Prefetch(
                "debtor__contact_points",
                queryset=ContactPoint.objects.select_related("person").order_by("person_id", "pk"),
            ),
        )
        .get(pk=pk)
    )


def case_or_404(*, user: Any, pk: int) -> Case:
    """:func:`case_detail` for views: a case out of scope is simply not found."""
    try:
        return case_detail(user=user, pk=pk)
    except Case.DoesNotExist:
        raise Http404(_("No such case.")) from None


def phone_or_404(*, user: Any, case: Case, point_id: str) -> ContactPoint:
    """A phone number (not an e-mail address) of the case's debtor, named by a posted id."""
    points = restrict(ContactPoint.objects.filter(debtor_id=case.debtor_id), user).exclude(
        kind=ContactPoint.Kind.EMAIL
    )
    point = points.filter(pk=int(point_id)).first() if point_id.isdigit() else None
    if point is None:
        raise Http404(_("No such number."))
    return point


def case_events(*, case: Case, limit: int = 100) -> list[CaseEvent]:
    """The latest events of a case already fetched through :func:`case_detail`."""
    return list(CaseEvent.objects.filter(case=case).select_related("actor").order_by("-at", "-pk")[:limit])


def case_history(*, case: Case, limit: int = 20) -> dict[str, list[Any]]:
    """The latest contact records, promises and payments of a case already in scope."""
    from arrears.contacts.models import ContactRecord
    from arrears.payments.models import LedgerEntry, Payment, Promise

    return {
        "contact_records": list(
            ContactRecord.objects.filter(case=case).select_related("collector").order_by("-at", "-pk")[:limit]
        ),
        "promises": list(Promise.objects.filter(case=case).order_by("-made_at", "-pk")[:limit]),
        "payments": list(Payment.objects.filter(case=case).order_by("-paid_on", "-pk")[:limit]),
        # The ledger in date order, so a collector can walk the debtor through how the balance arose.
        "ledger": list(LedgerEntry.objects.filter(case=case).order_by("on", "pk")[: limit * 5]),
    }
