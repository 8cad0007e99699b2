"""Writes on users, teams and API tokens; administrators only, each with its change-log row."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from arrears.accounts.models import ApiToken, Team, User
from arrears.core import audit
from arrears.core.roles import can, within


def _require_admin(actor: User | None) -> None:
    # ``None`` is the operator at the console (``arrears create-token``), who holds the server.
    if actor is not None and not can(actor.role, "manage_tokens"):
        raise PermissionDenied(_("Only an administrator may do this."))


def user_create(
    *, actor: User, username: str, password: str, role: str, display_name: str = "", team: Team | None = None
) -> User:
    _require_admin(actor)
    if team is not None and team.organisation_id != actor.organisation_id:
        raise ValidationError(_("The team belongs to another organisation."))
    with transaction.atomic():
        user = User(
            username=username,
            role=role,
            display_name=display_name,
            team=team,
            organisation_id=actor.organisation_id,
        )
        user.set_password(password)
        user.full_clean()
        user.save()
        audit.log_create(user, user=actor)
    return user


def user_update(*, actor: User, user: User, **fields: Any) -> User:
    """Change a user's role, team, display name or active flag."""
    _require_admin(actor)
    allowed = {"role", "team", "display_name", "is_active"}
    if set(fields) - allowed:
        raise ValidationError(_("Only role, team, display name and active can be changed here."))
    if fields.get("team") is not None and fields["team"].organisation_id != user.organisation_id:
        raise ValidationError(_("The team belongs to another organisation."))
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        before = audit.snapshot(user)
        for name, value in fields.items():
            setattr(user, name, value)
        user.save()
        audit.log_update(user, before, user=actor)
    return user


def team_create(*, actor: User, name: str) -> Team:
    _require_admin(actor)
    with transaction.atomic():
        team = Team(organisation_id=actor.organisation_id, name=name)
        team.full_clean()
        team.save()
        audit.log_create(team, user=actor)
    return team


def token_issue(*, actor: User | None, user: User, name: str, role: str) -> tuple[ApiToken, str]:
    """Create a token acting as ``user`` with ``role``; the secret is returned once, only its
    digest is stored."""
    _require_admin(actor)
    if actor is not None and user.organisation_id != actor.organisation_id:
        raise ValidationError(_("The user belongs to another organisation."))
    if not within(role, user.role):
        raise ValidationError(_("A token cannot have more rights than the user it acts as."))
    secret = ApiToken.new_secret()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name, role=role, digest=ApiToken.digest_of(secret), created_by=actor
        )
        audit.log_create(token, user=actor)
    return token, secret


def token_revoke(*, actor: User | None, token: ApiToken) -> None:
    _require_admin(actor)
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        before = audit.snapshot(token)
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.log_update(token, before, user=actor)
