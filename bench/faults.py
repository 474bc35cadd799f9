"""Fault injection: each failure of issue 15, reproduced, with the fixed behaviour asserted.

    make faults            (or: .venv/bin/python bench/faults.py [--port N] [--keep])

Where the issue speaks of a server, a worker, `kill -9` or a command, the probe drives the real
thing: a fresh SQLite installation with the small demo, served by uvicorn (two workers) beside
`db_worker`, and `manage.py` commands. The other faults have focused tests in the suite; they
run here in one pytest process, by name. Prints a table probe → result; exits 1 when a probe
fails. CI runs it (.ci/run, at most 10 minutes): most of the time goes to installing and
seeding the demo; 577 s on the shared, heavily loaded development machine.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from import_under_load import (
    HEADERS,
    PY,
    ROOT,
    Browser,
    Server,
    employee_file,
    kiosk_post,
    prepare,
    run,
    upload,
)


@dataclass
class Result:
    item: str
    probe: str
    ok: bool
    detail: str
    seconds: float


# Faults with a focused test in the suite (run together, by node id).
SUITE = [
    (
        "1",
        "numeric NIP cell refused, not rounded",
        "tests/organisation/test_imports.py::test_a_nip_stored_as_a_number_is_refused_not_rounded",
    ),
    (
        "2",
        "5,000-char narrative refused with the limit",
        "tests/performance/test_realisations.py::"
        "test_a_narrative_longer_than_the_limit_is_refused_not_cut",
    ),
    (
        "2",
        "5,000-char comment refused with the limit",
        "tests/performance/test_realisations.py::"
        "test_a_too_long_feedback_is_refused_with_the_limit_not_called_empty",
    ),
    (
        "3",
        "huge realisation value refused",
        "tests/performance/test_realisations.py::"
        "test_a_value_thousands_of_times_the_target_is_refused_with_the_reason",
    ),
    (
        "4",
        "NUL in a form refused, nothing changed",
        "tests/core/test_bad_input.py::"
        "test_a_form_with_a_nul_character_is_refused_and_changes_nothing",
    ),
    (
        "4",
        '"²" in a number column is a row error',
        "tests/organisation/test_imports.py::"
        "test_a_superscript_digit_in_a_number_column_is_a_row_error_not_a_crash",
    ),
    (
        "5",
        "disk full on evidence upload: no orphan",
        "tests/performance/test_realisations.py::"
        "test_a_full_disk_leaves_no_partial_file_and_says_so",
    ),
    (
        "6",
        "half-applied import undone after a crash",
        "tests/organisation/test_import_jobs.py::"
        "test_a_job_whose_worker_died_mid_import_is_undone_by_the_recovery",
    ),
    (
        "8",
        "task of a dead worker failed, then retried",
        "tests/core/test_taskqueue.py::test_a_task_of_a_dead_worker_is_marked_failed_then_retried",
    ),
    (
        "8",
        "worker outlives a lock past its busy timeout",
        "tests/core/test_db_worker.py::test_the_worker_survives_a_lock_held_past_its_busy_timeout",
    ),
    (
        "10",
        "hung database: /readyz names it",
        "tests/core/test_healthz.py::"
        "test_readyz_reports_a_database_that_does_not_answer_and_skips_what_needs_it",
    ),
    ("12", "upgrade from the previous release keeps rows", "tests/upgrade/test_upgrade.py"),
    (
        "14",
        "zip bomb evidence refused",
        "tests/performance/test_realisations.py::"
        "test_an_office_file_that_expands_enormously_is_refused",
    ),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str) -> tuple[int, dict[str, Any]]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


# --- Probes on the running installation ---------------------------------------------------


def numeric_nip_by_command(server: Server) -> str:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    unit = server.query("SELECT code FROM organisation_unit LIMIT 1")[0][0]
    position = server.query("SELECT name FROM organisation_position LIMIT 1")[0][0]
    sheet.append([198609262015051031, "Angka", "", "", "PNS", "III/a", position, unit])
    path = server.workdir / "nip-angka.xlsx"
    book.save(path)
    before = server.query("SELECT COUNT(*) FROM organisation_employee")[0][0]
    out = subprocess.run(
        [PY, "manage.py", "import_employees", str(path)],
        cwd=ROOT,
        env=server.env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    after = server.query("SELECT COUNT(*) FROM organisation_employee")[0][0]
    assert out.returncode != 0 and "berisi angka" in out.stderr, out.stderr[-500:]
    assert "Traceback" not in out.stderr and before == after
    return 'import_employees exits 1: "Kolom NIP berisi angka, bukan teks…"; 0 rows written'


def superscript_by_command(server: Server) -> str:
    path = server.workdir / "jabatan.csv"
    path.write_text("Nama Jabatan,Jenis Jabatan,Kelas Jabatan,Jenjang\nPenata Uji,Pelaksana,²,\n")
    out = subprocess.run(
        [PY, "manage.py", "import_employees", "--kind", "positions", str(path)],
        cwd=ROOT,
        env=server.env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode != 0 and "Kelas Jabatan" in out.stderr, out.stderr[-500:]
    assert "Traceback" not in out.stderr
    return 'command: row error "Kelas jabatan harus angka 1 sampai 17", no traceback'


def nul_to_kiosk(server: Server) -> str:
    code = server.query("SELECT code FROM public_service WHERE is_active LIMIT 1")[0][0]
    token = server.manage("kiosk_token", code, "--name", "Tablet NUL").strip()
    body = json.dumps({"answers": [4] * 9, "suggestion": "a\u0000b"}).encode()
    request = urllib.request.Request(
        f"{server.base}/api/v1/public/surveys/{code}/responses",
        data=body,
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
    )
    try:
        urllib.request.urlopen(request, timeout=10)
        status = 201
    except urllib.error.HTTPError as exc:
        status = exc.code
    assert status == 400, status
    ok, _id = kiosk_post(server.base, token, code)
    assert ok == 201
    return "kiosk API: NUL → 400 JSON; the next clean answer → 201"


def import_during_kiosk_load(server: Server) -> str:
    outcome, _idle = run(server, rows=3000, kiosk=30, logins=6, baseline=False)
    f = outcome.figures()
    problems = [p for p in outcome.broken() if "p99" not in p]
    assert not problems, f"{problems}: {f}"
    return (
        f"3,000-row import: kiosk {f['kiosk_ok']}/{f['kiosk_sent']} stored "
        f"{f['kiosk_stored']} (p99 {f['kiosk_p99_ms']} ms), logins {f['logins_ok']}/"
        f"{f['logins_sent']} (p99 {f['login_p99_ms']} ms), {f['employees_written']} written"
    )


def worker_killed_mid_import(server: Server) -> str:
    worker = next(p for p in server.procs if "db_worker" in " ".join(map(str, p.args)))
    before = server.query("SELECT COUNT(*) FROM organisation_employee")[0][0]
    admin = Browser(server.base)
    admin.login("admin.bkpsdm")
    data = employee_file(server, 4000).replace(b"19550101", b"19560202")
    job_id = int(upload(admin, "dibunuh.csv", data).rstrip("/").split("/")[-1])
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        status, progress = server.query(
            "SELECT status, progress FROM core_importjob WHERE id = ?", job_id
        )[0]
        if status == "menerapkan" and progress >= 20:
            break
        time.sleep(0.1)
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    server.procs.remove(worker)
    half = server.query("SELECT COUNT(*) FROM organisation_employee")[0][0] - before
    assert half > 0, "the worker was killed before it wrote anything"
    env = {**server.env, "TASKS_STALE_MINUTES": "0"}
    out = subprocess.run(
        [
            PY,
            "manage.py",
            "shell",
            "-c",
            "from kinerja.core import importjobs, taskqueue; r = taskqueue.recover(); "
            "print(r.lost, r.retried, importjobs.recover_stale())",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    lost, retried, undone = map(int, out.stdout.split()[-3:])
    status, error = server.query("SELECT status, error FROM core_importjob WHERE id = ?", job_id)[0]
    after = server.query("SELECT COUNT(*) FROM organisation_employee")[0][0] - before
    server.start_worker()
    assert lost >= 1 and retried >= 1 and undone == 1, out.stdout + out.stderr[-500:]
    assert status == "gagal" and after == 0, (status, after)
    return (
        f"kill -9 after {half} of 4,000 rows: task marked lost and re-queued, the job undone "
        f'(0 rows left), page says "{error[:40]}…"'
    )


def worker_survives_locked_database(server: Server) -> str:
    worker = next(p for p in server.procs if "db_worker" in " ".join(map(str, p.args)))
    # A task due in 25 s: the worker tries to claim it (a write) while the lock is held.
    out = server.manage(
        "shell",
        "-c",
        "from datetime import timedelta; from django.utils import timezone; "
        "from kinerja.monitoring.tasks import prune_changes; "
        "due = timezone.now() + timedelta(seconds=25); "
        "print(prune_changes.using(run_after=due).enqueue().id, due.timestamp())",
    )
    task_id, due = out.strip().split()[-2], float(out.strip().split()[-1])
    time.sleep(max(0.0, due - time.time() - 2))
    holder = sqlite3.connect(server.db, timeout=1, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    time.sleep(16)  # past the 10 s busy timeout: the claim meets "database is locked"
    holder.execute("COMMIT")
    holder.close()
    # The worker itself survives (kinerja/core/management/commands/db_worker.py): no restart.
    alive = worker.poll() is None
    assert alive, f"db_worker exited with {worker.returncode} on the locked database"
    deadline, state = time.monotonic() + 60, ""
    while time.monotonic() < deadline:
        rows = server.query(
            "SELECT status FROM django_tasks_database_dbtaskresult WHERE id = ?",
            task_id.replace("-", ""),
        ) or server.query(
            "SELECT status FROM django_tasks_database_dbtaskresult WHERE id = ?", task_id
        )
        state = rows[0][0] if rows else ""
        if state in ("SUCCESSFUL", "FAILED"):
            break
        time.sleep(0.5)
    log = (server.workdir / "worker.log").read_text(errors="replace")
    met = "database is locked" in log
    assert state == "SUCCESSFUL", f"task={state} locked-in-log={met}"
    assert worker.poll() is None, "db_worker exited after the lock was released"
    seen = "met, logged, retried with backoff" if met else "not met"
    return f"16 s exclusive lock as a task fell due ({seen}); same worker alive; the task ran"


def health_with_broken_database(server: Server) -> str:
    """/healthz stays the cheap liveness check; /readyz fails with the check named."""
    server.stop()
    results = []
    for label, extra, expect_failed in (
        (
            "missing SQLite file",
            {"DATABASE_URL": f"sqlite:///{server.workdir}/gone/k.sqlite3"},
            "database",
        ),
        (
            "full disk (READY_MIN_FREE_MB above the free space)",
            {"READY_MIN_FREE_MB": str(10**9)},
            "media",
        ),
    ):
        alt = Server(workdir=server.workdir, port=server.port, env={**server.env, **extra})
        with contextlib.suppress(RuntimeError):  # /healthz may say 503: it is up all the same
            alt.start(worker=False, web_workers=1)
        started = time.monotonic()
        ready_status, body = get(alt.base + "/readyz")
        took = time.monotonic() - started
        live_status, _ = get(alt.base + "/healthz")
        alt.stop()
        failed = body.get("failed", [])
        assert ready_status == 503 and expect_failed in failed and took < 5, (label, body)
        results.append(f"{label}: /readyz 503 {failed} in {took:.1f} s, /healthz {live_status}")
    server.start()
    return "; ".join(results)


def backup_restore_round_trip(server: Server) -> str:
    out_dir = server.workdir / "cadangan"
    server.manage("backup", "--output", str(out_dir), timeout=600)
    archive = next(out_dir.glob("kinerja-cadangan-*.tar.gz"))
    elsewhere = server.workdir / "pulih"
    elsewhere.mkdir()
    env = {
        **server.env,
        "DATABASE_URL": f"sqlite:///{elsewhere / 'kinerja.sqlite3'}",
        "MEDIA_ROOT": str(elsewhere / "media"),
    }
    out = subprocess.run(
        [PY, "manage.py", "restore", str(archive)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr[-800:]
    counts = []
    for db in (server.db, elsewhere / "kinerja.sqlite3"):
        with sqlite3.connect(db) as conn:
            counts.append(
                [
                    conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                    for t in ("organisation_employee", "public_surveyresponse", "core_auditlog")
                ]
            )
    assert counts[0] == counts[1], counts
    return f"backup → restore elsewhere: row counts equal {counts[0]} (employees, answers, audit)"


SERVER_PROBES: list[tuple[str, str, Callable[[Server], str]]] = [
    ("1", "import_employees refuses a numeric NIP", numeric_nip_by_command),
    ("4", '"²" in an import: row error, no traceback', superscript_by_command),
    ("4", "NUL byte to the kiosk API", nul_to_kiosk),
    ("6", "import during kiosk load and logins", import_during_kiosk_load),
    ("8", "worker kill -9 mid-import → recovered", worker_killed_mid_import),
    ("8", '"database is locked": worker survives, task run', worker_survives_locked_database),
    ("10", "/healthz vs /readyz: missing DB, full disk", health_with_broken_database),
    ("11", "backup → restore round trip", backup_restore_round_trip),
]


def run_suite(workdir: Path) -> list[Result]:
    report = workdir / "suite.xml"
    nodes = [node for _i, _p, node in SUITE]
    started = time.monotonic()
    subprocess.run(
        [
            PY,
            "-m",
            "pytest",
            "-q",
            "-n",
            "0",
            "-p",
            "no:randomly",
            "-p",
            "no:cacheprovider",
            f"--junitxml={report}",
            *nodes,
        ],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        capture_output=True,
        text=True,
        timeout=900,
    )
    took = time.monotonic() - started
    outcome: dict[str, list[bool]] = {}
    if report.exists():
        for case in ET.parse(report).getroot().iter("testcase"):
            path = case.get("classname", "").replace(".", "/") + ".py"
            failed = any(child.tag in ("failure", "error") for child in case)
            for node in nodes:
                if node == path or node == f"{path}::{case.get('name', '').split('[')[0]}":
                    outcome.setdefault(node, []).append(not failed)
    return [
        Result(
            item,
            probe,
            bool(outcome.get(node)) and all(outcome[node]),
            node.split("::")[-1][:60] if node in outcome else "did not run",
            took / len(SUITE),
        )
        for item, probe, node in SUITE
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--keep", action="store_true", help="keep the installation's folder")
    parser.add_argument("--only", default="", help="only the server probes naming this")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the servers on the way out
    workdir = Path(tempfile.mkdtemp(prefix="kinerja-faults-"))
    port = args.port or free_port()
    began = time.monotonic()
    results: list[Result] = []
    suite: list[Result] = []
    thread = threading.Thread(target=lambda: suite.extend(run_suite(workdir)))
    if not args.only:
        thread.start()  # the suite's probes run beside the installation's
    print(f"installation in {workdir}, port {port}", flush=True)
    server = prepare(workdir / "site", port, demo_employees=100)
    try:
        server.start()
        for item, probe, fn in SERVER_PROBES:
            if args.only and args.only not in probe:
                continue
            started = time.monotonic()
            try:
                detail, ok = fn(server), True
            except Exception as exc:  # a broken promise is a row of the table, not a crash
                detail, ok = f"{type(exc).__name__}: {exc}"[:300], False
            results.append(Result(item, probe, ok, detail, time.monotonic() - started))
            print(f"  {'ok ' if ok else 'FAIL'} {probe}", flush=True)
    finally:
        server.stop()
    if thread.is_alive():
        thread.join()
    results += suite
    results.sort(key=lambda r: int(r.item))
    width = max(len(r.probe) for r in results)
    print(f"\n{'item':>4}  {'probe':<{width}}  result  detail")
    for r in results:
        print(f"{r.item:>4}  {r.probe:<{width}}  {'ok' if r.ok else 'FAIL':<6}  {r.detail}")
    failed = [r for r in results if not r.ok]
    print(
        f"\n{len(results) - len(failed)}/{len(results)} probes ok in "
        f"{time.monotonic() - began:.0f} s"
    )
    if not args.keep and not failed:
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
