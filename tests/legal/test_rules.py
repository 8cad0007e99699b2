"""The pure rules of the legal track."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from arrears.legal.rules import cost_refusal, escalation_refusals, pursuit_refusals, time_barred

DAY = dt.date(2026, 3, 2)


@given(st.dates(), st.dates())
def test_time_barred_exactly_when_the_lapse_date_is_before_today(lapse, today):
    assert time_barred(lapse, today) == (lapse < today)
    assert not time_barred(None, today)


def test_refusals_name_each_reason():
    codes = [
        r.code
        for r in escalation_refusals(
            limitation_on=dt.date(2025, 1, 1), today=DAY, disputed=True, deciding=True
        )
    ]
    assert codes == ["time_barred", "disputed"]
    assert escalation_refusals(limitation_on=None, today=DAY, disputed=False, deciding=False) == []
    unknown = escalation_refusals(limitation_on=None, today=DAY, disputed=False, deciding=True)
    assert [r.code for r in unknown] == ["limitation_unknown"]
    barred = escalation_refusals(limitation_on=dt.date(2025, 1, 1), today=DAY, disputed=False, deciding=False)
    assert "2025-01-01" in barred[0].zh and "2025-01-01" in barred[0].en


def test_costs_are_refused_only_on_settled_recalled_and_closed_cases():
    refused = {s: cost_refusal(s) for s in ("settled", "recalled", "closed")}
    assert {r.code for r in refused.values() if r} == {"case_finished"} and all(refused.values())
    assert "已退案" in refused["recalled"].zh and "recalled" in refused["recalled"].en
    for status in ("new", "in_progress", "promised", "plan", "disputed", "lost_contact", "paid"):
        assert cost_refusal(status) is None


@given(st.dates(), st.dates(), st.booleans(), st.booleans())
def test_a_new_step_is_refused_when_disputed_or_taken_after_the_lapse_without_a_suit_in_time(
    lapse, on, disputed, sued_in_time
):
    codes = [
        r.code
        for r in pursuit_refusals(limitation_on=lapse, on=on, disputed=disputed, sued_in_time=sued_in_time)
    ]
    expected = (["time_barred"] if on > lapse and not sued_in_time else []) + (
        ["disputed"] if disputed else []
    )
    assert codes == expected
    assert pursuit_refusals(limitation_on=None, on=on, disputed=False, sued_in_time=False) == []
