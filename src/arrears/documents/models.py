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
        DEMAND_LETTER = "demand_letter", _("Demand letter")
        LAWYER_LETTER = "lawyer_letter", _("Lawyer's letter")
        PLAN_AGREEMENT = "plan_agreement", _("Repayment plan agreement")
        CREDIT_NOTICE = "credit_notice", _("Credit-bureau reporting notice")
        LOCATE_LETTER = "locate_letter", _("Locate letter")

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


class Letterhead(models.Model):
    """What a creditor's letters say about the creditor: where to call, write, check, repay and
    dispute (2011 Measures Art 69), and the neutral number a locate letter gives a contact person."""

    creditor = models.OneToOneField("creditors.Creditor", on_delete=models.CASCADE, related_name="letterhead")
    phone = models.CharField(_("service phone"), max_length=64)
    address = models.CharField(_("address"), max_length=300)
    check_how = models.CharField(_("how to check the account"), max_length=300)
    repay_how = models.CharField(_("how to repay"), max_length=300)
    dispute_how = models.CharField(_("how to dispute or complain"), max_length=300)
    # A locate letter names neither the creditor nor the debt: the contact calls this number.
    locate_phone = models.CharField(_("phone for locate letters"), max_length=64, blank=True)
    reply_days = models.PositiveSmallIntegerField(_("days given to reply"), default=15)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("letterhead")
        verbose_name_plural = _("letterheads")

    def __str__(self) -> str:
        return str(self.creditor)


class LawFirm(models.Model):
    """A partner law firm (合作律师事务所) that issues lawyer's letters for the organisation."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    licence_number = models.CharField(_("practice licence number"), max_length=64)
    address = models.CharField(_("address"), max_length=300)
    phone = models.CharField(_("phone"), max_length=64)
    lawyers = models.CharField(_("lawyers"), max_length=300, help_text=_("Names, separated by commas."))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("law firm")
        verbose_name_plural = _("law firms")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="lawfirm_unique_name")]

    def __str__(self) -> str:
        return self.name

    def lawyer_names(self) -> str:
        parts = [p.strip() for p in self.lawyers.replace("，", ",").replace("、", ",").split(",")]
        return "、".join(p for p in parts if p)


class LetterTemplate(models.Model):
    """A creditor's own wording of a letter kind's body paragraphs, versioned: a save adds a version,
    the latest applies, the old ones stay (a letter issued last month can be explained). Screened by
    the compliance guard when saved; the fixed parts of the letter are never in a template."""

    creditor = models.ForeignKey("creditors.Creditor", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=32)
    version = models.PositiveIntegerField(_("version"))
    body = models.TextField(
        _("body paragraphs"), blank=True, help_text=_("Paragraphs separated by a blank line.")
    )
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    saved_at = models.DateTimeField(_("saved at"))

    class Meta:
        verbose_name = _("letter template")
        verbose_name_plural = _("letter templates")
        ordering = ["creditor", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["creditor", "kind", "version"], name="lettertemplate_version")
        ]

    def __str__(self) -> str:
        return f"{self.creditor_id} {self.kind} v{self.version}"


class Mailing(models.Model):
    """One batch of letters printed for the post: the merged PDF and the dispatch register."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=32)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"))
    letters = models.FileField(_("letters (PDF)"), upload_to="mailings/%Y/%m/", blank=True)
    register = models.FileField(_("dispatch register"), upload_to="mailings/%Y/%m/", blank=True)
    # Cases the guard refused: [{"case": id, "account": "…", "reasons": ["…"]}]; nothing was printed.
    refused = models.JSONField(_("refused"), default=list, blank=True)

    class Meta:
        verbose_name = _("mailing")
        verbose_name_plural = _("mailings")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.created_at:%Y-%m-%d}"


class Dispatch(models.Model):
    """A letter on its way: to whom and where, when posted, the tracking number, and whether it was
    delivered (with proof) or came back.

    ``delivered_on`` and ``kind`` are plain columns on purpose: the nightly run reads the latest
    delivered demand per case (it restarts the limitation period) in one query, e.g.
    ``SELECT case_id, MAX(delivered_on) FROM documents_dispatch WHERE kind IN (demand kinds) AND
    to_debtor AND delivered_on IS NOT NULL GROUP BY case_id``.
    """

    class State(models.TextChoices):
        PRINTED = "printed", _("Printed")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        RETURNED = "returned", _("Returned undeliverable")

    document = models.OneToOneField(Document, on_delete=models.PROTECT, related_name="dispatch")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=32)
    mailing = models.ForeignKey(
        Mailing, on_delete=models.SET_NULL, null=True, blank=True, related_name="dispatches"
    )
    addressee = models.CharField(_("addressee"), max_length=100)
    address = models.CharField(_("address"), max_length=300)
    # Sent to the debtor at the address on record (a delivered demand there restarts the limitation).
    to_debtor = models.BooleanField(_("to the debtor's address on record"), default=False)
    # The contact attempt the guard allowed for this letter.
    contact_record_id = models.BigIntegerField(null=True, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.PRINTED)
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=64, blank=True)
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    proof = models.FileField(_("proof of delivery"), upload_to="dispatch-proof/%Y/%m/", blank=True)
    returned_reason = models.CharField(_("why it came back"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("dispatch")
        verbose_name_plural = _("dispatches")
        ordering = ["-id"]
        indexes = [models.Index(fields=["case", "kind", "delivered_on"], name="dispatch_case_kind_delivered")]

    def __str__(self) -> str:
        return f"{self.document_id} {self.state}"
