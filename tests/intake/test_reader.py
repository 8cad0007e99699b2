"""Reading .xlsx and .csv files into rows."""

from __future__ import annotations

import datetime as dt

import pytest

from arrears.intake.errors import IntakeFileError
from arrears.intake.reader import read_table

from ._factory import id_for, xlsx_bytes


def test_xlsx_round_trip_keeps_types_and_row_positions() -> None:
    rows: list[list[object]] = [
        ["XX银行信用卡委案明细"],
        [],
        ["姓名", "身份证号", "卡号", "本金", "逾期日期", "逾期天数", "VIP"],
        ["张三", id_for(1), "0012345", 1234.5, dt.date(2024, 3, 5), 35, True],
        ["李四", id_for(2), "0012346", "", None, 0, False],
    ]
    table = read_table(xlsx_bytes(rows), "委案.xlsx")
    assert len(table) == 5
    assert table[0][0] == "XX银行信用卡委案明细"
    assert all(cell == "" for cell in table[1])  # blank row kept: row 2 stays row 2
    assert table[2] == ["姓名", "身份证号", "卡号", "本金", "逾期日期", "逾期天数", "VIP"]
    name, id_number, account, principal, overdue, dpd, vip = table[3]
    assert (name, id_number, account) == ("张三", id_for(1), "0012345")
    assert isinstance(id_number, str)
    assert principal == 1234.5
    assert overdue == dt.date(2024, 3, 5)
    assert dpd == 35
    assert vip is True
    assert table[4][3] == "" and table[4][6] is False


def test_xlsx_keeps_leading_blank_columns() -> None:
    table = read_table(xlsx_bytes([["", "", "姓名"]]), "x.xlsx")
    assert table == [["", "", "姓名"]]


@pytest.mark.parametrize("filename", ["data.XLSX", "data.xlsm", "a.b.xlsx"])
def test_excel_extensions(filename: str) -> None:
    assert read_table(xlsx_bytes([["姓名"], ["张三"]]), filename) == [["姓名"], ["张三"]]


def test_trailing_blank_rows_are_dropped() -> None:
    table = read_table("姓名,卡号\n张三,1\n,\n\n".encode(), "a.csv")
    assert table == [["姓名", "卡号"], ["张三", "1"]]


CSV_TEXT = 'XX银行委案明细\n姓名,身份证号,卡号,本金\n张三,11010519900101007x,0012,"1,234.50"\n'
CSV_ROWS = [
    ["XX银行委案明细"],
    ["姓名", "身份证号", "卡号", "本金"],
    ["张三", "11010519900101007x", "0012", "1,234.50"],
]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_csv_encodings(encoding: str) -> None:
    assert read_table(CSV_TEXT.encode(encoding), "委案.csv") == CSV_ROWS


def test_csv_bom_is_not_part_of_first_header() -> None:
    table = read_table("\ufeff姓名,卡号\n张三,1\n".encode(), "a.csv")
    assert table[0][0] == "姓名"


def test_csv_gbk_only_characters() -> None:
    text = "姓名,地址\n欧阳娜娜,北京市朝阳区\n"
    data = text.encode("gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert read_table(data, "a.csv") == [["姓名", "地址"], ["欧阳娜娜", "北京市朝阳区"]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "姓名\t本金\n张三\t1,234.50\n李四\t2,000.00\n",
            [["姓名", "本金"], ["张三", "1,234.50"], ["李四", "2,000.00"]],
        ),
        ("姓名;本金\n张三;1,5\n李四;2\n", [["姓名", "本金"], ["张三", "1,5"], ["李四", "2"]]),
        ("标题\n姓名,本金\n张三,1\n", [["标题"], ["姓名", "本金"], ["张三", "1"]]),
    ],
)
def test_csv_delimiter_sniffing(text: str, expected: list[list[str]]) -> None:
    assert read_table(text.encode(), "a.csv") == expected


def test_csv_quoted_newline_and_excel_text_formula() -> None:
    text = '姓名,地址,账号\n张三,"北京市\n朝阳区",="0012345"\n'
    assert read_table(text.encode(), "a.csv") == [
        ["姓名", "地址", "账号"],
        ["张三", "北京市\n朝阳区", "0012345"],
    ]


@pytest.mark.parametrize(
    ("data", "filename", "code"),
    [
        (b"whatever", "cases.pdf", "file_type_unsupported"),
        (b"whatever", "cases", "file_type_unsupported"),
        (b"", "cases.xlsx", "file_empty"),
        (b"", "cases.csv", "file_empty"),
        (b"\n\n,,\n", "cases.csv", "file_empty"),
        (b"this is not a spreadsheet", "cases.xlsx", "file_unreadable"),
        (b"PK\x03\x04broken zip", "cases.xlsx", "file_unreadable"),
        (b"PK\x03\x04broken zip", "cases.csv", "file_unreadable"),
        (b"<html><table><tr><td>1</td></tr></table></html>", "cases.xls", "file_unreadable"),
        (b"a,b\x00c\n", "cases.csv", "file_unreadable"),
        (b"\x81\x30\xff\xff\xfe", "cases.csv", "file_encoding"),
    ],
)
def test_unreadable_files(data: bytes, filename: str, code: str) -> None:
    with pytest.raises(IntakeFileError) as caught:
        read_table(data, filename)
    assert caught.value.code == code
    assert caught.value.message_zh and caught.value.message_en
    assert caught.value.reason == f"{caught.value.message_zh} / {caught.value.message_en}"


def test_content_decides_over_extension() -> None:
    rows: list[list[object]] = [["姓名", "卡号"], ["张三", "0012"]]
    assert read_table(xlsx_bytes(rows), "renamed.csv") == rows
    # Tab-separated text saved under an .xls name, as some core-banking exports do.
    assert read_table("姓名\t卡号\n张三\t0012\n".encode("gbk"), "export.xls") == rows
