"""One data row of a creditor's file -> a validated :class:`CaseRecord` or a list of errors.

A :class:`RowConverter` is built once per file from the column mapping: it resolves every column to
its converter function up front, so the per-row loop does no lookups by name and builds no regexes.
That matters for files of 100,000 rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import Any

from arrears.core.masking import mask_phone
from arrears.core.money import ZERO
from arrears.debtors.idnumber import IdNumber
from arrears.intake import normalize
from arrears.intake.errors import FieldError, Issue
from arrears.intake.headers import EXTRA, IGNORE, ColumnMapping
from arrears.intake.normalize import Phone

__all__ = ["AMOUNT_COMPONENTS", "CaseRecord", "NamedContact", "RejectedRow", "RowConverter", "RowOutcome"]

AMOUNT_COMPONENTS: tuple[str, ...] = ("principal", "interest", "late_fee", "other_fees")
_TOLERANCE = Decimal("0.01")
# The database columns' limits (cases, debtors, contacts); longer text is a row error, not a crash.
MAX_LENGTH: dict[str, int] = {
    "name": 100, "account_number": 64, "product": 100, "home_address": 300, "work_address": 300,
    "employer": 200, "email": 254, "relationship": 50,
}  # fmt: skip
MAX_AMOUNT = Decimal("1000000000000")  # MoneyField holds 12 integer digits
_MAX_DPD = 36500  # a hundred years; anything larger is a typo and would overflow the date arithmetic


@dataclass(frozen=True, slots=True)
class NamedContact:
    """A third party the bank lists for the debtor (family member, colleague, friend)."""

    name: str | None
    relationship: str | None
    phones: tuple[Phone, ...]


@dataclass(frozen=True, slots=True)
class CaseRecord:
    """One validated overdue account, ready to become a debtor and a case."""

    name: str
    id_number: IdNumber
    account_number: str
    product: str | None
    principal: Decimal
    interest: Decimal
    late_fee: Decimal
    other_fees: Decimal
    total: Decimal
    credit_limit: Decimal | None
    overdue_since: dt.date | None
    dpd: int | None
    last_payment_date: dt.date | None
    last_payment_amount: Decimal | None
    statement_day: int | None
    due_day: int | None
    mobiles: tuple[Phone, ...]
    home_address: str | None
    work_address: str | None
    employer: str | None
    email: str | None
    contacts: tuple[NamedContact, ...]
    extra: dict[str, str]
    row: int


@dataclass(frozen=True, slots=True)
class RejectedRow:
    """A row that was not imported, with its cells exactly as read so nothing is lost."""

    row: int
    cells: tuple[object, ...]
    issues: tuple[Issue, ...]


@dataclass(slots=True)
class RowOutcome:
    """What :meth:`RowConverter.convert` found: a record when there were no errors."""

    record: CaseRecord | None
    errors: list[Issue]
    warnings: list[Issue]
    account: str | None  # set even when the row has errors, for the duplicate check across rows


_TEXT_FIELDS = frozenset({"product", "home_address", "work_address", "employer"})
_AMOUNT_FIELDS = frozenset({*AMOUNT_COMPONENTS, "total", "credit_limit", "last_payment_amount"})
_DATE_FIELDS = frozenset({"overdue_since", "last_payment_date"})
_DAY_FIELDS = frozenset({"statement_day", "due_day"})


_MEMO_LIMIT = 4096
# Values unique to a person (ID, account, name, phones, e-mail) are not worth remembering.
_UNIQUE_FIELDS = frozenset({"name", "id_number", "account_number", "mobile", "email"})


def _memoized(convert: Callable[[object], object]) -> Callable[[object], object]:
    """Remember a column's converted values: products, dates, fees, branches repeat row after row."""
    cache: dict[tuple[type, object], object] = {}

    def run(cell: object) -> object:
        # The type is part of the key because True == 1 == 1.0 but they convert differently.
        key = (cell.__class__, cell)
        try:
            hit = cache[key]
        except KeyError:
            try:
                hit = convert(cell)
            except FieldError as exc:
                hit = exc
            if len(cache) < _MEMO_LIMIT:
                cache[key] = hit
        if isinstance(hit, FieldError):
            # A fresh exception each time: re-raising one instance would grow its traceback.
            raise FieldError(hit.code, hit.message_zh, hit.message_en)
        return hit

    return run


def _converter_for(field: str, business_date: dt.date) -> Callable[[object], object]:
    convert = _plain_converter_for(field, business_date)
    if field in _UNIQUE_FIELDS or field.endswith(("_name", "_phone")):
        return convert
    return _memoized(convert)


