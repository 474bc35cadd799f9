"""One HTTP request through an ASGI application, in process (tests of kinerja/core/asgi.py)."""

from __future__ import annotations

import asyncio
from typing import Any

Answer = tuple[int, list[tuple[str, str]], bytes]


async def exchange(
    app: Any,
    url: str,
    body: bytes = b"",
    method: str = "GET",
    headers: dict[str, str] | None = None,
) -> Answer:
    """Send one request (Host: testserver unless `headers` name another) and collect the answer:
    its status, its headers (names in lower case) and its whole body. The client disconnects
    once the body is complete, as a browser would."""
    path, _, query = url.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [
            (name.lower().encode(), value.encode())
            for name, value in {"host": "testserver", **(headers or {})}.items()
        ],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }
    sent: list[dict[str, Any]] = []
    done = asyncio.Event()
    first = True

    async def receive() -> dict[str, Any]:
        nonlocal first
        if first:
            first = False
            return {"type": "http.request", "body": body, "more_body": False}
        await done.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)
        if message["type"] == "http.response.body" and not message.get("more_body"):
            done.set()

    await app(scope, receive, send)
    start = sent[0]
    answer_headers = [(k.decode().lower(), v.decode()) for k, v in start["headers"]]
    content = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], answer_headers, content
