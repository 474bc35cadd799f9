"""The benchmark and load scripts import the application lazily (inside functions, after Django
is set up), so a renamed or moved name breaks them only when someone runs them — `make load`
failed this way after `current_month` moved to kinerja.core.calendar. Every `from kinerja… import
name` and `from bench… import name` in bench/ must resolve, and so must every URL name that bench/
passes to `reverse` (page_weight_max_kb failed on `core:home` after the home page moved)."""

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


def _reversed_names(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        (node.lineno, node.args[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", getattr(node.func, "attr", None)) == "reverse"
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    ]


def _url_name_exists(name: str) -> bool:
    from django.urls import get_resolver

    resolver = get_resolver()
    *namespaces, view = name.split(":")
    for namespace in namespaces:
        if namespace not in resolver.namespace_dict:
            return False
        resolver = resolver.namespace_dict[namespace][1]
    return view in resolver.reverse_dict


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.name)
def test_every_url_name_a_bench_script_reverses_exists(path):
    missing = [
        f"{path.name}:{line} reverse({name!r})"
        for line, name in _reversed_names(path)
        if not _url_name_exists(name)
    ]
    assert missing == []


def test_the_url_check_catches_a_missing_name():
    assert _url_name_exists("home:home")
    assert _url_name_exists("monitoring:team_board")
    assert not _url_name_exists("core:home")
    assert not _url_name_exists("home:nowhere")
    assert sum(len(_reversed_names(path)) for path in SCRIPTS) >= 10


def test_the_benchmark_runner_imports_no_standalone_script():
    """bench/run.py imports every module of bench/ but the helpers; a standalone script (make
    load, make faults, …) imported there runs its module-level setup in the benchmark process:
    bench/faults.py put bench/ first on sys.path, and aiosmtpd's `from public import public`
    (digest_10k_s) then imported bench/public.py. A module with no benchmark is a helper."""
    from bench.registry import HELPERS

    without = sorted(
        path.stem
        for path in SCRIPTS
        if not path.stem.startswith("_") and "@benchmark(" not in path.read_text(encoding="utf-8")
    )
    assert "faults" in without
    assert [name for name in without if name not in HELPERS] == []


def test_the_check_catches_a_missing_name():
    assert not _resolves("kinerja.performance.selectors", "current_month")
    assert _resolves("kinerja.core.calendar", "months_started")
