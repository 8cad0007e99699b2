"""Creditors, placements and saved column mappings: pages, services and their change log."""

from __future__ import annotations

import pytest
from django.urls import reverse

from arrears.core.models import ChangeLog
from arrears.creditors.models import ColumnMapping, Creditor, Placement
from arrears.intake.services import cases_import
from tests.intake._factory import BUSINESS_DATE, id_for, xlsx_bytes

pytestmark = pytest.mark.django_db

NEW_CREDITOR = {
    "code": "HXBANK",
    "name": "华夏示范银行",
    "compliance_profile": "CN",
    "bucket_bands": "30, 60, 90, 120, 150, 180",
    "active": "on",
}


def test_manager_records_a_creditor_and_the_change_log_has_it(client, manager):
    client.force_login(manager)
    assert client.post(reverse("creditors:new"), NEW_CREDITOR).status_code == 302
    creditor = Creditor.objects.get(code="HXBANK")
    assert (
        creditor.bucket_bands == [30, 60, 90, 120, 150, 180] and creditor.organisation == manager.organisation
    )
    client.post(
        reverse("creditors:edit", args=[creditor.pk]), {**NEW_CREDITOR, "name": "华夏示范银行信用卡中心"}
    )
    update = ChangeLog.objects.get(model="creditors.creditor", action="update")
    assert (update.before["name"], update.after["name"]) == ("华夏示范银行", "华夏示范银行信用卡中心")
    assert update.user == manager and update.request_id


@pytest.mark.parametrize("bands", ["60, 30", "30, abc", "0, 30", ""])
def test_bad_bucket_bands_are_refused(client, manager, bands):
    client.force_login(manager)
    response = client.post(reverse("creditors:new"), {**NEW_CREDITOR, "bucket_bands": bands})
    assert response.status_code == 200 and response.context["form"].errors["bucket_bands"]
    assert not Creditor.objects.filter(code="HXBANK").exists()


def test_placement_return_date_must_follow_entrusted_date(client, manager, creditor):
    client.force_login(manager)
    response = client.post(
        reverse("creditors:placement_new"),
        {
            "creditor": creditor.pk,
            "name": "12月",
            "entrusted_on": "2026-12-01",
            "return_on": "2026-11-01",
            "product_type": "credit_card",
            "commission_rate": "0.2",
        },
    )
    assert response.context["form"].errors["return_on"]
    assert not Placement.objects.filter(name="12月").exists()


def test_collector_may_not_manage_creditors(client, alice):
    client.force_login(alice)
    assert client.get(reverse("creditors:new")).status_code == 403
    assert client.post(reverse("creditors:new"), NEW_CREDITOR).status_code == 403


def test_outsider_cannot_reach_our_creditor(client, outsider, creditor, placement):
    client.force_login(outsider)
    assert client.get(reverse("creditors:edit", args=[creditor.pk])).status_code == 404
    assert client.get(reverse("creditors:mappings", args=[creditor.pk])).status_code == 404
    assert client.get(reverse("creditors:placement_edit", args=[placement.pk])).status_code == 404
    assert creditor.code not in client.get(reverse("creditors:list")).content.decode()


def test_saved_mapping_is_used_for_a_creditors_own_headers(client, manager, placement):
    client.force_login(manager)
    text = "\n".join(
        [
            "客户名 = name",
            "证件 = id_number",
            "借据编号 = account_number",
            "欠款 = principal",
            "逾期起点 = overdue_since",
            "备用 = ignore",
        ]
    )
    client.post(
        reverse("creditors:mappings", args=[placement.creditor.pk]), {"name": "总行格式", "mapping": text}
    )
    saved = ColumnMapping.objects.get(creditor=placement.creditor, name="总行格式")
    assert saved.mapping["客户名"] == "name"
    data = xlsx_bytes(
        [
            ["客户名", "证件", "借据编号", "欠款", "逾期起点", "备用"],
            ["韩梅梅", id_for(1), "JJ0001", "800.00", "2024-07-01", "x"],
        ]
    )
    result = cases_import(
        actor=manager,
        creditor=placement.creditor,
        placement=placement,
        data=data,
        filename="f.xlsx",
        business_date=BUSINESS_DATE,
        mapping=saved.mapping,
    )
    assert (result.imported, result.rejected) == (1, 0)
    assert placement.cases.get().extra == {}


def test_mapping_with_an_unknown_field_is_refused(client, manager, creditor):
    client.force_login(manager)
    response = client.post(
        reverse("creditors:mappings", args=[creditor.pk]), {"name": "x", "mapping": "姓名 = nme"}
    )
    assert "nme" in str(response.context["form"].errors["mapping"])
    assert not ColumnMapping.objects.exists()
