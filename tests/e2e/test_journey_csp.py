"""The Content-Security-Policy in a real browser (issue 17, hardening): the main pages load,
run their scripts (htmx, the live team board, the offline grid, the kiosk) and draw their
charts with `script-src 'self'; style-src 'self'`, and Chromium reports no violation.

The `new_page` fixture (conftest.py) fails any journey whose page logs a violation; this one
also reads the policy header and asks the page itself for the violations it saw.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from .test_journey_monitoring import Server, server, sign_in  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser]

COLLECT = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(e.violatedDirective));
"""


def _open(page: Page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy and "style-src 'self'" in policy, policy
    assert "unsafe-inline" not in policy
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__csp") == [], url


def test_the_main_pages_run_under_the_policy_without_a_violation(
    server: Server,  # noqa: F811
    new_page: Callable[..., Page],
) -> None:
    citizen = new_page(viewport={"width": 1280, "height": 800})
    citizen.context.add_init_script(COLLECT)
    _open(citizen, f"{server.url}/")
    _open(citizen, f"{server.url}/transparansi/")
    citizen.locator("main a[href*='/transparansi/unit/']").first.click()
    citizen.wait_for_load_state("networkidle")
    expect(citizen.locator("svg.bar").first).to_be_visible()  # IKM bars: SVG, not style=
    assert citizen.evaluate("window.__csp") == []
    _open(citizen, f"{server.url}/survei/")
    survey = citizen.locator("main a[href^='/survei/']").first.get_attribute("href")
    assert survey
    _open(citizen, f"{server.url}{survey}kios/")
    expect(citizen.locator("form").first).to_be_visible()

    employee = new_page(viewport={"width": 1280, "height": 800})
    employee.context.add_init_script(COLLECT)
    sign_in(employee, server, server.data["pegawai"])
    _open(employee, f"{server.url}/")
    _open(employee, f"{server.url}/skp/{server.data['plan']}/realisasi/{server.data['month']}/")
    _open(employee, f"{server.url}/pantau/saya/")

    boss = new_page(viewport={"width": 1280, "height": 800})
    boss.context.add_init_script(COLLECT)
    sign_in(boss, server, server.data["atasan"])
    boss.goto(f"{server.url}/pantau/tim/")
    # The live updates connect (EventSource under connect-src 'self').
    expect(boss.locator("[data-live-status]")).to_have_attribute("data-state", "on")
    assert boss.evaluate("window.__csp") == []
    # htmx swaps a filter in place: no inline indicator style is added.
    assert boss.evaluate("document.querySelectorAll('style').length") == 0

    head = new_page(viewport={"width": 1280, "height": 800})
    head.context.add_init_script(COLLECT)
    sign_in(head, server, server.data["kepala"])
    _open(head, f"{server.url}/pantau/daerah/unit/{server.data['unit']}/")
    expect(head.locator("table.heatmap td[class^='heat-']").first).to_be_visible()
