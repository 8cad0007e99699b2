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


def dispute_open(*, actor: User, case: Case, reason: str) -> Dispute:
    """Record the debtor's dispute on ``case`` (already in the actor's scope); collection pauses."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say what the debtor disputes.")})
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        dispute = Dispute.objects.create(
            case=locked, opened_at=timezone.now(), opened_by=actor, reason=reason
        )
        Case.objects.filter(pk=locked.pk).update(status=CaseStatus.DISPUTED)
        events.record(locked, "dispute.opened", actor=actor, dispute=dispute.pk, reason=reason)
    return dispute


def dispute_resolve(*, actor: User, dispute: Dispute, upheld: bool, resolution: str) -> Dispute:
    """Close a dispute after review. The case goes back to work when no other dispute is open.

    An upheld dispute corrects the debt through the ledger (an adjustment or a waiver, recorded
    separately), so this service changes no amount.
    """
    if not can(actor.role, "resolve_disputes"):
        raise PermissionDenied(_("Your role may not resolve disputes."))
    if not resolution.strip():
        raise ValidationError({"resolution": _("Say how the dispute was resolved.")})
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
            Case.objects.filter(pk=case.pk, status=CaseStatus.DISPUTED).update(status=CaseStatus.IN_PROGRESS)
        events.record(
            case, f"dispute.{dispute.status}", actor=actor, dispute=dispute.pk, resolution=dispute.resolution
        )
    return dispute
