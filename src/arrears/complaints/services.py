"""Opening and resolving disputes; an open dispute holds collection on the case."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from arrears.accounts.models import User
from arrears.cases import events
from arrears.cases.models import Case, CaseStatus
from arrears.complaints.models import Dispute
from arrears.core.roles import can


def _refresh(case_id: int) -> None:
    """The case's treatment follows at once: a dispute puts it on hold, its end takes the hold off."""
    from arrears.batch.run import refresh_quietly

    refresh_quietly([case_id])


def dispute_open(*, actor: User, case: Case, reason: str) -> Dispute:
    """Record the debtor's dispute on ``case`` (already in the actor's scope); collection pauses.

    The case's status before the dispute is kept, and comes back when the last open dispute is
    resolved (a plan stays a plan). A finished case (paid, settled, recalled) keeps its status.
    """
    if not can(actor.role, "contact_debtors"):
        raise PermissionDenied(_("Your role may not record disputes."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say what the debtor disputes.")})
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        dispute = Dispute.objects.create(
            case=locked, opened_at=timezone.now(), opened_by=actor, reason=reason, status_before=locked.status
        )
        if locked.status not in FINISHED:
            Case.objects.filter(pk=locked.pk).update(status=CaseStatus.DISPUTED)
        events.record(locked, "dispute.opened", actor=actor, dispute=dispute.pk, reason=reason)
        _refresh(locked.pk)
    return dispute


FINISHED = (CaseStatus.PAID, CaseStatus.SETTLED, CaseStatus.RECALLED, CaseStatus.CLOSED)


def _resumed(before: str | None) -> str:
    """The status a case goes back to after its disputes: the one it had, as long as that still
    means something (a promise made before the dispute has since been settled by the run)."""
    if before in (CaseStatus.PLAN, CaseStatus.LOST_CONTACT, CaseStatus.BROKEN_PROMISE):
        return before
    return CaseStatus.IN_PROGRESS


def dispute_resolve(*, actor: User, dispute: Dispute, upheld: bool, resolution: str) -> Dispute:
    """Close a dispute after review. The case goes back to work when no other dispute is open.

    An upheld dispute corrects the debt through the ledger (an adjustment or a waiver, recorded
    separately), so this service changes no amount.
    """
    if not can(actor.role, "resolve_disputes"):
        raise PermissionDenied(_("Your role may not resolve disputes."))
    if not resolution.strip():
        raise ValidationError({"resolution": _("Say how the dispute was resolved.")})
    if dispute.opened_by_id == actor.pk:
        raise PermissionDenied(_("A dispute is resolved by someone other than who recorded it."))
    with transaction.atomic():
        dispute = Dispute.objects.select_for_update().select_related("case").get(pk=dispute.pk)
        if dispute.status != Dispute.Status.OPEN:
            raise ValidationError(_("This dispute is already resolved."))
        dispute.status = Dispute.Status.UPHELD if upheld else Dispute.Status.REJECTED
        dispute.resolution = resolution.strip()
        dispute.resolved_at, dispute.resolved_by = timezone.now(), actor
        dispute.save(update_fields=["status", "resolved_at", "resolved_by", "resolution"])
        case = dispute.case
        if not Dispute.objects.filter(case=case, status=Dispute.Status.OPEN).exists():
            # The status before this run of disputes (one opened during another saw "disputed").
            earlier = Dispute.objects.filter(case=case).exclude(status_before=CaseStatus.DISPUTED)
            before = earlier.order_by("-opened_at", "-pk").values_list("status_before", flat=True).first()
            restored = _resumed(before)
            Case.objects.filter(pk=case.pk, status=CaseStatus.DISPUTED).update(status=restored)
        events.record(
            case, f"dispute.{dispute.status}", actor=actor, dispute=dispute.pk, resolution=dispute.resolution
        )
        _refresh(case.pk)
    return dispute
