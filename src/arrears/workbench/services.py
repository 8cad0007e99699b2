"""The workbench's writes: what came of a contact, with everything it leads to, and the scripts.

``outcome_record`` is the one place an outcome turns into its consequences (a promise, a dispute,
a payment claim for finance, the complaint flag, the debtor-type tag, the next follow-up), all in
one transaction with the outcome itself: if any part is refused, nothing is recorded and the
collector's form comes back with the reason and everything they typed.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from arrears.accounts.models import User
from arrears.cases import events
from arrears.cases.models import Case, DebtorType
from arrears.cases.services import case_follow_up_set, case_tag
from arrears.complaints.models import Dispute
from arrears.complaints.services import dispute_open
from arrears.compliance.guard import load_profile, screen_text
from arrears.contacts.models import ContactRecord, Result
from arrears.contacts.services import contact_outcome_record
from arrears.core.roles import can
from arrears.creditors.models import Creditor
from arrears.payments.claims import payment_claim_record
from arrears.payments.models import PaymentClaim, Promise
from arrears.payments.promises import promise_record
from arrears.workbench import nextstep, scripts
from arrears.workbench.models import Script


@dataclass(frozen=True)
class OutcomeEntry:
    """What the collector entered after a contact: the codes, the note, and the result's details."""

    outcome: str
    result: str = ""
    note: str = ""
    relationship: str = ""  # a third party: who answered
    promise_amount: Decimal | None = None
    promise_due: dt.date | None = None
    hardship_reason: str = ""
    call_back_at: dt.datetime | None = None
    claimed_amount: Decimal | None = None
    claimed_on: dt.date | None = None
    claimed_how: str = ""
    next_follow_up: dt.datetime | None = None  # the collector's own choice over the suggestion

    def detail(self) -> dict[str, str]:
        """The details worth keeping on the contact record, as JSON-safe text."""
        skip = {"outcome", "result", "note", "next_follow_up"}
        return {
            k: v.isoformat() if isinstance(v, dt.date) else str(v)
            for k, v in asdict(self).items()
            if k not in skip and v not in (None, "")
        }


@dataclass(frozen=True)
class Recorded:
    record: ContactRecord
    follow_up: dt.datetime
    suggested: bool  # the follow-up is arrears' suggestion, not the collector's choice
    promise: Promise | None = None
    dispute: Dispute | None = None
    claim: PaymentClaim | None = None


def follow_up_window(case: Case) -> nextstep.Window:
    profile = case.creditor.profile()
    return nextstep.Window(profile.quiet_start, profile.quiet_end)


def outcome_record(*, actor: User, record: ContactRecord, entry: OutcomeEntry) -> Recorded:
    """Record ``entry`` on the pending attempt ``record`` and everything the outcome leads to."""
    found: dict[str, Any] = {}
    with transaction.atomic():
        saved = contact_outcome_record(
            actor=actor, record=record, outcome=entry.outcome, result=entry.result, note=entry.note,
            detail=entry.detail(),
        )  # fmt: skip
        case = Case.objects.select_related("creditor", "debtor").get(pk=saved.case_id)
        if entry.result == Result.PROMISE:
            if entry.promise_amount is None or entry.promise_due is None:
                raise ValidationError({"promise_amount": _("A promise needs an amount and a date.")})
            found["promise"] = promise_record(
                actor=actor, case=case, amount=entry.promise_amount, due_on=entry.promise_due
            )
        elif entry.result == Result.DISPUTE:
            found["dispute"] = dispute_open(actor=actor, case=case, reason=entry.note)
        elif entry.result == Result.CLAIMS_PAID:
            found["claim"] = payment_claim_record(
                actor=actor, case=case, amount=entry.claimed_amount, paid_on=entry.claimed_on,
                how=entry.claimed_how,
            )  # fmt: skip
        elif entry.result == Result.COMPLAINT_THREAT:
            Case.objects.filter(pk=case.pk).update(complaint_threat_at=saved.at)
            events.record(case, "case.complaint_threat", actor=actor, record=saved.pk)
        elif entry.result == Result.HARDSHIP and not case.debtor_type:
            case_tag(actor=actor, case=case, debtor_type=DebtorType.WILLING_UNABLE)
        follow_up = entry.next_follow_up
        if follow_up is None:
            local = timezone.localtime(saved.at, zoneinfo.ZoneInfo(case.debtor.timezone))
            follow_up = nextstep.suggest(
                outcome=entry.outcome, result=entry.result, now=local, window=follow_up_window(case),
                promise_due=entry.promise_due, call_back_at=entry.call_back_at,
            )  # fmt: skip
        elif follow_up <= saved.at:
            raise ValidationError({"next_follow_up": _("The next follow-up must be in the future.")})
        case_follow_up_set(actor=actor, case=case, at=follow_up, reason=entry.result or entry.outcome)
    return Recorded(record=saved, follow_up=follow_up, suggested=entry.next_follow_up is None, **found)


def script_save(*, actor: User, script: scripts.Script, active: bool = True) -> Script:
    """Save a new version of a script of the actor's organisation, after the guard has read it.

    A script is refused when a placeholder is unknown or the compliance guard finds prohibited
    wording in either language (for a contact's script, any word of the debt too), so nothing a
    collector is shown can put words in their mouth that the law forbids.
    """
    if not can(actor.role, "manage_scripts"):
        raise PermissionDenied(_("Your role may not change scripts."))
    try:
        scripts.check(script)
    except scripts.ScriptError as exc:
        raise ValidationError(f"{exc.zh} / {exc.en}") from None
    # Read by the default profile and by every creditor's own: a script serves all of them.
    profiles = [load_profile("CN")]
    profiles += [c.profile() for c in Creditor.objects.filter(organisation_id=actor.organisation_id)]
    sample = {name: "1,234.56" for name in scripts.PLACEHOLDERS}
    for profile in profiles:
        for text in (script.body_zh, script.body_en, script.title_zh, script.title_en):
            found = screen_text(scripts.fill(text, sample), profile=profile, party=script.party)
            if found:
                raise ValidationError([v.reason for v in found])
    try:
        with transaction.atomic():
            versions = Script.objects.filter(organisation_id=actor.organisation_id, key=script.key)
            latest = versions.aggregate(v=Max("version"))
            return Script.objects.create(
                organisation=actor.organisation, version=(latest["v"] or 0) + 1, active=active,
                saved_by=actor, saved_at=timezone.now(), **asdict(script),
            )  # fmt: skip
    except IntegrityError:  # someone saved the same script at the same moment: theirs stands
        raise ValidationError(_("Someone saved this script at the same moment; open it again.")) from None
