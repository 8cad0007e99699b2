"""The demo book in the database, and a generated creditor file through intake: the counts and
row errors the intake rules imply, and nothing changed by a second import."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from arrears.accounts.models import User
from arrears.batch.models import BatchRun, CaseSnapshot
from arrears.cases.models import Case
from arrears.contacts.models import ContactRecord
from arrears.core.roles import Role
from arrears.creditors.models import Placement
from arrears.debtors import idnumber
from arrears.debtors.models import Debtor
from arrears.demo.creditor_file import write_creditor_file
from arrears.demo.generator import generate
from arrears.intake.services import cases_import
from arrears.payments.models import LedgerEntry, Payment, Promise

pytestmark = pytest.mark.django_db
BD = dt.date(2026, 11, 29)

# The intake error code each generated defect must produce.
DEFECT_CODES = {
    "empty_name": "name_missing",
    "bad_id_check_digit": "id_check_digit",
    "missing_account_number": "account_missing",
    "negative_amount": "amount_negative",
    "total_mismatch": "total_mismatch",
    "missing_overdue": "overdue_missing",
    "duplicate_account_number": "account_duplicate",
}


def seed(accounts: int = 300, *extra: str, history: int = 0) -> dict:
    out = StringIO()
    call_command(
        "seed_demo",
        "--accounts",
        str(accounts),
        "--seed",
        "7",
        "--date",
        BD.isoformat(),
        "--json",
        "--history-days",
        str(history),
        *extra,
        stdout=out,
    )
    return json.loads(out.getvalue()) if out.getvalue().startswith("{") else {"message": out.getvalue()}


def test_seed_demo_loads_the_generated_book():
    result = seed()
    book = generate(accounts=300, seed=7, business_date=BD)
    chunk = next(book.chunks())
    assert result["cases"] == len(chunk.cases) == Case.objects.count()
    assert result["debtors"] == 300 == Debtor.objects.count()
    assert (ContactRecord.objects.count(), Promise.objects.count(), Payment.objects.count()) == (
        len(chunk.attempts),
        len(chunk.promises),
        len(chunk.payments),
    )
    # same seed, same book: the accounts and placed amounts in the database are the generator's
    expected = {c.account_number: c.overdue_since for c in chunk.cases}
    assert dict(Case.objects.values_list("account_number", "overdue_since")) == expected


def test_the_demo_book_has_its_history_replayed_from_the_ledger():
    seed(300, history=3)
    dates = [BD - dt.timedelta(days=n) for n in (3, 2, 1)]
    runs = BatchRun.objects.filter(replay=True, status="succeeded")
    assert sorted(runs.values_list("business_date", flat=True)) == dates
    for day in dates:  # every case owing something that day, as its ledger says (summed in Decimal)
        totals: dict[int, Decimal] = defaultdict(Decimal)
        for case_id, amount in LedgerEntry.objects.filter(on__lte=day).values_list("case_id", "amount"):
            totals[case_id] += amount
        owing = {case_id for case_id, total in totals.items() if total > 0}
        assert set(CaseSnapshot.objects.filter(business_date=day).values_list("case_id", flat=True)) == owing


def test_demo_cases_owe_what_was_placed_less_what_was_paid():
    seed()
    book = next(generate(accounts=300, seed=7, business_date=BD).chunks())
    paid: dict[str, object] = {}
    for p in book.payments:
        paid[p.account_number] = paid.get(p.account_number, 0) + p.amount
    for placed in book.cases:
        case = Case.objects.get(account_number=placed.account_number)
        assert case.total == placed.total - paid.get(placed.account_number, 0)
        assert min(case.principal, case.interest, case.late_fee, case.other_fees) >= 0


def test_demo_book_is_spread_over_buckets_teams_and_users():
    seed()
    buckets = set(Case.objects.values_list("bucket", flat=True))
    assert {"M1", "M2", "M3", "M4", "M5", "M6", "M7+"} <= buckets
    early = Case.objects.filter(bucket__in=["M1", "M2", "M3"])
    assert set(early.values_list("team__name", flat=True)) == {"一组（M1–M3）"}
    assert not Case.objects.filter(assigned_to__isnull=True).exists()
    assert User.objects.filter(role=Role.COLLECTOR).count() == 6
    for debtor in Debtor.objects.all()[:50]:
        assert idnumber.parse(debtor.reveal_id_number(), today=BD).masked == debtor.id_masked


def test_seed_refuses_a_database_with_cases_unless_asked_to_skip():
    seed(50)
    with pytest.raises(CommandError):
        seed(50)
    assert "跳过" in seed(50, "--if-empty")["message"]
    assert Debtor.objects.count() == 50


def test_generated_creditor_file_through_intake():
    seed(200)
    placement = Placement.objects.filter(creditor__code="DHBANK").first()
    data, manifest = write_creditor_file(rows=400, seed=11, business_date=BD)

    def run():
        return cases_import(
            actor=None,
            creditor=placement.creditor,
            placement=placement,
            data=data,
            filename="东湖银行委案.xlsx",
            business_date=BD,
        )

    first = run()
    assert first.imported == manifest.valid_rows
    assert first.rejected == sum(len(rows) for rows in manifest.bad.values())
    for kind, rows in manifest.bad.items():
        coded = sorted({e["row"] for e in first.errors if e["code"] == DEFECT_CODES[kind]})
        assert coded == sorted(rows), kind
    assert sorted({w["row"] for w in first.warnings}) == sorted(manifest.warnings)
    imported = Case.objects.filter(placement=placement).exclude(account_number__in=_demo_accounts())
    assert imported.count() == manifest.valid_rows
    assert all(set(extra) == {"客户等级", "营销渠道"} for extra in imported.values_list("extra", flat=True))

    second = run()
    assert (second.imported, second.updated, second.unchanged) == (0, 0, manifest.valid_rows)
    assert second.errors == first.errors


def _demo_accounts() -> list[str]:
    return [c.account_number for c in next(generate(accounts=200, seed=7, business_date=BD).chunks()).cases]
