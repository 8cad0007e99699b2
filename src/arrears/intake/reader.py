"""Read the first sheet of an uploaded ``.xlsx``/``.xls``/``.xlsm`` or ``.csv`` file into a list of rows.

Cell values are returned as the underlying reader gives them (calamine: str, int, float, bool, date,
datetime, or "" for an empty cell; CSV: always str). Interpreting them is the normalisers' job, so that
an ``.xlsx`` and the same data exported as CSV go through exactly the same rules. Row ``i`` of the
result is spreadsheet row ``i + 1``: leading blank rows are kept so that row numbers in error reports
match what the user sees in Excel.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from pathlib import PurePath

import python_calamine

from arrears.intake.errors import IntakeFileError

EXCEL_EXTENSIONS = frozenset({".xlsx", ".xls", ".xlsm"})
CSV_EXTENSIONS = frozenset({".csv"})
SUPPORTED_EXTENSIONS = EXCEL_EXTENSIONS | CSV_EXTENSIONS

_ZIP_MAGIC = b"PK\x03\x04"  # .xlsx, .xlsm
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls (BIFF in an OLE container)
_DELIMITERS = (",", "\t", ";")
_SNIFF_CHARS = 64 * 1024
# Some systems write ="0012345" into CSV so that Excel keeps leading zeros and long digit strings.
_EXCEL_TEXT_FORMULA = re.compile(r'^="(.*)"$', re.DOTALL)


def read_table(data: bytes, filename: str) -> list[list[object]]:
    """Return the rows of the file's first sheet; raise :class:`IntakeFileError` if it cannot be read."""
    extension = PurePath(filename).suffix.lower()
    if extension not in SUPPORTED_EXTENSIONS:
        raise IntakeFileError(
            "file_type_unsupported",
            f"不支持的文件类型“{extension or filename}”，请上传 .xlsx、.xls、.xlsm 或 .csv 文件",
            f"unsupported file type '{extension or filename}': upload an .xlsx, .xls, .xlsm or .csv file",
        )
    if not data:
        raise _empty_file()
    # The content decides, not the name: files get renamed, and some banking systems save tab-separated
    # text under an .xls name.
    if data.startswith((_ZIP_MAGIC, _OLE_MAGIC)):
        rows = _read_excel(data)
    elif extension in CSV_EXTENSIONS or (extension == ".xls" and not _looks_like_markup(data)):
        rows = _read_csv(data)
    else:
        rows = _read_excel(data)  # fails with the reader's own explanation
    _trim_trailing_blank_rows(rows)
    if not rows:
        raise _empty_file()
    return rows


def _read_excel(data: bytes) -> list[list[object]]:
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        if not workbook.sheet_names:
            raise _empty_file()
        sheet = workbook.get_sheet_by_index(0)
        # skip_empty_area=False keeps the blank rows/columns above and left of the data, so indices
        # are true spreadsheet coordinates.
        rows: list[list[object]] = sheet.to_python(skip_empty_area=False)
    except IntakeFileError:
        raise
    except python_calamine.PasswordError as exc:
        raise IntakeFileError(
            "file_encrypted",
            "文件设有密码保护，请去除密码后重新上传",
            "the file is password-protected: remove the password and upload it again",
        ) from exc
    except Exception as exc:
        # Whatever calamine fails with (corrupt zip, bad XML, not a spreadsheet at all), the user's
        # remedy is the same, so every failure becomes one error code.
        raise _unreadable(str(exc)) from exc
    return rows


def _read_csv(data: bytes) -> list[list[object]]:
    text = _decode(data)
    if "\x00" in text:
        raise _unreadable("NUL byte in text")
    delimiter = _sniff_delimiter(text)
    try:
        rows: list[list[object]] = [
            [_unwrap_excel_text(cell) for cell in record]
            for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        ]
    except csv.Error as exc:
        raise _unreadable(str(exc)) from exc
    return rows


def _decode(data: bytes) -> str:
    # Excel's "Unicode text" export is UTF-16 with a BOM; everything else is UTF-8 or, from Chinese
    # banks' older systems, GBK (gb18030 is its superset, so it decodes GBK and GB2312 too).
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings: tuple[str, ...] = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise IntakeFileError(
        "file_encoding",
        "无法识别文件的字符编码，请另存为 UTF-8 或 GBK 编码的 CSV 文件",
        "the file's character encoding is not recognised: save it as a UTF-8 or GBK CSV file",
    )


def _sniff_delimiter(text: str) -> str:
    """Pick the delimiter that splits the most sample lines into the same number (> 1) of fields.

    csv.Sniffer is easily thrown by a title line or by amounts such as 1,234.56 inside a tab-separated
    file; counting consistent row widths is more robust for tabular exports.
    """
    sample = text[:_SNIFF_CHARS]
    lines = sample.splitlines()
    if len(text) > _SNIFF_CHARS and len(lines) > 1:
        lines.pop()  # probably cut in the middle
    best, best_score = ",", (0, 0)
    for delimiter in _DELIMITERS:
        try:
            widths = Counter(len(r) for r in csv.reader(lines, delimiter=delimiter) if len(r) > 1)
        except csv.Error:
            continue
        if not widths:
            continue
        width, count = widths.most_common(1)[0]
        if (count, width) > best_score:
            best, best_score = delimiter, (count, width)
    return best


def _unwrap_excel_text(cell: str) -> str:
    if cell.startswith('="'):
        match = _EXCEL_TEXT_FORMULA.match(cell)
        if match:
            return match.group(1)
    return cell


def _looks_like_markup(data: bytes) -> bool:
    # HTML or XML "spreadsheets" (also saved as .xls by some systems) are not tables we can read.
    return data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def _is_blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _trim_trailing_blank_rows(rows: list[list[object]]) -> None:
    while rows and all(_is_blank(c) for c in rows[-1]):
        rows.pop()


def _empty_file() -> IntakeFileError:
    return IntakeFileError("file_empty", "文件中没有数据", "the file contains no data")


def _unreadable(detail: str) -> IntakeFileError:
    return IntakeFileError(
        "file_unreadable",
        f"无法读取文件，文件可能已损坏或格式不符（{detail}）",
        f"the file cannot be read; it may be damaged or not in the format its name says ({detail})",
    )
