"""Writes on creditors, placements and saved column mappings, each with its change-log row."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from arrears.accounts.models import User
from arrears.core import audit
from arrears.core.roles import can
from arrears.creditors.buckets import validate_bands
from arrears.creditors.models import ColumnMapping, Creditor, Placement, Product

M = TypeVar("M", Creditor, Placement, Product)


def _require(actor: User, capability: str) -> None:
    if not can(actor.role, capability):
        raise PermissionDenied(_("Your role may not do this."))


def _check_bands(bands: Any) -> list[int]:
    try:
        validate_bands(bands)
    except (TypeError, ValueError) as exc:
        raise ValidationError(
            {"bucket_bands": _("Bucket bands must be increasing whole numbers of days.")}
        ) from exc
    return list(bands)


def _check_tightening(profile: str, tightening: dict[str, Any] | None) -> None:
    from arrears.compliance.guard import ProfileError, load_profile

    if not tightening:
        return
    try:
        load_profile(profile, tighten=tightening)
    except ProfileError as exc:
        raise ValidationError({"compliance_tightening": str(exc)}) from exc


def _save(model: type[M], *, actor: User, instance: M | None, fields: dict[str, Any]) -> M:
    """Create ``model`` in the actor's organisation, or update ``instance``; validated and logged."""
    with transaction.atomic():
        if instance is None:
            if any(f.name == "organisation" for f in model._meta.fields):
                fields.setdefault("organisation_id", actor.organisation_id)
            obj = model(**fields)
            obj.full_clean()
            obj.save()
            audit.log_create(obj, user=actor)
            return obj
        # Re-read under lock: the caller's instance may already hold the new values (a bound
        # ModelForm writes them into its instance), and the log needs the stored ones.
        obj = model.objects.select_for_update().get(pk=instance.pk)
        before = audit.snapshot(obj)
        for name, value in fields.items():
            setattr(obj, name, value)
        obj.full_clean()
        obj.save()
        audit.log_update(obj, before, user=actor)
        return obj


def creditor_save(*, actor: User, creditor: Creditor | None = None, **fields: Any) -> Creditor:
    """Create a creditor, or update ``creditor`` with ``fields``."""
    _require(actor, "manage_creditors")
    if "bucket_bands" in fields:
        fields["bucket_bands"] = _check_bands(fields["bucket_bands"])
    _check_tightening(
        fields.get("compliance_profile", creditor.compliance_profile if creditor else "CN"),
        fields.get("compliance_tightening"),
    )
    return _save(Creditor, actor=actor, instance=creditor, fields=fields)


def placement_save(*, actor: User, placement: Placement | None = None, **fields: Any) -> Placement:
    """Create a placement for the actor's organisation, or update ``placement``."""
    _require(actor, "manage_creditors")
    return _save(Placement, actor=actor, instance=placement, fields=fields)


def product_save(
    *, actor: User, creditor: Creditor, product: Product | None = None, **fields: Any
) -> Product:
    """Create or update a product of ``creditor``; the money core checks its rules before saving
    (the waterfall names every component once, rates are not negative, the plan limit is 2–60)."""
    _require(actor, "manage_creditors")
    columns = Product._meta.concrete_fields
    current = {f.attname: getattr(product, f.attname) for f in columns} if product else {}
    candidate = Product(**{**current, **fields, "creditor_id": creditor.pk})
    try:
        candidate.rules()
    except (TypeError, ValueError) as exc:
        raise ValidationError(str(exc)) from exc
    return _save(Product, actor=actor, instance=product, fields={"creditor": creditor, **fields})


def column_mapping_save(
    *, actor: User, creditor: Creditor, name: str, mapping: dict[str, str]
) -> ColumnMapping:
    """Save (or replace) a creditor's named column mapping."""
    _require(actor, "import_cases")
    from arrears.intake.errors import IntakeFileError
    from arrears.intake.headers import validate_custom_mapping

    try:
        clean = validate_custom_mapping(mapping)
    except IntakeFileError as exc:
        raise ValidationError({"mapping": exc.reason}) from exc
    with transaction.atomic():
        existing = ColumnMapping.objects.select_for_update().filter(creditor=creditor, name=name).first()
        if existing is None:
            saved = ColumnMapping.objects.create(
                creditor=creditor, name=name, mapping=clean, created_by=actor
            )
            audit.log_create(saved, user=actor)
            return saved
        before = audit.snapshot(existing)
        existing.mapping = clean
        existing.save()
        audit.log_update(existing, before, user=actor)
        return existing
