"""Whole-file parsing: records, reject rules with exact row numbers and columns, warnings."""

from __future__ import annotations

import datetime as dt
import gc
from decimal import Decimal

import pytest

from arrears.intake.errors import IntakeFileError, Issue
from arrears.intake.normalize import Phone
from arrears.intake.parse import ParseResult, parse_file, parse_rows
from arrears.intake.rows import NamedContact

from ._factory import BUSINESS_DATE, HEADER, data_row, id_for, table, xlsx_bytes

# With the title row, the header is spreadsheet row 2 and the n-th data row is row n + 2.


def parse(rows: list[list[object]], custom_mapping: dict[str, str] | None = None) -> ParseResult:
    return parse_rows(rows, business_date=BUSINESS_DATE, custom_mapping=custom_mapping)


def codes(result: ParseResult) -> list[tuple[int, str, str]]:
    return [(i.row, i.column, i.code) for i in result.errors]


def test_valid_rows() -> None:
    result = parse(table(data_row(1), data_row(2)))
    assert result.errors == [] and result.rejected == [] and result.warnings == []
    assert result.header_row == 2
    assert result.headers == HEADER
    assert [r.row for r in result.records] == [3, 4]
    record = result.records[0]
    assert record.name == "张三1"
    assert record.id_number.value == id_for(1)
    assert record.account_number == "6222020000000001"
    assert (record.principal, record.interest, record.late_fee, record.other_fees) == (
        Decimal("1000.00"),
        Decimal("200.50"),
        Decimal("50.00"),
        Decimal("0.00"),
    )
    assert record.total == Decimal("1250.50")
    assert record.overdue_since == dt.date(2024, 6, 1)
    assert record.dpd == 61  # 2024-06-01 .. 2024-08-01
    assert record.mobiles == (Phone("13800138000", "+8613800138000", True),)
    assert record.email == "zhangsan@example.com"
    assert record.contacts == ()
    assert record.extra == {}


def test_all_fields_from_xlsx() -> None:
    header = [
        "客户姓名",
        "证件号码",
        "合同号",
        "产品名称",
        "剩余本金",
        "欠款利息",
        "违约金",
        "手续费",
        "应还总额",
        "授信额度",
        "首次逾期日",
        "逾期天数",
        "最近还款日",
        "最近还款金额",
        "账单日",
        "到期还款日",
        "手机号",
        "现住址",
        "工作地址",
        "工作单位",
        "电子邮箱",
        "联系人1姓名",
        "联系人1关系",
        "联系人1电话",
        "联系人2姓名",
        "联系人2关系",
        "联系人2手机",
        "联系人3姓名",
        "联系人3关系",
        "联系人3电话",
        "分行",
        "客户等级",
    ]
    row: list[object] = [
        "欧阳 娜娜",
        "11010519900101007x",
        "HT-2024-0001",
        "信用卡",
        10000.0,
        1234.56,
        100,
        "",
        11334.56,
        50000,
        dt.date(2024, 3, 5),
        "",
        45292,
        "￥500",
        5.0,
        "25日",
        "138 0013 8000/13900139000",
        "北京市朝阳区　某某路１号",
        "北京市海淀区",
        "某某公司",
        "Nana@Example.com",
        "欧阳 娜",
        "母女",
        "0086 13700137000",
        "王五",
        "同事",
        "010-12345678",
        "",
        "朋友",
        "",
        "北京分行",
        3.0,
    ]
    data = xlsx_bytes([["某银行委案"], header, row])
    result = parse_file(data, "cases.xlsx", business_date=BUSINESS_DATE)
    assert result.errors == []
    (record,) = result.records
    assert record.row == 3
    assert record.name == "欧阳娜娜"
    assert record.id_number.value == "11010519900101007X"
    assert record.account_number == "HT20240001"
    assert record.product == "信用卡"
    assert record.principal == Decimal("10000.00")
    assert record.interest == Decimal("1234.56")
    assert record.late_fee == Decimal("100.00")
    assert record.other_fees == Decimal("0.00")
    assert record.total == Decimal("11334.56")
    assert record.credit_limit == Decimal("50000.00")
    assert record.overdue_since == dt.date(2024, 3, 5)
    assert record.dpd == 149
    assert record.last_payment_date == dt.date(2024, 1, 1)
    assert record.last_payment_amount == Decimal("500.00")
    assert (record.statement_day, record.due_day) == (5, 25)
    assert [p.e164 for p in record.mobiles] == ["+8613800138000", "+8613900139000"]
    assert record.home_address == "北京市朝阳区 某某路1号"
    assert record.work_address == "北京市海淀区"
    assert record.employer == "某某公司"
    assert record.email == "nana@example.com"
    assert record.contacts == (
        NamedContact("欧阳娜", "母女", (Phone("0086 13700137000", "+8613700137000", True),)),
        NamedContact("王五", "同事", (Phone("010-12345678", "+861012345678", True),)),
    )  # contact 3 has only a relationship: skipped
    assert record.extra == {"分行": "北京分行", "客户等级": "3"}


