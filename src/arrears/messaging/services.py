"""Writes of messaging: saving templates, sending SMS and e-mail, and what comes back (receipts,
replies, opt-outs).

Every message leaves through ``contacts.services.contact_attempt`` at the moment it is handed to the
gateway, with its rendered text as the content the guard screens: a refusal is recorded there and the
message is marked refused with the reasons. A message the strategy asked for that the guard refuses
only for the time (quiet hours) waits in the queue until the guard's next allowed time instead: the
compliance rules ask that such sends be queued, never dropped silently.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import smtplib
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from arrears.accounts.models import User
from arrears.batch.models import Task
from arrears.cases import events
from arrears.cases.models import Case, CaseStatus
from arrears.compliance.guard import screen_text
from arrears.contacts.models import ContactRecord, Outcome
from arrears.contacts.services import contact_attempt, contact_attempt_not_sent
from arrears.core.access import restrict
from arrears.core.roles import can
from arrears.creditors.models import Creditor
from arrears.debtors.models import ContactPoint
from arrears.intake.normalize import phone as parse_phone
from arrears.messaging import conf, core, selectors
from arrears.messaging.gateway import GatewayError, Outgoing, sms_gateway
from arrears.messaging.models import Message, MessageTemplate, Sender
from arrears.payments.models import RepaymentPlan

# Profiles that require a way to opt out in every electronic message (12 CFR 1006.6(e) [R]); the
# e-mail unsubscribe link is added under every profile, the SMS footer where a profile requires it.
SMS_OPT_OUT_FOOTER = {"US-REGF": "Reply STOP to opt out."}
UNSUBSCRIBE_SALT = "arrears.messaging.unsubscribe"
logger = logging.getLogger(__name__)
LEASE = dt.timedelta(minutes=10)  # a message "sending" longer than this died with its process


def _invalid(exc: core.ScriptError) -> ValidationError:
    return ValidationError(f"{exc.zh} / {exc.en}")


# --- templates --------------------------------------------------------------------------------------


def _own_creditor(actor: User, creditor: Creditor) -> None:
    if creditor.organisation_id != actor.organisation_id:
        raise PermissionDenied(_("This creditor is kept by another organisation."))


def template_save(
    *, actor: User, creditor: Creditor, channel: str, code: str, language: str, purpose: str, title: str,
    subject: str, body: str, active: bool = True,
) -> MessageTemplate:  # fmt: skip
    """Save a new version of a creditor's template after the compliance guard has read it.

    Refused when a placeholder is unknown, an amount is typed rather than taken from the ledger, or the
    guard of the creditor's profile (with the creditor's own tightening) finds prohibited wording in
    the subject or body once filled in.
    """
    if not can(actor.role, "manage_templates"):
        raise PermissionDenied(_("Your role may not change message templates."))
    _own_creditor(actor, creditor)
    if not title.strip():
        raise ValidationError({"title": _("Give the template a title.")})
    try:
        core.check(channel=channel, code=code, language=language, purpose=purpose, subject=subject, body=body)
    except core.ScriptError as exc:
        raise _invalid(exc) from None
    sample = core.sample_values()
    profile = creditor.profile()
    for text in (subject, body):
        found = screen_text(core.fill(text, sample), profile=profile, party="debtor")
        if found:
            raise ValidationError([v.reason for v in found])
    try:
        with transaction.atomic():
            versions = MessageTemplate.objects.filter(
                creditor=creditor, channel=channel, code=code, language=language
            )
            latest = versions.aggregate(v=Max("version"))["v"] or 0
            return MessageTemplate.objects.create(
                creditor=creditor, channel=channel, code=code, language=language, version=latest + 1,
                active=active, purpose=purpose, title=title.strip(), subject=subject.strip(),
                body=body.strip(), saved_by=actor, saved_at=timezone.now(),
            )  # fmt: skip
    except IntegrityError:  # someone saved the same template at the same moment: theirs stands
        raise ValidationError(_("Someone saved this template at the same moment; open it again.")) from None


def sender_save(*, actor: User, creditor: Creditor, signature: str, hotline: str) -> Sender:
    """Set how a creditor's messages are signed and the official number every message gives."""
    if not can(actor.role, "manage_templates"):
        raise PermissionDenied(_("Your role may not change message templates."))
    _own_creditor(actor, creditor)
    signature, hotline = signature.strip().strip("【】"), hotline.strip()
    errors = {}
    if not signature:
        errors["signature"] = _("Give the registered SMS signature, e.g. the bank's short name.")
    if not hotline or not any(ch.isdigit() for ch in hotline):
        errors["hotline"] = _("Give the official contact number debtors should call.")
    if errors:
        raise ValidationError(errors)
    found, _created = Sender.objects.update_or_create(
        creditor=creditor, defaults={"signature": signature, "hotline": hotline}
    )
    return found


