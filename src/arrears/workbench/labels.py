"""What the workbench's codes are called on screen (stages, objections, warnings, holds)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

OBJECTION_LABELS = {
    "no_money": _("No money"),
    "not_me": _("Not my spending"),
    "already_paid": _("Already paid"),
    "complaint": _("Will complain"),
    "wants_plan": _("Wants instalments"),
    "cannot_reach": _("Someone else answered"),
    "too_high": _("Amount too high"),
    "busy_now": _("Busy now"),
    "hardship_illness": _("Ill or in hospital"),
}
STAGE_LABELS = {
    "first_reminder": _("First reminder"),
    "m1": "M1",  # bucket names read the same in both languages
    "m2_m3": "M2–M3",
    "m4_plus": _("M4 and later"),
    "pre_legal": _("Pre-legal"),
    "any": _("Any stage"),
}
WARNING_LABELS = {
    "complaint_threat": _("Threatened to complain: handle with care"),
    "dispute_open": _("Dispute under review: collection paused"),
    "promises_broken": _("Two or more broken promises"),
    "return_soon_unreached": _("Return date within 7 days, no right-party contact this month"),
    "lost_contact": _("Lost contact: the debtor cannot be reached"),
    "no_recent_attempt": _("No contact attempt for 7 days"),
    "payment_claim_open": _("Says it is paid: finance is checking"),
    "qa_flagged": _("A recent note was flagged for QA"),
    # Raised by the nightly run.
    "rolling_high_balance": _("High balance rolled into the next bucket"),
    "limitation_lapsing": _("The limitation period lapses within 90 days"),
    "payment_reversed": _("A payment was reversed today"),
}
HOLD_LABELS = {"dispute": _("Dispute"), "plan": _("Repayment plan")}
PARTY_LABELS = {"debtor": _("Debtor"), "contact": _("Contact")}
ANY_TYPE = _("Any type")
