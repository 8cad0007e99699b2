"""Phone number kinds. Pure, no Django; parsing and E.164 live in ``arrears.intake.normalize``."""

from __future__ import annotations

import phonenumbers


def is_mobile(e164: str) -> bool:
    number = phonenumbers.parse(e164, None)
    return phonenumbers.number_type(number) in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )
