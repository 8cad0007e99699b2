"""The compliance officer's pages: profiles with sources, the tester (records nothing), the report."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from arrears.compliance.models import ContactDecision
from arrears.contacts.services import contact_attempt
from tests.conftest import make_case, make_user

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def qa(org):
    return make_user("qa", "qa", org)


def test_profiles_page_lists_every_rule_with_its_source(client, qa):
    client.force_login(qa)
    body = client.get(reverse("compliance:profiles")).content.decode()
    for rule in (
        "quiet_hours",
        "attempts_per_number_day",
        "calls_7_in_7",
        "public_channel",
        "prohibited_content",
    ):
        assert rule in body
    assert "GB/T 45251-2025" in body and "[V]" in body


@pytest.mark.parametrize(
    ("channel", "when", "rule"),
    [("call", "2026-03-02T22:30", "quiet_hours"), ("wechat_group", "2026-03-02T10:00", "public_channel")],
)
def test_tester_shows_the_decision_rule_by_rule_and_records_nothing(
    client, qa, placement, alice, channel, when, rule
):
    case = make_case(placement, collector=alice)
    client.force_login(qa)
    response = client.post(
        reverse("compliance:profiles"),
        {
            "account_number": case.account_number,
            "party": "debtor",
            "channel": channel,
            "purpose": "demand",
            "content": "",
            "collectors": 1,
            "at": when,
        },
    )
    outcome = response.context["outcome"]
    assert not outcome["decision"].allowed
    verdicts = dict(outcome["rules"])
    assert verdicts[rule] is not None and verdicts["do_not_contact"] is None
    assert not ContactDecision.objects.exists()


def test_tester_cannot_reach_a_case_out_of_scope(client, other_org, placement, alice):
    stranger = make_user("stranger_qa", "qa", other_org)
    case = make_case(placement, collector=alice)
    client.force_login(stranger)
    response = client.post(
        reverse("compliance:profiles"),
        {
            "account_number": case.account_number,
            "party": "debtor",
            "channel": "call",
            "purpose": "demand",
            "collectors": 1,
        },
    )
    assert response.context["form"].errors["account_number"]


def test_collectors_do_not_see_the_compliance_pages(client, alice):
    client.force_login(alice)
    assert client.get(reverse("compliance:profiles")).status_code == 403
    assert client.get(reverse("compliance:report")).status_code == 403


def test_report_counts_refusals_by_rule_collector_and_day(
    client, monkeypatch, qa, placement, alice, outsider
):
    case = make_case(placement, collector=alice)
    point = case.debtor.contact_points.get(person__isnull=True)
    late = dt.datetime.now(SHANGHAI).replace(hour=22, minute=30)
    monkeypatch.setattr(timezone, "now", lambda: late)
    for _ in range(2):
        contact_attempt(actor=alice, case=case, channel="call", purpose="demand", contact_point=point)
    monkeypatch.undo()
    client.force_login(qa)
    report = client.get(reverse("compliance:report")).context["report"]
    assert report["refused"] == 2 and report["by_rule"] == [("quiet_hours", 2)]
    assert report["by_collector"] == [("alice", 2)] and report["by_team"] == [("一组", 2)]
    assert sum(n for _day, n in report["by_day"]) == 2
    client.force_login(outsider)
    assert client.get(reverse("compliance:report")).context["report"]["refused"] == 0


def test_tester_refuses_to_test_a_contact_the_case_does_not_have(client, qa, placement, alice):
    case = make_case(placement, collector=alice)
    case.debtor.contact_points.filter(person__isnull=False).delete()
    client.force_login(qa)
    response = client.post(
        reverse("compliance:profiles"),
        {
            "account_number": case.account_number,
            "party": "contact",
            "channel": "call",
            "purpose": "demand",
            "collectors": 1,
            "at": "2026-03-02T10:00",
        },
    )
    assert response.context["form"].errors["party"] and not response.context["outcome"]
