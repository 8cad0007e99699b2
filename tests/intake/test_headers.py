"""Header catalogue: aliases, header-row detection and the column mapping."""

from __future__ import annotations

import pytest

from arrears.intake.errors import IntakeFileError
from arrears.intake.headers import (
    EXTRA,
    FIELD_LABELS,
    FIELDS,
    IGNORE,
    build_mapping,
    field_for_header,
    field_label,
    find_header_row,
    is_field,
    validate_custom_mapping,
)

from ._factory import HEADER, TITLE

# Every alias from the specification, written out here so the test checks the specification rather than
# the table it is meant to verify.
ALIASES: dict[str, list[str]] = {
    "name": [
        "姓名",
        "客户姓名",
        "持卡人姓名",
        "债务人",
        "借款人姓名",
        "name",
        "customer name",
        "debtor name",
    ],
    "id_number": ["身份证号", "身份证号码", "证件号码", "证件号", "id number", "id no", "national id"],
    "account_number": [
        "卡号",
        "账号",
        "合同号",
        "借据号",
        "账户号",
        "account number",
        "card number",
        "contract number",
        "loan number",
    ],
    "product": ["产品", "产品名称", "产品类型", "product"],
    "principal": ["本金", "欠款本金", "剩余本金", "principal"],
    "interest": ["利息", "欠款利息", "interest"],
    "late_fee": ["违约金", "滞纳金", "late fee", "penalty"],
    "other_fees": ["费用", "其他费用", "手续费", "fees", "other fees"],
    "total": ["欠款总额", "委托金额", "应还总额", "欠款金额", "total", "total owed", "amount owed"],
    "credit_limit": ["额度", "信用额度", "授信额度", "credit limit"],
    "overdue_since": [
        "逾期日期",
        "首次逾期日",
        "逾期起始日",
        "逾期开始日期",
        "overdue date",
        "overdue since",
    ],
    "dpd": ["逾期天数", "dpd", "days past due"],
    "last_payment_date": ["最后还款日期", "最近还款日", "last payment date"],
    "last_payment_amount": ["最后还款金额", "最近还款金额", "last payment amount"],
    "statement_day": ["账单日", "statement day"],
    "due_day": ["还款日", "到期还款日", "due day"],
    "mobile": ["手机", "手机号", "手机号码", "联系电话", "电话", "mobile", "phone"],
    "home_address": ["家庭地址", "住址", "现住址", "home address", "address"],
    "work_address": ["单位地址", "工作地址", "work address"],
    "employer": ["单位名称", "工作单位", "employer"],
    "email": ["邮箱", "电子邮箱", "email", "e-mail"],
}


@pytest.mark.parametrize(
    ("header", "field"), [(alias, field) for field, aliases in ALIASES.items() for alias in aliases]
)
def test_every_alias(header: str, field: str) -> None:
    assert field_for_header(header) == field


def test_alias_table_covers_every_field() -> None:
    assert set(ALIASES) == set(FIELDS)


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("  客户 姓名 ", "name"),
        ("客户　姓名", "name"),
        ("Customer Name", "name"),
        ("CUSTOMER  NAME", "name"),
        ("ＩＤ　Ｎｏ", "id_number"),
        ("ID No.", "id_number"),
        ("id_number", "id_number"),
        ("Account_Number", "account_number"),
        ("E-Mail", "email"),
        ("本金（元）", "principal"),
        ("本金(元)", "principal"),
        ("欠款金额【人民币】", "total"),
        ("逾期天数(天)", "dpd"),
        ("*姓名", "name"),
        ("姓名：", "name"),
    ],
)
def test_alias_matching_is_forgiving(header: str, field: str) -> None:
    assert field_for_header(header) == field


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("联系人1姓名", "contact1_name"),
        ("联系人1关系", "contact1_relationship"),
        ("联系人1电话", "contact1_phone"),
        ("联系人1手机", "contact1_phone"),
        ("联系人2姓名", "contact2_name"),
        ("联系人2关系", "contact2_relationship"),
        ("联系人2电话", "contact2_phone"),
        ("联系人2手机", "contact2_phone"),
        ("联系人3姓名", "contact3_name"),
        ("联系人3关系", "contact3_relationship"),
        ("联系人3电话", "contact3_phone"),
        ("联系人３手机", "contact3_phone"),
        ("联系人12姓名", "contact12_name"),
        ("紧急联系人姓名", "contact1_name"),
        ("紧急联系人关系", "contact1_relationship"),
        ("紧急联系人电话", "contact1_phone"),
        ("紧急联系人2姓名", "contact2_name"),
        ("紧急联系人2手机", "contact2_phone"),
        ("第二联系人姓名", "contact2_name"),
        ("联系人姓名2", "contact2_name"),
        ("联系人", "contact1_name"),
        ("contact 1 name", "contact1_name"),
        ("Contact 2 Relationship", "contact2_relationship"),
        ("contact 3 phone", "contact3_phone"),
        ("contact3_mobile", "contact3_phone"),
        ("emergency contact name", "contact1_name"),
        ("emergency contact phone", "contact1_phone"),
    ],
)
def test_contact_headers(header: str, field: str) -> None:
    assert field_for_header(header) == field


@pytest.mark.parametrize("header", ["备注", "contact phone", "联系人0姓名", "", "   ", None, 2024, "序号"])
def test_unknown_headers(header: object) -> None:
    assert field_for_header(header) is None


@pytest.mark.parametrize("header", ["错误原因", "原行号", "错误原因 (Reasons)", "原行号 (Original row)"])
def test_error_workbook_columns_are_ignored(header: str) -> None:
    assert field_for_header(header) == IGNORE


def test_labels() -> None:
    assert set(FIELD_LABELS) == set(FIELDS)
    assert all(zh and en for zh, en in FIELD_LABELS.values())
    assert field_label("name") == ("姓名", "Name")
    assert field_label("contact2_phone") == ("联系人2电话", "Contact 2 phone")
    assert field_label("contact10_relationship") == ("联系人10关系", "Contact 10 relationship")
    with pytest.raises(KeyError):
        field_label("nonsense")
    assert is_field("contact3_name")
    assert not is_field("contact0_name")
    assert not is_field("extra")


# --- find_header_row -------------------------------------------------------------------------------


def test_header_row_first() -> None:
    assert find_header_row([HEADER, ["x"] * len(HEADER)]) == 0


def test_header_row_below_title_and_merged_title() -> None:
    rows: list[list[object]] = [
        [TITLE, "", "", ""],  # a merged title reads as one cell and blanks
        ["委案日期：2024-08-01", "", "", ""],
        HEADER,
        ["张三"],
    ]
    assert find_header_row(rows) == 2


def test_header_row_below_blank_rows() -> None:
    rows: list[list[object]] = [[], ["", "", ""], [None, None], ["", *HEADER], ["", "张三"]]
    assert find_header_row(rows) == 3


def test_header_row_needs_name_and_account() -> None:
    # Three known columns but no account number: a summary block, not the header.
    rows: list[list[object]] = [["姓名", "身份证号", "本金"], HEADER]
    assert find_header_row(rows) == 1


def test_header_row_needs_three_known_cells() -> None:
    with pytest.raises(IntakeFileError) as caught:
        find_header_row([["姓名", "卡号", "备注"], ["张三", "1", ""]])
    assert caught.value.code == "header_not_found"


def test_header_row_only_within_max_scan() -> None:
    rows: list[list[object]] = [[""]] * 5 + [HEADER]
    assert find_header_row(rows, max_scan=6) == 5
    with pytest.raises(IntakeFileError) as caught:
        find_header_row(rows, max_scan=5)
    assert caught.value.code == "header_not_found"
    assert caught.value.message_zh and caught.value.message_en


def test_header_row_found_through_custom_mapping() -> None:
    rows: list[list[object]] = [["客户", "证件", "合同编号", "逾期"]]
    custom = {"客户": "name", "证件": "id_number", "合同编号": "account_number", "逾期": "dpd"}
    with pytest.raises(IntakeFileError):
        find_header_row(rows)
    assert find_header_row(rows, custom=custom) == 0


# --- build_mapping ---------------------------------------------------------------------------------

MINIMAL = ["姓名", "身份证号", "卡号", "逾期天数"]


def test_mapping_of_standard_header() -> None:
    mapping = build_mapping(HEADER)
    assert [c.field for c in mapping.columns] == [
        "name",
        "id_number",
        "account_number",
        "principal",
        "interest",
        "late_fee",
        "other_fees",
        "total",
        "overdue_since",
        "dpd",
        "mobile",
        "email",
    ]
    assert [c.header for c in mapping.columns] == HEADER
    assert mapping.warnings == ()
    assert mapping.header_for("total") == "欠款总额"
    assert mapping.header_for("employer") == "单位名称"  # not in the file: its label


