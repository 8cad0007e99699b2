"""Creditor and placement pages for administrators and managers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from arrears.core.access import restrict
from arrears.core.roles import can
from arrears.creditors import services
from arrears.creditors.forms import ColumnMappingForm, CreditorForm, PlacementForm, ProductForm
from arrears.creditors.models import Creditor, Placement
from arrears.intake.headers import FIELD_LABELS


@login_required
def creditor_list(request: HttpRequest) -> HttpResponse:
    creditors = restrict(Creditor.objects.all(), request.user).order_by("code")
    placements = (
        restrict(Placement.objects.all(), request.user)
        .select_related("creditor", "organisation")
        .annotate(case_count=Count("cases"))
        .order_by("creditor__code", "-entrusted_on")
    )
    return render(
        request,
        "creditors/list.html",
        {
            "creditors": creditors,
            "placements": placements,
            "can_manage": can(request.user.role, "manage_creditors"),
        },
    )


def _save(request: HttpRequest, form, save, template: str, **kwargs) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            save(actor=request.user, **kwargs, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except PermissionDenied:
            return HttpResponse(_("Not permitted"), status=403)
        else:
            messages.success(request, _("Saved."))
            return redirect("creditors:list")
    return render(request, template, {"form": form})


@login_required
def creditor_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if not can(request.user.role, "manage_creditors"):
        return HttpResponse(_("Not permitted"), status=403)
    creditor = get_object_or_404(restrict(Creditor.objects.all(), request.user), pk=pk) if pk else None
    form = CreditorForm(request.POST or None, instance=creditor)
    return _save(request, form, services.creditor_save, "creditors/form.html", creditor=creditor)


@login_required
def placement_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if not can(request.user.role, "manage_creditors"):
        return HttpResponse(_("Not permitted"), status=403)
    placement = get_object_or_404(restrict(Placement.objects.all(), request.user), pk=pk) if pk else None
    form = PlacementForm(request.POST or None, instance=placement)
    form.fields["creditor"].queryset = restrict(Creditor.objects.filter(active=True), request.user).order_by(
        "code"
    )
    return _save(request, form, services.placement_save, "creditors/form.html", placement=placement)


@login_required
def mappings(request: HttpRequest, pk: int) -> HttpResponse:
    """A creditor's saved column mappings, and a form to add or replace one."""
    creditor = get_object_or_404(restrict(Creditor.objects.all(), request.user), pk=pk)
    form = ColumnMappingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.column_mapping_save(
                actor=request.user,
                creditor=creditor,
                name=form.cleaned_data["name"],
                mapping=form.cleaned_data["mapping"],
            )
        except ValidationError as exc:
            form.add_error("mapping", exc.message_dict.get("mapping", exc.messages))
        except PermissionDenied:
            return HttpResponse(_("Not permitted"), status=403)
        else:
            messages.success(request, _("Column mapping saved."))
            return redirect("creditors:mappings", pk=creditor.pk)
    return render(
        request,
        "creditors/mappings.html",
        {
            "creditor": creditor,
            "form": form,
            "mappings": creditor.column_mappings.order_by("name"),
            "fields": FIELD_LABELS.items(),
        },
    )


@login_required
def products(request: HttpRequest, pk: int, product: int | None = None) -> HttpResponse:
    """A creditor's products and their money rules; add one, or edit ``product``."""
    if not can(request.user.role, "manage_creditors"):
        return HttpResponse(_("Not permitted"), status=403)
    creditor = get_object_or_404(restrict(Creditor.objects.all(), request.user), pk=pk)
    instance = get_object_or_404(creditor.products, pk=product) if product else None
    form = ProductForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.product_save(
                actor=request.user, creditor=creditor, product=instance, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("creditors:products", pk=creditor.pk)
    listed = creditor.products.order_by("code")
    context = {"creditor": creditor, "form": form, "editing": instance, "products": listed}
    return render(request, "creditors/products.html", context)
