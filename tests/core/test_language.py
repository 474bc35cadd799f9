"""The interface speaks Indonesian whatever the browser's language; English only when the user
chooses it with the language switcher (kinerja.core.middleware.LanguageMiddleware)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db

LOGIN = "/login/"
EMPTY = {"username": "", "password": ""}


def test_an_english_browser_still_gets_indonesian_messages(db) -> None:  # type: ignore[no-untyped-def]
    client = Client(headers={"accept-language": "en-US,en;q=0.9"})
    response = client.post(LOGIN, EMPTY)
    page = response.content.decode()
    assert "This field is required" not in page
    assert "Bidang ini tidak boleh kosong" in page
    assert response["Content-Language"] == "id"


def test_the_switcher_chooses_english_and_back(db) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": LOGIN})
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "This field is required" in client.post(LOGIN, EMPTY).content.decode()
    client.post("/i18n/setlang/", {"language": "id", "next": LOGIN})
    assert "Bidang ini tidak boleh kosong" in client.post(LOGIN, EMPTY).content.decode()


def test_an_unknown_language_cookie_falls_back_to_indonesian(db) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert "Bidang ini tidak boleh kosong" in client.post(LOGIN, EMPTY).content.decode()
