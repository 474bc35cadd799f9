"""Browser journeys (Playwright + Debian's Chromium) against pytest-django's live server.

Without Chromium the browser tests are skipped with a reason printed in the summary; with
REQUIRE_BROWSER=1 (CI) they fail instead. KINERJA_CHROMIUM_PATH overrides /usr/bin/chromium.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Response, sync_playwright

from .support import (
    CHROMIUM,
    DESKTOP,
    LAUNCH_ARGS,
    PHONE,
    REQUIRED,
    TIMEOUT_MS,
    chromium_missing_reason,
)

# Playwright's sync API keeps an event loop running in the main thread; the ORM calls made by
# fixtures and assertions there are still synchronous and safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


def pytest_terminal_summary(terminalreporter: Any) -> None:
    reason = chromium_missing_reason()
    if reason:
        terminalreporter.write_sep("-", "browser journeys")
        terminalreporter.write_line(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One browser per test module. Playwright's sync API keeps an asyncio loop marked as
    running in the main thread while it lives; stopping it at the end of each browser module
    (files run whole on one worker: `--dist loadfile`) keeps that loop away from other tests
    that call async views through Django's test client."""
    reason = chromium_missing_reason()
    if reason and REQUIRED:
        pytest.fail(reason, pytrace=False)
    if reason:
        pytest.skip(reason)
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True
        )
        yield instance
        instance.close()


CSP_MARK = "kinerja-csp-violation"
CSP_LISTENER = f"""
document.addEventListener("securitypolicyviolation", (event) => {{
  console.error("{CSP_MARK} " + event.violatedDirective + " " + (event.blockedURI || "inline")
    + " at " + event.sourceFile + ":" + event.lineNumber);
}});
"""


class InFlight:
    """The live server's application, counting the requests it has not finished answering.

    With SQLite in memory the live server's threads share the test's database connection. A
    test that ends while the browser's last request is still in a view (a page the test did not
    wait for) would flush the database under it; the two threads then deadlock in the sqlite3
    module (the view's SQL function waiting for the GIL, the flush holding it while it waits for
    the connection) until pytest-timeout kills the test. So the teardown waits for the count to
    reach zero first."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.count = 0
        self.idle = threading.Condition()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        with self.idle:
            self.count += 1
        try:
            return _Answered(self.app(environ, start_response), self.done)
        except BaseException:
            self.done()
            raise

    def done(self) -> None:
        with self.idle:
            self.count -= 1
            self.idle.notify_all()

    def wait(self, timeout: float = 30.0) -> bool:
        with self.idle:
            return self.idle.wait_for(lambda: self.count == 0, timeout=timeout)


class _Answered:
    """A WSGI response whose close() (the server calls it once the answer is written or has
    failed) also tells InFlight."""

    def __init__(self, response: Iterable[bytes], done: Callable[[], None]) -> None:
        self.response = response
        self.on_close = done

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.response)

    def close(self) -> None:
        try:
            close = getattr(self.response, "close", None)
            if close is not None:
                close()
        finally:
            self.on_close()


def in_flight(live_server: Any) -> InFlight:
    """The live server's InFlight counter (installed on first use; the server lives all session)."""
    httpd = live_server.thread.httpd
    app = httpd.get_app()
    if not isinstance(app, InFlight):
        app = InFlight(app)
        httpd.set_app(app)
    return app


@pytest.fixture
def new_page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Callable[..., Page]]:
    """Open a page in a fresh context (own cookies); every context is closed after the test,
    which then fails if a page raised a JavaScript error, a static file did not load or the
    Content-Security-Policy refused something. Before the database is torn down, the live
    server finishes every request the browser started (InFlight)."""
    server = (
        in_flight(request.getfixturevalue("live_server"))
        if "live_server" in request.fixturenames
        else None
    )
    contexts: list[BrowserContext] = []
    problems: list[str] = []

    def make(**options: Any) -> Page:
        # Indonesian, as the regency's staff use it (Chromium would send en-US otherwise).
        context = browser.new_context(locale="id-ID", **options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        # Every journey also checks the Content-Security-Policy: a refused script, style or
        # connection fires `securitypolicyviolation` and logs a console error.
        context.add_init_script(CSP_LISTENER)
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
        page.on("console", lambda message: check_console(message.type, message.text))
        page.on("response", check_asset)
        return page

    def check_console(kind: str, text: str) -> None:
        if CSP_MARK in text or "Content Security Policy" in text:
            problems.append(f"CSP violation: {text}")

    def check_asset(response: Response) -> None:
        if "/static/" in response.url and response.status >= 400:
            problems.append(f"{response.status} for {response.url}")

    yield make
    for context in contexts:
        context.close()
    if server is not None and not server.wait():
        problems.append("the live server was still answering a request 30 s after the test")
    if problems:
        pytest.fail("Broken page assets, scripts or policy:\n" + "\n".join(problems), pytrace=False)


@pytest.fixture
def page(new_page: Callable[..., Page]) -> Page:
    return new_page(**DESKTOP)


@pytest.fixture
def phone_page(new_page: Callable[..., Page]) -> Page:
    return new_page(**PHONE)
