"""Channel settings stop start-up when they would send debtors something broken: an e-mail whose
unsubscribe link points at the server's own loopback address."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

import arrears
from arrears.messaging import conf


@pytest.fixture
def mail_server(monkeypatch):
    monkeypatch.setenv("ARREARS_EMAIL_HOST", "mail.dhbank.example")
    monkeypatch.delenv("ARREARS_PUBLIC_URL", raising=False)


def test_email_without_a_public_address_stops_start_up(mail_server):
    with pytest.raises(ImproperlyConfigured, match="ARREARS_PUBLIC_URL must be set when ARREARS_EMAIL_HOST"):
        conf.check(dev=False)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000",
        "http://localhost/",
        "https://[::1]:8443",
        "http://0.0.0.0",
        "http://127.8.0.1",
    ],
)
def test_email_with_a_loopback_public_address_stops_start_up(mail_server, monkeypatch, url):
    monkeypatch.setenv("ARREARS_PUBLIC_URL", url)
    with pytest.raises(ImproperlyConfigured, match="debtors cannot follow the unsubscribe link"):
        conf.check(dev=False)


@pytest.mark.parametrize("url", ["pay.dhbank.example", "ftp://pay.dhbank.example", "https://"])
def test_a_public_address_that_is_no_url_stops_start_up(monkeypatch, url):
    monkeypatch.setenv("ARREARS_PUBLIC_URL", url)
    with pytest.raises(ImproperlyConfigured, match="must be an http"):
        conf.check(dev=True)


def test_a_reachable_address_or_no_mail_server_or_development_starts(mail_server, monkeypatch):
    conf.check(dev=True)  # a developer's machine with a local mail catcher
    monkeypatch.setenv("ARREARS_PUBLIC_URL", "https://pay.dhbank.example/")
    conf.check(dev=False)
    assert conf.public_url() == "https://pay.dhbank.example"
    monkeypatch.delenv("ARREARS_EMAIL_HOST")
    monkeypatch.delenv("ARREARS_PUBLIC_URL")
    conf.check(dev=False)  # e-mails stay in the outbox: no link leaves


def test_the_server_refuses_to_start(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARREARS_")}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", ARREARS_SECRET_KEY="x" * 60,
        ARREARS_FIELD_KEY="ZGV2LW9ubHktZmllbGQta2V5LW5vdC1mb3ItcHJvZCE=",
        ARREARS_EMAIL_HOST="mail.dhbank.example",
        PYTHONPATH=str(Path(arrears.__file__).parent.parent),  # the code under test
    )  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "arrears", "send-messages"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0 and "ARREARS_PUBLIC_URL must be set" in done.stderr
