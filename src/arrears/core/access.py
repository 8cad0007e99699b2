"""The one access choke point: every queryset a user sees is narrowed here.

``restrict(queryset, user)`` returns only the rows the user's role may see; anything outside is
simply absent, so views answer 404 ("not found") rather than 403 and never confirm that a case
exists. Each model registers how it reaches a case (or an organisation); a model without a rule is
refused loudly, so a new model cannot be shown before someone decides who may see it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db import models
from django.db.models import Q

from arrears.core.roles import CAPABILITIES, SCOPE, Role, Scope

M = TypeVar("M", bound=models.Model)

_NOTHING = Q(pk__in=[])
_RULES: dict[str, Callable[[Any], Q]] = {}


class NoAccessRule(LookupError):
    pass


def case_q(user: Any, prefix: str = "") -> Q:
    """The cases ``user`` may see, as a Q on ``prefix`` (e.g. ``"cases__"`` from Debtor)."""
    role = _role(user)
    if role is None or user.organisation_id is None:
        return _NOTHING
    org = Q(**{f"{prefix}organisation_id": user.organisation_id})
    scope = SCOPE[role]
    if scope is Scope.ORGANISATION:
        return org
    if scope is Scope.TEAM:
        if user.team_id is None:
            return org & Q(**{f"{prefix}assigned_to_id": user.pk})
        return org & (
            Q(**{f"{prefix}team_id": user.team_id}) | Q(**{f"{prefix}assigned_to__team_id": user.team_id})
        )
    return org & Q(**{f"{prefix}assigned_to_id": user.pk})


def organisation_q(user: Any, field: str) -> Q:
    """Rows that belong to the user's organisation through ``field``; only organisation-wide roles."""
    role = _role(user)
    if role is None or user.organisation_id is None:
        return _NOTHING
    return Q(**{field: user.organisation_id})


def scoped_q(user: Any, *, org_field: str, narrow: Callable[[Any], Q]) -> Q:
    """Organisation-wide roles see every row of their organisation; the others only ``narrow``."""
    role = _role(user)
    if role is None or user.organisation_id is None:
        return _NOTHING
    if SCOPE[role] is Scope.ORGANISATION:
        return Q(**{org_field: user.organisation_id})
    return narrow(user)


def capability_q(user: Any, capability: str, field: str) -> Q:
    """Rows of the user's organisation, for roles that hold ``capability``; nothing for the rest."""
    role = _role(user)
    if role is None or role not in CAPABILITIES[capability]:
        return _NOTHING
    return organisation_q(user, field)


def _role(user: Any) -> Role | None:
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return None
    return Role(user.role) if user.role else None


def register(label: str, rule: Callable[[Any], Q]) -> None:
    _RULES[label] = rule


def restrict(queryset: models.QuerySet[M], user: Any) -> models.QuerySet[M]:
    label = queryset.model._meta.label_lower
    try:
        rule = _RULES[label]
    except KeyError:
        raise NoAccessRule(f"no access rule for {label}; add one in its app's ready()") from None
    q = rule(user)
    if q == _NOTHING:
        return queryset.none()
    # Rules that cross a to-many relation (a debtor through its cases) would repeat rows; filtering
    # by a subquery of ids keeps one row per object and lets the database plan it as a semi-join.
    if getattr(rule, "to_many", False):
        return queryset.filter(pk__in=queryset.model._default_manager.filter(q).values("pk"))
    return queryset.filter(q)


def to_many(rule: Callable[[Any], Q]) -> Callable[[Any], Q]:
    rule.to_many = True  # type: ignore[attr-defined]
    return rule
