"""Property tests: amounts round-trip in every supported style; ID numbers; the phone fast path."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arrears.debtors import idnumber
from arrears.intake import normalize
from arrears.intake.errors import FieldError

TODAY = dt.date(2024, 8, 1)

amounts = st.decimals(min_value=0, max_value=Decimal("99999999999.99"), places=2, allow_nan=False)


def _grouped(d: Decimal) -> str:
    return f"{d:,.2f}"


def _full_width(s: str) -> str:
    # The inverse of NFKC for ASCII: what a Chinese input method produces in full-width mode.
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in s)


STYLES: dict[str, Callable[[Decimal], object]] = {
    "plain": lambda d: f"{d:.2f}",
    "one decimal or none": lambda d: f"{d.normalize():f}",
    "grouped": _grouped,
    "yen prefix": lambda d: f"¥{_grouped(d)}",
    "full-width yen": lambda d: f"￥{_grouped(d)}",
    "yuan suffix": lambda d: f"{_grouped(d)}元",
    "yen and yuan": lambda d: f"¥{_grouped(d)}元",
    "RMB": lambda d: f"RMB {_grouped(d)}",
    "CNY suffix": lambda d: f"{d:.2f} CNY",
    "full-width": lambda d: _full_width(_grouped(d)),
    "full-width yen and yuan": lambda d: "￥" + _full_width(_grouped(d)) + "元",
    "spaces": lambda d: f"  ¥ {_grouped(d)}  ",
    "ideographic spaces": lambda d: f"\u3000{d:.2f}\u3000",
    "plus sign": lambda d: f"+{d:.2f}",
    "float": lambda d: float(d),
    "int when whole": lambda d: int(d) if d == int(d) else f"{d:.2f}",
}


@settings(deadline=None)
@given(value=amounts, style=st.sampled_from(sorted(STYLES)))
def test_amount_round_trips_in_every_style(value: Decimal, style: str) -> None:
    formatted = STYLES[style](value)
    result = normalize.amount(formatted)
    assert result == value
    assert result is not None and result.as_tuple().exponent == -2


NEGATIVE_STYLES: dict[str, Callable[[Decimal], str]] = {
    "minus": lambda d: f"-{_grouped(d)}",
    "minus after yen": lambda d: f"¥-{_grouped(d)}",
    "parentheses": lambda d: f"({_grouped(d)})",
    "full-width parentheses": lambda d: "（" + _full_width(_grouped(d)) + "）",
}


@settings(deadline=None)
@given(value=amounts.filter(lambda d: d > 0), style=st.sampled_from(sorted(NEGATIVE_STYLES)))
def test_negative_amounts_are_refused_in_every_style(value: Decimal, style: str) -> None:
    with pytest.raises(FieldError) as caught:
        normalize.amount(NEGATIVE_STYLES[style](value))
    assert caught.value.code == "amount_negative"


id_numbers = st.builds(
    idnumber.make,
    region=st.integers(min_value=0, max_value=999999).map(lambda n: f"{n:06d}"),
    birth=st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY),
    sequence=st.integers(min_value=0, max_value=999),
)


@settings(deadline=None)
@given(value=id_numbers)
def test_made_id_numbers_pass(value: str) -> None:
    assert normalize.id_number(value, today=TODAY).value == value
    assert normalize.id_number(value.lower(), today=TODAY).value == value
    assert normalize.id_number(_full_width(value), today=TODAY).value == value


@settings(deadline=None)
@given(value=id_numbers, position=st.integers(min_value=0, max_value=17), data=st.data())
def test_changing_any_single_digit_fails(value: str, position: int, data: st.DataObject) -> None:
    replacement = data.draw(st.sampled_from([d for d in "0123456789" if d != value[position]]))
    changed = value[:position] + replacement + value[position + 1 :]
    with pytest.raises(FieldError):
        normalize.id_number(changed, today=TODAY)


phone_like = st.one_of(
    st.from_regex(r"\A1[3-9]\d{9}\Z"),
    st.from_regex(r"\A(\+86|0086|86)[ -]?1\d{10}\Z"),
    st.from_regex(r"\A0\d{2,3}[- ]?\d{7,8}\Z"),
    st.from_regex(r"\A\(0\d{2,3}\)\d{7,8}\Z"),
    st.from_regex(r"\A[0-9+ -]{5,16}\Z"),
)


@settings(deadline=None, max_examples=300)
@given(raw=phone_like)
def test_phone_fast_path_agrees_with_phonenumbers(raw: str) -> None:
    # The fast path may only short-cut; it must never disagree with a full phonenumbers parse.
    assert normalize._e164(raw) == normalize._e164_slow(raw)


@settings(deadline=None)
@given(raw=st.text())
def test_text_is_idempotent_and_normalised(raw: str) -> None:
    once = normalize.text(raw)
    assert normalize.text(once) == once
    if once is not None:
        assert once == once.strip() and "  " not in once
        assert unicodedata.is_normalized("NFKC", once)
