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
from arrears.batch.run import batch_run
from arrears.cases.models import Case, CaseEvent, CaseStatus
from arrears.contacts.models import ContactRecord
from arrears.core import bulk
from arrears.core.audit import request_id
from arrears.core.money import ZERO
from arrears.core.roles import Role
from arrears.creditors.buckets import bucket_for
from arrears.creditors.models import Creditor, Placement, Product
from arrears.debtors import idnumber
from arrears.debtors.models import ContactPerson, ContactPoint, Debtor
from arrears.debtors.phones import is_mobile
from arrears.debtors.rows import NEW_DEBTOR_COLUMNS, new_debtor_row
from arrears.demo.generator import PRODUCT_LABELS, Book, Chunk, DemoCase, generate
from arrears.documents.models import LawFirm, Letterhead
from arrears.messaging.models import Sender
from arrears.money.ledger import Component, Entry, Kind, payment_entries
from arrears.payments.ledger import CASE_FIELD, ENTRY_COLUMNS, entry_row
from arrears.payments.models import LedgerEntry, Payment, Promise

DEMO_PASSWORD = "arrears-demo-2026"
ORG_CODE = "mingli"
EARLY_BUCKETS = {"M1", "M2", "M3"}
EARLY_TEAM, LATE_TEAM = "一组（M1–M3）", "二组（M4 以上）"


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
    DemoUser("lead1", Role.TEAM_LEAD, "刘芳（一组组长）", EARLY_TEAM),
    DemoUser("lead2", Role.TEAM_LEAD, "陈磊（二组组长）", LATE_TEAM),
    DemoUser("collector1", Role.COLLECTOR, "张敏", EARLY_TEAM),
    DemoUser("collector2", Role.COLLECTOR, "李强", EARLY_TEAM),
    DemoUser("collector3", Role.COLLECTOR, "赵静", EARLY_TEAM),
    DemoUser("collector4", Role.COLLECTOR, "孙浩", LATE_TEAM),
    DemoUser("collector5", Role.COLLECTOR, "周婷", LATE_TEAM),
    DemoUser("collector6", Role.COLLECTOR, "吴刚", LATE_TEAM),
    DemoUser("field1", Role.FIELD_AGENT, "郑伟（外访）", "外访组"),
    DemoUser("field2", Role.FIELD_AGENT, "冯涛（外访）", "外访组"),
    DemoUser("legal1", Role.LEGAL, "何律（法务）"),
    DemoUser("finance1", Role.FINANCE, "高珊（财务）"),
    DemoUser("qa1", Role.QA, "马丽（质检）"),
    DemoUser("complaints1", Role.COMPLAINTS, "林晓（客服）"),
    DemoUser("auditor1", Role.AUDITOR, "许明（审计）"),
    DemoUser("outsider", Role.MANAGER, "其他机构经理", organisation="yuanfang"),
)


def _people() -> tuple[Organisation, dict[str, list[User]]]:
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
    return org, by_team


def _case_ledger(
    case: DemoCase, payments: list[Any], on: dt.date
) -> tuple[list[tuple[Entry, Any]], dict[str, Decimal]]:
    """The opening entries of the placed amounts and, in date order, each payment's allocation by
    the default waterfall; returns the entries (with the payment they belong to) and the balances
    they leave, by case column."""
    placed = {
        Component.PRINCIPAL: case.principal, Component.INTEREST: case.interest,
        Component.LATE_FEE: case.late_fee, Component.FEES: case.other_fees,
    }  # fmt: skip
    entries: list[tuple[Entry, Any]] = [
        (Entry(Kind.OPENING, component, amount, on, "委案导入 / placed"), None)
        for component, amount in placed.items()
        if amount
    ]
    held = dict(placed)
    for payment in sorted(payments, key=lambda p: (p.paid_on, p.reference)):
        posting = payment_entries(payment.amount, held, on=payment.paid_on, reason=payment.reference)
        for entry in posting.entries:
            held[entry.component] += entry.amount
            entries.append((entry, payment))
    return entries, {CASE_FIELD[c]: v for c, v in held.items()}


