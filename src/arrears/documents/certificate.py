"""The settlement certificate (结清证明): the letter a debtor keeps as proof that the debt is cleared.

Built from facts read off the ledger (what was owed, paid and forgiven), never from typed amounts.
Issued in the creditor's name (the seal is the creditor's); the agency that worked the case is
named as issuing it on the creditor's behalf. Pure.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from arrears.documents.kinds import SETTLEMENT_CERTIFICATE, require
from arrears.documents.layout import Letter


def _yuan(amount: Decimal) -> str:
    return f"¥{amount:,.2f}"


def _date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def settlement_certificate(facts: dict[str, Any], *, number: str, issued_on: dt.date) -> Letter:
    """The certificate for ``facts`` (see ``SETTLEMENT_CERTIFICATE.required``)."""
    require(SETTLEMENT_CERTIFICATE, facts)
    f = facts
    cleared = (
        f"兹证明，您在{f['creditor']}开立的{f['product']}账户（账号尾号{f['account_tail']}）项下的欠款，"
        f"已于{_date(f['settled_on'])}全部结清。"
    )
    if f["waived"] > 0:
        how = (
            f"经双方协商一致，您按和解约定还款人民币{_yuan(f['paid'])}，"
            f"其余欠款人民币{_yuan(f['waived'])}依约予以减免。"
        )
    else:
        how = f"您已足额还款人民币{_yuan(f['paid'])}。"
    after = (
        f"截至本证明出具之日，上述账户项下的本金、利息、违约金及其他费用均已结清，{f['creditor']}"
        "不再就该笔欠款向您主张还款。该账户的结清状态将按规定报送金融信用信息基础数据库。"
    )
    return Letter(
        title=SETTLEMENT_CERTIFICATE.title_zh,
        issuer=f["creditor"],
        number=number,
        issued_on=issued_on,
        addressee=f"{f['debtor_name']}（证件号码：{f['id_masked']}）：",
        paragraphs=(cleared + how, after),
        table=(
            ("欠款合计（本金、利息、违约金及费用）", _yuan(f["charged"])),
            ("已还款", _yuan(f["paid"])),
            ("减免金额", _yuan(f["waived"])),
            ("剩余欠款", _yuan(f["charged"] - f["paid"] - f["waived"])),
        ),
        closing=("特此证明。",),
        seal="（委托方盖章）",
        footer=f"{f['agency']}受{f['creditor']}委托出具  ·  编号 {number}",
    )
