"""Template filters naming the workbench's codes: ``{{ key.stage|stage_label }}``."""

from __future__ import annotations

from django import template

from arrears.workbench.labels import HOLD_LABELS, OBJECTION_LABELS, STAGE_LABELS, WARNING_LABELS

register = template.Library()


@register.filter
def stage_label(code: str) -> str:
    return STAGE_LABELS.get(code, code)


@register.filter
def warning_label(code: str) -> str:
    return WARNING_LABELS.get(code, code)


@register.filter
def hold_label(code: str) -> str:
    return HOLD_LABELS.get(code, code)


@register.filter
def objection_label(code: str) -> str:
    return OBJECTION_LABELS.get(code, code)
