from __future__ import annotations

from django import template

from arrears.cases.event_labels import LABELS

register = template.Library()


@register.filter
def event_label(kind: str) -> str:
    """The event's name for people; an event kind without one shows its code."""
    return LABELS.get(kind, kind)
