"""The layers of docs/ARCHITECTURE.md are enforced by import-linter (contracts in pyproject.toml,
run by `make lint`); this test shows the contracts hold today and would catch an arrow that runs
back up."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(shutil.which("lint-imports") or ROOT / ".venv" / "bin" / "lint-imports")


def _lint(where: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=where,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PYTHONPATH": str(where), "PATH": "/usr/bin:/bin"},
    )


def test_the_code_keeps_every_contract() -> None:
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_an_import_from_a_higher_layer_breaks_the_build(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "kinerja", tmp_path / "kinerja", ignore=shutil.ignore_patterns("*.pyc"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    figures = tmp_path / "kinerja" / "core" / "figures.py"
    figures.write_text(figures.read_text() + "\nfrom kinerja.monitoring import selectors  # noqa\n")

    result = _lint(tmp_path)

    assert result.returncode != 0
    assert "kinerja.core is not allowed to import kinerja.monitoring" in result.stdout
