"""The ASGI handler (kinerja/core/asgi.py): every request's synchronous code runs on one of a
few long-lived threads, the least busy; database connections are reused across requests."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.test import override_settings
from django.urls import path

from kinerja.core.asgi import LeanHandler, PooledThreadsASGIHandler, parked
from tests.asgi_client import exchange

seen: list[tuple[str, str]] = []


def where(request: HttpRequest) -> HttpResponse:
    seen.append((request.path, threading.current_thread().name))
    return HttpResponse(threading.current_thread().name)


release_stream = threading.Event()


async def stream(request: HttpRequest) -> StreamingHttpResponse:
    async def body() -> Any:
        yield "data: first\n\n"
        while not release_stream.is_set():
            await asyncio.sleep(0.01)
        yield "data: last\n\n"

    return StreamingHttpResponse(body(), content_type="text/event-stream")


release_parked = threading.Event()


def park(request: HttpRequest) -> HttpResponse:
    """Waits, parked, as a kiosk questionnaire waits for the shared commit."""
    with parked():
        release_parked.wait(30)
    return HttpResponse(threading.current_thread().name)


urlpatterns = [path("where/", where), path("stream/", stream), path("park/", park)]


class RecordingMiddleware:
    """A sync-only middleware: it must run on the same thread as the view."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        seen.append(("middleware", threading.current_thread().name))
        response: HttpResponse = self.get_response(request)
        return response


async def call(app: PooledThreadsASGIHandler, url: str = "/where/") -> tuple[int, str]:
    status, _headers, body = await exchange(app, url)
    return status, body.decode()


SETTINGS = {
    "ROOT_URLCONF": __name__,
    "MIDDLEWARE": [
        "django.middleware.common.CommonMiddleware",
        f"{__name__}.RecordingMiddleware",
    ],
}


@override_settings(**SETTINGS)
def test_a_requests_sync_code_runs_on_one_of_the_long_lived_threads() -> None:
    seen.clear()
    app = PooledThreadsASGIHandler(threads=2)

    async def run() -> list[tuple[int, str]]:
        return [await call(app) for _ in range(5)]

    answers = asyncio.run(run())
    assert [status for status, _ in answers] == [200] * 5
    threads = {name for _, name in answers}
    # One request at a time: always the first (least busy) thread, never a new one.
    assert threads == {"kinerja-sync-0_0"}
    # The sync middleware ran on the view's thread.
    assert {name for _, name in seen} == threads


@override_settings(**SETTINGS)
def test_concurrent_requests_spread_over_the_threads() -> None:
    seen.clear()
    app = PooledThreadsASGIHandler(threads=3)

    async def run() -> list[tuple[int, str]]:
        return list(await asyncio.gather(*(call(app) for _ in range(9))))

    answers = asyncio.run(run())
    assert all(status == 200 for status, _ in answers)
    names = [name for _, name in answers]
    assert {n.rsplit("_", 1)[0] for n in names} == {
        "kinerja-sync-0",
        "kinerja-sync-1",
        "kinerja-sync-2",
    }
    assert app.in_flight == [0, 0, 0]


def test_the_least_busy_thread_is_picked() -> None:
    app = PooledThreadsASGIHandler(threads=3)
    app.in_flight[:] = [2, 0, 1]
    assert app.pick() == 1
    app.in_flight[:] = [1, 1, 1]
    assert app.pick() == 0


def test_it_needs_at_least_one_thread_and_serves_only_http() -> None:
    with pytest.raises(ValueError, match="ASGI_THREADS"):
        PooledThreadsASGIHandler(threads=0)
    app = PooledThreadsASGIHandler(threads=1)
    with pytest.raises(ValueError, match="websocket"):
        asyncio.run(app({"type": "websocket"}, None, None))


def test_the_project_application_uses_the_setting() -> None:
    from django.conf import settings

    from config.asgi import application

    assert isinstance(application, PooledThreadsASGIHandler)
    assert len(application.executors) == settings.ASGI_THREADS
    assert application.lean is not None
    assert application.lean.matches("/api/v1/public/surveys/PKM01-UMUM/responses")
    assert not application.lean.matches("/api/v1/public/ikm")


@override_settings(**SETTINGS)
def test_an_open_stream_does_not_make_its_thread_look_busy() -> None:
    """An SSE stream stays open for minutes on the event loop; once its response has started,
    its thread is free for the next request (which goes to the first thread again)."""
    release_stream.clear()
    app = PooledThreadsASGIHandler(threads=2)

    async def run() -> tuple[list[int], str, list[int]]:
        streaming = asyncio.create_task(call(app, "/stream/"))
        for _ in range(500):  # until the stream's response has started
            await asyncio.sleep(0.01)
            if app.in_flight == [0, 0]:
                break
        during = list(app.in_flight)
        _status, thread = await call(app)
        release_stream.set()
        await streaming
        return during, thread, list(app.in_flight)

    during, thread, after = asyncio.run(run())
    assert during == [0, 0]
    assert thread == "kinerja-sync-0_0"
    assert after == [0, 0]


