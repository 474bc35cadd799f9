"""One verification mechanism for every issued document (kinerja.core.verification): a random
code, idempotent issue per source, revocation, and a public page that shows no more than it
should."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from kinerja.core.models import AuditLog, IssuedDocument
from kinerja.core.verification import (
    document_find,
    document_issue,
    document_revoke,
    qr_data_uri,
    verification_url,
)

from ..conftest import Org

pytestmark = pytest.mark.django_db


def _issue(org: Org) -> IssuedDocument:
    return document_issue(
        source=org.employee,
        kind="Sertifikat pelatihan",
        title="Literasi Digital untuk Pelayanan Publik",
        holder_name=org.employee.full_name,
        facts=[("Jumlah JP", "12"), ("Tanggal", "20 Oktober 2026")],
        by=org.users["bkpsdm"],
    )


def test_it_issues_a_document_once_per_source_with_an_unguessable_code(org: Org) -> None:
    first = _issue(org)
    again = _issue(org)
    assert again.pk == first.pk and again.code == first.code
    assert len(first.code) >= 20
    assert IssuedDocument.objects.count() == 1
    assert AuditLog.objects.filter(object_type="core.issueddocument").count() == 1


def test_the_public_page_shows_the_document_and_nothing_more(org: Org) -> None:
    document = _issue(org)
    response = Client().get(f"/verifikasi/{document.code}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Dokumen asli" in page and org.employee.full_name in page
    assert "Literasi Digital untuk Pelayanan Publik" in page and "Jumlah JP" in page
    assert org.employee.nip not in page and org.employee.nip_formatted not in page
    assert org.puskesmas.name not in page


def test_an_unknown_or_absurd_code_is_404() -> None:
    assert Client().get("/verifikasi/tidak-ada/").status_code == 404
    assert Client().get("/verifikasi/" + "x" * 300 + "/").status_code == 404
    assert document_find("") is None


def test_a_revoked_document_says_so_with_the_reason(org: Org) -> None:
    document = _issue(org)
    with pytest.raises(ValidationError):
        document_revoke(document=document, by=org.users["bkpsdm"], reason=" ")
    document_revoke(document=document, by=org.users["bkpsdm"], reason="Diterbitkan keliru")
    found = document_find(document.code)
    assert found is not None and not found.is_valid
    page = Client().get(f"/verifikasi/{document.code}/").content.decode()
    assert "sudah dicabut" in page and "Diterbitkan keliru" in page


def test_the_qr_code_carries_the_absolute_address(org: Org, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SITE_URL = "https://kinerja.bukitintan.go.id"
    document = _issue(org)
    url = verification_url(document.code)
    assert url == f"https://kinerja.bukitintan.go.id/verifikasi/{document.code}/"
    assert qr_data_uri(url).startswith("data:image/svg+xml;base64,")