# --- rendering --------------------------------------------------------------------------------------


def unsubscribe_token(point: ContactPoint, case: Case) -> str:
    return signing.dumps({"p": point.pk, "c": case.pk}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(point: ContactPoint, case: Case) -> str:
    return f"{conf.public_url()}/messaging/unsubscribe/{unsubscribe_token(point, case)}/"


def render(
    *, case: Case, template: selectors.Template, point: ContactPoint, user: User | None
) -> tuple[str, str]:
    """The subject and text as they will leave, filled with the case's figures.

    Raises ValidationError when the creditor has no sender details (every message must say who
    writes and give the official number) or a figure the template needs is missing on the case.
    """
    details = selectors.sender(creditor=case.creditor)
    if details is None:
        raise ValidationError(
            _("Set %(creditor)s's SMS signature and official contact number before sending messages.")
            % {"creditor": case.creditor.name}
        )
    values = selectors.values(case=case, user=user)
    missing = sorted(
        name
        for name in core.placeholders(template.subject) | core.placeholders(template.body)
        if name not in values
    )
    if missing:
        raise ValidationError(
            _("The case has no %(fields)s for the template %(code)s (no open promise or plan?).")
            % {"fields": ", ".join(missing), "code": template.code}
        )
    subject = core.fill(template.subject, values)
    body = core.fill(template.body, values)
    if template.channel == "sms":
        footer = SMS_OPT_OUT_FOOTER.get(case.creditor.compliance_profile, "")
        return "", core.sms_text(signature=details.signature, body=body, footer=footer)
    if template.language == "en":
        footer = f"To stop receiving e-mails from us at this address: {unsubscribe_url(point, case)}"
    else:
        footer = f"如不希望再通过此邮箱收到我们的邮件，请点击：{unsubscribe_url(point, case)}"
    return subject, f"{body}\n\n--\n{footer}\n"


# --- sending ----------------------------------------------------------------------------------------


def _reasons(decision) -> str:
    return "; ".join(v.reason for v in decision.violations)


def _send_email(message: Message) -> str:
    settings = conf.email()
    message_id = f"<{message.key}@arrears>"
    if not settings.host:
        return f"outbox:{message.key}"
    connection = get_connection(
        "django.core.mail.backends.smtp.EmailBackend", host=settings.host, port=settings.port,
        username=settings.user or None, password=settings.password or None, use_tls=settings.starttls,
        use_ssl=settings.ssl, timeout=settings.timeout, fail_silently=False,
    )  # fmt: skip
    mail = EmailMessage(
        subject=message.subject, body=message.text, from_email=settings.sender, to=[message.to],
        headers={"Message-ID": message_id}, connection=connection,
    )  # fmt: skip
    try:
        # Connecting, the greeting, EHLO, STARTTLS and login: nothing of the e-mail has left yet,
        # so a failure here (refused, unknown host, a server that will not talk) may be retried.
        connection.open()
        connection.connection.ehlo_or_helo_if_needed()
    except (OSError, smtplib.SMTPException) as exc:
        with contextlib.suppress(Exception):
            connection.close()
        raise GatewayError(f"SMTP connection: {exc}", retry=True) from None
    try:
        connection.send_messages([mail])
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused) as exc:
        raise GatewayError(f"SMTP: {exc}", retry=False) from None  # refused now, refused again
    except smtplib.SMTPResponseException as exc:
        # The server answered with a refusal (to DATA, say): it did not take the e-mail. A 4xx
        # answer is temporary.
        raise GatewayError(f"SMTP {exc.smtp_code}: {exc.smtp_error!r}", retry=exc.smtp_code < 500) from None
    except Exception as exc:
        # A timeout or a dropped connection once the e-mail was being handed over: the server may
        # have accepted it, and an e-mail has no idempotency key, so it is not sent again blindly.
        raise GatewayError(
            _(
                "The mail server stopped answering while the e-mail was handed over (%(error)s); it may "
                "have been accepted, so it is not resent automatically: check the mail server's log."
            )
            % {"error": f"{type(exc).__name__}: {exc}"},
            retry=False, uncertain=True,
        ) from None  # fmt: skip
    finally:
        with contextlib.suppress(Exception):
            connection.close()
    return message_id


