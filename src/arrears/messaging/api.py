"""``/api/v1/messages/``: what SMS gateways report back, delivery receipts and replies (token auth).

Receipts come in batches; a reference that matches no message in the token's scope is listed in the
answer, not refused, so one stale id does not make the gateway resend the whole batch.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Router, Schema

from arrears.api.schemas import Error
from arrears.messaging.services import receipt_record, reply_record, reporter_check

router = Router(tags=["messages"])
ERRORS = {401: Error, 403: Error, 422: Error}


class ReceiptIn(Schema):
    id: str = Field(..., description="Our message key (sent as the Idempotency-Key) or the gateway's id")
    status: str = Field(..., description="delivered or failed")
    error: str = ""
    at: dt.datetime | None = None


class ReceiptsIn(Schema):
    receipts: list[ReceiptIn]


class ReceiptsOut(Schema):
    updated: int
    unknown: list[str]


class ReplyIn(Schema):
    sender: str = Field(..., alias="from", description="The number the reply came from")
    text: str


class ReplyOut(Schema):
    opt_out: bool
    contact_points: int
    cases: list[int]


@router.post("/receipts", response={200: ReceiptsOut, **ERRORS}, summary="Delivery receipts from the gateway")
def receipts(request: HttpRequest, payload: ReceiptsIn):
    reporter_check(request.user)
    updated, unknown = 0, []
    for r in payload.receipts:
        if receipt_record(user=request.user, ref=r.id, status=r.status, error=r.error, at=r.at):
            updated += 1
        else:
            unknown.append(r.id)
    return {"updated": updated, "unknown": unknown}


@router.post(
    "/replies", response={200: ReplyOut, **ERRORS}, summary="A reply to an SMS (退订/TD/T/STOP opt out)"
)
def replies(request: HttpRequest, payload: ReplyIn):
    return reply_record(user=request.user, sender=payload.sender, text=payload.text)
