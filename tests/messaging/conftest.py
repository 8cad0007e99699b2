"""Fixtures of the messaging tests: real servers on loopback standing in for the SMS gateway and the
mail server (the edge of the outside world), a creditor's sender details, a gateway's API token."""

from __future__ import annotations

import json
import socketserver
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from arrears.accounts.services import token_issue
from arrears.messaging.models import Sender


class FakeGateway:
    """An SMS gateway that keeps the contract: a repeated Idempotency-Key is the same message, sent
    once. ``fail_first`` answers the first request 503; ``slow_first`` takes the first message but
    answers only after that many seconds (after our timeout); ``truncate_first`` answers the first
    request 200 with a body cut short (the client reads an IncompleteRead). ``on_request(key)``, when
    set, runs in the server's thread while a request is held, before the answer: what happens in the
    world while arrears waits for the gateway."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.sent: dict[str, dict] = {}  # what reached a handset, by idempotency key
        self.fail_first = False
        self.slow_first = 0.0
        self.truncate_first = False
        self.on_request = None
        self.lock = threading.Lock()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                key = self.headers["Idempotency-Key"]
                with gateway.lock:
                    gateway.requests.append({"auth": self.headers["Authorization"], "key": key, "body": body})
                    first = len(gateway.requests) == 1
                    if first and gateway.fail_first:
                        self.send_response(503)
                        self.end_headers()
                        return
                    if key not in gateway.sent:
                        gateway.sent[key] = body
                    gid = f"gw-{list(gateway.sent).index(key) + 1}"
                if gateway.on_request is not None:
                    gateway.on_request(key)
                if first and gateway.slow_first:
                    time.sleep(gateway.slow_first)
                if first and gateway.truncate_first:
                    self.send_response(200)
                    self.send_header("Content-Length", "100")
                    self.end_headers()
                    self.wfile.write(b'{"id":')
                    self.close_connection = True
                    return
                answer = json.dumps({"id": gid}).encode()
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(answer)))
                    self.end_headers()
                    self.wfile.write(answer)
                except OSError:
                    pass  # the client gave up waiting (the timeout test)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sms"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway(monkeypatch):
    fake = FakeGateway()
    monkeypatch.setenv("ARREARS_SMS_BACKEND", "http")
    monkeypatch.setenv("ARREARS_SMS_URL", fake.url)
    monkeypatch.setenv("ARREARS_SMS_TOKEN", "gw-secret")
    monkeypatch.setenv("ARREARS_SMS_TIMEOUT", "1")
    yield fake
    fake.close()


class FakeSmtp:
    """A mail server on loopback speaking just enough SMTP for smtplib; keeps what it receives.
    ``greeting`` replaces the 220 welcome (a 554 is a server that will not talk); ``stall_after_data``
    keeps an e-mail but waits that many seconds before its 250 (longer than the client's timeout)."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.greeting = "220 localhost test SMTP"
        self.stall_after_data = 0.0
        smtp = self

        class Handler(socketserver.StreamRequestHandler):
            def reply(self, line: str) -> None:
                self.wfile.write(line.encode() + b"\r\n")

            def handle(self) -> None:
                self.reply(smtp.greeting)
                if not smtp.greeting.startswith("220"):
                    return
                envelope: dict = {"to": []}
                while True:
                    line = self.rfile.readline()
                    if not line:
                        return
                    command = line.decode(errors="replace").strip()
                    verb = command[:4].upper()
                    if verb in ("EHLO", "HELO"):
                        self.wfile.write(b"250-localhost\r\n250 8BITMIME\r\n")
                    elif verb == "MAIL":
                        envelope = {"from": command[10:], "to": []}
                        self.reply("250 OK")
                    elif verb == "RCPT":
                        envelope["to"].append(command[8:])
                        self.reply("250 OK")
                    elif verb == "DATA":
                        self.reply("354 end with .")
                        data = b""
                        while not data.endswith(b"\r\n.\r\n"):
                            chunk = self.rfile.readline()
                            if not chunk:
                                return
                            data += chunk
                        envelope["data"] = data[:-5]
                        smtp.received.append(envelope)
                        if smtp.stall_after_data:
                            time.sleep(smtp.stall_after_data)
                            return
                        self.reply("250 queued")
                    elif verb == "QUIT":
                        self.reply("221 bye")
                        return
                    else:
                        self.reply("250 OK")

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def smtp(monkeypatch):
    fake = FakeSmtp()
    monkeypatch.setenv("ARREARS_EMAIL_HOST", "127.0.0.1")
    monkeypatch.setenv("ARREARS_EMAIL_PORT", str(fake.port))
    monkeypatch.setenv("ARREARS_EMAIL_FROM", "notice@dhbank.example")
    monkeypatch.setenv("ARREARS_PUBLIC_URL", "https://pay.dhbank.example")
    yield fake
    fake.close()


@pytest.fixture
def sender(creditor) -> Sender:
    return Sender.objects.create(creditor=creditor, signature="东湖银行", hotline="400-800-8000")


@pytest.fixture
def gateway_token(manager) -> str:
    """The token the SMS gateway reports back with (a manager's, as an integration user would hold)."""
    _token, secret = token_issue(actor=None, user=manager, name="sms gateway", role="manager")
    return secret
