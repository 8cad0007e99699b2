"""When a case may go to law: the pure rules of the legal track (no Django).

A debt whose limitation period (诉讼时效, Civil Code Art 188) has lapsed can no longer be enforced
by suit once the debtor pleads it (Art 192), and threatening or filing suit on it is what the
compliance rules forbid; a debt under dispute must be reviewed before anyone takes it to court. So
an escalation is refused for either reason, with a reason in Chinese and English that names the
lapse date. The nightly run sets the lapse date (``Case.limitation_on``); a case is time-barred
from the day after it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a case may not go (or stay) on the legal track, in both languages."""

    code: str
    zh: str
    en: str

    def __str__(self) -> str:
        return f"{self.zh} / {self.en}"


def time_barred(limitation_on: dt.date | None, today: dt.date) -> bool:
    """Whether the limitation period lapsed before ``today`` (unknown is not lapsed)."""
    return limitation_on is not None and limitation_on < today


def escalation_refusals(
    *, limitation_on: dt.date | None, today: dt.date, disputed: bool, deciding: bool
) -> list[Refusal]:
    """Every reason a case may not be proposed (``deciding`` False) or approved (True) for legal action.

    Approval asks more than a proposal: the lapse date must be known, because approving sends the
    case to court and nobody may do that on a guess. A proposal with no date yet is allowed, and
    the lawyer sees the date once the nightly run has set it.
    """
    found: list[Refusal] = []
    if limitation_on is not None and time_barred(limitation_on, today):
        day = limitation_on.isoformat()
        found.append(
            Refusal(
                "time_barred",
                f"诉讼时效已于 {day} 届满，该债务不得起诉或以诉讼相威胁",
                f"the limitation period lapsed on {day}: the debt may not be taken to court "
                "nor suit threatened",
            )
        )
    elif deciding and limitation_on is None:
        found.append(
            Refusal(
                "limitation_unknown",
                "尚未计算诉讼时效届满日（由日终批处理计算），暂不能批准转法务",
                "the limitation date is not known yet (the nightly run sets it); the case cannot be approved",
            )
        )
    if disputed:
        found.append(
            Refusal(
                "disputed",
                "案件有未处理完的异议，异议处理完毕前不得转法务",
                "the case has a dispute under review; it cannot go to legal until the dispute is resolved",
            )
        )
    return found


def pursuit_refusals(
    *, limitation_on: dt.date | None, on: dt.date, disputed: bool, sued_in_time: bool
) -> list[Refusal]:
    """Every reason legal may not record a new step against the debtor: a lawyer's letter, a new
    suit or a legal cost, taken ``on`` that day. The approval of the escalation may be months old,
    so each step asks again.

    A letter sent or a suit filed on or before the lapse date was lawful when taken, and is recorded
    as the fact it is; one dated after it threatens or sues on a time-barred debt. A suit filed in
    time interrupted the period (Civil Code Art 195), which the nightly run does not count, so the
    case it is brought on is not time-barred (``sued_in_time``) and its costs may still be charged.
    Hearings, the judgment and enforcement of a suit are facts of that suit and are not asked here.
    """
    found: list[Refusal] = []
    if time_barred(limitation_on, on) and not sued_in_time:
        day = limitation_on.isoformat()  # type: ignore[union-attr]  (time_barred: not None)
        found.append(
            Refusal(
                "time_barred",
                f"诉讼时效已于 {day} 届满：不得再发律师函、起诉或计入法律费用",
                f"the limitation period lapsed on {day}: no lawyer's letter, new suit or legal cost "
                "may be recorded",
            )
        )
    if disputed:
        found.append(
            Refusal(
                "disputed",
                "案件有未处理完的异议：异议处理完毕前不得发律师函、起诉或计入法律费用",
                "the case has a dispute under review: no lawyer's letter, new suit or legal cost until "
                "it is resolved",
            )
        )
    return found


# A case that is settled (the creditor accepted less in full discharge), recalled (handed back to
# the creditor) or closed owes nothing more through this system, so no legal cost may be charged to
# it. A case paid in full is different: a cost charged to it is owed, and the case goes back to work.
_NO_MORE_COSTS = {
    "settled": ("案件已和解结清", "the case is settled"),
    "recalled": ("案件已退案", "the case is recalled"),
    "closed": ("案件已结案", "the case is closed"),
}


def cost_refusal(status: str) -> Refusal | None:
    """Why no legal cost may be charged to a case in ``status`` (a ``CaseStatus`` value), or None."""
    if status not in _NO_MORE_COSTS:
        return None
    zh, en = _NO_MORE_COSTS[status]
    return Refusal(
        "case_finished",
        f"{zh}，不能再计入法律费用",
        f"{en}: no legal cost may be charged to it",
    )
