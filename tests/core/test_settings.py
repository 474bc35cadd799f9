"""Settings come from the environment; production refuses to start without a real key."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _load_settings(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "KINERJA_TESTING"}
    }
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import config.settings as s; print(s.TIME_ZONE, s.LANGUAGE_CODE, s.DEBUG)",
        ],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key() -> None:
    result = _load_settings({})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_a_short_secret_key() -> None:
    assert _load_settings({"SECRET_KEY": "pendek"}).returncode != 0


def test_production_starts_with_a_real_key_in_jakarta_time_and_indonesian() -> None:
    result = _load_settings({"SECRET_KEY": "k" * 50})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["Asia/Jakarta", "id", "False"]


def test_development_mode_needs_no_key() -> None:
    assert _load_settings({"DEBUG": "1"}).returncode == 0