def _hand_over(message: Message) -> str:
    if message.channel == "email":
        return _send_email(message)
    return sms_gateway().send(Outgoing(key=str(message.key), to=message.to, text=message.text))


def guard_purpose(*, case: Case, purpose: str) -> str:
    """What the guard is told the message is. A template marked "notice" is a notice only while the
    case has an active repayment plan (an instalment reminder, which the plan hold lets through);
    on any other case, disputed, paid or plain overdue, it is judged as the demand it then is."""
    if purpose != "notice" or case.status != CaseStatus.PLAN:
        return "demand"
    active = RepaymentPlan.objects.filter(case=case, status=RepaymentPlan.Status.ACTIVE).exists()
    return "notice" if active else "demand"


def _settle(message: Message, lease: dt.datetime | None, **changes: Any) -> bool:
    """Write what came of a delivery, only while this process still holds the claim it was given
    (status ``sending`` with its own lease). A delivery receipt that arrived meanwhile, or another
    sender that took the message over after the lease ran out, stands; the message is then read
    again so the caller sees what is true. Returns whether this write won."""
    changes["updated_at"] = timezone.now()
    won = Message.objects.filter(pk=message.pk, status=Message.Status.SENDING, next_try_at=lease).update(
        **changes
    )
    if won:
        for name, value in changes.items():
            setattr(message, name, value)
    else:
        message.refresh_from_db()
    return bool(won)


def _deliver(
    message: Message, *, actor: User | None, deferrable: bool, lease: dt.datetime | None = None
) -> Message:
    """Ask the guard, then hand the message to its gateway. The message is claimed (``sending``
    until ``lease``, by default the one it carries); every outcome is written against that claim.

    Never raises: whatever goes wrong with one message is written on it (failed, with the error),
    so a collector's page shows it and a sender's round goes on to the next message.
    """
    lease = lease or message.next_try_at
    records: list[ContactRecord] = []  # the attempt the guard allowed, once it has
    try:
        return _deliver_claimed(message, actor=actor, deferrable=deferrable, lease=lease, records=records)
    except Exception as exc:  # one bad message must not stop the round or fail the collector's page
        logger.exception("message %s: delivery stopped by an unexpected error", message.pk)
        error = _("Stopped by an unexpected error (%(error)s); not resent automatically.") % {
            "error": f"{type(exc).__name__}: {exc}"[:500]
        }
        for record in records:  # left pending only if the fault came before the gateway's answer
            contact_attempt_not_sent(record=record, note=error, unconfirmed=True)
        if _settle(message, lease, status=Message.Status.FAILED, error=error, next_try_at=None):
            events.record(message.case, "message.failed", actor=actor, message=message.pk, error=error)
        return message


