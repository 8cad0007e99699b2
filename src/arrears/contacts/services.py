"""The one contact choke point: every outbound contact, on every channel, goes through here.

``contact_attempt`` locks the debtor (so two collectors pressing "call" at the same moment are
decided one after the other, each seeing the other's attempt), asks the compliance guard, records
the decision allowed or refused, and for an allowed contact records the attempt at once as
pending, so it counts against the caps before its outcome is known. Nothing else creates outbound
contact records (``tests/test_contact_choke_point.py`` checks the source).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from arrears.accounts.models import User
from arrears.cases import events
from arrears.cases.models import Case, CaseStatus
from arrears.compliance import facts
from arrears.compliance.guard import Decision, Violation, screen_text
from arrears.compliance.models import ContactDecision
from arrears.contacts.models import ContactRecord, Outcome, Party, Result
from arrears.core.audit import request_id
from arrears.core.roles import can
from arrears.debtors.models import ContactPoint, Debtor

CLOSED = (CaseStatus.PAID, CaseStatus.SETTLED, CaseStatus.RECALLED, CaseStatus.CLOSED)
# Statuses that a lost contact may replace; a promise, plan or dispute says more and stays.
WORKING = (CaseStatus.NEW, CaseStatus.IN_PROGRESS, CaseStatus.BROKEN_PROMISE)


def _closed(decision: Decision, case: Case) -> Decision:
    """arrears' own rule on top of the profile: nothing is demanded on a finished case."""
    refusal = Violation(
        rule="case_closed",
        reason_zh=f"案件已{case.get_status_display()}，不得再催收",
        reason_en="the case is finished (paid, settled, recalled or closed); no demand may be made",
    )
    return dataclasses.replace(
        decision, allowed=False, violations=(*decision.violations, refusal), next_allowed_at=None
    )


@dataclass(frozen=True)
class AttemptResult:
    decision: Decision
    record: ContactRecord | None  # the pending attempt, when allowed
    logged: ContactDecision


def contact_attempt(
    *,
    actor: User | None,
    case: Case,
    channel: str,
    purpose: str,
    contact_point: ContactPoint | None = None,
    content: str | None = None,
    collectors: int = 1,
) -> AttemptResult:
    """Ask the guard whether ``actor`` may contact ``contact_point`` of ``case`` now, and record it.

    ``actor`` None is the system (strategy-driven sends). The case must already be in the actor's
    scope (callers fetch it through the selectors).
    """
    if actor is not None and not can(actor.role, "contact_debtors"):
        raise PermissionDenied(_("Your role may not contact debtors."))
    if contact_point is not None and contact_point.debtor_id != case.debtor_id:
        raise ValueError("the contact point belongs to another debtor")
    with transaction.atomic():
        # The lock that makes caps hold under concurrency: one decision per debtor at a time.
        Debtor.objects.select_for_update().filter(pk=case.debtor_id).first()
        # Read the case again under the lock: a dispute or plan recorded a moment ago counts.
        case = Case.objects.select_related("creditor", "debtor").get(pk=case.pk)
        now = timezone.now()
        decision, contact = facts.decide(
            case=case, channel=channel, point=contact_point, purpose=purpose, content=content,
            collectors=collectors, now=now,
        )  # fmt: skip
        if purpose == "demand" and case.status in CLOSED:
            decision = _closed(decision, case)
        logged = ContactDecision.objects.create(
            case=case, at=now, actor=actor, channel=channel, party=contact.party, purpose=purpose,
            contact_point=contact_point, allowed=decision.allowed,
            violations=[
                {"rule": v.rule, "reason": v.reason, "matched": v.matched} for v in decision.violations
            ],
            next_allowed_at=decision.next_allowed_at, profile=decision.profile,
            profile_version=decision.profile_version, request_id=request_id(),
        )  # fmt: skip
        record = None
        if decision.allowed:
            record = ContactRecord.objects.create(
                case=case, at=now, channel=channel, party=contact.party, contact_point=contact_point,
                outcome=Outcome.PENDING, collector=actor,
            )  # fmt: skip
        events.record(
            case, "contact.allowed" if decision.allowed else "contact.refused", actor=actor, channel=channel,
            party=contact.party, rules=[v.rule for v in decision.violations], decision=logged.pk,
        )  # fmt: skip
    return AttemptResult(decision=decision, record=record, logged=logged)


