"""Personal data hiding in a creditor's extra columns. Pure, no Django.

Creditors add columns arrears has no field for (客户等级, 配偶身份证号, 家庭电话 …). They are kept,
but a value that looks like an ID number or a phone or card number must not be shown or logged in
clear: it is masked in what screens show, and the clear value goes with the case's other
encrypted data.
"""

from __future__ import annotations

import re
import unicodedata

from arrears.debtors.idnumber import mask as mask_id

_ID_LIKE = re.compile(r"^(?:\d{15}|\d{17}[\dX])$")
_LONG_DIGITS = re.compile(r"\d{7,}")
# Dates are long digit runs too once their separators go; they are not personal identifiers.
_DATE = re.compile(r"^\d{4}(?:[-/.年]\d{1,2}[-/.月]\d{1,2}日?|\d{4})$")


def _mask_digits(match: re.Match[str]) -> str:
    digits = match.group(0)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def masked(value: str) -> str | None:
    """The masked form of a sensitive value, or None when there is nothing to hide."""
    compact = unicodedata.normalize("NFKC", value).replace(" ", "").upper()
    if _DATE.match(compact):
        return None
    compact = compact.replace("-", "")
    if _ID_LIKE.match(compact):
        return mask_id(compact)
    if _LONG_DIGITS.search(compact):
        return _LONG_DIGITS.sub(_mask_digits, compact)
    return None


def split(extra: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """``(shown, secret)``: ``shown`` has every column with sensitive values masked; ``secret``
    holds the clear values of just those columns."""
    shown: dict[str, str] = {}
    secret: dict[str, str] = {}
    for header, value in extra.items():
        hidden = masked(value)
        if hidden is None:
            shown[header] = value
        else:
            shown[header] = hidden
            secret[header] = value
    return shown, secret
