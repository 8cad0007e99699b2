"""Issuing and reading a case's documents; letters in batch for the post; dispatch and delivery;
law firms, letterheads and the creditors' letter wording."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from arrears.cases import selectors
from arrears.cases.models import Case
from arrears.core.access import restrict
from arrears.core.roles import can
from arrears.creditors.models import Creditor
from arrears.debtors.models import ContactPerson
from arrears.documents import letter_services as svc
from arrears.documents.fonts import FontMissing
from arrears.documents.forms import (
    DispatchForm,
    LawFirmForm,
    LetterForm,
    LetterheadForm,
    MailingForm,
    RegisterForm,
    TemplateForm,
)
from arrears.documents.kinds import KINDS, LETTERS
from arrears.documents.letters import DEFAULT_BODY, placeholders
from arrears.documents.models import Dispatch, Document, LawFirm, Letterhead, LetterTemplate, Mailing
from arrears.documents.services import certificate_issue


def _say(exc: Exception) -> str:
    return " ".join(getattr(exc, "messages", [str(exc)]))


@login_required
@require_POST
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_or_404(user=request.user, pk=pk)
    try:
        document = certificate_issue(actor=request.user, case=case)
    except (PermissionDenied, ValidationError, FontMissing) as exc:
        messages.error(request, _say(exc))
        return redirect("cases:detail", pk=case.pk)
    return redirect("documents:file", pk=document.pk)


@login_required
def letter(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue one letter: GET asks what the kind needs (law firm, contact, address), POST issues it;
    a refusal (missing facts, the guard) is shown on the case page."""
    case = selectors.case_or_404(user=request.user, pk=pk)
    form = LetterForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid():
        messages.error(request, _("Choose a letter kind."))
        return redirect("cases:detail", pk=case.pk)
    data = form.cleaned_data
    firms = restrict(LawFirm.objects.filter(active=True), request.user)
    persons = ContactPerson.objects.filter(debtor_id=case.debtor_id)
    if request.method != "POST":
        return render(request, "documents/letter.html", {
            "case": case, "kind": data["kind"], "title": KINDS[data["kind"]].title_zh, "firms": firms,
            "persons": persons,
        })  # fmt: skip
    try:
        firm = firms.filter(pk=data["law_firm"]).first()
        person = persons.filter(pk=data["contact_person"]).first()
        document = svc.letter_issue(actor=request.user, case=case, kind=data["kind"], law_firm=firm,
                                    contact_person=person, address=data["address"] or "")  # fmt: skip
    except (PermissionDenied, ValidationError, FontMissing) as exc:
        messages.error(request, _say(exc))
        return redirect("cases:detail", pk=case.pk)
    return redirect("documents:file", pk=document.pk)


@login_required
def file(request: HttpRequest, pk: int) -> HttpResponse:
    document = restrict(Document.objects.all(), request.user).filter(pk=pk).first()
    if document is None:
        raise Http404(_("No such document."))
    name = f"{document.number}.pdf"
    return FileResponse(document.file.open("rb"), content_type="application/pdf", filename=name)


# --- batch mailing -------------------------------------------------------------------------------------


def _needs(request: HttpRequest, capability: str) -> None:
    if not can(request.user.role, capability):
        raise PermissionDenied(_("Not permitted"))


@login_required
def mailings(request: HttpRequest) -> HttpResponse:
    _needs(request, "send_letters")
    firms = restrict(LawFirm.objects.filter(active=True), request.user)
    form = MailingForm(request.POST or None, firms=firms)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        cases = restrict(Case.objects.all(), request.user)
        if data["day"]:
            cases = svc.tasks_cases(cases=cases, day=data["day"], kind=data["kind"])
        else:
            accounts = [line.strip() for line in data["accounts"].splitlines() if line.strip()]
            cases = cases.filter(account_number__in=accounts)
        if not cases.exists():
            form.add_error(None, _("No case in your scope matches: nothing was printed."))
        else:
            try:
                result = svc.mailing_create(actor=request.user, cases=cases, kind=data["kind"],
                                            law_firm=data["law_firm"])  # fmt: skip
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if data["day"]:
                    svc.tasks_done(documents=result.issued, day=data["day"])
                messages.success(
                    request,
                    _("%(issued)d letters printed, %(refused)d refused.")
                    % {"issued": len(result.issued), "refused": len(result.refused)},
                )
                return redirect("documents:mailing", pk=result.mailing.pk)
    recent = restrict(Mailing.objects.all(), request.user).select_related("created_by")[:30]
    return render(request, "documents/mailings.html", {"form": form, "mailings": recent})


def _mailing(request: HttpRequest, pk: int) -> Mailing:
    _needs(request, "send_letters")
    return get_object_or_404(restrict(Mailing.objects.all(), request.user), pk=pk)


@login_required
def mailing(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _mailing(request, pk)
    form = RegisterForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            count = svc.register_import(
                actor=request.user, mailing=batch, data=upload.read(), filename=upload.name
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("%(count)d tracking numbers recorded.") % {"count": count})
            return redirect("documents:mailing", pk=batch.pk)
    dispatches = restrict(Dispatch.objects.filter(mailing=batch), request.user).select_related(
        "document", "case"
    )
    return render(request, "documents/mailing.html", {
        "mailing": batch, "form": form, "dispatches": dispatches, "dispatch_form": DispatchForm(),
        "title": KINDS[batch.kind].title_zh,
    })  # fmt: skip


@login_required
def mailing_file(request: HttpRequest, pk: int, which: str) -> HttpResponse:
    batch = _mailing(request, pk)
    field = {"letters": batch.letters, "register": batch.register}.get(which)
    if not field:
        raise Http404(_("No such file."))
    return FileResponse(field.open("rb"), filename=field.name.rsplit("/", 1)[-1])


def _dispatch(request: HttpRequest, pk: int) -> Dispatch:
    _needs(request, "send_letters")
    return get_object_or_404(restrict(Dispatch.objects.all(), request.user), pk=pk)


@login_required
@require_POST
def dispatch(request: HttpRequest, pk: int) -> HttpResponse:
    item = _dispatch(request, pk)
    form = DispatchForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    else:
        try:
            svc.dispatch_record(actor=request.user, dispatch=item, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, _say(exc))
        else:
            messages.success(request, _("Saved."))
    if item.mailing_id:
        return redirect("documents:mailing", pk=item.mailing_id)
    return redirect("documents:dispatches")


@login_required
def dispatches(request: HttpRequest) -> HttpResponse:
    """Letters issued one by one (not in a mailing) and still to be tracked."""
    _needs(request, "send_letters")
    items = restrict(Dispatch.objects.all(), request.user).select_related("document", "case")[:200]
    return render(
        request, "documents/dispatches.html", {"dispatches": items, "dispatch_form": DispatchForm()}
    )


@login_required
def proof(request: HttpRequest, pk: int) -> HttpResponse:
    item = _dispatch(request, pk)
    if not item.proof:
        raise Http404(_("No proof of delivery."))
    return FileResponse(item.proof.open("rb"), filename=item.proof.name.rsplit("/", 1)[-1])


# --- law firms, letterheads, wording -------------------------------------------------------------------


@login_required
def law_firms(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _needs(request, "manage_letters")
    firms = restrict(LawFirm.objects.all(), request.user)
    editing = get_object_or_404(firms, pk=pk) if pk else None
    form = LawFirmForm(request.POST or None, instance=editing)
    if request.method == "POST" and form.is_valid():
        try:
            svc.law_firm_save(actor=request.user, firm=editing, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("documents:law_firms")
    creditors = restrict(Creditor.objects.all(), request.user).order_by("code")
    return render(request, "documents/law_firms.html",
                  {"firms": firms, "form": form, "editing": editing, "creditors": creditors})  # fmt: skip


@login_required
def letter_settings(request: HttpRequest, pk: int) -> HttpResponse:
    _needs(request, "manage_letters")
    creditor = get_object_or_404(restrict(Creditor.objects.all(), request.user), pk=pk)
    head = Letterhead.objects.filter(creditor=creditor).first()
    head_form = LetterheadForm(request.POST if "letterhead" in request.POST else None, instance=head)
    template_form = TemplateForm(request.POST if "template" in request.POST else None)
    if request.method == "POST":
        try:
            if "letterhead" in request.POST and head_form.is_valid():
                svc.letterhead_save(actor=request.user, creditor=creditor, **head_form.cleaned_data)
                messages.success(request, _("Saved."))
                return redirect("documents:letter_settings", pk=creditor.pk)
            if "template" in request.POST and template_form.is_valid():
                svc.letter_template_save(actor=request.user, creditor=creditor, **template_form.cleaned_data)
                messages.success(request, _("Saved."))
                return redirect("documents:letter_settings", pk=creditor.pk)
        except ValidationError as exc:
            target = template_form if "template" in request.POST else head_form
            for message in exc.messages:
                target.add_error(None, message)
    kinds = []
    for spec in LETTERS:
        current = (
            LetterTemplate.objects.filter(creditor=creditor, kind=spec.code).order_by("-version").first()
        )
        kinds.append({
            "spec": spec, "current": current, "default": "\n\n".join(DEFAULT_BODY[spec.code]),
            "placeholders": placeholders(spec),
        })  # fmt: skip
    return render(request, "documents/settings.html", {
        "creditor": creditor, "head_form": head_form, "template_form": template_form, "kinds": kinds,
    })  # fmt: skip
