"""Rate limits of the citizens' side count the real client (issue 10, security 4) and each kiosk
device (security 8)."""

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
