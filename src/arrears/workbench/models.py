"""Scripts (话术) an organisation has written or changed; the starter library lives in a file.

Each save is a new version, so what a collector was shown on a given day can be read back. A row
with the key of a starter script replaces it for the organisation; ``active`` False retires a key.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Script(models.Model):
    """One version of one script of an organisation's library."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    key = models.SlugField(_("key"), max_length=64)
    version = models.PositiveIntegerField(_("version"))
    stage = models.CharField(_("stage"), max_length=16)
    debtor_type = models.CharField(_("debtor type"), max_length=16)
    objection = models.CharField(_("objection"), max_length=20, blank=True)
    party = models.CharField(_("party"), max_length=16, default="debtor")
    title_zh = models.CharField(_("title (Chinese)"), max_length=100)
    title_en = models.CharField(_("title (English)"), max_length=100)
    body_zh = models.TextField(_("script (Chinese)"))
    body_en = models.TextField(_("script (English)"))
    active = models.BooleanField(_("in use"), default=True)
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    saved_at = models.DateTimeField(_("saved at"))

    class Meta:
        verbose_name = _("script")
        verbose_name_plural = _("scripts")
        ordering = ["key", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "key", "version"], name="script_unique_version")
        ]

    def __str__(self) -> str:
        return f"{self.key} v{self.version}"
