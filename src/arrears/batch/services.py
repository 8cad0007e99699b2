"""Writes on strategies: each save is a new version, checked before it may decide anything."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from arrears.accounts.models import User
from arrears.batch.models import Strategy
from arrears.batch.strategy import Strategy as Rules
from arrears.batch.strategy import StrategyError
from arrears.core.roles import can
from arrears.creditors.models import Creditor


def strategy_save(
    *, actor: User, creditor: Creditor, product_type: str, title: str, document: dict[str, Any],
    challenger: Strategy | None = None, challenger_share: Decimal = Decimal("0"),
) -> Strategy:  # fmt: skip
    """Save ``document`` as the next version of the creditor's strategy for ``product_type`` and make
    it the active one (the previous version stays, inactive, for the record and for replays)."""
    if not can(actor.role, "manage_strategies"):
        raise PermissionDenied(_("Your role may not change strategies."))
    try:
        Rules.of(document)
    except StrategyError as exc:
        raise ValidationError({"document": f"{exc.zh} / {exc.en}"}) from None
    if not Decimal("0") <= challenger_share <= Decimal("0.5"):
        raise ValidationError({"challenger_share": _("The challenger takes at most half.")})
    if challenger_share and challenger is None:
        raise ValidationError({"challenger": _("Choose the challenger version.")})
    with transaction.atomic():
        versions = Strategy.objects.select_for_update().filter(creditor=creditor, product_type=product_type)
        latest = versions.aggregate(v=Max("version"))["v"] or 0
        versions.filter(active=True).update(active=False)
        return Strategy.objects.create(
            creditor=creditor, product_type=product_type, version=latest + 1, title=title,
            document=document, active=True, challenger=challenger if challenger_share else None,
            challenger_share=challenger_share, saved_by=actor, saved_at=timezone.now(),
        )  # fmt: skip
