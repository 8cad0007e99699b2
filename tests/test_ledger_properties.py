"""Property-based: after any sequence of payments, reversals and waivers on a case, the balance
columns equal the sum of the ledger, no component is negative, and a reversal is an exact inverse."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arrears.cases.models import Case
from arrears.money.ledger import Component, waiver_entries
from arrears.payments import ledger
from arrears.payments.models import LedgerEntry, Payment
from arrears.payments.services import payment_post, payment_reverse
from tests.conftest import make_case, make_user

pytestmark = pytest.mark.django_db
_refs = itertools.count()

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("3000.00"), places=2)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("pay"), amounts),
        st.tuples(st.just("reverse"), st.integers(min_value=0, max_value=10)),
        st.tuples(st.just("waive"), st.sampled_from(["interest", "late_fee", "principal"]), amounts),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=operations)
def test_any_sequence_keeps_the_ledger_and_the_balances_equal(placement, org, ops):
    finance = make_user(f"fin{next(_refs)}", "finance", org)
    case = make_case(placement, principal="2500.00")
    for op in ops:
        case.refresh_from_db()
        before = ledger.balances_of(case)
        if op[0] == "pay":
            payment_post(
                actor=finance,
                case=case,
                amount=op[1],
                paid_on=dt.date(2026, 11, 20),
                channel="alipay",
                reference=f"H{next(_refs)}",
            )
        elif op[0] == "reverse":
            standing = list(Payment.objects.filter(case=case, reversed_at__isnull=True).order_by("pk"))
            if not standing:
                continue
            payment = standing[op[1] % len(standing)]
            took = {Component(e.component): -e.amount for e in payment.entries.filter(kind="payment")}
            payment_reverse(actor=finance, payment=payment, reason="property")
            case.refresh_from_db()
            after = ledger.balances_of(case)
            assert all(after[c] == before[c] + took.get(c, Decimal(0)) for c in Component)  # exact inverse
        else:
            component, amount = Component(op[1]), min(op[2], before[Component(op[1])])
            if amount <= 0:
                continue
            locked = Case.objects.select_for_update().get(pk=case.pk)
            entries = waiver_entries({component: amount}, before, on=dt.date(2026, 11, 20), reason="property")
            ledger.book(case=locked, entries=entries, actor=None)
        case.refresh_from_db()
        columns = ledger.balances_of(case)
        assert ledger.ledger_balances(case) == columns
        assert all(v >= 0 for v in columns.values())
        assert case.total == sum(columns.values())
    paid = sum(p.amount - p.unallocated for p in Payment.objects.filter(case=case, reversed_at__isnull=True))
    waived = -sum(e.amount for e in LedgerEntry.objects.filter(case=case, kind="waiver"))
    assert case.total == Decimal("2625.00") - paid - waived
