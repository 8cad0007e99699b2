"""Template filters naming the workbench's codes: ``{{ key.stage|stage_label }}``."""

from __future__ import annotations

from django import template

from arrears.cases.models import DebtorType
from arrears.workbench.labels import (
    ANY_TYPE,
    HOLD_LABELS,
    OBJECTION_LABELS,
    PARTY_LABELS,
    STAGE_LABELS,
    WARNING_LABELS,
)

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


@register.filter
def type_label(code: str) -> str:
    if code in DebtorType.values:
        return DebtorType(code).label
    return ANY_TYPE if code == "any" else code


@register.filter
def party_label(code: str) -> str:
    return PARTY_LABELS.get(code, code)
