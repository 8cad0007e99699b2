"""The case list and case page: scoping by URL, search, reveal, assignment, query budgets."""

from __future__ import annotations

import pytest
from django.urls import reverse

from arrears.cases.models import Case, CaseEvent, RevealLog
from arrears.core.models import ChangeLog
from tests.conftest import make_case, make_debtor

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(placement, alice, bob, carol):
    return {
        "alice": make_case(placement, collector=alice, account="6222000011112222"),
        "bob": make_case(placement, collector=bob, debtor=make_debtor("王芳", phone="+8613700137000")),
        "carol": make_case(placement, collector=carol),
    }


def login(client, user):
    client.force_login(user)
    return client


def test_collector_list_shows_only_own_cases(client, cases, alice):
    body = login(client, alice).get(reverse("cases:list")).content.decode()
    assert cases["alice"].account_number in body
    assert cases["bob"].account_number not in body
    assert cases["carol"].account_number not in body


@pytest.mark.parametrize(
    ("persona", "target"), [("alice", "bob"), ("alice", "carol"), ("outsider", "alice"), ("lead_a", "carol")]
)
def test_case_out_of_scope_is_not_found_on_every_url(client, cases, request, persona, target):
    login(client, request.getfixturevalue(persona))
    pk = cases[target].pk
    assert client.get(reverse("cases:detail", args=[pk])).status_code == 404
    assert client.post(reverse("cases:reveal", args=[pk, "id_number"])).status_code == 404
    assert client.post(reverse("cases:assign", args=[pk]), {"collector": ""}).status_code == 404


def test_outsider_list_is_empty(client, cases, outsider):
    response = login(client, outsider).get(reverse("cases:list"))
    assert response.status_code == 200
    assert list(response.context["page"]) == []


def test_anonymous_is_sent_to_login(client, cases):
    response = client.get(reverse("cases:detail", args=[cases["alice"].pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_case_page_shows_masked_data(client, cases, alice):
    case = cases["alice"]
    body = login(client, alice).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert case.debtor.id_masked in body
    assert case.debtor.reveal_id_number() not in body
    assert "138****8000" in body and "13800138000" not in body


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("张伟", {"alice", "carol"}),
        ("王芳", {"bob"}),
        ("138 0013 8000", {"alice", "carol"}),
        ("+86 137-0013-7000", {"bob"}),
        ("6222000011112222", {"alice"}),
    ],
)
def test_search(client, cases, manager, query, expected):
    response = login(client, manager).get(reverse("cases:list"), {"q": query})
    found = {k for k, c in cases.items() if c in list(response.context["page"])}
    assert found == expected


def test_search_by_last_four_of_id(client, cases, manager):
    last4 = cases["bob"].debtor.id_last4
    response = login(client, manager).get(reverse("cases:list"), {"q": last4})
    assert cases["bob"] in list(response.context["page"])
    assert all(c.debtor.id_last4 == last4 for c in response.context["page"])


def test_search_by_full_id_number(client, cases, manager):
    number = cases["carol"].debtor.reveal_id_number().lower()
    response = login(client, manager).get(reverse("cases:list"), {"q": number})
    assert list(response.context["page"]) == [cases["carol"]]


def test_filters(client, cases, manager, alice):
    response = login(client, manager).get(reverse("cases:list"), {"collector": alice.pk, "bucket": "M2"})
    assert list(response.context["page"]) == [cases["alice"]]


def test_manager_reveal_is_recorded(client, cases, manager):
    case = cases["alice"]
    response = login(client, manager).post(reverse("cases:reveal", args=[case.pk, "id_number"]))
    assert case.debtor.reveal_id_number() in response.content.decode()
    log = RevealLog.objects.get()
    assert (log.user, log.case, log.field) == (manager, case, "id_number")
    assert CaseEvent.objects.filter(case=case, kind="pii.revealed", actor=manager).exists()


def test_phone_reveal_needs_a_number_of_the_case(client, cases, manager):
    case = cases["alice"]
    own = case.debtor.contact_points.filter(person__isnull=True).get()
    other = cases["bob"].debtor.contact_points.filter(person__isnull=True).get()
    url = reverse("cases:reveal", args=[case.pk, "phone"])
    login(client, manager)
    assert client.post(url, {"point": other.pk}).status_code == 404
    assert client.post(url, {"point": "not-a-number"}).status_code == 404
    assert "+8613800138000" in client.post(url, {"point": own.pk}).content.decode()
    assert RevealLog.objects.filter(field="phone", target=str(own.pk)).count() == 1


def test_collector_may_not_reveal(client, cases, alice):
    response = login(client, alice).post(reverse("cases:reveal", args=[cases["alice"].pk, "id_number"]))
    assert response.status_code == 403
    assert not RevealLog.objects.exists()


def test_team_lead_assigns_within_team_only(client, cases, lead_a, bob, carol):
    case = cases["alice"]
    login(client, lead_a)
    client.post(reverse("cases:assign", args=[case.pk]), {"collector": bob.pk})
    case.refresh_from_db()
    assert case.assigned_to == bob
    assert CaseEvent.objects.filter(case=case, kind="case.assigned", actor=lead_a).count() == 1
    assert ChangeLog.objects.filter(model="cases.case", object_id=str(case.pk), action="update").count() == 1
    # carol is not offered to lead_a: the form rejects her and nothing changes
    client.post(reverse("cases:assign", args=[case.pk]), {"collector": carol.pk})
    case.refresh_from_db()
    assert case.assigned_to == bob


def test_collector_cannot_assign(client, cases, alice, bob):
    case = cases["alice"]
    login(client, alice).post(reverse("cases:assign", args=[case.pk]), {"collector": bob.pk})
    case.refresh_from_db()
    assert case.assigned_to == alice


def test_distribute_spreads_evenly_by_count_and_balance(client, placement, manager, team_a, alice, bob):
    for i in range(7):
        make_case(placement, principal=f"{1000 * (i + 1)}.00")
    login(client, manager).post(reverse("cases:distribute"), {"team": team_a.pk, "only_unassigned": "on"})
    counts = {u: Case.objects.filter(assigned_to=u).count() for u in (alice, bob)}
    assert sorted(counts.values()) == [3, 4]
    assert not Case.objects.filter(assigned_to__isnull=True).exists()
    assert CaseEvent.objects.filter(kind="case.assigned").count() == 7


def test_list_query_budget(client, placement, manager, alice, django_assert_max_num_queries):
    for _ in range(30):
        make_case(placement, collector=alice)
    login(client, manager)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("cases:list"))
    assert len(response.context["page"]) == 30


def test_detail_query_budget(client, cases, manager, django_assert_max_num_queries):
    login(client, manager)
    # Session and user 2, case and numbers 2, key facts 8, scripts 1, events 1, history 4, plan 2,
    # documents 1.
    with django_assert_max_num_queries(21):
        assert client.get(reverse("cases:detail", args=[cases["alice"].pk])).status_code == 200


def test_bucket_filter_offers_the_creditors_own_bands(client, placement, manager):
    from arrears.creditors.models import Creditor

    Creditor.objects.filter(pk=placement.creditor_id).update(bucket_bands=[30, 60, 90])
    client.force_login(manager)
    choices = [
        value for value, _label in client.get(reverse("cases:list")).context["form"].fields["bucket"].choices
    ]
    assert choices == ["", "M1", "M2", "M3", "M4+"]
