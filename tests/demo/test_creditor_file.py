"""The creditor-file writer: the file reads back as the manifest says, defects and warnings included.

The file is read with python-calamine, as intake reads it, and every row is checked by a small
independent validator written here, so a manifest that drifted from the file would fail.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import phonenumbers
import pytest
from python_calamine import CalamineWorkbook

from arrears.debtors import idnumber
from arrears.demo import vocab
from arrears.demo.creditor_file import (
    COLUMNS,
    DEFECT_KINDS,
    FIELD_INDEX,
    FileManifest,
    excel_serial,
    write_creditor_csv,
    write_creditor_file,
)

BD = dt.date(2026, 11, 15)
ROWS = 1_000
_HALF_WIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
_EPOCH = dt.date(1899, 12, 30)

Row = list[object]


def read_xlsx(data: bytes) -> tuple[list[Row], list[tuple[tuple[int, int], tuple[int, int]]]]:
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
    return sheet.to_python(skip_empty_area=False), list(sheet.merged_cell_ranges or [])


@pytest.fixture(scope="module")
def messy() -> tuple[bytes, FileManifest]:
    return write_creditor_file(rows=ROWS, seed=11, business_date=BD)


@pytest.fixture(scope="module")
def messy_rows(messy: tuple[bytes, FileManifest]) -> list[Row]:
    return read_xlsx(messy[0])[0]


# -- an independent reading of the cells ---------------------------------------------------------------


def text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).translate(_HALF_WIDTH).strip()


def amount(value: object) -> Decimal | None:
    if value in ("", None):
        return None
    if isinstance(value, (int, float)):
        return Decimal(str(value)).quantize(Decimal("0.01"))
    cleaned = re.sub(r"[¥元,\s]", "", text(value))
    return Decimal(cleaned).quantize(Decimal("0.01"))


def date(value: object) -> dt.date | None:
    if value in ("", None):
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)):
        return _EPOCH + dt.timedelta(days=int(value))
    match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text(value))
    assert match, value
    return dt.date(*(int(g) for g in match.groups()))


def phone_ok(value: object) -> bool:
    digits = re.sub(r"[\s\-]", "", text(value))
    if digits.startswith("0086"):
        digits = "+86" + digits[4:]
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(digits, "CN"))
    except phonenumbers.NumberParseException:
        return False


def cell(row: Row, field: str) -> object:
    return row[FIELD_INDEX[field]]


def defects_of(row: Row, seen_accounts: set[str]) -> set[str]:
    """What is wrong with a data row, judged from the cells alone."""
    found: set[str] = set()
    if text(cell(row, "name")) == "":
        found.add("empty_name")
    id_cell = cell(row, "id_number")
    assert isinstance(id_cell, str), "ID numbers must be text cells"
    try:
        idnumber.parse(id_cell, today=BD)
    except idnumber.IdNumberError as error:
        assert error.code == "id_check_digit"
        found.add("bad_id_check_digit")
    account = cell(row, "account_number")
    if account == "":
        found.add("missing_account_number")
    else:
        assert isinstance(account, str), "account numbers must be text cells"
        if account in seen_accounts:
            found.add("duplicate_account_number")
        seen_accounts.add(account)
    parts = [amount(cell(row, f)) for f in ("principal", "interest", "late_fee", "other_fees")]
    total = amount(cell(row, "total"))
    assert None not in parts and total is not None
    if any(p < 0 for p in parts if p is not None):
        found.add("negative_amount")
    elif abs(total - sum(p for p in parts if p is not None)) > Decimal("0.01"):
        found.add("total_mismatch")
    since, dpd = date(cell(row, "overdue_since")), cell(row, "dpd")
    if since is None and dpd == "":
        found.add("missing_overdue")
    if since is not None and dpd != "":
        assert (BD - since).days == int(text(dpd))
    return found


def phone_cells(row: Row) -> list[object]:
    return [v for f in ("mobile", "contact1_phone", "contact2_phone") if (v := cell(row, f)) != ""]


# -- layout --------------------------------------------------------------------------------------------


def test_title_note_and_header_rows(messy: tuple[bytes, FileManifest]) -> None:
    data, manifest = messy
    rows, merged = read_xlsx(data)
    assert manifest.title == "东湖银行信用卡委案明细（2026年11月）"
    assert rows[0][0] == manifest.title
    assert ((0, 0), (0, len(COLUMNS) - 1)) in merged
    assert rows[1][0].startswith("说明")
    assert manifest.header_row == 3
    assert rows[manifest.header_row - 1] == list(manifest.columns) == [h for _, h in COLUMNS]
    normalised = {re.sub(r"\s", "", h) for h in manifest.columns}
    expected = {"持卡人姓名", "身份证号码", "卡号", "欠款本金", "委托金额", "首次逾期日", "逾期天数"}
    assert expected | {"联系人1姓名", "联系人2电话"} <= normalised
    assert {"客户等级", "营销渠道"} <= normalised
    assert any(h != h.strip() or " " in h for h in manifest.columns)  # the odd spacing is there


def test_manifest_counts(messy: tuple[bytes, FileManifest], messy_rows: list[Row]) -> None:
    _, manifest = messy
    assert manifest.rows == ROWS == len(messy_rows) - manifest.header_row
    assert set(manifest.bad) == set(DEFECT_KINDS)
    assert all(manifest.bad[kind] for kind in DEFECT_KINDS)
    bad = sum(len(rows) for rows in manifest.bad.values())
    assert bad == ROWS // 50
    assert len(manifest.warnings) == ROWS // 100
    assert manifest.valid_rows == ROWS - bad
    assert not set(manifest.warnings) & {r for rows in manifest.bad.values() for r in rows}


def test_every_row_is_as_the_manifest_says(messy: tuple[bytes, FileManifest], messy_rows: list[Row]) -> None:
    _, manifest = messy
    expected = {row: kind for kind, rows in manifest.bad.items() for row in rows}
    seen: set[str] = set()
    warnings = []
    for number, row in enumerate(messy_rows[manifest.header_row :], start=manifest.header_row + 1):
        found = defects_of(row, seen)
        assert found == ({expected[number]} if number in expected else set()), number
        if not all(phone_ok(v) for v in phone_cells(row)):
            warnings.append(number)
    assert warnings == manifest.warnings
    duplicates = manifest.bad["duplicate_account_number"]
    assert all(messy_rows[r - 1] == messy_rows[r - 2] for r in duplicates)  # the row above, sent twice


def test_id_and_account_numbers_are_text_cells(messy_rows: list[Row]) -> None:
    for row in messy_rows[3:]:
        assert isinstance(cell(row, "id_number"), str)
        assert isinstance(cell(row, "account_number"), str)


def test_messy_values_take_every_promised_form(messy_rows: list[Row]) -> None:
    data = messy_rows[3:]
    amounts = [cell(r, f) for r in data for f in ("principal", "interest", "late_fee", "other_fees", "total")]
    assert any(isinstance(a, float) for a in amounts)
    assert any(isinstance(a, str) and a.startswith("¥") and a.endswith("元") and "," in a for a in amounts)
    assert any(isinstance(a, str) and re.fullmatch(r"-?\d+\.\d\d", a) for a in amounts)
    assert any(isinstance(a, str) and re.search("[０-９]", a) for a in amounts)  # full-width digits
    dates = [cell(r, "overdue_since") for r in data]
    assert any(isinstance(d, dt.date) for d in dates)
    assert any(isinstance(d, float) and 40_000 < d < 50_000 for d in dates)  # Excel serials
    patterns = (
        r"\d{4}-\d\d-\d\d",
        r"\d{4}/\d{1,2}/\d{1,2}",
        r"\d{4}\.\d\d\.\d\d",
        r"\d{4}年\d{1,2}月\d{1,2}日",
    )
    for pattern in patterns:
        assert any(isinstance(d, str) and re.fullmatch(pattern, d) for d in dates), pattern
    phones = [p for r in data for p in phone_cells(r)]
    assert any(isinstance(p, str) and p.startswith("+86 ") and "-" in p for p in phones)
    assert any(isinstance(p, str) and p.startswith("0086") for p in phones)
    assert any(isinstance(p, str) and " " in p and not p.startswith(("+", "0")) for p in phones)
    assert any(isinstance(p, str) and "１" in p for p in phones)
    assert any(isinstance(p, float) for p in phones)
    assert any(cell(r, "id_number").endswith("x") for r in data)  # type: ignore[union-attr]
    # Either column alone is enough, and some rows carry only one.
    assert any(cell(r, "overdue_since") == "" and cell(r, "dpd") != "" for r in data)
    assert any(cell(r, "overdue_since") != "" and cell(r, "dpd") == "" for r in data)


def test_values_come_from_the_generator_vocabulary(messy_rows: list[Row]) -> None:
    provinces = {row[1] for row in vocab.REGIONS}
    for row in messy_rows[3:]:
        address = cell(row, "home_address")
        assert isinstance(address, str) and any(address.startswith(p) for p in provinces)
        assert cell(row, "contact1_relationship") in vocab.RELATIONSHIPS
        assert cell(row, "customer_grade") in vocab.CUSTOMER_GRADES
        assert cell(row, "marketing_channel") in vocab.MARKETING_CHANNELS
        account = cell(row, "account_number")
        if account != "":
            assert isinstance(account, str) and len(account) == 16 and account.startswith("625917")


def test_a_clean_file_has_plain_values_and_nothing_bad() -> None:
    data, manifest = write_creditor_file(rows=300, seed=4, business_date=BD, messy=False, bad_rows=False)
    rows, _ = read_xlsx(data)
    assert manifest.valid_rows == manifest.rows == 300
    assert all(not v for v in manifest.bad.values()) and manifest.warnings == []
    assert rows[1][0] == ""  # a blank row where the messy file has its note
    seen: set[str] = set()
    for row in rows[3:]:
        assert defects_of(row, seen) == set()
        assert all(isinstance(cell(row, f), float) for f in ("principal", "interest", "total"))
        since = cell(row, "overdue_since")
        assert isinstance(since, str) and re.fullmatch(r"\d{4}-\d\d-\d\d", since)
        assert re.fullmatch(r"1\d{10}", str(cell(row, "mobile")))
        assert all(phone_ok(v) for v in phone_cells(row))


def test_same_arguments_same_bytes_and_different_seed_different_rows() -> None:
    first, m1 = write_creditor_file(rows=120, seed=8, business_date=BD)
    second, m2 = write_creditor_file(rows=120, seed=8, business_date=BD)
    assert m1 == m2
    assert first == second
    other, _ = write_creditor_file(rows=120, seed=9, business_date=BD)
    assert read_xlsx(other)[0][3:] != read_xlsx(first)[0][3:]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_csv_carries_the_same_content(
    encoding: str, messy: tuple[bytes, FileManifest], messy_rows: list[Row]
) -> None:
    data, manifest = write_creditor_csv(rows=ROWS, seed=11, business_date=BD, encoding=encoding)
    assert manifest == messy[1]
    if encoding == "utf-8-sig":
        assert data.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(data.decode(encoding), newline="")))
    assert lines[0] == [manifest.title]
    assert lines[manifest.header_row - 1] == list(manifest.columns)
    assert len(lines) == manifest.header_row + manifest.rows
    start = manifest.header_row
    for from_csv, from_xlsx in zip(lines[start:], messy_rows[start:], strict=True):
        for field in ("name", "id_number", "account_number", "home_address", "contact1_relationship"):
            assert from_csv[FIELD_INDEX[field]] == cell(from_xlsx, field)
        for field in ("principal", "total"):
            assert amount(from_csv[FIELD_INDEX[field]]) == amount(cell(from_xlsx, field))
        csv_date = from_csv[FIELD_INDEX["overdue_since"]]
        if isinstance(cell(from_xlsx, "overdue_since"), float):
            assert date(float(csv_date)) == date(cell(from_xlsx, "overdue_since"))
        elif csv_date:
            assert date(csv_date) == date(cell(from_xlsx, "overdue_since"))


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError):
        write_creditor_csv(rows=10, seed=1, business_date=BD, encoding="latin-1")
    with pytest.raises(ValueError):
        write_creditor_file(rows=-1, seed=1, business_date=BD)


def test_excel_serial_numbers() -> None:
    assert excel_serial(dt.date(1900, 3, 1)) == 61
    assert excel_serial(dt.date(2024, 3, 5)) == 45356
