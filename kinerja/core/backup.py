"""Backup and restore of a whole installation: the database and the media files in one dated
archive with a manifest and checksums (`manage.py backup`, `manage.py restore`).

- SQLite: a consistent online copy through SQLite's backup API (writers may continue).
- PostgreSQL: `pg_dump --format=custom` (a consistent snapshot), restored with `pg_restore`.
- Media: every file under MEDIA_ROOT, each with its SHA-256 in the manifest.

The manifest also records each table's row count, so a restore can be checked table by table.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

FORMAT = 1
Progress = Callable[[str], None]


class BackupError(RuntimeError):
    pass


@dataclass(frozen=True)
class Manifest:
    data: dict[str, Any]

    @property
    def engine(self) -> str:
        return str(self.data["engine"])

    @property
    def tables(self) -> dict[str, int]:
        return dict(self.data["tables"])

    @property
    def media(self) -> dict[str, str]:
        return dict(self.data["media"])


def table_counts() -> dict[str, int]:
    """Rows of every table of the installation (Django's and the apps')."""
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[table] = int(cursor.fetchone()[0])
    return counts


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def media_files(root: Path | None = None) -> Iterator[tuple[str, Path]]:
    root = Path(root or settings.MEDIA_ROOT)
    if not root.exists():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.name.startswith(".readyz-"):
            yield path.relative_to(root).as_posix(), path


def media_checksums(root: Path | None = None) -> dict[str, str]:
    return {name: _sha256(path) for name, path in media_files(root)}


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db = settings.DATABASES["default"]
    args = ["--host", str(db.get("HOST") or "127.0.0.1"), "--port", str(db.get("PORT") or 5432)]
    args += ["--username", str(db.get("USER") or "postgres"), "--dbname", str(db["NAME"])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _dump_database(target: Path, progress: Progress) -> None:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination, pages=1024)
        finally:
            destination.close()
        progress(f"basis data SQLite disalin ({target.stat().st_size // 1024} KB)")
        return
    if connection.vendor == "postgresql":
        args, env = _pg_env()
        result = subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", "--file", str(target), *args],
            env=env,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_dump gagal: {result.stderr.strip()}")
        progress(f"basis data PostgreSQL disalin ({target.stat().st_size // 1024} KB)")
        return
    raise BackupError(f"basis data {connection.vendor} tidak didukung")


def backup(output: Path, progress: Progress = lambda _: None) -> Path:
    """Write the archive into the directory `output`; returns its path."""
    output.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    archive_path = output / f"kinerja-cadangan-{stamp}.tar.gz"
    with tempfile.TemporaryDirectory() as work:
        database = Path(work) / (
            "database.sqlite3" if connection.vendor == "sqlite" else "database.dump"
        )
        _dump_database(database, progress)
        files = list(media_files())
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "engine": connection.vendor,
            "database_file": database.name,
            "database_sha256": _sha256(database),
            "tables": table_counts(),
            "media": {name: _sha256(path) for name, path in files},
        }
        partial = archive_path.with_suffix(".partial")
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mtime = len(data), int(datetime.now().timestamp())
            archive.addfile(info, io.BytesIO(data))
            archive.add(database, arcname=database.name)
            for n, (name, path) in enumerate(files, start=1):
                archive.add(path, arcname=f"media/{name}")
                if n % 500 == 0:
                    progress(f"{n} dari {len(files)} berkas media")
        partial.rename(archive_path)  # never a half-written archive under the final name
    size_kb = archive_path.stat().st_size // 1024
    progress(f"{len(files)} berkas media; arsip {archive_path} ({size_kb} KB)")
    return archive_path


def read_manifest(archive_path: Path) -> Manifest:
    with tarfile.open(archive_path, "r:gz") as archive:
        member = archive.extractfile("manifest.json")
        if member is None:
            raise BackupError("arsip tanpa manifest.json")
        return Manifest(json.loads(member.read()))


def installation_is_empty() -> bool:
    """No table holds a row (or there are no tables yet)."""
    return not any(table_counts().values())


def restore(
    archive_path: Path, *, force: bool = False, progress: Progress = lambda _: None
) -> Manifest:
    """Restore the archive into this installation (database and MEDIA_ROOT), then check every
    table's row count and every media file's checksum against the manifest."""
    manifest = read_manifest(archive_path)
    if manifest.engine != connection.vendor:
        raise BackupError(
            f"arsip dari basis data {manifest.engine}, instalasi ini {connection.vendor}"
        )
    if not force and not installation_is_empty():
        raise BackupError(
            "instalasi ini tidak kosong; pulihkan ke instalasi baru, atau tambahkan --force "
            "untuk menimpa semua datanya"
        )
    with tempfile.TemporaryDirectory() as work:
        with tarfile.open(archive_path, "r:gz") as archive:
            archive.extractall(work, filter="data")
        database = Path(work) / manifest.data["database_file"]
        if _sha256(database) != manifest.data["database_sha256"]:
            raise BackupError("checksum basis data tidak cocok: arsip rusak")
        _load_database(database, progress)
        media_root = Path(settings.MEDIA_ROOT)
        media_root.mkdir(parents=True, exist_ok=True)
        source = Path(work) / "media"
        for n, name in enumerate(manifest.media, start=1):
            target = media_root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source / name, target)
            if n % 500 == 0:
                progress(f"{n} dari {len(manifest.media)} berkas media")
    problems = verify(manifest)
    if problems:
        raise BackupError("pemulihan tidak cocok dengan manifest: " + "; ".join(problems[:5]))
    progress(f"dipulihkan: {len(manifest.tables)} tabel, {len(manifest.media)} berkas media")
    return manifest


def _load_database(database: Path, progress: Progress) -> None:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(database)
        try:
            source.backup(connection.connection, pages=1024)
        finally:
            source.close()
        progress("basis data SQLite dipulihkan")
        return
    args, env = _pg_env()
    connection.close()
    result = subprocess.run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--exit-on-error",
            *args,
            str(database),
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore gagal: {result.stderr.strip()[:500]}")
    progress("basis data PostgreSQL dipulihkan")


def verify(manifest: Manifest) -> list[str]:
    """What differs between this installation and the manifest (empty: identical)."""
    problems = []
    counts = table_counts()
    for table, expected in manifest.tables.items():
        if counts.get(table) != expected:
            problems.append(f"tabel {table}: {counts.get(table)} baris, seharusnya {expected}")
    actual = media_checksums()
    for name, digest in manifest.media.items():
        if actual.get(name) != digest:
            problems.append(f"berkas media {name} berbeda")
    return problems
