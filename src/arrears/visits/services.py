"""The writes of a field visit (外访), each keyword-only, in one transaction, with its case event.

The compliance guard decides twice. When a team lead schedules a visit, the guard judges the
planned moment with the planned number of agents (nothing is recorded as a contact then: nobody
has been contacted). When an agent checks in at the door, the visit goes through the one contact
choke point, ``contact_attempt(channel="visit")``, which records the decision, allowed or refused,
and for an allowed visit the contact record the report is later written on. So a one-agent visit
or a visit at 22:30 cannot be planned, and cannot happen either if the plan changed on the day.

The report updates the case exactly as a call outcome does, through the workbench's
``outcome_record`` (a promise becomes a Promise, a refusal and a plan request are recorded, the
next follow-up is set); what only a visit can learn (the address is wrong, the debtor moved, a
new number) is kept on the visit and the debtor's contact points.
"""

from __future__ import annotations

import datetime as dt
import os
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from arrears.accounts.models import User
from arrears.batch.models import Task
from arrears.cases import events
from arrears.cases.models import Case
from arrears.compliance import facts
from arrears.compliance.guard import Violation, screen_text
from arrears.contacts.services import CLOSED, contact_attempt
from arrears.core.roles import Role, can
from arrears.debtors.models import ContactPoint
from arrears.debtors.phones import is_mobile
from arrears.intake.normalize import phone as parse_phone
from arrears.visits import flow
from arrears.visits.evidence import NotEvidence, sha256_of, sniff
from arrears.visits.models import Visit, VisitEvidence
from arrears.visits.policy import visit_policy
from arrears.visits.selectors import flagged_addresses, normal_address
from arrears.workbench.services import OutcomeEntry, outcome_record

ADDRESS_MAX = 300


def _reasons(violations: Sequence[Violation]) -> list[str]:
    return [v.reason for v in violations]


def _step(visit: Visit, step: str) -> None:
    if not flow.may(step, visit.status):
        raise ValidationError(
            _("This visit is %(status)s; that step is not possible now.")
            % {"status": visit.get_status_display()}
        )


def _locked(visit: Visit) -> Visit:
    return Visit.objects.select_for_update().select_related("case__creditor", "case__debtor").get(pk=visit.pk)


def _check_open(case: Case) -> None:
    if case.status in CLOSED:
        raise ValidationError(
            _("The case is %(status)s; no visit may be made.") % {"status": case.get_status_display()}
        )


# --- request --------------------------------------------------------------------------------------


def visit_request(
    *, actor: User | None, case: Case, address: str, reason: str, district: str = "", task: Task | None = None
) -> Visit:
    """Ask for a visit to ``address`` of ``case`` (already fetched in the actor's scope).

    ``actor`` None is the nightly strategy (with its ``task``). The reason is read by the guard: it
    is shown to the agents and may be read out at the door.
    """
    if actor is not None and not can(actor.role, "request_visits"):
        raise PermissionDenied(_("Your role may not request field visits."))
    _check_open(case)
    address, reason = " ".join(address.split()), reason.strip()
    errors: dict[str, list[str]] = {}
    if not address:
        errors["address"] = [_("Give the address to visit.")]
    elif len(address) > ADDRESS_MAX:
        errors["address"] = [_("The address is longer than 300 characters.")]
    elif normal_address(address) in flagged_addresses(debtor_id=case.debtor_id):
        errors["address"] = [
            _("An earlier visit found that the debtor moved away from this address or that it is invalid.")
        ]
    if not reason:
        errors["reason"] = [_("Say why the visit is needed.")]
    else:
        found = screen_text(reason, profile=case.creditor.profile())
        if found:
            errors["reason"] = _reasons(found)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            visit = Visit.objects.create(
                case=case, address=address, district=(district.strip() or flow.district_of(address))[:100],
                reason=reason, requested_by=actor, requested_at=timezone.now(), task=task,
            )  # fmt: skip
            events.record(
                case, "visit.requested", actor=actor, visit=visit.pk, task=task.pk if task else None
            )
    except IntegrityError:  # the one-active-visit constraint
        raise ValidationError(_("This case already has a visit under way.")) from None
    return visit


@dataclass(frozen=True)
class FromTasks:
    requested: int
    skipped: dict[int, str]  # task id -> why no visit was requested


