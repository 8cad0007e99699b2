"""A demand delivered to the debtor's address on record restarts the limitation period (Civil Code
Art 195); one sent to another address, or not yet delivered, does not."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from arrears.batch import run as batch
from arrears.cases.models import Case
from arrears.documents.models import Dispatch, Document
from tests.conftest import make_case

pytestmark = pytest.mark.django_db
D = dt.date(2026, 11, 29)


def delivered(case, alice, *, kind: str, on: dt.date | None, to_debtor: bool, n: int) -> None:
    document = Document.objects.create(case=case, kind=kind, number=f"T-{n}", issued_at=timezone.now(),
                                       issued_by=alice, sha256="0" * 64, file="documents/t.pdf")  # fmt: skip
    Dispatch.objects.create(
        document=document, case=case, kind=kind, addressee="张伟", address="北京市朝阳区建国路 88 号",
        to_debtor=to_debtor, sent_on=on, delivered_on=on, state="delivered" if on else "printed",
    )  # fmt: skip


def test_a_delivered_demand_restarts_the_limitation_and_others_do_not(placement, alice, at):
    at(2026, 11, 29, 23, 0)
    old = dt.date(2024, 1, 10)  # three years from the overdue date: 2027-01-10
    demanded, elsewhere, lawyer, pending = (make_case(placement, collector=alice) for _ in range(4))
    Case.objects.update(overdue_since=old)
    delivered(demanded, alice, kind="demand_letter", on=dt.date(2026, 6, 1), to_debtor=True, n=1)
    delivered(elsewhere, alice, kind="demand_letter", on=dt.date(2026, 6, 1), to_debtor=False, n=2)
    delivered(lawyer, alice, kind="lawyer_letter", on=dt.date(2026, 7, 15), to_debtor=True, n=3)
    delivered(pending, alice, kind="demand_letter", on=None, to_debtor=True, n=4)
    batch.batch_run(business_date=D)
    limits = dict(Case.objects.values_list("id", "limitation_on"))
    assert limits[demanded.pk] == dt.date(2029, 6, 1)
    assert limits[lawyer.pk] == dt.date(2029, 7, 15)
    assert limits[elsewhere.pk] == limits[pending.pk] == dt.date(2027, 1, 10)
