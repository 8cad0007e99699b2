"""New debtor rows for set-based inserts (intake and the demo book build them the same way)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from arrears.core import crypto
from arrears.debtors.idnumber import IdNumber

NEW_DEBTOR_COLUMNS = (
    "id", "organisation_id", "name", "id_encrypted", "id_hash", "id_masked", "id_last4", "gender", "employer",
    "home_address", "work_address", "timezone", "created_at", "updated_at",
)  # fmt: skip


def new_debtor_row(
    *, pk: int, organisation_id: int, number: IdNumber, name: str, employer: str, home_address: str,
    work_address: str, now: dt.datetime, id_hash: str | None = None,
) -> tuple[Any, ...]:  # fmt: skip
    """One row in ``NEW_DEBTOR_COLUMNS`` order: the number encrypted, hashed, masked; never clear."""
    return (
        pk, organisation_id, name, crypto.encrypt(number.value), id_hash or crypto.keyed_hash(number.value),
        number.masked, number.last4, number.gender, employer, home_address, work_address, "Asia/Shanghai",
        now, now,
    )  # fmt: skip
