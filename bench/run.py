"""Run Kinerja's benchmarks at scale and write bench/results/latest-<database>.json.

    .venv/bin/python bench/run.py                       # every benchmark
    .venv/bin/python bench/run.py seed_demo_10k_s directory_p95_ms_10k   # a subset
    .venv/bin/python bench/run.py --list
    make bench-pg        # on PostgreSQL (BENCH_DATABASE_URL, default …/kinerja_bench)

The results of each database go to their own file (latest-sqlite.json, latest-postgresql.json);
a run of a subset replaces those metrics in the file and keeps the others, each metric stamped
with when and at which commit it was measured.

Everything happens in a temporary directory (SQLite database, media, collected static files),
or in the BENCH_DATABASE_URL database, which is dropped and recreated; both are removed at the
end. A missed target is reported (ok=false) and the exit status stays 0; a benchmark that
crashes makes the exit status 1. See docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import pstats
import sys
import time
import traceback
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
RESULTS = BENCH_DIR / "results"


def default_output(database: str) -> Path:
    """bench/results/latest-sqlite.json or latest-postgresql.json."""
    return RESULTS / f"latest-{database}.json"


PROFILES = BENCH_DIR / "results" / "profiles"


def _bootstrap() -> None:
    """Import the project and the bench package (not bench/'s modules as top-level ones)."""
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != BENCH_DIR]
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Kinerja benchmarks (see docs/PERFORMANCE.md).")
    parser.add_argument("metrics", nargs="*", help="metric names to run (default: all)")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    parser.add_argument("--seed", type=int, default=None, help="demo seed (default 2026)")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="run the measured blocks under cProfile: print the top functions "
        "and write bench/results/profiles/<metric>.prof (values are inflated)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=None,
        help="JSON file to write (default bench/results/latest-<database>.json, merged: "
        "metrics not run now are kept from the previous run)",
    )
    return parser.parse_args(argv)


def _fmt(value: float | None) -> str:
    if value is None:
        return "—"
    if value == int(value) and abs(value) >= 1:
        return f"{int(value)}"
    return (
        f"{value:.3f}"
        if abs(value) < 10
        else f"{value:.2f}"
        if abs(value) < 1000
        else f"{value:.0f}"
    )


def format_table(
    metrics: dict[str, dict[str, Any]], errors: dict[str, str], notes: dict[str, str]
) -> str:
    header = ["metric", "value", "unit", "target", "ok", "notes"]
    rows = [header]
    for name, m in metrics.items():
        relation = "≤" if m.get("lower_is_better", True) else "≥"
        rows.append(
            [
                name,
                _fmt(m["value"]),
                m["unit"],
                f"{relation} {_fmt(m['target'])}",
                "✔" if m["ok"] else "✘",
                notes.get(name, ""),
            ]
        )
    for name, error in errors.items():
        rows.append([name, "—", "", "", "✘", f"CRASHED: {error}"])
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    numeric = {1, 3}
    lines = []
    for n, row in enumerate(rows):
        cells = [
            cell.rjust(widths[i]) if i in numeric and n else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def report_profile(name: str, profiler: Any, top: int = 25) -> None:
    """Print the functions that dominate the measured blocks and save the raw profile."""
    PROFILES.mkdir(parents=True, exist_ok=True)
    path = PROFILES / f"{name}.prof"
    profiler.dump_stats(path)
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order)
        stats.print_stats(top)
        print(f"  profile of {name}, by {order}:")
        print(
            "\n".join(
                "    " + line
                for line in out.getvalue().splitlines()
                if line.strip() and "function calls" not in line
            )
        )
    print(f"  raw profile: {path.relative_to(ROOT)} (python -m pstats, snakeviz)")


