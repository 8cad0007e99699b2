"""Upload a creditor file, see the result, download the rejected rows."""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from arrears.core.access import restrict
from arrears.core.roles import can
from arrears.intake.forms import UploadForm
from arrears.intake.models import ImportBatch
from arrears.intake.services import ImportRefused, cases_import, stored_file


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    if not can(request.user.role, "import_cases"):
        return HttpResponse(_("Not permitted"), status=403)
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    refused = None
    if request.method == "POST" and form.is_valid():
        placement = form.cleaned_data["placement"]
        mapping = form.cleaned_data["mapping"]
        upload_file = form.cleaned_data["file"]
        try:
            result = cases_import(
                actor=request.user,
                creditor=placement.creditor,
                placement=placement,
                data=upload_file.read(),
                filename=upload_file.name,
                business_date=form.cleaned_data["business_date"],
                mapping=mapping.mapping if mapping else None,
            )
        except ImportRefused as exc:
            refused = exc
        except PermissionDenied:
            return HttpResponse(_("Not permitted"), status=403)
        else:
            return redirect("intake:detail", pk=result.batch.pk)
    batches = restrict(
        ImportBatch.objects.select_related("placement", "creditor", "uploaded_by"), request.user
    )[:20]
    return render(request, "intake/upload.html", {"form": form, "batches": batches, "refused": refused})


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(
        restrict(ImportBatch.objects.select_related("placement", "creditor"), request.user), pk=pk
    )
    return render(request, "intake/detail.html", {"batch": batch})


@login_required
def download(request: HttpRequest, pk: int, which: str) -> FileResponse:
    batch = get_object_or_404(restrict(ImportBatch.objects.all(), request.user), pk=pk)
    stored = {"original": batch.file, "rejected": batch.error_file}.get(which)
    if not stored:
        raise Http404
    name = batch.filename if which == "original" else stored.name.rsplit("/", 1)[-1].removesuffix(".enc")
    return FileResponse(io.BytesIO(stored_file(stored)), as_attachment=True, filename=name)
