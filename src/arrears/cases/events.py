"""Writing the per-case event log (called by services inside their transaction)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from arrears.cases.models import Case, CaseEvent
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


def record_many(events: Iterable[CaseEvent]) -> None:
    CaseEvent.objects.bulk_create(list(events), batch_size=2000)
