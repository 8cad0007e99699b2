"""Reads of field visits, always through the access choke point (``restrict``).

Who sees a visit: whoever sees its case (the requester, the team lead, management), and the field
agents sent on it, who otherwise see none of the case's work.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from arrears.core.access import case_q, restrict
from arrears.visits.flow import ADDRESS_FINDINGS, Status
from arrears.visits.models import Visit, VisitEvidence


def visit_q(user: Any, prefix: str = "") -> Q:
    """The visits ``user`` may see, as a Q on ``prefix`` (``"visit__"`` from the evidence)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active or not user.role:
        return Q(pk__in=[])
    if user.organisation_id is None:
        return Q(pk__in=[])
    sent = Q(**{f"{prefix}agents": user.pk, f"{prefix}case__organisation_id": user.organisation_id})
    return case_q(user, f"{prefix}case__") | sent


def visits(user: Any) -> QuerySet[Visit]:
    return restrict(Visit.objects.all(), user).select_related(
        "case__debtor", "case__creditor", "case__assigned_to", "requested_by", "decided_by", "checked_in_by"
    )


def visit_or_404(*, user: Any, pk: int) -> Visit:
    visit = visits(user).filter(pk=pk).first()
    if visit is None:
        raise Http404(_("No such visit."))
    return visit


def evidence_or_404(*, user: Any, pk: int) -> VisitEvidence:
    found = restrict(VisitEvidence.objects.all(), user).filter(pk=pk).first()
    if found is None:
        raise Http404(_("No such file."))
    return found


def to_decide(user: Any) -> dict[str, list[Visit]]:
    """The team lead's desk: requests to decide, approved visits to staff, and what is under way."""
    qs = visits(user).prefetch_related("agents").order_by("scheduled_for", "requested_at", "pk")
    groups: dict[str, list[Visit]] = {"requested": [], "approved": [], "scheduled": [], "reported": []}
    for visit in qs.filter(status__in=[Status.REQUESTED, Status.APPROVED, Status.SCHEDULED,
                                       Status.CHECKED_IN, Status.REPORTED]):  # fmt: skip
        key = "scheduled" if visit.status == Status.CHECKED_IN else visit.status
        groups[key].append(visit)
    return groups


def recent(user: Any, limit: int = 30) -> list[Visit]:
    """Finished visits, newest first (closed, rejected, cancelled)."""
    done = [Status.CLOSED, Status.REJECTED, Status.CANCELLED]
    return list(visits(user).filter(status__in=done).order_by("-requested_at", "-pk")[:limit])


def my_day(user: Any, *, day: dt.date) -> OrderedDict[str, list[Visit]]:
    """A field agent's visits of ``day`` (local), grouped by district, each group in time order."""
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(day, dt.time(0), tzinfo=tz)
    qs = (
        visits(user)
        .filter(agents=user, scheduled_for__gte=start, scheduled_for__lt=start + dt.timedelta(days=1))
        .filter(status__in=[Status.SCHEDULED, Status.CHECKED_IN, Status.REPORTED, Status.CLOSED])
        .prefetch_related("agents", "evidence")
        .order_by("district", "scheduled_for", "pk")
    )
    grouped: OrderedDict[str, list[Visit]] = OrderedDict()
    for visit in qs:
        grouped.setdefault(visit.district or "", []).append(visit)
    return grouped


def case_visits(*, case: Any, user: Any) -> list[Visit]:
    """The visits of a case already fetched in scope."""
    return list(visits(user).filter(case=case).order_by("-requested_at", "-pk"))


def flagged_addresses(*, debtor_id: int) -> dict[str, str]:
    """Addresses a visit found wanting (moved away, invalid) for this debtor: address -> finding.

    Read without a user scope on purpose: the services use it to stop a new visit to an address
    already found wrong, whoever requested the earlier visit.
    """
    rows = (
        Visit.objects.filter(case__debtor_id=debtor_id, finding__in=[f.value for f in ADDRESS_FINDINGS])
        .order_by("reported_at", "pk")
        .values_list("address", "finding")
    )
    return {normal_address(address): finding for address, finding in rows}


def known_addresses(*, case: Any) -> list[str]:
    """Addresses to offer for a new visit: the debtor's on file, then new ones reported by visits."""
    debtor = case.debtor
    found = [a for a in (debtor.home_address, debtor.work_address) if a]
    reported = Visit.objects.filter(case__debtor_id=debtor.pk).exclude(new_address="")
    found += list(reported.order_by("-reported_at").values_list("new_address", flat=True))
    flagged = flagged_addresses(debtor_id=debtor.pk)
    return [a for a in dict.fromkeys(found) if normal_address(a) not in flagged]


def normal_address(address: str) -> str:
    """An address compared without spaces, so "建国路 88 号" and "建国路88号" are one place."""
    return "".join(address.split())
