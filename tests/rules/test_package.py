"""The package stays pure: no Django, typed, and documented with its regulations."""

import ast
import importlib
import inspect
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import kinerja.rules

PACKAGE_DIR = Path(kinerja.rules.__file__).parent
SOURCES = sorted(PACKAGE_DIR.rglob("*.py"))
MODULES = sorted(
    ["kinerja.rules"]
    + [info.name for info in pkgutil.walk_packages(kinerja.rules.__path__, "kinerja.rules.")]
)
EXPECTED_MODULES = {
    "kinerja.rules",
    "kinerja.rules.assessment",
    "kinerja.rules.discipline",
    "kinerja.rules.distribution",
    "kinerja.rules.enums",
    "kinerja.rules.incentives",
    "kinerja.rules.nip",
    "kinerja.rules.numbers",
    "kinerja.rules.skm",
    "kinerja.rules.realisation",
    "kinerja.rules.projection",
    "kinerja.rules.berakhlak",
    "kinerja.rules.training",
    "kinerja.rules.workdays",
    "kinerja.rules.calendar",
    "kinerja.rules.periods",
    "kinerja.rules.progress",
}


DYNAMIC_IMPORTS = {"import_module", "__import__"}


def called_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def imported_modules(path: Path) -> set[str]:
    """Modules imported by a source file: import statements and literal dynamic imports."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Call) and called_name(node) in DYNAMIC_IMPORTS:
            names.update(
                arg.value
                for arg in node.args
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
            )
    return names


def test_it_finds_every_module_of_the_package() -> None:
    assert set(MODULES) >= EXPECTED_MODULES
    assert len(SOURCES) >= len(EXPECTED_MODULES)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_it_imports_nothing_from_django_in_source(path: Path) -> None:
    django = {name for name in imported_modules(path) if name.split(".")[0] == "django"}
    assert not django, f"{path.name} imports {sorted(django)}"


def test_it_imports_only_the_standard_library_and_itself() -> None:
    allowed_roots = set(sys.stdlib_module_names) | {"kinerja", "__future__"}
    for path in SOURCES:
        foreign = {
            name for name in imported_modules(path) if name.split(".")[0] not in allowed_roots
        }
        assert not foreign, f"{path.name} imports {sorted(foreign)}"


def test_it_loads_every_module_without_loading_django() -> None:
    script = (
        "import importlib, sys\n"
        f"for name in {MODULES!r}:\n"
        "    importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "assert not loaded, loaded\n"
        "print(len([m for m in sys.modules if m.startswith('kinerja.rules')]))\n"
    )
    root = PACKAGE_DIR.parent.parent
    completed = subprocess.run(
        [sys.executable, "-c", script], cwd=root, capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0, completed.stderr
    assert int(completed.stdout) == len(MODULES)


REGULATIONS = ("PermenPANRB", "SE MenPANRB", "PP ", "PerBKN", "PerLAN", "DOMAIN")


@pytest.mark.parametrize("name", MODULES)
def test_it_documents_every_module_and_public_function_with_its_source(name: str) -> None:
    module = importlib.import_module(name)
    assert module.__doc__ and any(r in module.__doc__ for r in REGULATIONS), name
    for attr in getattr(module, "__all__", []):
        value = getattr(module, attr)
        if inspect.isfunction(value) and value.__module__ == name:
            assert value.__doc__, f"{name}.{attr} has no docstring"
