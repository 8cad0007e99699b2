"""Import records: each creditor file taken in, kept with its outcome and its rejected rows."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportBatch(models.Model):
    """One run of case intake on one file. The original file and the error workbook are kept."""

    # The row issues stay on the import itself; the change log records the counts.
    AUDIT_EXCLUDE = ("errors_json", "warnings_json")

    class Status(models.TextChoices):
        DONE = "done", _("Imported")
        UNCHANGED = "unchanged", _("Nothing changed")
        FAILED = "failed", _("Failed")

    creditor = models.ForeignKey("creditors.Creditor", on_delete=models.PROTECT, related_name="imports")
    placement = models.ForeignKey("creditors.Placement", on_delete=models.PROTECT, related_name="imports")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    filename = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.BigIntegerField(_("size (bytes)"))
    file = models.FileField(_("original file"), upload_to="imports/%Y/%m/", max_length=300)
    error_file = models.FileField(_("rejected rows"), upload_to="imports/%Y/%m/", max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    business_date = models.DateField(_("business date"))
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True)
    imported = models.IntegerField(_("imported"), default=0)
    updated = models.IntegerField(_("updated"), default=0)
    unchanged = models.IntegerField(_("unchanged"), default=0)
    rejected = models.IntegerField(_("rejected"), default=0)
    warnings = models.IntegerField(_("warnings"), default=0)
    # Row issues as {"row", "column", "code", "reason"}; reasons never quote an ID number.
    errors_json = models.JSONField(default=list, blank=True)
    warnings_json = models.JSONField(default=list, blank=True)
    message = models.TextField(blank=True)

    class Meta:
        verbose_name = _("case import")
        verbose_name_plural = _("case imports")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.started_at:%Y-%m-%d %H:%M})"

    def earlier_same_file(self) -> ImportBatch | None:
        """The first successful import of the very same bytes into the same placement, if any."""
        earlier = ImportBatch.objects.filter(placement_id=self.placement_id, sha256=self.sha256).exclude(
            status=self.Status.FAILED
        )
        if self.pk:
            earlier = earlier.filter(pk__lt=self.pk)
        return earlier.order_by("pk").first()
