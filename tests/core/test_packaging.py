"""pyproject.toml declares what the code uses, in a form that installs without warnings."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))

# Runtime dependencies that no module imports by name: Django loads them from settings, or
# they run as a command.
LOADED_BY_DJANGO = {
    "psycopg": "the PostgreSQL backend when DATABASE_URL is postgres://",
    "redis": "django.core.cache.backends.redis when REDIS_URL is set",
    "uvicorn": "the ASGI server, started as a command (bin/run-dev, README)",
}
# Development tools run as commands rather than imported.
# Used as commands or pytest plugins (pyproject's addopts and ini options), never imported.
DEV_TOOLS = {
    "ruff",
    "mypy",
    "django-stubs",
    "pytest-django",
    "pytest-xdist",
    "pytest-timeout",
    "pytest-rerunfailures",
    "import-linter",
}


def _name(requirement: str) -> str:
    match = re.match(r"[A-Za-z0-9_.-]+", requirement)
    assert match, requirement
    return match.group(0).lower().replace("_", "-")


def _import_names() -> dict[str, set[str]]:
    """Distribution name → the top-level modules it installs."""
    names: dict[str, set[str]] = {}
    for module, distributions in packages_distributions().items():
        for distribution in distributions:
            names.setdefault(distribution.lower().replace("_", "-"), set()).add(module)
    return names


def _source(*folders: str) -> str:
    return "\n".join(
        path.read_text(encoding="utf-8")
        for folder in folders
        for path in (ROOT / folder).rglob("*.py")
        if "migrations" not in path.parts
    )


def _used(modules: set[str], source: str) -> bool:
    return any(
        re.search(rf"(^|\n)\s*(import|from)\s+{re.escape(m)}\b|[\"']{re.escape(m)}[.\"']", source)
        for m in modules
    )


def test_it_declares_no_runtime_dependency_that_the_code_does_not_use() -> None:
    source = _source("kinerja", "config")
    names = _import_names()
    unused = [
        name
        for name in map(_name, PYPROJECT["project"]["dependencies"])
        if name not in LOADED_BY_DJANGO and not _used(names.get(name, {name}), source)
    ]
    assert unused == [], f"declared but never imported: {unused}"


def test_it_declares_no_development_dependency_that_the_tests_do_not_use() -> None:
    source = _source("tests", "bench")
    names = _import_names()
    unused = [
        name
        for name in map(_name, PYPROJECT["project"]["optional-dependencies"]["dev"])
        if name not in DEV_TOOLS and not _used(names.get(name, {name}), source)
    ]
    assert unused == [], f"declared but never imported: {unused}"


def test_it_names_the_licence_as_an_spdx_string_for_a_setuptools_that_accepts_it() -> None:
    """A `{text = ...}` table makes setuptools ≥ 77 print a deprecation warning on every
    install; the SPDX string needs setuptools 77 (PEP 639)."""
    assert PYPROJECT["project"]["license"] == "AGPL-3.0-or-later"
    (setuptools,) = [r for r in PYPROJECT["build-system"]["requires"] if _name(r) == "setuptools"]
    assert re.fullmatch(r"setuptools>=(\d+)", setuptools.replace(" ", ""))
    assert int(setuptools.split(">=")[1]) >= 77
