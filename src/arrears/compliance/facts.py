"""What the guard needs to know about a case, read from the database.

The guard is pure and knows nothing of models; this module turns a case, a contact point and the
contact records of the debtor into the guard's ``Debtor``, ``Contact`` and ``Event`` values. The
counters the rules use (attempts per number per day, conversations per day, calls in 7 days, lost
contact) are all derived from the contact records, never stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Q
from django.utils import timezone

from arrears.cases.models import Case, CaseStatus
from arrears.compliance.guard import Contact, Debtor, Decision, Event, Profile, evaluate
from arrears.compliance.rules import Facts
from arrears.contacts.models import Channel, ContactRecord, Outcome, Party
from arrears.debtors.models import ContactPoint

# Contact-record outcomes as the guard counts them. A call that rang out, was busy, rejected or
# found the phone off is an unanswered attempt; suspended, non-existent and wrong numbers are
# invalid; a pending attempt (outcome not recorded yet) counts against every cap but proves nothing
# about whether the debtor can be reached.
GUARD_OUTCOME: dict[str, str] = {
    Outcome.PENDING: "pending",
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
MIN_HISTORY_DAYS = 8  # a local day, and Regulation F's 7-day windows, with a day to spare


def _own_numbers(case: Case) -> tuple[frozenset[str], bool]:
    """The debtor's own phone numbers, and whether every one of them is known to be invalid."""
    own = ContactPoint.objects.filter(debtor_id=case.debtor_id, person__isnull=True).exclude(
        kind=ContactPoint.Kind.EMAIL
    )
    rows = list(own.values_list("value", "status"))
    numbers = frozenset(value for value, _ in rows)
    return numbers, bool(rows) and all(status == ContactPoint.Status.INVALID for _, status in rows)


def debtor_facts(case: Case) -> Debtor:
    states = {STATUS_STATES[case.status]} if case.status in STATUS_STATES else set()
    numbers, all_invalid = _own_numbers(case)
    # Only the evidence counts here, never the case's stored lost-contact flag: a flag left over
    # from last week must not open the way to the debtor's contacts.
    if all_invalid:
        states.add("lost_contact")
    return Debtor(timezone=case.debtor.timezone, states=frozenset(states), numbers=numbers)


def lost_now(case: Case, now: dt.datetime) -> bool:
    """Whether the debtor is lost (失联) on the evidence alone, as the guard reads it: every own
    number invalid, or the last calls all unanswered. The workbench stores the result on the case."""
    numbers, all_invalid = _own_numbers(case)
    if all_invalid:
        return True
    profile = case.creditor.profile()
    debtor = Debtor(timezone=case.debtor.timezone, states=frozenset(), numbers=numbers)
    contact = contact_facts(channel=Channel.CALL, point=None, purpose="demand", content=None, collectors=1)
    events = history(case, now, profile=profile, target=None)
    return Facts(profile=profile, now=now, debtor=debtor, contact=contact, history=events).lost_by_history


def is_time_barred(case: Case, now: dt.datetime) -> bool:
    """Whether the case's limitation period (set by the nightly run) lapsed before today, the
    server's business day at ``now``: then no text may threaten suit on it."""
    return case.limitation_on is not None and case.limitation_on < timezone.localdate(now)


def contact_facts(
    *, channel: str, point: ContactPoint | None, purpose: str, content: str | None, collectors: int,
    time_barred: bool = False,
) -> Contact:  # fmt: skip
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
        time_barred=time_barred,
    )


def history(
    case: Case, now: dt.datetime, *, profile: Profile, target: str | None, until: dt.datetime | None = None
) -> Sequence[Event]:
    """The contact records the rules can look at: everything within the longest window the profile
    uses (a creditor may lengthen them), to this debtor or to the number about to be called (a
    number shared by two debtors of the organisation has one daily cap), plus the last three calls
    to the debtor whenever they were (for lost contact)."""
    days = max(MIN_HISTORY_DAYS, profile.lockout.days + 1, profile.calls_window.days + 1)
    scope = Q(case__debtor_id=case.debtor_id)
    if target:
        scope |= Q(contact_point__value=target, case__organisation_id=case.organisation_id)
    records = ContactRecord.objects.filter(scope)
    if until is not None:  # the tester asking "what if at this past moment": later events did not exist
        records = records.filter(at__lte=until)
    fields = ("pk", "at", "channel", "party", "contact_point__value", "outcome")
    recent = list(records.filter(at__gte=now - dt.timedelta(days=days)).values_list(*fields))
    calls = records.filter(
        at__lt=now - dt.timedelta(days=days), case__debtor_id=case.debtor_id, party=Party.DEBTOR,
        channel__in=[Channel.CALL, Channel.AI_CALL],
    )  # fmt: skip
    older = list(calls.order_by("-at").values_list(*fields)[:3])
    return [
        Event(at=at, channel=channel, party=party, target=target, outcome=GUARD_OUTCOME[outcome])
        for _pk, at, channel, party, target, outcome in sorted(
            set(older + recent), key=lambda r: (r[1], r[0])
        )
    ]


def decide(
    *, case: Case, channel: str, point: ContactPoint | None, purpose: str, content: str | None,
    collectors: int, now: dt.datetime, hypothetical: bool = False,
) -> tuple[Decision, Contact]:  # fmt: skip
    """The guard's decision on a proposed contact of ``case`` at ``now`` (nothing is recorded)."""
    contact = contact_facts(
        channel=channel, point=point, purpose=purpose, content=content, collectors=collectors,
        time_barred=is_time_barred(case, now),
    )  # fmt: skip
    profile = case.creditor.profile()
    events = history(case, now, profile=profile, target=contact.target, until=now if hypothetical else None)
    decision = evaluate(profile=profile, now=now, debtor=debtor_facts(case), contact=contact, history=events)
    return decision, contact
