"""Case pages: the searchable list, the case page, reveals and assignment.

Every case is fetched through the selectors, which go through the access choke point; a case out of
scope is "not found" (404), never "forbidden", so a URL does not confirm that a case exists.
"""

from __future__ import annotations

import dataclasses

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from arrears.cases import selectors, services
from arrears.cases.forms import AssignForm, CaseFilterForm, DistributeForm
from arrears.cases.models import Case
from arrears.contacts.models import ContactRecord
from arrears.contacts.services import contact_attempt
from arrears.core.access import restrict
from arrears.core.roles import can
from arrears.payments.forms import PaymentForm, PlanForm, PromiseForm, WaiverRequestForm
from arrears.workbench import selectors as workbench
from arrears.workbench.forms import FollowUpForm, OutcomeForm, TagForm
from arrears.workbench.services import outcome_record
from arrears.workbench.views import script_context

PAGE_SIZE = 50


def _case_or_404(request: HttpRequest, pk: int) -> Case:
    return selectors.case_or_404(user=request.user, pk=pk)


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    form = CaseFilterForm(request.GET or None, user=request.user)
    cases = selectors.case_list(user=request.user, filters=form.filters())
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "distribute_form": DistributeForm(user=request.user)
        if can(request.user.role, "assign_cases")
        else None,
    }
    template = "cases/_table.html" if request.headers.get("HX-Request") else "cases/list.html"
    return render(request, template, context)


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    points = list(case.debtor.contact_points.all())
    key = workbench.key_facts(case=case)
    context = {
        "case": case,
        "key": key,
        "tag_form": TagForm(initial={"debtor_type": case.debtor_type}),
        "follow_up_form": FollowUpForm(initial={"at": case.next_follow_up}),
        "can_resolve_disputes": can(request.user.role, "resolve_disputes"),
        **script_context(request, case, stage=key.stage),
        "own_points": [p for p in points if p.person_id is None],
        "contact_points": [p for p in points if p.person_id is not None],
        "events": selectors.case_events(case=case),
        "documents": case.documents.select_related("issued_by")[:20],
        **selectors.case_history(case=case),
        "promise_form": PromiseForm(),
        "payment_form": PaymentForm(),
        "waiver_form": WaiverRequestForm(),
        "plan_form": PlanForm(),
        "plan": case.plans.prefetch_related("instalments").order_by("-requested_at").first(),
        "waivers": case.waivers.select_related("requested_by", "decided_by").order_by("-requested_at")[:10],
        "can_reveal_id": can(request.user.role, "reveal_id_number"),
        "can_reveal_phone": can(request.user.role, "reveal_phone"),
        "assign_form": AssignForm(user=request.user, initial={"collector": case.assigned_to_id})
        if can(request.user.role, "assign_cases")
        else None,
    }
    return render(request, "cases/detail.html", context)


@login_required
@require_POST
def reveal(request: HttpRequest, pk: int, field: str) -> HttpResponse:
    case = _case_or_404(request, pk)
    point = None
    if field == "phone":
        point = selectors.phone_or_404(user=request.user, case=case, point_id=request.POST.get("point", ""))
    elif field != "id_number":
        raise Http404
    try:
        value = services.debtor_reveal(user=request.user, case=case, field=field, contact_point=point)
    except PermissionDenied:
        return HttpResponse(_("Not permitted"), status=403)
    return render(request, "cases/_revealed.html", {"value": value})


@login_required
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    form = AssignForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.case_assign(case=case, collector=form.cleaned_data["collector"], actor=request.user)
            messages.success(request, _("Case assigned."))
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.error(request, _("Choose a collector of your team."))
    return redirect("cases:detail", pk=case.pk)


@login_required
@require_POST
def distribute(request: HttpRequest) -> HttpResponse:
    form = DistributeForm(request.POST, user=request.user)
    filters = CaseFilterForm(request.GET or None, user=request.user).filters()
    if not form.is_valid():
        messages.error(request, _("Choose a team."))
        return redirect("cases:list")
    filters = dataclasses.replace(filters, unassigned=form.cleaned_data["only_unassigned"])
    cases = selectors.case_list(user=request.user, filters=filters)
    try:
        counts = services.case_distribute(
            cases=list(cases), team=form.cleaned_data["team"], actor=request.user
        )
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect("cases:list")
    messages.success(
        request,
        _("%(cases)d cases spread over %(collectors)d collectors.")
        % {"cases": sum(counts.values()), "collectors": len(counts)},
    )
    return redirect("cases:list")


@login_required
@require_POST
def call(request: HttpRequest, pk: int) -> HttpResponse:
    """Press "call" on a number: the guard decides; allowed calls are recorded as dialling."""
    case = _case_or_404(request, pk)
    if not can(request.user.role, "contact_debtors"):
        return HttpResponse(_("Not permitted"), status=403)
    point = selectors.phone_or_404(user=request.user, case=case, point_id=request.POST.get("point", ""))
    purpose = "demand" if point.person_id is None else "locate"
    result = contact_attempt(
        actor=request.user, case=case, channel="call", purpose=purpose, contact_point=point
    )
    return render(
        request,
        "cases/_call_result.html",
        {"decision": result.decision, "record": result.record, "case": case, "outcome_form": OutcomeForm()},
    )


def _outcome_form(request: HttpRequest, case: Case, record: ContactRecord, form: OutcomeForm) -> HttpResponse:
    """The outcome form again, with the reasons and everything the collector typed."""
    return render(request, "cases/_outcome_form.html", {"case": case, "record": record, "outcome_form": form})


@login_required
@require_POST
def outcome(request: HttpRequest, pk: int, record: int) -> HttpResponse:
    """Record what came of a call made from the case page."""
    case = _case_or_404(request, pk)
    attempt = restrict(ContactRecord.objects.filter(case=case), request.user).filter(pk=record).first()
    if attempt is None:
        raise Http404
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        return _outcome_form(request, case, attempt, form)
    try:
        recorded = outcome_record(actor=request.user, record=attempt, entry=form.entry())
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc)
        return _outcome_form(request, case, attempt, form)
    except PermissionDenied as exc:
        return HttpResponse(str(exc), status=403)
    case = _case_or_404(request, pk)
    context = {"recorded": recorded, "case": case, "key": workbench.key_facts(case=case)}
    context.update(selectors.case_history(case=case))
    return render(request, "cases/_outcome_saved.html", context)
