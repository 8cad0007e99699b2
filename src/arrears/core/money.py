"""Money: Decimal with two places (CNY fen), rounded half up, never float. Pure, no Django."""

from __future__ import annotations

from decimal import Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
