"""The "issue a letter" form on the case page (no queries: the details are asked on the next page)."""

from __future__ import annotations

from typing import Any

from django import template

from arrears.documents.forms import KIND_CHOICES

register = template.Library()


@register.inclusion_tag("documents/_letter_form.html", takes_context=True)
def letter_form(context: dict[str, Any], case: Any) -> dict[str, Any]:
    return {"case": case, "kinds": KIND_CHOICES}
