"""The life of a field visit (外访) as a small state machine, and what a visit report means (pure).

Kept free of Django so the rules a reviewer cares about (who may move a visit where, which report
answers fit together, what a report tells the case) read in one screen and are tested on their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    SCHEDULED = "scheduled"
    CHECKED_IN = "checked_in"
    REPORTED = "reported"
    CLOSED = "closed"
    CANCELLED = "cancelled"


# Where each step may start from. Rescheduling (scheduled -> scheduled) is allowed: plans change
# before the agents set out, and the guard judges the new time again.
MOVES: dict[str, frozenset[Status]] = {
    "approve": frozenset({Status.REQUESTED}),
    "reject": frozenset({Status.REQUESTED}),
    "schedule": frozenset({Status.APPROVED, Status.SCHEDULED}),
    "check_in": frozenset({Status.SCHEDULED}),
    "report": frozenset({Status.CHECKED_IN}),
    "close": frozenset({Status.REPORTED}),
    "cancel": frozenset({Status.REQUESTED, Status.APPROVED, Status.SCHEDULED}),
}
TARGET: dict[str, Status] = {
    "approve": Status.APPROVED,
    "reject": Status.REJECTED,
    "schedule": Status.SCHEDULED,
    "check_in": Status.CHECKED_IN,
    "report": Status.REPORTED,
    "close": Status.CLOSED,
    "cancel": Status.CANCELLED,
}
# A visit in one of these is still under way: a case has at most one at a time.
ACTIVE = frozenset({Status.REQUESTED, Status.APPROVED, Status.SCHEDULED, Status.CHECKED_IN})


def may(step: str, status: str) -> bool:
    """Whether ``step`` may be taken from ``status``."""
    return Status(status) in MOVES[step]


class Met(StrEnum):
    DEBTOR = "debtor"
    FAMILY = "family"
    NOBODY = "nobody"


class Finding(StrEnum):
    """What the visit came to. Empty (no finding) is allowed when nobody was met or nothing was agreed."""

    PROMISE = "promise"
    PLAN_REQUEST = "plan_request"
    REFUSAL = "refusal"
    MOVED_AWAY = "moved_away"
    ADDRESS_INVALID = "address_invalid"


# Only the debtor can promise, ask for a plan or refuse; an address finding needs someone else's word
# (or an empty house): meeting the debtor there proves the address.
NEEDS_DEBTOR = frozenset({Finding.PROMISE, Finding.PLAN_REQUEST, Finding.REFUSAL})
ADDRESS_FINDINGS = frozenset({Finding.MOVED_AWAY, Finding.ADDRESS_INVALID})

# The report in the terms of a call outcome (contacts.models.Outcome / Result values), so the case
# follows a visit exactly as it follows a call.
OUTCOME_OF_MET = {Met.DEBTOR: "right_party", Met.FAMILY: "third_party", Met.NOBODY: "no_answer"}
RESULT_OF_FINDING = {
    Finding.PROMISE: "promise",
    Finding.PLAN_REQUEST: "plan_request",
    Finding.REFUSAL: "refuses",
}


class ReportError(ValueError):
    """A report whose answers do not fit together; ``field`` names the form field, texts in both languages."""

    def __init__(self, field: str, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.field, self.zh, self.en = field, zh, en


@dataclass(frozen=True)
class Reading:
    """A report read as a call outcome: the outcome and result codes, and the address finding."""

    outcome: str
    result: str
    address_finding: str  # "" when the address was not found wanting


def read_report(*, met: str, finding: str) -> Reading:
    """Check that the answers fit together and translate them; :class:`ReportError` when they do not."""
    try:
        who = Met(met)
    except ValueError:
        raise ReportError("met", "请选择见到了谁", "choose whom you met") from None
    try:
        what = Finding(finding) if finding else None
    except ValueError:
        raise ReportError("finding", "请从列表中选择外访结果", "choose the result from the list") from None
    if what in NEEDS_DEBTOR and who is not Met.DEBTOR:
        raise ReportError(
            "finding",
            "承诺还款、申请分期或拒绝还款只能由债务人本人作出",
            "only the debtor can promise, ask for a plan or refuse",
        )
    if what in ADDRESS_FINDINGS and who is Met.DEBTOR:
        raise ReportError(
            "finding",
            "见到了债务人本人，说明地址有效，不能报告“已搬走”或“地址无效”",
            "you met the debtor there, so the address is not moved away or invalid",
        )
    if what is None and who is Met.DEBTOR:
        raise ReportError("finding", "见到债务人时请选择外访结果", "choose what came of meeting the debtor")
    return Reading(
        outcome=OUTCOME_OF_MET[who],
        result=RESULT_OF_FINDING.get(what, "") if what else "",
        address_finding=what.value if what in ADDRESS_FINDINGS else "",
    )


# Administrative units in a Chinese address, in the order they are written (province, city, district).
# No bare 州: in 郑州市 or 温州市 it is part of the city's name, not a unit of its own.
_UNIT = re.compile(r"[\u4e00-\u9fff]+?(?:特别行政区|自治区|自治州|地区|省|市|盟|区|县|旗)")
_WIDE = ("特别行政区", "自治区", "地区", "省")


def district_of(address: str) -> str:
    """The district (区/县/旗) of a Chinese address, for grouping a day's visits; failing that, the
    city (市); "" when neither is written. A team lead may always type the district instead."""
    units = [u for u in _UNIT.findall("".join(address.split())) if not u.endswith(_WIDE)]
    for unit in units:
        if unit.endswith(("区", "县", "旗")):
            return unit
    cities = [u for u in units if u.endswith("市")]
    return cities[-1] if cities else ""
