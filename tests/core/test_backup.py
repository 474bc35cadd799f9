"""`manage.py backup` and `manage.py restore` (issue 15, item 11): the demo backed up, restored
into another empty installation, and compared table by table and file by file — on SQLite
always, and on PostgreSQL when the suite runs there (DATABASE_URL). Real processes, real
files, the real pg_dump/pg_restore."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import clock

ROOT = Path(__file__).resolve().parents[2]
PG = os.environ.get("DATABASE_URL", "").startswith("postgres")


def manage(*args: str, database_url: str, media: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"KINERJA_TESTING"}},
        "DEBUG": "1",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media),
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clock.subprocess_env(env, clock.DEMO_DAY),
        capture_output=True,
        text=True,
        timeout=600,
    )


def checksums(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def databases(tmp_path: Path) -> Iterator[tuple[str, str, callable]]:  # type: ignore[valid-type]
    if not PG:

        def counts_sqlite(url: str) -> dict[str, int]:
            with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
                tables = [
                    r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")
                ]
                return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}

        yield (
            f"sqlite:///{tmp_path / 'src.sqlite3'}",
            f"sqlite:///{tmp_path / 'dst.sqlite3'}",
            counts_sqlite,
        )
        return
    import psycopg

    base = "postgres://postgres@127.0.0.1:5432"
    names = [f"kinerja_bk_{uuid.uuid4().hex[:8]}_{side}" for side in ("src", "dst")]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')

    def counts_pg(url: str) -> dict[str, int]:
        with psycopg.connect(url) as db:
            tables = [
                r[0]
                for r in db.execute("SELECT tablename FROM pg_tables WHERE schemaname='public'")
            ]
            return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}

    try:
        yield f"{base}/{names[0]}", f"{base}/{names[1]}", counts_pg
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_the_demo_backed_up_and_restored_elsewhere_is_identical(tmp_path: Path, databases) -> None:  # type: ignore[no-untyped-def]
    source, target, counts = databases
    media_src, media_dst, out = tmp_path / "media-src", tmp_path / "media-dst", tmp_path / "out"
    for step in (("migrate", "--noinput"), ("seed_demo", "--employees", "150")):
        result = manage(*step, database_url=source, media=media_src)
        assert result.returncode == 0, result.stderr[-2000:]
    (media_src / "bukti" / "2026").mkdir(parents=True, exist_ok=True)
    (media_src / "bukti" / "2026" / "laporan.pdf").write_bytes(b"%PDF-1.4 bukti\n" * 100)

    backed = manage("backup", "--output", str(out), database_url=source, media=media_src)
    assert backed.returncode == 0, backed.stderr
    (archive,) = out.glob("kinerja-cadangan-*.tar.gz")
    assert "Cadangan selesai" in backed.stdout

    restored = manage("restore", str(archive), database_url=target, media=media_dst)
    assert restored.returncode == 0, restored.stderr
    assert "Pemulihan selesai dan diperiksa" in restored.stdout

    before, after = counts(source), counts(target)
    assert after == before and before["organisation_employee"] >= 150
    assert checksums(media_dst) == checksums(media_src) != {}

    again = manage("restore", str(archive), database_url=target, media=media_dst)
    assert again.returncode != 0 and "tidak kosong" in again.stderr