def test_unknown_columns_are_kept_as_extra() -> None:
    mapping = build_mapping([*MINIMAL, " 备注 ", "分行", "", "备注"])
    extra = [(c.index, c.header, c.key) for c in mapping.columns if c.field == EXTRA]
    assert extra == [(4, "备注", "备注"), (5, "分行", "分行"), (6, "", "列G"), (7, "备注", "备注 (2)")]


def test_duplicate_field_becomes_extra_with_warning() -> None:
    mapping = build_mapping([*MINIMAL, "本金", "剩余本金"], header_row=3)
    assert [c.field for c in mapping.columns[4:]] == ["principal", EXTRA]
    assert mapping.columns[5].key == "剩余本金"
    (warning,) = mapping.warnings
    assert (warning.row, warning.column, warning.code) == (3, "剩余本金", "duplicate_column")
    assert "本金" in warning.message_zh


def test_phone_columns_are_merged_not_duplicates() -> None:
    mapping = build_mapping([*MINIMAL, "手机", "联系电话", "联系人1电话", "联系人1手机"])
    assert [c.field for c in mapping.columns[4:]] == ["mobile", "mobile", "contact1_phone", "contact1_phone"]
    assert mapping.warnings == ()


def test_custom_mapping_takes_precedence() -> None:
    header = ["客户", "身份证号", "卡号", "逾期天数", "姓名", "电话", "内部编号"]
    custom = {"客户": "name", "姓名": "extra", "电话": "contact1_phone", "内部编号": "ignore"}
    mapping = build_mapping(header, custom)
    assert [c.field for c in mapping.columns] == [
        "name",
        "id_number",
        "account_number",
        "dpd",
        EXTRA,
        "contact1_phone",
        IGNORE,
    ]


def test_custom_mapping_matches_normalised_header() -> None:
    mapping = build_mapping([*MINIMAL, "客户 等级"], {"客户等级": "product"})
    assert mapping.columns[4].field == "product"


def test_custom_mapping_with_unknown_field_is_refused() -> None:
    with pytest.raises(IntakeFileError) as caught:
        build_mapping(MINIMAL, {"姓名": "surname"})
    assert caught.value.code == "mapping_invalid"


def test_validate_custom_mapping() -> None:
    assert validate_custom_mapping({" 客户 ": " Name ", "": "extra", "X": "IGNORE"}) == {
        "客户": "name",
        "X": "ignore",
    }
    with pytest.raises(IntakeFileError):
        validate_custom_mapping({"A": "contact0_name"})


@pytest.mark.parametrize(
    ("header", "missing"),
    [
        (["身份证号", "卡号", "逾期天数"], ("name",)),
        (["姓名", "卡号", "逾期天数"], ("id_number",)),
        (["姓名", "身份证号", "逾期天数"], ("account_number",)),
        (["姓名", "身份证号", "卡号", "本金"], ("overdue_since", "dpd")),
        (["备注"], ("name", "id_number", "account_number", "overdue_since", "dpd")),
    ],
)
def test_missing_required_columns(header: list[str], missing: tuple[str, ...]) -> None:
    with pytest.raises(IntakeFileError) as caught:
        build_mapping(header)
    assert caught.value.code == "missing_columns"
    assert caught.value.columns == missing


def test_missing_columns_message_names_them() -> None:
    with pytest.raises(IntakeFileError) as caught:
        build_mapping(["姓名", "卡号", "本金"])
    assert "身份证号" in caught.value.message_zh
    assert "逾期日期或逾期天数" in caught.value.message_zh
    assert "ID number" in caught.value.message_en


@pytest.mark.parametrize("overdue", ["逾期日期", "逾期天数"])
def test_either_overdue_column_is_enough(overdue: str) -> None:
    mapping = build_mapping(["姓名", "身份证号", "卡号", overdue])
    assert overdue in [c.header for c in mapping.columns]


def test_as_custom_round_trip() -> None:
    mapping = build_mapping([*MINIMAL, "备注"])
    saved = mapping.as_custom()
    assert saved == {
        "姓名": "name",
        "身份证号": "id_number",
        "卡号": "account_number",
        "逾期天数": "dpd",
        "备注": "extra",
    }
    assert build_mapping([*MINIMAL, "备注"], saved).columns == mapping.columns
