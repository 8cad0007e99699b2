"""Saving templates: versions, the guard's screening on save, the manager's pages."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from arrears.messaging.models import MessageTemplate
from arrears.messaging.selectors import library, template_for
from arrears.messaging.services import template_save

pytestmark = pytest.mark.django_db


def save(actor, creditor, body, **kwargs):
    fields = dict(
        channel="sms", code="early_reminder", language="zh-hans", purpose="demand", title="提醒", subject=""
    )
    fields.update(kwargs)
    return template_save(actor=actor, creditor=creditor, body=body, **fields)


def test_each_save_is_a_new_version_and_the_latest_is_used(manager, creditor):
    first = save(manager, creditor, "{debtor_name}您好，请还款{total}元。电话{hotline}")
    second = save(manager, creditor, "{debtor_name}您好，应还{total}元，请尽快还款。电话{hotline}")
    assert (first.version, second.version) == (1, 2)
    used = template_for(creditor=creditor, channel="sms", code="early_reminder", language="zh-hans")
    assert used.version == 2 and "尽快" in used.body
    assert MessageTemplate.objects.count() == 2  # the old version is kept


def test_a_retired_template_is_no_longer_offered(manager, creditor):
    save(manager, creditor, "{total} {hotline}", code="old_one", active=False)
    assert all(t.code != "old_one" for t in library(creditor=creditor))


@pytest.mark.parametrize(
    ("body", "word"),
    [
        ("再不还款就曝光你，{total}元", "曝光"),
        ("{debtor_name}，法院将上门，{total}", "法院"),
        ("老赖{debtor_name}请还{total}", "老赖"),
    ],
)
def test_prohibited_wording_is_refused(manager, creditor, body, word):
    with pytest.raises(ValidationError) as info:
        save(manager, creditor, body)
    assert word in " ".join(info.value.messages) and "prohibited wording" in " ".join(info.value.messages)
    assert not MessageTemplate.objects.exists()


def test_a_creditors_us_profile_screens_its_own_phrases(manager, creditor):
    creditor.compliance_profile = "US-REGF"
    creditor.save()
    with pytest.raises(ValidationError) as info:
        save(manager, creditor, "Pay {total} or we tell your boss. Call {hotline}", language="en")
    assert "tell your boss" in " ".join(info.value.messages)


def test_an_unknown_placeholder_is_refused(manager, creditor):
    with pytest.raises(ValidationError) as info:
        save(manager, creditor, "{debtor_name}请还款{balance}")
    assert "balance" in info.value.messages[0] and "未知的占位符" in info.value.messages[0]


def test_collectors_may_not_change_templates(alice, creditor):
    with pytest.raises(PermissionDenied):
        save(alice, creditor, "{total}")


def test_another_organisations_creditor_is_not_ours_to_change(outsider, creditor):
    with pytest.raises(PermissionDenied):
        save(outsider, creditor, "{total}")


def test_the_manager_pages(client, manager, creditor):
    client.force_login(manager)
    listed = client.get("/messaging/templates/").content.decode()
    assert "逾期还款提醒" in listed and "early_reminder" in listed
    url = f"/messaging/templates/{creditor.pk}/sms/early_reminder/zh-hans/"
    assert "{debtor_name}" in client.get(url).content.decode()
    refused = client.post(url, {
        "channel": "sms", "code": "early_reminder", "language": "zh-hans", "purpose": "demand", "title": "t",
        "body": "不还就告诉你的家人，{total}元", "active": "on",
    })  # fmt: skip
    assert refused.status_code == 200 and "告诉你的家人" in refused.content.decode()
    saved = client.post(url, {
        "channel": "sms", "code": "early_reminder", "language": "zh-hans", "purpose": "demand", "title": "t",
        "body": "{debtor_name}您好，应还{total}元，电话{hotline}", "active": "on",
    })  # fmt: skip
    assert saved.status_code == 302
    versions = client.get(url).content.decode()
    assert "告诉你的家人" not in versions and "应还" in versions
    sender = client.post(
        f"/messaging/creditors/{creditor.pk}/sender/", {"signature": "【东湖银行】", "hotline": "95555"}
    )
    assert sender.status_code == 302
    assert creditor.sender.signature == "东湖银行"


def test_a_collector_reads_templates_but_cannot_open_the_editor(client, alice, creditor):
    client.force_login(alice)
    assert client.get("/messaging/templates/").status_code == 200
    assert client.get(f"/messaging/templates/{creditor.pk}/new/").status_code == 403
