"""Typed readers for configuration from environment variables.

Configuration comes only from the environment (DESIGN.md §5). Each reader fails loudly with the
variable's name and what was wrong, so a bad deployment stops at start-up instead of misbehaving
later; `ImproperlyConfigured` is what Django prints before it refuses to start.
"""

from __future__ import annotations

import base64
import datetime
import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None or value == "":
        if default is None:
            raise ImproperlyConfigured(f"{name} must be set (see README: Configuration)")
        return default
    return value


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    lowered = raw.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean; use 1/0, true/false, yes/no or on/off")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_key(name: str, default: str | None = None) -> bytes:
    """A 32-byte key given as URL-safe base64 (``arrears gen-key`` prints one)."""
    raw = env_str(name, default)
    try:
        key = base64.urlsafe_b64decode(raw.encode() + b"=" * (-len(raw) % 4))
    except (ValueError, TypeError):
        raise ImproperlyConfigured(f"{name} is not valid base64") from None
    if len(key) != 32:
        raise ImproperlyConfigured(f"{name} must decode to 32 bytes, not {len(key)}; run `arrears gen-key`")
    return key


def env_time(name: str, default: str) -> datetime.time:
    """A local time of day, ``HH:MM``."""
    raw = env_str(name, default)
    try:
        return datetime.time.fromisoformat(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a time of day as HH:MM, got {raw!r}") from None
