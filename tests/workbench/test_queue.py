"""My queue, my day, the team lead's view and reassignment, through the pages and their selectors."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from arrears.cases.models import Case, CaseEvent
from arrears.contacts.services import contact_attempt
from arrears.payments.models import Payment, Promise
from arrears.workbench import selectors
from arrears.workbench.selectors import QueueFilters
from arrears.workbench.services import OutcomeEntry, outcome_record
from tests.conftest import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def book(placement, alice, bob, at):
    """Alice's queue: a small old case, a large young one, one with a promise due today, one whose
    follow-up is due, one with a later follow-up, one disputed; and one of Bob's."""
    now = at(2026, 11, 30, 10, 0)
    cases = {
        "small_old": make_case(placement, collector=alice, principal="800.00", dpd=80),
        "large": make_case(placement, collector=alice, principal="90000.00", dpd=20),
        "promise": make_case(placement, collector=alice, principal="300.00", dpd=10),
        "due": make_case(placement, collector=alice, principal="200.00", dpd=10),
        "later": make_case(placement, collector=alice, principal="99000.00", dpd=100),
        "held": make_case(placement, collector=alice, principal="99500.00", dpd=100),
        "bobs": make_case(placement, collector=bob, principal="99999.00", dpd=100),
        "paid": make_case(placement, collector=alice, principal="99999.00", dpd=100),
    }
    Promise.objects.create(case=cases["promise"], made_at=now, amount="100.00", due_on=now.date())
    Case.objects.filter(pk=cases["due"].pk).update(next_follow_up=now - dt.timedelta(minutes=5))
    Case.objects.filter(pk=cases["later"].pk).update(next_follow_up=now + dt.timedelta(hours=3))
    Case.objects.filter(pk=cases["held"].pk).update(status="disputed")
    Case.objects.filter(pk=cases["paid"].pk).update(status="paid")
    return cases


def order(user) -> list[int]:
    return list(selectors.queue(user=user).values_list("pk", flat=True))


def test_the_queue_puts_promises_first_then_due_follow_ups_then_by_amount(book, alice):
    expected = ["promise", "due", "large", "small_old", "later", "held"]
    assert order(alice) == [book[k].pk for k in expected]
    assert selectors.queue_counts(user=alice) == {"total": 6, "promises": 1, "follow_ups": 1, "untouched": 4}


def test_the_queue_filters(book, alice):
    due = selectors.queue(user=alice, filters=QueueFilters(due="follow_up"))
    assert [c.pk for c in due] == [book["due"].pk]
    promised = selectors.queue(user=alice, filters=QueueFilters(due="promise"))
    assert [c.pk for c in promised] == [book["promise"].pk]
    m3 = selectors.queue(user=alice, filters=QueueFilters(bucket="M3"))
    assert {c.pk for c in m3} == {book["small_old"].pk}


def test_an_outcome_moves_the_case_down_the_queue(book, alice):
    large = book["large"]
    attempt = contact_attempt(
        actor=alice, case=large, channel="call", purpose="demand",
        contact_point=large.debtor.contact_points.filter(person__isnull=True).first(),
    )  # fmt: skip
    outcome_record(
        actor=alice, record=attempt.record,
        entry=OutcomeEntry(outcome="right_party", result="promise", promise_amount=Decimal("1000.00"),
                           promise_due=dt.date(2026, 12, 3)),
    )  # fmt: skip
    queue = order(alice)
    assert queue.index(large.pk) > queue.index(book["small_old"].pk)


def test_next_case_opens_the_top_of_the_queue(client, book, alice):
    client.force_login(alice)
    response = client.get(reverse("workbench:next"))
    assert response.status_code == 302 and response.url == reverse("cases:detail", args=[book["promise"].pk])


def test_a_collector_lands_on_the_queue_and_sees_only_their_cases(client, book, alice):
    client.force_login(alice)
    assert client.get("/").url == reverse("workbench:queue")
    shown = {c.pk for c in client.get(reverse("workbench:queue")).context["page"]}
    assert shown == {book[k].pk for k in ("small_old", "large", "promise", "due", "later", "held")}


def test_my_day_counts_attempts_contacts_promises_payments_and_refusals(book, alice, at):
    large = book["large"]
    point = large.debtor.contact_points.filter(person__isnull=True).first()
    attempt = contact_attempt(actor=alice, case=large, channel="call", purpose="demand", contact_point=point)
    outcome_record(
        actor=alice, record=attempt.record,
        entry=OutcomeEntry(outcome="right_party", result="promise", promise_amount=Decimal("1200.00"),
                           promise_due=dt.date(2026, 12, 3)),
    )  # fmt: skip
    Payment.objects.create(
        organisation=large.organisation, case=large, amount="300.00", paid_on=dt.date(2026, 11, 30),
        channel="alipay", reference="P-1",
    )  # fmt: skip
    at(2026, 11, 30, 22, 30)
    refused = contact_attempt(actor=alice, case=large, channel="call", purpose="demand", contact_point=point)
    assert not refused.decision.allowed
    day = selectors.day_figures(collectors=[alice], day=dt.date(2026, 11, 30))[alice.pk]
    assert day == {
        "attempts": 1, "rpc": 1, "promises": 1, "promised": Decimal("1200.00"), "payments": 1,
        "paid": Decimal("300.00"), "refused": 1,
    }  # fmt: skip


