"""Organisations, teams and users: who works the cases and what each may see."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from arrears.core.roles import Role

ROLE_CHOICES = [
    (Role.COLLECTOR.value, _("Collector")),
    (Role.FIELD_AGENT.value, _("Field agent")),
    (Role.TEAM_LEAD.value, _("Team lead")),
    (Role.MANAGER.value, _("Manager")),
    (Role.LEGAL.value, _("Legal")),
    (Role.FINANCE.value, _("Finance")),
    (Role.QA.value, _("Compliance / QA")),
    (Role.COMPLAINTS.value, _("Complaints officer")),
    (Role.ADMIN.value, _("Administrator")),
    (Role.AUDITOR.value, _("Auditor")),
]


class Organisation(models.Model):
    """A bank's collection department or an agency (委外催收机构): the unit that cases are placed with."""

    class Kind(models.TextChoices):
        BANK = "bank", _("Bank collection department")
        AGENCY = "agency", _("Collection agency")

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.BANK)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    """A team of collectors (催收组) led by a team lead."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["organisation", "name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="team_unique_name")]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person using arrears, with one role in one organisation (and a team for collectors)."""

    AUDIT_EXCLUDE = ("password",)

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    role = models.CharField(_("role"), max_length=16, choices=ROLE_CHOICES, blank=True)
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="members")
    display_name = models.CharField(_("display name"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.username


class ApiToken(models.Model):
    """A bearer token for a system (a creditor's upload job, a dialer), acting as a user with a role.

    Only a SHA-256 of the token is stored; the token itself is shown once, when it is created.
    """

    AUDIT_EXCLUDE = ("digest",)

    PREFIX = "arr_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    role = models.CharField(_("role"), max_length=16, choices=ROLE_CHOICES)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", null=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def new_secret() -> str:
        return ApiToken.PREFIX + secrets.token_urlsafe(32)

    @staticmethod
    def digest_of(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()