class _Loader:
    """Writes a book chunk by chunk with set-based inserts under reserved keys (``core.bulk``)."""

    def __init__(self, book: Book, org: Organisation, by_team: dict[str, list[User]]) -> None:
        self.book = book
        self.org = org
        self.creditors = {
            c.code: c for c in Creditor.objects.filter(code__in=[c.code for c in book.creditors])
        }
        self.placements = {(p.creditor.code, p.name): p for p in Placement.objects.select_related("creditor")}
        self.early, self.late = by_team[EARLY_TEAM], by_team[LATE_TEAM]
        self.now = timezone.now()
        self.counts: dict[str, int] = defaultdict(int)

    def load(self, chunk: Chunk) -> None:
        debtors = self._debtors(chunk)
        cases = self._cases(chunk, debtors)
        self._history(chunk, cases)

    def _debtors(self, chunk: Chunk) -> dict[str, int]:
        today = self.book.business_date
        ids = dict(
            zip((d.key for d in chunk.debtors), bulk.reserve_ids(Debtor, len(chunk.debtors)), strict=True)
        )
        rows = [
            new_debtor_row(
                pk=ids[d.key],
                organisation_id=self.org.pk,
                number=idnumber.parse(d.id_number, today=today),
                name=d.name,
                employer=d.employer or "",
                home_address=d.home_address.text,
                work_address=d.work_address.text if d.work_address else "",
                now=self.now,
            )
            for d in chunk.debtors
        ]
        bulk.insert(Debtor, NEW_DEBTOR_COLUMNS, rows)
        person_ids = bulk.reserve_ids(ContactPerson, len(chunk.contacts))
        bulk.insert(
            ContactPerson,
            ("id", "debtor_id", "name", "relationship", "do_not_contact"),
            [
                (pk, ids[c.debtor_key], c.name, c.relationship, False)
                for pk, c in zip(person_ids, chunk.contacts, strict=True)
            ],
        )

        def point(debtor_id: int, person_id: int | None, kind: str, value: str) -> tuple[Any, ...]:
            return (debtor_id, person_id, kind, value, "unverified", False, "demo", self.now)

        points = [
            point(ids[d.key], None, "mobile" if is_mobile(m) else "landline", m)
            for d in chunk.debtors
            for m in d.mobiles
        ]
        points += [point(ids[d.key], None, "email", d.email) for d in chunk.debtors if d.email]
        points += [
            point(ids[c.debtor_key], pk, "mobile", c.phone)
            for pk, c in zip(person_ids, chunk.contacts, strict=True)
        ]
        bulk.insert(
            ContactPoint,
            ("debtor_id", "person_id", "kind", "value", "status", "do_not_contact", "source", "created_at"),
            points,
        )
        self.counts["debtors"] += len(rows)
        self.counts["contacts"] += len(person_ids)
        return ids

    def _collector(self, bucket: str, serial: int) -> User:
        pool = self.early if bucket in EARLY_BUCKETS else self.late
        return pool[serial % len(pool)]

    def _cases(self, chunk: Chunk, debtors: dict[str, int]) -> dict[str, tuple[int, int]]:
        """Insert the chunk's cases; returns account number -> (case id, collector id)."""
        payments: dict[str, list[Any]] = defaultdict(list)
        for p in chunk.payments:
            payments[p.account_number].append(p)
        self.payment_ids = dict(
            zip(
                (p.reference for p in chunk.payments),
                bulk.reserve_ids(Payment, len(chunk.payments)),
                strict=True,
            )
        )
        ledger_rows = []
        last_promise: dict[str, str] = {}
        for promise in sorted(chunk.promises, key=lambda p: p.made_at):
            last_promise[promise.account_number] = promise.status
        last_attempt: dict[str, dt.datetime] = {}
        for a in chunk.attempts:
            last_attempt[a.account_number] = max(a.at, last_attempt.get(a.account_number, a.at))
        attempted = set(last_attempt)
        ids = bulk.reserve_ids(Case, len(chunk.cases))
        rows, cases = [], {}
        for serial, (pk, c) in enumerate(zip(ids, chunk.cases, strict=True), start=chunk.start):
            creditor = self.creditors[c.creditor_code]
            dpd = c.dpd(self.book.business_date)
            bucket = bucket_for(dpd, creditor.bucket_bands)
            entries, balances = _case_ledger(c, payments[c.account_number], c.overdue_since)
            ledger_rows += [
                entry_row(pk, e, payment_id=self.payment_ids[p.reference] if p else None, at=self.now)
                for e, p in entries
            ]
            total = sum(balances.values(), ZERO)
            collector = self._collector(bucket, serial)
            status = _status(last_promise.get(c.account_number), c.account_number in attempted, total)
            rows.append((
                pk, creditor.pk, self.placements[(c.creditor_code, c.placement_name)].pk, self.org.pk,
                debtors[c.debtor_key], c.account_number, c.product, balances["principal"],
                balances["interest"], balances["late_fee"], balances["other_fees"], total, c.credit_limit,
                c.overdue_since, c.overdue_since if total > 0 else None, bucket, c.last_payment_date,
                c.last_payment_amount, c.statement_day, c.due_day, status, collector.pk, collector.team_id,
                {}, _placed_figures(c), self.now, self.now,
                self._follow_up(last_attempt.get(c.account_number), serial),
            ))  # fmt: skip
            cases[c.account_number] = (pk, collector.pk)
        bulk.insert(Case, CASE_COLUMNS, rows)
        self._ledger_rows = ledger_rows  # written after the payments they point at
        rid = request_id()
        bulk.insert(
            CaseEvent,
            ("case_id", "at", "kind", "actor_id", "request_id", "data"),
            [(pk, self.now, "case.imported", None, rid, {"source": "demo"}) for pk in ids],
        )
        self.counts["cases"] += len(rows)
        return cases

    def _follow_up(self, last: dt.datetime | None, serial: int) -> dt.datetime | None:
        """A worked case comes back two days after its last attempt. The book is a snapshot of one
        day, so follow-ups that fell due before it are spread over its working hours: the queue
        then has some due now and some later in the day, as a real one does."""
        if last is None:
            return None
        due = last + dt.timedelta(days=2)
        today = self.book.business_date
        if timezone.localdate(due) >= today:
            return due
        return timezone.make_aware(dt.datetime.combine(today, dt.time(9 + serial % 12, 7 * serial % 60)))

    def _history(self, chunk: Chunk, cases: dict[str, tuple[int, int]]) -> None:
        bulk.insert(
            ContactRecord,
            ("case_id", "at", "channel", "party", "outcome", "result", "note", "collector_id", "qa_flags",
             "detail"),
            [(cases[a.account_number][0], a.at, a.channel, a.party, _outcome(a), a.result or "",
              a.note, cases[a.account_number][1], [], {}) for a in chunk.attempts],
        )  # fmt: skip
        bulk.insert(
            Promise,
            ("case_id", "made_at", "amount", "due_on", "status", "made_by_id"),
            [(cases[p.account_number][0], p.made_at, p.amount, p.due_on, p.status, cases[p.account_number][1])
             for p in chunk.promises],
        )  # fmt: skip
        bulk.insert(
            Payment,
            ("id", "organisation_id", "case_id", "amount", "paid_on", "channel", "reference", "created_at"),
            [(self.payment_ids[p.reference], self.org.pk, cases[p.account_number][0], p.amount, p.paid_on,
              p.channel, p.reference, self.now) for p in chunk.payments],
        )  # fmt: skip
        bulk.insert(LedgerEntry, ENTRY_COLUMNS, self._ledger_rows)
        self.counts["contact_records"] += len(chunk.attempts)
        self.counts["promises"] += len(chunk.promises)
        self.counts["payments"] += len(chunk.payments)


