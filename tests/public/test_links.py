"""Every absolute link the app writes follows SITE_URL (issue 10, item 3): with
`PORT=8101 make run` the forum's confirmation e-mail, the complaint e-mails, the QR poster, the
survey address, the kiosk address and the assessment's verification QR all pointed at port 8000.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
from pathlib import Path

import pytest
from django.core import mail
from django.test import Client, RequestFactory

from kinerja.assessment import documents as assessment_documents
from kinerja.assessment.models import Assessment
from kinerja.core.links import absolute_reverse, absolute_url
from kinerja.public import documents, services

ROOT = Path(__file__).resolve().parents[2]
SITE = "http://192.168.1.20:8101"


@pytest.fixture
def site(settings) -> str:  # type: ignore[no-untyped-def]
    settings.SITE_URL = SITE
    return SITE


def test_the_helper_puts_a_path_on_the_site_address(site: str, settings) -> None:  # type: ignore[no-untyped-def]
    assert absolute_url("/survei/") == f"{SITE}/survei/"
    assert absolute_reverse("public:survey_form", "PKM01-UMUM") == f"{SITE}/survei/PKM01-UMUM/"
    settings.SITE_URL = "https://kinerja.bukitintan.go.id/"  # a trailing slash is harmless
    assert absolute_url("/forum/") == "https://kinerja.bukitintan.go.id/forum/"
    with pytest.raises(ValueError):
        absolute_url("forum/")


def test_the_forum_confirmation_e_mail_links_to_the_site(
    pub, site: str, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/forum/masuk/", {"email": "rina@example.id", "nickname": "Rina"})
    assert response.status_code == 200
    (link,) = re.findall(r"\S+/forum/konfirmasi/\S+/", mail.outbox[0].body)
    assert link.startswith(f"{SITE}/forum/konfirmasi/"), link
    assert client.get(link.removeprefix(SITE)).status_code == 302


def test_the_complaint_e_mails_link_to_the_tracking_page_on_the_site(
    pub, site: str, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        complaint = services.complaint_file(
            unit=pub.org.puskesmas,
            service=pub.pkm,
            kind="pengaduan",
            category="waktu",
            description="Antrean sangat lama di loket pendaftaran.",
            contact_email="warga@example.id",
        )
        services.complaint_respond(
            complaint=complaint, by=pub.org.users["admin_opd"], to_status="diverifikasi"
        )
    assert mail.outbox, "no e-mail sent"
    for message in mail.outbox:
        assert f"{SITE}/pengaduan/lacak/{complaint.tracking_code}/" in message.body


def test_the_poster_and_the_service_page_carry_the_survey_address_on_the_site(
    pub, clients, site: str, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    seen: dict = {}
    monkeypatch.setattr(
        documents, "render_pdf", lambda template, context: seen.update(context) or b"%PDF"
    )
    assert clients["admin_opd"].get("/layanan-publik/layanan/PKM01-UMUM/poster.pdf").status_code
    url = f"{SITE}/survei/PKM01-UMUM/"
    assert seen["url"] == url and seen["qr"] == documents.qr_data_uri(url)
    page = clients["admin_opd"].get("/layanan-publik/layanan/PKM01-UMUM/")
    assert page.context["survey_url"] == url and url in page.content.decode()


def test_the_kiosk_address_shown_with_a_new_token_is_on_the_site(pub, clients, site: str) -> None:  # type: ignore[no-untyped-def]
    response = clients["admin_opd"].post(
        "/layanan-publik/layanan/PKM01-UMUM/kios/", {"name": "Tablet Loket 2"}
    )
    assert response.context["kiosk_url"] == f"{SITE}/survei/PKM01-UMUM/kios/"
    assert f"{SITE}/survei/PKM01-UMUM/kios/" in response.content.decode()


def test_the_verification_qr_of_an_assessment_is_on_the_site_whatever_host_asked(
    site: str,
) -> None:
    """The PDF is downloaded from wherever the officer is (a laptop on localhost); the QR on
    paper must lead the reader to the site."""
    assessment = Assessment(code="K7QX2M")
    request = RequestFactory().get("/", HTTP_HOST="localhost")
    assert assessment_documents.verification_url(assessment, request) == (
        f"{SITE}/verifikasi/K7QX2M/"
    )
    assert assessment_documents.verification_url(assessment) == f"{SITE}/verifikasi/K7QX2M/"


def test_no_module_builds_an_absolute_link_by_itself() -> None:
    """One helper (kinerja/core/links.py) builds them all, so none can drift from SITE_URL."""
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "kinerja").rglob("*.py")
        if path.name not in {"links.py", "checks.py"}  # the helper; the deployment check
        and re.search(
            r"settings\.SITE_URL|build_absolute_uri|https?://(127\.0\.0\.1|localhost)",
            path.read_text(encoding="utf-8"),
        )
    ]
    offenders += [
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates").rglob("*.html")
        if re.search(r"https?://(127\.0\.0\.1|localhost)|:8000", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def site_url_of_make_run(env: dict[str, str]) -> str:
    """What `bin/run-dev --site-url` prints; never left running (own process group)."""
    clean = {k: v for k, v in os.environ.items() if k not in {"HOST", "PORT", "SITE_URL"}}
    process = subprocess.Popen(
        [str(ROOT / "bin" / "run-dev"), "--site-url"],
        env={**clean, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    try:
        out, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    return out.strip()


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"PORT": "8101"}, "http://127.0.0.1:8101"),
        ({"HOST": "localhost", "PORT": "8101"}, "http://localhost:8101"),
        ({"HOST": "::1", "PORT": "8101"}, "http://[::1]:8101"),
        (
            {"SITE_URL": "https://kinerja.bukitintan.go.id", "PORT": "8101"},
            "https://kinerja.bukitintan.go.id",
        ),
    ],
)
def test_make_run_sets_the_site_address_to_the_one_it_serves(env, expected) -> None:  # type: ignore[no-untyped-def]
    assert site_url_of_make_run(env) == expected


def test_make_run_on_all_interfaces_links_to_this_machine_s_network_address() -> None:
    url = site_url_of_make_run({"HOST": "0.0.0.0", "PORT": "8101"})
    assert re.fullmatch(r"http://[^/]+:8101", url) and "0.0.0.0" not in url


def test_the_deployment_check_warns_about_a_site_address_on_this_machine(settings) -> None:  # type: ignore[no-untyped-def]
    from kinerja.core.checks import check_site_url

    settings.SITE_URL = "http://127.0.0.1:8000"
    assert [w.id for w in check_site_url()] == ["kinerja.W001"]
    settings.SITE_URL = "https://kinerja.bukitintan.go.id"
    assert check_site_url() == []
