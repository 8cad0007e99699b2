"""Writing the per-case event log (called by services inside their transaction)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from arrears.cases.models import Case, CaseEvent
from arrears.core import bulk
from arrears.core.audit import request_id


def event(case: Case, kind: str, *, actor: Any, **data: Any) -> CaseEvent:
    return CaseEvent(
        case=case,
        at=timezone.now(),
        kind=kind,
        actor=actor if getattr(actor, "pk", None) else None,
        request_id=request_id(),
        data=data,
    )


def record(case: Case, kind: str, *, actor: Any, **data: Any) -> CaseEvent:
    e = event(case, kind, actor=actor, **data)
    e.save()
    return e


COLUMNS = ("case_id", "at", "kind", "actor_id", "request_id", "data")


def record_many(events: Iterable[CaseEvent]) -> None:
    """Write many events at once (COPY on PostgreSQL): the nightly run settles thousands of promises."""
    bulk.insert(CaseEvent, COLUMNS, [tuple(getattr(e, c) for c in COLUMNS) for e in events])
