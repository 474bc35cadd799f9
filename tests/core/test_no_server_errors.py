"""Every page and API route answers huge integers (in the path and in the usual query
parameters) without a server error (issue 10, security 5): 400 or 404, never 500."""

from __future__ import annotations

import re
import warnings

from django.urls import URLResolver, get_resolver

from tests.conftest import Org, client_for

BIG = str(2**63)
PARAMS = ("page", "opd", "unit", "tahun", "sejak")
SKIP = ("admin/", "static/", "media/", "pantau/langsung/")  # the stream: test_bad_input


def _routes(patterns, prefix=""):  # type: ignore[no-untyped-def]
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


def _urls() -> list[str]:
    urls = set()
    for route in _routes(get_resolver().url_patterns):
        route = route.lstrip("^").rstrip("$")
        if route.startswith(SKIP) or "(?P" in route:
            continue
        urls.add("/" + re.sub(r"<(int:)?[^>]+>", lambda m: BIG if m.group(1) else "X", route))
    return sorted(urls)


def test_no_route_fails_on_integers_out_of_range(org: Org) -> None:
    client = client_for(org, "bkpsdm")
    client.raise_request_exception = False
    failures = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for url in _urls():
            queries = [""] if BIG in url else [f"?{p}={BIG}" for p in PARAMS]
            for query in queries:
                status = client.get(url + query).status_code
                if status >= 500:
                    failures.append((url + query, status))
    assert not failures, failures
