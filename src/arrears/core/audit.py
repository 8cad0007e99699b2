"""Request context and the change log writers.

The middleware gives every request an id (reusing an upstream ``X-Request-ID`` when a proxy sets
one) and keeps it in a context variable, so services can stamp change-log and case-event rows with
it without every call passing it along. Commands and tasks run with their own id.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import decimal
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.db import models
from django.db.models.fields.files import FieldFile
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from arrears.core.models import ChangeLog

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("arrears_request_id", default="")


def request_id() -> str:
    """The current request's id, or a fresh one for work outside a request (commands, tasks)."""
    rid = _request_id.get()
    if not rid:
        rid = str(uuid.uuid4())
        _request_id.set(rid)
    return rid


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        rid = incoming if 8 <= len(incoming) <= 36 else str(uuid.uuid4())
        token = _request_id.set(rid)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = rid
        return response


def jsonable(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return None  # binary columns hold ciphertext; never copy it into the log
    if isinstance(value, FieldFile):
        return value.name
    return value


def snapshot(instance: models.Model) -> dict[str, Any]:
    """A JSON-safe dict of the instance's concrete fields, minus those the model marks secret."""
    secret = set(getattr(instance, "AUDIT_EXCLUDE", ()))
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.name in secret:
            continue
        data[field.attname] = jsonable(getattr(instance, field.attname))
    return data


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for the fields that differ."""
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def _organisation_of(instance: models.Model, user: Any) -> int | None:
    """The organisation whose data changed: the object's own, else the acting user's."""
    if (own := getattr(instance, "organisation_id", None)) is not None:
        return own
    placement = getattr(instance, "placement", None)  # an import belongs to its placement's organisation
    if placement is not None:
        return placement.organisation_id
    if hasattr(instance, "user_id") and getattr(instance, "user", None) is not None:  # an API token
        return instance.user.organisation_id
    return getattr(user, "organisation_id", None)


def _entry(
    action: str, instance: models.Model, before: dict | None, after: dict | None, user: Any
) -> ChangeLog:
    return ChangeLog(
        at=timezone.now(),
        user=user if getattr(user, "pk", None) else None,
        organisation_id=_organisation_of(instance, user),
        request_id=request_id(),
        action=action,
        model=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        before=before,
        after=after,
    )


def log_create(instance: models.Model, *, user: Any) -> None:
    _entry(ChangeLog.Action.CREATE, instance, None, snapshot(instance), user).save()


def log_update(instance: models.Model, before: dict[str, Any], *, user: Any) -> None:
    after = snapshot(instance)
    if before != after:
        _entry(ChangeLog.Action.UPDATE, instance, before, after, user).save()


def log_bulk(
    created: Iterable[models.Model] = (),
    updated: Iterable[tuple[models.Model, dict[str, Any]]] = (),
    *,
    user: Any,
    batch_size: int = 2000,
) -> None:
    """Change-log rows for a bulk write, inserted in bulk (imports write thousands at once)."""
    rows = [_entry(ChangeLog.Action.CREATE, obj, None, snapshot(obj), user) for obj in created]
    rows += [_entry(ChangeLog.Action.UPDATE, obj, before, snapshot(obj), user) for obj, before in updated]
    ChangeLog.objects.bulk_create(rows, batch_size=batch_size)
