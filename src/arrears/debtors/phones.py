"""Phone number kinds. Pure, no Django; parsing and E.164 live in ``arrears.intake.normalize``."""

from __future__ import annotations

import phonenumbers


def is_mobile(e164: str) -> bool:
    # Mainland mobiles are +86 1xx xxxx xxxx; answering that without a full parse keeps bulk
    # imports fast. Everything else goes to the library.
    if e164.startswith("+86"):
        return len(e164) == 14 and e164[3] == "1"
    number = phonenumbers.parse(e164, None)
    return phonenumbers.number_type(number) in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )
