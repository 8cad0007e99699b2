"""``{{ rule.when|conditions }}``: a strategy rule's conditions as a reader writes them."""

from __future__ import annotations

from django import template

from arrears.batch.strategy import describe

register = template.Library()
register.filter("conditions", describe)
