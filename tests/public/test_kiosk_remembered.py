"""The kiosk API remembers each worker's devices (issue 16 item 6): a submission from a device
already seen is one INSERT, and that INSERT checks the device and its service itself, so a
device revoked, a service closed or renamed by another process (here: behind the cache's back,
with a plain UPDATE) is refused at once and nothing is stored."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kinerja.public import services
from kinerja.public.models import KioskDevice, Service, SurveyDay, SurveyResponse
from kinerja.public.survey import selectors as survey_selectors

URL = "/api/v1/public/surveys/{code}/responses"
GOOD = {"answers": [4, 3, 3, 2, 4, 4, 3, 3, 4], "profile": {"sex": "P", "age": 41}}


def post(client, token: str, code: str = "PKM01-UMUM"):  # type: ignore[no-untyped-def]
    return client.post(
        URL.format(code=code),
        json.dumps(GOOD),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


@pytest.fixture
def token(pub) -> str:  # type: ignore[no-untyped-def]
    survey_selectors.kiosk_devices_forget()
    _device, value = services.device_issue(service=pub.pkm, name="Tablet Loket 1", by=None)
    return value


def _writes(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]


@pytest.mark.django_db(transaction=True)
def test_a_remembered_device_costs_one_insert(pub, token, client) -> None:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as first:
        assert post(client, token).status_code == 201
    assert len(first.captured_queries) <= 2  # the device, then the INSERT (its trigger: totals)
    for _ in range(2):
        with CaptureQueriesContext(connection) as again:
            assert post(client, token).status_code == 201
        assert len(again.captured_queries) == 1, again.captured_queries
        assert again.captured_queries[0]["sql"].startswith("INSERT")
    assert SurveyResponse.objects.count() == 3
    assert SurveyDay.objects.get().respondents == 3


@pytest.mark.django_db
def test_a_device_revoked_elsewhere_is_refused_at_once(pub, token, client) -> None:  # type: ignore[no-untyped-def]
    assert post(client, token).status_code == 201
    KioskDevice.objects.update(revoked_at=timezone.now())  # another worker revoked it
    response = post(client, token)
    assert response.status_code == 401
    assert "dicabut" in response.json()["detail"]
    assert SurveyResponse.objects.count() == 1
    assert SurveyDay.objects.get().respondents == 1


@pytest.mark.django_db
def test_a_service_closed_elsewhere_refuses_and_reopened_accepts(pub, token, client) -> None:  # type: ignore[no-untyped-def]
    assert post(client, token).status_code == 201
    Service.objects.filter(pk=pub.pkm.pk).update(is_active=False)
    response = post(client, token)
    assert response.status_code == 400
    assert "ditutup" in response.json()["detail"]
    Service.objects.filter(pk=pub.pkm.pk).update(is_active=True)  # remembered closed: read again
    assert post(client, token).status_code == 201
    assert SurveyResponse.objects.count() == 2
    assert SurveyDay.objects.get().respondents == 2


@pytest.mark.django_db
def test_a_service_renamed_elsewhere_follows_its_new_code(pub, token, client) -> None:  # type: ignore[no-untyped-def]
    assert post(client, token).status_code == 201
    Service.objects.filter(pk=pub.pkm.pk).update(code="PKM01-BARU")
    response = post(client, token)  # the old code, still remembered
    assert response.status_code == 401
    assert "tidak berlaku" in response.json()["detail"]
    assert post(client, token, code="PKM01-BARU").status_code == 201
    assert SurveyResponse.objects.count() == 2
    assert set(SurveyResponse.objects.values_list("service_id", flat=True)) == {pub.pkm.pk}


@pytest.mark.django_db
def test_revoking_in_this_worker_forgets_its_devices(pub, token, client) -> None:  # type: ignore[no-untyped-def]
    assert post(client, token).status_code == 201
    services.device_revoke(device=KioskDevice.objects.get(), by=None)
    with CaptureQueriesContext(connection) as queries:
        assert post(client, token).status_code == 401
    assert not any(q.startswith("INSERT") for q in _writes(queries))
    assert SurveyResponse.objects.count() == 1
