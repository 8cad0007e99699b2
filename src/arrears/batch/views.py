"""The nightly run's record, and the strategy editor."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from arrears.batch.models import BatchRun, Strategy
from arrears.batch.services import strategy_save
from arrears.core.access import restrict
from arrears.core.roles import can


@login_required
def runs(request: HttpRequest) -> HttpResponse:
    if not can(request.user.role, "view_batch_runs"):
        raise PermissionDenied(_("Your role may not see the nightly runs."))
    # Runs are book-wide (every organisation's cases age the same night); they carry no case data.
    return render(request, "batch/runs.html", {"runs": BatchRun.objects.order_by("-started_at")[:60]})


@login_required
def strategies(request: HttpRequest) -> HttpResponse:
    listed = restrict(Strategy.objects.all(), request.user).select_related("creditor", "saved_by")
    ordered = listed.order_by("creditor__code", "product_type", "-version")
    return render(request, "batch/strategies.html", {"strategies": ordered})


@login_required
def strategy(request: HttpRequest, pk: int) -> HttpResponse:
    """A version of a strategy, and (for managers) the form that saves the next one."""
    current = get_object_or_404(restrict(Strategy.objects.select_related("creditor"), request.user), pk=pk)
    siblings = restrict(Strategy.objects.all(), request.user).filter(
        creditor=current.creditor, product_type=current.product_type
    )
    text = json.dumps(current.document, ensure_ascii=False, indent=2)
    errors: list[str] = []
    if request.method == "POST":
        if not can(request.user.role, "manage_strategies"):
            raise PermissionDenied(_("Your role may not change strategies."))
        text = request.POST.get("document", "")
        try:
            document = json.loads(text)
            share = Decimal(request.POST.get("challenger_share") or "0")
            challenger = siblings.filter(pk=request.POST.get("challenger") or 0).first()
            saved = strategy_save(
                actor=request.user, creditor=current.creditor, product_type=current.product_type,
                title=request.POST.get("title") or current.title, document=document, challenger=challenger,
                challenger_share=share,
            )  # fmt: skip
            messages.success(request, _("Saved as version %(v)d, now active.") % {"v": saved.version})
            return redirect("batch:strategy", pk=saved.pk)
        except json.JSONDecodeError as exc:
            where = {"line": exc.lineno, "col": exc.colno}
            errors.append(_("Not valid JSON: line %(line)d, column %(col)d.") % where)
        except InvalidOperation:
            errors.append(_("The challenger's share is a number such as 0.1."))
        except ValidationError as exc:
            errors.extend(exc.messages)
    context = {"current": current, "versions": siblings.order_by("-version"), "text": text, "errors": errors}
    return render(request, "batch/strategy.html", context)
