"""What the workbench's codes are called on screen (stages, objections, warnings, holds)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

OBJECTION_LABELS = {
    "no_money": _("No money (没钱)"),
    "not_me": _("Not my spending (不是我刷的)"),
    "already_paid": _("Already paid (已经还了)"),
    "complaint": _("Will complain (要投诉)"),
    "wants_plan": _("Wants instalments (要求分期)"),
    "cannot_reach": _("Someone else answered (联系不上本人)"),
    "too_high": _("Amount too high (利息太高)"),
    "busy_now": _("Busy now (现在没空)"),
    "hardship_illness": _("Ill or in hospital (生病住院)"),
}
STAGE_LABELS = {
    "first_reminder": _("First reminder"),
    "m1": _("M1"),
    "m2_m3": _("M2–M3"),
    "m4_plus": _("M4 and later"),
    "pre_legal": _("Pre-legal"),
    "any": _("Any stage"),
}
WARNING_LABELS = {
    "complaint_threat": _("Threatened to complain: handle with care"),
    "dispute_open": _("Dispute under review: collection paused"),
    "promises_broken": _("Two or more broken promises"),
    "return_soon_unreached": _("Return date within 7 days, no right-party contact this month"),
    "lost_contact": _("Lost contact: every number failed"),
    "no_recent_attempt": _("No contact attempt for 7 days"),
    "payment_claim_open": _("Says it is paid: finance is checking"),
    "qa_flagged": _("A recent note was flagged for QA"),
}
HOLD_LABELS = {"dispute": _("Dispute"), "plan": _("Repayment plan")}
