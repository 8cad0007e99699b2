"""Replaying past dates: the snapshot and bucket moves rebuilt from the ledger as the book stood
then, the live book untouched; a live run of a date before one that has run is refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from arrears.batch import run as batch
from arrears.batch.models import BatchRun, BucketMove, CaseSnapshot
from arrears.cases.models import Case
from arrears.payments.services import payment_post
from tests.conftest import make_case

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 29)
PAST = TODAY - dt.timedelta(days=10)


@pytest.fixture
def book(placement, alice, at):
    at(2026, 11, 29, 23, 0)
    rolled = make_case(placement, collector=alice, principal="8000.00", dpd=41)  # 31 days past due on PAST
    paid = make_case(placement, collector=alice, principal="1000.00", dpd=70)
    payment_post(actor=None, case=paid, amount=Decimal("1125.00"), paid_on=TODAY - dt.timedelta(days=3),
                 channel="bank_transfer", reference="R-1")  # fmt: skip
    batch.batch_run(business_date=TODAY)
    return {"rolled": rolled, "paid": paid}


def snapshot(day):
    return {
        row[0]: row[1:]
        for row in CaseSnapshot.objects.filter(business_date=day).values_list(
            "case_id", "dpd", "bucket", "total", "status"
        )
    }


def test_a_replay_shows_the_book_as_it_stood_and_leaves_the_live_book_alone(book):
    live = {c["id"]: c for c in Case.objects.values("id", "aged_from", "bucket", "total", "status")}
    batch.batch_run(business_date=PAST, replay=True)
    then = snapshot(PAST)
    assert then[book["rolled"].pk] == (31, "M2", Decimal("8125.00"), "new")
    # Paid in full three days ago: ten days ago it still owed everything, and was being worked.
    assert then[book["paid"].pk] == (60, "M2", Decimal("1125.00"), "in_progress")
    assert set(BucketMove.objects.filter(on=PAST).values_list("case_id", "from_bucket", "to_bucket")) == {
        (book["rolled"].pk, "M1", "M2")
    }
    assert {c["id"]: c for c in Case.objects.values("id", "aged_from", "bucket", "total", "status")} == live


def test_a_replay_twice_writes_the_same_rows(book):
    batch.batch_run(business_date=PAST, replay=True)
    first = (snapshot(PAST), list(BucketMove.objects.filter(on=PAST).values_list("case_id", "to_bucket")))
    batch.batch_run(business_date=PAST, replay=True)
    assert (
        snapshot(PAST),
        list(BucketMove.objects.filter(on=PAST).values_list("case_id", "to_bucket")),
    ) == first


def test_a_case_not_yet_placed_is_not_in_an_earlier_replay(book, placement, alice):
    later = make_case(placement, collector=alice, dpd=5)  # its opening balance is dated five days ago
    batch.batch_run(business_date=PAST, replay=True)
    assert later.pk not in snapshot(PAST)


def test_a_live_run_of_an_earlier_date_is_refused_and_the_worker_ignores_replays(book):
    with pytest.raises(batch.LaterDateRun) as refused:
        batch.batch_run(business_date=PAST)
    assert "replay" in str(refused.value) and str(TODAY) in str(refused.value)
    with pytest.raises(CommandError):
        call_command("run_batch", "--date", PAST.isoformat(), stdout=StringIO())
    out = StringIO()
    call_command("run_batch", "--from", (PAST - dt.timedelta(days=1)).isoformat(), "--to", PAST.isoformat(),
                 "--replay", "--json", stdout=out)  # fmt: skip
    assert out.getvalue().count('"replay": true') == 2
    assert batch.refresh_date() == TODAY  # a replay is not the latest run
    assert BatchRun.objects.live().count() == 1