def visits_request_due(*, business_date: dt.date) -> FromTasks:
    """Turn the nightly strategy's open "visit" tasks due by ``business_date`` into visit requests.

    A task becomes a request to the debtor's home address (else the work address) and is then done;
    a task that cannot (no address, a visit already under way, the case finished) stays open with
    the reason reported, so nobody's work silently disappears.
    """
    due = Task.objects.filter(kind="visit", status=Task.Status.OPEN, due_on__lte=business_date)
    requested, skipped = 0, {}
    for task in due.select_related("case__debtor", "case__creditor").order_by("due_on", "pk"):
        debtor = task.case.debtor
        address = debtor.home_address or debtor.work_address
        if not address:
            skipped[task.pk] = "债务人没有登记地址 / the debtor has no address on file"
            continue
        reason = f"催收策略 {task.treatment} 安排外访 / visit set by the strategy {task.treatment}"
        try:
            with transaction.atomic():
                visit_request(actor=None, case=task.case, address=address, reason=reason, task=task)
                Task.objects.filter(pk=task.pk).update(status=Task.Status.DONE)
        except ValidationError as exc:
            skipped[task.pk] = " ".join(exc.messages)
            continue
        requested += 1
    return FromTasks(requested=requested, skipped=skipped)


# --- approval and scheduling -------------------------------------------------------------------------


def visit_decide(*, actor: User, visit: Visit, approve: bool, note: str = "") -> Visit:
    """A team lead approves or rejects a request; never their own, and a rejection says why."""
    if not can(actor.role, "approve_visits"):
        raise PermissionDenied(_("Your role may not approve field visits."))
    if visit.requested_by_id == actor.pk:
        raise PermissionDenied(_("You cannot approve or reject your own visit request."))
    note = note.strip()
    if not approve and not note:
        raise ValidationError({"note": [_("Give the reason for rejecting the visit.")]})
    with transaction.atomic():
        visit = _locked(visit)
        _step(visit, "approve" if approve else "reject")
        visit.status = flow.Status.APPROVED if approve else flow.Status.REJECTED
        visit.decided_by, visit.decided_at, visit.decision_note = actor, timezone.now(), note
        visit.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        events.record(visit.case, "visit.approved" if approve else "visit.rejected", actor=actor,
                      visit=visit.pk, note=note)  # fmt: skip
    return visit


class GuardRefused(ValidationError):
    """The compliance guard refused the visit; ``violations`` and ``next_allowed_at`` say why and when."""

    def __init__(self, violations: Sequence[Violation], next_allowed_at: dt.datetime | None) -> None:
        messages = _reasons(violations)
        if next_allowed_at is not None:
            messages.append(
                _("Allowed again from %(when)s.")
                % {"when": timezone.localtime(next_allowed_at).strftime("%Y-%m-%d %H:%M")}
            )
        super().__init__(messages)
        self.violations = tuple(violations)
        self.rules = tuple(v.rule for v in violations)
        self.next_allowed_at = next_allowed_at


def _is_field_agent(case: Case, agent: User) -> bool:
    """Whether ``agent`` may go on a visit of ``case``: an active field agent of its organisation."""
    return (
        agent.organisation_id == case.organisation_id and agent.role == Role.FIELD_AGENT and agent.is_active
    )


def _agents_valid(case: Case, agents: Sequence[User]) -> list[User]:
    unique = list({a.pk: a for a in agents}.values())
    for agent in unique:
        if not _is_field_agent(case, agent):
            raise ValidationError(
                {"agents": [_("%(who)s is not an active field agent of this organisation.") % {"who": agent}]}
            )
    return unique


