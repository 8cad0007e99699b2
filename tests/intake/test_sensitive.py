"""Extra columns: ID, phone and card numbers are masked in what is shown, kept in the secret part."""

from __future__ import annotations

from arrears.debtors import idnumber
from arrears.intake.sensitive import masked, split


def test_id_numbers_phones_and_cards_are_masked():
    number = idnumber.make("110105", __import__("datetime").date(1980, 2, 3), 7)
    assert masked(number) == number[:6] + "********" + number[-4:]
    assert masked(number.lower()[:-1] + "x") is not None
    assert masked("138 0013 8000") == "138****8000"
    assert masked("6222 0200 1234 5678") == "622*********5678"
    assert masked("家庭电话 010-62345678") == "家庭电话010****5678"


def test_ordinary_values_are_left_alone():
    for value in ("VIP", "2024-03-05", "20240305", "2024年3月5日", "线上渠道", "12345", "A级客户"):
        assert masked(value) is None


def test_split_keeps_every_column_and_only_sensitive_ones_in_secret():
    shown, secret = split({"客户等级": "VIP", "配偶手机": "13900139000"})
    assert shown == {"客户等级": "VIP", "配偶手机": "139****9000"}
    assert secret == {"配偶手机": "13900139000"}
