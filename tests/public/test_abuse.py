"""Abuse of the citizens' side (issue 10): rate limits count the real client (security 4) and
each kiosk device (security 8); JSON nested too deep is a 400 (security 5)."""

from __future__ import annotations

from django.test import Client, override_settings

from .test_complaints import form


@override_settings(TRUSTED_PROXIES=["10.0.0.1"], PUBLIC_COMPLAINT_RATE_LIMIT="2/3600")
def test_the_complaint_limit_counts_the_real_client_behind_the_proxy(pub) -> None:  # type: ignore[no-untyped-def]
    def file(forwarded: str) -> bool:
        response = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded).post(
            "/pengaduan/", form(pub)
        )
        return response.status_code == 302

    # One citizen forging a new address each time is still one citizen...
    assert [file(f"198.51.100.{n}, 203.0.113.9") for n in range(3)] == [True, True, False]
    # ...and another citizen behind the same proxy has a limit of their own.
    assert file("203.0.113.77")


def test_a_kiosk_device_may_burst_then_gets_429_with_retry_after(pub, time_machine) -> None:  # type: ignore[no-untyped-def]
    """Issue 10, security 8: 40 rapid submissions were all accepted."""
    from kinerja.public import services
    from kinerja.public.models import SurveyResponse

    from .test_kiosk_api import GOOD, post

    time_machine.move_to("2026-10-20 10:00:10 +07:00", tick=False)
    _device, token = services.device_issue(service=pub.pkm, name="Tablet", by=None)
    _other, other_token = services.device_issue(service=pub.pkm, name="Tablet 2", by=None)
    answers = [post(token, GOOD) for _ in range(40)]
    codes = [r.status_code for r in answers]
    assert codes == [201] * 20 + [429] * 20
    refused = answers[-1]
    assert refused["Retry-After"] == "51"  # the minute's window ends at 10:01:00
    assert "Terlalu banyak" in refused.json()["detail"]
    assert SurveyResponse.objects.count() == 20
    # Another device of the same counter has its own allowance.
    assert post(other_token, GOOD).status_code == 201
    # A minute later the device may send again; the hourly limit still holds overall.
    time_machine.move_to("2026-10-20 10:01:05 +07:00", tick=False)
    assert post(token, GOOD).status_code == 201


@override_settings(PUBLIC_KIOSK_RATE_LIMIT="3/60,5/3600")
def test_the_hourly_limit_holds_across_minutes(pub, time_machine) -> None:  # type: ignore[no-untyped-def]
    from kinerja.public import services

    from .test_kiosk_api import GOOD, post

    _device, token = services.device_issue(service=pub.pkm, name="Tablet", by=None)
    codes = []
    for minute in range(4):
        time_machine.move_to(f"2026-10-20 10:{minute:02d}:30 +07:00", tick=False)
        codes += [post(token, GOOD).status_code for _ in range(2)]
    assert codes == [201, 201, 201, 201, 201, 429, 429, 429]


def test_the_kiosk_answers_400_to_json_nested_100000_deep(pub) -> None:  # type: ignore[no-untyped-def]
    from kinerja.public import services
    from kinerja.public.models import SurveyResponse

    from .test_kiosk_api import post

    _device, token = services.device_issue(service=pub.pkm, name="Tablet", by=None)
    deep = "[" * 100_000 + "]" * 100_000
    response = post(token, deep, raw=True)
    assert response.status_code == 400
    assert "bersarang terlalu dalam" in response.json()["detail"]
    nested = {"answers": [4] * 9, "profile": {"sex": "L"}, "suggestion": "[[[[{{{{" * 50}
    assert post(token, nested).status_code == 201
    assert SurveyResponse.objects.count() == 1
