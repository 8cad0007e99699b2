"""Writes on cases: assignment, the next follow-up, the debtor-type tag, and the recorded reveal of
personal data.

Each service is keyword-only, runs in one transaction, and writes its case events and change-log
rows inside that transaction, so a change and its record stand or fall together.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from arrears.accounts.models import Team, User
from arrears.cases import events
from arrears.cases.models import Case, DebtorType, RevealLog
from arrears.core import audit
from arrears.core.audit import request_id
from arrears.core.roles import Role, can
from arrears.debtors.models import ContactPoint


def _check_can_assign(actor: User, case: Case, collector: User | None) -> None:
    if not can(actor.role, "assign_cases"):
        raise PermissionDenied(_("Your role may not assign cases."))
    if collector is None:
        return
    if collector.organisation_id != case.organisation_id or collector.role not in (
        Role.COLLECTOR,
        Role.FIELD_AGENT,
    ):
        raise ValidationError(
            _("Cases can only be assigned to collectors of the organisation handling them.")
        )
    if actor.role == Role.TEAM_LEAD and collector.team_id != actor.team_id:
        raise ValidationError(_("A team lead can only assign cases to collectors of their own team."))


def case_assign(*, case: Case, collector: User | None, actor: User) -> Case:
    """Assign ``case`` to ``collector`` (or unassign with None), recording who did it."""
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        _check_can_assign(actor, case, collector)
        before = audit.snapshot(case)
        previous = case.assigned_to_id
        case.assigned_to = collector
        case.team_id = collector.team_id if collector else case.team_id
        case.save(update_fields=["assigned_to", "team", "updated_at"])
        audit.log_update(case, before, user=actor)
        events.record(
            case,
            "case.assigned",
            actor=actor,
            previous=previous,
            collector=collector.pk if collector else None,
            collector_name=str(collector) if collector else "",
        )
    return case


def case_distribute(*, cases: Sequence[Case], team: Team, actor: User) -> dict[int, int]:
    """Spread ``cases`` evenly over the team's active collectors, largest balances first.

    Balances are dealt round-robin in descending order, so every collector gets a similar count
    *and* a similar share of the money. Returns {collector id: number of cases given}.
    """
    collectors = list(User.objects.filter(team=team, role=Role.COLLECTOR, is_active=True).order_by("pk"))
    if not collectors:
        raise ValidationError(_("The team has no active collectors."))
    counts = {c.pk: 0 for c in collectors}
    with transaction.atomic():
        locked = _locked(cases)
        pairs = [(case, collectors[index % len(collectors)]) for index, case in enumerate(locked)]
        _assign_all(pairs, team=team, actor=actor, how="distribute")
    for _case, collector in pairs:
        counts[collector.pk] += 1
    return counts


def cases_reassign(*, cases: Sequence[Case], collector: User, actor: User) -> int:
    """Move ``cases`` to ``collector`` (a team lead steering the team's work); returns how many."""
    with transaction.atomic():
        locked = _locked(cases)
        _assign_all([(case, collector) for case in locked], team=collector.team, actor=actor, how="reassign")
    return len(locked)


def _locked(cases: Sequence[Case]) -> list[Case]:
    ids = [c.pk for c in cases]
    return list(Case.objects.select_for_update().filter(pk__in=ids).order_by("-total", "pk"))


def _assign_all(pairs: list[tuple[Case, User]], *, team: Team | None, actor: User, how: str) -> None:
    """Assign each case of ``pairs`` to its collector in bulk, with change log and case events."""
    updated, new_events = [], []
    for case, collector in pairs:
        _check_can_assign(actor, case, collector)
        before = audit.snapshot(case)
        event = events.event(
            case, "case.assigned", actor=actor, previous=case.assigned_to_id, collector=collector.pk,
            collector_name=str(collector), how=how,
        )  # fmt: skip
        new_events.append(event)
        case.assigned_to = collector
        case.team = team or case.team
        case.updated_at = timezone.now()
        updated.append((case, before))
    Case.objects.bulk_update([c for c, _b in updated], ["assigned_to", "team", "updated_at"], batch_size=1000)
    audit.log_bulk(updated=updated, user=actor)
    events.record_many(new_events)


def case_follow_up_set(*, actor: User | None, case: Case, at: dt.datetime, reason: str = "") -> None:
    """Set when the case is next worked; the queue orders itself by it. ``actor`` None is the system."""
    if actor is not None and not can(actor.role, "contact_debtors"):
        raise PermissionDenied(_("Your role may not plan the work on cases."))
    with transaction.atomic():
        Case.objects.filter(pk=case.pk).update(next_follow_up=at)
        events.record(case, "case.follow_up", actor=actor, at=at.isoformat(), reason=reason)


def case_tag(*, actor: User, case: Case, debtor_type: str) -> None:
    """The collector's reading of the debtor (债务人类型), which picks the scripts that fit."""
    if not can(actor.role, "contact_debtors"):
        raise PermissionDenied(_("Your role may not plan the work on cases."))
    if debtor_type and debtor_type not in DebtorType.values:
        raise ValidationError({"debtor_type": _("Choose a debtor type from the list.")})
    with transaction.atomic():
        Case.objects.filter(pk=case.pk).update(debtor_type=debtor_type)
        events.record(case, "case.tagged", actor=actor, previous=case.debtor_type, debtor_type=debtor_type)


def debtor_reveal(*, user: User, case: Case, field: str, contact_point: ContactPoint | None = None) -> str:
    """The clear value of a masked field, recorded in the reveal log. ``case`` must be in scope."""
    capability = {"id_number": "reveal_id_number", "phone": "reveal_phone"}[field]
    if not can(user.role, capability):
        raise PermissionDenied(_("Your role may not see this in clear."))
    if field == "id_number":
        value = case.debtor.reveal_id_number()
        target = ""
    else:
        if contact_point is None or contact_point.debtor_id != case.debtor_id:
            raise PermissionDenied(_("That number does not belong to this case."))
        value, target = contact_point.value, str(contact_point.pk)
    with transaction.atomic():
        RevealLog.objects.create(
            user=user, case=case, field=field, target=target, at=timezone.now(), request_id=request_id()
        )
        events.record(case, "pii.revealed", actor=user, field=field, target=target)
    return value