def _deliver_claimed(
    message: Message, *, actor: User | None, deferrable: bool, lease: dt.datetime | None,
    records: list[ContactRecord],
) -> Message:  # fmt: skip
    # Read the case again: a dispute, payment or plan recorded since the message was queued counts.
    case = message.case = Case.objects.select_related("creditor", "debtor").get(pk=message.case_id)
    point = message.contact_point
    if point is None:
        _settle(
            message, lease, status=Message.Status.FAILED, error=_("The number was deleted."), next_try_at=None
        )
        return message
    if not message.text_final:
        # Render again from the ledger: a payment, plan or promise since the message was queued
        # (held back by quiet hours, say) changes what it must say.
        template = selectors.template_version(
            creditor=case.creditor, channel=message.channel, code=message.template_code,
            language=message.language, version=message.template_version,
        )  # fmt: skip
        if template is None:
            error = _("The template %(code)s version %(v)d no longer exists.") % {
                "code": message.template_code, "v": message.template_version,
            }  # fmt: skip
            _settle(message, lease, status=Message.Status.FAILED, error=error, next_try_at=None)
            return message
        try:
            subject, text = render(case=case, template=template, point=point, user=message.requested_by)
        except ValidationError as exc:
            _settle(
                message, lease, status=Message.Status.FAILED, error=" ".join(exc.messages), next_try_at=None
            )
            return message
        message.subject, message.text = subject, text
    rendered = {"subject": message.subject, "text": message.text}
    content = f"{message.subject}\n{message.text}" if message.subject else message.text
    attempt = contact_attempt(
        actor=actor, case=case, channel=message.channel, contact_point=point,
        purpose=guard_purpose(case=case, purpose=message.purpose),
        content=content,
    )  # fmt: skip
    decision = attempt.decision
    if not decision.allowed:
        if deferrable and decision.next_allowed_at is not None:
            status, next_try_at = Message.Status.QUEUED, decision.next_allowed_at
        else:
            status, next_try_at = Message.Status.REFUSED, None
        _settle(message, lease, status=status, next_try_at=next_try_at, error=_reasons(decision), **rendered)
        return message
    records.append(attempt.record)
    attempts = message.attempts + 1
    try:
        gateway_id = _hand_over(message)
    except Exception as exc:
        if not isinstance(exc, GatewayError):
            # An adapter fault (an answer cut short, say). An SMS carries its idempotency key, so a
            # retry cannot send it twice; an e-mail has none and is not resent blindly.
            logger.exception("message %s: the gateway adapter failed", message.pk)
            exc = GatewayError(f"{type(exc).__name__}: {exc}", retry=message.channel == "sms", uncertain=True)
        error = str(exc)[:1000]
        # The attempt did not leave: closed as failed, not left pending against the caps.
        if exc.uncertain:
            note = _("Not confirmed: %(error)s") % {"error": error}
        else:
            note = _("Not sent: %(error)s") % {"error": error}
        contact_attempt_not_sent(record=attempt.record, note=note, unconfirmed=exc.uncertain)
        if exc.retry and attempts < core.MAX_ATTEMPTS:
            status, next_try_at = Message.Status.QUEUED, timezone.now() + core.backoff(attempts)
        else:
            status, next_try_at = Message.Status.FAILED, None
        won = _settle(
            message, lease, status=status, next_try_at=next_try_at, error=error, attempts=attempts,
            text_final=message.text_final or exc.uncertain, **rendered,
        )  # fmt: skip
        if won and status == Message.Status.FAILED:
            events.record(case, "message.failed", actor=actor, message=message.pk, error=error)
        return message
    _settle(
        message, lease, status=Message.Status.SENT, gateway_id=gateway_id, error="", sent_at=timezone.now(),
        next_try_at=None, attempts=attempts, text_final=True, **rendered,
    )  # fmt: skip
    # The attempt was recorded pending by the choke point; it is now known to have left (whatever
    # the message says now: a delivery receipt may already have overtaken this write).
    ContactRecord.objects.filter(pk=attempt.record.pk, outcome=Outcome.PENDING).update(outcome=Outcome.SENT)
    events.record(
        case, "message.sent", actor=actor, message=message.pk, channel=message.channel,
        template=message.template_code, version=message.template_version,
    )  # fmt: skip
    return message


