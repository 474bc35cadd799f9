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
                response = client.get(url + query)
                if response.status_code >= 500 and not _not_ready(url, response):
                    failures.append((url + query, response.status_code))
    assert not failures, failures


def _not_ready(url: str, response) -> bool:  # type: ignore[no-untyped-def]
    """/readyz answers 503 by design when a check fails (the machine, not the parameter: a
    one-second budget on a loaded machine); it must still be its report, naming the check."""
    if not url.startswith("/readyz") or response.status_code != 503:
        return False
    report = response.json()
    return report["status"] == "error" and bool(report["failed"])