def test_contacts_one_to_three() -> None:
    header = ["姓名", "身份证号", "卡号", "逾期天数"]
    for n in (1, 2, 3):
        header += [f"联系人{n}姓名", f"联系人{n}关系", f"联系人{n}电话"]
    row: list[object] = ["张三", id_for(1), "A1", "30"]
    row += ["李四", "配偶", "13900139000"]
    row += ["", "", "13700137000"]  # a phone without a name still reaches someone
    row += ["赵六", "", ""]
    (record,) = parse([header, row]).records
    assert [(c.name, c.relationship, [p.e164 for p in c.phones]) for c in record.contacts] == [
        ("李四", "配偶", ["+8613900139000"]),
        (None, None, ["+8613700137000"]),
        ("赵六", None, []),
    ]


def test_header_below_blank_rows_and_row_numbers() -> None:
    rows: list[list[object]] = [[], ["", ""], list(HEADER), data_row(1), [], ["", "  "], data_row(2, 姓名="")]
    result = parse(rows)
    assert result.header_row == 3
    assert [r.row for r in result.records] == [4]
    assert codes(result) == [(7, "姓名", "name_missing")]  # blank rows 5 and 6 skipped silently
    assert result.skipped_blank == 2


def test_unknown_columns_kept_in_extra_as_text() -> None:
    header = [*HEADER, "备注", "委案日期", "", "等级"]
    row = [*data_row(1), "  老客户 ", dt.date(2024, 7, 1), "无表头的值", 2.5]
    (record,) = parse([header, row]).records
    assert record.extra == {"备注": "老客户", "委案日期": "2024-07-01", "列O": "无表头的值", "等级": "2.5"}


def test_cells_beyond_the_header_are_kept() -> None:
    (record,) = parse([list(HEADER), [*data_row(1), "多出来的"]]).records
    assert record.extra == {"列M": "多出来的"}


def test_custom_mapping_in_parse() -> None:
    header = ["客户", "证件", "合同编号", "逾期", "姓名"]
    custom = {
        "客户": "name",
        "证件": "id_number",
        "合同编号": "account_number",
        "逾期": "dpd",
        "姓名": "extra",
    }
    result = parse([header, ["张三", id_for(1), "A-1", 10, "别名"]], custom_mapping=custom)
    (record,) = result.records
    assert (record.name, record.account_number, record.dpd) == ("张三", "A1", 10)
    assert record.overdue_since == BUSINESS_DATE - dt.timedelta(days=10)
    assert record.extra == {"姓名": "别名"}


# --- reject rules ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "column", "code"),
    [
        ({"姓名": ""}, "姓名", "name_missing"),
        ({"姓名": "　 "}, "姓名", "name_missing"),
        ({"身份证号": ""}, "身份证号", "id_missing"),
        ({"身份证号": id_for(1)[:17]}, "身份证号", "id_length"),
        ({"身份证号": id_for(1)[:16] + "A" + id_for(1)[17]}, "身份证号", "id_characters"),
        ({"身份证号": "110105199002300011"}, "身份证号", "id_birth_date"),
        ({"身份证号": id_for(1)[:17] + ("0" if id_for(1)[17] != "0" else "1")}, "身份证号", "id_check_digit"),
        ({"身份证号": 1.10105199001011e17}, "身份证号", "id_number_mangled"),
        ({"卡号": ""}, "卡号", "account_missing"),
        ({"卡号": " - "}, "卡号", "account_missing"),
        ({"本金": "-1000", "欠款总额": ""}, "本金", "amount_negative"),
        ({"利息": "(200.50)", "欠款总额": ""}, "利息", "amount_negative"),
        ({"滞纳金": "五十元"}, "滞纳金", "amount_invalid"),
        ({"欠款总额": "abc"}, "欠款总额", "amount_invalid"),
        ({"欠款总额": "-1250.50"}, "欠款总额", "amount_negative"),
        ({"欠款总额": "1250.52"}, "欠款总额", "total_mismatch"),
        ({"逾期日期": "", "逾期天数": ""}, "逾期日期", "overdue_missing"),
        ({"逾期日期": "2024-02-30"}, "逾期日期", "date_invalid"),
        ({"逾期日期": "", "逾期天数": "三十"}, "逾期天数", "integer_invalid"),
        ({"逾期日期": "", "逾期天数": "-3"}, "逾期天数", "integer_negative"),
        ({"逾期日期": "", "逾期天数": "3.5"}, "逾期天数", "integer_fraction"),
        ({"逾期日期": "2024-08-02"}, "逾期日期", "overdue_future"),
    ],
)
def test_reject_rules(overrides: dict[str, object], column: str, code: str) -> None:
    rows = table(data_row(1), data_row(2, **overrides), data_row(3))
    result = parse(rows)
    assert codes(result) == [(4, column, code)]
    assert [r.row for r in result.records] == [3, 5]
    (rejected,) = result.rejected
    assert rejected.row == 4
    assert rejected.cells == tuple(rows[3])  # original cells, untouched
    assert rejected.issues == tuple(result.errors)
    assert all(i.message_zh and i.message_en for i in result.errors)


def test_unknown_region_code_is_valid() -> None:
    result = parse(table(data_row(1, 身份证号=id_for(1, region="990000"))))
    assert result.errors == []
    assert result.records[0].id_number.region == "990000"


def test_lowercase_x_id() -> None:
    (record,) = parse(table(data_row(1, 身份证号="11010519900101007x"))).records
    assert record.id_number.value == "11010519900101007X"


def test_several_errors_on_one_row_are_all_reported() -> None:
    row = data_row(1, 姓名="", 身份证号="123", 本金="-5", 逾期日期="明天", 欠款总额="")
    result = parse(table(row))
    assert sorted(codes(result)) == sorted(
        [
            (3, "姓名", "name_missing"),
            (3, "身份证号", "id_length"),
            (3, "本金", "amount_negative"),
            (3, "逾期日期", "date_invalid"),
        ]
    )
    assert len(result.rejected) == 1 and len(result.rejected[0].issues) == 4


def test_a_day_of_month_out_of_range_rejects() -> None:
    header = [*HEADER, "账单日"]
    result = parse([header, [*data_row(1), "32"]])
    assert codes(result) == [(2, "账单日", "day_invalid")]


def test_implausible_dpd_rejects() -> None:
    result = parse(table(data_row(1, 逾期日期="", 逾期天数="99999")))
    assert codes(result) == [(3, "逾期天数", "dpd_invalid")]


# --- totals ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "accepted"),
    [
        ("1250.50", True),
        ("1250.51", True),  # 0.01 off: rounding in the bank's system, accepted
        ("1250.49", True),
        ("1250.52", False),  # 0.02 off: rejected
        ("1250.48", False),
    ],
)
def test_total_tolerance(total: str, accepted: bool) -> None:
    result = parse(table(data_row(1, 欠款总额=total)))
    if accepted:
        assert result.errors == []
        assert result.records[0].total == Decimal(total)  # the bank's total is kept as given
    else:
        assert codes(result) == [(3, "欠款总额", "total_mismatch")]
        assert total in result.errors[0].message_zh and "1250.50" in result.errors[0].message_zh
        assert total in result.errors[0].message_en and "1250.50" in result.errors[0].message_en


def test_total_mismatch_uses_only_the_components_given() -> None:
    result = parse(table(data_row(1, 利息="", 滞纳金="", 其他费用="", 欠款总额="1000")))
    assert result.errors == []
    record = result.records[0]
    assert (record.interest, record.late_fee, record.other_fees) == (Decimal("0.00"),) * 3


def test_total_absent_is_the_sum_of_components() -> None:
    (record,) = parse(table(data_row(1, 欠款总额=""))).records
    assert record.total == Decimal("1250.50")


def test_only_total_given() -> None:
    (record,) = parse(table(data_row(1, 本金="", 利息="", 滞纳金="", 其他费用="", 欠款总额="888"))).records
    assert record.principal == Decimal("0.00")
    assert record.total == Decimal("888.00")


def test_nothing_owed_given() -> None:
    (record,) = parse(table(data_row(1, 本金="", 利息="", 滞纳金="", 其他费用="", 欠款总额=""))).records
    assert record.total == Decimal("0.00")


# --- overdue date and days past due ----------------------------------------------------------------


def test_dpd_from_overdue_date() -> None:
    (record,) = parse(table(data_row(1, 逾期日期="2024-07-02"))).records
    assert (record.overdue_since, record.dpd) == (dt.date(2024, 7, 2), 30)


def test_overdue_date_from_dpd() -> None:
    (record,) = parse(table(data_row(1, 逾期日期="", 逾期天数="３０天"))).records
    assert (record.overdue_since, record.dpd) == (dt.date(2024, 7, 2), 30)


def test_both_given_are_kept_as_given() -> None:
    (record,) = parse(table(data_row(1, 逾期日期="2024-07-02", 逾期天数="25"))).records
    assert (record.overdue_since, record.dpd) == (dt.date(2024, 7, 2), 25)


def test_overdue_on_the_business_date() -> None:
    (record,) = parse(table(data_row(1, 逾期日期="2024-08-01"))).records
    assert record.dpd == 0