def test_a_parked_thread_does_not_count_against_the_limit() -> None:
    app = PooledThreadsASGIHandler(threads=2, max_threads=3)
    assert len(app.executors) == 2 and app.max_threads == 3
    app.in_flight[:] = [1, 1]
    app.parked[:] = [0, 0]
    assert app.pick() == 0  # both run: the least busy (first of equals), as before
    app.parked[:] = [1, 0]
    assert app.pick() == 2  # one waits: a third thread starts
    assert len(app.executors) == 3
    app.in_flight[:] = [1, 1, 0]
    assert app.pick() == 2  # the idle extra thread is reused
    app.in_flight[:] = [1, 1, 1]
    app.parked[:] = [1, 0, 1]
    assert app.pick() == 1  # at max_threads: the least busy thread that is not parked
    app.in_flight[:] = [0, 1, 1]
    assert app.pick() == 0  # an idle first thread always comes first
    app.in_flight[:] = [2, 1, 0]
    app.parked[:] = [0, 0, 0]
    assert app.pick() == 1  # enough run: queue behind one of them, not on the idle extra
    assert PooledThreadsASGIHandler(threads=3).max_threads == 12


def test_parked_does_nothing_outside_the_handler_threads() -> None:
    with parked():
        pass


@override_settings(**SETTINGS)
def test_requests_run_on_extra_threads_while_others_are_parked() -> None:
    """Two requests park on a one-thread handler: each of them and then a plain request get
    their own thread, and the plain request is answered while the others still wait."""
    release_parked.clear()
    app = PooledThreadsASGIHandler(threads=1, max_threads=3)

    async def run() -> tuple[str, list[tuple[int, str]], list[int]]:
        waiting = []
        for n in (1, 2):
            waiting.append(asyncio.create_task(call(app, "/park/")))
            for _ in range(500):
                await asyncio.sleep(0.01)
                if sum(app.parked) == n:
                    break
        assert sum(app.parked) == 2
        _status, plain = await call(app)  # answered while both are still parked
        assert not any(task.done() for task in waiting)
        release_parked.set()
        parked_answers = [await task for task in waiting]
        return plain, parked_answers, list(app.in_flight)

    plain, parked_answers, after = asyncio.run(run())
    assert [status for status, _ in parked_answers] == [200, 200]
    names = {plain, *(name for _, name in parked_answers)}
    assert {n.rsplit("_", 1)[0] for n in names} == {
        "kinerja-sync-0",
        "kinerja-sync-1",
        "kinerja-sync-2",
    }
    assert after == [0, 0, 0]


# --- The lean path (LeanHandler) -------------------------------------------------------------

started: list[str] = []


class LeanRecordingMiddleware(RecordingMiddleware):
    def __call__(self, request: HttpRequest) -> HttpResponse:
        seen.append(("lean-middleware", threading.current_thread().name))
        response: HttpResponse = self.get_response(request)
        return response


class AsyncOnlyMiddleware:
    sync_capable = False
    async_capable = True

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response


urlpatterns += [path("lean/where/", where)]


def lean_app() -> PooledThreadsASGIHandler:
    lean = LeanHandler([r"^/lean/"], [f"{__name__}.LeanRecordingMiddleware"])
    return PooledThreadsASGIHandler(threads=1, lean=lean)


@override_settings(**SETTINGS)
def test_a_lean_request_runs_whole_on_its_thread_through_the_lean_middleware_only() -> None:
    from django.core.signals import request_finished, request_started

    def on_started(**kwargs: Any) -> None:
        started.append(f"started {threading.current_thread().name}")

    def on_finished(**kwargs: Any) -> None:
        started.append(f"finished {threading.current_thread().name}")

    seen.clear()
    started.clear()
    request_started.connect(on_started)
    request_finished.connect(on_finished)
    try:
        status, thread = asyncio.run(call(lean_app(), "/lean/where/"))
    finally:
        request_started.disconnect(on_started)
        request_finished.disconnect(on_finished)
    assert (status, thread) == (200, "kinerja-sync-0_0")
    # LEAN_MIDDLEWARE, not MIDDLEWARE (RecordingMiddleware, CommonMiddleware), then the view,
    # and both signals, all on the request's one thread.
    assert seen == [("lean-middleware", thread), ("/lean/where/", thread)]
    assert started == [f"started {thread}", f"finished {thread}"]


@override_settings(**SETTINGS)
def test_other_paths_keep_the_whole_middleware() -> None:
    seen.clear()
    status, thread = asyncio.run(call(lean_app(), "/where/"))
    assert status == 200
    assert seen == [("middleware", thread), ("/where/", thread)]


@override_settings(**SETTINGS)
def test_a_lean_path_under_a_script_prefix_is_matched_without_it() -> None:
    from kinerja.core.asgi import _path_info

    assert _path_info({"path": "/kinerja/lean/where/", "root_path": "/kinerja"}) == "/lean/where/"
    assert _path_info({"path": "/lean/where/", "root_path": ""}) == "/lean/where/"
    assert lean_app().lean.matches("/lean/where/")  # type: ignore[union-attr]
    assert not lean_app().lean.matches("/where/")  # type: ignore[union-attr]
    assert not LeanHandler([], []).matches("/lean/where/")


def test_lean_middleware_must_be_synchronous() -> None:
    with pytest.raises(ImproperlyConfigured, match="AsyncOnlyMiddleware"):
        LeanHandler([r"^/lean/"], [f"{__name__}.AsyncOnlyMiddleware"])
