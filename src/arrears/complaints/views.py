"""Resolving a dispute from the case page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from arrears.complaints.models import Dispute
from arrears.complaints.services import dispute_resolve
from arrears.core.access import restrict


@login_required
@require_POST
def resolve(request: HttpRequest, pk: int) -> HttpResponse:
    dispute = restrict(Dispute.objects.all(), request.user).filter(pk=pk).first()
    if dispute is None:
        raise Http404(_("No such dispute."))
    try:
        dispute_resolve(
            actor=request.user, dispute=dispute, upheld=request.POST.get("upheld") == "1",
            resolution=request.POST.get("resolution", ""),
        )  # fmt: skip
        messages.success(request, _("Dispute resolved."))
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    return redirect("cases:detail", pk=dispute.case_id)
