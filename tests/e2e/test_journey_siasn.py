"""The SIASN export journey: BKPSDM opens the page on a phone, sees that the national codes are
not set yet (nothing is guessed), the codes are configured, the dry-run lists who would be
rejected and why, and the XLSX is made in the background. Screenshots in
docs/screenshots/siasn-*.png."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from ..assessment.conftest import Team, team  # noqa: F401 - fixtures
from ..assessment.siasn.conftest import finalised, full_mapping  # noqa: F401 - fixtures
from ..conftest import PASSWORD, Org
from ..performance.conftest import employee_plan, plans  # noqa: F401 - fixtures
from .support import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_bkpsdm_dry_runs_and_downloads_the_siasn_export(
    new_page,
    live_server,
    settings,
    tmp_path: Path,
    org: Org,
    finalised: Team,  # noqa: F811
) -> None:  # type: ignore[no-untyped-def]
    page = new_page(viewport={"width": 390, "height": 844})
    login(page, live_server, org.users["bkpsdm"].username, PASSWORD)
    page.goto(f"{live_server.url}/penilaian/siasn/?tahun=2026&periode=T1")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ekspor SIASN")
    expect(page.locator(".notice")).to_contain_text("Kode SIASN belum diatur")
    expect(page.locator("#ditolak").locator("..")).to_contain_text("belum diatur")
    shot(page, "siasn-codes-not-set")

    settings.SIASN_MAPPING_PATH = str(full_mapping(tmp_path))
    page.locator("#id_periode").select_option(label="Triwulan I")
    page.get_by_role("button", name="Uji coba").click()
    expect(page.locator(".summary-cards")).to_contain_text("siap diunggah")
    expect(page.locator(".notice")).to_have_count(0)
    rejected = page.locator("section[aria-labelledby=ditolak]")
    expect(rejected).to_contain_text(org.supervisor.full_name)
    expect(rejected).to_contain_text("Belum final: belum dinilai pada periode ini.")
    expect(page.locator("section[aria-labelledby=siap]")).to_contain_text(org.employee.nip)
    shot(page, "siasn-dry-run")

    page.get_by_role("button", name="Unduh XLSX untuk SIASN").click()
    expect(page.get_by_role("link", name="siasn-kinerja-periodik-2026-T1.xlsx")).to_be_visible()
