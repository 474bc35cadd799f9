"""manage.py on a development checkout works with `make run`'s defaults; serving processes and
production still refuse to start without a real SECRET_KEY (issue 15, item 13)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "KINERJA_TESTING", "DJANGO_SETTINGS_MODULE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_command_runs_on_a_checkout_without_any_setting() -> None:
    result = run("check")
    assert result.returncode == 0, result.stderr
    assert "ImproperlyConfigured" not in result.stderr


def test_a_serving_process_still_refuses_to_start_without_a_key() -> None:
    result = run("db_worker", "--help")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_settings_are_never_overridden() -> None:
    """With DEBUG=0 given, no default is added: the missing key is refused, as on a server."""
    result = run("check", DEBUG="0")
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr
