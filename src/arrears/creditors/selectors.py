"""Reads about creditors that services share: the money rules that govern a case."""

from __future__ import annotations

from django.db.models import Case as Choose
from django.db.models import Q, Value, When

from arrears.creditors.models import Product
from arrears.money.fees import ProductRules


def rules_for(case) -> ProductRules:
    """The product rules of ``case``: the creditor's product its file names, else the creditor's
    default product of the placement's type, else the domain defaults. One query."""
    named = Q(code=case.product) if case.product else Q(pk__in=[])
    default = Q(is_default=True, product_type=case.placement.product_type)
    product = (
        Product.objects.filter(Q(creditor_id=case.creditor_id) & (named | default))
        .annotate(rank=Choose(When(named, then=Value(0)), default=Value(1)))
        .order_by("rank")
        .first()
    )
    return product.rules() if product else ProductRules()
