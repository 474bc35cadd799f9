"""The bench process: its environment, its temporary database and the datasets built in it.

`configure()` must run before `django.setup()`: it points the settings at a fresh temporary
directory (SQLite database, media, collected static files) or at `BENCH_DATABASE_URL`, and
makes the process look like production (DEBUG unset, a random SECRET_KEY), so that templates
are cached and static URLs come from the manifest exactly as in a deployment.
"""

from __future__ import annotations

import cProfile
import os
import platform
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SEED = 2026  # the demo's own default seed


@dataclass
class Config:
    workdir: Path
    database_url: str
    postgres: bool


def configure(workdir: Path | None = None) -> Config:
    """Set the environment the settings read; call before django.setup()."""
    workdir = workdir or Path(tempfile.mkdtemp(prefix="kinerja-bench-"))
    bench_url = os.environ.get("BENCH_DATABASE_URL", "").strip()
    if bench_url:
        if not bench_url.startswith(("postgres://", "postgresql://", "pgsql://")):
            raise SystemExit("BENCH_DATABASE_URL must be a postgres:// URL.")
        database_url, postgres = bench_url, True
    else:
        database_url, postgres = f"sqlite:///{workdir / 'kinerja.sqlite3'}", False
    for name in ("DEBUG", "KINERJA_TESTING", "MEDIA_ROOT", "TEST_SQLITE_NAME"):
        os.environ.pop(name, None)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": database_url,
            "KINERJA_VAR_DIR": str(workdir),
            "SECRET_KEY": secrets.token_urlsafe(38)[:50],
            "ALLOWED_HOSTS": "testserver,localhost",
            "LOG_LEVEL": os.environ.get("LOG_LEVEL", "WARNING"),
        }
    )
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    return Config(workdir=workdir, database_url=database_url, postgres=postgres)


def collect_static(config: Config) -> float:
    """Collect static files into the work directory (production serves templates' {% static %}
    URLs from the manifest, which needs collectstatic); returns the seconds it took."""
    from django.conf import settings
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.core.files.storage import storages
    from django.core.management import call_command
    from django.utils.functional import empty

    settings.STATIC_ROOT = config.workdir / "static"
    # WhiteNoise's CompressedManifestStaticFilesStorage would spend ~50 s gzip/brotli-compressing
    # every file; its parent resolves {% static %} URLs from the same manifest, so the pages
    # render exactly as in production without the compression.
    backend = settings.STORAGES["staticfiles"]["BACKEND"]
    if backend == "whitenoise.storage.CompressedManifestStaticFilesStorage":
        settings.STORAGES = {
            **settings.STORAGES,
            "staticfiles": {
                "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
            },
        }
    # Forget any storage already built with the old STATIC_ROOT (none is, normally).
    storages._backends = None  # type: ignore[attr-defined]
    storages.__dict__.pop("backends", None)
    storages._storages.pop("staticfiles", None)  # type: ignore[attr-defined]
    staticfiles_storage._wrapped = empty  # type: ignore[attr-defined]
    started = time.perf_counter()
    call_command("collectstatic", interactive=False, verbosity=0)
    return time.perf_counter() - started


@dataclass
class Timer:
    seconds: float = 0.0

    @property
    def ms(self) -> float:
        return self.seconds * 1000


