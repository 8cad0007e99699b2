"""Chinese line breaking and the facts a letter must carry (pure)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from arrears.documents.kinds import SETTLEMENT_CERTIFICATE, MissingFacts, require
from arrears.documents.layout import NO_LINE_END, NO_LINE_START, wrap

CJK = st.sampled_from(list("欠款已于全部结清经双方协商一致您按和解约定还人民币其余依予以减免"))
PUNCT = st.sampled_from(list("，。、；：（）《》"))
AMOUNT = st.from_regex(r"¥[1-9][0-9]{0,2}(,[0-9]{3}){0,2}\.[0-9]{2}", fullmatch=True)


def width(text: str) -> float:
    return float(len(text))  # one unit a character: enough to test the rules


def test_an_amount_is_never_split_and_a_comma_never_starts_a_line():
    text = "经双方协商一致，您按和解约定还款人民币¥100,000.00，其余欠款依约予以减免。"
    lines = wrap(text, width, 18, 20)
    assert "".join(lines) == text
    assert any("¥100,000.00" in line for line in lines)
    assert all(line[0] not in NO_LINE_START for line in lines)


@given(st.lists(st.one_of(CJK, PUNCT, AMOUNT), min_size=1, max_size=80))
def test_wrapping_keeps_the_text_and_the_rules(parts):
    text = "".join(parts)
    lines = wrap(text, width, 14, 16)
    assert "".join(lines) == text
    for line in lines[1:]:
        assert line[0] not in NO_LINE_START
    for line in lines[:-1]:
        assert line[-1] not in NO_LINE_END
    for amount in (p for p in parts if p.startswith("¥")):
        assert any(amount in line for line in lines)  # an amount is never split


def test_lines_fit_except_for_hanging_punctuation_and_unbreakable_runs():
    text = "截至本证明出具之日上述账户项下的本金利息违约金及其他费用均已结清" * 3
    for line in wrap(text, width, 10, 12)[1:]:
        assert len(line) <= 12


def test_a_letter_without_a_required_fact_is_refused():
    with pytest.raises(MissingFacts) as refused:
        require(SETTLEMENT_CERTIFICATE, {"debtor_name": "王浩", "paid": 0})
    assert "id_masked" in refused.value.missing and "debtor_name" not in refused.value.missing
    assert "结清证明缺少必备内容" in str(refused.value)