def _plain_converter_for(field: str, business_date: dt.date) -> Callable[[object], object]:
    if field == "name" or field.endswith("_name"):
        return normalize.name
    if field == "id_number":
        return partial(normalize.id_number, today=business_date)
    if field == "account_number":
        return normalize.account
    if field in _AMOUNT_FIELDS:
        return normalize.amount
    if field in _DATE_FIELDS:
        return normalize.date
    if field == "dpd":
        return normalize.integer
    if field in _DAY_FIELDS:
        return normalize.day_of_month
    if field == "mobile" or field.endswith("_phone"):
        return normalize.phones
    if field == "email":
        return normalize.email
    if field == EXTRA:
        return normalize.cell_text
    # Free text: product, addresses, employer, contact relationships.
    return normalize.text


# How a converted value is stored; resolved per column once, so the row loop compares small ints.
_VALUE, _EXTRA, _PHONES, _EMAIL = range(4)


def _kind(field: str) -> int:
    if field == EXTRA:
        return _EXTRA
    if field == "mobile" or field.endswith("_phone"):
        return _PHONES
    if field == "email":
        return _EMAIL
    return _VALUE


class RowConverter:
    """Converts data rows of one file; build once per file, call :meth:`convert` per row."""

    def __init__(self, mapping: ColumnMapping, business_date: dt.date) -> None:
        self.mapping = mapping
        self.business_date = business_date
        # Plain tuples rather than objects: this is unpacked 35 times per row, 100,000 rows a file.
        self._steps: tuple[tuple[int, str, str, str, Callable[[object], Any], int], ...] = tuple(
            (c.index, c.header, c.field, c.key, _converter_for(c.field, business_date), _kind(c.field))
            for c in mapping.columns
            if c.field != IGNORE
        )
        contact_numbers = {
            int(f[len("contact") : f.index("_")]) for f in mapping.fields if f.startswith("contact")
        }
        self._contact_numbers = tuple(sorted(contact_numbers))

    def convert(self, row: int, cells: Sequence[object]) -> RowOutcome:
        """Validate one row; ``row`` is its 1-based spreadsheet row number, used in every issue."""
        values: dict[str, Any] = {}
        extra: dict[str, str] = {}
        errors: list[Issue] = []
        warnings: list[Issue] = []
        failed: set[str] = set()
        width = len(cells)
        for index, header, field, key, convert, kind in self._steps:
            if index >= width:
                continue
            cell = cells[index]
            if cell is None or cell == "":
                continue
            try:
                value = convert(cell)
            except FieldError as exc:
                issue = Issue(row, header, exc.code, exc.message_zh, exc.message_en)
                # A bad e-mail address is no reason to refuse a debt: drop it and warn.
                if kind == _EMAIL:
                    warnings.append(issue)
                else:
                    errors.append(issue)
                    failed.add(field)
                continue
            if value is None or value == []:
                continue
            if kind in (_VALUE, _EMAIL):
                limit = MAX_LENGTH.get(field if not field.startswith("contact") else field.split("_", 1)[1])
                if limit is not None and isinstance(value, str) and len(value) > limit:
                    errors.append(
                        Issue(
                            row,
                            header,
                            "too_long",
                            f"内容过长：{len(value)} 个字符，最多 {limit} 个",
                            f"too long: {len(value)} characters, at most {limit}",
                        )
                    )
                    failed.add(field)
                    continue
                values[field] = value
            elif kind == _EXTRA:
                extra[key] = value
            else:
                # Phones: several columns may feed one field; invalid numbers are kept but flagged.
                for p in value:
                    if not p.valid:
                        # Row issues are shown and stored; the number itself is masked in them.
                        shown = mask_phone(p.raw)
                        warnings.append(
                            Issue(
                                row,
                                header,
                                "phone_invalid",
                                f"电话号码“{shown}”无效",
                                f"the phone number '{shown}' is not valid",
                            )
                        )
                previous = values.get(field)
                values[field] = value if previous is None else [*previous, *value]

        self._check_required(row, values, failed, errors)
        overdue_since, dpd = self._overdue(row, values, failed, errors)
        total = self._total(row, values, failed, errors)
        account = values.get("account_number")
        if errors:
            return RowOutcome(None, errors, warnings, account)

        get = values.get
        record = CaseRecord(
            name=get("name"),
            id_number=get("id_number"),
            account_number=account,
            product=get("product"),
            principal=get("principal", ZERO),
            interest=get("interest", ZERO),
            late_fee=get("late_fee", ZERO),
            other_fees=get("other_fees", ZERO),
            total=total,
            credit_limit=get("credit_limit"),
            overdue_since=overdue_since,
            dpd=dpd,
            last_payment_date=get("last_payment_date"),
            last_payment_amount=get("last_payment_amount"),
            statement_day=get("statement_day"),
            due_day=get("due_day"),
            mobiles=_unique_phones(get("mobile")),
            home_address=get("home_address"),
            work_address=get("work_address"),
            employer=get("employer"),
            email=get("email"),
            contacts=self._contacts(values),
            extra=extra,
            row=row,
        )
        return RowOutcome(record, errors, warnings, account)

    def _error(self, row: int, field: str, code: str, zh: str, en: str) -> Issue:
        return Issue(row, self.mapping.header_for(field), code, zh, en)

    def _check_required(
        self, row: int, values: dict[str, Any], failed: set[str], errors: list[Issue]
    ) -> None:
        # Empty cells never reach the converters, so required values are checked here.
        if "name" not in values and "name" not in failed:
            errors.append(self._error(row, "name", "name_missing", "缺少姓名", "the name is missing"))
        if "id_number" not in values and "id_number" not in failed:
            errors.append(
                self._error(row, "id_number", "id_missing", "缺少身份证号", "the ID number is missing")
            )
        if "account_number" not in values and "account_number" not in failed:
            errors.append(
                self._error(
                    row, "account_number", "account_missing", "缺少账号", "the account number is missing"
                )
            )

    def _overdue(
        self, row: int, values: dict[str, Any], failed: set[str], errors: list[Issue]
    ) -> tuple[dt.date | None, int | None]:
        since: dt.date | None = values.get("overdue_since")
        dpd: int | None = values.get("dpd")
        if since is None and dpd is None:
            if not failed.intersection(("overdue_since", "dpd")):
                field = "overdue_since" if "overdue_since" in self.mapping.fields else "dpd"
                errors.append(
                    self._error(
                        row,
                        field,
                        "overdue_missing",
                        "逾期日期和逾期天数至少要填一项",
                        "either the overdue date or the days past due must be given",
                    )
                )
            return None, None
        if dpd is not None and dpd > _MAX_DPD:
            errors.append(
                self._error(
                    row,
                    "dpd",
                    "dpd_invalid",
                    f"逾期天数 {dpd} 不合理",
                    f"{dpd} days past due is not plausible",
                )
            )
            return since, None
        if since is not None and since > self.business_date:
            errors.append(
                self._error(
                    row,
                    "overdue_since",
                    "overdue_future",
                    f"逾期日期 {since:%Y-%m-%d} 晚于业务日期 {self.business_date:%Y-%m-%d}",
                    f"the overdue date {since:%Y-%m-%d} is after the business date "
                    f"{self.business_date:%Y-%m-%d}",
                )
            )
            return since, dpd
        # Banks give one or the other; derive the missing one as of the business date.
        if dpd is None:
            dpd = (self.business_date - since).days
        elif since is None:
            since = self.business_date - dt.timedelta(days=dpd)
        return since, dpd

    def _total(
        self, row: int, values: dict[str, Any], failed: set[str], errors: list[Issue]
    ) -> Decimal | None:
        components: list[Decimal] = [values[f] for f in AMOUNT_COMPONENTS if f in values]
        given_total: Decimal | None = values.get("total")
        computed = sum(components, ZERO)
        total = computed if given_total is None else given_total
        if total >= MAX_AMOUNT:
            errors.append(
                self._error(
                    row,
                    "total",
                    "amount_too_large",
                    f"欠款总额 {total} 超出系统可记录的金额",
                    f"the total {total} is larger than arrears can record",
                )
            )
        if given_total is None:
            return computed
        if components and not failed.intersection(AMOUNT_COMPONENTS):
            difference = abs(given_total - computed)
            if difference > _TOLERANCE:
                errors.append(
                    self._error(
                        row,
                        "total",
                        "total_mismatch",
                        f"欠款总额 {given_total} 与各项金额之和 {computed} 不符（相差 {difference}）",
                        f"the total {given_total} does not equal the sum of its parts {computed} "
                        f"(difference {difference})",
                    )
                )
        return given_total

    def _contacts(self, values: dict[str, Any]) -> tuple[NamedContact, ...]:
        contacts: list[NamedContact] = []
        for n in self._contact_numbers:
            contact_name: str | None = values.get(f"contact{n}_name")
            phone_list: list[Phone] | None = values.get(f"contact{n}_phone")
            if contact_name is None and not phone_list:
                continue  # a relationship alone identifies nobody
            contacts.append(
                NamedContact(
                    name=contact_name,
                    relationship=values.get(f"contact{n}_relationship"),
                    phones=_unique_phones(phone_list),
                )
            )
        return tuple(contacts)


def _unique_phones(found: list[Phone] | None) -> tuple[Phone, ...]:
    if not found:
        return ()
    seen: set[str] = set()
    unique: list[Phone] = []
    for p in found:
        key = p.e164 or p.raw
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return tuple(unique)
