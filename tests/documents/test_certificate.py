"""The settlement certificate of a settled case: a real PDF with an embedded Chinese font and the
ledger's figures, issued once, readable only by those who see the case."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from arrears.documents.models import Document
from arrears.documents.services import certificate_issue
from arrears.payments.services import payment_post
from arrears.payments.settlements import waiver_decide, waiver_request
from tests.conftest import make_case, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def settled(placement, alice, manager, org):
    case = make_case(placement, collector=alice)  # 5,125.00 owed
    request = waiver_request(
        actor=alice, case=case, kind="settlement", reason="失业，家属代为筹款",
        settle_amount=Decimal("3000.00"), due_on=timezone.localdate() + dt.timedelta(days=10),
    )  # fmt: skip
    waiver_decide(actor=manager, request=request, approve=True)
    payment_post(actor=make_user("fin", "finance", org), case=case, amount=Decimal("3000.00"),
                 paid_on=timezone.localdate(), channel="alipay", reference="JQ-1")  # fmt: skip
    case.refresh_from_db()
    assert case.status == "settled"
    return case


def text_of(pdf: bytes) -> str:
    # pypdf reads this CID font's two-byte codes with a NUL before each character; drop them.
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).replace("\x00", "")


def embedded_fonts(pdf: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            if any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                names.add(str(font["/BaseFont"]))
    return names


def test_the_certificate_states_the_ledger_and_embeds_its_font(settled, alice):
    document = certificate_issue(actor=alice, case=settled)
    pdf = document.file.read()
    text = text_of(pdf)
    assert "结清证明" in text and settled.debtor.name in text and settled.debtor.id_masked in text
    assert "¥5,125.00" in text and "¥3,000.00" in text and "¥2,125.00" in text and "¥0.00" in text
    assert document.number in text
    assert any("NotoSerifCJKSC" in name for name in embedded_fonts(pdf))
    assert settled.events.filter(kind="document.issued").exists()


def test_asking_again_returns_the_same_certificate(settled, alice, lead_a):
    first = certificate_issue(actor=alice, case=settled)
    again = certificate_issue(actor=lead_a, case=settled)
    assert again.pk == first.pk and Document.objects.count() == 1


def test_no_certificate_while_anything_is_owed(placement, alice):
    with pytest.raises(ValidationError):
        certificate_issue(actor=alice, case=make_case(placement, collector=alice))


def test_from_the_case_page_and_only_for_those_who_see_the_case(client, settled, alice, carol):
    client.force_login(alice)
    page = client.get(reverse("cases:detail", args=[settled.pk])).content.decode()
    assert reverse("documents:certificate", args=[settled.pk]) in page
    issued = client.post(reverse("documents:certificate", args=[settled.pk]))
    document = Document.objects.get()
    assert issued.url == reverse("documents:file", args=[document.pk])
    response = client.get(issued.url)
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(carol)  # another team's collector
    assert client.get(issued.url).status_code == 404
    assert client.post(reverse("documents:certificate", args=[settled.pk])).status_code == 404


def test_a_case_paid_in_full_gets_its_certificate_and_loses_it_when_the_payment_is_reversed(
    placement, alice, org
):
    from arrears.payments.services import payment_reverse

    finance = make_user("fin2", "finance", org)
    case = make_case(placement, collector=alice)
    posted = payment_post(actor=finance, case=case, amount=Decimal("5125.00"), paid_on=timezone.localdate(),
                          channel="bank_transfer", reference="FULL-1")  # fmt: skip
    case.refresh_from_db()
    assert case.status == "paid"
    document = certificate_issue(actor=alice, case=case)
    assert "您已足额还款人民币¥5,125.00" in text_of(document.file.read())
    payment_reverse(actor=finance, payment=posted.payment, reason="银行退票")
    case.refresh_from_db()
    assert case.status == "in_progress" and case.total == Decimal("5125.00")
    with pytest.raises(ValidationError):
        certificate_issue(actor=alice, case=case)
