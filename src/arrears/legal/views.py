"""Pages of the legal track: legal's desk, a case's legal page and the forms on it, the evidence bundle.

Cases come through the case selectors and legal rows through ``restrict``: what is out of the
user's scope is "not found". A form that fails comes back on its page with the reason next to the
field and everything typed still in it.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from arrears.cases import selectors as case_selectors
from arrears.cases.models import Case
from arrears.core.access import restrict
from arrears.core.roles import can
from arrears.documents.fonts import FontMissing
from arrears.documents.models import Document
from arrears.legal import evidence, selectors, services
from arrears.legal.forms import (
    CostForm,
    DecideForm,
    EnforcementForm,
    HearingForm,
    JudgmentForm,
    LetterForm,
    ProposeForm,
    SuitForm,
)
from arrears.legal.models import Escalation, Suit


def _errors_into(form: forms.Form, exc: ValidationError) -> None:
    """A service's refusal shown on the form: by field where it names one, else above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _documents(request: HttpRequest, case: Case) -> Any:
    return restrict(Document.objects.filter(case=case), request.user)


@login_required
def desk(request: HttpRequest, bound: dict[int, forms.Form] | None = None, status: int = 200) -> HttpResponse:
    """Legal's desk: proposals to decide, and the cases on the legal track by their next hearing."""
    if not can(request.user.role, "view_legal"):
        raise PermissionDenied(_("Only legal and management see the legal desk."))
    proposals = list(selectors.proposals(user=request.user))
    for p in proposals:
        p.form = (bound or {}).get(p.pk) or DecideForm()
    context = {
        "proposals": proposals, "cases": selectors.legal_cases(user=request.user),
        "suggested": selectors.suggested(user=request.user),
    }  # fmt: skip
    return render(request, "legal/desk.html", context, status=status)


def _page(request: HttpRequest, case: Case, bound: dict[str, forms.Form] | None = None) -> HttpResponse:
    bound = bound or {}
    record = selectors.legal_record(case=case)
    for suit in record.suits:
        suit.hearing_form = bound.get(f"hearing-{suit.pk}") or HearingForm(prefix=f"hearing-{suit.pk}")
        suit.judgment_form = bound.get(f"judgment-{suit.pk}") or JudgmentForm(prefix=f"judgment-{suit.pk}")
        suit.enforcement_form = bound.get(f"enforcement-{suit.pk}") or EnforcementForm(
            prefix=f"enforcement-{suit.pk}"
        )
    live = record.live
    context = {
        "case": case,
        "record": record,
        "live": live,
        "decide_form": bound.get("decide") or DecideForm(),
        "propose_form": bound.get("propose") or ProposeForm(),
        "letter_form": bound.get("letter") or LetterForm(documents=_documents(request, case)),
        "suit_form": bound.get("suit") or SuitForm(),
        "cost_form": bound.get("cost") or CostForm(),
        "may_decide": can(request.user.role, "decide_legal") and live is not None
        and live.status == Escalation.Status.PROPOSED and live.proposed_by_id != request.user.pk,
        "may_record": can(request.user.role, "record_legal") and record.on_track,
    }  # fmt: skip
    return render(request, "legal/case.html", context, status=400 if bound else 200)


@login_required
def case_legal(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, case_selectors.case_or_404(user=request.user, pk=pk))


def _submit(
    request: HttpRequest, case: Case, name: str, form: forms.Form, action: Any, done: str
) -> HttpResponse:
    """Validate ``form``, call the service, and go back to the case's legal page or show the errors."""
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except ValidationError as exc:
            _errors_into(form, exc)
        except PermissionDenied as exc:
            return HttpResponse(str(exc), status=403)
        else:
            messages.success(request, done)
            return redirect("legal:case", pk=case.pk)
    return _page(request, case, {name: form})


