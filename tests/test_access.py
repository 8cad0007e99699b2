"""The access choke point, for every model a user can reach, and for every persona."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.apps import apps
from django.utils import timezone

from arrears.cases.models import Case, CaseEvent, RevealLog
from arrears.contacts.models import ContactRecord
from arrears.core.access import NoAccessRule, restrict
from arrears.core.models import ChangeLog
from arrears.debtors.models import ContactPerson, ContactPoint, Debtor
from arrears.intake.models import ImportBatch
from arrears.payments.models import Payment, Promise
from tests.conftest import make_case

pytestmark = pytest.mark.django_db

# Models no user reads through the UI or API (framework tables); everything else needs a rule.
# Framework tables no page shows (the task queue is read by the worker only, never through a view).
NOT_USER_FACING = {
    "auth.permission", "auth.group", "contenttypes.contenttype", "sessions.session",
    "django_tasks_database.dbtaskresult",
}  # fmt: skip


@pytest.fixture
def world(placement, alice, bob, carol, lead_a, manager, outsider):
    """Two cases for alice, one for bob (same team), one for carol (other team), each with
    everything that hangs off a case."""
    cases = {
        "alice": [make_case(placement, collector=alice), make_case(placement, collector=alice)],
        "bob": [make_case(placement, collector=bob)],
        "carol": [make_case(placement, collector=carol)],
    }
    now = timezone.now()
    for case in [c for group in cases.values() for c in group]:
        CaseEvent.objects.create(case=case, at=now, kind="case.imported")
        RevealLog.objects.create(user=manager, case=case, field="id_number", at=now)
        ContactRecord.objects.create(case=case, at=now, channel="call", party="debtor", outcome="no_answer")
        Payment.objects.create(
            organisation=case.organisation,
            case=case,
            amount=Decimal("10.00"),
            paid_on=dt.date(2026, 11, 1),
            channel="alipay",
            reference=f"ref-{case.pk}",
        )
        Promise.objects.create(case=case, made_at=now, amount=Decimal("100.00"), due_on=dt.date(2026, 12, 1))
    return cases


# Per case, how many rows of each model hang off it in ``world``.
PER_CASE = {
    Case: 1,
    CaseEvent: 1,
    RevealLog: 1,
    ContactRecord: 1,
    Payment: 1,
    Promise: 1,
    Debtor: 1,
    ContactPerson: 1,
    ContactPoint: 2,
}


@pytest.mark.parametrize("model", list(PER_CASE), ids=lambda m: m._meta.label_lower)
@pytest.mark.parametrize(
    ("persona", "visible_cases"),
    [("alice", 2), ("bob", 1), ("carol", 1), ("lead_a", 3), ("manager", 4), ("outsider", 0)],
)
def test_case_scoped_models(world, request, model, persona, visible_cases):
    user = request.getfixturevalue(persona)
    assert restrict(model.objects.all(), user).count() == visible_cases * PER_CASE[model]


def test_collector_sees_exactly_their_own_cases(world, alice):
    assert set(restrict(Case.objects.all(), alice)) == set(world["alice"])


@pytest.mark.parametrize("persona", ["manager", "alice", "lead_a"])
def test_creditors_and_placements_in_scope(world, request, persona, placement, creditor):
    user = request.getfixturevalue(persona)
    assert list(restrict(type(placement).objects.all(), user)) == [placement]
    assert list(restrict(type(creditor).objects.all(), user)) == [creditor]


def test_collector_without_cases_sees_no_creditor_users_or_imports(placement, org, team_b, carol, alice):
    make_case(placement, collector=alice)
    ImportBatch.objects.create(
        creditor=placement.creditor,
        placement=placement,
        filename="f.xlsx",
        sha256="0" * 64,
        size=1,
        status="done",
        business_date=dt.date(2026, 11, 29),
        started_at=timezone.now(),
    )
    assert restrict(type(placement).objects.all(), carol).count() == 0
    assert restrict(ImportBatch.objects.all(), alice).count() == 0  # a collector never sees creditor files
    assert set(restrict(type(alice).objects.all(), carol)) == {carol}  # only herself: alice is in team A


def test_outsider_sees_nothing_of_any_model(world, outsider, placement, manager):
    ImportBatch.objects.create(
        creditor=placement.creditor,
        placement=placement,
        filename="f.xlsx",
        sha256="0" * 64,
        size=1,
        status="done",
        business_date=dt.date(2026, 11, 29),
        started_at=timezone.now(),
    )
    ChangeLog.objects.create(
        at=timezone.now(), user=manager, action="create", model="x", object_id="1", object_repr="x"
    )
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in NOT_USER_FACING:
            continue
        visible = restrict(model.objects.all(), outsider)
        own = {"accounts.user": 1, "accounts.organisation": 1}.get(label, 0)  # themself and their agency
        assert visible.count() == own, label


def test_every_model_has_an_access_rule(outsider):
    missing = []
    for model in apps.get_models():
        if model._meta.label_lower in NOT_USER_FACING:
            continue
        try:
            restrict(model.objects.all(), outsider)
        except NoAccessRule:
            missing.append(model._meta.label_lower)
    assert missing == []


def test_anonymous_and_inactive_users_see_nothing(world, alice):
    from django.contrib.auth.models import AnonymousUser

    assert restrict(Case.objects.all(), AnonymousUser()).count() == 0
    alice.is_active = False
    assert restrict(Case.objects.all(), alice).count() == 0


def test_user_without_role_sees_nothing(world, org):
    from arrears.accounts.models import User

    nobody = User.objects.create_user(username="norole", password="x" * 12, organisation=org)
    assert restrict(Case.objects.all(), nobody).count() == 0