@dataclass
class Harness:
    """The temporary database and which dataset it holds, shared by the benchmarks of a run."""

    config: Config
    seed: int = DEFAULT_SEED
    dataset: str | None = None  # None: no database yet; "empty"; "demo:N:S"; "dirty"
    migrate_s: float | None = None
    shared: dict[str, Any] = field(default_factory=dict)  # for benchmarks to pass things on
    profile: bool = False  # --profile: measure() also runs cProfile
    profiler: cProfile.Profile | None = None  # of the benchmark running now, when profiling

    # --- Measuring --------------------------------------------------------------------

    @contextmanager
    def measure(self) -> Iterator[Timer]:
        """Time the block (perf_counter); with --profile, also profile it. Blocks measured in
        one benchmark accumulate into one profile."""
        timer = Timer()
        if self.profile and self.profiler is None:
            self.profiler = cProfile.Profile()
        if self.profiler is not None:
            self.profiler.enable()
        started = time.perf_counter()
        try:
            yield timer
        finally:
            timer.seconds = time.perf_counter() - started
            if self.profiler is not None:
                self.profiler.disable()

    # --- Databases --------------------------------------------------------------------

    def fresh_database(self) -> float:
        """Drop and recreate the database, then migrate it; returns the migration seconds."""
        from django.core.cache import caches
        from django.core.management import call_command
        from django.db import connections

        connections.close_all()
        if self.config.postgres:
            # The pool's idle connections would be killed by DROP … WITH (FORCE) and then
            # handed out dead (every later benchmark timed out waiting for a connection):
            # close the pool first; the next query opens a new one on the new database.
            for connection in connections.all():
                if getattr(connection, "pool", None) is not None:
                    connection.close_pool()
            self._recreate_postgres()
        else:
            path = Path(connections["default"].settings_dict["NAME"])
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        started = time.perf_counter()
        call_command("migrate", interactive=False, verbosity=0)
        self.migrate_s = time.perf_counter() - started
        caches["default"].clear()
        self.shared.clear()
        self.dataset = "empty"
        return self.migrate_s

    def _postgres_admin(self) -> tuple[Any, str]:
        import psycopg
        from django.db import connections

        params = connections["default"].settings_dict
        name = params["NAME"]
        if "bench" not in name:
            raise SystemExit(
                f"Refusing to drop database {name!r}: the name of the "
                "BENCH_DATABASE_URL database must contain 'bench'."
            )
        admin = psycopg.connect(
            dbname="postgres",
            user=params["USER"] or None,
            password=params["PASSWORD"] or None,
            host=params["HOST"] or None,
            port=params["PORT"] or None,
            autocommit=True,
        )
        return admin, name

    def _recreate_postgres(self) -> None:
        from psycopg import sql

        admin, name = self._postgres_admin()
        with admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))

    def empty_database(self) -> None:
        if self.dataset != "empty":
            self.fresh_database()

    def demo(self, employees: int) -> None:
        """Make sure the database holds exactly the demo regency at `employees` (seeding it,
        untimed, when a previous benchmark did not leave it there)."""
        tag = f"demo:{employees}:{self.seed}"
        if self.dataset in (tag, f"full:{employees}:{self.seed}"):  # the full demo holds it
            return
        from kinerja.demo.organisation import build_demo

        self.empty_database()
        print(f"  (seeding the {employees}-employee demo for this benchmark…)", flush=True)
        build_demo(employees=employees, seed=self.seed)
        self.seeded(employees)

    def full_demo(self, employees: int) -> dict[str, Any]:
        """Make sure the database holds the whole demo at `employees`: `manage.py seed_demo
        --employees N` (organisation, plans and realisations, assessments, the public, competency,
        rewards and adoption demos, the monitoring rebuild), run as its own process into the
        empty migrated database, exactly as an operator runs it. Returns how that went: wall
        seconds and the process's peak resident memory (from wait4's rusage)."""
        tag = f"full:{employees}:{self.seed}"
        if self.dataset == tag:
            return dict(self.shared[tag])
        from django.core.cache import caches
        from django.db import connections

        self.empty_database()
        connections.close_all()
        print(f"  (seed_demo --employees {employees} in its own process…)", flush=True)
        log_path = self.config.workdir / f"seed_demo_{employees}.log"
        with open(log_path, "w") as log:
            started = time.perf_counter()
            process = subprocess.Popen(
                [
                    sys.executable,
                    "manage.py",
                    "seed_demo",
                    "--employees",
                    str(employees),
                    "--seed",
                    str(self.seed),
                ],
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            _pid, status, usage = os.wait4(process.pid, 0)
            elapsed = time.perf_counter() - started
            process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            self.invalidate()
            tail = log_path.read_text(errors="replace")[-3000:]
            raise AssertionError(f"seed_demo failed ({process.returncode}):\n{tail}")
        caches["default"].clear()
        self.dataset = tag
        self.settle()
        self.shared[tag] = info = {
            "seed_demo_s": round(elapsed, 2),
            # ru_maxrss is in KiB on Linux
            "seed_demo_peak_rss_mib": round(usage.ru_maxrss / 1024, 1),
            "seed_demo_output": log_path.read_text(errors="replace").splitlines()[:14],
        }
        return dict(info)

    def seeded(self, employees: int) -> None:
        """Record that a benchmark has just seeded the demo itself (and let it settle)."""
        self.dataset = f"demo:{employees}:{self.seed}"
        self.settle()

    def settle(self) -> None:
        """After a bulk load: on PostgreSQL, VACUUM ANALYZE, as autovacuum would within a minute
        in a deployment (since PostgreSQL 13 it vacuums after inserts too), so that plans do not
        depend on stale statistics and pages read first do not pay for setting every row's
        hint bits (a `COUNT(*)` of 100,000 fresh rows: 109 ms, then 28). This machine's
        PostgreSQL runs with autovacuum off, so the bench does it. (SQLite has no automatic
        statistics, so there the database is left as the app leaves it.)"""
        from django.db import connection

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")

    def invalidate(self) -> None:
        """A benchmark changed the data: the next one that needs a dataset rebuilds it."""
        self.dataset = "dirty"
        self.shared.clear()

    def close(self) -> None:
        from django.db import connections

        connections.close_all()
        try:
            if self.config.postgres and self.dataset is not None:
                admin, name = self._postgres_admin()
                from psycopg import sql

                with admin:
                    admin.execute(
                        sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                            sql.Identifier(name)
                        )
                    )
        finally:
            shutil.rmtree(self.config.workdir, ignore_errors=True)


# --- Machine --------------------------------------------------------------------------------


def _memory_bytes() -> int | None:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return None


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def _git_commit() -> str | None:
    """The checked-out commit (read-only `git rev-parse`), or None outside git / no commit."""
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--verify", "--quiet", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def load_average() -> list[float] | None:
    """The 1, 5 and 15-minute load averages (None where the OS has none)."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except (AttributeError, OSError):
        return None


def _redacted(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


def machine_info(config: Config) -> dict[str, Any]:
    import django
    from django.conf import settings
    from django.db import connection

    db_version = "unknown"
    if connection.vendor == "sqlite":
        import sqlite3

        db_version = sqlite3.sqlite_version
    else:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SHOW server_version")
                db_version = cursor.fetchone()[0]
        except Exception:  # e.g. no benchmark created the database
            pass
    memory = _memory_bytes()
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "cpu": _cpu_model(),
        "cpu_count": os.cpu_count(),
        "cpu_affinity": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "memory_bytes": memory,
        "memory_gib": round(memory / 2**30, 1) if memory else None,
        "load_average": load_average(),
        "database": connection.vendor,
        "database_version": db_version,
        "database_url": _redacted(config.database_url) if config.postgres else "sqlite (temp file)",
        "django": django.get_version(),
        "debug": settings.DEBUG,
        "cache": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
        "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
        "git_commit": _git_commit(),
    }
