"""Field-visit pages: the team lead's desk, the agent's phone page of the day, one visit's page.

Every page reads through ``visits.selectors`` (scoped), every form posts to one service; a refused
step shows the visit page again with the reason beside the field and everything typed kept.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from arrears.cases import selectors as case_selectors
from arrears.cases.models import Case
from arrears.core.access import restrict
from arrears.core.roles import can
from arrears.visits import selectors, services
from arrears.visits.flow import Status
from arrears.visits.forms import (
    CancelForm,
    CheckInForm,
    DecideForm,
    EvidenceForm,
    ReportForm,
    RequestForm,
    ScheduleForm,
)
from arrears.visits.policy import visit_policy


def _show(form: forms.Form, exc: ValidationError | PermissionDenied) -> None:
    """Put a service's refusal on the form: beside its field when it names one, above it otherwise."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, list(getattr(exc, "messages", [str(exc)])))


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Field agents start on their day; everyone else on the desk of visit requests."""
    if can(request.user.role, "make_visits"):
        return redirect("visits:today")
    return redirect("visits:desk")


@login_required
def desk(request: HttpRequest) -> HttpResponse:
    if not (can(request.user.role, "approve_visits") or can(request.user.role, "request_visits")):
        raise PermissionDenied(_("Your role has no field-visit desk."))
    context = {"groups": selectors.to_decide(request.user), "recent": selectors.recent(request.user)}
    return render(request, "visits/desk.html", context)


@login_required
def today(request: HttpRequest) -> HttpResponse:
    """The field agent's phone page: today's visits, grouped by district, in time order."""
    day = timezone.localdate()
    groups = selectors.my_day(request.user, day=day)
    return render(request, "visits/today.html", {"groups": groups, "day": day})


@login_required
def request_visit(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_selectors.case_or_404(user=request.user, pk=pk)
    addresses = selectors.known_addresses(case=case)
    form = RequestForm(request.POST or None, initial={"address": addresses[0] if addresses else ""})
    if request.method == "POST" and form.is_valid():
        try:
            visit = services.visit_request(actor=request.user, case=case, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            _show(form, exc)
        else:
            messages.success(request, _("Visit requested; your team lead decides on it."))
            return redirect("visits:detail", pk=visit.pk)
    context = {"case": case, "form": form, "addresses": addresses,
               "visits": selectors.case_visits(case=case, user=request.user)}  # fmt: skip
    return render(request, "visits/request.html", context, status=400 if form.errors else 200)


def _detail(request: HttpRequest, pk: int, status: int = 200, **bound: forms.Form) -> HttpResponse:
    visit = selectors.visit_or_404(user=request.user, pk=pk)
    user = request.user
    agents = list(visit.agents.all())
    is_agent = any(a.pk == user.pk for a in agents)
    policy = visit_policy(visit.case.creditor.profile())
    scheduled_local = timezone.localtime(visit.scheduled_for) if visit.scheduled_for else None
    context: dict[str, Any] = {
        "visit": visit,
        "agents": agents,
        "policy": policy,
        "evidence": list(visit.evidence.all()),
        "is_agent": is_agent,
        # An agent sees the visit, not the case's file: the link is shown only to those who may follow it.
        "case_visible": restrict(Case.objects.filter(pk=visit.case_id), user).exists(),
        "can_decide": can(user.role, "approve_visits") and visit.requested_by_id != user.pk,
        "can_staff": can(user.role, "approve_visits"),
        "can_cancel": visit.status in (Status.REQUESTED, Status.APPROVED, Status.SCHEDULED)
        and (visit.requested_by_id == user.pk or can(user.role, "approve_visits")),
        "decide_form": bound.get("decide_form") or DecideForm(),
        "schedule_form": bound.get("schedule_form")
        or ScheduleForm(
            organisation_id=visit.case.organisation_id,
            initial={
                "agents": agents,
                "district": visit.district,
                "scheduled_for": scheduled_local.strftime("%Y-%m-%dT%H:%M") if scheduled_local else "",
            },
        ),
        "check_in_form": bound.get("check_in_form") or CheckInForm(),
        "evidence_form": bound.get("evidence_form") or EvidenceForm(),
        "report_form": bound.get("report_form") or ReportForm(),
        "cancel_form": bound.get("cancel_form") or CancelForm(),
    }
    return render(request, "visits/detail.html", context, status=status)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, pk)


def _post(request: HttpRequest, pk: int, form_name: str, form: forms.Form, act) -> HttpResponse:
    """Validate ``form``, call ``act(visit, cleaned_data)``; on refusal show the page with the form."""
    visit = selectors.visit_or_404(user=request.user, pk=pk)
    if form.is_valid():
        try:
            message = act(visit, form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            _show(form, exc)
        else:
            messages.success(request, message)
            return redirect("visits:detail", pk=visit.pk)
    return _detail(request, pk, status=400, **{form_name: form})


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    approve = request.POST.get("approve") == "1"

    def act(visit, data):
        services.visit_decide(actor=request.user, visit=visit, approve=approve, note=data["note"])
        return _("Visit approved.") if approve else _("Visit rejected.")

    return _post(request, pk, "decide_form", DecideForm(request.POST), act)


@login_required
@require_POST
def schedule(request: HttpRequest, pk: int) -> HttpResponse:
    visit = selectors.visit_or_404(user=request.user, pk=pk)
    form = ScheduleForm(request.POST, organisation_id=visit.case.organisation_id)

    def act(visit, data):
        services.visit_schedule(actor=request.user, visit=visit, agents=list(data["agents"]),
                                scheduled_for=data["scheduled_for"], district=data["district"])  # fmt: skip
        return _("Visit scheduled; the agents see it on their day.")

    return _post(request, pk, "schedule_form", form, act)


@login_required
@require_POST
def check_in(request: HttpRequest, pk: int) -> HttpResponse:
    def act(visit, data):
        services.visit_check_in(actor=request.user, visit=visit, **data)
        return _("Checked in. Record the visit, then file the report.")

    return _post(request, pk, "check_in_form", CheckInForm(request.POST), act)


def _keep_files(request: HttpRequest, visit, files: list) -> list[str]:
    """Keep every valid file at once (each in its own transaction), so a refused report or one bad
    file loses none of the good ones; return the reasons of the files refused."""
    refused: list[str] = []
    for upload in files:
        try:
            services.visit_evidence_add(actor=request.user, visit=visit, upload=upload)
        except (ValidationError, PermissionDenied) as exc:
            refused += list(exc.messages)
    return refused


@login_required
@require_POST
def evidence(request: HttpRequest, pk: int) -> HttpResponse:
    form = EvidenceForm(request.POST, request.FILES)

    def act(visit, data):
        if not data["files"]:
            raise ValidationError({"files": [_("Choose a recording or a photo.")]})
        refused = _keep_files(request, visit, data["files"])
        if refused:
            raise ValidationError({"files": refused})
        return _("%(n)d file(s) kept.") % {"n": len(data["files"])}

    return _post(request, pk, "evidence_form", form, act)


@login_required
@require_POST
def report(request: HttpRequest, pk: int) -> HttpResponse:
    form = ReportForm(request.POST, request.FILES)

    def act(visit, data):
        refused = _keep_files(request, visit, data.pop("files"))
        if refused:
            raise ValidationError({"files": refused})
        services.visit_report(actor=request.user, visit=visit, report=services.VisitReport(
            met=data["met"], finding=data["finding"], notes=data["notes"], entered=data["entered"],
            relationship=data["relationship"], promise_amount=data["promise_amount"],
            promise_due=data["promise_due"], new_phone=data["new_phone"], new_address=data["new_address"],
        ))  # fmt: skip
        return _("Report filed; the case is updated.")

    return _post(request, pk, "report_form", form, act)


@login_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    def act(visit, data):
        services.visit_close(actor=request.user, visit=visit)
        return _("Visit closed.")

    return _post(request, pk, "decide_form", DecideForm(request.POST), act)


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    def act(visit, data):
        services.visit_cancel(actor=request.user, visit=visit, reason=data["reason"])
        return _("Visit cancelled.")

    return _post(request, pk, "cancel_form", CancelForm(request.POST), act)


@login_required
def evidence_file(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.evidence_or_404(user=request.user, pk=pk)
    return FileResponse(item.file.open("rb"), filename=item.file.name.rsplit("/", 1)[-1])
