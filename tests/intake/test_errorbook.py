"""The error workbook: written, read back, corrected and parsed again."""

from __future__ import annotations

import datetime as dt
import io

import python_calamine

from arrears.intake.errorbook import ORIGINAL_ROW_HEADER, REASONS_HEADER, SHEET_NAME, write_error_workbook
from arrears.intake.parse import parse_file, parse_rows
from arrears.intake.reader import read_table

from ._factory import BUSINESS_DATE, HEADER, data_row, id_for, table, xlsx_bytes


def rejected_source() -> list[list[object]]:
    """Title, header, then rows 3..6: valid, bad ID, valid, missing name and negative amount."""
    return table(
        data_row(1),
        data_row(2, 身份证号=id_for(2)[:17]),
        data_row(3),
        data_row(4, 姓名="", 本金="-1", 欠款总额="", 逾期日期=dt.date(2024, 5, 1)),
    )


def test_error_workbook_contents() -> None:
    result = parse_rows(rejected_source(), business_date=BUSINESS_DATE)
    assert [r.row for r in result.rejected] == [4, 6]
    data = write_error_workbook(result.rejected, result.headers, result.header_row)

    workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    assert workbook.sheet_names == [SHEET_NAME]
    rows = read_table(data, "errors.xlsx")
    assert "第 2 行" in str(rows[0][0])  # the note names the original header row
    assert rows[1] == [*HEADER, REASONS_HEADER, ORIGINAL_ROW_HEADER]

    first = rows[2]
    assert first[: len(HEADER)] == data_row(2, 身份证号=id_for(2)[:17])
    assert isinstance(first[1], str)  # the ID stays text
    assert first[-1] == 4
    assert "身份证号" in str(first[-2]) and "18" in str(first[-2])

    second = rows[3]
    assert second[-1] == 6
    assert second[HEADER.index("逾期日期")] == dt.date(2024, 5, 1)  # a date stays a date
    reasons = str(second[-2]).split("；")
    assert len(reasons) == 2
    assert reasons[0].startswith("本金：") and "amounts cannot be negative" in reasons[0]
    assert reasons[1].startswith("姓名：") and "缺少姓名 / the name is missing" in reasons[1]


def test_error_workbook_parses_again() -> None:
    result = parse_rows(rejected_source(), business_date=BUSINESS_DATE)
    data = write_error_workbook(result.rejected, result.headers, result.header_row)

    again = parse_file(data, "errors.xlsx", business_date=BUSINESS_DATE)
    assert again.header_row == 2
    assert [c.field for c in again.mapping.columns[-2:]] == ["ignore", "ignore"]
    # Nothing was corrected: the same rows fail for the same reasons, and the two added columns did not
    # end up in extra or cause errors of their own.
    assert [[i.code for i in r.issues] for r in again.rejected] == [
        [i.code for i in r.issues] for r in result.rejected
    ]
    assert again.records == []


def test_corrected_error_workbook_imports() -> None:
    result = parse_rows(rejected_source(), business_date=BUSINESS_DATE)
    data = write_error_workbook(result.rejected, result.headers, result.header_row)

    # The user fixes the cells in Excel: simulate by editing the rows read back and saving them again.
    rows = read_table(data, "errors.xlsx")
    rows[2][HEADER.index("身份证号")] = id_for(2)
    rows[3][HEADER.index("姓名")] = "李四"
    rows[3][HEADER.index("本金")] = "1000"
    fixed = parse_file(xlsx_bytes(rows), "errors-fixed.xlsx", business_date=BUSINESS_DATE)
    assert fixed.errors == []
    assert [(r.name, r.id_number.value, r.row) for r in fixed.records] == [
        ("张三2", id_for(2), 3),
        ("李四", id_for(4), 4),
    ]
    assert all(r.extra == {} for r in fixed.records)
    assert fixed.records[1].overdue_since == dt.date(2024, 5, 1)


def test_second_round_does_not_stack_reason_columns() -> None:
    result = parse_rows(rejected_source(), business_date=BUSINESS_DATE)
    first = write_error_workbook(result.rejected, result.headers, result.header_row)
    again = parse_file(first, "errors.xlsx", business_date=BUSINESS_DATE)
    second = write_error_workbook(again.rejected, again.headers, again.header_row)
    header = read_table(second, "errors2.xlsx")[1]
    assert header == [*HEADER, REASONS_HEADER, ORIGINAL_ROW_HEADER]


def test_empty_error_workbook() -> None:
    data = write_error_workbook([], HEADER, 1)
    rows = read_table(data, "errors.xlsx")
    assert rows[1] == [*HEADER, REASONS_HEADER, ORIGINAL_ROW_HEADER]
    assert len(rows) == 2


def test_rows_shorter_than_header_and_odd_values() -> None:
    header = ["姓名", "身份证号", "卡号", "逾期天数", "备注"]
    rows: list[list[object]] = [header, ["", id_for(1), "A1", 3.0, True], ["张三", "", "A2"]]
    result = parse_rows(rows, business_date=BUSINESS_DATE)
    data = write_error_workbook(result.rejected, result.headers, result.header_row)
    back = read_table(data, "errors.xlsx")
    assert back[2][:5] == ["", id_for(1), "A1", 3.0, True]
    assert back[3][:5] == ["张三", "", "A2", "", ""]
    assert [back[2][-1], back[3][-1]] == [2, 3]
