"""The one harness of the access-matrix tests: a Route per URL (and variant), each persona's
expected answer, checks that ask the personas, and checks that every named URL has a row.

This module holds the personas and `expect`; each app's matrix module
(listed in MATRICES) holds its rows; tests/core/test_url_coverage.py fails when a named URL of
the project is in no matrix.

A row's `url_name` is the URL's name inside the matrix's namespace (``"team_board"``) or a
qualified name (``"api:get_plan"``, ``"home:home"``) for a URL of another namespace, or
``":set_language"`` for a URL outside every namespace.
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import URLResolver, get_resolver

from tests.conftest import PERSONAS, Org, client_for

# The personas of tests/conftest.py and `regional`: a Dinas Kesehatan employee whose account is
# Admin BKPSDM (tests/core/test_access_matrix.py), answering as BKPSDM unless a row says otherwise.
MATRIX_PERSONAS = [*PERSONAS, "regional"]
ALL = dict.fromkeys(MATRIX_PERSONAS, 200)
READERS = {"bkpsdm": 200, "pimpinan": 200, "inspektorat": 200}


def expect(default: int, anonymous: int = 302, **overrides: int) -> dict[str, int]:
    """Every persona answers `default`, anonymous visitors `anonymous` (the login redirect),
    except the `overrides`; `regional` answers as BKPSDM unless overridden."""
    table = dict.fromkeys(MATRIX_PERSONAS, default)
    table["anonymous"] = anonymous
    table.update(overrides)
    if "regional" not in overrides:
        table["regional"] = table["bkpsdm"]
    return table


# Every access matrix: module → its namespace (for rows that name a URL without one).
MATRICES = {
    "tests.core.test_access_matrix": "core",
    "tests.performance.test_pages": "performance",
    "tests.assessment.test_pages": "assessment",
    "tests.public.test_access_matrix": "public",
    "tests.competency.test_access": "competency",
    "tests.rewards.test_access": "rewards",
    "tests.adoption.test_access": "adoption",
    "tests.monitoring.test_access": "monitoring",
    "tests.assessment.siasn.test_access": "siasn",
}


@dataclass(frozen=True)
class Route:
    name: str
    url_name: str
    url: Callable[..., str]  # (org) or (org, the matrix's fixture data) → the address
    expected: dict[str, int]
    method: str = "get"
    data: Callable[..., dict[str, Any]] | None = None  # the POST body, from the same arguments


def _address(org: Org, route: Route, *args: Any) -> tuple[str, dict[str, Any] | None]:
    """The route's address and POST body, built once per check (building may write rows)."""
    return route.url(org, *args), route.data(org, *args) if route.data else None


def answer(org: Org, route: Route, persona: str, url: str, data: dict[str, Any] | None) -> int:
    """The status a persona gets at `url` (a stream is read to its end first)."""
    call = getattr(client_for(org, persona), route.method)
    response = call(url, data) if data else call(url)
    if getattr(response, "streaming", False):
        with warnings.catch_warnings():  # a sync client reading an async stream says so
            warnings.simplefilter("ignore")
            b"".join(response)  # run the (bounded) stream to its end
    return int(response.status_code)


def check_route(
    org: Org, route: Route, *args: Any, personas: Iterable[str] = MATRIX_PERSONAS
) -> None:
    """Ask as every persona; fail with every persona whose answer differs from the policy."""
    url, data = _address(org, route, *args)
    answers = {persona: answer(org, route, persona, url, data) for persona in personas}
    wrong = {p: (got, route.expected[p]) for p, got in answers.items() if got != route.expected[p]}
    assert not wrong, f"{route.name}: persona → (got, expected) {wrong}"


def check_persona(org: Org, route: Route, persona: str, *args: Any) -> None:
    """Ask as one persona (matrices parametrized by route × persona)."""
    got = answer(org, route, persona, *_address(org, route, *args))
    assert got == route.expected[persona], f"{route.name} as {persona}: {got}"


def by_persona(routes: Iterable[Route], personas: Iterable[str]) -> list[Any]:
    """pytest parameters (route, persona) for every route and persona, with readable ids."""
    return [
        pytest.param(route, persona, id=f"{route.name}-{persona}")
        for route in routes
        for persona in personas
    ]


def qualified(namespace: str, routes: Iterable[Route]) -> set[str]:
    """The qualified URL names the rows cover (``namespace:name`` unless already qualified)."""
    return {
        r.url_name.lstrip(":") if ":" in r.url_name else f"{namespace}:{r.url_name}"
        for r in routes
        if r.url_name
    }


def uncovered(namespace: str, routes: Iterable[Route]) -> list[str]:
    """The named URLs of `namespace` without a row (a new URL without one fails its test)."""
    _prefix, sub = get_resolver().namespace_dict[namespace]
    names = {f"{namespace}:{name}" for name in sub.reverse_dict if isinstance(name, str)}
    return sorted(n.split(":", 1)[1] for n in names - qualified(namespace, routes))


def matrix_routes(module: str) -> list[Route]:
    """Every Route of a matrix module (its ROUTES and any other list of rows)."""
    found = importlib.import_module(module)
    return [
        item
        for value in vars(found).values()
        if isinstance(value, list)
        for item in value
        if isinstance(item, Route)
    ]


def api_operation_url_names() -> set[str]:
    """The URL names of the API operations that tests/api/test_access.py covers: its rows name
    OpenAPI operations ("GET /api/v1/units/{unit_id}"), resolved here to the URL they serve."""
    import re

    from django.urls import resolve

    from tests.api.test_access import ROUTES as API_ROUTES

    # django-ninja may name one path twice (a PUT and a POST on it): every name of the path.
    by_route: dict[str, set[str]] = {}
    for name in project_url_names():
        if name.startswith("api:"):
            by_route.setdefault(str(resolve_name(name)), set()).add(name)
    names: set[str] = set()
    for route in API_ROUTES:
        path = re.sub(r"\{[^}]+\}", "1", route.operation.split(" ", 1)[1])
        match = resolve(path)
        names.add(match.view_name)
        names |= by_route.get(match.route, set())
    return names


def resolve_name(qualified_name: str) -> str:
    """The route (pattern text) of a named URL of the API namespace."""
    namespace, _, name = qualified_name.partition(":")
    for pattern in get_resolver().url_patterns:
        if isinstance(pattern, URLResolver) and pattern.namespace == namespace:
            for sub in pattern.url_patterns:
                if getattr(sub, "name", None) == name:
                    return f"{pattern.pattern}{sub.pattern}"
    return ""


def covered_url_names() -> set[str]:
    """The qualified URL names covered by some matrix of MATRICES, and the API's operations."""
    names: set[str] = api_operation_url_names()
    for module, namespace in MATRICES.items():
        names |= qualified(namespace, matrix_routes(module))
    return names


def project_url_names() -> set[str]:
    """Every named URL of the project, qualified by its namespaces (``"api:get_plan"``,
    ``"set_language"``), walking the whole resolver tree."""
    names: set[str] = set()

    def walk(resolver: URLResolver, prefix: str) -> None:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                namespace = pattern.namespace
                walk(pattern, f"{prefix}{namespace}:" if namespace else prefix)
            elif pattern.name:
                names.add(f"{prefix}{pattern.name}")

    walk(get_resolver(), "")
    return names
