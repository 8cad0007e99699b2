"""Creditor intake files as a bank sends them, for testing and demonstrating case intake.

``write_creditor_file`` writes an ``.xlsx`` the way a card centre exports its placement list: a merged
title row, a note row, then a header row of Chinese column names with odd spacing, including two
columns arrears does not know. With ``messy=True`` the values vary the way hand-kept spreadsheets do
(full-width digits, ``¥1,234.50元`` amounts, five date styles, phones with +86 or 0086 and spaces,
a lowercase x in ID numbers). With ``bad_rows=True`` a deterministic 2% of rows carry exactly one
defect that intake must reject, and 1% an invalid phone that it should only warn about. The
:class:`FileManifest` returned with the bytes says which rows are which, so tests can check intake
against it row by row. ``write_creditor_csv`` writes the same content as CSV.

Rows come from the demo generator's vocabulary and account factory (creditor DHBANK, cards only);
same arguments, same bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

import xlsxwriter

from arrears.demo import vocab
from arrears.demo.generator import (
    CREDITORS,
    DemoPlacement,
    _AccountFactory,
    _PlacementPlan,
)

__all__ = [
    "COLUMNS",
    "DEFECT_KINDS",
    "FIELD_INDEX",
    "FileManifest",
    "excel_serial",
    "write_creditor_csv",
    "write_creditor_file",
]

CREDITOR_CODE = "DHBANK"
HEADER_ROW = 3  # 1-based: title, note, header

# (field, header as the bank writes it). The spacing is deliberate: intake must normalise it.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("name", "持卡人姓名"),
    ("id_number", "身份证号码 "),
    ("account_number", "卡 号"),
    ("principal", "欠款本金"),
    ("interest", " 利息"),
    ("late_fee", "滞纳金"),
    ("other_fees", "其他费用"),
    ("total", "委托金额"),
    ("overdue_since", "首次逾期日"),
    ("dpd", "逾期 天数"),
    ("mobile", "手机号码"),
    ("home_address", "住址"),
    ("employer", "工作单位"),
    ("work_address", "单位地址\u3000"),  # an ideographic space, as an IME leaves behind
    ("email", "电子邮箱"),
    ("contact1_name", "联系人1姓名"),
    ("contact1_relationship", "联系人1关系"),
    ("contact1_phone", "联系人1电话"),
    ("contact2_name", "联系人2姓名"),
    ("contact2_relationship", "联系人2关系"),
    ("contact2_phone", "联系人2 电话"),
    ("customer_grade", "客户等级"),  # unknown to arrears
    ("marketing_channel", "营销渠道"),  # unknown to arrears
)
FIELD_INDEX: dict[str, int] = {name: i for i, (name, _) in enumerate(COLUMNS)}

# Defects that make a row unimportable, one per bad row, cycled so that every kind appears.
# Duplicates come last so the first one lands far enough down for an earlier row to exist.
DEFECT_KINDS: tuple[str, ...] = (
    "empty_name",
    "bad_id_check_digit",
    "missing_account_number",
    "negative_amount",
    "total_mismatch",
    "missing_overdue",
    "duplicate_account_number",
)
_BAD_EVERY = 50  # 2% of rows are bad
_WARN_EVERY = 100  # 1% carry an invalid phone
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # day 0 of Excel's 1900 date system, as serials count it
_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")

Cell = str | int | float | dt.date | None


@dataclass(frozen=True, slots=True)
class FileManifest:
    """What a generated creditor file contains, for checking intake against it.

    Row numbers are 1-based spreadsheet rows (as Excel shows them, and CSV line numbers).
    """

    rows: int  # data rows written, bad ones included
    header_row: int
    bad: dict[str, list[int]]  # defect kind -> rows; every kind is present, possibly empty
    warnings: list[int]  # rows with one invalid phone number; they must still import
    valid_rows: int  # rows that must import
    title: str
    columns: tuple[str, ...]  # headers exactly as written


def write_creditor_file(
    *, rows: int, seed: int, business_date: dt.date, messy: bool = True, bad_rows: bool = True
) -> tuple[bytes, FileManifest]:
    """An ``.xlsx`` placement list from 东湖银行 with ``rows`` data rows, and its manifest."""
    content = _FileContent(rows=rows, seed=seed, business_date=business_date, messy=messy, bad_rows=bad_rows)
    buffer = io.BytesIO()
    # constant_memory streams each row to disk as it is written, so 100,000 rows stay small.
    workbook = xlsxwriter.Workbook(buffer, {"constant_memory": True})
    # A fixed creation time (XlsxWriter would stamp the current one) keeps the bytes reproducible.
    created = dt.datetime.combine(business_date, dt.time(9))
    workbook.set_properties({"created": created, "author": issuer_of()})
    sheet = workbook.add_worksheet("委案明细")
    title_format = workbook.add_format({"bold": True, "font_size": 14, "align": "center"})
    header_format = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    sheet.merge_range(0, 0, 0, len(COLUMNS) - 1, content.title, title_format)
    if content.note:
        sheet.write_string(1, 0, content.note)
    for col, (_, header) in enumerate(COLUMNS):
        sheet.write_string(HEADER_ROW - 1, col, header, header_format)
    sheet.set_column(0, len(COLUMNS) - 1, 14)
    write_string, write_number, write_datetime = sheet.write_string, sheet.write_number, sheet.write_datetime
    for row_index, cells in enumerate(content.rows(), start=HEADER_ROW):
        for col, value in enumerate(cells):
            if value is None:
                continue
            if isinstance(value, str):  # ID and account numbers are always text, never numbers
                write_string(row_index, col, value)
            elif isinstance(value, dt.date):
                write_datetime(row_index, col, value, date_format)
            else:
                write_number(row_index, col, value)
    workbook.close()
    return buffer.getvalue(), content.manifest()


def write_creditor_csv(
    *,
    rows: int,
    seed: int,
    business_date: dt.date,
    messy: bool = True,
    bad_rows: bool = True,
    encoding: str = "utf-8-sig",
) -> tuple[bytes, FileManifest]:
    """The same content as :func:`write_creditor_file`, as CSV in UTF-8 with BOM or GB18030."""
    if encoding not in ("utf-8-sig", "gb18030"):
        raise ValueError("encoding must be 'utf-8-sig' or 'gb18030'")
    content = _FileContent(rows=rows, seed=seed, business_date=business_date, messy=messy, bad_rows=bad_rows)
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow([content.title])
    writer.writerow([content.note] if content.note else [])
    writer.writerow([header for _, header in COLUMNS])
    for cells in content.rows():
        writer.writerow([_csv_text(value) for value in cells])
    return text.getvalue().encode(encoding), content.manifest()


def issuer_of() -> str:
    """The bank's name as its files print it: 东湖银行 for 东湖银行信用卡中心."""
    creditor = next(c for c in CREDITORS if c.code == CREDITOR_CODE)
    return creditor.name_zh.removesuffix("信用卡中心")


