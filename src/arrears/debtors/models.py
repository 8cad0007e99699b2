"""Debtors (债务人), the people they named as contacts (联系人), and contact points.

A debtor is one natural person, identified by the ID number, as one organisation knows them: two
agencies working the same person each keep their own dossier, so nothing one of them learns or
types reaches the other. The number itself is stored only encrypted; ``id_hash`` (a keyed hash)
finds a debtor by exact number, ``id_masked`` is what screens show, and ``id_last4`` serves the
"last four digits" search collectors use on the phone. The birth date is deliberately not kept:
with the masked number it would give the whole number back.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from arrears.core import crypto


class Debtor(models.Model):
    """A natural person who owes on one or more cases."""

    AUDIT_EXCLUDE = ("id_encrypted", "id_hash")

    class Gender(models.TextChoices):
        MALE = "M", _("male")
        FEMALE = "F", _("female")

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="debtors"
    )
    name = models.CharField(_("name"), max_length=100, db_index=True)
    id_encrypted = models.BinaryField(_("ID number (encrypted)"))
    id_hash = models.CharField(max_length=64, db_index=True)
    id_masked = models.CharField(_("ID number"), max_length=18)
    id_last4 = models.CharField(max_length=4, db_index=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    employer = models.CharField(_("employer"), max_length=200, blank=True)
    home_address = models.CharField(_("home address"), max_length=300, blank=True)
    work_address = models.CharField(_("work address"), max_length=300, blank=True)
    timezone = models.CharField(_("time zone"), max_length=64, default="Asia/Shanghai")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("debtor")
        verbose_name_plural = _("debtors")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "id_hash"], name="debtor_unique_per_org")
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.id_masked}"

    def reveal_id_number(self) -> str:
        """The clear ID number. Call only through ``debtor_reveal``, which records the reveal."""
        return crypto.decrypt(self.id_encrypted)


class ContactPerson(models.Model):
    """Someone the debtor named (联系人 / 紧急联系人). May only be asked to pass on a message."""

    debtor = models.ForeignKey(Debtor, on_delete=models.CASCADE, related_name="contact_persons")
    name = models.CharField(_("name"), max_length=100)
    relationship = models.CharField(_("relationship"), max_length=50, blank=True)
    do_not_contact = models.BooleanField(_("do not contact"), default=False)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [
            models.UniqueConstraint(fields=["debtor", "name", "relationship"], name="contactperson_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.relationship})"


class ContactPoint(models.Model):
    """A phone number or e-mail address of the debtor (``person`` empty) or of one of their contacts."""

    class Kind(models.TextChoices):
        MOBILE = "mobile", _("mobile")
        LANDLINE = "landline", _("landline")
        EMAIL = "email", _("e-mail")

    class Status(models.TextChoices):
        UNVERIFIED = "unverified", _("not yet tried")
        VALID = "valid", _("reached")
        INVALID = "invalid", _("invalid")

    debtor = models.ForeignKey(Debtor, on_delete=models.CASCADE, related_name="contact_points")
    person = models.ForeignKey(
        ContactPerson, on_delete=models.CASCADE, null=True, blank=True, related_name="contact_points"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    # E.164 for phones that parse, the text as given for those that do not (kept, marked invalid).
    value = models.CharField(_("number or address"), max_length=254, db_index=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.UNVERIFIED)
    do_not_contact = models.BooleanField(_("do not contact"), default=False)
    source = models.CharField(_("source"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("contact point")
        verbose_name_plural = _("contact points")
        constraints = [
            models.UniqueConstraint(
                fields=["debtor", "value"],
                condition=models.Q(person__isnull=True),
                name="contactpoint_unique_own",
            ),
            models.UniqueConstraint(fields=["person", "value"], name="contactpoint_unique_person"),
        ]

    def __str__(self) -> str:
        from arrears.core.masking import mask_email, mask_phone

        return mask_email(self.value) if self.kind == self.Kind.EMAIL else mask_phone(self.value)