def contact_attempt_not_sent(*, record: ContactRecord, note: str, unconfirmed: bool = False) -> None:
    """Close an allowed attempt that the SMS gateway or mail server did not take (``unconfirmed``:
    did not confirm taking, after a timeout). It stays in the log as a failed attempt (``rejected``,
    which the guard counts as "failed": an attempt, but no evidence about the number) with the
    reason in the note, rather than "pending" for ever; a retry is a new attempt, asked of the guard
    again."""
    ContactRecord.objects.filter(pk=record.pk, outcome=Outcome.PENDING).update(
        outcome=Outcome.REJECTED,
        note=note[:1000],
        detail={"unconfirmed" if unconfirmed else "not_sent": True},
    )


# Outcomes that tell something about the number itself.
INVALIDATES = {Outcome.NOT_EXIST, Outcome.SUSPENDED, Outcome.WRONG_NUMBER}
REACHES = {Outcome.RIGHT_PARTY, Outcome.THIRD_PARTY}


def contact_outcome_record(
    *, actor: User, record: ContactRecord, outcome: str, result: str = "", note: str = "",
    detail: dict[str, Any] | None = None,
) -> ContactRecord:  # fmt: skip
    """Record what came of an attempt (the outcome codes Chinese collectors use).

    The note is screened by the guard: prohibited wording is not refused here (the call already
    happened) but flagged for QA. The number's status follows the outcome (空号/停机 make it invalid),
    and so does the debtor's lost-contact state. What the outcome leads to (a promise, a dispute, the
    next follow-up) is the workbench's to record, in the same transaction.
    """
    if outcome == Outcome.PENDING or outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose what happened.")})
    if result and (outcome != Outcome.RIGHT_PARTY or result not in Result.values):
        raise ValidationError({"result": _("A result is recorded only when the debtor answered.")})
    with transaction.atomic():
        record = ContactRecord.objects.select_for_update().select_related("case__creditor").get(pk=record.pk)
        if record.outcome != Outcome.PENDING:
            raise ValidationError(_("This attempt already has its outcome."))
        if record.collector_id != actor.pk and not can(actor.role, "assign_cases"):
            raise PermissionDenied(_("Only the collector who made the attempt records its outcome."))
        # On a time-barred debt, a note saying suit was threatened is flagged too.
        barred = facts.is_time_barred(record.case, timezone.now())
        profile = record.case.creditor.profile()
        flags = screen_text(note, profile=profile, party=record.party, time_barred=barred) if note else ()
        record.outcome, record.result, record.note = outcome, result, note
        record.detail = detail or {}
        record.qa_flags = [{"rule": v.rule, "matched": v.matched} for v in flags]
        record.save(update_fields=["outcome", "result", "note", "detail", "qa_flags"])
        if record.contact_point_id and (outcome in INVALIDATES or outcome in REACHES):
            status = ContactPoint.Status.INVALID if outcome in INVALIDATES else ContactPoint.Status.VALID
            ContactPoint.objects.filter(pk=record.contact_point_id).update(status=status)
        case = Case.objects.select_related("creditor", "debtor").get(pk=record.case_id)
        if case.status == CaseStatus.NEW:
            Case.objects.filter(pk=case.pk).update(status=CaseStatus.IN_PROGRESS)
        events.record(
            case, "contact.outcome", actor=actor, outcome=outcome, result=result, qa_flags=record.qa_flags
        )
        if record.party == Party.DEBTOR:
            _follow_lost_contact(case, actor, reached=outcome == Outcome.RIGHT_PARTY)
    return record


def _follow_lost_contact(case: Case, actor: User, *, reached: bool) -> None:
    """Keep the case's lost-contact state (失联) in step with the evidence after a debtor contact."""
    now = timezone.now()
    case = Case.objects.select_for_update().select_related("creditor", "debtor").get(pk=case.pk)
    lost = not reached and facts.lost_now(case, now)
    if lost and case.lost_contact_since is None:
        Case.objects.filter(pk=case.pk).update(lost_contact_since=now)
        Case.objects.filter(pk=case.pk, status__in=WORKING).update(status=CaseStatus.LOST_CONTACT)
        events.record(case, "contact.lost", actor=actor)
    elif not lost and case.lost_contact_since is not None:
        Case.objects.filter(pk=case.pk).update(lost_contact_since=None)
        Case.objects.filter(pk=case.pk, status=CaseStatus.LOST_CONTACT).update(status=CaseStatus.IN_PROGRESS)
        events.record(case, "contact.regained", actor=actor)
