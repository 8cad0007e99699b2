"""The collector's workbench: my queue and my day, next case, scripts; the team lead's view.

The dossier itself is the case page (``cases.views.case_detail``), which shows the key facts and
the scripts from here and records outcomes through ``workbench.services.outcome_record``.
"""

from __future__ import annotations

import dataclasses

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from arrears.cases import selectors as case_selectors
from arrears.cases.models import Case
from arrears.cases.services import case_follow_up_set, case_tag, cases_reassign
from arrears.core.access import restrict
from arrears.core.roles import can
from arrears.workbench import scripts, selectors
from arrears.workbench.forms import (
    FollowUpForm,
    QueueFilterForm,
    ReassignForm,
    ScriptForm,
    ScriptPickForm,
    TagForm,
)
from arrears.workbench.services import script_save

PAGE_SIZE = 50


def home(request: HttpRequest) -> HttpResponse:
    """Collectors start the day on their queue; everyone else on the case list."""
    if request.user.is_authenticated and can(request.user.role, "contact_debtors") and not can(
        request.user.role, "assign_cases"
    ):
        return redirect("workbench:queue")
    return redirect("cases:list")


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    form = QueueFilterForm(request.GET or None, user=request.user)
    cases = selectors.queue(user=request.user, filters=form.filters(), now=now)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.with_names(page.object_list)
    context = {"form": form, "page": page, "now": now}
    if request.headers.get("HX-Request"):
        return render(request, "workbench/_queue.html", context)
    context["counts"] = selectors.queue_counts(user=request.user, now=now)
    day = selectors.day_figures(collectors=[request.user], day=timezone.localdate(now))
    context["day"] = day[request.user.pk]
    return render(request, "workbench/queue.html", context)


@login_required
def next_case(request: HttpRequest) -> HttpResponse:
    """Open the top case of the queue."""
    top = selectors.queue(user=request.user).values_list("pk", flat=True).first()
    if top is None:
        messages.info(request, _("Your queue is empty."))
        return redirect("workbench:queue")
    return redirect("cases:detail", pk=top)


def _team_lead(request: HttpRequest) -> None:
    if not can(request.user.role, "assign_cases"):
        raise PermissionDenied(_("Only team leads and managers see the team view."))


@login_required
def team(request: HttpRequest) -> HttpResponse:
    _team_lead(request)
    team_id = request.GET.get("team", "")
    members = selectors.team_members(lead=request.user, team_id=int(team_id) if team_id.isdigit() else None)
    now = timezone.now()
    figures = selectors.day_figures(collectors=members, day=timezone.localdate(now))
    context = {
        "members": [(m, figures[m.pk]) for m in members],
        "reassign_form": ReassignForm(collectors=members),
        "teams": request.user.organisation.teams.order_by("pk") if request.user.role != "team_lead" else [],
        "team_id": team_id,
        **selectors.team_cases(lead=request.user, collectors=members, now=now),
    }
    team_queue = selectors.queue(user=request.user, now=now, collectors=members)
    context["team_queue"] = selectors.with_names(team_queue[:50])
    return render(request, "workbench/team.html", context)


@login_required
@require_POST
def reassign(request: HttpRequest) -> HttpResponse:
    _team_lead(request)
    members = selectors.team_members(lead=request.user, team_id=None)
    form = ReassignForm(request.POST, collectors=members)
    ids = [int(i) for i in request.POST.getlist("case") if i.isdigit()]
    if not form.is_valid() or not ids:
        messages.error(request, _("Tick the cases and choose the collector to move them to."))
        return redirect("workbench:team")
    cases = list(restrict(Case.objects.all(), request.user).filter(pk__in=ids))
    try:
        who = form.cleaned_data["collector"]
        moved = cases_reassign(cases=cases, collector=who, actor=request.user)
        messages.success(request, _("%(n)d cases moved to %(who)s.") % {"n": moved, "who": who})
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    return redirect("workbench:team")


def _case(request: HttpRequest, pk: int) -> Case:
    return case_selectors.case_or_404(user=request.user, pk=pk)


@login_required
def case_script(request: HttpRequest, pk: int) -> HttpResponse:
    """The scripts that fit the case now, for the objection the collector picked (HTMX fragment)."""
    case = _case(request, pk)
    form = ScriptPickForm(request.GET)
    if not form.is_valid():
        return HttpResponse(_("Choose an objection from the list."), status=400)
    return render(request, "workbench/_scripts.html", script_context(request, case, **form.cleaned_data))


def _language() -> str:
    return "en" if (get_language() or "").startswith("en") else "zh"


def script_context(request: HttpRequest, case: Case, *, stage: str, objection: str = "") -> dict:
    """The best three scripts for the case, filled with its figures, and the picker."""
    found = selectors.case_scripts(case=case, user=request.user, stage=stage, objection=objection)
    values = selectors.script_values(case=case, user=request.user)
    lang = _language()
    filled = [(scripts.fill(s.title(lang), values), scripts.fill(s.body(lang), values)) for s in found[:3]]
    return {
        "case": case,
        "scripts": filled,
        "pick_form": ScriptPickForm(initial={"objection": objection, "stage": stage}),
    }


@login_required
@require_POST
def tag(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    form = TagForm(request.POST)
    if form.is_valid():
        try:
            case_tag(actor=request.user, case=case, debtor_type=form.cleaned_data["debtor_type"])
            messages.success(request, _("Debtor type saved."))
        except PermissionDenied as exc:
            messages.error(request, str(exc))
    return redirect("cases:detail", pk=case.pk)


@login_required
@require_POST
def follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    form = FollowUpForm(request.POST)
    if form.is_valid() and form.cleaned_data["at"] > timezone.now():
        try:
            case_follow_up_set(actor=request.user, case=case, at=form.cleaned_data["at"], reason="manual")
            messages.success(request, _("Next follow-up set."))
        except PermissionDenied as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, _("The next follow-up must be in the future."))
    return redirect("cases:detail", pk=case.pk)


@login_required
def script_list(request: HttpRequest) -> HttpResponse:
    library = selectors.library(organisation_id=request.user.organisation_id)
    return render(request, "workbench/scripts.html", {"library": library, "language": _language()})


@login_required
def script_edit(request: HttpRequest, key: str | None = None) -> HttpResponse:
    if not can(request.user.role, "manage_scripts"):
        raise PermissionDenied(_("Only managers change scripts."))
    current = None
    if key is not None:
        library = selectors.library(organisation_id=request.user.organisation_id)
        current = next((s for s in library if s.key == key), None)
        if current is None:
            raise Http404(_("No such script."))
    if request.method == "POST":
        form = ScriptForm(request.POST)
        if form.is_valid():
            try:
                active = form.cleaned_data["active"]
                saved = script_save(actor=request.user, script=form.script(), active=active)
                messages.success(request, _("Script saved as version %(v)d.") % {"v": saved.version})
                return redirect("workbench:scripts")
            except ValidationError as exc:
                form.add_error(None, exc)
    else:
        form = ScriptForm(initial={**dataclasses.asdict(current), "active": True} if current else None)
    return render(request, "workbench/script_edit.html", {"form": form, "current": current})
