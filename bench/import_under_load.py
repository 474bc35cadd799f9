"""A long employee import must not block anyone (issue 15 item 6), checked on a real server.

    .venv/bin/python bench/import_under_load.py [--rows 50000] [--kiosk 100] [--logins 20]
                                                [--port 8104] [--workdir DIR]

A fresh SQLite installation (the small demo) is served as `make run` serves it — uvicorn with
two workers and the task worker (`db_worker`). BKPSDM's admin uploads an employee file of
--rows new employees on /impor/; while the worker writes it, counter tablets send --kiosk
questionnaires to the kiosk API and --logins people log in. Every one of those requests must
succeed with a p99 under one second, every accepted answer must be in the database afterwards,
and the import must end with every row written. Prints the figures; exits 1 when a promise is
broken. `bench/faults.py` runs a short version.
"""

from __future__ import annotations

import argparse
import csv
import http.cookiejar
import io
import json
import math
import os
import random
import re
import secrets
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
PASSWORD = "bukitintan"  # the demo's (kinerja/demo)
LOGIN_USERS = ["admin.dinkes", "pimpinan", "inspektorat", "admin.bkpsdm"]
HEADERS = [
    "NIP",
    "Nama",
    "Gelar Depan",
    "Gelar Belakang",
    "Status",
    "Golongan",
    "Jabatan",
    "Kode Unit",
    "NIP Atasan",
    "Email",
    "Telepon",
    "Aktif",
]


