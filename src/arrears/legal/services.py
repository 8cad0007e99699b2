"""Writes of the legal track: escalations and their decisions, and legal's records of a case.

Each service checks the actor's capability, runs in one transaction, and writes the case's event
log and the change log. Cases reach these services already in the actor's scope (views fetch them
through the selectors); the services check the organisation again so a console caller cannot cross.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from arrears.accounts.models import User
from arrears.cases import events
from arrears.cases.models import Case, CaseStatus
from arrears.complaints.models import Dispute
from arrears.core import audit
from arrears.core.money import CENT
from arrears.core.roles import can
from arrears.documents.models import Document
from arrears.legal import rules
from arrears.legal.labels import COST_ZH
from arrears.legal.models import Escalation, Hearing, LawyerLetter, LegalCost, Suit
from arrears.money.ledger import Component, Entry, Kind
from arrears.payments import ledger

FINISHED = (CaseStatus.PAID, CaseStatus.SETTLED, CaseStatus.RECALLED, CaseStatus.CLOSED)


def _same_organisation(actor: User, case: Case) -> None:
    if actor.organisation_id != case.organisation_id:
        raise PermissionDenied(_("This case is not one of your organisation's."))


def _disputed(case: Case) -> bool:
    return (
        case.status == CaseStatus.DISPUTED
        or Dispute.objects.filter(case=case, status=Dispute.Status.OPEN).exists()
    )


def _refusals(case: Case, *, deciding: bool) -> list[rules.Refusal]:
    return rules.escalation_refusals(
        limitation_on=case.limitation_on, today=timezone.localdate(), disputed=_disputed(case),
        deciding=deciding,
    )  # fmt: skip


def _may_pursue(case: Case, *, on: dt.date) -> None:
    """Refuse a new step against the debtor (letter, suit, cost) on a case disputed or time-barred
    now: the escalation was approved earlier, and a dispute opened or the period lapsed since."""
    sued_in_time = case.limitation_on is not None and (
        Suit.objects.filter(case=case, filed_on__lte=case.limitation_on).exists()
    )
    _refuse(
        rules.pursuit_refusals(
            limitation_on=case.limitation_on, on=on, disputed=_disputed(case), sued_in_time=sued_in_time
        )
    )


def _lock(case: Case) -> Case:
    """The case as it is now, locked: a dispute or a settlement recorded a moment ago counts."""
    return Case.objects.select_for_update(of=("self",)).get(pk=case.pk)


def _refuse(refusals: list[rules.Refusal]) -> None:
    if refusals:
        # Both languages in one message: whoever reads it (and the audit trail) sees the same reason.
        raise ValidationError([ValidationError(str(r), code=r.code) for r in refusals])


def escalation_propose(*, actor: User, case: Case, reason: str) -> Escalation:
    """Propose ``case`` for legal action (转法务), with the reason; legal decides."""
    if not can(actor.role, "propose_legal"):
        raise PermissionDenied(_("Your role may not propose cases to legal."))
    _same_organisation(actor, case)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the case should go to legal.")})
    with transaction.atomic():
        locked = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
        if locked.status in FINISHED:
            raise ValidationError(_("The case is finished; nothing is left to take to court."))
        _refuse(_refusals(locked, deciding=False))
        if Escalation.objects.filter(case=locked, status__in=_LIVE).exists():
            raise ValidationError(_("This case is already proposed to legal or on the legal track."))
        escalation = Escalation.objects.create(
            case=locked, reason=reason, proposed_by=actor, proposed_at=timezone.now()
        )
        audit.log_create(escalation, user=actor)
        events.record(locked, "legal.proposed", actor=actor, escalation=escalation.pk, reason=reason)
    return escalation


_LIVE = (Escalation.Status.PROPOSED, Escalation.Status.APPROVED)


def escalation_decide(*, actor: User, escalation: Escalation, approve: bool, note: str) -> Escalation:
    """Legal approves or rejects a proposal, with a reason; never the person who proposed it.

    Approval checks the case again as it is now: a dispute opened or a limitation period that
    lapsed since the proposal stops it.
    """
    if not can(actor.role, "decide_legal"):
        raise PermissionDenied(_("Only legal decides on escalations."))
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Give the reason for the decision.")})
    if escalation.proposed_by_id == actor.pk:
        raise PermissionDenied(_("An escalation is decided by someone other than who proposed it."))
    with transaction.atomic():
        escalation = Escalation.objects.select_for_update().get(pk=escalation.pk)
        case = Case.objects.select_for_update(of=("self",)).get(pk=escalation.case_id)
        _same_organisation(actor, case)
        if escalation.status != Escalation.Status.PROPOSED:
            raise ValidationError(_("This escalation is already decided."))
        if approve:
            _refuse(_refusals(case, deciding=True))
        before = audit.snapshot(escalation)
        escalation.status = Escalation.Status.APPROVED if approve else Escalation.Status.REJECTED
        escalation.decided_by, escalation.decided_at, escalation.decision_note = actor, timezone.now(), note
        escalation.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        audit.log_update(escalation, before, user=actor)
        events.record(case, f"legal.{escalation.status}", actor=actor, escalation=escalation.pk, note=note)
    return escalation


def on_legal_track(case: Case) -> bool:
    return Escalation.objects.filter(case=case, status=Escalation.Status.APPROVED).exists()


def _recorder(actor: User, case: Case) -> None:
    """Legal records only on cases it took: the record starts with an approved escalation."""
    if not can(actor.role, "record_legal"):
        raise PermissionDenied(_("Only legal keeps the legal record of a case."))
    _same_organisation(actor, case)
    if not on_legal_track(case):
        raise ValidationError(_("The case is not on the legal track; approve an escalation first."))


def _not_future(day: dt.date | None, field: str) -> None:
    if day is not None and day > timezone.localdate():
        raise ValidationError({field: _("This date is in the future.")})


def letter_record(
    *, actor: User, case: Case, sent_on: dt.date, law_firm: str, reference: str,
    document: Document | None = None,
) -> LawyerLetter:  # fmt: skip
    """Record that a lawyer's letter was sent (the letter itself is a document of the case); never one
    sent after the limitation period lapsed, nor while the case is disputed."""
    _recorder(actor, case)
    law_firm, reference = law_firm.strip(), reference.strip()
    if not law_firm:
        raise ValidationError({"law_firm": _("Name the law firm.")})
    if not reference:
        raise ValidationError({"reference": _("Give the letter's reference.")})
    _not_future(sent_on, "sent_on")
    if document is not None and document.case_id != case.pk:
        raise ValidationError({"document": _("The document belongs to another case.")})
    with transaction.atomic():
        _may_pursue(_lock(case), on=sent_on)
        if LawyerLetter.objects.filter(case=case, reference=reference).exists():
            raise ValidationError({"reference": _("A letter with this reference is already recorded.")})
        try:
            # The check above misses the same form saved twice at the same moment (a double click, two
            # tabs) where the case lock does not serialise the two; the unique constraint catches it.
            with transaction.atomic():
                letter = LawyerLetter.objects.create(
                    case=case, sent_on=sent_on, law_firm=law_firm, reference=reference, document=document,
                    recorded_by=actor, recorded_at=timezone.now(),
                )  # fmt: skip
        except IntegrityError:
            raise ValidationError(
                {"reference": _("A letter with this reference is already recorded.")}
            ) from None
        audit.log_create(letter, user=actor)
        events.record(case, "legal.letter", actor=actor, law_firm=law_firm, reference=reference,
                      sent_on=sent_on.isoformat())  # fmt: skip
    return letter


def suit_file(*, actor: User, case: Case, court: str, case_number: str, filed_on: dt.date) -> Suit:
    """Record a suit filed with a court, by its case number (案号); never one filed after the
    limitation period lapsed, nor while the case is disputed."""
    _recorder(actor, case)
    court, case_number = court.strip(), case_number.strip()
    if not court:
        raise ValidationError({"court": _("Name the court.")})
    if not case_number:
        raise ValidationError({"case_number": _("Give the court's case number (案号).")})
    _not_future(filed_on, "filed_on")
    with transaction.atomic():
        _may_pursue(_lock(case), on=filed_on)
        try:
            with (
                transaction.atomic()
            ):  # a savepoint: the constraint's error leaves the lock's transaction usable
                suit = Suit.objects.create(
                    case=case, court=court, case_number=case_number, filed_on=filed_on, recorded_by=actor,
                    recorded_at=timezone.now(),
                )  # fmt: skip
                audit.log_create(suit, user=actor)
                events.record(case, "legal.suit_filed", actor=actor, court=court, case_number=case_number)
        except IntegrityError:
            raise ValidationError(
                {"case_number": _("This court already has a suit with this case number.")}
            ) from None
    return suit


def hearing_record(*, actor: User, suit: Suit, at: dt.datetime, note: str = "") -> Hearing:
    """A hearing of the suit: one to come (its date) or one held (its date and what happened)."""
    _recorder(actor, suit.case)
    with transaction.atomic():
        hearing = Hearing.objects.create(suit=suit, at=at, note=note.strip(), recorded_by=actor)
        audit.log_create(hearing, user=actor)
        events.record(suit.case, "legal.hearing", actor=actor, suit=suit.case_number, at=at.isoformat())
    return hearing


def _update_suit(actor: User, suit: Suit, kind: str, **values: object) -> Suit:
    with transaction.atomic():
        suit = Suit.objects.select_for_update().select_related("case").get(pk=suit.pk)
        before = audit.snapshot(suit)
        for field, value in values.items():
            setattr(suit, field, value)
        suit.save(update_fields=list(values))
        audit.log_update(suit, before, user=actor)
        events.record(suit.case, kind, actor=actor, suit=suit.case_number,
                      **{k: audit.jsonable(v) for k, v in values.items()})  # fmt: skip
    return suit


def judgment_record(
    *, actor: User, suit: Suit, judgment_on: dt.date, amount: Decimal, note: str = ""
) -> Suit:
    """The court's judgment: its date and the amount awarded (a judgment changes no balance by itself:
    what the debtor owes stays the ledger's, and the awarded costs are posted as legal costs)."""
    suit = Suit.objects.select_related("case").get(pk=suit.pk)
    _recorder(actor, suit.case)
    _not_future(judgment_on, "judgment_on")
    if judgment_on < suit.filed_on:
        raise ValidationError({"judgment_on": _("The judgment cannot come before the suit was filed.")})
    if amount < 0 or amount != amount.quantize(CENT):
        raise ValidationError({"amount": _("Give the amount in yuan and fen, not below zero.")})
    return _update_suit(
        actor,
        suit,
        "legal.judgment",
        judgment_on=judgment_on,
        judgment_amount=amount,
        judgment_note=note.strip(),
    )