def test_the_team_lead_sees_the_team_and_reassigns_with_a_record(client, book, lead_a, bob, carol):
    client.force_login(lead_a)
    page = client.get(reverse("workbench:team"))
    assert page.status_code == 200
    members = [m for m, _f in page.context["members"]]
    assert {m.username for m in members} == {"alice", "bob"}
    no_step = {c.pk for c in page.context["no_step"]}
    assert book["large"].pk in no_step and book["later"].pk not in no_step
    assert [p.case_id for p in page.context["promises_due"]] == [book["promise"].pk]
    team_queue = [c.pk for c in page.context["team_queue"]]
    assert team_queue[:2] == [book["promise"].pk, book["due"].pk] and book["bobs"].pk in team_queue

    moved = client.post(reverse("workbench:reassign"), {"case": [book["large"].pk], "collector": bob.pk})
    assert moved.status_code == 302
    book["large"].refresh_from_db()
    assert book["large"].assigned_to == bob
    event = CaseEvent.objects.get(case=book["large"], kind="case.assigned")
    assert event.actor == lead_a and event.data["how"] == "reassign"

    # Carol is in another team: the lead cannot move cases to her (she is not in the choice list).
    client.post(reverse("workbench:reassign"), {"case": [book["small_old"].pk], "collector": carol.pk})
    book["small_old"].refresh_from_db()
    assert book["small_old"].assigned_to.username == "alice"


def test_collectors_do_not_see_the_team_view(client, alice):
    client.force_login(alice)
    assert client.get(reverse("workbench:team")).status_code == 403


def test_queue_query_budget_does_not_grow_with_the_queue(
    client, placement, alice, django_assert_max_num_queries
):
    for _ in range(3):
        make_case(placement, collector=alice)
    client.force_login(alice)
    # Session and user 2, creditors 1, count, page and its names 3, due counts 1, my day 4.
    with django_assert_max_num_queries(11) as few:
        client.get(reverse("workbench:queue"))
    for _ in range(30):
        make_case(placement, collector=alice)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("workbench:queue")).status_code == 200


def test_dossier_query_budget_does_not_grow_with_the_history(
    client, placement, alice, django_assert_max_num_queries, at
):
    case = make_case(placement, collector=alice)
    client.force_login(alice)
    with django_assert_max_num_queries(21) as bare:
        client.get(reverse("cases:detail", args=[case.pk]))
    point = case.debtor.contact_points.filter(person__isnull=True).first()
    for hour in (9, 10, 11):
        at(2026, 11, 30, hour, 0)
        attempt = contact_attempt(
            actor=alice, case=case, channel="call", purpose="demand", contact_point=point
        )
        entry = OutcomeEntry(outcome="right_party", note="已沟通")
        outcome_record(actor=alice, record=attempt.record, entry=entry)
    made = at(2026, 11, 30, 12, 0)
    Promise.objects.create(case=case, made_at=made, amount="50.00", due_on=dt.date(2026, 12, 1))
    with django_assert_max_num_queries(len(bare.captured_queries)):
        assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200


def test_an_outcome_form_with_a_missing_amount_comes_back_with_what_was_typed(client, placement, alice, at):
    at(2026, 11, 30, 10, 0)
    case = make_case(placement, collector=alice)
    client.force_login(alice)
    point = case.debtor.contact_points.filter(person__isnull=True).first()
    call = client.post(reverse("cases:call", args=[case.pk]), {"point": point.pk})
    assert "data-outcome-form" in call.content.decode()
    record = case.contact_records.get()
    response = client.post(
        reverse("cases:outcome", args=[case.pk, record.pk]),
        {"outcome": "right_party", "result": "promise", "promise_due": "2026-12-04", "note": "月初发工资"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200 and "data-outcome-form" in body
    assert "月初发工资" in body and "2026-12-04" in body
    record.refresh_from_db()
    assert record.outcome == "pending"
    saved = client.post(
        reverse("cases:outcome", args=[case.pk, record.pk]),
        {"outcome": "right_party", "result": "promise", "promise_amount": "600", "promise_due": "2026-12-04"},
    )
    text = saved.content.decode()
    assert 'id="promises" hx-swap-oob="true"' in text and "2026-12-04" in text
    assert Promise.objects.get(case=case).amount == Decimal("600.00")


def test_a_promise_case_worked_today_gives_way_to_the_next(client, book, alice):
    promise = book["promise"]
    point = promise.debtor.contact_points.filter(person__isnull=True).first()
    attempt = contact_attempt(
        actor=alice, case=promise, channel="call", purpose="demand", contact_point=point
    )
    outcome_record(actor=alice, record=attempt.record, entry=OutcomeEntry(outcome="no_answer"))
    client.force_login(alice)
    assert client.get(reverse("workbench:next")).url == reverse("cases:detail", args=[book["due"].pk])


def test_reassignment_goes_back_to_the_team_view_only(client, book, lead_a, bob):
    client.force_login(lead_a)
    moved = client.post(
        reverse("workbench:reassign"), {"case": [book["large"].pk], "collector": bob.pk, "next": "https://evil.example/"}
    )
    assert moved.url == reverse("workbench:team")


def test_only_those_who_work_cases_tag_them_or_plan_them(client, placement, alice, org, at):
    from tests.conftest import make_user

    at(2026, 11, 30, 10, 0)
    case = make_case(placement, collector=alice)
    qa = make_user("qa", "qa", org)
    client.force_login(qa)
    client.post(reverse("workbench:tag", args=[case.pk]), {"debtor_type": "evasive"})
    client.post(reverse("workbench:follow_up", args=[case.pk]), {"at": "2026-12-01T10:00"})
    case.refresh_from_db()
    assert case.debtor_type == "" and case.next_follow_up is None
    client.force_login(alice)
    client.post(reverse("workbench:tag", args=[case.pk]), {"debtor_type": "evasive"})
    case.refresh_from_db()
    assert case.debtor_type == "evasive"