def _new_message(
    *, case: Case, template: selectors.Template, point: ContactPoint, actor: User | None, task: Task | None,
    request_key: uuid.UUID | None = None,
) -> Message:  # fmt: skip
    subject, text = render(case=case, template=template, point=point, user=actor)
    now = timezone.now()
    return Message.objects.create(
        case=case, contact_point=point, to=point.value, channel=template.channel, purpose=template.purpose,
        template_code=template.code, template_version=template.version, language=template.language,
        subject=subject, text=text, status=Message.Status.SENDING, next_try_at=now + LEASE, task=task,
        requested_by=actor, created_at=now, request_key=request_key,
    )  # fmt: skip


def message_send(
    *, actor: User, case: Case, channel: str, code: str, language: str, point: ContactPoint,
    request_key: uuid.UUID | None = None,
) -> Message:  # fmt: skip
    """A collector sends a template to one of the debtor's numbers or addresses, now.

    The case must come through the selectors (in the actor's scope). A refusal by the guard is
    returned as a refused message with the reasons, for the collector to read. ``request_key`` is
    the send form's one-time key: the same key again returns the message it already sent.
    """
    if not can(actor.role, "contact_debtors"):
        raise PermissionDenied(_("Your role may not contact debtors."))
    if request_key is not None:
        earlier = _sent_with(request_key, actor=actor, case=case)
        if earlier is not None:
            return earlier
    if point.debtor_id != case.debtor_id or point.person_id is not None:
        raise ValidationError(_("Choose one of the debtor's own numbers or addresses."))
    wanted = ContactPoint.Kind.EMAIL if channel == "email" else ContactPoint.Kind.MOBILE
    if point.kind != wanted:
        raise ValidationError(_("An SMS goes to a mobile number, an e-mail to an e-mail address."))
    template = selectors.template_for(creditor=case.creditor, channel=channel, code=code, language=language)
    if template is None:
        raise ValidationError(_("No such template in use for this creditor."))
    try:
        with transaction.atomic():
            message = _new_message(
                case=case, template=template, point=point, actor=actor, task=None, request_key=request_key
            )
    except IntegrityError:
        # The same form posted twice at the same moment: the other post made the message.
        earlier = _sent_with(request_key, actor=actor, case=case) if request_key is not None else None
        if earlier is None:
            raise
        return earlier
    return _deliver(message, actor=actor, deferrable=False)


def _sent_with(request_key: uuid.UUID, *, actor: User, case: Case) -> Message | None:
    earlier = Message.objects.filter(request_key=request_key).first()
    if earlier is not None and (earlier.case_id != case.pk or earlier.requested_by_id != actor.pk):
        raise ValidationError(_("This form was already used for another message; open the page again."))
    return earlier


@dataclass
class Summary:
    """What a run of the sender did, for the console (``--json``) and the log."""

    sent: int = 0
    refused: int = 0
    waiting: int = 0  # queued for a retry or for the guard's next allowed time
    failed: int = 0
    skipped: list[dict[str, Any]] = field(default_factory=list)  # tasks that could not become messages

    def count(self, message: Message) -> None:
        if message.status == Message.Status.SENT:
            self.sent += 1
        elif message.status == Message.Status.REFUSED:
            self.refused += 1
        elif message.status == Message.Status.QUEUED:
            self.waiting += 1
        else:
            self.failed += 1

    def as_json(self) -> dict[str, Any]:
        return {
            "sent": self.sent, "refused": self.refused, "waiting": self.waiting, "failed": self.failed,
            "skipped": self.skipped,
        }  # fmt: skip


