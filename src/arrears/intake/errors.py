"""Errors and issues raised while reading a creditor's file of overdue accounts.

Every message comes in Chinese and English: the collectors read Chinese, the bank's IT staff and the
audit logs often want English, and the UI shows both side by side.
"""

from __future__ import annotations

from dataclasses import dataclass


class IntakeFileError(ValueError):
    """The file as a whole cannot be used (wrong format, no header row, required columns missing)."""

    def __init__(self, code: str, message_zh: str, message_en: str, *, columns: tuple[str, ...] = ()) -> None:
        super().__init__(message_en)
        self.code = code
        self.message_zh = message_zh
        self.message_en = message_en
        # Canonical field names involved (e.g. the missing columns), for a UI that wants to highlight them.
        self.columns = columns

    @property
    def reason(self) -> str:
        return f"{self.message_zh} / {self.message_en}"


class FieldError(ValueError):
    """One cell's value is unusable; ``code`` is a stable identifier the UI and tests can rely on."""

    def __init__(self, code: str, message_zh: str, message_en: str) -> None:
        super().__init__(message_en)
        self.code = code
        self.message_zh = message_zh
        self.message_en = message_en

    @property
    def reason(self) -> str:
        return f"{self.message_zh} / {self.message_en}"


@dataclass(frozen=True, slots=True)
class Issue:
    """An error (row rejected) or a warning (row imported anyway) about one row of the file.

    ``row`` is the 1-based row number as the spreadsheet shows it, so a user can go straight to it;
    ``column`` is the header text as it appears in the file, or the field's Chinese label when the file
    has no such column.
    """

    row: int
    column: str
    code: str
    message_zh: str
    message_en: str

    @property
    def reason(self) -> str:
        return f"{self.message_zh} / {self.message_en}"
