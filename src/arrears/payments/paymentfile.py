"""Reading a bank's payment file (回款明细). Pure, no Django.

Each row is a payment: an account number and/or an ID number to find the case by, an amount, a
date, the bank's reference (流水号) and optionally the channel. Rows that cannot be read are
reported with their spreadsheet row number and a reason in Chinese and English; matching rows to
cases is the service's job.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from arrears.intake import normalize
from arrears.intake.errors import FieldError, IntakeFileError, Issue
from arrears.intake.headers import header_key
from arrears.intake.reader import read_table

ALIASES: dict[str, tuple[str, ...]] = {
    "account_number": ("卡号", "账号", "合同号", "借据号", "account number", "card number"),
    "id_number": ("身份证号", "身份证号码", "证件号码", "id number"),
    "amount": ("金额", "还款金额", "回款金额", "入账金额", "交易金额", "amount"),
    "paid_on": ("还款日期", "回款日期", "入账日期", "交易日期", "日期", "date", "paid on"),
    "reference": ("流水号", "交易流水号", "参考号", "凭证号", "reference"),
    "channel": ("渠道", "还款渠道", "channel"),
}
_INDEX = {header_key(alias): field for field, aliases in ALIASES.items() for alias in (field, *aliases)}
CHANNELS = {
    "银行转账": "bank_transfer",
    "转账": "bank_transfer",
    "支付宝": "alipay",
    "微信": "wechat",
    "微信支付": "wechat",
    "柜面": "counter",
    "柜台": "counter",
    **{code: code for code in ("bank_transfer", "alipay", "wechat", "counter")},
}


@dataclass(frozen=True, slots=True)
class PaymentRow:
    row: int
    account_number: str | None
    id_number: str | None  # validated, upper-case; never stored by the caller in clear
    amount: Decimal
    paid_on: dt.date
    reference: str
    channel: str


@dataclass(frozen=True)
class PaymentFile:
    rows: list[PaymentRow]
    errors: list[Issue]


def parse(data: bytes, filename: str) -> PaymentFile:
    table = read_table(data, filename)
    known = [sum(header_key(str(c or "")) in _INDEX for c in row) for row in table[:20]]
    header_at = next((i for i, n in enumerate(known) if n >= 3), None)
    if header_at is None:
        raise IntakeFileError(
            "header_not_found", "找不到表头行（需要金额、日期和流水号列）",
            "no header row found (amount, date and reference columns are needed)",
        )  # fmt: skip
    headers = [str(c or "") for c in table[header_at]]
    columns = {_INDEX[header_key(h)]: i for i, h in enumerate(headers) if header_key(h) in _INDEX}
    missing = [f for f in ("amount", "paid_on", "reference") if f not in columns]
    if missing or not ({"account_number", "id_number"} & columns.keys()):
        raise IntakeFileError(
            "missing_columns", f"缺少必要的列：{'、'.join(missing) or '账号或身份证号'}",
            f"required columns are missing: {', '.join(missing) or 'account number or ID number'}",
        )  # fmt: skip
    rows: list[PaymentRow] = []
    errors: list[Issue] = []
    for offset, cells in enumerate(table[header_at + 1 :], start=header_at + 2):
        if not any(c not in (None, "") for c in cells):
            continue
        parsed = _row(offset, cells, columns, headers, errors)
        if parsed is not None:
            rows.append(parsed)
    return PaymentFile(rows=rows, errors=errors)


def _row(
    row: int, cells: list[object], columns: dict[str, int], headers: list[str], errors: list[Issue]
) -> PaymentRow | None:
    """One payment, or None after adding the row's problems to ``errors``."""
    found: list[Issue] = []

    def cell(field: str) -> object:
        index = columns.get(field)
        return cells[index] if index is not None and index < len(cells) else None

    def fail(field: str, code: str, zh: str, en: str) -> None:
        found.append(Issue(row, headers[columns[field]] if field in columns else field, code, zh, en))

    def read(field: str, convert: Callable[[object], Any]) -> Any:
        try:
            return convert(cell(field))
        except FieldError as exc:
            fail(field, exc.code, exc.message_zh, exc.message_en)
            return None

    amount = read("amount", normalize.amount)
    paid_on = read("paid_on", normalize.date)
    account = read("account_number", normalize.account)
    reference = read("reference", normalize.account)
    number = read("id_number", normalize.id_number) if cell("id_number") not in (None, "") else None
    if (amount is None and cell("amount") in (None, "")) or (amount is not None and amount <= 0):
        fail(
            "amount",
            "amount_not_positive",
            "还款金额缺失或不大于零",
            "the amount is missing or not above zero",
        )
    if paid_on is None and cell("paid_on") in (None, ""):
        fail("paid_on", "date_missing", "缺少还款日期", "the date is missing")
    if not reference:
        fail("reference", "reference_missing", "缺少流水号", "the bank reference is missing")
    if not account and number is None and "id_number" not in {e.column for e in found}:
        fail("account_number", "no_key", "账号和身份证号都没有，无法匹配案件",
             "neither account number nor ID number: the row cannot be matched to a case")  # fmt: skip
    channel_text = normalize.text(cell("channel")) or "bank_transfer"
    channel = CHANNELS.get(channel_text.lower())
    if channel is None:
        fail(
            "channel",
            "channel_unknown",
            f"未知的还款渠道“{channel_text}”",
            f"unknown channel '{channel_text}'",
        )
    if found:
        errors.extend(found)
        return None
    return PaymentRow(row, account, number.value if number else None, amount, paid_on, reference, channel)