def visit_schedule(
    *, actor: User, visit: Visit, agents: Sequence[User], scheduled_for: dt.datetime, district: str = ""
) -> Visit:
    """Send ``agents`` on the visit at ``scheduled_for``, if the guard allows a visit then.

    The guard's rules decide, not this function: the field-visit rule counts the agents (CN: at
    least two) and the contact window applies to visits (CN: 08:00-22:00 the debtor's time).
    """
    if not can(actor.role, "approve_visits"):
        raise PermissionDenied(_("Your role may not schedule field visits."))
    if timezone.is_naive(scheduled_for):
        raise ValueError("scheduled_for must be timezone-aware")
    if scheduled_for <= timezone.now():
        raise ValidationError({"scheduled_for": [_("The visit must be scheduled in the future.")]})
    case = Case.objects.select_related("creditor", "debtor").get(pk=visit.case_id)
    _check_open(case)
    agents = _agents_valid(case, agents)
    # What the guard would say at the planned moment, with the planned team. Nothing is recorded as
    # a contact (nobody is contacted yet); the refusal goes into the case's event log.
    decision, _contact = facts.decide(
        case=case, channel="visit", point=None, purpose="demand", content=None, collectors=len(agents),
        now=scheduled_for,
    )  # fmt: skip
    if not decision.allowed:
        events.record(case, "visit.schedule_refused", actor=actor, visit=visit.pk, rules=list(decision.rules),
                      at=scheduled_for.isoformat(), agents=len(agents))  # fmt: skip
        raise GuardRefused(decision.violations, decision.next_allowed_at)
    with transaction.atomic():
        visit = _locked(visit)
        _step(visit, "schedule")
        visit.agents.set(agents)
        visit.scheduled_for, visit.scheduled_by = scheduled_for, actor
        visit.status = flow.Status.SCHEDULED
        if district.strip():
            visit.district = district.strip()[:100]
        visit.save(update_fields=["scheduled_for", "scheduled_by", "status", "district"])
        events.record(case, "visit.scheduled", actor=actor, visit=visit.pk, at=scheduled_for.isoformat(),
                      agents=[a.pk for a in agents])  # fmt: skip
    return visit


# --- on the day ------------------------------------------------------------------------------------


def _agent_of(visit: Visit, actor: User) -> None:
    if not visit.agents.filter(pk=actor.pk).exists():
        raise PermissionDenied(_("Only an agent sent on this visit may do this."))


def visit_check_in(*, actor: User, visit: Visit, location_note: str, id_shown: bool) -> Visit:
    """An agent at the door: the visit goes through the contact choke point now.

    Only an agent of the visit, only on the scheduled day (the debtor's local day). A refusal is
    recorded by the choke point and raised as :class:`GuardRefused`; the visit stays scheduled.
    """
    if not can(actor.role, "make_visits"):
        raise PermissionDenied(_("Only field agents check in on visits."))
    location_note = " ".join(location_note.split())
    errors: dict[str, list[str]] = {}
    if not location_note:
        errors["location_note"] = [_("Say where you are (the building, the door, who let you in).")]
    policy = visit_policy(visit.case.creditor.profile())
    if policy.id_shown_required and not id_shown:
        errors["id_shown"] = [_("Show your ID badges before the visit starts, then tick the box.")]
    with transaction.atomic():
        visit = _locked(visit)
        _agent_of(visit, actor)
        _step(visit, "check_in")
        tz = zoneinfo.ZoneInfo(visit.case.debtor.timezone)
        today, planned = timezone.now().astimezone(tz).date(), visit.scheduled_for.astimezone(tz).date()
        if today != planned:
            raise ValidationError(
                _("Check-in is possible only on the scheduled day, %(day)s.") % {"day": planned.isoformat()}
            )
        if errors:
            raise ValidationError(errors)
        # Only the agents who may still go count towards the two-person rule: one deactivated, moved
        # to another role or another organisation since the visit was scheduled is not at the door.
        going = [a for a in visit.agents.all() if _is_field_agent(visit.case, a)]
        attempt = contact_attempt(
            actor=actor, case=visit.case, channel="visit", purpose="demand", collectors=len(going)
        )
        if attempt.decision.allowed:
            visit.contact_record = attempt.record
            visit.checked_in_by, visit.checked_in_at = actor, attempt.record.at
            visit.location_note, visit.id_shown = location_note[:300], id_shown
            visit.status = flow.Status.CHECKED_IN
            visit.save(update_fields=["contact_record", "checked_in_by", "checked_in_at", "location_note",
                                      "id_shown", "status"])  # fmt: skip
            events.record(
                visit.case, "visit.checked_in", actor=actor, visit=visit.pk, where=visit.location_note
            )
    # Raised after the transaction, so the choke point's record of the refusal stays.
    if not attempt.decision.allowed:
        raise GuardRefused(attempt.decision.violations, attempt.decision.next_allowed_at)
    return visit


