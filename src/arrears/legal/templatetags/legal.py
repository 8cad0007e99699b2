"""``{% legal_flag case %}``: the case's place on the legal track, shown on the case page."""

from __future__ import annotations

from typing import Any

from django import template

from arrears.legal.selectors import legal_state

register = template.Library()


@register.inclusion_tag("legal/_flag.html")
def legal_flag(case: Any) -> dict[str, Any]:
    return {"case": case, "escalation": legal_state(case)}
