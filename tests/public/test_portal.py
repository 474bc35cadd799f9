"""The citizens' way in (issue 10, item 11): an anonymous visit to / was sent to the login form,
which offered no way to the survey, complaints, tracking, forum or results. Now / is the
citizens' portal for anyone not logged in, and the login page links to it."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.conftest import client_for

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = {
    "/survei/": "Isi survei kepuasan",
    "/pengaduan/": "Sampaikan pengaduan atau saran",
    "/pengaduan/lacak/": "Lacak pengaduan",
    "/forum/": "Forum warga",
    "/transparansi/": "Hasil survei dan pengaduan",
}


def links_of(html: str) -> set[str]:
    return set(re.findall(r'href="([^"]+)"', html))


def test_a_citizen_at_the_site_address_gets_the_portal_not_a_login_form(pub) -> None:  # type: ignore[no-untyped-def]
    response = Client().get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Layanan untuk warga" in html and 'name="password"' not in html
    for url, label in PUBLIC_PAGES.items():
        assert url in links_of(html), url
        assert label in html, label
    # Search a service and track a code straight from the portal.
    assert re.search(r'<form method="get" action="/survei/"[^>]*>\s*.*?name="q"', html, re.S)
    assert re.search(
        r'<form method="get" action="/pengaduan/lacak/"[^>]*>\s*.*?name="code"', html, re.S
    )
    assert "/login/" in links_of(html)  # staff still find their way in


def test_the_portal_search_and_tracking_lead_to_the_right_pages(pub) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    found = client.get("/survei/", {"q": "pemeriksaan"}).content.decode()
    assert "/survei/PKM01-UMUM/" in found
    assert client.get("/pengaduan/lacak/", {"code": "TIDAK-ADA-KODE"}).status_code == 200


def test_logged_in_staff_keep_their_own_home(pub) -> None:  # type: ignore[no-untyped-def]
    html = client_for(pub.org, "employee").get("/").content.decode()
    assert "Selamat datang" in html and "Layanan untuk warga" not in html


def test_the_portal_has_its_own_address_for_everyone(pub) -> None:  # type: ignore[no-untyped-def]
    for persona in ("anonymous", "employee", "bkpsdm"):
        response = client_for(pub.org, persona).get("/warga/")
        assert response.status_code == 200
        assert "Layanan untuk warga" in response.content.decode()


def test_the_login_page_leads_citizens_to_every_public_page(pub) -> None:  # type: ignore[no-untyped-def]
    html = Client().get("/login/").content.decode()
    links = links_of(html)
    assert "/warga/" in links
    assert set(PUBLIC_PAGES) <= links


def test_every_public_page_leads_back_to_the_portal(pub) -> None:  # type: ignore[no-untyped-def]
    for url in PUBLIC_PAGES:
        assert 'class="brand" href="/warga/"' in Client().get(url).content.decode(), url


def test_the_portal_is_light_for_phones(pub, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.get("/")  # the regency's name is cached
    with django_assert_max_num_queries(0):
        response = client.get("/")
    html = response.content.decode()
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert "<script" not in html  # nothing to download before a citizen can tap


def test_a_missing_page_offers_citizens_the_public_menu(pub, settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEBUG = True
    html = Client().get("/survei-salah/").content.decode()
    assert "Halaman tidak ditemukan" in html
    assert set(PUBLIC_PAGES) - {"/pengaduan/lacak/"} <= links_of(html)
