"""Reads for the compliance pages: refusals counted by rule, collector, team and day."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from arrears.compliance.models import ContactDecision
from arrears.core.access import restrict


def refusal_report(*, user: Any, days: int = 30) -> dict[str, Any]:
    """Refused contacts in the last ``days`` days that the user may see, counted four ways."""
    since = timezone.now() - dt.timedelta(days=days)
    decisions = restrict(ContactDecision.objects.filter(at__gte=since), user)
    refused = decisions.filter(allowed=False)
    by_rule: Counter[str] = Counter()
    for violations in refused.values_list("violations", flat=True):
        by_rule.update({v["rule"] for v in violations})  # a refusal counts once per rule it broke
    by_day = refused.annotate(day=TruncDate("at")).values("day").annotate(n=Count("id")).order_by("day")
    return {
        "days": days,
        "decisions": decisions.count(),
        "refused": refused.count(),
        "by_rule": by_rule.most_common(),
        "by_collector": _count(refused, "actor__display_name", "actor__username"),
        "by_team": _count(refused, "actor__team__name"),
        "by_day": [(row["day"], row["n"]) for row in by_day],
    }


def _count(queryset: QuerySet[ContactDecision], *fields: str) -> list[tuple[str, int]]:
    """Counts grouped by ``fields``, labelled by the first non-empty one (the system when none)."""
    rows = queryset.values(*fields).annotate(n=Count("id")).order_by("-n")
    return [(next((r[f] for f in fields if r[f]), "—"), r["n"]) for r in rows]
