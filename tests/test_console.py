"""The ``arrears`` console: dashed command names, and developer commands without production keys."""

from __future__ import annotations

import os
import subprocess
import sys


def test_developer_commands_run_without_production_keys(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARREARS_")}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    done = subprocess.run(
        [sys.executable, "-m", "arrears", "makemigrations", "--check", "--dry-run"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "No changes detected" in done.stdout


def test_serving_commands_refuse_to_start_without_keys(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARREARS_")}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    done = subprocess.run(
        [sys.executable, "-m", "arrears", "migrate"], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode != 0 and "ARREARS_SECRET_KEY must be set" in done.stderr
