"""Pages of messaging: the template library per creditor (managers edit, everyone reads), a creditor's
sender details, a case's messages with the send form, and the debtor's unsubscribe link (no login)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from arrears.cases import selectors as case_selectors
from arrears.core.access import restrict
from arrears.core.masking import mask_email
from arrears.core.roles import can
from arrears.creditors.models import Creditor
from arrears.messaging import selectors, services
from arrears.messaging.forms import SenderForm, SendForm, TemplateForm
from arrears.messaging.models import Channel, Language


def _creditor(request: HttpRequest, pk: int) -> Creditor:
    found = restrict(Creditor.objects.filter(pk=pk), request.user).first()
    if found is None:
        raise Http404(_("No such creditor."))
    return found


def _manager(request: HttpRequest) -> None:
    if not can(request.user.role, "manage_templates"):
        raise PermissionDenied(_("Only managers change message templates."))


@login_required
def template_list(request: HttpRequest) -> HttpResponse:
    rows = [
        (creditor, selectors.sender(creditor=creditor), selectors.library(creditor=creditor))
        for creditor in selectors.creditors(user=request.user)
    ]
    return render(request, "messaging/templates.html", {"rows": rows})


@login_required
def template_edit(
    request: HttpRequest, creditor: int, channel: str | None = None, code: str | None = None,
    language: str | None = None,
) -> HttpResponse:  # fmt: skip
    _manager(request)
    found = _creditor(request, creditor)
    current, versions = None, []
    if code is not None:
        if channel not in Channel.values or language not in Language.values:
            raise Http404(_("No such template."))
        current = selectors.template_current(creditor=found, channel=channel, code=code, language=language)
        if current is None:
            raise Http404(_("No such template."))
        versions = selectors.template_versions(creditor=found, channel=channel, code=code, language=language)
    if request.method == "POST":
        form = TemplateForm(request.POST)
        if form.is_valid():
            try:
                saved = services.template_save(actor=request.user, creditor=found, **form.cleaned_data)
                messages.success(request, _("Template saved as version %(v)d.") % {"v": saved.version})
                return redirect("messaging:templates")
            except ValidationError as exc:
                form.add_error(None, exc)
    else:
        initial = None
        if current is not None:
            initial = {f: getattr(current, f) for f in TemplateForm.base_fields}
        form = TemplateForm(initial=initial)
    context = {"form": form, "creditor": found, "current": current, "versions": versions}
    return render(request, "messaging/template_edit.html", context)


@login_required
def sender_edit(request: HttpRequest, creditor: int) -> HttpResponse:
    _manager(request)
    found = _creditor(request, creditor)
    current = selectors.sender(creditor=found)
    if request.method == "POST":
        form = SenderForm(request.POST)
        if form.is_valid():
            try:
                services.sender_save(actor=request.user, creditor=found, **form.cleaned_data)
                messages.success(request, _("Sender details saved."))
                return redirect("messaging:templates")
            except ValidationError as exc:
                form.add_error(None, exc)
    else:
        form = SenderForm(
            initial={"signature": current.signature, "hotline": current.hotline} if current else None
        )
    return render(request, "messaging/sender_edit.html", {"form": form, "creditor": found})


def _send_form(request: HttpRequest, case, data=None) -> SendForm:
    library = selectors.library(creditor=case.creditor)
    channel_labels = dict(Channel.choices)
    language_labels = dict(Language.choices)
    templates = [
        (f"{t.channel}:{t.code}:{t.language}",
         f"{channel_labels[t.channel]} · {t.title} ({language_labels.get(t.language, t.language)})")
        for t in library
    ]  # fmt: skip
    points = []
    for channel in ("sms", "email"):
        for point in selectors.case_points(user=request.user, case=case, channel=channel):
            shown = mask_email(point.value) if channel == "email" else str(point)
            flag = f" ({_('do not contact')})" if point.do_not_contact else ""
            points.append((str(point.pk), f"{channel_labels[channel]} · {shown}{flag}"))
    return SendForm(data, templates=templates, points=points)


@login_required
@require_http_methods(["GET", "POST"])
def case_messages(request: HttpRequest, pk: int) -> HttpResponse:
    """A case's messages, and (for collectors) the form that sends one now."""
    case = case_selectors.case_or_404(user=request.user, pk=pk)
    may_send = can(request.user.role, "contact_debtors")
    form = _send_form(request, case, request.POST if request.method == "POST" else None)
    sent = None
    # The form's one-time key: a second post of the same form (a double click, a reload) shows the
    # message the first one sent instead of sending it again. A new key once a message exists.
    once = request.POST.get("once", "") if request.method == "POST" else ""
    if request.method == "POST":
        if not may_send:
            raise PermissionDenied(_("Your role may not contact debtors."))
        request_key = None
        if form.is_valid() and once:
            try:
                request_key = uuid.UUID(once)
            except ValueError:
                form.add_error(None, _("The form is damaged; open the page again."))
                once = ""
        if form.is_valid():
            channel, code, language = form.cleaned_data["template"].split(":")
            point = (
                selectors.case_points(user=request.user, case=case, channel=channel)
                .filter(pk=form.cleaned_data["point"])
                .first()
            )
            try:
                if point is None:
                    raise ValidationError(
                        _("An SMS goes to a mobile number, an e-mail to an e-mail address.")
                    )
                sent = services.message_send(
                    actor=request.user, case=case, channel=channel, code=code, language=language, point=point,
                    request_key=request_key,
                )  # fmt: skip
            except ValidationError as exc:
                form.add_error(None, exc)
    if sent is not None or not once:
        once = str(uuid.uuid4())
    context = {
        "case": case, "form": form, "may_send": may_send, "sent": sent, "once": once,
        "messages_list": selectors.case_messages(user=request.user, case=case)[:100],
    }  # fmt: skip
    return render(request, "messaging/case_messages.html", context)


@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The link in every e-mail. GET only asks (mail scanners open links); POST records the opt-out."""
    try:
        point, _case = services.unsubscribe_read(token)
    except ValidationError:
        raise Http404(_("This unsubscribe link is not valid.")) from None
    done = False
    if request.method == "POST":
        point = services.unsubscribe(token=token)
        done = True
    context = {"address": mask_email(point.value), "done": done or point.do_not_contact}
    return render(request, "messaging/unsubscribe.html", context)
