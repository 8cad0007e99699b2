"""The functional cores import no Django: they are usable, testable and benchmarkable on their own."""

from __future__ import annotations

import subprocess
import sys

import pytest

PURE = [
    "arrears.money.interest", "arrears.money.fees", "arrears.money.schedule", "arrears.money.ledger",
    "arrears.money.scenario", "arrears.intake.parse", "arrears.intake.errorbook", "arrears.intake.sensitive",
    "arrears.demo.generator", "arrears.demo.creditor_file", "arrears.debtors.idnumber",
    "arrears.creditors.buckets", "arrears.payments.authority", "arrears.payments.paymentfile",
    "arrears.core.roles", "arrears.core.money", "arrears.workbench.nextstep", "arrears.workbench.keyfacts",
    "arrears.workbench.scripts",
]  # fmt: skip


@pytest.mark.parametrize("module", PURE)
def test_core_module_imports_no_django(module):
    code = (
        f"import sys, {module}\n"
        "sys.stdout.write(repr(sorted(m for m in sys.modules if m.split('.')[0] == 'django')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
