"""The kiosk's questionnaire on the lean path (settings.LEAN_PATHS, kinerja/core/asgi.py).

Under uvicorn a kiosk POST runs through LEAN_MIDDLEWARE only. Each answer here is compared with
the answer of the same request through the whole MIDDLEWARE, both served by the project's ASGI
handler: the same status, the same body and the same headers (except ``Vary: Cookie``, which
only the session middleware adds, and ``Content-Length``, left to the bodies' comparison), for a
stored questionnaire and for every refusal."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone

from kinerja.core.asgi import LeanHandler, PooledThreadsASGIHandler
from kinerja.public import services
from kinerja.public.models import SurveyDay, SurveyResponse
from kinerja.public.survey import responses as survey_responses
from tests.asgi_client import Answer
from tests.asgi_client import exchange as asgi_exchange

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/api/v1/public/surveys/{code}/responses"
GOOD = {"answers": [4, 3, 3, 2, 4, 4, 3, 3, 4]}


def exchange(app: PooledThreadsASGIHandler, url: str, body: bytes = b"", **kwargs: Any) -> Answer:
    """A POST unless `method` says otherwise."""
    return asyncio.run(asgi_exchange(app, url, body, **{"method": "POST", **kwargs}))


def comparable(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The headers, sorted, with "Cookie" taken out of Vary (an empty Vary dropped) and without
    Content-Length (the bodies are compared themselves; a new questionnaire's id may have one
    digit more)."""
    kept = []
    for name, value in headers:
        if name == "content-length":
            continue
        if name == "vary":
            value = ", ".join(v for v in (p.strip() for p in value.split(",")) if v != "Cookie")
            if not value:
                continue
        kept.append((name, value))
    return sorted(kept)


def page(content: bytes) -> bytes:
    """An HTML page with its CSRF token (new on each request) blanked."""
    return re.sub(rb'("X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]+', rb"\1-", content)


@pytest.fixture
def apps() -> Iterator[tuple[PooledThreadsASGIHandler, PooledThreadsASGIHandler]]:
    """(whole MIDDLEWARE, lean path), each with one request thread."""
    whole = PooledThreadsASGIHandler(threads=1)
    lean = PooledThreadsASGIHandler(
        threads=1, lean=LeanHandler(settings.LEAN_PATHS, settings.LEAN_MIDDLEWARE)
    )
    yield whole, lean
    for app in (whole, lean):
        for executor in app.executors:
            executor.shutdown()


@pytest.fixture
def token(pub) -> str:  # type: ignore[no-untyped-def]
    _device, value = services.device_issue(service=pub.pkm, name="Tablet Loket 1", by=None)
    return value


def both(apps: Any, url: str, body: Any = None, **kwargs: Any) -> tuple[Answer, Answer]:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode() if body else b""
    whole, lean = apps
    return (
        exchange(whole, url, raw, **kwargs),
        exchange(lean, url, raw, **kwargs),
    )


def json_headers(token: str | None) -> dict[str, str]:
    headers = {"content-type": "application/json"}
    if token is not None:
        headers["authorization"] = f"Bearer {token}"
    return headers


def test_a_questionnaire_is_stored_with_the_same_answer_on_both_paths(apps, token) -> None:  # type: ignore[no-untyped-def]
    body = {**GOOD, "profile": {"sex": "P", "age": 41}, "suggestion": "Ruang tunggu panas."}
    whole, lean = both(apps, URL.format(code="PKM01-UMUM"), body, headers=json_headers(token))
    assert whole[0] == lean[0] == 201, (whole, lean)
    assert comparable(lean[1]) == comparable(whole[1])
    # The security headers and the CSP every answer carries, on the lean path too.
    names = {name for name, _ in lean[1]}
    assert {
        "content-security-policy",
        "x-frame-options",
        "x-content-type-options",
        "referrer-policy",
        "cross-origin-opener-policy",
    } <= names
    assert int(dict(lean[1])["content-length"]) == len(lean[2])
    first, second = json.loads(whole[2]), json.loads(lean[2])
    assert second["id"] != first["id"]
    assert {**second, "id": 0} == {**first, "id": 0}
    stored = SurveyResponse.objects.order_by("pk")
    assert [r.answers for r in stored] == [GOOD["answers"]] * 2
    assert [(r.sex, r.age, r.suggestion) for r in stored] == [("P", 41, "Ruang tunggu panas.")] * 2
    assert SurveyDay.objects.get().respondents == 2


@pytest.mark.parametrize(
    ("case", "body", "use_token", "code", "expected"),
    [
        ("no token", GOOD, False, "PKM01-UMUM", 401),
        ("wrong service", GOOD, True, "DISDIK-PPDB", 401),
        ("answer out of range", {"answers": [5, 3, 3, 2, 4, 4, 3, 3, 4]}, True, "PKM01-UMUM", 400),
        ("too few answers", {"answers": [4, 3]}, True, "PKM01-UMUM", 400),
        ("not JSON", b"{answers", True, "PKM01-UMUM", 400),
        ("NUL in the suggestion", {**GOOD, "suggestion": "a\x00b"}, True, "PKM01-UMUM", 400),
        ("bad profile", {**GOOD, "profile": {"sex": "X"}}, True, "PKM01-UMUM", 400),
    ],
)
def test_every_refusal_is_the_same_on_both_paths_and_stores_nothing(  # type: ignore[no-untyped-def]
    apps, token, case, body, use_token, code, expected
) -> None:
    headers = json_headers(token if use_token else None)
    whole, lean = both(apps, URL.format(code=code), body, headers=headers)
    assert whole[0] == lean[0] == expected, (case, whole, lean)
    assert lean[2] == whole[2]
    assert "detail" in json.loads(lean[2])
    assert comparable(lean[1]) == comparable(whole[1])
    assert not SurveyResponse.objects.exists()


