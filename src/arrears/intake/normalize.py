"""Normalisers: turn what people type into a spreadsheet into clean values.

Each function accepts a raw cell (str, int, float, bool, date, datetime, Decimal, None or "") and
returns a clean value, ``None`` for an empty cell, or raises :class:`FieldError` with a stable code and
a bilingual message. Input from Chinese office software is often full-width (１２３，ＡＢＣ), padded
with ideographic spaces, or mangled by Excel into floats; the rules here absorb all of that in one
place so the row logic stays simple.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import phonenumbers

from arrears.core.money import CENT, ZERO
from arrears.debtors import idnumber
from arrears.debtors.idnumber import IdNumber, IdNumberError
from arrears.intake.errors import FieldError

__all__ = [
    "Phone",
    "account",
    "amount",
    "cell_text",
    "date",
    "day_of_month",
    "email",
    "id_number",
    "integer",
    "name",
    "phone",
    "phones",
    "text",
]

_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")

# CJK ideographs (all planes) plus the iteration marks that occur in names.
_CJK = "\u2e80-\u2fff\u3005-\u3007\u3021-\u3029\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
_CJK_GAP = re.compile(f"(?<=[{_CJK}]) (?=[{_CJK}])")
# Transliterated names of Uyghur and other minorities use a middle dot (买买提·艾力); typists pick any
# of several look-alike dots and often surround them with spaces.
_NAME_DOT = re.compile(" ?[·•・‧] ?")
_NAME_DOT_CHAR = re.compile("[·•・‧]")

_MAX_AMOUNT = Decimal(10) ** 12
_CURRENCY = re.compile(r"¥|元|人民币|rmb|cny", re.IGNORECASE)
_PLAIN_NUMBER = re.compile(r"(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?", re.IGNORECASE | re.ASCII)
_SIMPLE_AMOUNT = re.compile(r"\d{1,12}(?:\.\d{1,2})?", re.ASCII)
_GROUPED_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d*)?", re.ASCII)

_EXCEL_EPOCH = dt.date(1899, 12, 30)  # 1900 date system; serials above 60 skip Excel's fake 1900-02-29
_SERIAL_MIN, _SERIAL_MAX = 20000, 80000  # 1954-10-03 .. 2119-01-11
_YEAR_MIN, _YEAR_MAX = 1900, 2099
_DATE_SEPARATED = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?",
    re.ASCII,
)
_DATE_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})", re.ASCII)
_DATE_SERIAL = re.compile(r"\d{5}(?:\.\d+)?", re.ASCII)

_INTEGER = re.compile(r"([+-]?)(\d+)(?:\.(\d+))?", re.ASCII)
_INTEGER_UNIT = re.compile(r"(?:天|日|号|days?)$", re.IGNORECASE)

_SCIENTIFIC = re.compile(r"\d(?:\.\d+)?e\+?\d+", re.IGNORECASE | re.ASCII)
_ACCOUNT_DROP = re.compile(r"[\s\-‐‑‒–—―]+")
_FLOAT_EXACT_LIMIT = 2.0**53  # beyond this a float cannot hold every integer exactly

_PHONE_SEPARATORS = re.compile(r"[\s\-.()]+")
_PHONE_LIST_SPLIT = re.compile(r"[/,;、|]+")
_PHONE_TOKEN = re.compile(r"[\d+\-()]+", re.ASCII)
_PHONE_MAX_TOKENS = 12  # a longer space-separated cell is prose, not a list of numbers
_CN_METADATA = phonenumbers.PhoneMetadata.metadata_for_region("CN")


def _desc(name: str) -> tuple[re.Pattern[str], frozenset[int]] | None:
    desc = getattr(_CN_METADATA, name, None)
    if desc is None or not desc.national_number_pattern:
        return None
    # ASCII: the fast path must not accept other scripts' digits, which phonenumbers would translate.
    return re.compile(desc.national_number_pattern, re.ASCII), frozenset(desc.possible_length or ())


_CN_GENERAL, _CN_FIXED, _CN_MOBILE = _desc("general_desc"), _desc("fixed_line"), _desc("mobile")

_EMAIL = re.compile(
    r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}"
)


def _show(value: object) -> str:
    """The offending value as it goes into an error message, cut short so messages stay readable."""
    shown = value if isinstance(value, str) else repr(value)
    return shown if len(shown) <= 40 else shown[:37] + "..."


def cell_text(v: object) -> str | None:
    """A cell as text, otherwise untouched (no NFKC): used to keep unknown columns verbatim."""
    if v is None:
        return None
    if isinstance(v, str):
        s = v.strip()
    elif isinstance(v, bool):
        s = "TRUE" if v else "FALSE"
    elif isinstance(v, float):
        s = str(int(v)) if v.is_integer() else repr(v)
    elif isinstance(v, dt.datetime):
        s = v.date().isoformat() if v.time() == dt.time() else v.isoformat(sep=" ")
    elif isinstance(v, dt.date):
        s = v.isoformat()
    else:
        s = str(v).strip()
    return s or None


def text(v: object) -> str | None:
    """NFKC (full-width to half-width), trimmed, inner runs of whitespace collapsed to one space."""
    s = v if isinstance(v, str) else cell_text(v)
    if not s:
        return None
    if not s.isascii():
        # NFKC is the identity on ASCII, which most cells are; skip it there.
        # Invisible characters go first: left in place they would block NFKC composition.
        if _INVISIBLE.search(s):
            s = _INVISIBLE.sub("", s)
        s = unicodedata.normalize("NFKC", s)
    # str.split() splits on every Unicode space (U+3000, NBSP ...) and drops the ends.
    s = " ".join(s.split())
    return s or None


def name(v: object) -> str | None:
    """A person's name: like :func:`text`, and no spaces between CJK characters ("张 三" -> "张三")."""
    s = text(v)
    if s is None:
        return None
    if " " in s:
        s = _CJK_GAP.sub("", s)
    if _NAME_DOT_CHAR.search(s):
        s = _NAME_DOT.sub("·", s)
    return s


