"""SMS gateway adapters. ``outbox`` keeps the message for a gateway that pulls (and for development);
``http`` POSTs it as JSON to the bank's gateway.

The HTTP contract (what a gateway implements)::

    POST $ARREARS_SMS_URL
    Authorization: Bearer $ARREARS_SMS_TOKEN
    Idempotency-Key: <message key>
    {"id": "<message key>", "to": "+8613800138000", "text": "【东湖银行】…"}
    -> 2xx {"id": "<gateway's id>"}

The gateway must treat a repeated Idempotency-Key as the same message (answer with the same id, send
nothing): a retry after a timeout, when we cannot know whether the first request arrived, then never
sends twice. A 4xx answer other than 408/429 is a permanent refusal (a bad number, say); timeouts,
connection errors, 408, 429 and 5xx are retried with back-off.
"""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Protocol

from arrears.messaging import conf


class GatewayError(Exception):
    """The gateway did not take the message, or did not say whether it did. ``retry`` says whether
    trying again may help (and cannot send twice); ``uncertain`` that the message may have been
    taken nonetheless (a timeout, an answer cut short)."""

    def __init__(self, message: str, *, retry: bool, uncertain: bool = False) -> None:
        super().__init__(message)
        self.retry, self.uncertain = retry, uncertain


@dataclass(frozen=True)
class Outgoing:
    key: str
    to: str
    text: str


class Gateway(Protocol):
    def send(self, message: Outgoing) -> str:
        """Hand the message over; returns the gateway's id, or raises GatewayError."""
        ...


class OutboxGateway:
    """Keeps the message in the outbox only: its id is our key."""

    def send(self, message: Outgoing) -> str:
        return f"outbox:{message.key}"


class HttpGateway:
    def __init__(self, url: str, token: str, timeout: int) -> None:
        self.url, self.token, self.timeout = url, token, timeout

    def send(self, message: Outgoing) -> str:
        body = json.dumps({"id": message.key, "to": message.to, "text": message.text}).encode()
        request = urllib.request.Request(self.url, data=body, method="POST")
        request.add_header("Content-Type", "application/json; charset=utf-8")
        request.add_header("Idempotency-Key", message.key)
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                answer = response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:200].decode(errors="replace")
            retry = exc.code in (408, 429) or exc.code >= 500
            raise GatewayError(f"HTTP {exc.code} {detail}".strip(), retry=retry) from None
        except TimeoutError as exc:
            raise GatewayError(f"timeout: {exc}", retry=True, uncertain=True) from None
        except (urllib.error.URLError, OSError) as exc:
            raise GatewayError(f"connection: {getattr(exc, 'reason', exc)}", retry=True) from None
        except http.client.HTTPException as exc:
            # An answer cut short or malformed (IncompleteRead is no OSError): the gateway may have
            # taken the message, and the idempotency key makes the retry safe.
            raise GatewayError(f"broken answer: {type(exc).__name__}", retry=True, uncertain=True) from None
        try:
            return str(json.loads(answer)["id"])
        except (ValueError, KeyError, TypeError):
            # It took the message (2xx) but said nothing we can read: our key identifies it.
            return message.key


def sms_gateway() -> Gateway:
    found = conf.sms()
    if found.backend == "http":
        return HttpGateway(found.url, found.token, found.timeout)
    return OutboxGateway()
