"""Shared fixtures: a small world with named personas, and a case factory.

Personas (after healthchecks' habit of named test users):
- ``alice``: collector in team A;      ``bob``: collector in team A;     ``carol``: collector in team B
- ``lead_a``: team lead of team A;     ``manager``: manager of the organisation
- ``outsider``: a manager in another agency, who must see nothing of ours
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from arrears.accounts.models import Organisation, Team, User
from arrears.cases.models import Case
from arrears.core import crypto
from arrears.core.roles import Role
from arrears.creditors.buckets import bucket_for
from arrears.creditors.models import Creditor, Placement
from arrears.debtors import idnumber
from arrears.debtors.models import ContactPerson, ContactPoint, Debtor
from arrears.payments import ledger
from arrears.payments.models import LedgerEntry

_seq = itertools.count(1)
SHANGHAI = ZoneInfo("Asia/Shanghai")


def make_user(username: str, role: Role, org: Organisation, team: Team | None = None) -> User:
    return User.objects.create_user(
        username=username,
        password="test-pass-123",
        role=role,
        organisation=org,
        team=team,
        display_name=username,
    )


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """Kept files go to a per-test folder, never into the checkout; passwords hash fast."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def at(monkeypatch):
    """Set the clock: ``at(2026, 3, 2, 21, 30)`` is Shanghai time (the server's and the debtors')."""

    def set_clock(*parts: int) -> dt.datetime:
        moment = dt.datetime(*parts, tzinfo=SHANGHAI)
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    return set_clock


@pytest.fixture
def org(db) -> Organisation:
    return Organisation.objects.create(
        code="agency", name="明理资产管理有限公司", kind=Organisation.Kind.AGENCY
    )


@pytest.fixture
def other_org(db) -> Organisation:
    return Organisation.objects.create(code="other", name="其他催收公司", kind=Organisation.Kind.AGENCY)


@pytest.fixture
def team_a(org) -> Team:
    return Team.objects.create(organisation=org, name="一组")


@pytest.fixture
def team_b(org) -> Team:
    return Team.objects.create(organisation=org, name="二组")


@pytest.fixture
def alice(org, team_a) -> User:
    return make_user("alice", Role.COLLECTOR, org, team_a)


@pytest.fixture
def bob(org, team_a) -> User:
    return make_user("bob", Role.COLLECTOR, org, team_a)


@pytest.fixture
def carol(org, team_b) -> User:
    return make_user("carol", Role.COLLECTOR, org, team_b)


@pytest.fixture
def lead_a(org, team_a) -> User:
    return make_user("lead_a", Role.TEAM_LEAD, org, team_a)


@pytest.fixture
def manager(org) -> User:
    return make_user("manager", Role.MANAGER, org)


@pytest.fixture
def admin_user(org) -> User:
    return make_user("admin", Role.ADMIN, org)


@pytest.fixture
def outsider(other_org) -> User:
    return make_user("outsider", Role.MANAGER, other_org)


@pytest.fixture
def creditor(org) -> Creditor:
    return Creditor.objects.create(organisation=org, code="DHBANK", name="东湖银行信用卡中心")


@pytest.fixture
def placement(creditor, org) -> Placement:
    return Placement.objects.create(
        creditor=creditor,
        organisation=org,
        name="2026-11 M2",
        entrusted_on=dt.date(2026, 11, 1),
        return_on=dt.date(2027, 1, 31),
        product_type="credit_card",
        commission_rate=Decimal("0.18"),
    )


def make_debtor(
    name: str = "张伟", *, phone: str = "+8613800138000", organisation: Organisation | None = None
) -> Debtor:
    n = next(_seq)
    number = idnumber.make("110105", dt.date(1985, 1, 1) + dt.timedelta(days=n), n % 1000)
    parsed = idnumber.parse(number)
    debtor = Debtor.objects.create(
        organisation=organisation or Organisation.objects.get(code="agency"),
        name=name,
        id_encrypted=crypto.encrypt(number),
        id_hash=crypto.keyed_hash(number),
        id_masked=parsed.masked,
        id_last4=parsed.last4,
        gender=parsed.gender,
        home_address="北京市朝阳区建国路 88 号",
    )
    ContactPoint.objects.create(debtor=debtor, kind="mobile", value=phone)
    person = ContactPerson.objects.create(debtor=debtor, name="李娜", relationship="配偶")
    ContactPoint.objects.create(debtor=debtor, person=person, kind="mobile", value="+8613900139000")
    return debtor


def make_case(
    placement: Placement,
    *,
    collector: User | None = None,
    principal: str = "5000.00",
    dpd: int = 45,
    debtor: Debtor | None = None,
    account: str | None = None,
) -> Case:
    debtor = debtor or make_debtor()
    p = Decimal(principal)
    case = Case.objects.create(
        creditor=placement.creditor,
        placement=placement,
        organisation=placement.organisation,
        debtor=debtor,
        account_number=account or f"62220000{next(_seq):08d}",
        principal=p,
        interest=Decimal("100.00"),
        late_fee=Decimal("25.00"),
        other_fees=Decimal("0.00"),
        total=p + Decimal("125.00"),
        overdue_since=dt.date(2026, 11, 29) - dt.timedelta(days=dpd),
        aged_from=dt.date(2026, 11, 29) - dt.timedelta(days=dpd),
        bucket=bucket_for(dpd),
        assigned_to=collector,
        team=collector.team if collector else None,
    )
    # The balances stand on opening ledger entries, as intake books them.
    for component, amount in ledger.balances_of(case).items():
        if amount:
            LedgerEntry.objects.create(
                case=case,
                kind="opening",
                component=component,
                amount=amount,
                on=case.overdue_since,
                created_at=case.created_at,
            )
    return case
