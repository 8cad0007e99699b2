"""Table-driven tests for the cell normalisers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from arrears.intake import normalize
from arrears.intake.errors import FieldError
from arrears.intake.normalize import Phone

from ._factory import id_for

# --- text and name ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  abc  ", "abc"),
        ("ａｂｃ　１２３", "abc 123"),  # full-width letters, digits and ideographic space
        ("a\u00a0\u00a0b", "a b"),  # NBSP
        ("A\t\tB\nC", "A B C"),
        ("北京市，朝阳区！", "北京市,朝阳区!"),  # full-width punctuation
        ("zero\u200bwidth", "zerowidth"),
        (123, "123"),
        (35.0, "35"),
        (1.5, "1.5"),
        (dt.date(2024, 3, 5), "2024-03-05"),
        ("", None),
        ("　 \t", None),
        (None, None),
    ],
)
def test_text(raw: object, expected: str | None) -> None:
    assert normalize.text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("张 三", "张三"),
        (" 张　三 丰 ", "张三丰"),
        ("欧阳  娜娜", "欧阳娜娜"),
        ("John  Smith", "John Smith"),
        ("Ｊｏｈｎ　Ｓｍｉｔｈ", "John Smith"),
        ("张三 Smith", "张三 Smith"),  # a space next to Latin letters is a word break
        ("买买提 · 艾力", "买买提·艾力"),
        ("买买提•艾力", "买买提·艾力"),
        ("", None),
        (None, None),
    ],
)
def test_name(raw: object, expected: str | None) -> None:
    assert normalize.name(raw) == expected


# --- amounts ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1234.56", "1234.56"),
        ("¥1,234.50元", "1234.50"),
        ("￥1,234.50", "1234.50"),
        ("１，２３４．５６", "1234.56"),
        ("￥１，２３４．５６元", "1234.56"),
        ("RMB 1,234.56", "1234.56"),
        ("rmb1234.56", "1234.56"),
        ("CNY 1234.56", "1234.56"),
        ("1234.56 CNY", "1234.56"),
        ("人民币100元", "100.00"),
        ("  1 234.5  ", "1234.50"),
        ("1,234,567.89", "1234567.89"),
        ("1234", "1234.00"),
        (".5", "0.50"),
        ("1234.565", "1234.57"),  # half up, not banker's rounding
        ("0.005", "0.01"),
        ("0.004", "0.00"),
        ("-0", "0.00"),
        ("+12", "12.00"),
        (1234.5, "1234.50"),
        (0.1 + 0.2, "0.30"),  # no binary noise
        (1234, "1234.00"),
        (0, "0.00"),
        (Decimal("12.345"), "12.35"),
    ],
)
def test_amount(raw: object, expected: str) -> None:
    result = normalize.amount(raw)
    assert result == Decimal(expected)
    assert str(result) == expected  # two places, exactly


@pytest.mark.parametrize("raw", [None, "", "  ", "　"])
def test_amount_empty(raw: object) -> None:
    assert normalize.amount(raw) is None


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("-1", "amount_negative"),
        ("-¥1,234.50", "amount_negative"),
        ("¥-1,234.50", "amount_negative"),
        ("(1,234.56)", "amount_negative"),
        ("（１，２３４．５６）", "amount_negative"),
        ("－５", "amount_negative"),
        ("\u22125", "amount_negative"),
        (-0.01, "amount_negative"),
        (-3, "amount_negative"),
        ("abc", "amount_invalid"),
        ("12,50", "amount_invalid"),  # not thousands grouping
        ("1,23,456", "amount_invalid"),
        ("1.2.3", "amount_invalid"),
        ("¥", "amount_invalid"),
        ("12元5角", "amount_invalid"),
        (True, "amount_invalid"),
        (float("nan"), "amount_invalid"),
        (float("inf"), "amount_invalid"),
        (dt.date(2024, 1, 1), "amount_invalid"),
        ("1e15", "amount_invalid"),  # too large to be a consumer debt
        ("\u0661\u0662", "amount_invalid"),  # digits of another script
    ],
)
def test_amount_errors(raw: object, code: str) -> None:
    with pytest.raises(FieldError) as caught:
        normalize.amount(raw)
    assert caught.value.code == code
    assert caught.value.message_zh and caught.value.message_en
    assert isinstance(caught.value, ValueError)


# --- dates -----------------------------------------------------------------------------------------

MARCH_5 = dt.date(2024, 3, 5)


@pytest.mark.parametrize(
    "raw",
    [
        "2024-03-05",
        "2024-3-5",
        "2024/3/5",
        "2024/03/05",
        "2024.03.05",
        "2024年3月5日",
        "2024年03月05日",
        "2024 年 3 月 5 日",
        "２０２４年３月５日",
        "２０２４－０３－０５",
        "20240305",
        "2024-03-05 00:00:00",
        "2024-03-05T13:45",
        45356,
        45356.0,
        45356.75,  # time of day is dropped
        "45356",
        "45356.5",
        20240305,
        MARCH_5,
        dt.datetime(2024, 3, 5, 13, 45),
    ],
)
def test_date(raw: object) -> None:
    assert normalize.date(raw) == MARCH_5


@pytest.mark.parametrize(
    ("serial", "expected"),
    [(20000, dt.date(1954, 10, 3)), (43831, dt.date(2020, 1, 1)), (80000, dt.date(2119, 1, 11))],
)
def test_date_excel_serial_range(serial: int, expected: dt.date) -> None:
    assert normalize.date(serial) == expected


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_date_empty(raw: object) -> None:
    assert normalize.date(raw) is None


@pytest.mark.parametrize(
    "raw",
    [
        "2024-02-30",
        "2023-02-29",
        "2024-13-01",
        "05/03/2024",  # day-first or month-first? refuse to guess
        "March 5, 2024",
        "abc",
        "20241305",
        "1899-12-31",
        19999,
        80001,
        100,
        "100",
        True,
        float("nan"),
        dt.time(12, 0),
    ],
)
def test_date_errors(raw: object) -> None:
    with pytest.raises(FieldError) as caught:
        normalize.date(raw)
    assert caught.value.code == "date_invalid"


# --- integers --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("35", 35),
        (35, 35),
        (35.0, 35),
        ("35.0", 35),
        ("３５天", 35),
        ("35 天", 35),
        ("35天", 35),
        ("35 days", 35),
        (" 0 ", 0),
        (Decimal("7"), 7),
        ("", None),
        (None, None),
    ],
)
def test_integer(raw: object, expected: int | None) -> None:
    assert normalize.integer(raw) == expected


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("-1", "integer_negative"),
        (-1, "integer_negative"),
        (-1.0, "integer_negative"),
        (35.5, "integer_fraction"),
        ("35.5", "integer_fraction"),
        ("abc", "integer_invalid"),
        ("3 5 x", "integer_invalid"),
        (True, "integer_invalid"),
        (float("inf"), "integer_invalid"),
    ],
)
def test_integer_errors(raw: object, code: str) -> None:
    with pytest.raises(FieldError) as caught:
        normalize.integer(raw)
    assert caught.value.code == code


@pytest.mark.parametrize(("raw", "expected"), [("25日", 25), (1, 1), (31.0, 31), ("", None)])
def test_day_of_month(raw: object, expected: int | None) -> None:
    assert normalize.day_of_month(raw) == expected


@pytest.mark.parametrize(
    ("raw", "code"), [(0, "day_invalid"), ("32", "day_invalid"), ("-1", "integer_negative")]
)
def test_day_of_month_errors(raw: object, code: str) -> None:
    with pytest.raises(FieldError) as caught:
        normalize.day_of_month(raw)
    assert caught.value.code == code


# --- ID numbers ------------------------------------------------------------------------------------

ID_WITH_X = "11010519900101007X"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (id_for(1), id_for(1)),
        (ID_WITH_X, ID_WITH_X),
        (ID_WITH_X.lower(), ID_WITH_X),
        ("１１０１０５１９９００１０１００７ｘ", ID_WITH_X),
        (" 110105 19900101 007X ", ID_WITH_X),
        ("110105\u300019900101\u3000007x", ID_WITH_X),
        ("\t" + id_for(1), id_for(1)),  # a tab some exports prepend so Excel keeps it as text
        ("'" + id_for(1), id_for(1)),
        ("990000198506150029", "990000198506150029"),  # unknown region code, valid checksum
    ],
)
def test_id_number(raw: object, expected: str) -> None:
    parsed = normalize.id_number(raw, today=dt.date(2024, 8, 1))
    assert parsed.value == expected


def test_id_number_birth_and_gender() -> None:
    parsed = normalize.id_number(ID_WITH_X)
    assert parsed.birth_date == dt.date(1990, 1, 1)
    assert parsed.gender == "M"  # sequence 007 is odd


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (1.10105199001011e17, "id_number_mangled"),
        (110105199001010010.0, "id_number_mangled"),
        ("1.10105E+17", "id_number_mangled"),
        ("1.10105199001011e+17", "id_number_mangled"),
        ("11010519900101001", "id_length"),
        ("1101051990010100100", "id_length"),
        ("11010519900101001A", "id_characters"),
        ("110105199013010016", "id_birth_date"),
        ("110105203001010010", "id_birth_date"),  # born after "today"
        (id_for(1)[:-1] + ("1" if id_for(1)[-1] != "1" else "2"), "id_check_digit"),
        ("".join(chr(0x0660 + int(c)) for c in id_for(1)), "id_characters"),  # Arabic-Indic digits
        (None, "id_missing"),
        ("", "id_missing"),
        ("   ", "id_missing"),
    ],
)
def test_id_number_errors(raw: object, code: str) -> None:
    with pytest.raises(FieldError) as caught:
        normalize.id_number(raw, today=dt.date(2024, 8, 1))
    assert caught.value.code == code


def test_id_number_error_keeps_idnumber_messages() -> None:
    with pytest.raises(FieldError) as caught:
        normalize.id_number("11010519900101001")
    assert caught.value.message_zh == "身份证号应为 18 位，实为 17 位"
    assert caught.value.message_en == "the ID number must have 18 characters, not 17"


# --- account numbers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (" 6222 0212-3456 7890 ", "6222021234567890"),
        ("6222－0212－3456", "622202123456"),
        ("００１２３", "00123"),
        ("00123", "00123"),
        ("HT-2024-0001", "HT20240001"),
        (12345.0, "12345"),
        (12345, "12345"),
        ("'0012", "0012"),
        ("", None),
        (None, None),
        (" - ", None),
    ],
)
def test_account(raw: object, expected: str | None) -> None:
    assert normalize.account(raw) == expected


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (1.5, "account_invalid"),
        (-5, "account_invalid"),
        (True, "account_invalid"),
        (6.222020200112345e18, "account_mangled"),
        ("6.22202E+15", "account_mangled"),
    ],
)
def test_account_errors(raw: object, code: str) -> None:
    with pytest.raises(FieldError) as caught:
        normalize.account(raw)
    assert caught.value.code == code


# --- phones ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("13800138000", "+8613800138000"),
        ("+86 138-0013-8000", "+8613800138000"),
        ("+8613800138000", "+8613800138000"),
        ("0086 13800138000", "+8613800138000"),
        ("008613800138000", "+8613800138000"),
        ("86-13800138000", "+8613800138000"),
        ("8613800138000", "+8613800138000"),
        ("138 0013 8000", "+8613800138000"),
        ("138-0013-8000", "+8613800138000"),
        ("１３８００１３８０００", "+8613800138000"),
        ("＋８６　１３８　００１３　８０００", "+8613800138000"),
        (13800138000, "+8613800138000"),
        (13800138000.0, "+8613800138000"),
        ("010-12345678", "+861012345678"),
        ("(021)1234 5678", "+862112345678"),
        ("（０２１）１２３４５６７８", "+862112345678"),
        ("021 1234 5678", "+862112345678"),
        ("0755-8888 6666", "+8675588886666"),
        ("+1 650-253-0000", "+16502530000"),  # foreign numbers go through phonenumbers in full
    ],
)
def test_phone_valid(raw: object, e164: str) -> None:
    result = normalize.phone(raw)
    assert result is not None
    assert result.valid is True
    assert result.e164 == e164


@pytest.mark.parametrize("raw", ["12345", "1380013800", "23800138000", "abc", "010-1234", "138001380001"])
def test_phone_invalid_is_not_an_error(raw: str) -> None:
    result = normalize.phone(raw)
    assert result == Phone(raw=raw, e164=None, valid=False)


def test_phone_keeps_raw_text() -> None:
    result = normalize.phone(" +86 138-0013-8000 ")
    assert result is not None
    assert result.raw == "+86 138-0013-8000"


@pytest.mark.parametrize("raw", [None, "", "  "])
def test_phone_empty(raw: object) -> None:
    assert normalize.phone(raw) is None
    assert normalize.phones(raw) == []


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13800138000", ["+8613800138000"]),
        ("13800138000/13900139000", ["+8613800138000", "+8613900139000"]),
        ("13800138000,13900139000", ["+8613800138000", "+8613900139000"]),
        ("13800138000，13900139000", ["+8613800138000", "+8613900139000"]),
        ("13800138000;13900139000", ["+8613800138000", "+8613900139000"]),
        ("13800138000；13900139000", ["+8613800138000", "+8613900139000"]),
        ("13800138000、13900139000", ["+8613800138000", "+8613900139000"]),
        ("13800138000 13900139000", ["+8613800138000", "+8613900139000"]),
        ("13800138000\n13900139000", ["+8613800138000", "+8613900139000"]),
        ("138 0013 8000", ["+8613800138000"]),
        ("138 0013 8000 139 0013 9000", ["+8613800138000", "+8613900139000"]),
        ("010 1234 5678 13800138000", ["+861012345678", "+8613800138000"]),
        ("13800138000 / 138-0013-8000", ["+8613800138000"]),  # the same number twice
        ("+86 138 0013 8000、(021)1234 5678", ["+8613800138000", "+862112345678"]),
    ],
)
def test_phones_split(raw: str, expected: list[str]) -> None:
    result = normalize.phones(raw)
    assert [p.e164 for p in result] == expected
    assert all(p.valid for p in result)


def test_phones_keep_invalid_pieces() -> None:
    result = normalize.phones("13800138000/12345 abc 13900139000")
    assert [(p.raw, p.valid) for p in result] == [
        ("13800138000", True),
        ("12345 abc", False),
        ("13900139000", True),
    ]


# --- e-mail ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Zhang.San@Example.COM ", "zhang.san@example.com"),
        ("ｚｓ＠ｅｘａｍｐｌｅ．ｃｏｍ", "zs@example.com"),
        ("a+b@mail.example.com.cn", "a+b@mail.example.com.cn"),
        ("12345@qq.com", "12345@qq.com"),
        ("", None),
        (None, None),
    ],
)
def test_email(raw: object, expected: str | None) -> None:
    assert normalize.email(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["zhangsan@", "zhangsan", "a@b", "a b@example.com", "a@@example.com", "a@example..com", ".a@example.com"],
)
def test_email_errors(raw: str) -> None:
    with pytest.raises(FieldError) as caught:
        normalize.email(raw)
    assert caught.value.code == "email_invalid"
