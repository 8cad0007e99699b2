"""Channel settings, read from the environment when used (README: Configuration).

Read at call time rather than once in settings.py, so the gateway can be changed by restarting the
worker alone and tests can point it at a loopback server. ``check()`` runs at start-up (the app's
``ready``), so a bad value stops the process with the variable's name, like every other setting.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

from arrears.config.env import env_bool, env_int, env_str

SMS_BACKENDS = ("outbox", "http")


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
    return env_str("ARREARS_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")


def check() -> None:
    sms()
    email()