# --- duplicates ------------------------------------------------------------------------------------


def test_duplicate_accounts_first_kept() -> None:
    rows = table(
        data_row(1),
        data_row(2),
        data_row(3, 卡号="6222 0200 0000 0001"),  # same account as row 3, typed with spaces
        data_row(4, 卡号="6222020000000001"),
    )
    result = parse(rows)
    assert [r.row for r in result.records] == [3, 4]
    assert codes(result) == [(5, "卡号", "account_duplicate"), (6, "卡号", "account_duplicate")]
    assert "第 3 行" in result.errors[0].message_zh
    assert "row 3" in result.errors[0].message_en


def test_duplicate_of_a_rejected_row_is_still_a_duplicate() -> None:
    result = parse(table(data_row(1, 姓名=""), data_row(2, 卡号="6222020000000001")))
    assert codes(result) == [(3, "姓名", "name_missing"), (4, "卡号", "account_duplicate")]


def test_same_person_with_two_accounts_is_fine() -> None:
    result = parse(table(data_row(1), data_row(2, 身份证号=id_for(1))))
    assert len(result.records) == 2


# --- warnings --------------------------------------------------------------------------------------


def test_invalid_phone_is_a_warning() -> None:
    result = parse(table(data_row(1, 手机号码="12345/13800138000")))
    assert result.errors == []
    (record,) = result.records
    assert record.mobiles == (
        Phone("12345", None, False),
        Phone("13800138000", "+8613800138000", True),
    )
    assert [(w.row, w.column, w.code) for w in result.warnings] == [(3, "手机号码", "phone_invalid")]
    assert "12345" not in result.warnings[0].reason  # the number is personal data: masked


def test_invalid_email_is_a_warning_and_dropped() -> None:
    result = parse(table(data_row(1, 邮箱="zhangsan@")))
    assert result.errors == []
    assert result.records[0].email is None
    assert [(w.row, w.column, w.code) for w in result.warnings] == [(3, "邮箱", "email_invalid")]


def test_duplicate_column_warning_in_result() -> None:
    header = [*HEADER, "剩余本金"]
    result = parse([header, [*data_row(1), "1"]])
    assert [(w.row, w.column, w.code) for w in result.warnings] == [(1, "剩余本金", "duplicate_column")]
    assert result.records[0].extra == {"剩余本金": "1"}


def test_rejected_rows_do_not_report_warnings_as_imported() -> None:
    result = parse(table(data_row(1, 姓名="", 手机号码="12345")))
    assert result.warnings == []
    assert [i.code for i in result.rejected[0].issues] == ["name_missing"]


# --- file level ------------------------------------------------------------------------------------


def test_repeated_header_rows_are_skipped() -> None:
    result = parse(table(data_row(1), list(HEADER), data_row(2)))
    assert result.errors == []
    assert [r.row for r in result.records] == [3, 5]


def test_missing_columns_from_parse() -> None:
    with pytest.raises(IntakeFileError) as caught:
        parse([["姓名", "卡号", "备注"], ["张三", "1", "2"]])
    assert caught.value.code == "header_not_found"  # only two known cells: not a header at all
    with pytest.raises(IntakeFileError) as caught:
        parse([["姓名", "卡号", "本金", "利息"], ["张三", "1", "2", "3"]])
    assert caught.value.code == "missing_columns"
    assert caught.value.columns == ("id_number", "overdue_since", "dpd")


def test_header_only_file() -> None:
    result = parse(table())
    assert (result.records, result.errors, result.rejected) == ([], [], [])
    assert result.row_count == 0


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig"])
def test_parse_csv(encoding: str) -> None:
    lines = [
        "XX银行信用卡委案明细",
        ",".join(HEADER),
        ",".join(str(c) for c in data_row(1, 本金="1000", 手机号码="+86 138-0013-8000")),
        ",".join(str(c) for c in data_row(2, 卡号="")),
    ]
    data = ("\r\n".join(lines) + "\r\n").encode(encoding)
    result = parse_file(data, "委案.csv", business_date=BUSINESS_DATE)
    assert result.header_row == 2
    assert [r.name for r in result.records] == ["张三1"]
    assert result.records[0].mobiles[0].e164 == "+8613800138000"
    assert codes(result) == [(4, "卡号", "account_missing")]


def test_issue_reason() -> None:
    issue = Issue(3, "姓名", "name_missing", "缺少姓名", "the name is missing")
    assert issue.reason == "缺少姓名 / the name is missing"


def test_gc_threshold_is_restored() -> None:
    before = gc.get_threshold()
    parse(table(data_row(1)))
    with pytest.raises(IntakeFileError):
        parse([["姓名", "卡号", "本金", "利息"], ["张三", "1", "2", "3"]])
    assert gc.get_threshold() == before
