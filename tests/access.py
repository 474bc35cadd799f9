"""The one harness of the access-matrix tests: a Route per URL (and variant), each persona's
expected answer, a check that asks every persona, and a check that every named URL of a
namespace has a row. tests/core/test_access_matrix.py holds the personas and `expect`; each
app's tests/<app>/test_access.py holds its rows."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.urls import get_resolver

from tests.conftest import Org, client_for
from tests.core.test_access_matrix import MATRIX_PERSONAS

READERS = {"bkpsdm": 200, "pimpinan": 200, "inspektorat": 200}


@dataclass(frozen=True)
class Route:
    name: str
    url_name: str
    url: Callable[..., str]  # (org) or (org, the app's fixture data) → the address
    expected: dict[str, int]
    method: str = "get"
    data: Callable[..., dict[str, Any]] | None = None  # the POST body, from the same arguments


def check_route(org: Org, route: Route, *args: Any) -> None:
    """Ask as every persona; fail with every persona whose answer differs from the policy."""
    url = route.url(org, *args)
    data = route.data(org, *args) if route.data else None
    answers = {}
    for persona in MATRIX_PERSONAS:
        call = getattr(client_for(org, persona), route.method)
        response = call(url, data) if data else call(url)
        if getattr(response, "streaming", False):
            with warnings.catch_warnings():  # a sync client reading an async stream says so
                warnings.simplefilter("ignore")
                b"".join(response)  # run the (bounded) stream to its end
        answers[persona] = response.status_code
    wrong = {
        p: (answers[p], route.expected[p])
        for p in MATRIX_PERSONAS
        if answers[p] != route.expected[p]
    }
    assert not wrong, f"{route.name}: persona → (got, expected) {wrong}"


def uncovered(namespace: str, routes: Iterable[Route]) -> list[str]:
    """The named URLs of `namespace` without a row (a new URL without one fails its test)."""
    _prefix, sub = get_resolver().namespace_dict[namespace]
    names = {name for name in sub.reverse_dict if isinstance(name, str)}
    return sorted(names - {route.url_name for route in routes})
