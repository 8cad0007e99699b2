"""The organisation's script library: managers edit it, the guard reads every version, the case page
shows the script that fits with the case's own figures."""

from __future__ import annotations

import dataclasses

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from arrears.workbench import scripts, selectors
from arrears.workbench.models import Script
from arrears.workbench.services import script_save
from tests.conftest import make_case

pytestmark = pytest.mark.django_db


def starter(key: str) -> scripts.Script:
    return next(s for s in scripts.starter() if s.key == key)


def any_stage_script() -> scripts.Script:
    return next(s for s in scripts.starter() if s.stage == "m1" and s.party == "debtor")


def test_a_managers_version_replaces_the_starter_script_and_is_versioned(manager, org):
    original = any_stage_script()
    changed = dataclasses.replace(original, body_zh=original.body_zh + "\n如需帮助，可随时联系我们。")
    first = script_save(actor=manager, script=changed)
    second = script_save(actor=manager, script=changed)
    assert (first.version, second.version) == (1, 2)
    library = selectors.library(organisation_id=org.pk)
    assert [s for s in library if s.key == original.key] == [changed]
    assert len(library) == len(scripts.starter())


def test_a_retired_key_leaves_the_library(manager, org):
    original = any_stage_script()
    script_save(actor=manager, script=original, active=False)
    assert original.key not in {s.key for s in selectors.library(organisation_id=org.pk)}


def test_the_guard_refuses_prohibited_wording_in_a_script(manager):
    bad = dataclasses.replace(any_stage_script(), body_zh="再不还钱就把你列入黑名单，通知你单位")
    with pytest.raises(ValidationError):
        script_save(actor=manager, script=bad)
    disclosing = dataclasses.replace(starter_contact(), body_zh="请转告他尽快还清信用卡欠款")
    with pytest.raises(ValidationError):
        script_save(actor=manager, script=disclosing)
    assert not Script.objects.exists()


def starter_contact() -> scripts.Script:
    return next(s for s in scripts.starter() if s.party == "contact")


def test_only_managers_change_scripts(alice):
    with pytest.raises(PermissionDenied):
        script_save(actor=alice, script=any_stage_script())


def test_the_case_page_shows_the_fitting_script_with_the_cases_figures(client, placement, alice):
    case = make_case(placement, collector=alice, principal="5000.00", dpd=45)
    client.force_login(alice)
    body = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "¥5,125.00" in body and case.debtor.name in body
    fits = selectors.case_scripts(case=case, user=alice, stage="m2_m3")
    assert fits[0].stage == "m2_m3"
    assert fits[0].title_zh in body
    objection = client.get(
        reverse("workbench:case_scripts", args=[case.pk]), {"stage": "m2_m3", "objection": "not_me"}
    ).content.decode()
    not_me = selectors.case_scripts(case=case, user=alice, stage="m2_m3", objection="not_me")[0]
    assert not_me.objection == "not_me" and not_me.title_zh in objection


def test_a_contact_gets_a_script_without_any_figure(client, placement, alice):
    case = make_case(placement, collector=alice)
    client.force_login(alice)
    body = client.get(
        reverse("workbench:case_scripts", args=[case.pk]), {"stage": "m2_m3", "objection": "cannot_reach"}
    ).content.decode()
    assert "5,125.00" not in body and case.account_number[-4:] not in body
    assert any(s.title_zh in body for s in scripts.starter() if s.party == "contact")


def test_the_script_pages(client, manager, alice):
    client.force_login(alice)
    assert client.get(reverse("workbench:scripts")).status_code == 200
    assert client.get(reverse("workbench:script_new")).status_code == 403
    client.force_login(manager)
    key = any_stage_script().key
    form = client.get(reverse("workbench:script_edit", args=[key]))
    assert form.status_code == 200 and form.context["form"].initial["key"] == key
    data = {**form.context["form"].initial, "body_zh": "您好，{unknown}"}
    refused = client.post(reverse("workbench:script_edit", args=[key]), data)
    assert refused.status_code == 200 and "unknown" in refused.content.decode()
    data["body_zh"] = "您好，{debtor_name}，我是{collector}。"
    assert client.post(reverse("workbench:script_edit", args=[key]), data).status_code == 302
    assert Script.objects.get().body_zh == "您好，{debtor_name}，我是{collector}。"
