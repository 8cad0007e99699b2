"""Masked display of personal data: ``138****8000`` for phones, ``110105********002X`` for ID numbers."""

from __future__ import annotations

from arrears.debtors.idnumber import mask as mask_id_number

__all__ = ["mask_email", "mask_id_number", "mask_phone"]


def mask_phone(e164_or_raw: str) -> str:
    digits = e164_or_raw
    if digits.startswith("+86"):
        digits = digits[3:]
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_email(value: str) -> str:
    local, _, domain = value.partition("@")
    return (local[:1] + "***@" + domain) if domain else "***"
