"""The strategy editor and the nightly runs page."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from arrears.batch import run as batch
from arrears.batch.models import Strategy
from tests.conftest import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def strategy(placement, alice, at):
    import datetime as dt

    at(2026, 11, 29, 23, 0)
    make_case(placement, collector=alice)
    batch.batch_run(business_date=dt.date(2026, 11, 29))
    return Strategy.objects.get()


def test_a_manager_saves_a_new_version_and_a_broken_one_is_refused_with_the_reason(client, strategy, manager):
    client.force_login(manager)
    page = client.get(reverse("batch:strategy", args=[strategy.pk]))
    assert page.status_code == 200 and "早期 / early" in page.content.decode()
    document = json.loads(page.context["text"])
    document["rules"][-1]["when"] = {"dpd": {">": 0}}  # the catch-all is gone
    refused = client.post(reverse("batch:strategy", args=[strategy.pk]), {"document": json.dumps(document)})
    assert "兜底" in refused.content.decode() and Strategy.objects.count() == 1
    document["rules"][-1].pop("when")
    vip = {"name": "VIP", "when": {"total": {">=": 100000}}, "treatment": "intensive_call"}
    document["rules"].insert(0, vip)
    saved = client.post(
        reverse("batch:strategy", args=[strategy.pk]),
        {"document": json.dumps(document), "challenger": strategy.pk, "challenger_share": "0.1"},
    )
    new = Strategy.objects.get(version=2)
    assert saved.url == reverse("batch:strategy", args=[new.pk])
    assert new.active and not Strategy.objects.get(version=1).active
    assert new.challenger == strategy and str(new.challenger_share) == "0.100"
    assert client.post(reverse("batch:strategy", args=[strategy.pk]), {"document": "{"}).status_code == 200


def test_collectors_read_strategies_but_do_not_change_them(client, strategy, alice):
    client.force_login(alice)
    assert client.get(reverse("batch:strategies")).status_code == 200
    body = json.dumps(strategy.document)
    assert client.post(reverse("batch:strategy", args=[strategy.pk]), {"document": body}).status_code == 403
    assert client.get(reverse("batch:runs")).status_code == 403


def test_the_runs_page_shows_each_step(client, strategy, manager):
    client.force_login(manager)
    body = client.get(reverse("batch:runs")).content.decode()
    assert "2026-11-29" in body and "snapshot" in body and "strategy" in body


def test_the_case_page_says_which_rule_chose_the_treatment(client, strategy, alice):
    from arrears.cases.models import Case

    case = Case.objects.get()
    client.force_login(alice)
    body = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "处置方式" in body and f"v{strategy.version}" in body and case.treatment
