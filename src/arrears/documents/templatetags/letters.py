"""The "issue a letter" form on the case page, with the choices the user may make there."""

from __future__ import annotations

from typing import Any

from django import template

from arrears.core.access import restrict
from arrears.documents.forms import KIND_CHOICES
from arrears.documents.models import LawFirm

register = template.Library()


@register.inclusion_tag("documents/_letter_form.html", takes_context=True)
def letter_form(context: dict[str, Any], case: Any) -> dict[str, Any]:
    user = context["request"].user
    return {
        "case": case,
        "kinds": KIND_CHOICES,
        "firms": restrict(LawFirm.objects.filter(active=True), user),
        "persons": case.debtor.contact_persons.all(),
        "csrf_token": context.get("csrf_token"),
    }