@login_required
@require_POST
def propose(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_selectors.case_or_404(user=request.user, pk=pk)
    form = ProposeForm(request.POST)
    return _submit(
        request, case, "propose", form,
        lambda d: services.escalation_propose(actor=request.user, case=case, reason=d["reason"]),
        _("Proposed to legal."),
    )  # fmt: skip


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    escalation = restrict(Escalation.objects.all(), request.user).select_related("case").filter(pk=pk).first()
    if escalation is None:
        raise Http404(_("No such escalation."))
    form = DecideForm(request.POST)
    from_case = request.POST.get("from") == "case"
    if form.is_valid():
        try:
            services.escalation_decide(
                actor=request.user, escalation=escalation, approve=request.POST.get("approve") == "1",
                note=form.cleaned_data["note"],
            )  # fmt: skip
        except ValidationError as exc:
            _errors_into(form, exc)
        except PermissionDenied as exc:
            return HttpResponse(str(exc), status=403)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect(
                "legal:case" if from_case else "legal:desk",
                **({"pk": escalation.case_id} if from_case else {}),
            )
    if from_case:
        return _page(
            request, case_selectors.case_or_404(user=request.user, pk=escalation.case_id), {"decide": form}
        )
    return desk(request, bound={escalation.pk: form}, status=400)


@login_required
@require_POST
def letter(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_selectors.case_or_404(user=request.user, pk=pk)
    form = LetterForm(request.POST, documents=_documents(request, case))
    return _submit(
        request, case, "letter", form,
        lambda d: services.letter_record(
            actor=request.user, case=case, sent_on=d["sent_on"], law_firm=d["law_firm"],
            reference=d["reference"], document=d["document"],
        ),
        _("Lawyer's letter recorded."),
    )  # fmt: skip


@login_required
@require_POST
def suit(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_selectors.case_or_404(user=request.user, pk=pk)
    form = SuitForm(request.POST)
    return _submit(
        request, case, "suit", form,
        lambda d: services.suit_file(
            actor=request.user, case=case, court=d["court"], case_number=d["case_number"],
            filed_on=d["filed_on"],
        ),
        _("Suit recorded."),
    )  # fmt: skip


@login_required
@require_POST
def cost(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_selectors.case_or_404(user=request.user, pk=pk)
    form = CostForm(request.POST)
    return _submit(
        request, case, "cost", form,
        lambda d: services.legal_cost_post(
            actor=request.user, case=case, kind=d["kind"], amount=d["amount"], incurred_on=d["incurred_on"],
            reference=d["reference"],
        ),
        _("Legal cost posted to the ledger."),
    )  # fmt: skip


def _suit_or_404(request: HttpRequest, pk: int) -> tuple[Suit, Case]:
    found = restrict(Suit.objects.all(), request.user).filter(pk=pk).first()
    if found is None:
        raise Http404(_("No such suit."))
    return found, case_selectors.case_or_404(user=request.user, pk=found.case_id)


@login_required
@require_POST
def hearing(request: HttpRequest, pk: int) -> HttpResponse:
    found, case = _suit_or_404(request, pk)
    form = HearingForm(request.POST, prefix=f"hearing-{found.pk}")
    return _submit(
        request, case, f"hearing-{found.pk}", form,
        lambda d: services.hearing_record(actor=request.user, suit=found, at=d["at"], note=d["note"]),
        _("Hearing recorded."),
    )  # fmt: skip


@login_required
@require_POST
def judgment(request: HttpRequest, pk: int) -> HttpResponse:
    found, case = _suit_or_404(request, pk)
    form = JudgmentForm(request.POST, prefix=f"judgment-{found.pk}")
    return _submit(
        request, case, f"judgment-{found.pk}", form,
        lambda d: services.judgment_record(
            actor=request.user, suit=found, judgment_on=d["judgment_on"], amount=d["amount"], note=d["note"]
        ),
        _("Judgment recorded."),
    )  # fmt: skip


@login_required
@require_POST
def enforcement(request: HttpRequest, pk: int) -> HttpResponse:
    found, case = _suit_or_404(request, pk)
    form = EnforcementForm(request.POST, prefix=f"enforcement-{found.pk}")
    return _submit(
        request, case, f"enforcement-{found.pk}", form,
        lambda d: services.enforcement_record(
            actor=request.user, suit=found, applied_on=d["applied_on"], number=d["number"],
            outcome=d["outcome"], note=d["note"],
        ),
        _("Enforcement recorded."),
    )  # fmt: skip


@login_required
def bundle(request: HttpRequest, pk: int) -> HttpResponse:
    """The evidence bundle as one PDF, made from the record as it stands now."""
    case = case_selectors.case_or_404(user=request.user, pk=pk)
    try:
        name, pdf = evidence.bundle_issue(actor=request.user, case=case)
    except PermissionDenied as exc:
        return HttpResponse(str(exc), status=403)
    except FontMissing as exc:
        messages.error(request, str(exc))
        return redirect("legal:case", pk=case.pk)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
