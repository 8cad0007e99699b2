"""The guard core stays free of Django, so it can be used, tested and benchmarked on its own."""

from __future__ import annotations

import subprocess
import sys


def test_the_guard_core_imports_no_django():
    code = (
        "import sys\n"
        "import arrears.compliance.guard, arrears.compliance.scenario\n"
        "sys.stdout.write(repr(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
