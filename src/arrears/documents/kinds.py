"""Letter kinds and the facts each must carry; a letter missing one is not produced (pure).

The Chinese rules say what some letters must contain (a collection letter: the cardholder's name,
the amount owed, the legal basis, the rights, how to check and repay, how to dispute, the issuer's
contact and seal, 2011 Measures Art 69). Each kind declares its facts here, and ``require`` refuses
to build a letter with one of them empty, naming what is missing.

``purpose`` is what the compliance guard is told when the letter is sent (``demand`` letters are
held during a dispute or an active plan; ``notice`` letters are not; ``locate`` is the only purpose a
contact person may receive). ``party`` is whom the letter is addressed to.
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
    purpose: str = "demand"
    party: str = "debtor"
    prefix: str = ""  # of the document number
    # The demands whose delivery to the debtor restarts the limitation period (Civil Code Art 195).
    interrupts_limitation: bool = False


# The debtor and the account, as every letter to the debtor names them.
_ACCOUNT = ("debtor_name", "id_masked", "creditor", "product", "account_tail")
# The balance by component, read off the ledger.
_AMOUNTS = ("principal", "interest", "late_fee", "other_fees", "legal_costs", "total", "as_of")
# The issuer's contact details and how to check, repay and dispute (the creditor's letterhead).
_ISSUER = ("issuer_phone", "issuer_address", "check_how", "repay_how", "dispute_how")

SETTLEMENT_CERTIFICATE = Kind(
    code="settlement_certificate",
    title_zh="结清证明",
    title_en="Settlement certificate",
    required=(
        "debtor_name", "id_masked", "creditor", "product", "account_tail", "settled_on", "charged", "paid",
        "waived", "agency",
    ),
    purpose="notice",
    prefix="JQ",
)  # fmt: skip
DEMAND_LETTER = Kind(
    code="demand_letter",
    title_zh="催收函",
    title_en="Demand letter",
    required=(*_ACCOUNT, *_AMOUNTS, *_ISSUER, "overdue_since", "reply_by", "agency", "address"),
    prefix="CS",
    interrupts_limitation=True,
)
LAWYER_LETTER = Kind(
    code="lawyer_letter",
    title_zh="律师函",
    title_en="Lawyer's letter",
    required=(
        *_ACCOUNT, *_AMOUNTS, "overdue_since", "reply_by", "address", "issuer_phone", "repay_how",
        "dispute_how", "firm", "firm_licence", "firm_address", "firm_phone", "lawyers",
    ),
    prefix="LS",
    interrupts_limitation=True,
)  # fmt: skip
PLAN_AGREEMENT = Kind(
    code="plan_agreement",
    title_zh="分期还款协议",
    title_en="Repayment plan agreement",
    required=(
        *_ACCOUNT, "total", "plan_total", "down_payment", "months", "waived", "schedule", "agreed_on",
        "issuer_phone", "issuer_address", "repay_how", "agency", "address",
    ),
    purpose="notice",  # allowed while the plan is active: it is the plan itself
    prefix="FQ",
)  # fmt: skip
CREDIT_NOTICE = Kind(
    code="credit_notice",
    title_zh="征信上报告知书",
    title_en="Credit-bureau reporting notice",
    required=(*_ACCOUNT, "total", "as_of", "overdue_since", "report_from", *_ISSUER, "address"),
    purpose="notice",
    prefix="ZX",
)
# To a contact person (联系人): who is sought and whom to call, nothing about any debt (CBA 2026).
LOCATE_LETTER = Kind(
    code="locate_letter",
    title_zh="联络函",
    title_en="Locate letter",
    required=("contact_name", "debtor_name", "agency", "agency_phone", "address"),
    purpose="locate",
    party="contact",
    prefix="XL",
)
KINDS = {
    k.code: k
    for k in (
        DEMAND_LETTER,
        LAWYER_LETTER,
        PLAN_AGREEMENT,
        CREDIT_NOTICE,
        LOCATE_LETTER,
        SETTLEMENT_CERTIFICATE,
    )
}
# The kinds a user issues as letters (the certificate has its own button and rules).
LETTERS = tuple(k for k in KINDS.values() if k is not SETTLEMENT_CERTIFICATE)


class MissingFacts(ValueError):
    def __init__(self, kind: Kind, missing: list[str]) -> None:
        self.kind, self.missing = kind, missing
        zh, en = "、".join(FACT_LABELS_ZH.get(m, m) for m in missing), ", ".join(missing)
        super().__init__(f"{kind.title_zh}缺少必备内容：{zh} / a {kind.title_en.lower()} needs: {en}")


def require(kind: Kind, facts: Mapping[str, object]) -> None:
    """Raise MissingFacts when a fact the kind needs is absent or empty (zero amounts are facts)."""
    missing = [name for name in kind.required if facts.get(name) in (None, "", (), [])]
    if missing:
        raise MissingFacts(kind, missing)


# How a missing fact is named to the user, so "issuer_phone" reads as what to fill in and where.
FACT_LABELS_ZH: dict[str, str] = {
    "debtor_name": "债务人姓名",
    "id_masked": "证件号码",
    "creditor": "委托方名称",
    "product": "产品",
    "account_tail": "账号尾号",
    "total": "欠款合计",
    "as_of": "金额截止日期",
    "overdue_since": "逾期起始日",
    "reply_by": "还款或答复期限",
    "agency": "出具机构",
    "address": "收件地址",
    "issuer_phone": "委托方联系电话（信函设置）",
    "issuer_address": "委托方地址（信函设置）",
    "check_how": "查询账户方式（信函设置）",
    "repay_how": "还款方式（信函设置）",
    "dispute_how": "异议提出方式（信函设置）",
    "firm": "律师事务所",
    "firm_licence": "律师事务所执业许可证号",
    "firm_address": "律师事务所地址",
    "firm_phone": "律师事务所电话",
    "lawyers": "承办律师",
    "schedule": "还款计划表",
    "report_from": "报送日期",
    "contact_name": "联系人姓名",
    "agency_phone": "出具机构电话",
}