CASE_COLUMNS = (
    "id", "creditor_id", "placement_id", "organisation_id", "debtor_id", "account_number", "product",
    "principal", "interest", "late_fee", "other_fees", "total", "credit_limit", "overdue_since", "aged_from",
    "bucket", "last_payment_date", "last_payment_amount", "statement_day", "due_day", "status",
    "assigned_to_id", "team_id", "extra", "placed", "created_at", "updated_at", "next_follow_up",
)  # fmt: skip


def _placed_figures(case: DemoCase) -> dict[str, str]:
    """The creditor's figures at placement, as intake keeps them for later re-imports."""
    return {"principal": str(case.principal), "interest": str(case.interest), "late_fee": str(case.late_fee),
            "other_fees": str(case.other_fees)}  # fmt: skip


def _status(last_promise: str | None, attempted: bool, total: Decimal) -> str:
    """The case status the history implies: paid in full, else the latest promise decides, else
    whether anyone tried."""
    if total == ZERO:
        return CaseStatus.PAID
    if last_promise == "open":
        return CaseStatus.PROMISED
    if last_promise == "broken":
        return CaseStatus.BROKEN_PROMISE
    return CaseStatus.IN_PROGRESS if attempted else CaseStatus.NEW


def _outcome(attempt: Any) -> str:
    # The generator marks a delivered SMS as reaching the right party; a contact record says "sent".
    return "sent" if attempt.channel == "sms" and attempt.outcome == "right_party" else attempt.outcome


