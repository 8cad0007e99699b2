"""Parse a whole creditor file: find the header, map the columns, validate every row.

The result keeps everything: valid records, every error and warning with its spreadsheet row
number, and each rejected row's original cells, so that the rejected rows can be handed back to
the user as a workbook, corrected and uploaded again.
"""

from __future__ import annotations

import datetime as dt
import gc
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from arrears.intake.errors import IntakeFileError, Issue
from arrears.intake.headers import ColumnMapping, build_mapping, find_header_row
from arrears.intake.normalize import Phone
from arrears.intake.reader import read_table
from arrears.intake.rows import CaseRecord, NamedContact, RejectedRow, RowConverter

# The record types are re-exported so callers need only this module.
__all__ = [
    "CaseRecord",
    "IntakeFileError",
    "Issue",
    "NamedContact",
    "ParseResult",
    "Phone",
    "RejectedRow",
    "parse_file",
    "parse_rows",
]


@dataclass(slots=True)
class ParseResult:
    """Everything learnt from one file."""

    records: list[CaseRecord]
    errors: list[Issue]
    warnings: list[Issue]
    rejected: list[RejectedRow]
    header_row: int  # 1-based, as the spreadsheet shows it
    headers: list[str]
    mapping: ColumnMapping
    skipped_blank: int = 0

    @property
    def row_count(self) -> int:
        """Data rows seen (imported plus rejected), not counting blank rows."""
        return len(self.records) + len(self.rejected)


class _GcThrottle:
    """Make the cyclic garbage collector run less often while a large file is parsed.

    Parsing allocates millions of small container objects that are never garbage; with the default
    threshold (700) the collector runs thousands of times and costs about a third of the parse time.
    No reference cycles are created here, so collecting less often loses nothing. The setting is
    process-wide, hence the lock and the nesting count: concurrent parses restore it only once, last.
    """

    _GEN0_THRESHOLD = 100_000

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._depth = 0
        self._saved: tuple[int, int, int] = gc.get_threshold()

    @contextmanager
    def __call__(self) -> Iterator[None]:
        with self._lock:
            if self._depth == 0:
                self._saved = gc.get_threshold()
                gen0, gen1, gen2 = self._saved
                gc.set_threshold(max(gen0, self._GEN0_THRESHOLD), gen1, gen2)
            self._depth += 1
        try:
            yield
        finally:
            with self._lock:
                self._depth -= 1
                if self._depth == 0:
                    gc.set_threshold(*self._saved)


_fewer_gc_passes = _GcThrottle()


def _is_blank(cells: Sequence[object]) -> bool:
    for cell in cells:
        if cell is None or cell == "":
            continue
        if isinstance(cell, str) and not cell.strip():
            continue
        return False
    return True


def parse_rows(
    rows: Sequence[Sequence[object]],
    *,
    business_date: dt.date,
    custom_mapping: Mapping[str, str] | None = None,
) -> ParseResult:
    """Validate the rows of a table as returned by :func:`read_table`.

    ``business_date`` is the date the overdue days are counted to. ``custom_mapping`` is the
    creditor's saved mapping (header text -> field, "extra" or "ignore"). Raises ``IntakeFileError``
    when the header row or required columns cannot be found.
    """
    header_index = find_header_row(rows, custom=custom_mapping)
    header_cells = list(rows[header_index])
    # Cells to the right of the last header are data too; give them (blank) header cells so they are
    # kept as extra attributes instead of silently vanishing.
    width = max((len(r) for r in rows[header_index:]), default=0)
    header_cells.extend([""] * (width - len(header_cells)))
    header_row = header_index + 1
    mapping = build_mapping(header_cells, custom_mapping, header_row=header_row)
    converter = RowConverter(mapping, business_date)
    original_header = tuple(rows[header_index])

    with _fewer_gc_passes():
        records: list[CaseRecord] = []
        errors: list[Issue] = []
        warnings: list[Issue] = list(mapping.warnings)
        rejected: list[RejectedRow] = []
        first_seen: dict[str, int] = {}
        account_header = mapping.header_for("account_number")
        skipped = 0
        for index in range(header_index + 1, len(rows)):
            cells = rows[index]
            if _is_blank(cells):
                skipped += 1
                continue
            # Reports printed page by page repeat the header row; it is not a debtor.
            if cells and cells[0] == original_header[0] and tuple(cells) == original_header:
                continue
            row = index + 1
            outcome = converter.convert(row, cells)
            row_errors = outcome.errors
            if outcome.account is not None:
                key = outcome.account.upper()
                earlier = first_seen.get(key)
                if earlier is None:
                    first_seen[key] = row
                else:
                    row_errors.append(
                        Issue(
                            row,
                            account_header,
                            "account_duplicate",
                            f"账号 {outcome.account} 与第 {earlier} 行重复",
                            f"the account number {outcome.account} repeats row {earlier}",
                        )
                    )
            if row_errors or outcome.record is None:
                errors.extend(row_errors)
                rejected.append(RejectedRow(row=row, cells=tuple(cells), issues=tuple(row_errors)))
            else:
                records.append(outcome.record)
                warnings.extend(outcome.warnings)

    return ParseResult(
        records=records,
        errors=errors,
        warnings=warnings,
        rejected=rejected,
        header_row=header_row,
        headers=[c.header for c in mapping.columns],
        mapping=mapping,
        skipped_blank=skipped,
    )


def parse_file(
    data: bytes,
    filename: str,
    *,
    business_date: dt.date,
    custom_mapping: Mapping[str, str] | None = None,
) -> ParseResult:
    """:func:`read_table` followed by :func:`parse_rows`."""
    return parse_rows(read_table(data, filename), business_date=business_date, custom_mapping=custom_mapping)