EXTENSIONS = {
    "JPEG": "jpg", "PNG": "png", "GIF": "gif", "WebP": "webp", "HEIF": "heic", "MP3": "mp3", "AMR": "amr",
    "Ogg": "ogg", "FLAC": "flac", "WebM": "webm", "WAV": "wav", "MPEG-4": "m4a",
}  # fmt: skip


def visit_evidence_add(*, actor: User, visit: Visit, upload: UploadedFile) -> VisitEvidence:
    """Keep a recording or photo of the visit, after checking what the file really is."""
    name = os.path.basename(upload.name or "")[:200]
    if upload.size is None or upload.size == 0:
        raise ValidationError({"files": [_("%(name)s is empty.") % {"name": name}]})
    if upload.size > settings.ARREARS_MAX_UPLOAD_BYTES:
        limit = settings.ARREARS_MAX_UPLOAD_BYTES // (1024 * 1024)
        raise ValidationError(
            {"files": [_("%(name)s is larger than %(mb)d MB.") % {"name": name, "mb": limit}]}
        )
    upload.seek(0)
    head = upload.read(64)
    try:
        sniffed = sniff(head)
    except NotEvidence:
        raise ValidationError({"files": [
            _("%(name)s is not a recording or a photo (accepted: JPEG, PNG, HEIC, WebP, MP3, M4A, AMR, WAV, "
              "Ogg, WebM).") % {"name": name}
        ]}) from None  # fmt: skip
    upload.seek(0)
    digest = sha256_of(upload.chunks())
    upload.seek(0)
    with transaction.atomic():
        visit = _locked(visit)
        _agent_of(visit, actor)
        if visit.status not in (flow.Status.CHECKED_IN, flow.Status.REPORTED):
            raise ValidationError(_("Evidence is added after check-in and before the visit is closed."))
        evidence = VisitEvidence(
            visit=visit, kind=sniffed.kind, file_format=sniffed.label, original_name=name, size=upload.size,
            sha256=digest, uploaded_by=actor, uploaded_at=timezone.now(),
        )  # fmt: skip
        evidence.file.save(f"visit-{visit.pk}-{digest[:16]}.{EXTENSIONS[sniffed.label]}", upload, save=False)
        evidence.save()
        events.record(visit.case, "visit.evidence", actor=actor, visit=visit.pk, file_kind=sniffed.kind,
                      sha256=digest)  # fmt: skip
    return evidence


@dataclass(frozen=True)
class VisitReport:
    """What the agent reports after the visit."""

    met: str
    finding: str = ""
    notes: str = ""
    entered: bool = False  # entered the premises, with the occupant's consent
    relationship: str = ""  # the family member met
    promise_amount: Decimal | None = None
    promise_due: dt.date | None = None
    new_phone: str = ""
    new_address: str = ""


def _new_phone(case: Case, raw: str) -> ContactPoint | None:
    """Add the number learnt on the visit to the debtor's own numbers (unless it is already there)."""
    if not raw.strip():
        return None
    parsed = parse_phone(raw)
    if parsed is None or not parsed.valid or not parsed.e164:
        raise ValidationError({"new_phone": [_("%(value)s is not a phone number.") % {"value": raw.strip()}]})
    point, _created = ContactPoint.objects.get_or_create(
        debtor_id=case.debtor_id, person=None, value=parsed.e164,
        defaults={"kind": ContactPoint.Kind.MOBILE if is_mobile(parsed.e164) else ContactPoint.Kind.LANDLINE,
                  "source": "visit"},
    )  # fmt: skip
    return point


def _recorded(visit: Visit) -> bool:
    """Whether a recording of the visit is kept: an audio file, or a video (kept as kind "audio")."""
    return visit.evidence.filter(kind=VisitEvidence.Kind.AUDIO).exists()


