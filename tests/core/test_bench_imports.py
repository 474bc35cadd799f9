"""The benchmark and load scripts import the application lazily (inside functions, after Django
is set up), so a renamed or moved name breaks them only when someone runs them — `make load`
failed this way after `current_month` moved to kinerja.core.calendar. Every `from kinerja… import
name` and `from bench… import name` in bench/ must resolve."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = sorted((ROOT / "bench").glob("*.py"))


def _imports(path: Path) -> list[tuple[int, str, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        (node.lineno, node.module, alias.name)
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        and node.level == 0
        and node.module
        and node.module.split(".")[0] in {"kinerja", "bench"}
        for alias in node.names
    ]


def _resolves(module_name: str, name: str) -> bool:
    module = importlib.import_module(module_name)
    if hasattr(module, name):
        return True
    try:  # `from package import submodule`
        importlib.import_module(f"{module_name}.{name}")
    except ModuleNotFoundError:
        return False
    return True


def test_there_are_scripts_to_check():
    assert len(SCRIPTS) >= 10
    assert any(_imports(path) for path in SCRIPTS)


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.name)
def test_every_application_name_a_bench_script_imports_exists(path):
    missing = [
        f"{path.name}:{line} from {module} import {name}"
        for line, module, name in _imports(path)
        if not _resolves(module, name)
    ]
    assert missing == []


def test_the_check_catches_a_missing_name():
    assert not _resolves("kinerja.performance.selectors", "current_month")
    assert _resolves("kinerja.core.calendar", "months_started")
