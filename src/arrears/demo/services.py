"""Loading a generated demo book into the database, in bulk.

The book comes from the pure generator (``arrears.demo.generator``); this module adds the
organisation, teams and demo users, and writes the book chunk by chunk with bulk inserts, so a
million accounts load without one ``save()`` per row. Cases are spread over the two collection
teams by bucket (early buckets to team one, later to team two) and round-robin over collectors.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from arrears.accounts.models import Organisation, Team, User
from arrears.cases.models import Case, CaseEvent, CaseStatus
from arrears.contacts.models import ContactRecord
from arrears.core import crypto
from arrears.core.audit import request_id
from arrears.core.roles import Role
from arrears.creditors.buckets import bucket_for
from arrears.creditors.models import Creditor, Placement
from arrears.debtors import idnumber
from arrears.debtors.models import ContactPerson, ContactPoint, Debtor
from arrears.debtors.phones import is_mobile
from arrears.demo.generator import Book, Chunk, DemoCase, generate
from arrears.payments.models import Payment, Promise
from arrears.payments.waterfall import allocate

DEMO_PASSWORD = "arrears-demo-2026"
ORG_CODE = "mingli"
EARLY_BUCKETS = {"M1", "M2", "M3"}


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: Role
    display_name: str
    team: str | None = None
    organisation: str = ORG_CODE


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("admin", Role.ADMIN, "系统管理员"),
    DemoUser("manager", Role.MANAGER, "王建国（催收经理）"),
    DemoUser("lead1", Role.TEAM_LEAD, "刘芳（一组组长）", "一组（M1–M3）"),
    DemoUser("lead2", Role.TEAM_LEAD, "陈磊（二组组长）", "二组（M4 以上）"),
    DemoUser("collector1", Role.COLLECTOR, "张敏", "一组（M1–M3）"),
    DemoUser("collector2", Role.COLLECTOR, "李强", "一组（M1–M3）"),
    DemoUser("collector3", Role.COLLECTOR, "赵静", "一组（M1–M3）"),
    DemoUser("collector4", Role.COLLECTOR, "孙浩", "二组（M4 以上）"),
    DemoUser("collector5", Role.COLLECTOR, "周婷", "二组（M4 以上）"),
    DemoUser("collector6", Role.COLLECTOR, "吴刚", "二组（M4 以上）"),
    DemoUser("field1", Role.FIELD_AGENT, "郑伟（外访）", "外访组"),
    DemoUser("field2", Role.FIELD_AGENT, "冯涛（外访）", "外访组"),
    DemoUser("legal1", Role.LEGAL, "何律（法务）"),
    DemoUser("finance1", Role.FINANCE, "高珊（财务）"),
    DemoUser("qa1", Role.QA, "马丽（质检）"),
    DemoUser("complaints1", Role.COMPLAINTS, "林晓（客服）"),
    DemoUser("auditor1", Role.AUDITOR, "许明（审计）"),
    DemoUser("outsider", Role.MANAGER, "其他机构经理", organisation="yuanfang"),
)


def _people() -> tuple[Organisation, dict[str, Team], dict[str, list[User]]]:
    org, _ = Organisation.objects.get_or_create(
        code=ORG_CODE, defaults={"name": "明理资产管理有限公司", "kind": Organisation.Kind.AGENCY}
    )
    Organisation.objects.get_or_create(
        code="yuanfang", defaults={"name": "远方催收服务有限公司", "kind": Organisation.Kind.AGENCY}
    )
    orgs = {o.code: o for o in Organisation.objects.all()}
    # One slow PBKDF2 hash shared by every demo user: they all have the same demo password.
    password = make_password(DEMO_PASSWORD)
    teams: dict[str, Team] = {}
    by_team: dict[str, list[User]] = defaultdict(list)
    for spec in DEMO_USERS:
        team = None
        if spec.team:
            team = teams.get(spec.team) or Team.objects.get_or_create(organisation=org, name=spec.team)[0]
            teams[spec.team] = team
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            user = User.objects.create(
                username=spec.username,
                password=password,
                role=spec.role,
                display_name=spec.display_name,
                organisation=orgs[spec.organisation],
                team=team,
            )
        if spec.role == Role.COLLECTOR and team is not None:
            by_team[team.name].append(user)
    return org, teams, by_team


def _current_balances(case: DemoCase, paid: Decimal) -> dict[str, Decimal]:
    """The placed balances less what was paid since, by the default waterfall."""
    balances = {
        "principal": case.principal,
        "interest": case.interest,
        "late_fee": case.late_fee,
        "other_fees": case.other_fees,
    }
    taken, _surplus = allocate(paid, balances)
    return {k: v - taken.get(k, Decimal(0)) for k, v in balances.items()}


class _Loader:
    def __init__(
        self, book: Book, org: Organisation, teams: dict[str, Team], by_team: dict[str, list[User]]
    ) -> None:
        self.book = book
        self.org = org
        self.creditors = {
            c.code: c for c in Creditor.objects.filter(code__in=[c.code for c in book.creditors])
        }
        self.placements = {(p.creditor.code, p.name): p for p in Placement.objects.select_related("creditor")}
        self.early, self.late = by_team["一组（M1–M3）"], by_team["二组（M4 以上）"]
        self.team_of = {u.pk: u.team for u in [*self.early, *self.late]}
        self.counts: dict[str, int] = defaultdict(int)

    def load(self, chunk: Chunk) -> None:
        debtors = self._debtors(chunk)
        cases = self._cases(chunk, debtors)
        self._history(chunk, cases, debtors)

    def _debtors(self, chunk: Chunk) -> dict[str, Debtor]:
        rows = []
        for d in chunk.debtors:
            parsed = idnumber.parse(d.id_number, today=self.book.business_date)
            rows.append(
                Debtor(
                    name=d.name,
                    id_encrypted=crypto.encrypt(d.id_number),
                    id_hash=crypto.keyed_hash(d.id_number),
                    id_masked=parsed.masked,
                    id_last4=parsed.last4,
                    birth_date=parsed.birth_date,
                    gender=d.gender,
                    employer=d.employer or "",
                    home_address=d.home_address.text,
                    work_address=d.work_address.text if d.work_address else "",
                )
            )
        Debtor.objects.bulk_create(rows, batch_size=2000)
        debtors = {d.key: row for d, row in zip(chunk.debtors, rows, strict=True)}
        points = [
            ContactPoint(
                debtor=debtors[d.key], kind="mobile" if is_mobile(m) else "landline", value=m, source="demo"
            )
            for d in chunk.debtors
            for m in d.mobiles
        ]
        points += [
            ContactPoint(debtor=debtors[d.key], kind="email", value=d.email, source="demo")
            for d in chunk.debtors
            if d.email
        ]
        persons = [
            ContactPerson(debtor=debtors[c.debtor_key], name=c.name, relationship=c.relationship)
            for c in chunk.contacts
        ]
        ContactPerson.objects.bulk_create(persons, batch_size=2000, ignore_conflicts=False)
        points += [
            ContactPoint(debtor=p.debtor, person=p, kind="mobile", value=c.phone, source="demo")
            for c, p in zip(chunk.contacts, persons, strict=True)
        ]
        ContactPoint.objects.bulk_create(points, batch_size=2000)
        self.counts["debtors"] += len(rows)
        self.counts["contacts"] += len(persons)
        return debtors

    def _collector(self, case: DemoCase, bucket: str, serial: int) -> User:
        pool = self.early if bucket in EARLY_BUCKETS else self.late
        return pool[serial % len(pool)]

    def _cases(self, chunk: Chunk, debtors: dict[str, Debtor]) -> dict[str, Case]:
        paid: dict[str, Decimal] = defaultdict(Decimal)
        for p in chunk.payments:
            paid[p.account_number] += p.amount
        last_promise: dict[str, str] = {}
        for promise in sorted(chunk.promises, key=lambda p: p.made_at):
            last_promise[promise.account_number] = promise.status
        attempted = {a.account_number for a in chunk.attempts}
        rows = []
        for serial, c in enumerate(chunk.cases, start=chunk.start):
            creditor = self.creditors[c.creditor_code]
            dpd = c.dpd(self.book.business_date)
            bucket = bucket_for(dpd, creditor.bucket_bands)
            balances = _current_balances(c, paid[c.account_number])
            collector = self._collector(c, bucket, serial)
            status = {
                "open": CaseStatus.PROMISED,
                "broken": CaseStatus.BROKEN_PROMISE,
            }.get(
                last_promise.get(c.account_number, ""),
                CaseStatus.IN_PROGRESS if c.account_number in attempted else CaseStatus.NEW,
            )
            rows.append(
                Case(
                    creditor=creditor,
                    placement=self.placements[(c.creditor_code, c.placement_name)],
                    organisation=self.org,
                    debtor=debtors[c.debtor_key],
                    account_number=c.account_number,
                    product=c.product,
                    **balances,
                    total=sum(balances.values(), Decimal("0.00")),
                    credit_limit=c.credit_limit,
                    overdue_since=c.overdue_since,
                    dpd=dpd,
                    bucket=bucket,
                    last_payment_date=c.last_payment_date,
                    last_payment_amount=c.last_payment_amount,
                    statement_day=c.statement_day,
                    due_day=c.due_day,
                    status=status,
                    assigned_to=collector,
                    team=self.team_of[collector.pk],
                )
            )
        Case.objects.bulk_create(rows, batch_size=2000)
        now, rid = timezone.now(), request_id()
        CaseEvent.objects.bulk_create(
            [
                CaseEvent(case=c, at=now, kind="case.imported", request_id=rid, data={"source": "demo"})
                for c in rows
            ],
            batch_size=2000,
        )
        self.counts["cases"] += len(rows)
        return {c.account_number: c for c in rows}

    def _history(self, chunk: Chunk, cases: dict[str, Case], debtors: dict[str, Debtor]) -> None:
        records = [
            ContactRecord(
                case=cases[a.account_number],
                at=a.at,
                channel=a.channel,
                party=a.party,
                outcome=_outcome(a),
                result=a.result or "",
                note=a.note,
                collector=cases[a.account_number].assigned_to,
            )
            for a in chunk.attempts
        ]
        ContactRecord.objects.bulk_create(records, batch_size=2000)
        promises = [
            Promise(
                case=cases[p.account_number],
                made_at=p.made_at,
                amount=p.amount,
                due_on=p.due_on,
                status=p.status,
                made_by=cases[p.account_number].assigned_to,
            )
            for p in chunk.promises
        ]
        Promise.objects.bulk_create(promises, batch_size=2000)
        payments = [
            Payment(
                case=cases[p.account_number],
                amount=p.amount,
                paid_on=p.paid_on,
                channel=p.channel,
                reference=p.reference,
            )
            for p in chunk.payments
        ]
        Payment.objects.bulk_create(payments, batch_size=2000)
        self.counts["contact_records"] += len(records)
        self.counts["promises"] += len(promises)
        self.counts["payments"] += len(payments)


def _outcome(attempt: Any) -> str:
    # The generator marks a delivered SMS as reaching the right party; a contact record says "sent".
    return "sent" if attempt.channel == "sms" and attempt.outcome == "right_party" else attempt.outcome


def demo_seed(*, accounts: int, seed: int, business_date: dt.date | None = None) -> dict[str, Any]:
    """Generate and load a demo book; returns what was written. Each chunk is one transaction."""
    business_date = business_date or timezone.localdate()
    book = generate(accounts=accounts, seed=seed, business_date=business_date)
    with transaction.atomic():
        org, teams, by_team = _people()
        for c in book.creditors:
            Creditor.objects.get_or_create(
                code=c.code,
                defaults={
                    "organisation": org,
                    "name": c.name_zh,
                    "compliance_profile": c.compliance_profile,
                    "bucket_bands": list(c.bucket_bands),
                },
            )
        creditors = {c.code: c for c in Creditor.objects.all()}
        for p in book.placements:
            Placement.objects.get_or_create(
                creditor=creditors[p.creditor_code],
                name=p.name,
                defaults={
                    "organisation": org,
                    "entrusted_on": p.entrusted_on,
                    "return_on": p.return_on,
                    "product_type": p.product_type,
                    "commission_rate": p.commission_rate,
                },
            )
    loader = _Loader(book, org, teams, by_team)
    for chunk in book.chunks(size=10_000):
        with transaction.atomic():
            loader.load(chunk)
    return {
        "accounts": accounts,
        "seed": seed,
        "business_date": business_date.isoformat(),
        "creditors": len(book.creditors),
        "placements": len(book.placements),
        **loader.counts,
    }
