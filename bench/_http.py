"""A small asyncio HTTP/1.1 client for the live-update benchmarks and the load test: keep-alive
connections to 127.0.0.1 only, cookies, Django's CSRF token, and Server-Sent Events streams.

Standard library only, like the survey load generator (bench/public.py): hundreds of open
streams cost one socket each in one process, and nothing patches the interpreter (Locust's
gevent would, under the Django code that seeds the database in the same process).
"""

from __future__ import annotations

import asyncio
import re
import time
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    ms: float

    @property
    def location(self) -> str:
        return self.headers.get("location", "")

    def csrf(self) -> str:
        found = CSRF_FIELD.search(self.body)
        if not found:
            raise ValueError(f"no CSRF token in the page ({self.status}): {self.body[:300]!r}")
        return found.group(1).decode()


async def _read_head(reader: asyncio.StreamReader) -> tuple[int, dict[str, str], list[str]]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers: dict[str, str] = {}
    cookies: list[str] = []
    for line in lines[1:]:
        if ":" in line:
            name, _, value = line.partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "set-cookie":
                cookies.append(value)
            headers[name] = value
    return status, headers, cookies


async def _read_body(reader: asyncio.StreamReader, headers: dict[str, str]) -> bytes:
    if "content-length" in headers:
        return await reader.readexactly(int(headers["content-length"]))
    if headers.get("transfer-encoding", "").lower() == "chunked":
        parts = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip().split(b";")[0], 16)
            parts.append((await reader.readexactly(size + 2))[:-2])
            if size == 0:
                return b"".join(parts)
    return await reader.read()


@dataclass
class Session:
    """One simulated browser: its cookies and one keep-alive connection."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    reader: asyncio.StreamReader | None = None
    writer: asyncio.StreamWriter | None = None

    def _store(self, set_cookies: list[str]) -> None:
        for raw in set_cookies:
            pair = raw.split(";", 1)[0]
            name, _, value = pair.partition("=")
            if value in ("", '""'):
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value.strip()

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    async def request(
        self,
        method: str,
        path: str,
        *,
        form: dict[str, str] | None = None,
        json_body: bytes | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 60.0,
    ) -> Response:
        body = b""
        lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}"]
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            lines.append("Content-Type: application/x-www-form-urlencoded")
        elif json_body is not None:
            body = json_body
            lines.append("Content-Type: application/json")
        if self.cookies:
            lines.append(f"Cookie: {self.cookie_header()}")
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        if method != "GET":
            lines.append(f"Content-Length: {len(body)}")
        raw = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
        for attempt in (1, 2):
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
            started = time.perf_counter()
            try:
                self.writer.write(raw)
                await self.writer.drain()
                assert self.reader is not None
                status, head, set_cookies = await asyncio.wait_for(_read_head(self.reader), timeout)
                content = await asyncio.wait_for(_read_body(self.reader, head), timeout)
            except (ConnectionError, asyncio.IncompleteReadError) as exc:
                # A keep-alive connection the server closed meanwhile: retry once, fresh,
                # only if nothing came back (the request was not processed).
                await self.close()
                if attempt == 2 or (isinstance(exc, asyncio.IncompleteReadError) and exc.partial):
                    raise
                continue
            ms = (time.perf_counter() - started) * 1000
            self._store(set_cookies)
            if head.get("connection", "").lower() == "close":
                await self.close()
            return Response(status, head, content, ms)
        raise AssertionError("unreachable")

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.reader = self.writer = None

    async def login(self, username: str, password: str) -> None:
        page = await self.request("GET", "/login/")
        answer = await self.request(
            "POST",
            "/login/",
            timeout=120.0,
            form={
                "csrfmiddlewaretoken": page.csrf(),
                "username": username,
                "password": password,
            },
        )
        if answer.status != 302 or "sessionid" not in self.cookies:
            raise AssertionError(f"login of {username} failed ({answer.status})")


class EventStream:
    """One open Server-Sent Events stream: (monotonic time, event, data) of each event."""

    def __init__(self, port: int, path: str, cookie: str) -> None:
        self.port, self.path, self.cookie = port, path, cookie
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.events: asyncio.Queue[tuple[float, str, str]] = asyncio.Queue()
        self.task: asyncio.Task[None] | None = None
        self.status = 0

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        self.writer.write(
            (
                f"GET {self.path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
                f"Cookie: {self.cookie}\r\nAccept: text/event-stream\r\n\r\n"
            ).encode()
        )
        await self.writer.drain()
        self.status, _headers, _cookies = await _read_head(self.reader)
        if self.status != 200:
            raise AssertionError(f"the stream answered {self.status}")
        self.task = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self.reader is not None
        event, data = "", ""
        buffer = b""
        while True:
            chunk = await self.reader.read(65536)
            if not chunk:
                return
            buffer += chunk
            # Chunked transfer: the framing lines are not SSE lines and are skipped below.
            while b"\n" in buffer:
                line, buffer = buffer.split(b"\n", 1)
                text = line.decode("utf-8", "replace").rstrip("\r")
                if text.startswith("event: "):
                    event = text[7:]
                elif text.startswith("data: "):
                    data = text[6:]
                elif text == "" and event:
                    self.events.put_nowait((time.monotonic(), event, data))
                    event, data = "", ""

    async def close(self) -> None:
        if self.task is not None:
            self.task.cancel()
        if self.writer is not None:
            self.writer.close()


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def summary(values: list[float]) -> dict[str, Any]:
    return {
        "n": len(values),
        "p50_ms": round(percentile(values, 50), 1),
        "p95_ms": round(percentile(values, 95), 1),
        "p99_ms": round(percentile(values, 99), 1),
        "max_ms": round(max(values), 1) if values else 0.0,
    }