@dataclass
class Server:
    workdir: Path
    port: int
    env: dict[str, str]
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def db(self) -> Path:
        return self.workdir / "kinerja.sqlite3"

    def manage(self, *args: str, timeout: int = 900) -> str:
        out = subprocess.run(
            [PY, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if out.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)}: {out.stderr[-2000:]}")
        return out.stdout

    def start(self, *, worker: bool = True, web_workers: int = 2) -> None:
        log = open(self.workdir / "server.log", "ab")  # noqa: SIM115 (lives with the process)
        uvicorn = str(ROOT / ".venv" / "bin" / "uvicorn")
        args = [uvicorn, "config.asgi:application", "--host", "127.0.0.1"]
        args += ["--port", str(self.port), "--workers", str(web_workers), "--no-access-log"]
        self.procs.append(subprocess.Popen(args, cwd=ROOT, env=self.env, stdout=log, stderr=log))
        if worker:
            self.start_worker()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.base + "/healthz", timeout=2).read()
                return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.3)
        raise RuntimeError("the server did not start: " + (self.workdir / "server.log").read_text())

    def start_worker(self) -> subprocess.Popen[bytes]:
        log = open(self.workdir / "worker.log", "ab")  # noqa: SIM115
        proc = subprocess.Popen(  # not niced: a starved worker would hold the write lock longer
            [PY, "manage.py", "db_worker", "--no-startup-delay", "--no-reload"],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=log,
        )
        self.procs.append(proc)
        return proc

    def stop(self) -> None:
        for proc in reversed(self.procs):
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        self.procs.clear()

    def query(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        with sqlite3.connect(self.db, timeout=30) as conn:
            return conn.execute(sql, params).fetchall()


def prepare(workdir: Path, port: int, *, demo_employees: int = 300) -> Server:
    """A fresh installation in `workdir`: migrated, the small demo seeded (as `make run`)."""
    workdir.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DEBUG": "1",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "DATABASE_URL": f"sqlite:///{workdir / 'kinerja.sqlite3'}",
        "MEDIA_ROOT": str(workdir / "media"),
        "SITE_URL": f"http://127.0.0.1:{port}",
        # A counter tablet's own limit (20 a minute) is not what is measured here.
        "PUBLIC_KIOSK_RATE_LIMIT": "100000/60",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("KINERJA_TEST_NOW", None)
    server = Server(workdir=workdir, port=port, env=env)
    server.manage("migrate", "--noinput", "-v", "0")
    server.manage("seed_demo", "--employees", str(demo_employees))
    return server


def employee_file(server: Server, rows: int) -> bytes:
    """`rows` new employees in existing units and positions; each tenth row onwards reports to
    an earlier row of the file (supervisors first or later: the import sorts them)."""
    units = [r[0] for r in server.query("SELECT code FROM organisation_unit ORDER BY id")]
    positions = [
        r[0]
        for r in server.query(
            "SELECT name FROM organisation_position WHERE kind != 'fungsional' ORDER BY id"
        )
    ]
    nips = []
    for i in range(rows):
        month, year = (i // 999) % 12 + 1, 1980 + i // (999 * 12)
        nips.append(f"19550101{year:04d}{month:02d}1{i % 999 + 1:03d}")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    for i, nip in enumerate(nips):
        boss = nips[i // 10] if i >= 50 else ""
        unit, position = units[i % len(units)], positions[i % len(positions)]
        writer.writerow(
            [nip, f"Pegawai Impor {i}", "", "", "PNS", "III/a", position, unit, boss, "", "", "Ya"]
        )
    return out.getvalue().encode()


class Browser:
    """A person's session: cookies, the CSRF token of the last form."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> tuple[int, str, str]:
        with self.opener.open(self.base + path, timeout=60) as response:
            return response.status, response.geturl(), response.read().decode()

    def csrf(self, html: str) -> str:
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        assert found, "no CSRF token on the page"
        return found.group(1)

    def post(self, path: str, data: bytes, content_type: str) -> tuple[int, str, str]:
        request = urllib.request.Request(
            self.base + path, data=data, headers={"Content-Type": content_type}
        )
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.geturl(), response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.geturl(), exc.read().decode(errors="replace")

    def login(self, username: str) -> tuple[int, str]:
        _s, _u, page = self.get("/login/")
        form = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": self.csrf(page), "username": username, "password": PASSWORD}
        ).encode()
        status, url, _body = self.post("/login/", form, "application/x-www-form-urlencoded")
        return status, url


def upload(browser: Browser, name: str, data: bytes) -> str:
    _s, _u, page = browser.get("/impor/")
    boundary = "----kinerja" + secrets.token_hex(8)
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
        f"{browser.csrf(page)}\r\n",
        f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nemployees\r\n',
    ]
    body = "".join(parts).encode()
    body += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    ).encode()
    body += data + f"\r\n--{boundary}--\r\n".encode()
    status, url, text = browser.post("/impor/", body, f"multipart/form-data; boundary={boundary}")
    assert status == 200 and "/impor/" in url and url.rstrip("/").split("/")[-1].isdigit(), (
        status,
        url,
        text[:500],
    )
    return url


def kiosk_post(base: str, token: str, code: str) -> tuple[int, int | None]:
    body = json.dumps({"answers": [random.randint(1, 4) for _ in range(9)]}).encode()
    request = urllib.request.Request(
        f"{base}/api/v1/public/surveys/{code}/responses",
        data=body,
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())["id"]
    except urllib.error.HTTPError as exc:
        return exc.code, None


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)] if ordered else 0.0


@dataclass
class Outcome:
    rows: int
    kiosk: list[tuple[int, float, int | None]] = field(default_factory=list)
    logins: list[tuple[int, float, bool]] = field(default_factory=list)
    during_apply: int = 0
    import_seconds: float = 0.0
    apply_seconds: float = 0.0
    job_status: str = ""
    job_summary: str = ""
    employees_written: int = 0
    answers_stored: int = 0

    def figures(self) -> dict[str, Any]:
        k = [t for _s, t, _i in self.kiosk]
        lg = [t for _s, t, _ok in self.logins]
        return {
            "rows": self.rows,
            "import_seconds": round(self.import_seconds, 1),
            "apply_seconds": round(self.apply_seconds, 1),
            "job": self.job_status,
            "employees_written": self.employees_written,
            "kiosk_ok": sum(1 for s, _t, _i in self.kiosk if s == 201),
            "kiosk_sent": len(self.kiosk),
            "kiosk_stored": self.answers_stored,
            "kiosk_p50_ms": round(percentile(k, 50) * 1000),
            "kiosk_p99_ms": round(percentile(k, 99) * 1000),
            "kiosk_max_ms": round(max(k, default=0) * 1000),
            "logins_ok": sum(1 for s, _t, ok in self.logins if ok),
            "logins_sent": len(self.logins),
            "login_p50_ms": round(percentile(lg, 50) * 1000),
            "login_p99_ms": round(percentile(lg, 99) * 1000),
            "login_max_ms": round(max(lg, default=0) * 1000),
            "requests_while_applying": self.during_apply,
        }

    def broken(self) -> list[str]:
        f, problems = self.figures(), []
        if f["kiosk_ok"] != f["kiosk_sent"] or f["kiosk_stored"] != f["kiosk_ok"]:
            problems.append("kiosk answers refused or lost")
        if f["logins_ok"] != f["logins_sent"]:
            problems.append("logins failed")
        if f["kiosk_p99_ms"] >= 1000 or f["login_p99_ms"] >= 1000:
            problems.append("p99 not under 1 s")
        if self.job_status != "selesai" or self.employees_written != self.rows:
            problems.append(f"import did not finish whole ({self.job_status})")
        if f["requests_while_applying"] < (f["kiosk_sent"] + f["logins_sent"]) // 2:
            problems.append("too few requests overlapped the writing phase")
        return problems


@dataclass
class Load:
    kiosk: list[tuple[int, float, int | None]] = field(default_factory=list)
    logins: list[tuple[int, float, bool]] = field(default_factory=list)
    overlapped: int = 0


def send_load(
    server: Server,
    *,
    token: str,
    code: str,
    kiosk: int,
    logins: int,
    rate: float,
    busy: Any = lambda: False,
) -> Load:
    """`kiosk` questionnaires and `logins` logins, shuffled, `rate` a second from four clients;
    `busy()` says whether the import was writing when a request started."""
    load, lock = Load(), threading.Lock()

    def one(kind: str, n: int) -> None:
        overlapped = busy()
        if kind == "kiosk":
            t0 = time.monotonic()
            status, answer_id = kiosk_post(server.base, token, code)
            with lock:
                load.kiosk.append((status, time.monotonic() - t0, answer_id))
        else:
            browser = Browser(server.base)
            _s, _u, page = browser.get("/login/")
            form = urllib.parse.urlencode(
                {
                    "csrfmiddlewaretoken": browser.csrf(page),
                    "username": LOGIN_USERS[n % len(LOGIN_USERS)],
                    "password": PASSWORD,
                }
            ).encode()
            t0 = time.monotonic()  # the POST: check the password, write the session
            status, url, _b = browser.post("/login/", form, "application/x-www-form-urlencoded")
            with lock:
                load.logins.append((status, time.monotonic() - t0, "/login/" not in url))
        if overlapped:
            with lock:
                load.overlapped += 1

    plan = [("kiosk", i) for i in range(kiosk)] + [("login", i) for i in range(logins)]
    random.Random(15).shuffle(plan)
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = []
        for kind, n in plan:
            futures.append(pool.submit(one, kind, n))
            time.sleep(1 / rate)
        for future in futures:
            future.result()
    return load


def run(
    server: Server, *, rows: int, kiosk: int, logins: int, rate: float = 6.0, baseline: bool = True
) -> tuple[Outcome, Outcome | None]:
    """The same load once with nothing else running (the baseline: a login's cost is mostly
    its password hash), then while the import writes."""
    code = server.query("SELECT code FROM public_service WHERE is_active ORDER BY id LIMIT 1")[0][0]
    token = server.manage("kiosk_token", code, "--name", "Tablet uji beban").strip()
    idle = None
    if baseline:
        idle = Outcome(rows=0, job_status="selesai")
        load = send_load(server, token=token, code=code, kiosk=kiosk, logins=logins, rate=rate)
        idle.kiosk, idle.logins = load.kiosk, load.logins
        idle.answers_stored = _stored(server, load)
    outcome = Outcome(rows=rows)
    data = employee_file(server, rows)
    before = server.query("SELECT COUNT(*) FROM organisation_employee")[0][0]
    admin = Browser(server.base)
    status, _url = admin.login("admin.bkpsdm")
    assert status == 200, f"admin login failed: {status}"
    started = time.monotonic()
    job_url = upload(admin, "pegawai-besar.csv", data)
    job_id = int(job_url.rstrip("/").split("/")[-1])

    def job() -> tuple[Any, ...]:
        return server.query(
            "SELECT status, progress, summary FROM core_importjob WHERE id = ?", job_id
        )[0]

    applying_since = None
    while time.monotonic() - started < 1800:
        state = job()[0]
        if state == "menerapkan":
            applying_since = time.monotonic()
            break
        if state in ("selesai", "gagal", "ditolak"):
            break
        time.sleep(0.2)
    load = send_load(
        server,
        token=token,
        code=code,
        kiosk=kiosk,
        logins=logins,
        rate=rate,
        busy=lambda: job()[0] == "menerapkan",
    )
    outcome.kiosk, outcome.logins, outcome.during_apply = load.kiosk, load.logins, load.overlapped
    while time.monotonic() - started < 3600:
        state, _progress, summary = job()
        if state in ("selesai", "gagal", "ditolak"):
            outcome.job_status, outcome.job_summary = state, summary
            break
        time.sleep(0.5)
    outcome.import_seconds = time.monotonic() - started
    outcome.apply_seconds = time.monotonic() - applying_since if applying_since else 0.0
    outcome.employees_written = (
        server.query("SELECT COUNT(*) FROM organisation_employee")[0][0] - before
    )
    outcome.answers_stored = _stored(server, load)
    return outcome, idle


def _stored(server: Server, load: Load) -> int:
    ids = [i for s, _t, i in load.kiosk if s == 201 and i]
    if not ids:
        return 0
    marks = ",".join("?" * len(ids))
    return int(
        server.query(f"SELECT COUNT(*) FROM public_surveyresponse WHERE id IN ({marks})", *ids)[0][
            0
        ]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--kiosk", type=int, default=100)
    parser.add_argument("--logins", type=int, default=20)
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8104")))
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the servers on the way out
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="kinerja-import-load-"))
    print(f"installation in {workdir}; server on port {args.port}", flush=True)
    server = prepare(workdir, args.port)
    try:
        server.start()
        outcome, idle = run(server, rows=args.rows, kiosk=args.kiosk, logins=args.logins)
    finally:
        server.stop()
    figures = outcome.figures()
    base = idle.figures() if idle else {}
    print(f"  {'':<26} {'during import':>14} {'no import':>10}")
    for key, value in figures.items():
        print(f"  {key:<26} {value!s:>14} {base.get(key, '')!s:>10}")
    print(f"  job summary: {outcome.job_summary}")
    problems = outcome.broken()
    print("OK" if not problems else "BROKEN: " + "; ".join(problems))
    if args.workdir is None and not problems:
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
