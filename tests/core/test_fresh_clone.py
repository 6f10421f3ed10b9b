"""A fresh clone has no var/ directory: the SQLite path must still work (issue 12, problem 1)."""

import os
import subprocess
import sys
from pathlib import Path

BASE = Path(__file__).resolve().parents[2]


def test_sqlite_database_opens_without_a_var_directory(tmp_path):
    var = tmp_path / "no-such-dir" / "var"
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL"}}
    env |= {"VERIFY_VAR_DIR": str(var), "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "verify.settings"}
    code = (
        "import django; django.setup(); from django.db import connection; connection.ensure_connection(); print('ok')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert (var / "verify.sqlite3").exists()