def _money(d: Decimal, shown: object) -> Decimal:
    if d < 0:
        raise FieldError(
            "amount_negative",
            f"金额不能为负数：{_show(shown)}",
            f"amounts cannot be negative: {_show(shown)}",
        )
    if d >= _MAX_AMOUNT:
        raise FieldError(
            "amount_invalid", f"金额过大：{_show(shown)}", f"the amount is too large: {_show(shown)}"
        )
    q = d.quantize(CENT, rounding=ROUND_HALF_UP)
    return ZERO if q == 0 else q


def _amount_invalid(shown: object) -> FieldError:
    return FieldError(
        "amount_invalid", f"“{_show(shown)}”不是有效的金额", f"'{_show(shown)}' is not a valid amount"
    )


def amount(v: object) -> Decimal | None:
    """An amount of money in yuan, quantised to fen (0.01, half up); negative amounts are rejected."""
    if v is None:
        return None
    if isinstance(v, bool):
        raise _amount_invalid(v)
    if isinstance(v, int):
        return _money(Decimal(v), v)
    if isinstance(v, float):
        if not math.isfinite(v):
            raise _amount_invalid(v)
        # repr gives the shortest decimal that round-trips, so 1234.5 is "1234.5", not 1234.4999...
        return _money(Decimal(repr(v)), v)
    if isinstance(v, Decimal):
        if not v.is_finite():
            raise _amount_invalid(v)
        return _money(v, v)
    if not isinstance(v, str):
        raise _amount_invalid(v)
    if _SIMPLE_AMOUNT.fullmatch(v):
        return _money(Decimal(v), v)  # the common case, "1234.56", needs no cleaning
    s = text(v)
    if s is None:
        return None
    t = _CURRENCY.sub("", s.replace("\u2212", "-")).replace(" ", "")
    negative = False
    if len(t) > 2 and t[0] == "(" and t[-1] == ")":
        negative, t = True, t[1:-1]  # accounting style: (1,234.56) is a negative amount
    if t[:1] in ("-", "+"):
        negative, t = negative or t[0] == "-", t[1:]
    if "," in t:
        # Only proper thousands grouping: "12,50" is a European decimal or a typo, never 1250 yuan.
        if not _GROUPED_NUMBER.fullmatch(t):
            raise _amount_invalid(s)
        t = t.replace(",", "")
    elif not _PLAIN_NUMBER.fullmatch(t):
        raise _amount_invalid(s)
    try:
        d = Decimal(t)
    except InvalidOperation as exc:  # pragma: no cover - the patterns above only pass valid literals
        raise _amount_invalid(s) from exc
    return _money(-d if negative else d, s)