def _task_point(case: Case) -> ContactPoint | None:
    """The debtor's own mobile to text: a reached one first, then an untried one. A number flagged
    do-not-contact is still chosen when it is the only one, so the guard's refusal is recorded."""
    points = ContactPoint.objects.filter(
        debtor_id=case.debtor_id, person__isnull=True, kind=ContactPoint.Kind.MOBILE
    ).exclude(status=ContactPoint.Status.INVALID)
    rank = {ContactPoint.Status.VALID: 0, ContactPoint.Status.UNVERIFIED: 1}
    found = sorted(points, key=lambda p: (p.do_not_contact, rank.get(p.status, 2), p.pk))
    return found[0] if found else None


def tasks_send(*, now: dt.datetime | None = None, summary: Summary | None = None) -> Summary:
    """Send the SMS the nightly strategy asked for (open tasks of kind "sms" due today or earlier).

    Each task becomes one message (never two, however often this runs) and is then done; what came
    of it is the message's status. A task that cannot become a message (no template of that code,
    no mobile number, no sender details) stays open and is reported.
    """
    now = now or timezone.now()
    summary = summary or Summary()
    today = timezone.localdate(now)
    tasks = (
        Task.objects.filter(kind="sms", status=Task.Status.OPEN, due_on__lte=today, message__isnull=True)
        .select_related("case__creditor", "case__debtor")
        .order_by("due_on", "pk")
    )
    for task in tasks:
        case = task.case
        language = selectors.language_for(case.creditor)
        template = selectors.template_for(
            creditor=case.creditor, channel="sms", code=task.template or "early_reminder", language=language
        )
        point = _task_point(case)
        reason = None
        if template is None:
            reason = f"no sms template {task.template!r} ({language})"
        elif point is None:
            reason = "no usable mobile number"
        if reason is None:
            try:
                with transaction.atomic():
                    message = _new_message(case=case, template=template, point=point, actor=None, task=task)
                    Task.objects.filter(pk=task.pk).update(status=Task.Status.DONE)
            except ValidationError as exc:
                reason = " ".join(exc.messages)
            except IntegrityError:  # another sender took this task a moment ago
                continue
        if reason is not None:
            summary.skipped.append({"task": task.pk, "case": case.pk, "reason": reason})
            continue
        summary.count(_deliver(message, actor=None, deferrable=True))
    return summary


def messages_dispatch(*, now: dt.datetime | None = None) -> Summary:
    """The sender's round: today's strategy SMS, then every queued message whose time has come (a
    retry after a gateway failure, a send held back by quiet hours), and messages left "sending" by a
    process that died. Callable from ``arrears send-messages`` and the worker's task."""
    now = now or timezone.now()
    summary = tasks_send(now=now)
    due = Message.objects.filter(
        Q(status=Message.Status.QUEUED) | Q(status=Message.Status.SENDING), next_try_at__lte=now
    ).order_by("next_try_at", "pk")
    for pk in list(due.values_list("pk", flat=True)):
        # Claim it: of two senders running at once, one wins each message. The lease runs from this
        # moment, not from the start of the round: a long round must not hand out leases already
        # run out, which a parallel round would take as abandoned and send again.
        claimed_at = timezone.now()
        lease = claimed_at + LEASE
        try:
            claimed = Message.objects.filter(
                Q(status=Message.Status.QUEUED) | Q(status=Message.Status.SENDING), pk=pk,
                next_try_at__lte=claimed_at,
            ).update(status=Message.Status.SENDING, next_try_at=lease, updated_at=claimed_at)  # fmt: skip
            if not claimed:
                continue
            message = Message.objects.select_related("case__creditor", "contact_point", "requested_by").get(
                pk=pk
            )
            summary.count(_deliver(message, actor=None, deferrable=True, lease=lease))
        except Exception:  # _deliver writes its own faults; this is for the database failing under it
            logger.exception("message %s: the sender could not process it; its lease will run out", pk)
            summary.failed += 1
    return summary


# --- what comes back --------------------------------------------------------------------------------


