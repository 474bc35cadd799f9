"""Django's ASGI handler with a few long-lived threads for each worker's synchronous code.

Django's own handler gives every request a new thread (a fresh ThreadSensitiveContext): under
load that costs a thread start and join per request (about 0.4 ms on the reference machine),
a new database connection per request (a connection belongs to a thread; on SQLite the first
read of a new connection parses the whole schema, about 1.1 ms), and, with dozens of threads
contending for the GIL, a long latency tail (docs/PERFORMANCE.md, "survey_submit_p99_ms").

Here each worker process keeps ASGI_THREADS threads (default 4). A request runs all of its
synchronous code (middleware, view, template) on one of them, the least busy at its start, as
Django's thread-sensitive contract requires; requests on one thread run in arrival order. A slow
request (a large PDF) holds only its own thread. Threads live as long as the worker, so with
CONN_MAX_AGE > 0 their database connections are reused. Asynchronous views (the SSE stream)
do not occupy a thread while they wait, and a request stops counting against its thread once
its response has started. At most ASGI_THREADS requests of a worker run sync code at once; the
others queue behind the least busy thread.

A thread can be *parked*: blocked while another thread does its work, using no CPU (a kiosk
questionnaire waiting for the shared commit of kinerja.public.commits, see `parked()`). A parked
thread does not count against ASGI_THREADS: while fewer than ASGI_THREADS threads are busy and
not parked, a new request goes to an idle extra thread (started when first needed, at most
`max_threads` in all, 4 × ASGI_THREADS by default) rather than queueing behind a parked one.
So requests that wait for a shared commit can gather in larger batches, while pages that never
park (every other page, /healthz) run on ASGI_THREADS threads as before.
"""

from __future__ import annotations

import contextvars
import logging
import threading
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

from asgiref.sync import ThreadSensitiveContext
from django.core.handlers.asgi import ASGIHandler

logger = logging.getLogger(__name__)
SHUTDOWN_HOOKS: list[Callable[[], Awaitable[None]]] = []


_thread_slot = threading.local()  # on each request thread: (its handler, its index)


@contextmanager
def parked() -> Iterator[None]:
    """Mark the current request thread as blocked while another thread does its work (it uses
    no CPU meanwhile), so that the handler may start the next request on an extra thread instead
    of counting this one as busy. Outside the handler's threads (tests, WSGI, commands) it does
    nothing."""
    slot: tuple[PooledThreadsASGIHandler, int] | None = getattr(_thread_slot, "slot", None)
    if slot is None:
        yield
        return
    handler, index = slot
    handler.parked[index] += 1  # only this thread writes its own entry
    try:
        yield
    finally:
        handler.parked[index] -= 1


class PooledThreadsASGIHandler(ASGIHandler):
    def __init__(self, threads: int = 4, max_threads: int | None = None) -> None:
        super().__init__()
        if threads < 1:
            raise ValueError("ASGI_THREADS must be at least 1")
        self.threads = threads
        self.max_threads = max(threads, max_threads if max_threads is not None else 4 * threads)
        self.executors: list[ThreadPoolExecutor] = []
        self.in_flight: list[int] = []  # requests assigned to each thread, not yet responding
        self.parked: list[int] = []  # > 0 while the thread's request waits in `parked()`
        for _ in range(threads):
            self._add_thread()

    def _add_thread(self) -> int:
        index = len(self.executors)

        def remember() -> None:
            _thread_slot.slot = (self, index)

        self.executors.append(
            ThreadPoolExecutor(
                max_workers=1, thread_name_prefix=f"kinerja-sync-{index}", initializer=remember
            )
        )
        self.in_flight.append(0)
        self.parked.append(0)
        return index

    def pick(self) -> int:
        """The thread for a new request: an idle one of the first ASGI_THREADS (the first);
        when all of those are busy but fewer than ASGI_THREADS threads run (the others are
        parked), an idle extra thread (a new one up to max_threads); otherwise the least busy
        running thread, behind which it queues (first of equals)."""
        base = range(self.threads)
        first = min(base, key=self.in_flight.__getitem__)
        if self.in_flight[first] == 0:
            return first
        count = len(self.executors)
        running = sum(1 for i in range(count) if self.in_flight[i] > 0 and self.parked[i] == 0)
        if running < self.threads:
            for i in range(self.threads, count):
                if self.in_flight[i] == 0:
                    return i
            if count < self.max_threads:
                return self._add_thread()
        # Enough threads run: queue behind the least busy one that is not parked (an idle extra
        # thread is not used here, or more than ASGI_THREADS would run at once).
        queue = [
            i
            for i in range(count)
            if self.parked[i] == 0 and (i < self.threads or self.in_flight[i])
        ]
        return min(queue or range(count), key=self.in_flight.__getitem__)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await self.lifespan(receive, send)
            return
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        slot = self.pick()
        self.in_flight[slot] += 1
        released = False

        def release() -> None:
            nonlocal released
            if not released:
                released = True
                self.in_flight[slot] -= 1

        async def send_releasing(message: dict[str, Any]) -> None:
            # Once the response starts, the request's sync work is done: what remains is
            # sending the body on the event loop (for the SSE stream, for minutes), which must
            # not make its thread look busy to the requests that come next.
            if message["type"] == "http.response.start":
                release()
            await send(message)

        try:
            async with ThreadSensitiveContext(executor=self.executors[slot]):
                await self.handle(scope, receive, send_releasing)
        finally:
            release()

    async def lifespan(self, receive: Any, send: Any) -> None:
        """The ASGI lifespan protocol: at the worker's shutdown, run the registered hooks
        (the live-update hub closes its listener connection)."""
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                for hook in list(SHUTDOWN_HOOKS):
                    try:
                        await hook()
                    except Exception:
                        logger.exception("shutdown hook %r failed", hook)
                await send({"type": "lifespan.shutdown.complete"})
                return


def on_shutdown(hook: Callable[[], Awaitable[None]]) -> None:
    """Run `hook` when the worker process shuts down (registered from AppConfig.ready())."""
    if hook not in SHUTDOWN_HOOKS:
        SHUTDOWN_HOOKS.append(hook)


def get_application() -> PooledThreadsASGIHandler:
    """What `django.core.asgi.get_asgi_application` does, with settings.ASGI_THREADS threads.

    Built in a context of its own: every request's task inherits the context of the code that
    loads the application (the worker's main thread), and asgiref carries each of its variables
    across every sync/async hop of a request, so what set-up leaves there would cost every
    request (kinerja/core/worker.py, point 4)."""
    return contextvars.Context().run(_build_application)


def _build_application() -> PooledThreadsASGIHandler:
    import django
    from django.conf import settings

    django.setup(set_prefix=False)
    handler = PooledThreadsASGIHandler(settings.ASGI_THREADS)
    from kinerja.core import worker

    worker.prepare()
    return handler
