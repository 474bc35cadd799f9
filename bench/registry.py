"""The benchmark registry: `@benchmark(...)` registers a function under a metric name.

A benchmark is a function `fn(harness) -> Result | float` living in a module of `bench/`.
It receives the `Harness` (the temporary database and the datasets already built in it) and
returns the measured value, optionally with extra fields that are written beside
value/unit/target/ok in `latest-<database>.json`::

    @benchmark("seed_10k_s", unit="s", target=60, lower_is_better=True)
    def seed_10k(h: Harness) -> Result:
        ...
        return Result(elapsed, {"employees": 10_000})

Benchmarks run in registration order (module order in `MODULES`, then definition order), so
that a benchmark that builds a dataset runs before those that reuse it. They must not depend
on each other for correctness, though: each asks the harness for the dataset it needs.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Modules of bench/ that hold no benchmarks: helpers (imported on demand by those that do) and
# the standalone scripts (`make load`, `make faults`, ...). Importing a script here would run its
# module-level setup inside the benchmark process: bench/faults.py puts bench/ first on
# sys.path, and aiosmtpd's `from public import public` then found bench/public.py.
HELPERS = frozenset(
    {
        "registry",
        "harness",
        "datagen",
        "run",
        "pages",
        "faults",
        "import_under_load",
        "load",
        "scaling",
    }
)
# Benchmark modules run first, in this order; any other module of bench/ follows alphabetically.
MODULES = ["organisation", "performance", "assessment", "public", "monitoring", "competency"]
# The 100,000-employee benchmarks (bench/scale.py) run last of all: each replaces the database.
LAST = ["scale"]


@dataclass
class Result:
    value: float
    extra: dict[str, Any] = field(default_factory=dict)  # written beside value/unit/target/ok
    note: str = ""  # a short remark for the printed table only


@dataclass(frozen=True)
class Benchmark:
    name: str
    unit: str
    target: float
    lower_is_better: bool
    func: Callable[..., Result | float]
    description: str
    module: str

    def ok(self, value: float) -> bool:
        return value <= self.target if self.lower_is_better else value >= self.target

    def run(self, harness: Any) -> Result:
        outcome = self.func(harness)
        return outcome if isinstance(outcome, Result) else Result(float(outcome))


REGISTRY: dict[str, Benchmark] = {}


def benchmark(
    name: str, *, unit: str, target: float, lower_is_better: bool = True, description: str = ""
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register `fn` as the benchmark of metric `name` (unique across bench/)."""

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        if name in REGISTRY:
            raise ValueError(
                f"benchmark {name!r} is registered twice "
                f"({REGISTRY[name].module} and {fn.__module__})"
            )
        doc = description or (fn.__doc__ or "").strip().split("\n\n")[0]
        REGISTRY[name] = Benchmark(
            name=name,
            unit=unit,
            target=target,
            lower_is_better=lower_is_better,
            func=fn,
            description=" ".join(doc.split()),
            module=fn.__module__,
        )
        return fn

    return register


def discover() -> dict[str, Benchmark]:
    """Import every benchmark module of bench/ (Django must be set up) and return the registry
    in run order."""
    package = Path(__file__).resolve().parent
    found = sorted(
        m.name
        for m in pkgutil.iter_modules([str(package)])
        if m.name not in HELPERS and not m.name.startswith("_")
    )
    ordered = [m for m in MODULES if m in found]
    ordered += [m for m in found if m not in MODULES and m not in LAST]
    ordered += [m for m in LAST if m in found]
    for module in ordered:
        importlib.import_module(f"bench.{module}")
    return dict(REGISTRY)
