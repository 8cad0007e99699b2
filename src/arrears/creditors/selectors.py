"""Reads about creditors that services share: the money rules that govern a case."""

from __future__ import annotations

from django.db.models import Case as Choose
from django.db.models import Q, Value, When

from arrears.creditors.models import Product
from arrears.money.fees import ProductRules


def product_for(case) -> Product | None:
    """The product of ``case``: the creditor's product its file names, else the creditor's default
    product of the placement's type; None when the creditor has neither. One query."""
    named = Q(code=case.product) if case.product else Q(pk__in=[])
    default = Q(is_default=True, product_type=case.placement.product_type)
    return (
        Product.objects.filter(Q(creditor_id=case.creditor_id) & (named | default))
        .annotate(rank=Choose(When(named, then=Value(0)), default=Value(1)))
        .order_by("rank")
        .first()
    )


def rules_for(case) -> ProductRules:
    """The money rules of ``case``'s product, else the domain defaults."""
    product = product_for(case)
    return product.rules() if product else ProductRules()
