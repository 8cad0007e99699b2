"""Documents arrears produced for a case (letters, certificates): what, which number, by whom, the
file itself and its fingerprint, so a copy handed over can be checked against the record."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Document(models.Model):
    """One issued document of a case; its number is printed on it and never reused."""

    class Kind(models.TextChoices):
        SETTLEMENT_CERTIFICATE = "settlement_certificate", _("Settlement certificate")

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    number = models.CharField(_("document number"), max_length=64, unique=True)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(_("file"), upload_to="documents/%Y/%m/")
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return self.number
