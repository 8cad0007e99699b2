"""The pages of the legal track, driven as people use them: propose from the case, decide on the
desk, record on the case's legal page; bad input comes back with the reason and what was typed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from arrears.legal.models import Escalation, LegalCost, Suit
from arrears.legal.services import hearing_record, suit_file
from tests.conftest import make_case
from tests.legal.conftest import SHANGHAI_TZ, with_limitation

pytestmark = pytest.mark.django_db


def test_propose_from_the_case_decide_on_the_desk(client, live_case, alice, lawyer):
    client.force_login(alice)
    case_page = client.get(reverse("cases:detail", args=[live_case.pk])).content.decode()
    assert reverse("legal:case", args=[live_case.pk]) in case_page
    response = client.post(
        reverse("legal:propose", args=[live_case.pk]), {"propose-reason": "三次承诺未履行"}
    )
    assert response.status_code == 302
    escalation = Escalation.objects.get()
    client.force_login(lawyer)
    desk = client.get(reverse("legal:desk")).content.decode()
    assert "三次承诺未履行" in desk and live_case.debtor.name in desk
    client.post(reverse("legal:decide", args=[escalation.pk]), {"note": "同意起诉", "approve": "1"})
    escalation.refresh_from_db()
    assert escalation.status == "approved" and escalation.decided_by == lawyer
    client.force_login(alice)
    case_page = client.get(reverse("cases:detail", args=[live_case.pk])).content.decode()
    assert 'id="legal-flag"' in case_page and "法务程序中" in case_page


def test_a_time_barred_proposal_comes_back_with_the_date_and_the_reason_typed(
    client, placement, alice, today
):
    case = with_limitation(make_case(placement, collector=alice), dt.date(2025, 12, 31))
    client.force_login(alice)
    response = client.post(reverse("legal:propose", args=[case.pk]), {"propose-reason": "拒不还款，建议起诉"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "2025-12-31" in body and "拒不还款，建议起诉" in body
    assert not Escalation.objects.exists()


def test_bad_decision_input_keeps_the_note(client, live_case, alice, lawyer):
    from arrears.legal.services import escalation_propose

    Escalation.objects.all().delete()
    escalation = escalation_propose(actor=alice, case=live_case, reason="x")
    from arrears.cases.models import Case

    Case.objects.filter(pk=live_case.pk).update(limitation_on=None)  # approval needs a known date
    client.force_login(lawyer)
    response = client.post(
        reverse("legal:decide", args=[escalation.pk]), {"note": "我的意见", "approve": "1"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "我的意见" in body and ("nightly run" in body or "日终批处理" in body)


def test_legal_records_from_its_page(client, on_track, lawyer, today):
    client.force_login(lawyer)
    page = reverse("legal:case", args=[on_track.pk])
    assert client.get(page).status_code == 200
    client.post(
        reverse("legal:suit", args=[on_track.pk]),
        {
            "suit-court": "北京市朝阳区人民法院",
            "suit-case_number": "(2026)京0105民初7号",
            "suit-filed_on": "2026-03-01",
        },
    )
    suit = Suit.objects.get()
    client.post(
        reverse("legal:hearing", args=[suit.pk]),
        {f"hearing-{suit.pk}-at": "2026-04-01T09:30", f"hearing-{suit.pk}-note": ""},
    )
    client.post(
        reverse("legal:cost", args=[on_track.pk]),
        {
            "cost-kind": "court_fee",
            "cost-amount": "650.00",
            "cost-incurred_on": "2026-03-01",
            "cost-reference": "FY-77",
        },
    )
    on_track.refresh_from_db()
    assert suit.hearings.count() == 1 and on_track.legal_costs == Decimal("650.00")
    body = client.get(page).content.decode()
    assert "(2026)京0105民初7号" in body and "FY-77" in body and "2026-04-01 09:30" in body
    # The same receipt again: refused next to the field, everything typed still there, nothing booked.
    again = client.post(
        reverse("legal:cost", args=[on_track.pk]),
        {
            "cost-kind": "court_fee",
            "cost-amount": "650.00",
            "cost-incurred_on": "2026-03-01",
            "cost-reference": "FY-77",
        },
    )
    assert again.status_code == 400 and 'value="650.00"' in again.content.decode()
    assert LegalCost.objects.count() == 1


def test_the_desk_lists_cases_by_their_next_hearing(client, on_track, lawyer, placement, alice, today):
    suit = suit_file(actor=lawyer, case=on_track, court="某法院", case_number="A-1", filed_on=today)
    hearing_record(actor=lawyer, suit=suit, at=dt.datetime(2026, 5, 6, 14, 0, tzinfo=SHANGHAI_TZ))
    hearing_record(actor=lawyer, suit=suit, at=dt.datetime(2026, 2, 1, 9, 0, tzinfo=SHANGHAI_TZ))  # held
    client.force_login(lawyer)
    desk = client.get(reverse("legal:desk")).content.decode()
    assert "2026-05-06 14:00" in desk and "2026-02-01 09:00" not in desk


def test_collectors_do_not_see_the_desk_and_forms_are_for_legal(client, on_track, alice):
    client.force_login(alice)
    assert client.get(reverse("legal:desk")).status_code == 403
    assert (
        client.post(
            reverse("legal:suit", args=[on_track.pk]),
            {"suit-court": "x", "suit-case_number": "y", "suit-filed_on": "2026-03-01"},
        ).status_code
        == 403
    )
    assert not Suit.objects.exists()


def test_a_suit_on_a_case_disputed_since_its_approval_comes_back_with_the_reason(
    client, on_track, alice, lawyer, today
):
    from arrears.complaints.services import dispute_open

    dispute_open(actor=alice, case=on_track, reason="债务人对金额有异议")
    client.force_login(lawyer)
    response = client.post(
        reverse("legal:suit", args=[on_track.pk]),
        {
            "suit-court": "北京市朝阳区人民法院",
            "suit-case_number": "(2026)京0105民初8号",
            "suit-filed_on": "2026-03-01",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400 and "(2026)京0105民初8号" in body
    assert "异议处理完毕前不得发律师函、起诉或计入法律费用" in body
    assert not Suit.objects.exists()


def test_the_desk_lists_what_the_strategy_sends_for_review_until_it_is_proposed(
    client, live_case, alice, lawyer, today
):
    from arrears.batch.models import Task
    from arrears.legal.services import escalation_propose

    Task.objects.create(
        case=live_case, due_on=today, kind="legal_review", treatment="pre_legal", status="open"
    )
    client.force_login(lawyer)
    section = client.get(reverse("legal:desk")).content.decode().split("由催收策略提交法务评估")[1]
    assert live_case.account_number in section.split("</section>")[0]
    escalation_propose(actor=alice, case=live_case, reason="策略建议转法务，复核后提请")
    section = client.get(reverse("legal:desk")).content.decode().split("由催收策略提交法务评估")[1]
    assert live_case.account_number not in section.split("</section>")[0]