def _date_invalid(shown: object) -> FieldError:
    return FieldError(
        "date_invalid",
        f"“{_show(shown)}”不是有效的日期（例如 2024-03-05）",
        f"'{_show(shown)}' is not a valid date (e.g. 2024-03-05)",
    )


def _ymd(year: str | int, month: str | int, day: str | int, shown: object) -> dt.date:
    y, m, d = int(year), int(month), int(day)
    if not _YEAR_MIN <= y <= _YEAR_MAX:
        raise _date_invalid(shown)
    try:
        return dt.date(y, m, d)
    except ValueError as exc:
        raise _date_invalid(shown) from exc


def _from_serial(serial: float, shown: object) -> dt.date:
    if not _SERIAL_MIN <= serial <= _SERIAL_MAX:
        raise _date_invalid(shown)
    # The fractional part is the time of day; only the day matters here.
    return _EXCEL_EPOCH + dt.timedelta(days=int(serial))


def date(v: object) -> dt.date | None:
    """A calendar date from a date cell, an ISO/Chinese/compact string or an Excel serial number."""
    if v is None:
        return None
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    if isinstance(v, bool):
        raise _date_invalid(v)
    if isinstance(v, int | float | Decimal):
        number = float(v)
        # A number typed as 20240305 (no separators) is a date, not a serial.
        if number.is_integer() and 19000101 <= number <= 20991231:
            n = int(number)
            return _ymd(n // 10000, n // 100 % 100, n % 100, v)
        if not math.isfinite(number):
            raise _date_invalid(v)
        return _from_serial(number, v)
    if not isinstance(v, str):
        raise _date_invalid(v)
    s = text(v)
    if s is None:
        return None
    match = _DATE_SEPARATED.fullmatch(s)
    if match is None:
        match = _DATE_COMPACT.fullmatch(s)
    if match is not None:
        return _ymd(*match.groups(), shown=s)
    if _DATE_SERIAL.fullmatch(s):
        return _from_serial(float(s), s)
    raise _date_invalid(s)


def _integer_error(code: str, shown: object) -> FieldError:
    if code == "integer_negative":
        return FieldError(code, f"不能为负数：{_show(shown)}", f"must not be negative: {_show(shown)}")
    if code == "integer_fraction":
        return FieldError(code, f"应为整数：{_show(shown)}", f"must be a whole number: {_show(shown)}")
    return FieldError(
        code, f"“{_show(shown)}”不是有效的整数", f"'{_show(shown)}' is not a valid whole number"
    )


def integer(v: object) -> int | None:
    """A non-negative whole number such as days past due; "３５天" and 35.0 are both 35."""
    if v is None:
        return None
    if isinstance(v, bool):
        raise _integer_error("integer_invalid", v)
    if isinstance(v, int):
        n = v
    elif isinstance(v, float | Decimal):
        if not (math.isfinite(v) if isinstance(v, float) else v.is_finite()):
            raise _integer_error("integer_invalid", v)
        if v != int(v):
            raise _integer_error("integer_fraction", v)
        n = int(v)
    elif isinstance(v, str):
        s = text(v)
        if s is None:
            return None
        match = _INTEGER.fullmatch(_INTEGER_UNIT.sub("", s.replace(" ", "")))
        if match is None:
            raise _integer_error("integer_invalid", s)
        sign, whole, fraction = match.groups()
        if fraction and fraction.strip("0"):
            raise _integer_error("integer_fraction", s)
        n = -int(whole) if sign == "-" else int(whole)
    else:
        raise _integer_error("integer_invalid", v)
    if n < 0:
        raise _integer_error("integer_negative", v)
    return n


def day_of_month(v: object) -> int | None:
    """A day of the month (1-31), as used for the statement day and the payment due day."""
    n = integer(v)
    if n is not None and not 1 <= n <= 31:
        raise FieldError(
            "day_invalid", f"日期应在 1 到 31 之间：{n}", f"the day must be between 1 and 31: {n}"
        )
    return n


def _id_mangled() -> FieldError:
    return FieldError(
        "id_number_mangled",
        "身份证号被 Excel 存成了数字，后几位已经丢失；请把该列设为文本格式后重新填写",
        "Excel stored the ID number as a number and lost its last digits; format the column as text "
        "and enter the number again",
    )


def id_number(v: object, *, today: dt.date | None = None) -> IdNumber:
    """A validated resident ID number (GB 11643-1999); ``today`` bounds the birth date."""
    if isinstance(v, float):
        # An 18-digit number has more digits than a double keeps; whatever Excel stored is wrong.
        raise _id_mangled()
    if isinstance(v, bool):
        raise FieldError("id_characters", "身份证号无效", "the ID number is not valid")
    s = text(v)
    if s is None:
        raise FieldError("id_missing", "缺少身份证号", "the ID number is missing")
    s = s.replace(" ", "").lstrip("'")
    if _SCIENTIFIC.fullmatch(s):
        raise _id_mangled()
    if not s.isascii():
        # str.isdigit() accepts digits of other scripts, which would slip through idnumber.parse.
        raise FieldError(
            "id_characters",
            "身份证号只能由数字组成，最后一位可以是 X",
            "the ID number may contain only digits, with an X allowed as the last character",
        )
    try:
        return idnumber.parse(s, today=today)
    except IdNumberError as exc:
        raise FieldError(exc.code, exc.message_zh, exc.message_en) from exc


def _account_invalid(code: str, shown: object) -> FieldError:
    if code == "account_mangled":
        return FieldError(
            code,
            f"账号被 Excel 存成了数字，部分数字已经丢失（{_show(shown)}）；请把该列设为文本格式后重新填写",
            f"Excel stored the account number as a number and lost digits ({_show(shown)}); format the "
            "column as text and enter it again",
        )
    return FieldError(
        code, f"“{_show(shown)}”不是有效的账号", f"'{_show(shown)}' is not a valid account number"
    )


def account(v: object) -> str | None:
    """An account, card, contract or loan number: no spaces or dashes, leading zeros kept."""
    if v is None:
        return None
    if isinstance(v, bool):
        raise _account_invalid("account_invalid", v)
    if isinstance(v, float):
        if not math.isfinite(v) or not v.is_integer() or v < 0:
            raise _account_invalid("account_invalid", v)
        if abs(v) >= _FLOAT_EXACT_LIMIT:
            raise _account_invalid("account_mangled", v)
        return str(int(v))
    if isinstance(v, int):
        if v < 0:
            raise _account_invalid("account_invalid", v)
        return str(v)
    s = text(v)
    if s is None:
        return None
    s = _ACCOUNT_DROP.sub("", s).lstrip("'")
    if _SCIENTIFIC.fullmatch(s):
        raise _account_invalid("account_mangled", s)
    return s or None


@dataclass(frozen=True, slots=True)
class Phone:
    """A phone number as typed (``raw``) and, when it is a valid number, its E.164 form."""

    raw: str
    e164: str | None
    valid: bool


def _phone_text(v: object) -> str | None:
    if isinstance(v, float) and v.is_integer():
        v = int(v)  # 13800138000.0 from a numeric cell
    return text(v)


def _e164_slow(s: str) -> str | None:
    # Deliberately not cached: a process-wide cache would keep debtors' numbers in memory for good.
    try:
        number = phonenumbers.parse(s, "CN")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _matches(desc: tuple[re.Pattern[str], frozenset[int]] | None, national: str) -> bool:
    return (
        desc is not None
        and (not desc[1] or len(national) in desc[1])
        and desc[0].fullmatch(national) is not None
    )


def _cn_fast(digits: str) -> str | None:
    """E.164 for a plainly written Chinese mobile or landline, or None to let phonenumbers decide.

    A full phonenumbers parse costs ~20 µs, several times per row. Mobiles and landlines with an area
    code are the bulk of every file, and for them phonenumbers' own CN patterns (general description
    plus the mobile or fixed-line description, exactly what is_valid_number checks) give the same
    answer without the parse. Only positive answers are trusted; anything else takes the slow path.
    """
    if digits.startswith("+86"):
        national = digits[3:]
    elif digits.startswith("0086"):
        national = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        national = digits[2:]
    elif digits.startswith("0"):
        national = digits[1:]  # trunk prefix before the area code
        if national.isascii() and _matches(_CN_GENERAL, national) and _matches(_CN_FIXED, national):
            return "+86" + national
        return None
    else:
        national = digits
    if not (national.isascii() and national.isdigit()) or not _matches(_CN_GENERAL, national):
        return None
    if _matches(_CN_MOBILE, national) or _matches(_CN_FIXED, national):
        return "+86" + national
    return None


def _e164(s: str) -> str | None:
    """E.164 form of ``s`` or None when it is not a valid number (default region CN)."""
    fast = _cn_fast(_PHONE_SEPARATORS.sub("", s))
    return fast if fast is not None else _e164_slow(s)


def phone(v: object) -> Phone | None:
    """One phone number; an invalid number is returned with ``valid=False`` rather than raising."""
    s = _phone_text(v)
    if s is None:
        return None
    e164 = _e164(s)
    return Phone(raw=s, e164=e164, valid=e164 is not None)


def _split_spaced(part: str) -> list[Phone]:
    """Split "13800138000 13900139000" into numbers while keeping "138 0013 8000" whole."""
    whole = _e164(part)
    tokens = part.split(" ")
    if whole is not None or len(tokens) == 1 or len(tokens) > _PHONE_MAX_TOKENS:
        return [Phone(part, whole, whole is not None)]
    found: list[Phone] = []
    pending: list[str] = []  # tokens that belong to no valid number, reported together as one

    def flush() -> None:
        if pending:
            found.append(Phone(" ".join(pending), None, False))
            pending.clear()

    # Only tokens made of phone characters may join a number; phonenumbers itself would happily skip
    # leading words ("abc 13900139000" parses), which would glue notes onto the next number.
    numeric = [bool(_PHONE_TOKEN.fullmatch(t)) for t in tokens]
    i = 0
    while i < len(tokens):
        end = i
        while end < len(tokens) and numeric[end]:
            end += 1
        # Longest run first, so "010 1234 5678" is not cut short at a shorter prefix.
        for j in range(end, i, -1):
            candidate = " ".join(tokens[i:j])
            e164 = _e164(candidate)
            if e164 is not None:
                flush()
                found.append(Phone(candidate, e164, True))
                i = j
                break
        else:
            pending.append(tokens[i])
            i += 1
    flush()
    return found


def phones(v: object) -> list[Phone]:
    """All numbers in a cell; numbers may be separated by / , ; 、 | or whitespace (even line breaks)."""
    if isinstance(v, str) and len(v) == 11 and v.isascii() and v.isdigit():
        # A bare 11-digit mobile is most cells: skip the splitting machinery.
        e164 = _cn_fast(v)
        if e164 is not None:
            return [Phone(v, e164, True)]
    s = _phone_text(v)
    if s is None:
        return []
    result: list[Phone] = []
    seen: set[str] = set()
    for part in _PHONE_LIST_SPLIT.split(s):
        part = part.strip()
        if not part:
            continue
        for p in _split_spaced(part):
            key = p.e164 or p.raw
            if key not in seen:
                seen.add(key)
                result.append(p)
    return result


def email(v: object) -> str | None:
    """A lower-cased e-mail address with a basic syntax check."""
    s = text(v)
    if s is None:
        return None
    s = s.lower()
    if not _EMAIL.fullmatch(s):
        raise FieldError(
            "email_invalid",
            "电子邮箱格式不正确",  # the address itself is personal data: not repeated in the message
            "the e-mail address is not valid",
        )
    return s
