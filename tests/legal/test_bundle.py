"""The evidence bundle: one PDF with an embedded Chinese font, holding the case facts, the whole
ledger with its totals by component (equal to the case's balances), the contact history, the
letters and the legal events."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from arrears.contacts.services import contact_attempt, contact_outcome_record
from arrears.documents.models import Document
from arrears.legal.evidence import bundle_issue
from arrears.legal.services import hearing_record, legal_cost_post, letter_record, suit_file
from tests.documents.test_certificate import embedded_fonts, text_of
from tests.legal.conftest import SHANGHAI_TZ

pytestmark = pytest.mark.django_db


@pytest.fixture
def filed(on_track, alice, lawyer, today, at):
    case = on_track
    point = case.debtor.contact_points.get(person__isnull=True)
    for minute, outcome in ((0, "no_answer"), (30, "right_party")):
        at(2026, 3, 2, 10, minute)
        record = contact_attempt(
            actor=alice, case=case, channel="call", purpose="demand", contact_point=point
        ).record
        contact_outcome_record(actor=alice, record=record, outcome=outcome, note="")
    at(2026, 3, 2, 11, 0)
    document = Document(
        case=case,
        kind="settlement_certificate",
        number="DOC-LH-7",
        issued_at=timezone.now(),
        issued_by=alice,
        sha256="0" * 64,
    )
    document.file.save("DOC-LH-7.pdf", ContentFile(b"%PDF-1.4"), save=True)
    letter_record(
        actor=lawyer,
        case=case,
        sent_on=today,
        law_firm="北京明理律师事务所",
        reference="ML-LH-0001",
        document=document,
    )
    suit = suit_file(
        actor=lawyer,
        case=case,
        court="北京市朝阳区人民法院",
        case_number="(2026)京0105民初1234号",
        filed_on=today,
    )
    hearing_record(
        actor=lawyer, suit=suit, at=dt.datetime(2026, 4, 15, 9, 30, tzinfo=SHANGHAI_TZ), note="首次开庭"
    )
    legal_cost_post(
        actor=lawyer,
        case=case,
        kind="court_fee",
        amount=Decimal("800.00"),
        incurred_on=today,
        reference="FY-001",
    )
    case.refresh_from_db()
    return case


def test_the_bundle_holds_the_ledger_totals_and_the_contact_history(filed, lawyer):
    name, pdf = bundle_issue(actor=lawyer, case=filed)
    text = text_of(pdf)
    assert name.startswith("ZJ-DHBANK-") and name.endswith(".pdf")
    assert "证据材料" in text and "目录" in text.replace(" ", "")
    # The ledger: every entry, and the totals by component, equal to the case's balances.
    assert filed.total == Decimal("5925.00")
    for figure in ("¥5,000.00", "¥100.00", "¥25.00", "¥800.00", "¥5,925.00"):
        assert figure in text, figure
    assert "账务记录合计与案件当前余额一致" in text
    assert "期初余额" in text and "FY-001" in text
    # The contact history: both calls, their time, outcome and collector.
    assert "2026-03-02 10:00" in text and "2026-03-02 10:30" in text
    assert "无人接听" in text and "本人接听" in text and "alice" in text
    # Letters and legal events.
    assert "DOC-LH-7" in text and "ML-LH-0001" in text
    assert "(2026)京0105民初1234号" in text and "首次开庭" in text
    assert filed.debtor.name in text and filed.debtor.id_masked in text
    assert any("NotoSerifCJKSC" in font for font in embedded_fonts(pdf))
    assert filed.events.filter(kind="legal.bundle").exists()


def test_the_index_gives_each_section_its_page(filed, lawyer):
    _name, pdf = bundle_issue(actor=lawyer, case=filed)
    reader = PdfReader(io.BytesIO(pdf))
    index = reader.pages[1].extract_text().replace("\x00", "")
    for section in (
        "一、案件基本情况",
        "二、账务明细",
        "三、催收联系记录",
        "四、已发函件",
        "五、法律程序记录",
    ):
        assert section in index
        # The page the index names is the page the section starts on.
        page = int(index.split(section, 1)[1].split("第", 1)[1].split("页", 1)[0])
        assert section in reader.pages[page - 1].extract_text().replace("\x00", "")


def test_a_collector_may_not_make_the_bundle_and_others_do_not_see_it(client, filed, alice, carol, lawyer):
    url = reverse("legal:bundle", args=[filed.pk])
    client.force_login(alice)
    assert client.get(url).status_code == 403
    client.force_login(carol)
    assert client.get(url).status_code == 404
    client.force_login(lawyer)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
