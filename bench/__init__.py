"""Kinerja benchmarks at scale (`make bench`, see docs/PERFORMANCE.md).

Every module of this package other than the helpers (`registry`, `harness`, `datagen`, `run`)
holds benchmark functions registered with `@benchmark(...)`; `bench/run.py` imports them all,
runs them in a throw-away database and writes `bench/results/latest-<database>.json`.
"""
