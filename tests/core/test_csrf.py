"""A refused CSRF check (the page stayed open past a new login, or the browser blocks cookies)
answers 403 with Kinerja's own Indonesian page and a way back, not Django's English technical
page; htmx is asked to reload, the JSON API keeps its {"detail": ...} shape in Indonesian."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import Org

pytestmark = pytest.mark.django_db


def strict(org: Org | None = None, persona: str = "employee") -> Client:
    client = Client(enforce_csrf_checks=True)
    if org is not None:
        client.force_login(org.users[persona])
    return client


def test_a_form_without_its_token_gets_the_indonesian_page_with_a_link_back(org: Org) -> None:
    back = "http://testserver/pegawai/"
    response = strict(org).post("/logout/", HTTP_REFERER=back)
    assert response.status_code == 403
    text = response.content.decode()
    assert "Formulir tidak dapat dikirim" in text
    assert "terbuka terlalu lama" in text and "cookie" in text and "muat ulang" in text
    assert f'href="{back}"' in text and "Kembali ke halaman sebelumnya" in text
    assert "DEBUG" not in text and "CSRF verification failed" not in text


def test_a_referer_on_another_site_is_not_linked(db: None) -> None:
    response = strict().post("/login/", {"username": "x"}, HTTP_REFERER="https://evil.example/")
    assert response.status_code == 403
    text = response.content.decode()
    assert "evil.example" not in text
    assert 'href="/"' in text and "Kembali ke beranda" in text


def test_the_page_is_the_same_with_debug_on(settings, db: None) -> None:  # type: ignore[no-untyped-def]
    settings.DEBUG = True
    response = strict().post("/login/", {"username": "x"})
    assert response.status_code == 403
    assert "Formulir tidak dapat dikirim" in response.content.decode()


def test_an_htmx_request_gets_a_short_message_and_a_reload(org: Org) -> None:
    response = strict(org).post("/logout/", HTTP_HX_REQUEST="true")
    assert response.status_code == 403
    assert response["HX-Refresh"] == "true"
    text = response.content.decode()
    assert "Muat ulang halaman" in text and "<html" not in text


def test_a_json_request_gets_the_detail_in_indonesian(db: None) -> None:
    response = strict().post("/login/", "{}", content_type="application/json")
    assert response.status_code == 403
    assert "Pemeriksaan CSRF gagal" in response.json()["detail"]