def reporter_check(user: User) -> None:
    if not can(user.role, "report_messages"):
        raise PermissionDenied(_("Your role may not report on messages."))


def receipt_record(
    *, user: User, ref: str, status: str, error: str = "", at: dt.datetime | None = None
) -> bool:
    """A gateway's delivery receipt for one message (named by our key or the gateway's id).

    Returns False when no message in the user's scope has that reference. A receipt that the
    message was delivered also settles a message waiting to be retried after a timeout: it did leave.
    """
    reporter_check(user)
    if status not in ("delivered", "failed"):
        raise ValidationError(_("A receipt's status is delivered or failed, not %(s)r.") % {"s": status})
    scope = restrict(Message.objects.all(), user)
    match = Q(gateway_id=ref)
    with contextlib.suppress(ValueError):  # a gateway's own id is not one of our keys
        match |= Q(key=uuid.UUID(ref))
    with transaction.atomic():
        message = scope.select_for_update().filter(match).select_related("case").first()
        if message is None:
            return False
        when = at or timezone.now()
        if status == "delivered":
            message.status, message.delivered_at, message.next_try_at = Message.Status.DELIVERED, when, None
            message.error = ""
        elif message.status != Message.Status.DELIVERED:
            message.status, message.error, message.next_try_at = Message.Status.FAILED, error[:1000], None
        message.save()
        events.record(message.case, f"message.{status}", actor=user, message=message.pk, error=error[:200])
    return True


def _opt_out(
    points: list[ContactPoint], *, actor: User | None, channel: str, via: str, cases: list[Case]
) -> None:
    ContactPoint.objects.filter(pk__in=[p.pk for p in points]).update(do_not_contact=True)
    for case in cases:
        events.record(
            case, "message.opt_out", actor=actor, channel=channel, via=via, points=[p.pk for p in points]
        )


def reply_record(*, user: User, sender: str, text: str) -> dict[str, Any]:
    """An SMS reply from ``sender``. 退订 / TD / T / STOP records an opt-out: every number equal to the
    sender's in the user's scope is flagged do-not-contact, which the guard refuses from then on, and
    each of the debtor's cases gets an event. Any other reply is put on the case for the collector."""
    reporter_check(user)
    parsed = parse_phone(sender)
    number = parsed.e164 if parsed is not None and parsed.valid else sender.strip()
    if not number:
        raise ValidationError(_("The reply has no sender number."))
    points = list(
        restrict(ContactPoint.objects.filter(value=number), user).exclude(kind=ContactPoint.Kind.EMAIL)
    )
    debtors = {p.debtor_id for p in points}
    cases = list(restrict(Case.objects.filter(debtor_id__in=debtors), user).order_by("pk"))
    opt_out = core.is_opt_out(text)
    with transaction.atomic():
        if opt_out:
            _opt_out(points, actor=user, channel="sms", via="reply", cases=cases)
        else:
            for case in cases:
                events.record(case, "message.reply", actor=user, text=text[:500], sender=number[-4:])
    return {"opt_out": opt_out, "contact_points": len(points), "cases": [c.pk for c in cases]}


def unsubscribe_read(token: str) -> tuple[ContactPoint, Case]:
    """The address and case an unsubscribe link names; ValidationError for a link that is not ours."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        return ContactPoint.objects.get(pk=data["p"]), Case.objects.get(pk=data["c"])
    except (signing.BadSignature, KeyError, TypeError, ContactPoint.DoesNotExist, Case.DoesNotExist):
        raise ValidationError(_("This unsubscribe link is not valid.")) from None


def unsubscribe(*, token: str) -> ContactPoint:
    """The debtor followed the link in an e-mail: no more e-mail to this address (no login needed;
    the signed token is the proof)."""
    point, case = unsubscribe_read(token)
    with transaction.atomic():
        if not ContactPoint.objects.get(pk=point.pk).do_not_contact:
            _opt_out([point], actor=None, channel="email", via="link", cases=[case])
    point.refresh_from_db()
    return point