# What letters and messages need to know about each demo creditor (fictional numbers and places).
SERVICE = {
    "DHBANK": ("东湖信用卡", "400-820-6688", "湖北省武汉市武昌区东湖路 169 号东湖银行大厦"),
    "NJRCB": ("南瑾农商行", "400-655-9600", "江苏省南京市鼓楼区中山北路 218 号"),
    "XLCF": ("祥麟消金", "400-990-1818", "浙江省杭州市上城区钱江路 58 号祥麟中心 12 层"),
}


def _channels(book: Book, creditors: dict[str, Creditor], org: Organisation) -> None:
    """Letterheads, SMS senders and a partner law firm, so the demo can send and print."""
    for c in book.creditors:
        signature, phone, address = SERVICE.get(c.code, (c.name_zh[:8], "400-000-0000", "—"))
        creditor = creditors[c.code]
        Letterhead.objects.get_or_create(creditor=creditor, defaults={
            "phone": phone, "address": address,
            "check_how": f"拨打客服热线 {phone}，或登录{c.name_zh}手机银行查询账户明细",
            "repay_how": f"通过{c.name_zh}手机银行、柜台或官方还款账户还款，切勿转账至个人账户",
            "dispute_how": f"请在收到本函之日起 15 日内致电 {phone} 或书面提出，我们将暂停催收并核实",
            "locate_phone": "010-6555-0199",  # the agency's own line: it names no creditor
        })  # fmt: skip
        Sender.objects.get_or_create(creditor=creditor, defaults={"signature": signature, "hotline": phone})
    LawFirm.objects.get_or_create(organisation=org, name="湖滨律师事务所（演示）", defaults={
        "licence_number": "31420000000000000", "address": "湖北省武汉市江汉区建设大道 568 号 20 层",
        "phone": "027-8555-0100", "lawyers": "陈思远, 林晓",
    })  # fmt: skip


def demo_seed(
    *, accounts: int, seed: int, business_date: dt.date | None = None, history_days: int = 0
) -> dict[str, Any]:
    """Generate and load a demo book; returns what was written. Each chunk is one transaction.
    ``history_days``: replay that many days before the business date from the ledger (their
    snapshots and bucket moves), so reports have a history to show."""
    business_date = business_date or timezone.localdate()
    book = generate(accounts=accounts, seed=seed, business_date=business_date)
    with transaction.atomic():
        org, by_team = _people()
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
        for c in book.creditors:
            # Each creditor's product with the domain's default money rules, so the case page and
            # the payments use a stored product as a real deployment would.
            Product.objects.get_or_create(
                creditor=creditors[c.code], code=PRODUCT_LABELS[c.product_type],
                defaults={"product_type": c.product_type, "is_default": True},
            )  # fmt: skip
        _channels(book, creditors, org)
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
    loader = _Loader(book, org, by_team)
    for chunk in book.chunks(size=10_000):
        with transaction.atomic():
            loader.load(chunk)
    for back in range(history_days, 0, -1):
        batch_run(business_date=business_date - dt.timedelta(days=back), replay=True)
    return {
        "accounts": accounts,
        "seed": seed,
        "business_date": business_date.isoformat(),
        "creditors": len(book.creditors),
        "placements": len(book.placements),
        "history_days": history_days,
        **loader.counts,
    }
