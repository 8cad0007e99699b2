"""Reads of the legal track, always within the user's access scope (``restrict``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Min, OuterRef, QuerySet, Subquery
from django.utils import timezone

from arrears.batch.models import Task
from arrears.cases.models import Case
from arrears.core.access import restrict
from arrears.legal.models import Escalation, Hearing, LawyerLetter, LegalCost, Suit

LIVE = (Escalation.Status.PROPOSED, Escalation.Status.APPROVED)


def proposals(*, user: Any) -> QuerySet[Escalation]:
    """Escalations waiting for legal's decision, oldest first."""
    return (
        restrict(Escalation.objects.filter(status=Escalation.Status.PROPOSED), user)
        .select_related("case__debtor", "case__creditor", "proposed_by")
        .order_by("proposed_at", "pk")
    )


def suggested(*, user: Any, today: dt.date | None = None) -> QuerySet[Case]:
    """Cases the nightly strategy sends for a legal review (open ``legal_review`` tasks due by today)
    that nobody has proposed yet, the largest first: where legal may want to look before a collector
    proposes."""
    today = today or timezone.localdate()
    due = Task.objects.filter(kind="legal_review", status=Task.Status.OPEN, due_on__lte=today)
    due = due.values("case_id")
    live = Escalation.objects.filter(status__in=LIVE).values("case_id")
    return (
        restrict(Case.objects.filter(pk__in=due).exclude(pk__in=live), user)
        .select_related("debtor", "creditor", "assigned_to")
        .order_by("-total", "pk")[:50]
    )


def legal_cases(*, user: Any, now: dt.datetime | None = None) -> QuerySet[Case]:
    """Cases on the legal track, each with ``next_hearing`` (the first hearing from now, or None);
    the ones with a hearing coming first, soonest at the top."""
    now = now or timezone.now()
    on_track = restrict(Escalation.objects.filter(status=Escalation.Status.APPROVED), user).values("case_id")
    upcoming = (
        Hearing.objects.filter(suit__case=OuterRef("pk"), at__gte=now)
        .values("suit__case")
        .annotate(first=Min("at"))
        .values("first")
    )
    return (
        restrict(Case.objects.filter(pk__in=on_track), user)
        .annotate(next_hearing=Subquery(upcoming[:1]))
        .select_related("debtor", "creditor", "assigned_to")
        .order_by("next_hearing", "pk")
    )


def legal_state(case: Case) -> Escalation | None:
    """The case's live escalation (proposed or approved), else its latest decided one; one query,
    since the case page shows it (a case has a handful of escalations at most)."""
    escalations = list(
        Escalation.objects.filter(case=case).select_related("decided_by").order_by("-proposed_at", "-pk")
    )
    live = [e for e in escalations if e.status != Escalation.Status.REJECTED]
    return (live or escalations or [None])[0]


@dataclass
class LegalRecord:
    """Everything legal recorded on one case (already in the user's scope)."""

    escalations: list[Escalation]
    letters: list[LawyerLetter]
    suits: list[Suit]
    costs: list[LegalCost]
    hearings: dict[int, list[Hearing]] = field(default_factory=dict)

    @property
    def on_track(self) -> bool:
        return any(e.status == Escalation.Status.APPROVED for e in self.escalations)

    @property
    def live(self) -> Escalation | None:
        return next((e for e in self.escalations if e.status != Escalation.Status.REJECTED), None)


def legal_record(*, case: Case) -> LegalRecord:
    suits = list(Suit.objects.filter(case=case).order_by("filed_on", "pk"))
    hearings: dict[int, list[Hearing]] = {s.pk: [] for s in suits}
    for hearing in Hearing.objects.filter(suit__in=suits).order_by("at", "pk"):
        hearings[hearing.suit_id].append(hearing)
    for suit in suits:
        suit.hearing_list = hearings[suit.pk]  # type: ignore[attr-defined]
    return LegalRecord(
        escalations=list(
            Escalation.objects.filter(case=case)
            .select_related("proposed_by", "decided_by")
            .order_by("-proposed_at", "-pk")
        ),
        letters=list(LawyerLetter.objects.filter(case=case).select_related("document", "recorded_by")),
        suits=suits,
        costs=list(LegalCost.objects.filter(case=case).select_related("entry", "recorded_by")),
        hearings=hearings,
    )
