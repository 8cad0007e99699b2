"""Builders for intake tests: a standard header and rows that are valid unless told otherwise."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

import xlsxwriter

from arrears.debtors import idnumber

BUSINESS_DATE = dt.date(2024, 8, 1)
TITLE = "XX银行信用卡委案明细"

HEADER: list[str] = [
    "姓名",
    "身份证号",
    "卡号",
    "本金",
    "利息",
    "滞纳金",
    "其他费用",
    "欠款总额",
    "逾期日期",
    "逾期天数",
    "手机号码",
    "邮箱",
]


DEFAULT_BIRTH = dt.date(1990, 1, 1)


def id_for(sequence: int, birth: dt.date = DEFAULT_BIRTH, region: str = "110105") -> str:
    """A checksum-valid ID number; different sequences give different people."""
    return idnumber.make(region, birth, sequence)


def data_row(n: int = 1, **values: object) -> list[object]:
    """A valid row for :data:`HEADER`; keyword arguments (by header text) override single cells."""
    defaults: dict[str, object] = {
        "姓名": f"张三{n}",
        "身份证号": id_for(n),
        "卡号": f"62220200{n:08d}",
        "本金": "1000.00",
        "利息": "200.50",
        "滞纳金": "50",
        "其他费用": "0",
        "欠款总额": "1250.50",
        "逾期日期": "2024-06-01",
        "逾期天数": "",
        "手机号码": "13800138000",
        "邮箱": "zhangsan@example.com",
    }
    unknown = set(values) - set(defaults)
    if unknown:
        raise KeyError(f"not in HEADER: {unknown}")
    defaults.update(values)
    return [defaults[h] for h in HEADER]


def table(*rows: list[object], title: bool = True) -> list[list[object]]:
    """Title row (optional), the header, then ``rows``."""
    head: list[list[object]] = [[TITLE, *[""] * (len(HEADER) - 1)]] if title else []
    return [*head, list(HEADER), *rows]


def xlsx_bytes(rows: Sequence[Sequence[object]], sheet_name: str = "Sheet1") -> bytes:
    """Write ``rows`` with XlsxWriter, each value with its own type (str, number, date, bool)."""
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output)
    sheet = workbook.add_worksheet(sheet_name)
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, str):
                sheet.write_string(r, c, value)
            elif isinstance(value, bool):
                sheet.write_boolean(r, c, value)
            elif isinstance(value, dt.date):
                sheet.write_datetime(r, c, value, date_format)
            else:
                sheet.write_number(r, c, value)
    workbook.close()
    return output.getvalue()