def test_a_bad_host_and_a_wrong_method_are_refused_on_both_paths(apps, token) -> None:  # type: ignore[no-untyped-def]
    url = URL.format(code="PKM01-UMUM")
    headers = {**json_headers(token), "host": "evil.example"}
    whole, lean = both(apps, url, GOOD, headers=headers)
    assert whole[0] == lean[0] == 400
    assert page(lean[2]) == page(whole[2])
    assert b"Permintaan tidak dapat diproses" in lean[2]
    whole, lean = both(apps, url, None, method="GET", headers=json_headers(token))
    assert whole[0] == lean[0] == 405
    assert comparable(lean[1]) == comparable(whole[1])
    assert not SurveyResponse.objects.exists()


def test_a_body_too_large_or_too_deep_is_refused_alike_on_both_paths(apps, token) -> None:  # type: ignore[no-untyped-def]
    url = URL.format(code="PKM01-UMUM")
    huge = json.dumps({**GOOD, "suggestion": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})
    deep = b'{"answers": ' + b"[" * 1000 + b"]" * 1000 + b"}"
    for body in (huge.encode(), deep):
        whole, lean = both(apps, url, body, headers=json_headers(token))
        assert whole[0] == lean[0] == 400
        assert page(lean[2]) == page(whole[2])
    assert not SurveyResponse.objects.exists()


def test_the_device_limit_answers_429_with_retry_after_on_both_paths(
    apps, token, time_machine
) -> None:  # type: ignore[no-untyped-def]
    from django.core.cache import cache

    url = URL.format(code="PKM01-UMUM")
    answers = []
    frozen = timezone.now().replace(microsecond=0)
    with override_settings(PUBLIC_KIOSK_RATE_LIMIT="1/60"):
        for app in apps:
            # Each path at the same instant: Retry-After counts whole seconds left in the
            # window, which a second boundary between the two requests would change.
            time_machine.move_to(frozen, tick=False)
            cache.clear()
            first = exchange(app, url, json.dumps(GOOD).encode(), headers=json_headers(token))
            second = exchange(app, url, json.dumps(GOOD).encode(), headers=json_headers(token))
            assert (first[0], second[0]) == (201, 429)
            answers.append(second)
    whole, lean = answers
    assert dict(lean[1])["retry-after"] == dict(whole[1])["retry-after"]
    assert lean[2] == whole[2]
    assert SurveyResponse.objects.count() == 2


def test_an_error_in_the_view_is_the_same_500_page_on_both_paths(  # type: ignore[no-untyped-def]
    apps, token, monkeypatch
) -> None:
    def broken(**kwargs: Any) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(survey_responses, "response_submit", broken)
    whole, lean = both(apps, URL.format(code="PKM01-UMUM"), GOOD, headers=json_headers(token))
    assert whole[0] == lean[0] == 500
    assert page(lean[2]) == page(whole[2])
    assert b"Terjadi kesalahan" in lean[2]
    assert not SurveyResponse.objects.exists()


def test_the_english_choice_is_honoured_on_both_paths(apps, token) -> None:  # type: ignore[no-untyped-def]
    headers = {**json_headers(token), "cookie": f"{settings.LANGUAGE_COOKIE_NAME}=en"}
    body = {"answers": [4, 3]}
    whole, lean = both(apps, URL.format(code="PKM01-UMUM"), body, headers=headers)
    assert whole[0] == lean[0] == 400
    assert lean[2] == whole[2]


def test_other_paths_on_the_lean_handler_keep_the_whole_middleware(apps) -> None:  # type: ignore[no-untyped-def]
    """The login page sets the CSRF cookie and varies on the cookie: only the whole chain does."""
    _whole, lean = apps
    status, headers, _ = exchange(lean, "/login/", method="GET")
    assert status == 200
    assert any(name == "set-cookie" and "csrftoken" in value for name, value in headers)


# Middleware that the lean path leaves out on purpose: they serve browsers (static files,
# sessions and logins, CSRF, messages, htmx, 2FA, the forced password change) or a browser's
# reads from the replica. A middleware added to MIDDLEWARE must be placed in LEAN_MIDDLEWARE or
# here, decided on purpose.
BROWSER_ONLY = {
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "kinerja.organisation.middleware.ForcePasswordChangeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "kinerja.core.middleware.HtmxLoginRedirectMiddleware",
    "kinerja.core.replica.ReadYourWritesMiddleware",
}


def test_every_middleware_is_decided_for_the_lean_path() -> None:
    whole, lean = list(settings.MIDDLEWARE), list(settings.LEAN_MIDDLEWARE)
    assert set(whole) == set(lean) | BROWSER_ONLY, "decide on the new middleware"
    assert not set(lean) & BROWSER_ONLY
    # In the same order as in MIDDLEWARE.
    assert lean == [path for path in whole if path in lean]