def enforcement_record(
    *, actor: User, suit: Suit, applied_on: dt.date, number: str, outcome: str, note: str = ""
) -> Suit:
    """The application to enforce the judgment (申请强制执行) and how enforcement went."""
    suit = Suit.objects.select_related("case").get(pk=suit.pk)  # as it stands, not as the caller saw it
    _recorder(actor, suit.case)
    if suit.judgment_on is None:
        raise ValidationError(_("Record the judgment before its enforcement."))
    _not_future(applied_on, "applied_on")
    if applied_on < suit.judgment_on:
        raise ValidationError({"applied_on": _("Enforcement cannot be applied for before the judgment.")})
    if outcome not in Suit.Enforcement.values or outcome == Suit.Enforcement.NONE:
        raise ValidationError({"outcome": _("Choose how enforcement stands.")})
    return _update_suit(
        actor, suit, "legal.enforcement", enforcement_applied_on=applied_on,
        enforcement_number=number.strip(), enforcement_outcome=outcome, enforcement_note=note.strip(),
    )  # fmt: skip


def legal_cost_post(
    *, actor: User, case: Case, kind: str, amount: Decimal, incurred_on: dt.date, reference: str
) -> LegalCost:
    """Charge a legal cost to the case: one ledger entry on the ``legal_costs`` component, so the
    case's balance moves with its ledger. The receipt's reference is charged once. Never to a case
    settled, recalled or closed; a case paid in full owes the cost and goes back to work."""
    _recorder(actor, case)
    if kind not in LegalCost.Kind.values:
        raise ValidationError({"kind": _("Choose the kind of cost.")})
    if amount <= 0 or amount != amount.quantize(CENT):
        raise ValidationError({"amount": _("A cost must be more than zero, in yuan and fen.")})
    _not_future(incurred_on, "incurred_on")
    reference = reference.strip()
    if not reference:
        raise ValidationError({"reference": _("Give the receipt's or invoice's reference.")})
    with transaction.atomic():
        locked = _lock(case)
        finished = rules.cost_refusal(locked.status)
        _refuse([finished] if finished else [])
        _may_pursue(locked, on=timezone.localdate())  # a cost charged now pursues the debt now
        if LegalCost.objects.filter(case=locked, reference=reference).exists():
            raise ValidationError({"reference": _("A cost with this reference is already posted.")})
        reason = f"{COST_ZH[LegalCost.Kind(kind)]} {reference}"
        entry = Entry(Kind.LEGAL_COST, Component.LEGAL_COSTS, amount, incurred_on, reason)
        (row,) = ledger.book(case=locked, entries=[entry], actor=actor)
        cost = LegalCost.objects.create(
            case=locked, kind=kind, amount=amount, incurred_on=incurred_on, reference=reference, entry=row,
            recorded_by=actor, recorded_at=timezone.now(),
        )  # fmt: skip
        audit.log_create(cost, user=actor)
        events.record(locked, "legal.cost", actor=actor, cost=kind, amount=str(amount), reference=reference)
        # A paid case that is charged a cost owes again: it goes back to work.
        Case.objects.filter(pk=locked.pk, status=CaseStatus.PAID).update(status=CaseStatus.IN_PROGRESS)
    case.refresh_from_db()
    return cost
