"""Letter kinds and the facts each must carry; a letter missing one is not produced (pure).

The Chinese rules say what some letters must contain (a collection letter: the cardholder's name,
the amount owed, the legal basis, the rights, how to check and repay, how to dispute, the issuer's
contact and seal, 2011 Measures Art 69). Each kind declares its facts here, and ``require`` refuses
to build a letter with one of them empty, naming what is missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Kind:
    code: str
    title_zh: str
    title_en: str
    required: tuple[str, ...]


SETTLEMENT_CERTIFICATE = Kind(
    code="settlement_certificate",
    title_zh="结清证明",
    title_en="Settlement certificate",
    required=(
        "debtor_name", "id_masked", "creditor", "product", "account_tail", "settled_on", "charged", "paid",
        "waived", "agency",
    ),
)  # fmt: skip
KINDS = {k.code: k for k in (SETTLEMENT_CERTIFICATE,)}


class MissingFacts(ValueError):
    def __init__(self, kind: Kind, missing: list[str]) -> None:
        self.kind, self.missing = kind, missing
        zh, en = "、".join(missing), ", ".join(missing)
        super().__init__(f"{kind.title_zh}缺少必备内容：{zh} / a {kind.title_en.lower()} needs: {en}")


def require(kind: Kind, facts: Mapping[str, object]) -> None:
    """Raise MissingFacts when a fact the kind needs is absent or empty (zero amounts are facts)."""
    missing = [name for name in kind.required if facts.get(name) in (None, "")]
    if missing:
        raise MissingFacts(kind, missing)
