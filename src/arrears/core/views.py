"""The change log, read-only, for auditors, QA and administrators."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from arrears.core.access import restrict
from arrears.core.models import ChangeLog
from arrears.core.roles import can


@login_required
def changelog(request: HttpRequest) -> HttpResponse:
    if not can(request.user.role, "view_audit"):
        return HttpResponse(_("Not permitted"), status=403)
    entries = restrict(ChangeLog.objects.select_related("user"), request.user)
    if model := request.GET.get("model"):
        entries = entries.filter(model=model)
    page = Paginator(entries.order_by("-at", "-pk"), 50).get_page(request.GET.get("page"))
    return render(request, "core/changelog.html", {"page": page})
