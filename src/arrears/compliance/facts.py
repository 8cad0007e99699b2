"""What the guard needs to know about a case, read from the database.

The guard is pure and knows nothing of models; this module turns a case, a contact point and the
contact records of the debtor into the guard's ``Debtor``, ``Contact`` and ``Event`` values. The
counters the rules use (attempts per number per day, conversations per day, calls in 7 days, lost
contact) are all derived from the contact records, never stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from arrears.cases.models import Case, CaseStatus
from arrears.compliance.guard import Contact, Debtor, Decision, Event, evaluate
from arrears.contacts.models import Channel, ContactRecord, Outcome, Party
from arrears.debtors.models import ContactPoint

# Contact-record outcomes as the guard counts them. A call that rang out, was busy, rejected or
# found the phone off is an unanswered attempt; suspended, non-existent and wrong numbers are
# invalid; a pending attempt counts as unanswered until its outcome is recorded.
GUARD_OUTCOME: dict[str, str] = {
    Outcome.PENDING: "no_answer",
    Outcome.RIGHT_PARTY: "conversation",
    Outcome.THIRD_PARTY: "answered",
    Outcome.NO_ANSWER: "no_answer",
    Outcome.BUSY: "failed",
    Outcome.REJECTED: "failed",
    Outcome.SWITCHED_OFF: "failed",
    Outcome.SUSPENDED: "invalid_number",
    Outcome.NOT_EXIST: "invalid_number",
    Outcome.WRONG_NUMBER: "invalid_number",
    Outcome.SENT: "answered",
}
# The case states the guard knows, from the case status. Complaints, deceased and incapacitated
# debtors, cease requests and attorneys arrive with the complaints and legal work (issues 4–7).
STATUS_STATES: dict[str, str] = {
    CaseStatus.DISPUTED: "disputed",
    CaseStatus.LOST_CONTACT: "lost_contact",
    CaseStatus.PLAN: "plan_active",
}
HISTORY_DAYS = 8  # the longest window a rule looks back over (7 days for Regulation F), plus a day


def debtor_facts(case: Case) -> Debtor:
    states = {STATUS_STATES[case.status]} if case.status in STATUS_STATES else set()
    return Debtor(timezone=case.debtor.timezone, states=frozenset(states))


def contact_facts(
    *, channel: str, point: ContactPoint | None, purpose: str, content: str | None, collectors: int
) -> Contact:
    party = Party.DEBTOR if point is None or point.person_id is None else Party.CONTACT
    refused = bool(point and (point.do_not_contact or (point.person and point.person.do_not_contact)))
    return Contact(
        channel=channel,
        party=party,
        target=point.value if point else None,
        purpose=purpose,
        content=content,
        do_not_contact=refused,
        collectors=collectors,
    )


def history(case: Case, now: dt.datetime) -> Sequence[Event]:
    """The debtor's contact records the rules can look at: the last eight days, plus the last three
    calls to the debtor whenever they were (for lost contact)."""
    records = ContactRecord.objects.filter(case__debtor_id=case.debtor_id)
    fields = ("at", "channel", "party", "contact_point__value", "outcome")
    recent = list(records.filter(at__gte=now - dt.timedelta(days=HISTORY_DAYS)).values_list(*fields))
    older = list(
        records.filter(at__lt=now - dt.timedelta(days=HISTORY_DAYS), party=Party.DEBTOR,
                       channel__in=[Channel.CALL, Channel.AI_CALL]).order_by("-at").values_list(*fields)[:3]
    )  # fmt: skip
    return [
        Event(at=at, channel=channel, party=party, target=target, outcome=GUARD_OUTCOME[outcome])
        for at, channel, party, target, outcome in sorted(older + recent)
    ]


def decide(
    *, case: Case, channel: str, point: ContactPoint | None, purpose: str, content: str | None,
    collectors: int, now: dt.datetime,
) -> tuple[Decision, Contact]:  # fmt: skip
    """The guard's decision on a proposed contact of ``case`` at ``now`` (nothing is recorded)."""
    contact = contact_facts(
        channel=channel, point=point, purpose=purpose, content=content, collectors=collectors
    )
    decision = evaluate(
        profile=case.creditor.profile(), now=now, debtor=debtor_facts(case),
        contact=contact, history=history(case, now),
    )  # fmt: skip
    return decision, contact
