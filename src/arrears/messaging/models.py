"""Message templates (短信/邮件模板), each creditor's sender details, and the outbox of messages."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")


class Language(models.TextChoices):
    ZH = "zh-hans", _("Chinese")
    EN = "en", _("English")


class Purpose(models.TextChoices):
    DEMAND = "demand", _("Reminder to pay")
    NOTICE = "notice", _("Notice (e.g. instalment reminder)")


class MessageTemplate(models.Model):
    """One saved version of a creditor's SMS or e-mail template. Each save is a new version; the
    latest version of (creditor, channel, code, language) is the one used, unless it is retired.
    The starter templates shipped with arrears count as version 0 until a creditor saves its own."""

    creditor = models.ForeignKey(
        "creditors.Creditor", on_delete=models.PROTECT, related_name="message_templates",
        verbose_name=_("creditor"),
    )  # fmt: skip
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    code = models.SlugField(_("code"), max_length=64)
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    version = models.PositiveIntegerField(_("version"))
    active = models.BooleanField(_("in use"), default=True)
    purpose = models.CharField(_("purpose"), max_length=8, choices=Purpose.choices, default=Purpose.DEMAND)
    title = models.CharField(_("title"), max_length=100)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("body"))
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    saved_at = models.DateTimeField(_("saved at"))

    class Meta:
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        ordering = ["creditor", "channel", "code", "language", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["creditor", "channel", "code", "language", "version"],
                name="msgtemplate_unique_version",
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel}:{self.code}:{self.language} v{self.version}"


class Sender(models.Model):
    """How a creditor's messages are signed and where a debtor reaches it: the SMS signature (the
    registered sender name carriers require) and the official contact number in every message."""

    creditor = models.OneToOneField(
        "creditors.Creditor", on_delete=models.CASCADE, related_name="sender", verbose_name=_("creditor")
    )
    signature = models.CharField(_("SMS signature"), max_length=20)
    hotline = models.CharField(_("official contact number"), max_length=32)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("sender details")
        verbose_name_plural = _("sender details")

    def __str__(self) -> str:
        return f"{self.signature} {self.hotline}"


class Message(models.Model):
    """One SMS or e-mail in the outbox, from the moment it is asked for to its delivery receipt.

    ``key`` is the idempotency key the gateway receives: a retry after a timeout carries the same
    key, so the gateway sends it once. The text is rendered again from the case's figures at each
    try (a message that waited must not demand yesterday's amount) and kept as it left, so what the
    debtor received can always be shown; once the gateway may hold it (``text_final``), a retry
    repeats it word for word.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")
        REFUSED = "refused", _("Refused by the compliance guard")

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="messages")
    contact_point = models.ForeignKey(
        "debtors.ContactPoint", on_delete=models.SET_NULL, null=True, blank=True, related_name="messages",
        verbose_name=_("to"),
    )  # fmt: skip
    to = models.CharField(_("to"), max_length=254)  # the number or address at the time of sending
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    purpose = models.CharField(_("purpose"), max_length=8, choices=Purpose.choices)
    template_code = models.CharField(_("template"), max_length=64)
    template_version = models.PositiveIntegerField(_("template version"))  # 0: the starter template
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    text = models.TextField(_("text"))
    # Set once a try may have reached the gateway (sent, or a timeout): the gateway keeps the text it
    # got under the key, so a later try must not render different figures under the same key.
    text_final = models.BooleanField(_("text handed over"), default=False)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_try_at = models.DateTimeField(_("next try"), null=True, blank=True)
    gateway_id = models.CharField(_("gateway id"), max_length=100, blank=True)
    error = models.TextField(_("error"), blank=True)
    # The strategy's task this message carries out; one message per task, however often the sender runs.
    task = models.OneToOneField(
        "batch.Task", on_delete=models.SET_NULL, null=True, blank=True, related_name="message"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The one-time key of the send form a collector posted: a second post of the same form (a
    # double click, a reload) finds this message instead of sending another.
    request_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_try_at"], name="message_due")]

    def __str__(self) -> str:
        return f"{self.channel} {self.key} {self.status}"
