"""Reads of the workbench: the queue, the key facts of a case, the scripts, the day's figures.

All through the access choke point. Each read is a fixed number of queries whatever the size of
the queue or the history (the budgets are tested), so pages stay fast on a book of millions.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    BooleanField,
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models import Case as Choose
from django.utils import timezone
from django.utils.translation import get_language

from arrears.accounts.models import User
from arrears.batch.models import CaseWarning, StrategyDecision
from arrears.cases.models import Case, CaseStatus
from arrears.complaints.models import Dispute
from arrears.compliance.models import ContactDecision
from arrears.contacts.models import ContactRecord, Outcome, Party
from arrears.core.access import restrict
from arrears.core.money import ZERO
from arrears.core.roles import Role
from arrears.debtors.models import ContactPoint
from arrears.payments.models import Payment, PaymentClaim, Promise, RepaymentPlan
from arrears.workbench import keyfacts, scripts
from arrears.workbench.models import Script

FINISHED = (CaseStatus.PAID, CaseStatus.SETTLED, CaseStatus.RECALLED, CaseStatus.CLOSED)
_MONEY = DecimalField(max_digits=14, decimal_places=2)


@dataclass(frozen=True, slots=True)
class QueueFilters:
    bucket: str = ""
    status: str = ""
    creditor: int | None = None
    due: str = ""  # "" | "follow_up" (follow-up due now) | "promise" (promise due today)


def _day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(day, dt.time()))
    return start, start + dt.timedelta(days=1)


def _open_mine(user: User, today: dt.date, collectors: list[User] | None = None) -> QuerySet[Case]:
    """The open cases of the user (or of ``collectors``, for a team lead), marked when a promise
    falls due today."""
    desks = collectors if collectors is not None else [user]
    mine = restrict(Case.objects.all(), user).exclude(status__in=FINISHED).filter(assigned_to__in=desks)
    # Through the desk's cases (the case index), not the day's promises of the whole book; an
    # uncorrelated subquery, which the database evaluates once, not once per case.
    promised = Promise.objects.filter(status=Promise.Status.OPEN, due_on=today, case__in=mine.values("pk"))
    today_ids = promised.values("case_id")
    flag = Choose(When(pk__in=today_ids, then=Value(True)), default=Value(False), output_field=BooleanField())
    return mine.annotate(promise_today=flag)


def queue(
    *, user: User, filters: QueueFilters = QueueFilters(), now: dt.datetime | None = None,
    collectors: list[User] | None = None,
) -> QuerySet[Case]:  # fmt: skip
    """The user's own open cases (or the team's, given its ``collectors``), in the order to work them.

    Promises due today first (remind before the day ends), then follow-ups that are due, then cases
    never worked, then those waiting for a later follow-up, and disputed cases (on hold) last. Within
    a band: the nightly run's priority score, then the larger overdue amount, then the longer overdue
    (the seeds' 根据逾期金额、逾期时间排序), which alone order a book the run has not scored yet.
    """
    now = now or timezone.now()
    start, _end = _day_bounds(timezone.localdate(now))
    worked_today = ContactRecord.objects.filter(case=OuterRef("pk"), at__gte=start)
    band = Choose(
        When(status=CaseStatus.DISPUTED, then=Value(4)),
        # A promise due today comes first until someone works the case today; then its follow-up rules.
        When(Q(promise_today=True) & ~Exists(worked_today), then=Value(0)),
        When(next_follow_up__lte=now, then=Value(1)),
        When(next_follow_up__isnull=True, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    qs = _open_mine(user, timezone.localdate(now), collectors).annotate(band=band)
    if filters.bucket:
        qs = qs.filter(bucket=filters.bucket)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.creditor:
        qs = qs.filter(creditor_id=filters.creditor)
    if filters.due == "follow_up":
        qs = qs.filter(next_follow_up__lte=now)
    elif filters.due == "promise":
        qs = qs.filter(promise_today=True)
    later = Choose(When(band=3, then=F("next_follow_up")), default=None)
    priority = F("priority").desc(nulls_last=True)
    oldest = F("aged_from").asc(nulls_last=True)  # the most days past due first
    return qs.order_by("band", later.asc(nulls_first=True), priority, "-total", oldest, "pk")


def with_names(cases: QuerySet[Case]) -> list[Case]:
    """The cases of a queue slice with their debtor, creditor and collector. The queue is ordered on
    the case rows alone, then only the page is joined: joining a whole desk before sorting it would
    read every debtor of the desk for the fifty shown."""
    if "band" in cases.query.annotations:
        order = dict(cases.values_list("pk", "band"))
    else:
        order = dict.fromkeys(cases.values_list("pk", flat=True))
    named = Case.objects.filter(pk__in=order).select_related("debtor", "creditor", "assigned_to")
    rows = {row.pk: row for row in named}
    for pk, band in order.items():
        rows[pk].band = band
    return [rows[pk] for pk in order]


def queue_counts(*, user: User, now: dt.datetime | None = None) -> dict[str, int]:
    """What is due today in the user's queue, in one query."""
    now = now or timezone.now()
    return _open_mine(user, timezone.localdate(now)).aggregate(
        total=Count("pk"),
        promises=Count("pk", filter=Q(promise_today=True)),
        follow_ups=Count("pk", filter=Q(next_follow_up__lte=now)),
        untouched=Count("pk", filter=Q(next_follow_up__isnull=True)),
    )


def day_figures(*, collectors: list[User], day: dt.date) -> dict[int, dict[str, Any]]:
    """Each collector's figures for ``day``: attempts, right-party contacts, promises and their
    amount, payments received on their cases, and contacts the guard refused. Four grouped queries."""
    start, end = _day_bounds(day)
    ids = [c.pk for c in collectors]
    figures: dict[int, dict[str, Any]] = {
        pk: dict(attempts=0, rpc=0, promises=0, promised=ZERO, payments=0, paid=ZERO, refused=0) for pk in ids
    }
    records = (
        ContactRecord.objects.filter(collector_id__in=ids, at__gte=start, at__lt=end)
        .values("collector_id")
        .annotate(attempts=Count("pk"), rpc=Count("pk", filter=Q(outcome=Outcome.RIGHT_PARTY)))
    )
    for row in records:
        figures[row["collector_id"]].update(attempts=row["attempts"], rpc=row["rpc"])
    promises = (
        Promise.objects.filter(made_by_id__in=ids, made_at__gte=start, made_at__lt=end)
        .values("made_by_id")
        .annotate(n=Count("pk"), amount=Sum("amount"))
    )
    for row in promises:
        figures[row["made_by_id"]].update(promises=row["n"], promised=row["amount"])
    payments = (
        Payment.objects.filter(case__assigned_to_id__in=ids, paid_on=day, reversed_at__isnull=True)
        .values("case__assigned_to_id")
        .annotate(n=Count("pk"), amount=Sum("amount"))
    )
    for row in payments:
        figures[row["case__assigned_to_id"]].update(payments=row["n"], paid=row["amount"])
    refusals = (
        ContactDecision.objects.filter(actor_id__in=ids, at__gte=start, at__lt=end, allowed=False)
        .values("actor_id")
        .annotate(n=Count("pk"))
    )
    for row in refusals:
        figures[row["actor_id"]]["refused"] = row["n"]
    return figures


def team_members(*, lead: User, team_id: int | None = None) -> list[User]:
    """The collectors a team lead (their own team) or a manager (the team they pick) steers."""
    members = User.objects.filter(
        organisation_id=lead.organisation_id, role__in=(Role.COLLECTOR, Role.FIELD_AGENT), is_active=True
    )
    if lead.role == Role.TEAM_LEAD:
        members = members.filter(team_id=lead.team_id)
    elif team_id:
        members = members.filter(team_id=team_id)
    return list(members.order_by("team_id", "pk"))


def team_cases(*, lead: User, collectors: list[User], now: dt.datetime | None = None) -> dict[str, Any]:
    """The team's open cases that need the lead's eye: no next step set, and promises due."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    scope = restrict(Case.objects.all(), lead).filter(assigned_to__in=collectors).exclude(status__in=FINISHED)
    no_step = scope.filter(Q(next_follow_up__isnull=True) | Q(next_follow_up__lt=now - dt.timedelta(days=1)))
    promises = (
        restrict(Promise.objects.all(), lead)
        .filter(case__in=scope, status=Promise.Status.OPEN, due_on__lte=today)
        .select_related("case__debtor", "case__assigned_to")
        .order_by("due_on", "-amount")
    )
    return {"no_step": with_names(no_step.order_by("-total", "pk")[:100]), "promises_due": promises}


@dataclass(frozen=True)
class KeyFacts:
    """The panel at the top of the dossier."""

    stage: str
    warnings: list[str]
    open_promise: Promise | None
    broken_promises: int
    plan: RepaymentPlan | None
    next_instalment: Any
    days_to_return: int | None
    valid_numbers: int
    invalid_numbers: int
    untried_numbers: int
    last_reached: dt.datetime | None
    last_attempt: dt.datetime | None
    disputes: list[Dispute]
    claims: list[PaymentClaim]
    decision: StrategyDecision | None  # the nightly run's latest: which strategy rule chose the treatment

    @property
    def treatment(self) -> str:
        """The treatment's name in the user's language, from the strategy version that chose it."""
        if self.decision is None:
            return ""
        spec = self.decision.strategy.document.get("treatments", {}).get(self.decision.treatment, {})
        english = (get_language() or "").startswith("en")
        return spec.get("label_en" if english else "label_zh") or self.decision.treatment

    @property
    def holds(self) -> list[str]:
        held = []
        if self.disputes:
            held.append("dispute")
        if self.plan is not None:
            held.append("plan")
        return held


def key_facts(*, case: Case, now: dt.datetime | None = None) -> KeyFacts:
    """The key facts of ``case`` (fetched through ``cases.selectors.case_detail``): eight queries."""
    now = now or timezone.now()
    zone = zoneinfo.ZoneInfo(case.debtor.timezone)
    today = timezone.localdate(now)  # the business date; contact times read in the debtor's zone
    # Open and broken promises in one read: a case has a handful at most.
    wanted = [Promise.Status.OPEN, Promise.Status.BROKEN]
    promises = list(Promise.objects.filter(case=case, status__in=wanted).order_by("due_on"))
    open_promise = next((p for p in promises if p.status == Promise.Status.OPEN), None)
    broken = sum(p.status == Promise.Status.BROKEN for p in promises)
    plan = (
        RepaymentPlan.objects.filter(case=case, status=RepaymentPlan.Status.ACTIVE)
        .prefetch_related("instalments")
        .first()
    )
    contacts = ContactRecord.objects.filter(case=case, party=Party.DEBTOR).aggregate(
        last_attempt=Max("at"),
        last_reached=Max("at", filter=Q(outcome=Outcome.RIGHT_PARTY)),
        flagged=Count("pk", filter=Q(at__gte=now - dt.timedelta(days=30)) & ~Q(qa_flags=[])),
    )
    disputes = list(Dispute.objects.filter(case=case, status=Dispute.Status.OPEN).select_related("opened_by"))
    claims = list(PaymentClaim.objects.filter(case=case, status=PaymentClaim.Status.OPEN))
    decisions = StrategyDecision.objects.filter(case=case).select_related("strategy")
    decision = decisions.order_by("-business_date").first()
    open_warnings = CaseWarning.objects.filter(case=case, cleared_on__isnull=True)
    raised = set(open_warnings.values_list("code", flat=True))
    points = case.debtor.contact_points.all()
    own = [p for p in points if p.person_id is None and p.kind != ContactPoint.Kind.EMAIL]
    by_status = {s: sum(1 for p in own if p.status == s) for s in ContactPoint.Status.values}
    local = lambda at: timezone.localtime(at, zone).date() if at else None  # noqa: E731
    facts = keyfacts.CaseFacts(
        today=today,
        return_on=case.placement.return_on,
        broken_promises=broken,
        last_attempt_on=local(contacts["last_attempt"]),
        last_reached_on=local(contacts["last_reached"]),
        lost_contact=case.lost_contact_since is not None,
        complaint_threat=case.complaint_threat_at is not None,
        open_dispute=bool(disputes),
        open_claim=bool(claims),
        qa_flagged=bool(contacts["flagged"]),
        valid_numbers=by_status[ContactPoint.Status.VALID] + by_status[ContactPoint.Status.UNVERIFIED],
        numbers=len(own),
    )
    upcoming = [i for i in plan.instalments.all() if i.status != "paid"] if plan else []
    return KeyFacts(
        stage=keyfacts.stage_for(case.dpd, reached_before=contacts["last_reached"] is not None),
        # What holds now, and what the nightly run raised that only it can see (the limitation date,
        # a roll into the next bucket, a reversal).
        warnings=[*(live := keyfacts.warnings(facts)), *sorted(raised - set(live))],
        open_promise=open_promise,
        broken_promises=broken,
        plan=plan,
        next_instalment=upcoming[0] if upcoming else None,
        days_to_return=(case.placement.return_on - today).days if case.placement.return_on else None,
        valid_numbers=by_status[ContactPoint.Status.VALID],
        invalid_numbers=by_status[ContactPoint.Status.INVALID],
        untried_numbers=by_status[ContactPoint.Status.UNVERIFIED],
        last_reached=contacts["last_reached"],
        last_attempt=contacts["last_attempt"],
        disputes=disputes,
        claims=claims,
        decision=decision,
    )


def library(*, organisation_id: int) -> list[scripts.Script]:
    """The organisation's scripts: the starter library with the organisation's latest versions in
    place of the starter scripts they replace, and its retired keys left out."""
    latest: dict[str, Script] = {}
    for row in Script.objects.filter(organisation_id=organisation_id).order_by("key", "-version"):
        latest.setdefault(row.key, row)
    fields = [f.name for f in dataclasses.fields(scripts.Script)]
    own = {key: scripts.Script(**{f: getattr(r, f) for f in fields}) for key, r in latest.items() if r.active}
    retired = {key for key, row in latest.items() if not row.active}
    starter = [own.pop(s.key, s) for s in scripts.starter() if s.key not in retired]
    return starter + sorted(own.values(), key=lambda s: s.key)


def _money(amount: Decimal | None) -> str:
    return f"{amount:,.2f}" if amount is not None else "—"


def script_values(*, case: Case, user: User) -> dict[str, str]:
    """The case's own figures for a script's placeholders, all from the ledger-backed balances."""
    return {
        "debtor_name": case.debtor.name,
        "collector": user.display_name or user.username,
        "agency": case.organisation.name,
        "creditor": case.creditor.name,
        "account_tail": case.account_number[-4:],
        "total": _money(case.total),
        "principal": _money(case.principal),
        "interest": _money(case.interest),
        "late_fee": _money(case.late_fee),
        "other_fees": _money(case.other_fees),
        "dpd": str(case.dpd),
        "overdue_since": case.overdue_since.isoformat(),
    }


def case_scripts(*, case: Case, user: User, stage: str, objection: str = "") -> list[scripts.Script]:
    party = "contact" if objection == "cannot_reach" else "debtor"
    return scripts.pick(
        library(organisation_id=case.organisation_id), stage=stage, debtor_type=case.debtor_type or "any",
        objection=objection, party=party,
    )  # fmt: skip
