"""schemathesis over the whole API schema (issue 17), with a bounded budget: generated requests
(valid and invalid) reach the Django app through WSGI, authenticated with a BKPSDM token of the
`admin` scope (it sees everything), and must never answer 500 nor break the schema (status
codes, content types and bodies as documented). A few examples per operation, no deadline,
derandomised so that CI runs the same requests every time."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as budget
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from kinerja.api.api import api
from kinerja.organisation.tokens import token_create
from tests.conftest import Org

schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = get_wsgi_application()
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def auth(org: Org, settings: Any) -> Iterator[dict[str, str]]:
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    settings.API_RATE_LIMIT_TOKEN = settings.API_RATE_LIMIT_ADDRESS = "0/60"  # limits: test_limits
    _row, token = token_create(user=org.users["bkpsdm"], name="fuzz", scopes=["admin"])
    # The real WSGI handler closes the database connection around each request; inside the
    # test's transaction that would close it under the test (PostgreSQL). Django's test client
    # disconnects the same handler for the same reason.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield {"Authorization": f"Bearer {token}"}
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@schema.parametrize()
@budget(
    max_examples=5,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_request_breaks_the_api(case: Any, auth: dict[str, str]) -> None:
    case.call_and_validate(headers=auth, checks=CHECKS)
