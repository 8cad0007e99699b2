"""Issuing and reading a case's documents."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from arrears.cases import selectors
from arrears.core.access import restrict
from arrears.documents.fonts import FontMissing
from arrears.documents.models import Document
from arrears.documents.services import certificate_issue


@login_required
@require_POST
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_or_404(user=request.user, pk=pk)
    try:
        document = certificate_issue(actor=request.user, case=case)
    except (PermissionDenied, ValidationError, FontMissing) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect("cases:detail", pk=case.pk)
    return redirect("documents:file", pk=document.pk)


@login_required
def file(request: HttpRequest, pk: int) -> HttpResponse:
    document = restrict(Document.objects.all(), request.user).filter(pk=pk).first()
    if document is None:
        raise Http404(_("No such document."))
    name = f"{document.number}.pdf"
    return FileResponse(document.file.open("rb"), content_type="application/pdf", filename=name)
