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

The lean path (`LeanHandler`): a request from a device rather than a browser (settings.LEAN_PATHS:
the kiosk's questionnaire) runs through settings.LEAN_MIDDLEWARE only, in Django's synchronous
mode, in one hop from the event loop to its thread. Every other request takes Django's
asynchronous middleware chain, which for our synchronous middleware and views means several
hops between the loop and the thread (docs/PERFORMANCE.md, eleventh session).
"""

from __future__ import annotations

import contextvars
import logging
import re
import threading
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

from asgiref.sync import ThreadSensitiveContext, sync_to_async
from django.core import signals
from django.core.exceptions import ImproperlyConfigured, MiddlewareNotUsed, RequestAborted
from django.core.handlers.asgi import ASGIHandler, get_script_prefix
from django.core.handlers.base import BaseHandler
from django.core.handlers.exception import convert_exception_to_response
from django.http import HttpResponse
from django.urls import set_script_prefix
from django.utils.module_loading import import_string

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


class LeanHandler(BaseHandler):
    """Django's synchronous request handling with a middleware list of its own, for the paths
    that match one of `paths` (regular expressions on the request's path).

    The middleware are loaded as `BaseHandler.load_middleware` loads settings.MIDDLEWARE for
    WSGI: each one wraps the next, and their view, template-response and exception hooks are
    called in the same order. Only synchronous middleware are accepted: the point is that the
    whole request runs on its thread without going back to the event loop."""

    def __init__(self, paths: list[str], middleware: list[str]) -> None:
        super().__init__()
        self.pattern = re.compile("|".join(f"(?:{path})" for path in paths)) if paths else None
        self.load_lean_middleware(middleware)

    def matches(self, path: str) -> bool:
        return self.pattern is not None and self.pattern.search(path) is not None

    def load_lean_middleware(self, middleware_paths: list[str]) -> None:
        self._view_middleware = []
        self._template_response_middleware = []
        self._exception_middleware = []
        handler = convert_exception_to_response(self._get_response)
        for middleware_path in reversed(middleware_paths):
            middleware = import_string(middleware_path)
            if not getattr(middleware, "sync_capable", True):
                raise ImproperlyConfigured(
                    f"LEAN_MIDDLEWARE takes synchronous middleware only; {middleware_path} is not."
                )
            try:
                instance = middleware(handler)
            except MiddlewareNotUsed:
                continue
            if instance is None:
                raise ImproperlyConfigured(f"Middleware factory {middleware_path} returned None.")
            if hasattr(instance, "process_view"):
                self._view_middleware.insert(0, instance.process_view)
            if hasattr(instance, "process_template_response"):
                self._template_response_middleware.append(instance.process_template_response)
            if hasattr(instance, "process_exception"):
                self._exception_middleware.append(instance.process_exception)
            handler = convert_exception_to_response(instance)
        self._middleware_chain = handler


class PooledThreadsASGIHandler(ASGIHandler):
    def __init__(
        self,
        threads: int = 4,
        max_threads: int | None = None,
        lean: LeanHandler | None = None,
    ) -> None:
        super().__init__()
        self.lean = lean
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

    async def handle(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        """A request on the lean path is read on the event loop, then handled whole on its
        thread in one hop (the request_started signal, the request, LEAN_MIDDLEWARE, the view,
        the request_finished signal), then sent. Every other request: Django's handling."""
        if self.lean is None or not self.lean.matches(_path_info(scope)):
            await super().handle(scope, receive, send)
            return
        try:
            body_file = await self.read_body(receive)
        except RequestAborted:
            return
        set_script_prefix(get_script_prefix(scope))
        try:
            response = await sync_to_async(self._lean_response, thread_sensitive=True)(
                scope, body_file
            )
            await self.send_response(response, send)
            if response.streaming:  # closed once sent, as Django does (not the case here)
                await sync_to_async(response.close, thread_sensitive=True)()
        finally:
            body_file.close()

    def _lean_response(self, scope: dict[str, Any], body_file: Any) -> HttpResponse:
        assert self.lean is not None
        signals.request_started.send(sender=self.__class__, scope=scope)
        request, response = self.create_request(scope, body_file)
        if request is not None:
            response = self.lean.get_response(request)
        if not response.streaming:
            # The body is in memory: closing it now (request_finished gives the database
            # connection back) saves the hop back to this thread after sending.
            response.close()
        return response

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


def _path_info(scope: dict[str, Any]) -> str:
    """The request's path without the script prefix, as Django's request.path_info."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root) else path


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
    lean = LeanHandler(settings.LEAN_PATHS, settings.LEAN_MIDDLEWARE)
    handler = PooledThreadsASGIHandler(settings.ASGI_THREADS, lean=lean)
    from kinerja.core import worker

    worker.prepare()
    return handler
