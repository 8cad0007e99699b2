"""Letters for a case: each kind rendered with the ledger's amounts and an embedded font, refused
without its facts, screened by the guard through contact_attempt; batch mailing with a merged PDF
and a register; dispatch and delivery."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
import python_calamine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from pypdf import PdfReader

from arrears.compliance.models import ContactDecision
from arrears.contacts.models import ContactRecord
from arrears.documents.kinds import KINDS
from arrears.documents.letter_services import (
    LetterRefused,
    dispatch_record,
    law_firm_save,
    letter_issue,
    letter_template_save,
    letterhead_save,
    mailing_create,
    register_import,
)
from arrears.documents.models import Dispatch, Document, LetterTemplate
from arrears.payments.models import LedgerEntry
from tests.conftest import make_case
from tests.documents.test_certificate import embedded_fonts, text_of

pytestmark = pytest.mark.django_db

HEAD = {
    "phone": "400-820-8888",
    "address": "武汉市东湖高新区光谷大道1号",
    "check_how": "拨打客服电话或登录手机银行查询账单",
    "repay_how": "通过手机银行、柜台或转账至本人信用卡账户还款",
    "dispute_how": "拨打客服电话或书面致函上述地址提出，我们在15个工作日内答复",
    "locate_phone": "010-6500-1234",
}


@pytest.fixture
def letterhead(creditor, manager):
    return letterhead_save(actor=manager, creditor=creditor, **HEAD)


@pytest.fixture
def firm(manager):
    return law_firm_save(
        actor=manager,
        name="湖北明德律师事务所",
        licence_number="31420000123456789X",
        address="武汉市江汉区建设大道100号",
        phone="027-8588-0000",
        lawyers="王律, 李明",
    )


@pytest.fixture
def case(placement, alice, at):
    at(2026, 11, 30, 10, 0)
    case = make_case(placement, collector=alice)  # 5,000 + 100 interest + 25 late fee
    # A fee booked on the ledger: the letter states it from the ledger, component by component.
    LedgerEntry.objects.create(
        case=case,
        kind="fee",
        component="fees",
        amount=Decimal("15.50"),
        on=dt.date(2026, 11, 20),
        created_at=case.created_at,
    )
    type(case).objects.filter(pk=case.pk).update(other_fees=Decimal("15.50"), total=Decimal("5140.50"))
    case.refresh_from_db()
    return case


def _pdf(document: Document) -> bytes:
    with document.file.open("rb") as fh:
        return fh.read()


def read_xlsx(field) -> list[dict]:
    """The register read back with what is installed (calamine), as a list of row dicts."""
    with field.open("rb") as fh:
        rows = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(fh.read())).get_sheet_by_index(0)
        rows = rows.to_python()
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_demand_letter_states_every_required_element_and_the_ledger(case, alice, letterhead):
    document = letter_issue(actor=alice, case=case, kind="demand_letter")
    pdf = _pdf(document)
    text = text_of(pdf)
    for needle in (
        "催收函",
        case.debtor.name,
        case.debtor.id_masked,
        case.account_number[-4:],
        "东湖银行信用卡中心",
        "¥5,000.00",
        "¥100.00",
        "¥25.00",
        "¥15.50",
        "¥5,140.50",
        "民法典",
        "您的权利",
        "异议",
        HEAD["phone"],
        HEAD["address"],
        HEAD["repay_how"],
        HEAD["check_how"],
        document.number,
        "2026年12月15日",
    ):
        assert needle in text, needle
    assert any("NotoSerifCJKSC" in name for name in embedded_fonts(pdf))
    dispatch = document.dispatch
    assert (
        dispatch.kind == "demand_letter"
        and dispatch.to_debtor
        and dispatch.address == case.debtor.home_address
    )
    # The letter went through the choke point: one allowed decision, one pending letter attempt.
    assert ContactDecision.objects.get(case=case).allowed
    assert ContactRecord.objects.get(case=case).channel == "letter"


def test_lawyer_letter_names_the_firm_and_its_lawyers(case, alice, letterhead, firm):
    document = letter_issue(actor=alice, case=case, kind="lawyer_letter", law_firm=firm)
    text = text_of(_pdf(document))
    for needle in (
        "律师函",
        "湖北明德律师事务所",
        "31420000123456789X",
        "王律、李明",
        "027-8588-0000",
        "¥5,140.50",
    ):
        assert needle in text, needle
    with pytest.raises(ValidationError):
        letter_issue(actor=alice, case=case, kind="lawyer_letter")  # no firm chosen


def test_plan_agreement_has_the_schedule_of_the_active_plan(case, alice, letterhead):
    from arrears.payments.plans import plan_propose

    plan = plan_propose(
        actor=alice, case=case, down_payment=Decimal("500.00"), months=6, first_due=dt.date(2026, 12, 5)
    )
    plan.refresh_from_db()
    assert plan.status == "active"
    document = letter_issue(actor=alice, case=case, kind="plan_agreement")
    text = text_of(_pdf(document))
    assert "分期还款协议" in text and "首付" in text and "第6期" in text
    for instalment in plan.instalments.all():
        assert f"¥{instalment.amount:,.2f}" in text
    assert "¥5,140.50" in text  # owed when agreed


def test_plan_agreement_without_a_plan_names_what_is_missing(case, alice, letterhead):
    with pytest.raises(ValidationError) as refused:
        letter_issue(actor=alice, case=case, kind="plan_agreement")
    assert "还款计划表" in str(refused.value) and "schedule" in str(refused.value)
    assert not Document.objects.exists()


def test_credit_notice_tells_before_reporting(case, alice, letterhead):
    text = text_of(_pdf(letter_issue(actor=alice, case=case, kind="credit_notice")))
    assert (
        "征信上报告知书" in text
        and "征信业管理条例" in text
        and "¥5,140.50" in text
        and "2026年12月15日" in text
    )


def test_without_a_letterhead_the_letter_is_refused_naming_the_missing_facts(case, alice):
    with pytest.raises(ValidationError) as refused:
        letter_issue(actor=alice, case=case, kind="demand_letter")
    message = str(refused.value)
    assert "委托方联系电话" in message and "issuer_phone" in message and "dispute_how" in message
    assert not Document.objects.exists() and not ContactRecord.objects.exists()


@pytest.fixture
def lost(case):
    type(case).objects.filter(pk=case.pk).update(status="lost_contact")
    case.refresh_from_db()
    return case


def test_locate_letter_to_a_contact_carries_nothing_about_the_debt(lost, alice, letterhead):
    person = lost.debtor.contact_persons.get()
    document = letter_issue(
        actor=alice,
        case=lost,
        kind="locate_letter",
        contact_person=person,
        address="上海市浦东新区世纪大道 1 号",
    )
    text = text_of(_pdf(document))
    assert "李娜" in text and lost.debtor.name in text and HEAD["locate_phone"] in text
    for leak in ("¥", "欠款", "银行", "信用卡", "逾期", lost.creditor.name, lost.account_number[-4:]):
        assert leak not in text, leak
    assert document.dispatch.addressee == "李娜" and not document.dispatch.to_debtor


def test_a_locate_letter_whose_text_would_contain_an_amount_is_refused(lost, alice, letterhead, manager):
    person = lost.debtor.contact_persons.get()
    with pytest.raises(ValidationError):  # refused when saved
        letter_template_save(
            actor=manager,
            creditor=lost.creditor,
            kind="locate_letter",
            body="请转告{debtor_name}尽快处理5,140.50元。",
        )
    # A wording that reached the database some other way is refused again by the guard when sent.
    LetterTemplate.objects.create(
        creditor=lost.creditor,
        kind="locate_letter",
        version=1,
        saved_by=manager,
        saved_at=lost.created_at,
        body="请转告{debtor_name}：¥5,140.50 待处理。",
    )
    with pytest.raises(LetterRefused) as refused:
        letter_issue(actor=alice, case=lost, kind="locate_letter", contact_person=person, address="上海市")
    assert any("5,140.50" in r for r in refused.value.reasons)
    assert not Document.objects.exists()
    assert ContactDecision.objects.get(case=lost).allowed is False
    assert not ContactRecord.objects.exists()


def test_a_demand_letter_is_refused_during_a_dispute_and_the_refusal_is_kept(case, alice, letterhead):
    type(case).objects.filter(pk=case.pk).update(status="disputed")
    with pytest.raises(LetterRefused) as refused:
        letter_issue(actor=alice, case=case, kind="demand_letter")
    assert refused.value.reasons
    assert ContactDecision.objects.filter(case=case, allowed=False, channel="letter").exists()
    assert not Document.objects.exists()


def test_creditor_wording_is_versioned_screened_and_keeps_the_fixed_parts(case, alice, letterhead, manager):
    with pytest.raises(ValidationError):
        letter_template_save(
            actor=manager, creditor=case.creditor, kind="demand_letter", body="老赖，尽快还钱。"
        )
    with pytest.raises(ValidationError):
        letter_template_save(actor=manager, creditor=case.creditor, kind="demand_letter", body="{password}")
    with pytest.raises(PermissionDenied):  # a collector may not reword letters
        letter_template_save(actor=alice, creditor=case.creditor, kind="demand_letter", body="您好。")
    letter_template_save(actor=manager, creditor=case.creditor, kind="demand_letter", body="第一版。")
    saved = letter_template_save(
        actor=manager,
        creditor=case.creditor,
        kind="demand_letter",
        body="尊敬的{debtor_name}：\n\n截至{as_of}您共欠{total}，请于{reply_by}前处理。",
    )
    assert saved.version == 2
    text = text_of(_pdf(letter_issue(actor=alice, case=case, kind="demand_letter")))
    assert "截至2026年11月30日您共欠¥5,140.50，请于2026年12月15日前处理" in text and "第一版" not in text
    assert "您的权利" in text and "¥15.50" in text and HEAD["phone"] in text  # the fixed parts stay


@pytest.fixture
def cases(placement, alice, bob, at):
    at(2026, 11, 30, 10, 0)
    return [
        make_case(placement, collector=alice),
        make_case(placement, collector=bob),
        make_case(placement, collector=alice),
    ]


def test_batch_mailing_merges_the_letters_and_writes_the_register(cases, lead_a, letterhead):
    from arrears.core.access import restrict

    type(cases[1]).objects.filter(pk=cases[1].pk).update(status="disputed")  # the guard refuses this one
    scope = restrict(type(cases[0]).objects.all(), lead_a)
    result = mailing_create(actor=lead_a, cases=scope, kind="demand_letter")
    mailing = result.mailing
    assert len(result.issued) == 2 and [r["case"] for r in result.refused] == [cases[1].pk]
    assert result.refused[0]["reasons"]
    with mailing.letters.open("rb") as fh:
        merged = PdfReader(io.BytesIO(fh.read()))
    pages = sum(len(PdfReader(io.BytesIO(_pdf(d))).pages) for d in result.issued)
    assert len(merged.pages) == pages
    merged_text = "".join(p.extract_text() for p in merged.pages).replace("\x00", "")
    assert all(d.number in merged_text for d in result.issued)
    register = read_xlsx(mailing.register)
    assert list(register[0])[:8] == [
        "序号",
        "文书编号",
        "案件账号",
        "收件人",
        "收件地址",
        "信函类型",
        "页数",
        "快递单号",
    ]
    assert [r["文书编号"] for r in register] == [d.number for d in result.issued]
    assert [r["案件账号"] for r in register] == [cases[0].account_number, cases[2].account_number]
    assert [r["页数"] for r in register] == [len(PdfReader(io.BytesIO(_pdf(d))).pages) for d in result.issued]
    assert register[0]["收件人"] == cases[0].debtor.name and register[0]["信函类型"] == "催收函"
    assert set(Dispatch.objects.values_list("mailing", flat=True)) == {mailing.pk}


def _filled_register(mailing, tracking: dict[str, str], sent: str = "2026-11-30") -> bytes:
    import xlsxwriter

    rows = read_xlsx(mailing.register)
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet()
    headers = list(rows[0])
    sheet.write_row(0, 0, headers)
    for i, row in enumerate(rows, start=1):
        row["快递单号"] = tracking.get(row["文书编号"], "")
        row["寄出日期"] = sent
        sheet.write_row(i, 0, [("" if row[h] is None else row[h]) for h in headers])
    book.close()
    return out.getvalue()


def test_tracking_numbers_come_back_with_the_register_and_delivery_is_recorded(cases, lead_a, letterhead, at):
    from arrears.core.access import restrict

    result = mailing_create(
        actor=lead_a, cases=restrict(type(cases[0]).objects.all(), lead_a), kind="demand_letter"
    )
    first, second, third = result.issued
    bad = _filled_register(result.mailing, {first.number: "SF100"}, sent="明天")
    with pytest.raises(ValidationError) as refused:
        register_import(actor=lead_a, mailing=result.mailing, data=bad, filename="register.xlsx")
    assert "第 2 行" in str(refused.value)
    assert not Dispatch.objects.exclude(tracking_number="").exists()  # nothing half-applied
    good = _filled_register(result.mailing, {first.number: "SF100", second.number: "EMS200"})
    assert register_import(actor=lead_a, mailing=result.mailing, data=good, filename="register.xlsx") == 2
    d1 = Dispatch.objects.get(document=first)
    assert d1.tracking_number == "SF100" and d1.sent_on == dt.date(2026, 11, 30) and d1.state == "sent"
    assert ContactRecord.objects.get(pk=d1.contact_record_id).outcome == "sent"
    assert Dispatch.objects.get(document=third).state == "printed"

    at(2026, 12, 3, 9, 0)
    with pytest.raises(ValidationError):
        dispatch_record(actor=lead_a, dispatch=d1, delivered_on=dt.date(2026, 12, 9))  # in the future
    dispatch_record(actor=lead_a, dispatch=d1, delivered_on=dt.date(2026, 12, 2))
    d1.refresh_from_db()
    assert d1.state == "delivered" and d1.delivered_on == dt.date(2026, 12, 2)
    event = d1.case.events.get(kind="letter.delivered")
    assert event.data["interrupts_limitation"] is True and event.data["delivered_on"] == "2026-12-02"
    d2 = Dispatch.objects.get(document=second)
    dispatch_record(actor=lead_a, dispatch=d2, returned_reason="查无此人")
    d2.refresh_from_db()
    assert d2.state == "returned"
    # The nightly run's question, in one query: the latest delivered demand per case.
    from django.db.models import Max

    demands = [k for k, spec in KINDS.items() if spec.interrupts_limitation]
    latest = dict(
        Dispatch.objects.filter(kind__in=demands, to_debtor=True, delivered_on__isnull=False)
        .values("case")
        .annotate(last=Max("delivered_on"))
        .values_list("case", "last")
    )
    assert latest == {first.case_id: dt.date(2026, 12, 2)}


def test_letters_from_the_case_page(client, case, alice, letterhead, carol):
    client.force_login(alice)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("documents:letter", args=[case.pk]) in page
    url = reverse("documents:letter", args=[case.pk])
    asked = client.get(url, {"kind": "demand_letter"}).content.decode()
    assert case.debtor.home_address in asked and not Document.objects.exists()  # asking prints nothing
    response = client.post(reverse("documents:letter", args=[case.pk]), {"kind": "demand_letter"})
    document = Document.objects.get()
    assert response.url == reverse("documents:file", args=[document.pk])
    refused = client.post(
        reverse("documents:letter", args=[case.pk]), {"kind": "plan_agreement"}, follow=True
    )
    assert "schedule" in refused.content.decode() and Document.objects.count() == 1
    client.force_login(carol)
    assert (
        client.post(reverse("documents:letter", args=[case.pk]), {"kind": "demand_letter"}).status_code == 404
    )


def test_pages_for_mailing_law_firms_and_wording(client, cases, manager, lead_a, alice, creditor):
    client.force_login(manager)
    firm = client.post(
        reverse("documents:law_firms"),
        {"name": "湖北明德律师事务所", "licence_number": "3142", "address": "武汉市", "phone": "027-1",
         "lawyers": "王律，李明", "active": "on"},
    )  # fmt: skip
    assert firm.status_code == 302
    settings_url = reverse("documents:letter_settings", args=[creditor.pk])
    assert client.get(settings_url).status_code == 200
    assert client.post(settings_url, {"letterhead": "1", **HEAD, "reply_days": 15}).status_code == 302
    refused = client.post(settings_url, {"template": "1", "kind": "demand_letter", "body": "老赖快还钱"})
    assert refused.status_code == 200 and not LetterTemplate.objects.exists()
    client.force_login(lead_a)
    accounts = "\n".join(c.account_number for c in cases[:2])
    made = client.post(reverse("documents:mailings"), {"kind": "demand_letter", "accounts": accounts})
    mailing = Dispatch.objects.first().mailing
    assert made.url == reverse("documents:mailing", args=[mailing.pk]) and mailing.dispatches.count() == 2
    page = client.get(made.url).content.decode()
    assert all(d.document.number in page for d in mailing.dispatches.all())
    register = client.get(reverse("documents:mailing_file", args=[mailing.pk, "register"]))
    assert b"".join(register.streaming_content).startswith(b"PK")
    first = mailing.dispatches.order_by("id").first()
    client.post(
        reverse("documents:dispatch", args=[first.pk]), {"sent_on": "2026-11-30", "tracking_number": "SF1"}
    )
    first.refresh_from_db()
    assert first.tracking_number == "SF1" and first.state == "sent"
    client.force_login(alice)  # a collector prints no batches and records no deliveries
    assert client.get(reverse("documents:mailings")).status_code == 403
    assert client.post(
        reverse("documents:dispatch", args=[first.pk]), {"delivered_on": "2026-11-30"}
    ).status_code in (
        403,
        404,
    )
