"""Field-visit pages: the whole flow through the UI, the agent's day, and who sees what."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from arrears.payments.models import Promise
from arrears.visits.models import Visit
from tests.conftest import make_case
from tests.visits.conftest import JPEG, M4A, PDF

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(placement, alice):
    return make_case(placement, collector=alice)


def _request(client, alice, case):
    client.force_login(alice)
    page = client.get(f"/visits/cases/{case.pk}/request/")
    assert page.status_code == 200 and "北京市朝阳区建国路 88 号" in page.content.decode()
    done = client.post(
        f"/visits/cases/{case.pk}/request/", {"address": "北京市朝阳区建国路 88 号", "reason": "电话无人接听"}
    )
    assert done.status_code == 302
    return Visit.objects.get()


def _schedule(client, lead_a, visit, agents, at_time="2026-12-02T10:00"):
    client.force_login(lead_a)
    return client.post(
        f"/visits/{visit.pk}/schedule/", {"agents": [a.pk for a in agents], "scheduled_for": at_time}
    )


def test_the_whole_visit_through_the_pages(client, at, case, alice, lead_a, fa1, fa2):
    at(2026, 12, 1, 9, 0)
    visit = _request(client, alice, case)
    assert visit.district == "朝阳区"
    client.force_login(lead_a)
    desk = client.get("/visits/desk/").content.decode()
    assert case.debtor.name in desk and "电话无人接听" in desk
    assert client.post(f"/visits/{visit.pk}/decide/", {"approve": "1", "note": ""}).status_code == 302
    assert _schedule(client, lead_a, visit, [fa1, fa2]).status_code == 302

    at(2026, 12, 2, 9, 50)
    client.force_login(fa1)
    day = client.get("/visits/today/").content.decode()
    assert "朝阳区" in day and case.debtor.name in day and "10:00" in day
    checked = client.post(f"/visits/{visit.pk}/check-in/", {"location_note": "3 号楼门口", "id_shown": "on"})
    assert checked.status_code == 302
    form = client.get(f"/visits/{visit.pk}/").content.decode()
    assert 'accept="audio/*,image/*"' in form and "capture" in form

    report = {
        "met": "debtor", "finding": "promise", "promise_amount": "1200.00", "promise_due": "2026-12-12",
        "notes": "本人承诺月中还款",
        "files": [SimpleUploadedFile("visit.m4a", M4A, content_type="audio/mp4"),
                  SimpleUploadedFile("door.jpg", JPEG, content_type="image/jpeg")],
    }  # fmt: skip
    filed = client.post(f"/visits/{visit.pk}/report/", report)
    assert filed.status_code == 302, filed.content.decode()
    assert Promise.objects.get(case=case).amount == 1200

    client.force_login(alice)  # the collector who owns the case sees the promise on it
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "1,200.00" in page and "2026-12-12" in page
    client.force_login(lead_a)
    assert client.post(f"/visits/{visit.pk}/close/").status_code == 302
    visit.refresh_from_db()
    assert visit.status == "closed"


def test_refusals_show_on_the_page_with_the_reason(client, at, case, alice, lead_a, fa1):
    at(2026, 12, 1, 9, 0)
    visit = _request(client, alice, case)
    client.force_login(lead_a)
    client.post(f"/visits/{visit.pk}/decide/", {"approve": "1"})
    one = _schedule(client, lead_a, visit, [fa1])
    assert one.status_code == 400 and "上门外访至少需要 2 名催收员" in one.content.decode()
    visit.refresh_from_db()
    assert visit.status == "approved"


def test_a_report_without_evidence_keeps_what_was_typed(client, at, case, alice, lead_a, fa1, fa2):
    at(2026, 12, 1, 9, 0)
    visit = _request(client, alice, case)
    client.force_login(lead_a)
    client.post(f"/visits/{visit.pk}/decide/", {"approve": "1"})
    _schedule(client, lead_a, visit, [fa1, fa2])
    at(2026, 12, 2, 10, 0)
    client.force_login(fa1)
    client.post(f"/visits/{visit.pk}/check-in/", {"location_note": "门口", "id_shown": "on"})
    refused = client.post(
        f"/visits/{visit.pk}/report/", {"met": "nobody", "notes": "敲门无人应答，邻居称白天上班"}
    )
    body = refused.content.decode()
    assert refused.status_code == 400 and "邻居称白天上班" in body
    assert "Add the audio or video recording" in body or "录音或录像" in body
    bad = client.post(
        f"/visits/{visit.pk}/report/",
        {"met": "nobody", "files": SimpleUploadedFile("x.jpg", PDF, content_type="image/jpeg")},
    )
    assert bad.status_code == 400 and "x.jpg" in bad.content.decode()
    photo_only = client.post(
        f"/visits/{visit.pk}/report/",
        {
            "met": "nobody",
            "notes": "门口照片",
            "files": SimpleUploadedFile("door.jpg", JPEG, content_type="image/jpeg"),
        },
    )
    body = photo_only.content.decode()
    assert photo_only.status_code == 400 and "门口照片" in body
    assert "photos alone are not enough" in body or "仅有照片" in body
    visit.refresh_from_db()
    assert visit.status == "checked_in" and visit.evidence.get().kind == "photo"  # the photo is kept


def test_an_agent_not_sent_sees_nothing_of_the_visit(client, at, case, alice, lead_a, fa1, fa2, fa3, carol):
    at(2026, 12, 1, 9, 0)
    visit = _request(client, alice, case)
    client.force_login(lead_a)
    client.post(f"/visits/{visit.pk}/decide/", {"approve": "1"})
    _schedule(client, lead_a, visit, [fa1, fa2])
    at(2026, 12, 2, 10, 0)
    for outsider in (fa3, carol):
        client.force_login(outsider)
        assert client.get(f"/visits/{visit.pk}/").status_code == 404
        assert (
            client.post(f"/visits/{visit.pk}/check-in/", {"location_note": "x", "id_shown": "on"}).status_code
            == 404
        )
    client.force_login(fa3)
    assert case.debtor.name not in client.get("/visits/today/").content.decode()
    visit.refresh_from_db()
    assert visit.status == "scheduled"
    client.force_login(fa1)  # the agent sent sees the visit but not the case file
    assert client.get(f"/visits/{visit.pk}/").status_code == 200
    assert client.get(f"/cases/{case.pk}/").status_code == 404


def test_the_requester_cannot_approve_from_the_page(client, at, case, lead_a):
    at(2026, 12, 1, 9, 0)
    client.force_login(lead_a)
    client.post(
        f"/visits/cases/{case.pk}/request/", {"address": "北京市朝阳区建国路 88 号", "reason": "核实"}
    )
    visit = Visit.objects.get()
    page = client.get(f"/visits/{visit.pk}/").content.decode()
    assert f'action="/visits/{visit.pk}/decide/"' not in page
    refused = client.post(f"/visits/{visit.pk}/decide/", {"approve": "1"})
    assert refused.status_code == 400
    visit.refresh_from_db()
    assert visit.status == "requested"