def _merged(output: Path, document: dict[str, Any], known: set[str]) -> dict[str, Any]:
    """This run's document with the metrics of the previous file that this run did not
    measure (and their errors) kept, so that running a subset does not erase the rest;
    metrics that no longer exist (renamed or removed) are dropped."""
    try:
        previous = json.loads(output.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return document
    run = set(document["run"]["selected"])
    kept = {k: v for k, v in previous.get("metrics", {}).items() if k not in run and k in known}
    merged = {**document, "metrics": {**kept, **document["metrics"]}}
    errors = {k: v for k, v in previous.get("errors", {}).items() if k not in run and k in known}
    errors.update(document.get("errors", {}))
    if errors:
        merged["errors"] = errors
    return merged


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    _bootstrap()
    from bench import harness

    config = harness.configure()
    h = None
    try:
        import django

        django.setup()
        from bench.registry import discover
        from kinerja.core import worker

        # As a server worker does before its first request: the views imported, the start-up
        # objects frozen out of the garbage collector's full collections (kinerja/core/worker.py).
        worker.prepare()

        registry = discover()
        if args.list:
            for b in registry.values():
                relation = "≤" if b.lower_is_better else "≥"
                print(f"{b.name:<24} {relation} {_fmt(b.target)} {b.unit:<3}  {b.description}")
            return 0
        unknown = [m for m in args.metrics if m not in registry]
        if unknown:
            print(
                f"Unknown metric(s): {', '.join(unknown)}. Known: {', '.join(registry)}",
                file=sys.stderr,
            )
            return 2
        selected = [b for b in registry.values() if not args.metrics or b.name in args.metrics]

        h = harness.Harness(
            config=config,
            seed=harness.DEFAULT_SEED if args.seed is None else args.seed,
            profile=args.profile,
        )
        started_all = time.perf_counter()
        load_at_start = harness.load_average()
        cpus = os.cpu_count() or 1
        busy = load_at_start is not None and load_at_start[0] > 0.5 * cpus
        if busy:
            print(
                f"⚠ the machine is busy (load {load_at_start[0]:.1f} on {cpus} CPUs): "
                "timings will be inflated and noisy; re-run on a quiet machine to compare.",
                flush=True,
            )
        collectstatic_s = harness.collect_static(config)
        metrics: dict[str, dict[str, Any]] = {}
        errors: dict[str, str] = {}
        notes: dict[str, str] = {}
        durations: dict[str, float] = {}
        for b in selected:
            print(f"▶ {b.name}: {b.description}", flush=True)
            started = time.perf_counter()
            h.profiler = None
            try:
                result = b.run(h)
            except Exception as exc:  # report, go on with the others, exit non-zero
                traceback.print_exc()
                errors[b.name] = f"{type(exc).__name__}: {exc}"
                h.invalidate()
                continue
            finally:
                durations[b.name] = round(time.perf_counter() - started, 2)
                if h.profiler is not None:
                    report_profile(b.name, h.profiler)
            value = round(float(result.value), 3)
            metrics[b.name] = {
                "value": value,
                "unit": b.unit,
                "target": b.target,
                "ok": b.ok(value),
                "lower_is_better": b.lower_is_better,
                **result.extra,
            }
            notes[b.name] = result.note
            mark = "✔" if metrics[b.name]["ok"] else "✘"
            print(
                f"  {mark} {value} {b.unit} (target {b.target}) in {durations[b.name]} s",
                flush=True,
            )

        document: dict[str, Any] = {
            "metrics": metrics,
            "machine": harness.machine_info(config),
            "run": {
                "selected": [b.name for b in selected],
                "seed": h.seed,
                "wall_s": round(time.perf_counter() - started_all, 2),
                "benchmark_wall_s": durations,
                "collectstatic_s": round(collectstatic_s, 2),
                "profile": args.profile,
                "load_at_start": load_at_start,
                "busy": busy,
                "command": " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]),
            },
        }
        if errors:
            document["errors"] = errors
        machine = document["machine"]
        stamp = {"measured_at": machine["timestamp"], "git_commit": machine["git_commit"]}
        for values in metrics.values():
            values.update(stamp)
        if args.output is None:
            output = default_output(machine["database"])
            document = _merged(output, document, set(registry))
        else:
            output = args.output if args.output.is_absolute() else Path.cwd() / args.output
        output.parent.mkdir(parents=True, exist_ok=True)
        partial = output.with_name(output.name + ".tmp")
        partial.write_text(
            json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        os.replace(partial, output)

        print()
        print(format_table(metrics, errors, notes))
        print(
            f"\n{machine['database']} {machine['database_version']} · Python "
            f"{machine['python']} · Django {machine['django']} · {machine['cpu_count']} CPU · "
            f"{machine['memory_gib']} GiB · {document['run']['wall_s']} s in all"
        )
        shown = output.relative_to(ROOT) if output.is_relative_to(ROOT) else output
        print(f"Written to {shown}")
        return 1 if errors else 0
    finally:
        if h is not None:
            h.close()
        else:
            import shutil

            shutil.rmtree(config.workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