def visit_report(*, actor: User, visit: Visit, report: VisitReport) -> Visit:
    """File the report of a visit and update the case as a call outcome would.

    Filed by the agent who checked in (the contact record is theirs). Where the profile requires
    the visit recorded in full (CN), at least one audio or video recording must already be kept
    (photos alone do not do): a visit without its recording cannot be reported, hence never closed.
    """
    try:
        reading = flow.read_report(met=report.met, finding=report.finding)
    except flow.ReportError as exc:
        raise ValidationError({exc.field: [str(exc)]}) from None
    if reading.result == "promise" and (report.promise_amount is None or report.promise_due is None):
        raise ValidationError({"promise_amount": [_("A promise needs an amount and a date.")]})
    new_address = " ".join(report.new_address.split())
    if len(new_address) > ADDRESS_MAX:
        raise ValidationError({"new_address": [_("The address is longer than 300 characters.")]})
    with transaction.atomic():
        visit = _locked(visit)
        _agent_of(visit, actor)
        _step(visit, "report")
        if visit.checked_in_by_id != actor.pk:
            raise PermissionDenied(
                _("The report is filed by the agent who checked in (%(who)s).") % {"who": visit.checked_in_by}
            )
        case = visit.case
        if visit_policy(case.creditor.profile()).recording_required and not _recorded(visit):
            raise ValidationError({"files": [
                _("Add the audio or video recording of the visit: the compliance profile requires every "
                  "field visit to be recorded in full, and photos alone are not enough.")
            ]})  # fmt: skip
        entry = OutcomeEntry(
            outcome=reading.outcome, result=reading.result, note=report.notes.strip(),
            relationship=report.relationship.strip() if report.met == flow.Met.FAMILY else "",
            promise_amount=report.promise_amount if reading.result == "promise" else None,
            promise_due=report.promise_due if reading.result == "promise" else None,
        )  # fmt: skip
        try:
            outcome_record(actor=actor, record=visit.contact_record, entry=entry)
        except ValidationError as exc:
            # The workbench names promise fields after the Promise; the report form names them its way.
            if hasattr(exc, "error_dict"):
                rename = {"amount": "promise_amount", "due_on": "promise_due"}
                raise ValidationError({rename.get(k, k): v for k, v in exc.message_dict.items()}) from None
            raise
        point = _new_phone(case, report.new_phone)
        visit.met, visit.finding, visit.entered = report.met, report.finding, report.entered
        visit.new_phone = point.value if point else ""
        visit.new_address, visit.notes, visit.reported_at = new_address, report.notes.strip(), timezone.now()
        visit.status = flow.Status.REPORTED
        visit.save(update_fields=["met", "finding", "entered", "new_phone", "new_address", "notes",
                                  "reported_at", "status"])  # fmt: skip
        events.record(case, "visit.reported", actor=actor, visit=visit.pk, met=report.met,
                      finding=report.finding, new_phone=bool(point),
                      new_address=bool(new_address))  # fmt: skip
        if reading.address_finding:
            events.record(case, "visit.address_flagged", actor=actor, visit=visit.pk,
                          finding=reading.address_finding)  # fmt: skip
    visit.contact_record.refresh_from_db()  # the outcome was written on another instance
    return visit


# --- closing ---------------------------------------------------------------------------------------


def visit_close(*, actor: User, visit: Visit) -> Visit:
    """The team lead reviews the report and closes the visit (never without its recording, where required)."""
    if not can(actor.role, "approve_visits"):
        raise PermissionDenied(_("Your role may not close field visits."))
    with transaction.atomic():
        visit = _locked(visit)
        _step(visit, "close")
        if visit_policy(visit.case.creditor.profile()).recording_required and not _recorded(visit):
            raise ValidationError(
                _("The visit has no audio or video recording (photos alone are not enough); it cannot be "
                  "closed.")
            )  # fmt: skip
        visit.status, visit.closed_by, visit.closed_at = flow.Status.CLOSED, actor, timezone.now()
        visit.save(update_fields=["status", "closed_by", "closed_at"])
        events.record(visit.case, "visit.closed", actor=actor, visit=visit.pk)
    return visit


def visit_cancel(*, actor: User, visit: Visit, reason: str) -> Visit:
    """Call a visit off before anyone has checked in: the requester or a team lead, with a reason."""
    if visit.requested_by_id != actor.pk and not can(actor.role, "approve_visits"):
        raise PermissionDenied(_("Only the requester or a team lead may cancel a visit."))
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the visit is cancelled.")]})
    with transaction.atomic():
        visit = _locked(visit)
        _step(visit, "cancel")
        visit.status, visit.cancel_reason = flow.Status.CANCELLED, reason.strip()
        visit.save(update_fields=["status", "cancel_reason"])
        events.record(visit.case, "visit.cancelled", actor=actor, visit=visit.pk, reason=reason.strip())
    return visit
