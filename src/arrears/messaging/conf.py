"""Channel settings, read from the environment when used (README: Configuration).

Read at call time rather than once in settings.py, so the gateway can be changed by restarting the
worker alone and tests can point it at a loopback server. ``check()`` runs at start-up (the app's
``ready``), so a bad value stops the process with the variable's name, like every other setting.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from arrears.config.env import env_bool, env_int, env_str

SMS_BACKENDS = ("outbox", "http")
DEV_PUBLIC_URL = "http://127.0.0.1:8000"  # ``make run``'s address: fine on a developer's machine only


@dataclass(frozen=True)
class SmsSettings:
    backend: str  # outbox: stored only (dev, or a gateway that pulls); http: POSTed to url
    url: str
    token: str
    timeout: int  # seconds


@dataclass(frozen=True)
class EmailSettings:
    host: str  # empty: e-mails are kept in the outbox, not sent
    port: int
    user: str
    password: str
    starttls: bool
    ssl: bool
    sender: str
    timeout: int


def sms() -> SmsSettings:
    backend = env_str("ARREARS_SMS_BACKEND", "outbox")
    if backend not in SMS_BACKENDS:
        raise ImproperlyConfigured(f"ARREARS_SMS_BACKEND={backend!r}: use one of {', '.join(SMS_BACKENDS)}")
    url = env_str("ARREARS_SMS_URL", "")
    if backend == "http" and not url.startswith(("http://", "https://")):
        raise ImproperlyConfigured("ARREARS_SMS_URL must be an http(s) URL when ARREARS_SMS_BACKEND=http")
    timeout = env_int("ARREARS_SMS_TIMEOUT", 10)
    if timeout <= 0:
        raise ImproperlyConfigured("ARREARS_SMS_TIMEOUT must be a positive number of seconds")
    return SmsSettings(backend=backend, url=url, token=env_str("ARREARS_SMS_TOKEN", ""), timeout=timeout)


def email() -> EmailSettings:
    found = EmailSettings(
        host=env_str("ARREARS_EMAIL_HOST", ""),
        port=env_int("ARREARS_EMAIL_PORT", 25),
        user=env_str("ARREARS_EMAIL_USER", ""),
        password=env_str("ARREARS_EMAIL_PASSWORD", ""),
        starttls=env_bool("ARREARS_EMAIL_STARTTLS", False),
        ssl=env_bool("ARREARS_EMAIL_SSL", False),
        sender=env_str("ARREARS_EMAIL_FROM", "arrears@localhost"),
        timeout=env_int("ARREARS_EMAIL_TIMEOUT", 20),
    )
    if found.starttls and found.ssl:
        raise ImproperlyConfigured("ARREARS_EMAIL_STARTTLS and ARREARS_EMAIL_SSL cannot both be on")
    if not 0 < found.port < 65536:
        raise ImproperlyConfigured(f"ARREARS_EMAIL_PORT={found.port} is not a port number")
    return found


def public_url() -> str:
    """Where debtors reach arrears from outside (the unsubscribe link), e.g. https://pay.bank.example."""
    return env_str("ARREARS_PUBLIC_URL", DEV_PUBLIC_URL).rstrip("/")


def _loopback(host: str) -> bool:
    host = host.lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def public_url_check(*, dev: bool) -> None:
    """Every e-mail carries an unsubscribe link built on ARREARS_PUBLIC_URL. Once e-mail really
    leaves (ARREARS_EMAIL_HOST set), outside development, the address must be set and be one a
    debtor can reach: a loopback default would put a dead link in every e-mail."""
    url = public_url()
    parsed = urlsplit(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise ImproperlyConfigured(
            f"ARREARS_PUBLIC_URL={url!r} must be an http(s) URL, e.g. https://pay.bank.example"
        )
    if dev or not email().host:
        return
    if not os.environ.get("ARREARS_PUBLIC_URL"):
        raise ImproperlyConfigured(
            "ARREARS_PUBLIC_URL must be set when ARREARS_EMAIL_HOST is: every e-mail carries an unsubscribe "
            "link to it (the address debtors reach arrears at, e.g. https://pay.bank.example)"
        )
    if _loopback(parsed.hostname):
        raise ImproperlyConfigured(
            f"ARREARS_PUBLIC_URL={url!r} is this machine's own address: debtors cannot follow the "
            "unsubscribe link in the e-mails to it; give the address they reach arrears at"
        )


def check(*, dev: bool | None = None) -> None:
    """Read every channel setting once, so a bad value stops start-up (``dev``: ARREARS_DEV)."""
    if dev is None:
        from django.conf import settings

        dev = bool(getattr(settings, "DEV", False))
    sms()
    email()
    public_url_check(dev=dev)
