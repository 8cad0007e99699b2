"""The error workbook: rejected rows handed back to the user to correct and upload again.

Each rejected row is written with its original cells (text stays text, so an ID number never turns
into a float), followed by the reasons it was rejected and its row number in the original file. The
two added columns are in the header alias table as "ignore", so the corrected workbook goes through
:func:`arrears.intake.parse.parse_file` like any other file.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Sequence

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from arrears.intake.headers import IGNORE, field_for_header
from arrears.intake.rows import RejectedRow

__all__ = ["ORIGINAL_ROW_HEADER", "REASONS_HEADER", "SHEET_NAME", "write_error_workbook"]

SHEET_NAME = "错误行"
REASONS_HEADER = "错误原因 (Reasons)"
ORIGINAL_ROW_HEADER = "原行号 (Original row)"
REASON_SEPARATOR = "；"


def _write_cell(
    sheet: Worksheet, row: int, col: int, value: object, text: Format, day: Format, moment: Format
) -> None:
    if value is None or value == "":
        return
    if isinstance(value, str):
        sheet.write_string(row, col, value, text)
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    elif isinstance(value, int | float) and math.isfinite(value):
        sheet.write_number(row, col, value)
    elif isinstance(value, dt.datetime):
        sheet.write_datetime(row, col, value, moment if value.time() != dt.time() else day)
    elif isinstance(value, dt.date):
        sheet.write_datetime(row, col, value, day)
    else:
        sheet.write_string(row, col, str(value), text)


def write_error_workbook(rejected: Sequence[RejectedRow], headers: Sequence[str], header_row: int) -> bytes:
    """An ``.xlsx`` with one sheet of the rejected rows under the original header row.

    ``header_row`` is where the header was in the original file; it is mentioned in the note above
    the table so the user can relate the two files.
    """
    # The error columns of an earlier round are dropped: fresh ones are appended below.
    keep = [i for i, h in enumerate(headers) if field_for_header(h) != IGNORE]
    output = io.BytesIO()
    # constant_memory streams rows to a temporary file instead of holding every cell in memory.
    workbook = xlsxwriter.Workbook(output, {"constant_memory": True})
    try:
        sheet = workbook.add_worksheet(SHEET_NAME)
        text = workbook.add_format({"num_format": "@"})
        day = workbook.add_format({"num_format": "yyyy-mm-dd"})
        moment = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        heading = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "num_format": "@"})
        note = workbook.add_format({"italic": True, "font_color": "#7F7F7F"})
        reason_format = workbook.add_format({"font_color": "#C00000", "text_wrap": True, "num_format": "@"})

        reasons_col, row_col = len(keep), len(keep) + 1
        # Text format on the data columns, so that a number the user types in (an ID, an account with
        # leading zeros) stays text in Excel instead of being rounded or stripped.
        if keep:
            sheet.set_column(0, len(keep) - 1, 18, text)
        sheet.set_column(reasons_col, reasons_col, 60, reason_format)
        sheet.set_column(row_col, row_col, 14)
        sheet.freeze_panes(2, 0)

        sheet.write_string(
            0,
            0,
            f"以下行未能导入（原文件表头在第 {header_row} 行）。请按“错误原因”修改后重新上传本文件。"
            f" / These rows were not imported (the header was on row {header_row} of the original file)."
            " Correct them as the Reasons column says and upload this file again.",
            note,
        )
        for col, index in enumerate(keep):
            sheet.write_string(1, col, headers[index], heading)
        sheet.write_string(1, reasons_col, REASONS_HEADER, heading)
        sheet.write_string(1, row_col, ORIGINAL_ROW_HEADER, heading)

        for offset, item in enumerate(rejected):
            out_row = offset + 2
            cells = item.cells
            for col, index in enumerate(keep):
                if index < len(cells):
                    _write_cell(sheet, out_row, col, cells[index], text, day, moment)
            reasons = REASON_SEPARATOR.join(f"{i.column}：{i.reason}" for i in item.issues)
            sheet.write_string(out_row, reasons_col, reasons, reason_format)
            sheet.write_number(out_row, row_col, item.row)
    finally:
        workbook.close()
    return output.getvalue()
