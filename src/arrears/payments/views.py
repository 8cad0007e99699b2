"""Promise and payment actions on a case; the finance page for payment files and suspense."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from arrears.cases import selectors
from arrears.cases.models import Case
from arrears.core.access import restrict
from arrears.core.money import ZERO
from arrears.core.roles import Role, can
from arrears.intake.errors import IntakeFileError
from arrears.payments.authority import CREDITOR, covers
from arrears.payments.claims import payment_claim_check
from arrears.payments.forms import (
    PaymentFileForm,
    PaymentForm,
    PlanForm,
    PromiseForm,
    ResolveForm,
    WaiverRequestForm,
)
from arrears.payments.importer import payments_import, suspense_resolve
from arrears.payments.models import Payment, PaymentClaim, RepaymentPlan, SuspenseItem, WaiverRequest
from arrears.payments.plans import plan_decide, plan_propose
from arrears.payments.promises import promise_record
from arrears.payments.services import payment_post
from arrears.payments.settlements import waiver_decide, waiver_request


def _case(request: HttpRequest, pk: int) -> Case:
    return selectors.case_or_404(user=request.user, pk=pk)


def _report(request: HttpRequest, exc: Exception) -> None:
    if isinstance(exc, ValidationError):
        messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, str(exc) or _("Not permitted"))


@login_required
@require_POST
def promise(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    form = PromiseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give an amount and a date."))
    else:
        try:
            promise_record(actor=request.user, case=case, **form.cleaned_data)
            messages.success(request, _("Promise recorded."))
        except (PermissionDenied, ValidationError) as exc:
            _report(request, exc)
    return redirect("cases:detail", pk=case.pk)


@login_required
@require_POST
def payment(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    form = PaymentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the amount, date, channel and bank reference."))
    else:
        try:
            posted = payment_post(actor=request.user, case=case, **form.cleaned_data)
            messages.success(
                request, _("Payment posted.") if posted.created else _("This payment was already posted.")
            )
        except (PermissionDenied, ValidationError) as exc:
            _report(request, exc)
    return redirect("cases:detail", pk=case.pk)


@login_required
def finance(request: HttpRequest) -> HttpResponse:
    """Upload a bank's payment file; work the suspense list."""
    if not can(request.user.role, "post_payments"):
        return HttpResponse(_("Not permitted"), status=403)
    form = PaymentFileForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = payments_import(
                actor=request.user,
                organisation=request.user.organisation,
                data=upload.read(),
                filename=upload.name,
            ).as_json()
        except IntakeFileError as exc:
            form.add_error("file", exc.reason)
    items = restrict(SuspenseItem.objects.filter(status=SuspenseItem.Status.OPEN), request.user)
    claims = restrict(PaymentClaim.objects.filter(status=PaymentClaim.Status.OPEN), request.user)
    claims = claims.select_related("case__debtor", "claimed_by")
    return render(
        request,
        "payments/finance.html",
        {"form": form, "result": result, "items": items, "resolve": ResolveForm(), "claims": claims[:200]},
    )


@login_required
@require_POST
def check_claim(request: HttpRequest, pk: int) -> HttpResponse:
    """Finance's answer to "the debtor says it is paid": the bank reference found, or none."""
    claim = get_object_or_404(restrict(PaymentClaim.objects.all(), request.user), pk=pk)
    reference = request.POST.get("reference", "").strip()
    payment = None
    if reference:
        payment = restrict(Payment.objects.filter(case_id=claim.case_id), request.user).filter(
            reference=reference
        ).first()
        if payment is None:
            messages.error(request, _("No payment with that reference on this case."))
            return redirect("payments:finance")
    try:
        note = request.POST.get("note", "")
        payment_claim_check(actor=request.user, claim=claim, payment=payment, note=note)
        messages.success(request, _("Claim checked."))
    except (PermissionDenied, ValidationError) as exc:
        _report(request, exc)
    return redirect("payments:finance")


@login_required
@require_POST
def resolve(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(restrict(SuspenseItem.objects.all(), request.user), pk=pk)
    form = ResolveForm(request.POST)
    case = None
    if form.is_valid():
        case = (
            restrict(Case.objects.all(), request.user)
            .filter(account_number=form.cleaned_data["account_number"].strip())
            .first()
        )
    if case is None:
        messages.error(request, _("No such case in your scope."))
        return redirect("payments:finance")
    try:
        suspense_resolve(actor=request.user, item=item, case=case)
        messages.success(request, _("Payment posted."))
    except (PermissionDenied, ValidationError) as exc:
        _report(request, exc)
    return redirect("payments:finance")


@login_required
@require_POST
def waiver(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    form = WaiverRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
    else:
        try:
            made = waiver_request(actor=request.user, case=case, **form.service_kwargs())
            messages.success(request, _("Request sent for approval (%(role)s).") % {"role": made.needs_role})
        except (PermissionDenied, ValidationError) as exc:
            _report(request, exc)
    return redirect("cases:detail", pk=case.pk)


@login_required
@require_POST
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    form = PlanForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
        return redirect("cases:detail", pk=case.pk)
    data = {**form.cleaned_data}
    data["waive_interest"] = data["waive_interest"] or ZERO
    data["waive_fees"] = data["waive_fees"] or ZERO
    try:
        made = plan_propose(actor=request.user, case=case, **data)
        messages.success(
            request, _("Plan active.") if made.status == "active" else _("Plan sent for approval.")
        )
    except (PermissionDenied, ValidationError) as exc:
        _report(request, exc)
    return redirect("cases:detail", pk=case.pk)


@login_required
@require_POST
def decide_plan(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(restrict(RepaymentPlan.objects.all(), request.user), pk=pk)
    try:
        plan_decide(actor=request.user, plan=item, approve=request.POST.get("approve") == "1")
        messages.success(request, _("Decision recorded."))
    except (PermissionDenied, ValidationError) as exc:
        _report(request, exc)
    return redirect("payments:approvals")


@login_required
def approvals(request: HttpRequest) -> HttpResponse:
    """Waiver and settlement requests waiting for someone with the user's authority."""
    pending = restrict(
        WaiverRequest.objects.filter(status=WaiverRequest.Status.PENDING).select_related(
            "case__debtor", "requested_by"
        ),
        request.user,
    ).exclude(requested_by=request.user)
    role = request.user.role
    mine = [
        r for r in pending
        if covers(role, r.waived, r.share) or (r.needs_role == CREDITOR and role == Role.MANAGER)
    ]  # fmt: skip
    plans = restrict(
        RepaymentPlan.objects.filter(
            status=RepaymentPlan.Status.PENDING, needs_role=request.user.role
        ).select_related("case__debtor", "requested_by"),
        request.user,
    ).exclude(requested_by=request.user)
    return render(request, "payments/approvals.html", {"requests": mine, "plans": plans})


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(restrict(WaiverRequest.objects.all(), request.user), pk=pk)
    try:
        waiver_decide(actor=request.user, request=item, approve=request.POST.get("approve") == "1",
                      note=request.POST.get("note", ""))  # fmt: skip
        messages.success(request, _("Decision recorded."))
    except (PermissionDenied, ValidationError) as exc:
        _report(request, exc)
    return redirect("payments:approvals")
