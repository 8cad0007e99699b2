"""Creditor products carry the money rules: the waterfall a payment follows and the longest plan."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from arrears.cases.models import Case
from arrears.creditors.models import Product
from arrears.creditors.selectors import rules_for
from arrears.creditors.services import product_save
from arrears.money.fees import ProductRules
from arrears.payments.plans import plan_propose
from arrears.payments.services import payment_post
from tests.conftest import make_case

pytestmark = pytest.mark.django_db

LEGAL_ORDER = ["legal_costs", "interest", "principal", "late_fee", "fees"]


def card(manager, creditor, code: str, **rules):
    return product_save(actor=manager, creditor=creditor, code=code, product_type="credit_card", **rules)


def test_a_product_must_name_every_component_once(manager, creditor):
    with pytest.raises(ValidationError, match="waterfall"):
        product_save(actor=manager, creditor=creditor, code="卡A", product_type="credit_card",
                     waterfall=["principal", "interest"])  # fmt: skip
    with pytest.raises(ValidationError):
        card(manager, creditor, "卡A", max_plan_months=90)
    assert not Product.objects.exists()


def test_only_one_default_product_per_type(manager, creditor):
    card(manager, creditor, "卡A", is_default=True)
    with pytest.raises(ValidationError):
        card(manager, creditor, "卡B", is_default=True)


def test_the_named_product_wins_over_the_default_which_wins_over_the_defaults(manager, creditor, placement):
    case = make_case(placement)
    assert rules_for(case) == ProductRules()
    product_save(actor=manager, creditor=creditor, code="标准卡", product_type="credit_card", is_default=True,
                 max_plan_months=36)  # fmt: skip
    assert rules_for(case).max_plan_months == 36
    card(manager, creditor, "白金卡", max_plan_months=24)
    Case.objects.filter(pk=case.pk).update(product="白金卡")
    case.refresh_from_db()
    assert rules_for(case).max_plan_months == 24


def test_a_payment_follows_the_products_waterfall(manager, creditor, placement):
    product_save(actor=manager, creditor=creditor, code="诉讼卡", product_type="credit_card",
                 waterfall=LEGAL_ORDER)  # fmt: skip
    case = make_case(placement)  # principal 5000, interest 100, late fee 25
    Case.objects.filter(pk=case.pk).update(product="诉讼卡")
    payment_post(actor=manager, case=case, amount=Decimal("150.00"), paid_on=dt.date(2026, 11, 20),
                 channel="alipay", reference="W-1")  # fmt: skip
    case.refresh_from_db()
    # interest first (100), then principal (50); the late fee, later in this order, is untouched.
    assert (case.interest, case.principal) == (Decimal("0.00"), Decimal("4950.00"))
    assert case.late_fee == Decimal("25.00")


def test_a_plan_longer_than_the_product_allows_is_refused(manager, alice, creditor, placement):
    product_save(actor=manager, creditor=creditor, code="短期贷", product_type="credit_card", is_default=True,
                 max_plan_months=12)  # fmt: skip
    case = make_case(placement, collector=alice)
    with pytest.raises(ValidationError, match="12"):
        plan_propose(actor=alice, case=case, down_payment=Decimal("0"), months=18,
                     first_due=dt.date(2099, 1, 5))  # fmt: skip


def test_the_products_page(client, manager, alice, creditor):
    client.force_login(alice)
    assert client.get(reverse("creditors:products", args=[creditor.pk])).status_code in (403, 404)
    client.force_login(manager)
    data = {
        "code": "标准信用卡", "product_type": "credit_card", "is_default": "on", "daily_rate": "0.0005",
        "statement_day_included": "on", "late_fee_rate": "0.05", "penalty_multiple": "1.5",
        "waterfall": "legal_costs, fees, late_fee, interest, principal", "max_plan_months": "60",
        "apr_ceiling": "0.24",
    }  # fmt: skip
    assert client.post(reverse("creditors:products", args=[creditor.pk]), data).status_code == 302
    product = Product.objects.get()
    assert product.waterfall == ["legal_costs", "fees", "late_fee", "interest", "principal"]
    bad = client.post(
        reverse("creditors:product_edit", args=[creditor.pk, product.pk]), {**data, "waterfall": "principal"}
    )
    assert bad.status_code == 200 and "waterfall" in bad.content.decode()
