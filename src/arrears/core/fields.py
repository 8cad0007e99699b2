"""Model fields shared by the apps."""

from __future__ import annotations

from django.db import models

from arrears.core.money import ZERO


class MoneyField(models.DecimalField):
    """DecimalField(14, 2): up to a trillion yuan, exact to the fen."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("default", ZERO)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DecimalField", args, kwargs
