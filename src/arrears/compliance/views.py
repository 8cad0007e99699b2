"""Compliance pages: the profiles and their sources, a tester for a proposed contact, the report."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from arrears.cases import selectors as case_selectors
from arrears.compliance import facts
from arrears.compliance.forms import ProposedContactForm
from arrears.compliance.guard import load_profile
from arrears.compliance.profiles import available_profiles
from arrears.compliance.selectors import refusal_report
from arrears.core.roles import can


def _allowed(request: HttpRequest) -> bool:
    return can(request.user.role, "view_compliance")


@login_required
def profiles(request: HttpRequest) -> HttpResponse:
    """Every rule of every profile, with its source and how sure that source is; and the tester."""
    if not _allowed(request):
        return HttpResponse(_("Not permitted"), status=403)
    form = ProposedContactForm(request.POST or None)
    outcome = None
    if request.method == "POST" and form.is_valid():
        outcome = _test(request, form)
    context = {
        "profiles": [load_profile(name) for name in available_profiles()],
        "form": form,
        "outcome": outcome,
    }
    return render(request, "compliance/profiles.html", context)


def _test(request: HttpRequest, form: ProposedContactForm) -> dict:
    """Run the guard on the proposed contact without recording anything: rule by rule."""
    data = form.cleaned_data
    filters = case_selectors.CaseFilters(q=data["account_number"])
    case = (
        case_selectors.case_list(user=request.user, filters=filters)
        .filter(account_number=data["account_number"].strip())
        .first()
    )
    if case is None:
        form.add_error("account_number", _("No such case in your scope."))
        return {}
    points = case.debtor.contact_points.select_related("person").filter(
        person__isnull=data["party"] == "debtor"
    )
    email = data["channel"] == "email"
    points = points.filter(kind="email") if email else points.exclude(kind="email")
    point = points.order_by("pk").first()
    if point is None:
        form.add_error("party", _("This case has no such contact point to test."))
        return {}
    decision, _contact = facts.decide(
        case=case, channel=data["channel"], point=point, purpose=data["purpose"],
        content=data["content"] or None, collectors=data["collectors"], now=data["at"] or timezone.now(),
        hypothetical=True,
    )  # fmt: skip
    profile = case.creditor.profile()
    refused = {v.rule: v for v in decision.violations}
    return {
        "case": case,
        "decision": decision,
        "rules": [(rule_id, refused.get(rule_id)) for rule_id in profile.rules],
    }


@login_required
def report(request: HttpRequest) -> HttpResponse:
    if not _allowed(request):
        return HttpResponse(_("Not permitted"), status=403)
    return render(request, "compliance/report.html", {"report": refusal_report(user=request.user)})
