"""Helpers for the browser journeys: where Chromium is, how a browser context looks, how to log
in and where screenshots go. Fixtures live in conftest.py; tests import these functions."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

CHROMIUM = os.environ.get("KINERJA_CHROMIUM_PATH", "/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-quic",
    "--disable-sync",
]
DESKTOP: dict[str, Any] = {"viewport": {"width": 1280, "height": 800}}
PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
TIMEOUT_MS = 10_000
REQUIRED = os.environ.get("REQUIRE_BROWSER") == "1"


def chromium_missing_reason() -> str:
    """Why browser tests cannot run here, or "" when Chromium is available."""
    if Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK):
        return ""
    if REQUIRED:
        return f"REQUIRE_BROWSER=1 but {CHROMIUM} is missing: apt-get install chromium"
    return f"browser tests skipped: {CHROMIUM} not found (apt-get install chromium)"


def login(page: Page, live_server: Any, username: str, password: str) -> None:
    """Log in through the real form on /login/ and wait for the next page."""
    if not page.url.startswith(f"{live_server.url}/login/"):
        page.goto(f"{live_server.url}/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Masuk", exact=True).click()


def shot(page: Page, name: str) -> Path:
    """Save a full-page screenshot as docs/screenshots/<name>.png (into a temporary folder
    instead when the suite runs at another moment, KINERJA_TEST_NOW: the committed set shows the
    pages as a normal run does)."""
    folder = SCREENSHOTS
    if os.environ.get("KINERJA_TEST_NOW"):
        folder = Path(tempfile.gettempdir()) / "kinerja-screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