def _csv_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dt.date):  # what Excel prints for a date cell when saving as CSV
        return f"{value:%Y/%m/%d}"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def excel_serial(day: dt.date) -> int:
    """The Excel 1900-system serial number of ``day``."""
    return (day - _EXCEL_EPOCH).days


class _FileContent:
    """The rows of one file and the manifest that describes them; both writers share it."""

    def __init__(self, *, rows: int, seed: int, business_date: dt.date, messy: bool, bad_rows: bool) -> None:
        if rows < 0:
            raise ValueError("rows must not be negative")
        self.count = rows
        self.business_date = business_date
        self.messy = messy
        self.bad_rows = bad_rows
        creditor = next(c for c in CREDITORS if c.code == CREDITOR_CODE)
        self.title = f"{issuer_of()}信用卡委案明细（{business_date.year}年{business_date.month}月）"
        self.note = (
            f"说明：金额单位为人民币元，逾期天数计至{business_date.year}年{business_date.month}月"
            f"{business_date.day}日；本表仅限委外催收使用，请妥善保管客户信息。"
            if messy
            else ""
        )
        placement = DemoPlacement(
            creditor_code=CREDITOR_CODE,
            name=f"{business_date:%Y-%m} 委案",
            entrusted_on=business_date,
            return_on=business_date + dt.timedelta(days=90),
            product_type=creditor.product_type,
            commission_rate=Decimal("0.15"),
        )
        # The file is a snapshot on the business date: amounts run to today's DPD.
        self._plan = _PlacementPlan(placement, age=0, min_dpd=1, max_dpd=None)
        self._factory = _AccountFactory(
            seed=seed, accounts=rows, business_date=business_date, plans={}, salt="creditor-file"
        )
        digest = hashlib.sha256(f"arrears.demo/creditor-file/{seed}/defects".encode()).digest()
        self._bad_offset = digest[0] % _BAD_EVERY
        self._warn_offset = (self._bad_offset + _BAD_EVERY // 2) % _WARN_EVERY

    def defect_of(self, index: int) -> str | None:
        """The defect of data row ``index`` (0-based), if it is one of the bad rows."""
        if not self.bad_rows or index % _BAD_EVERY != self._bad_offset:
            return None
        return DEFECT_KINDS[(index // _BAD_EVERY) % len(DEFECT_KINDS)]

    def warns(self, index: int) -> bool:
        return self.bad_rows and index % _WARN_EVERY == self._warn_offset

    def manifest(self) -> FileManifest:
        bad: dict[str, list[int]] = {kind: [] for kind in DEFECT_KINDS}
        warnings: list[int] = []
        for index in range(self._bad_offset, self.count, _BAD_EVERY) if self.bad_rows else ():
            kind = self.defect_of(index)
            if kind is not None:
                bad[kind].append(HEADER_ROW + 1 + index)
        if self.bad_rows:
            warnings = [HEADER_ROW + 1 + i for i in range(self._warn_offset, self.count, _WARN_EVERY)]
        bad_count = sum(len(v) for v in bad.values())
        return FileManifest(
            rows=self.count,
            header_row=HEADER_ROW,
            bad=bad,
            warnings=warnings,
            valid_rows=self.count - bad_count,
            title=self.title,
            columns=tuple(header for _, header in COLUMNS),
        )

    def rows(self) -> Iterator[list[Cell]]:
        previous: list[Cell] = []
        for index, rng in self._factory.accounts(0, self.count):
            defect = self.defect_of(index)
            if defect == "duplicate_account_number":
                # The bank sent the row above twice. Draw this row anyway, so that later rows do not
                # depend on whether this one is a duplicate.
                self._row(index, rng, None)
                yield list(previous)
                continue
            cells = self._row(index, rng, defect)
            previous = cells
            yield cells

    def _row(self, index: int, rng: random.Random, defect: str | None) -> list[Cell]:
        r = rng.random
        factory = self._factory
        debtor, contacts = factory.debtor(rng, index)
        case, _ = factory.case(rng, 2 * index, debtor.key, CREDITOR_CODE, self._plan)
        cells: list[Cell] = [None] * len(COLUMNS)
        put = FIELD_INDEX

        cells[put["name"]] = debtor.name
        id_number = debtor.id_number
        if self.messy and id_number.endswith("X") and r() < 0.5:
            id_number = id_number[:-1] + "x"
        cells[put["id_number"]] = id_number
        cells[put["account_number"]] = case.account_number

        components = [_cents(x) for x in (case.principal, case.interest, case.late_fee, case.other_fees)]
        total = sum(components)
        if defect == "negative_amount":
            components[0] = -components[0]
            total = sum(components)  # consistent with the parts: the one defect is the sign
        elif defect == "total_mismatch":
            total += (1 if r() < 0.5 else -1) * (1_000 + int(r() * 49_000))
        for name, cents in zip(("principal", "interest", "late_fee", "other_fees"), components, strict=True):
            cells[put[name]] = self._amount(r, cents)
        cells[put["total"]] = self._amount(r, total)

        dpd = case.dpd(self.business_date)
        cells[put["overdue_since"]] = self._date(r, case.overdue_since)
        cells[put["dpd"]] = str(dpd) if self.messy and r() < 0.1 else dpd
        if self.messy and r() < 0.05:  # one of the two is enough, and banks often send only one
            cells[put["overdue_since"] if r() < 0.5 else put["dpd"]] = None

        cells[put["mobile"]] = self._phone(r, debtor.mobiles[0])
        cells[put["home_address"]] = debtor.home_address.text
        cells[put["employer"]] = debtor.employer
        cells[put["work_address"]] = debtor.work_address.text if debtor.work_address else None
        cells[put["email"]] = debtor.email
        for slot, contact in enumerate(contacts[:2], start=1):
            cells[put[f"contact{slot}_name"]] = contact.name
            cells[put[f"contact{slot}_relationship"]] = contact.relationship
            cells[put[f"contact{slot}_phone"]] = self._phone(r, contact.phone)
        limit = case.credit_limit
        grade = "普卡" if limit < 20_000 else "金卡" if limit < 50_000 else "白金卡"
        cells[put["customer_grade"]] = grade
        cells[put["marketing_channel"]] = vocab.MARKETING_CHANNELS[int(r() * len(vocab.MARKETING_CHANNELS))]

        if self.warns(index):
            # An invalid phone, a digit dropped or doubled in typing: the debtor's own mobile on even
            # warning rows, the first contact's on odd ones.
            on_contact = index // _WARN_EVERY % 2 == 1 and bool(contacts)
            national = (contacts[0].phone if on_contact else debtor.mobiles[0])[3:]
            broken = national[:-1] if r() < 0.5 else national + national[-1]
            cells[put["contact1_phone" if on_contact else "mobile"]] = broken

        if defect == "empty_name":
            cells[put["name"]] = None
        elif defect == "bad_id_check_digit":
            checks = "0123456789X"
            correct = debtor.id_number[-1]
            wrong = checks[(checks.index(correct) + 1) % len(checks)]
            cells[put["id_number"]] = debtor.id_number[:-1] + wrong
        elif defect == "missing_account_number":
            cells[put["account_number"]] = None
        elif defect == "missing_overdue":
            cells[put["overdue_since"]] = None
            cells[put["dpd"]] = None
        return cells

    # -- messy renderings ----------------------------------------------------------------------------

    def _amount(self, r: Callable[[], float], cents: int) -> Cell:
        if not self.messy:
            return cents / 100
        u = r()
        if u < 0.7:
            return cents / 100
        sign = "-" if cents < 0 else ""
        whole, fen = divmod(abs(cents), 100)
        if u < 0.8:
            return f"{sign}{whole}.{fen:02d}"  # a number stored as text
        if u < 0.88:
            return f"{sign}¥{whole:,}.{fen:02d}元"
        if u < 0.95:
            return f"{sign}{whole:,}.{fen:02d}"
        return f"{sign}{whole}.{fen:02d}".translate(_FULL_WIDTH)

    def _date(self, r: Callable[[], float], day: dt.date) -> Cell:
        if not self.messy:
            return day.isoformat()
        u = r()
        if u < 0.3:
            return day  # a real date cell
        if u < 0.45:
            return day.isoformat()
        if u < 0.6:
            return f"{day.year}/{day.month}/{day.day}"
        if u < 0.72:
            return f"{day:%Y.%m.%d}"
        if u < 0.85:
            return f"{day.year}年{day.month}月{day.day}日"
        return excel_serial(day)  # the serial number, as a plain number

    def _phone(self, r: Callable[[], float], e164: str) -> Cell:
        national = e164[3:]
        if not self.messy:
            return national
        u = r()
        if u < 0.45:
            return national
        if u < 0.6:
            return f"+86 {national[:3]}-{national[3:7]}-{national[7:]}"
        if u < 0.7:
            return ("0086 " if r() < 0.5 else "0086") + national
        if u < 0.8:
            return f"{national[:3]} {national[3:7]} {national[7:]}"
        if u < 0.9:
            return national.translate(_FULL_WIDTH)
        return int(national)  # typed into a number cell


def _cents(amount: Decimal) -> int:
    return int(amount * 100)
