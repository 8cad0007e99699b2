"""The one contact choke point: every outbound contact, on every channel, goes through here.

``contact_attempt`` locks the debtor (so two collectors pressing "call" at the same moment are
decided one after the other, each seeing the other's attempt), asks the compliance guard, records
the decision allowed or refused, and for an allowed contact records the attempt at once as
pending, so it counts against the caps before its outcome is known. Nothing else creates outbound
contact records (``tests/test_contact_choke_point.py`` checks the source).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from arrears.accounts.models import User
from arrears.cases import events
from arrears.cases.models import Case
from arrears.compliance import facts
from arrears.compliance.guard import Decision
from arrears.compliance.models import ContactDecision
from arrears.contacts.models import ContactRecord, Outcome
from arrears.core.audit import request_id
from arrears.debtors.models import ContactPoint, Debtor


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
    if contact_point is not None and contact_point.debtor_id != case.debtor_id:
        raise ValueError("the contact point belongs to another debtor")
    with transaction.atomic():
        # The lock that makes caps hold under concurrency: one decision per debtor at a time.
        Debtor.objects.select_for_update().filter(pk=case.debtor_id).first()
        now = timezone.now()
        decision, contact = facts.decide(
            case=case, channel=channel, point=contact_point, purpose=purpose, content=content,
            collectors=collectors, now=now,
        )  # fmt: skip
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
