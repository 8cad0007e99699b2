"""Chinese resident identity numbers (居民身份证号码, GB 11643-1999).

Pure functions, no Django. An 18-character number is six digits of region code, eight of birth
date (YYYYMMDD), three of sequence (odd for men, even for women) and one check character computed
with ISO 7064 MOD 11-2. The region code is *not* checked against a list: regions are merged and
re-coded over the years, and numbers issued under an old code stay valid for life, so only the
structure, the birth date and the check digit decide validity.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))  # 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2
_CHECK_CHARS = "10X98765432"
_EARLIEST_BIRTH = dt.date(1900, 1, 1)


class IdNumberError(ValueError):
    """An ID number that fails GB 11643-1999; ``code`` says which check failed."""

    def __init__(self, code: str, message_zh: str, message_en: str) -> None:
        super().__init__(message_en)
        self.code = code
        self.message_zh = message_zh
        self.message_en = message_en


@dataclass(frozen=True, slots=True)
class IdNumber:
    """A validated 18-character ID number and what it encodes."""

    value: str
    birth_date: dt.date
    gender: str  # "M" or "F", from the parity of the sequence code

    @property
    def region(self) -> str:
        return self.value[:6]

    @property
    def last4(self) -> str:
        return self.value[-4:]

    @property
    def masked(self) -> str:
        """``110105********002X``: region and last four shown, birth date and sequence hidden."""
        return mask(self.value)


def check_char(first17: str) -> str:
    """The MOD 11-2 check character for the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def mask(value: str) -> str:
    if len(value) < 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def parse(raw: str, *, today: dt.date | None = None) -> IdNumber:
    """Validate ``raw`` (already stripped and half-width) and return the parsed number.

    A lowercase ``x`` check character is accepted and upper-cased. Raises :class:`IdNumberError`.
    """
    value = raw.strip().upper()
    if len(value) != 18:
        raise IdNumberError(
            "id_length",
            f"身份证号应为 18 位，实为 {len(value)} 位",
            f"the ID number must have 18 characters, not {len(value)}",
        )
    if not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
        raise IdNumberError(
            "id_characters",
            "身份证号只能由数字组成，最后一位可以是 X",
            "the ID number may contain only digits, with an X allowed as the last character",
        )
    try:
        birth = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        birth = None
    today = today or dt.date.today()
    if birth is None or not (_EARLIEST_BIRTH <= birth <= today):
        raise IdNumberError(
            "id_birth_date",
            f"身份证号中的出生日期 {value[6:14]} 无效",
            f"the birth date {value[6:14]} in the ID number is not a valid date",
        )
    expected = check_char(value[:17])
    if value[17] != expected:
        raise IdNumberError(
            "id_check_digit",
            "身份证号校验位不正确",
            "the ID number's check digit is wrong",
        )
    return IdNumber(value=value, birth_date=birth, gender="M" if int(value[16]) % 2 else "F")


def make(region: str, birth: dt.date, sequence: int) -> str:
    """Build a checksum-valid number (for demo data and tests)."""
    first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return first17 + check_char(first17)
