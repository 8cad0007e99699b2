"""The header catalogue: which column of a creditor's file holds which field.

Every bank names its columns differently (姓名, 客户姓名, 持卡人姓名 ...), so headers are matched
against an alias table after normalisation (NFKC, no whitespace, lower case, trailing unit such as
"(元)" ignored). A creditor-specific saved mapping overrides the table. Columns nobody recognises are
kept as extra attributes: the bank sent them for a reason, and dropping them would lose data.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from arrears.intake.errors import IntakeFileError, Issue
from arrears.intake.normalize import cell_text

__all__ = [
    "EXTRA",
    "FIELDS",
    "FIELD_LABELS",
    "IGNORE",
    "REQUIRED_FIELDS",
    "Column",
    "ColumnMapping",
    "build_mapping",
    "contact_field",
    "field_for_header",
    "field_label",
    "find_header_row",
    "header_key",
    "is_field",
    "validate_custom_mapping",
]

EXTRA = "extra"
IGNORE = "ignore"

FIELDS: tuple[str, ...] = (
    "name",
    "id_number",
    "account_number",
    "product",
    "principal",
    "interest",
    "late_fee",
    "other_fees",
    "total",
    "credit_limit",
    "overdue_since",
    "dpd",
    "last_payment_date",
    "last_payment_amount",
    "statement_day",
    "due_day",
    "mobile",
    "home_address",
    "work_address",
    "employer",
    "email",
)
REQUIRED_FIELDS: tuple[str, ...] = ("name", "id_number", "account_number")
OVERDUE_FIELDS: tuple[str, ...] = ("overdue_since", "dpd")

FIELD_LABELS: dict[str, tuple[str, str]] = {
    "name": ("姓名", "Name"),
    "id_number": ("身份证号", "ID number"),
    "account_number": ("账号", "Account number"),
    "product": ("产品", "Product"),
    "principal": ("本金", "Principal"),
    "interest": ("利息", "Interest"),
    "late_fee": ("违约金", "Late fee"),
    "other_fees": ("其他费用", "Other fees"),
    "total": ("欠款总额", "Total owed"),
    "credit_limit": ("信用额度", "Credit limit"),
    "overdue_since": ("逾期日期", "Overdue since"),
    "dpd": ("逾期天数", "Days past due"),
    "last_payment_date": ("最后还款日期", "Last payment date"),
    "last_payment_amount": ("最后还款金额", "Last payment amount"),
    "statement_day": ("账单日", "Statement day"),
    "due_day": ("还款日", "Due day"),
    "mobile": ("手机号码", "Mobile"),
    "home_address": ("家庭地址", "Home address"),
    "work_address": ("单位地址", "Work address"),
    "employer": ("单位名称", "Employer"),
    "email": ("电子邮箱", "E-mail"),
}

_CONTACT_LABELS: dict[str, tuple[str, str]] = {
    "name": ("姓名", "name"),
    "relationship": ("关系", "relationship"),
    "phone": ("电话", "phone"),
}

_ALIASES: dict[str, tuple[str, ...]] = {
    "name": (
        "姓名",
        "客户姓名",
        "客户名称",
        "持卡人姓名",
        "债务人",
        "借款人姓名",
        "name",
        "customer name",
        "debtor name",
    ),
    "id_number": ("身份证号", "身份证号码", "证件号码", "证件号", "id number", "id no", "national id"),
    "account_number": (
        "卡号",
        "账号",
        "合同号",
        "借据号",
        "账户号",
        "account number",
        "card number",
        "contract number",
        "loan number",
    ),
    "product": ("产品", "产品名称", "产品类型", "product"),
    "principal": ("本金", "欠款本金", "剩余本金", "principal"),
    "interest": ("利息", "欠款利息", "interest"),
    "late_fee": ("违约金", "滞纳金", "late fee", "penalty"),
    "other_fees": ("费用", "其他费用", "手续费", "fees", "other fees"),
    "total": ("欠款总额", "委托金额", "应还总额", "欠款金额", "total", "total owed", "amount owed"),
    "credit_limit": ("额度", "信用额度", "授信额度", "credit limit"),
    "overdue_since": (
        "逾期日期",
        "首次逾期日",
        "逾期起始日",
        "逾期开始日期",
        "overdue date",
        "overdue since",
    ),
    "dpd": ("逾期天数", "dpd", "days past due"),
    "last_payment_date": ("最后还款日期", "最近还款日", "last payment date"),
    "last_payment_amount": ("最后还款金额", "最近还款金额", "last payment amount"),
    "statement_day": ("账单日", "statement day"),
    "due_day": ("还款日", "到期还款日", "due day"),
    "mobile": ("手机", "手机号", "手机号码", "联系电话", "电话", "mobile", "phone"),
    "home_address": ("家庭地址", "住址", "现住址", "home address", "address"),
    "work_address": ("单位地址", "工作地址", "work address"),
    "employer": ("单位名称", "工作单位", "employer"),
    "email": ("邮箱", "电子邮箱", "email", "e-mail"),
}
# The two columns the error workbook adds; ignored so that a corrected workbook can be uploaded again.
_IGNORED_ALIASES: tuple[str, ...] = ("错误原因", "原行号", "reasons", "original row")


def _repeatable(target: str) -> bool:
    # Several phone columns (手机 and 联系电话, 联系人1电话 and 联系人1手机) are merged, not duplicates.
    return target == "mobile" or target.endswith("_phone")


_KEY_DROP = re.compile(r"[\s_\-.:*]+")
# A trailing unit or note in brackets: 本金(元), 逾期天数（天）, 欠款金额【人民币】.
_KEY_SUFFIX = re.compile(r"[(\[【].*[)\]】]$")
_NUMERAL = r"\d{1,2}|[一二三四五六七八九十]"
_CHINESE_NUMERALS = {c: i for i, c in enumerate("一二三四五六七八九十", start=1)}
_CONTACT_ZH = re.compile(
    rf"(?:第(?P<n0>{_NUMERAL}))?(?:紧急)?联系人(?P<n1>{_NUMERAL})?"
    r"(?P<attr>姓名|名字|名称|关系|与债务人关系|与本人关系|与客户关系|与持卡人关系"
    r"|电话|手机|手机号|手机号码|联系电话|电话号码|联系方式|号码)?"
    rf"(?P<n2>{_NUMERAL})?"
)
_CONTACT_EN = re.compile(
    r"(?P<emergency>emergency)?contact(?:person)?(?P<n1>\d{1,2})?"
    r"(?P<attr>name|relationship|relation|phone|phonenumber|mobile|tel|telephone)?"
    r"(?P<n2>\d{1,2})?"
)
_CONTACT_ATTRS = {
    "姓名": "name",
    "名字": "name",
    "名称": "name",
    "name": "name",
    "关系": "relationship",
    "与债务人关系": "relationship",
    "与本人关系": "relationship",
    "与客户关系": "relationship",
    "与持卡人关系": "relationship",
    "relationship": "relationship",
    "relation": "relationship",
}
_CONTACT_FIELD = re.compile(r"contact([1-9]\d?)_(name|relationship|phone)")


def header_key(value: str) -> str:
    """The form headers are compared in: NFKC, lower case, no whitespace or ``_ - . : *``."""
    return _KEY_DROP.sub("", unicodedata.normalize("NFKC", value).lower())


def _build_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for canonical, aliases in _ALIASES.items():
        for alias in (canonical, *aliases):
            key = header_key(alias)
            if index.get(key, canonical) != canonical:
                raise RuntimeError(f"alias {alias!r} maps to both {index[key]} and {canonical}")
            index[key] = canonical
    for alias in _IGNORED_ALIASES:
        index[header_key(alias)] = IGNORE
    return index


_INDEX = _build_index()


def contact_field(number: int, attribute: str) -> str:
    """The canonical name of a contact field, e.g. ``contact_field(2, "phone") == "contact2_phone"``."""
    return f"contact{number}_{attribute}"


def _contact_from_key(key: str) -> str | None:
    match = _CONTACT_ZH.fullmatch(key) or _CONTACT_EN.fullmatch(key)
    if match is None:
        return None
    numbers = [match.group(g) for g in ("n0", "n1", "n2") if g in match.re.groupindex and match.group(g)]
    if len(numbers) > 1:
        return None
    if not numbers and match.re is _CONTACT_EN and not match["emergency"]:
        # In English "contact phone" usually means the debtor's own number; only "contact 2 phone" or
        # "emergency contact phone" clearly mean a third party.
        return None
    number = (_CHINESE_NUMERALS.get(numbers[0]) or int(numbers[0])) if numbers else 1
    if number < 1:
        return None
    attribute = _CONTACT_ATTRS.get(match["attr"] or "name", "phone")
    return contact_field(number, attribute)


def is_field(name: str) -> bool:
    """Whether ``name`` is a canonical field (including any ``contact{N}_...`` field)."""
    return name in FIELD_LABELS or _CONTACT_FIELD.fullmatch(name) is not None


def field_label(name: str) -> tuple[str, str]:
    """The (Chinese, English) label of a canonical field, e.g. ("联系人2电话", "Contact 2 phone")."""
    if name in FIELD_LABELS:
        return FIELD_LABELS[name]
    match = _CONTACT_FIELD.fullmatch(name)
    if match is None:
        raise KeyError(name)
    zh, en = _CONTACT_LABELS[match.group(2)]
    return f"联系人{match.group(1)}{zh}", f"Contact {match.group(1)} {en}"


def field_for_header(cell: object) -> str | None:
    """The canonical field (or :data:`IGNORE`) a header cell stands for, or None when unknown."""
    if not isinstance(cell, str) or not cell.strip():
        return None
    key = header_key(cell)
    found = _INDEX.get(key) or _contact_from_key(key)
    if found is None:
        bare = _KEY_SUFFIX.sub("", key)
        if bare and bare != key:
            found = _INDEX.get(bare) or _contact_from_key(bare)
    return found


def validate_custom_mapping(custom: Mapping[str, str]) -> dict[str, str]:
    """Check a per-creditor mapping before it is saved and return it cleaned.

    Keys are trimmed header texts (blank ones dropped); values are trimmed, lower-cased targets, each
    a canonical field, "extra" or "ignore". Raises ``IntakeFileError("mapping_invalid")`` otherwise.
    """
    clean: dict[str, str] = {}
    bad: list[str] = []
    for header, target in custom.items():
        header_text = str(header).strip()
        target_text = str(target).strip().lower()
        if not header_text:
            continue
        if target_text not in (EXTRA, IGNORE) and not is_field(target_text):
            bad.append(str(target))
        clean[header_text] = target_text
    if bad:
        raise IntakeFileError(
            "mapping_invalid",
            f"列对应关系中有未知字段：{'、'.join(bad)}",
            f"the column mapping refers to unknown fields: {', '.join(bad)}",
            columns=tuple(bad),
        )
    return clean


def _custom_index(custom: Mapping[str, str] | None) -> tuple[dict[str, str], dict[str, str]]:
    """Split a saved mapping into exact-text and normalised-key lookups, validating its targets."""
    if not custom:
        return {}, {}
    clean = validate_custom_mapping(custom)
    return clean, {header_key(k): v for k, v in clean.items()}


def _lookup(header: str, exact: dict[str, str], by_key: dict[str, str]) -> str | None:
    if header in exact:
        return exact[header]
    if by_key:
        key = header_key(header)
        if key in by_key:
            return by_key[key]
    return field_for_header(header)


def find_header_row(
    rows: Sequence[Sequence[object]], max_scan: int = 20, *, custom: Mapping[str, str] | None = None
) -> int:
    """Index (0-based) of the header row: the first of the first ``max_scan`` rows in which at least
    three cells name known fields, among them the name and the account number.

    Title rows ("XX银行信用卡委案明细"), notes and blank rows above the header are skipped.
    """
    exact, by_key = _custom_index(custom)
    for index, row in enumerate(rows[:max_scan]):
        found = set()
        count = 0
        for cell in row:
            if not isinstance(cell, str) or not cell.strip():
                continue
            target = _lookup(cell.strip(), exact, by_key)
            if target is not None and target not in (EXTRA, IGNORE):
                found.add(target)
                count += 1
        if count >= 3 and "name" in found and "account_number" in found:
            return index
    raise IntakeFileError(
        "header_not_found",
        f"在前 {max_scan} 行中没有找到表头（至少要有姓名、账号等列）",
        f"no header row found in the first {max_scan} rows (it needs at least a name and an account "
        "number column)",
    )


@dataclass(frozen=True, slots=True)
class Column:
    """One column of the file: its position, its header as written, and where its values go."""

    index: int
    header: str  # the header text as in the file (trimmed); "" for a blank header cell
    field: str  # a canonical field, EXTRA or IGNORE
    key: str  # for EXTRA columns, the (unique) key in CaseRecord.extra; otherwise the field


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """The result of :func:`build_mapping`: one :class:`Column` per column, plus file-level warnings."""

    columns: tuple[Column, ...]
    warnings: tuple[Issue, ...] = ()
    _by_field: dict[str, tuple[Column, ...]] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        grouped: dict[str, list[Column]] = {}
        for column in self.columns:
            if column.field not in (EXTRA, IGNORE):
                grouped.setdefault(column.field, []).append(column)
        self._by_field.update({f: tuple(cols) for f, cols in grouped.items()})

    @property
    def fields(self) -> frozenset[str]:
        """The canonical fields present in the file."""
        return frozenset(self._by_field)

    def columns_for(self, name: str) -> tuple[Column, ...]:
        """The columns mapped to a field (several only for repeatable fields such as ``mobile``)."""
        return self._by_field.get(name, ())

    def header_for(self, name: str) -> str:
        """The header text of the field's first column, or its Chinese label when the file lacks it."""
        columns = self._by_field.get(name)
        if columns and columns[0].header:
            return columns[0].header
        return field_label(name)[0]

    def as_custom(self) -> dict[str, str]:
        """This mapping in the shape of a saved per-creditor mapping (header text -> target)."""
        return {c.header: c.field for c in self.columns if c.header}


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def build_mapping(
    header_cells: Sequence[object], custom: Mapping[str, str] | None = None, *, header_row: int = 0
) -> ColumnMapping:
    """Map each column to a canonical field, ``extra`` or ``ignore``.

    ``custom`` (header text -> field/"extra"/"ignore") overrides the alias table. A second column for
    a non-repeatable field becomes an extra attribute with a ``duplicate_column`` warning (reported on
    ``header_row``, the 1-based row of the header). Raises ``IntakeFileError("missing_columns")`` when
    the name, ID number, account number, or both of overdue date and days past due are absent.
    """
    exact, by_key = _custom_index(custom)
    columns: list[Column] = []
    warnings: list[Issue] = []
    first_column: dict[str, Column] = {}
    extra_keys: set[str] = set()
    for index, cell in enumerate(header_cells):
        header = cell.strip() if isinstance(cell, str) else (cell_text(cell) or "")
        target = (_lookup(header, exact, by_key) if header else None) or EXTRA
        if target not in (EXTRA, IGNORE) and not _repeatable(target) and target in first_column:
            first = first_column[target]
            label_zh, label_en = field_label(target)
            warnings.append(
                Issue(
                    header_row,
                    header,
                    "duplicate_column",
                    f"“{header}”与“{first.header}”都对应“{label_zh}”，只使用第一列，本列作为附加信息保存",
                    f"'{header}' and '{first.header}' both map to '{label_en}'; the first is used and "
                    "this one is kept as an extra attribute",
                )
            )
            target = EXTRA
        if target == EXTRA:
            # Extra attributes are keyed by header; blank or repeated headers get a unique key so that
            # no value overwrites another.
            base = header or f"列{_column_letter(index)}"
            key, n = base, 2
            while key in extra_keys:
                key, n = f"{base} ({n})", n + 1
            extra_keys.add(key)
        else:
            key = target
        column = Column(index=index, header=header, field=target, key=key)
        first_column.setdefault(target, column)
        columns.append(column)

    present = set(first_column)
    missing = [f for f in REQUIRED_FIELDS if f not in present]
    if not present.intersection(OVERDUE_FIELDS):
        missing.extend(OVERDUE_FIELDS)
    if missing:
        names_zh = [field_label(f)[0] for f in missing if f not in OVERDUE_FIELDS]
        names_en = [field_label(f)[1] for f in missing if f not in OVERDUE_FIELDS]
        if "dpd" in missing:
            names_zh.append("逾期日期或逾期天数")
            names_en.append("overdue date or days past due")
        raise IntakeFileError(
            "missing_columns",
            f"文件缺少必需的列：{'、'.join(names_zh)}",
            f"required columns are missing: {', '.join(names_en)}",
            columns=tuple(missing),
        )
    return ColumnMapping(columns=tuple(columns), warnings=tuple(warnings))
