"""A bank's payment file: matched rows are posted once, the rest kept in suspense, bad rows reported."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from arrears.payments.importer import payments_import, suspense_resolve
from arrears.payments.models import Payment, SuspenseItem
from tests.conftest import make_case, make_user
from tests.intake._factory import xlsx_bytes

pytestmark = pytest.mark.django_db
HEADER = ["交易日期", "卡号", "身份证号", "还款金额", "交易流水号", "渠道"]


@pytest.fixture
def finance(org):
    return make_user("finance", "finance", org)


def test_payment_file_posts_matches_once_and_keeps_the_rest(org, placement, finance):
    by_account = make_case(placement, account="6222000011110001")
    by_id = make_case(placement, account="6222000011110002")
    number = by_id.debtor.reveal_id_number()
    rows = [
        ["银行回款明细 2026-11-20"],
        HEADER,
        ["2026-11-20", "6222000011110001", "", "¥150.00", "T0001", "支付宝"],
        ["2026/11/20", "", number.lower(), "80", "T0002", "银行转账"],
        ["2026-11-20", "9999888877776666", "", "99.00", "T0003", ""],  # nobody: suspense
        ["2026-11-20", "6222000011110001", "", "-5", "T0004", ""],  # bad amount: rejected
    ]
    data = xlsx_bytes(rows)
    first = payments_import(actor=finance, organisation=org, data=data, filename="回款.xlsx").as_json()
    assert (first["posted"], first["suspense"], first["rejected"]) == (2, 1, 1)
    assert [(e["row"], e["code"]) for e in first["errors"]] == [(6, "amount_negative")]
    by_account.refresh_from_db()
    by_id.refresh_from_db()
    assert by_account.total == Decimal("5125.00") - Decimal("150.00")
    assert Payment.objects.get(reference="T0002").case == by_id
    item = SuspenseItem.objects.get()
    assert (item.reference, item.amount, item.status) == ("T0003", Decimal("99.00"), "open")

    again = payments_import(actor=finance, organisation=org, data=data, filename="回款.xlsx").as_json()
    assert (again["posted"], again["already_posted"], again["suspense"]) == (0, 2, 1)
    assert Payment.objects.count() == 2 and SuspenseItem.objects.count() == 1

    payment = suspense_resolve(actor=finance, item=item, case=by_account)
    item.refresh_from_db()
    assert item.status == "resolved" and item.payment == payment and payment.case == by_account


def test_several_matching_cases_go_to_suspense(org, placement, finance, creditor):
    from arrears.creditors.models import Placement

    other = Placement.objects.create(
        creditor=creditor,
        organisation=org,
        name="第二批",
        entrusted_on=dt.date(2026, 11, 1),
        return_on=dt.date(2027, 1, 31),
        product_type="credit_card",
    )
    make_case(placement, account="6222000011119999")
    make_case(other, account="6222000011119999")
    data = xlsx_bytes([HEADER, ["2026-11-20", "6222000011119999", "", "10", "T9", ""]])
    result = payments_import(actor=finance, organisation=org, data=data, filename="f.xlsx")
    assert (result.posted, result.suspense) == (0, 1)
    assert "多个" in SuspenseItem.objects.get().reason


def test_only_finance_of_the_organisation_imports_payments(org, other_org, alice, finance):
    data = xlsx_bytes([HEADER])
    with pytest.raises(PermissionDenied):
        payments_import(actor=alice, organisation=org, data=data, filename="f.xlsx")
    with pytest.raises(PermissionDenied):
        payments_import(actor=finance, organisation=other_org, data=data, filename="f.xlsx")


def test_a_large_file_is_matched_in_a_few_queries(org, placement, finance, django_assert_max_num_queries):
    rows = [HEADER] + [["2026-11-20", f"99998888{n:08d}", "", "10.00", f"U{n}", ""] for n in range(40)]
    with django_assert_max_num_queries(8):
        result = payments_import(actor=finance, organisation=org, data=xlsx_bytes(rows), filename="f.xlsx")
    assert result.suspense == 40 and SuspenseItem.objects.count() == 40
