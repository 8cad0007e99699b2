"""How ages reach the cases: most by the database's own calendar expression, the rest (moves,
cures, pauses) sent from the pipeline; both give the pipeline's answer, night after night."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from arrears.batch import run as batch
from arrears.cases.models import Case
from arrears.complaints.models import Dispute
from arrears.payments.services import payment_post
from tests.conftest import SHANGHAI, make_case

pytestmark = pytest.mark.django_db
D = dt.date(2026, 11, 29)


def ages(day=None):
    return {c.pk: (c.dpd_on(day) if day else c.dpd, c.bucket) for c in Case.objects.all()}


def test_three_nights_age_every_kind_of_case_as_the_pipeline_says(placement, alice, lead_a, at):
    at(2026, 11, 29, 23, 0)
    plain = make_case(placement, collector=alice, dpd=45)
    rolling = make_case(placement, collector=alice, dpd=30)
    paused = make_case(placement, collector=alice, dpd=100)
    Dispute.objects.create(
        case=paused, opened_by=alice, reason="金额有误", status="resolved", resolved_by=lead_a,
        opened_at=dt.datetime(2026, 10, 1, 9, tzinfo=SHANGHAI),
        resolved_at=dt.datetime(2026, 10, 11, 9, tzinfo=SHANGHAI),
    )  # fmt: skip
    cured = make_case(placement, collector=alice, dpd=60)
    payment_post(actor=None, case=cured, amount=Decimal("5125.00"), paid_on=D, channel="bank_transfer",
                 reference="CURE-1", refresh=False)  # fmt: skip
    Case.objects.filter(pk=cured.pk).update(status="in_progress")  # still open, owing nothing
    for night in range(3):
        day = D + dt.timedelta(days=night)
        at(day.year, day.month, day.day, 23, 0)
        batch.batch_run(business_date=day)
        assert ages() == {
            plain.pk: (45 + night, "M2"),
            rolling.pk: (30 + night, "M1" if night == 0 else "M2"),
            paused.pk: (90 + night, "M3" if night == 0 else "M4"),  # ten days paused do not count
            cured.pk: (0, "M0"),
        }


def test_a_night_writes_only_the_cases_whose_age_moved(placement, alice, at):
    at(2026, 11, 29, 23, 0)
    quiet = [make_case(placement, collector=alice, dpd=45) for _ in range(3)]
    rolling = make_case(placement, collector=alice, dpd=30)
    batch.batch_run(business_date=D)
    at(2026, 11, 30, 23, 0)
    run = batch.batch_run(business_date=D + dt.timedelta(days=1))
    assert run.steps["ageing"]["counts"] == {"aged": 1, "moves": 1}  # only the case rolling into M2
    assert ages() == {**{c.pk: (46, "M2") for c in quiet}, rolling.pk: (31, "M2")}
