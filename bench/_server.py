"""A real uvicorn server for the benchmarks and the load test: N worker processes on a free
port of 127.0.0.1, on the bench process's database, and the CPU time its processes used; and
the task worker beside it."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _environment(workdir: Path, env: dict[str, str] | None) -> dict[str, str]:
    environment = {**os.environ, "ALLOWED_HOSTS": "127.0.0.1,localhost", **(env or {})}
    environment.setdefault("LOG_LEVEL", "WARNING")
    # Pages render {% static %} from the manifest the bench collected (harness.collect_static).
    environment.setdefault("STATIC_ROOT", str(Path(workdir) / "static"))
    for key in ("DEBUG", "KINERJA_TESTING"):
        environment.pop(key, None)
    for key, value in (env or {}).items():
        if value == "":
            environment.pop(key, None)  # "" removes a variable (e.g. REDIS_URL)
    return environment


def _cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


def _stop(process: subprocess.Popen[bytes], log: Any) -> None:
    """Stop a process group started with start_new_session (SIGTERM, then SIGKILL)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    log.close()


class Worker:
    """The task worker beside the server, as deployed (deploy/kinerja-worker.service, `make
    run`): `manage.py db_worker` on the bench's database, and the CPU time it used."""

    def __init__(self, workdir: Path, *, env: dict[str, str] | None = None) -> None:
        self.log_path = Path(workdir) / "db_worker.log"
        self.log = open(self.log_path, "w")  # noqa: SIM115 (closed in stop())
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--no-startup-delay"],
            cwd=ROOT,
            env=_environment(workdir, env),
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def cpu_seconds(self) -> float:
        return _cpu_seconds([self.process.pid])

    def stop(self) -> None:
        _stop(self.process, self.log)


class Server:
    def __init__(
        self, workdir: Path, *, workers: int = 2, env: dict[str, str] | None = None, name: str = ""
    ) -> None:
        self.port = free_port()
        environment = _environment(workdir, env)
        self.log_path = Path(workdir) / f"uvicorn-{name or self.port}.log"
        self.log = open(self.log_path, "w")  # noqa: SIM115 (closed in stop())
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("uvicorn")),
                "config.asgi:application",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--workers",
                str(workers),
                "--no-access-log",
                "--timeout-graceful-shutdown",
                "3",
                "--backlog",
                "4096",
            ],
            cwd=ROOT,
            env=environment,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2):
                    break
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise AssertionError(
                        "uvicorn did not start:\n" + self.log_path.read_text()[-3000:]
                    ) from None
                time.sleep(0.3)

    def pids(self) -> list[int]:
        """The server and its worker processes."""
        found = [self.process.pid]
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if ppid == self.process.pid:
                found.append(int(entry.name))
        return found

    def cpu_seconds(self) -> float:
        """User + system CPU seconds used so far by the server and its workers."""
        return _cpu_seconds(self.pids())

    def stop(self) -> None:
        _stop(self.process, self.log)  # the server and its workers only
