"""Lists, dashboards and transparency pages run a fixed number of queries, whatever the number of
services, responses, complaints or posts (CONVENTIONS: no N+1)."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from kinerja.organisation.choices import UnitKind
from kinerja.public import services
from kinerja.public.choices import Channel
from tests.conftest import client_for
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def grow(pub, n: int) -> None:  # type: ignore[no-untyped-def]
    """Add `n` more public units with a service, questionnaires, complaints and forum posts."""
    admin = pub.org.users["admin_opd"]
    _p, token = services.participant_signup(email=f"q{n}@example.id", nickname=f"Penguji {n}")
    participant = services.participant_confirm(token=token)
    for i in range(n):
        unit = UnitFactory(
            name=f"UPT Puskesmas Uji {n}-{i}",
            kind=UnitKind.PUSKESMAS,
            parent=pub.org.dinkes,
            serves_public=True,
        )
        service = services.service_create(
            by=None, unit=unit, code=f"UJI{n}-{i}", name=f"Layanan {i}"
        )
        services.responses_enter(
            service=service,
            rows=[
                services.PaperRow(
                    date(2026, m, 3), "pagi", [3, 4, 3, 2, 4, 3, 3, 4, 2], services.Profile(sex="L")
                )
                for m in range(1, 6)
            ],
            by=None,
            source="test",
        )
        services.response_submit(
            service=service, answers=[4] * 9, channel=Channel.KIOSK, suggestion="Bagus."
        )
        complaint = services.complaint_file(
            unit=unit,
            service=service,
            kind="pengaduan",
            category="waktu",
            description="Antrean lama sekali di loket pendaftaran pagi ini.",
        )
        services.complaint_respond(complaint=complaint, by=admin, message="Kami tindak lanjuti.")
        services.topic_start(
            participant=participant,
            unit=unit,
            service=service,
            title=f"Topik {i}",
            body="Isi topik ini.",
        )


PAGES = [
    ("anonymous", lambda p: "/transparansi/"),
    ("anonymous", lambda p: f"/transparansi/unit/{p.org.dinkes.pk}/"),
    ("anonymous", lambda p: "/survei/"),
    ("anonymous", lambda p: "/forum/"),
    ("anonymous", lambda p: "/pengaduan/"),
    ("admin_opd", lambda p: "/layanan-publik/"),
    ("admin_opd", lambda p: "/layanan-publik/pengaduan/"),
    ("admin_opd", lambda p: "/layanan-publik/forum/"),
    ("admin_opd", lambda p: f"/layanan-publik/unit/{p.org.dinkes.pk}/hasil/"),
    ("supervisor", lambda p: "/layanan-publik/pengaduan/"),
    ("bkpsdm", lambda p: "/layanan-publik/"),
    ("bkpsdm", lambda p: "/layanan-publik/pertanyaan/"),
    ("bkpsdm", lambda p: "/layanan-publik/pertanyaan/U3/"),
]


@pytest.mark.parametrize(("persona", "url"), PAGES)
def test_the_number_of_queries_does_not_grow_with_the_data(
    pub, persona, url, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def warm_client() -> Client:
        client = client_for(pub.org, persona) if persona != "anonymous" else Client()
        client.get(url(pub))  # the first request fills caches (regency, session)
        return client

    grow(pub, 2)
    client = warm_client()
    with CaptureQueriesContext(connection) as few_rows:
        assert client.get(url(pub)).status_code == 200
    # Read now: the captured list is a lazy slice of connection.queries, reset by each request.
    baseline = len(few_rows)
    grow(pub, 6)
    client = warm_client()
    with django_assert_max_num_queries(baseline, info=url(pub)):
        assert client.get(url(pub)).status_code == 200


def test_the_question_list_runs_the_same_queries_with_any_number_of_own_wordings(pub) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kinerja.public.choices import DEFAULT_QUESTIONS

    client = client_for(pub.org, "bkpsdm")
    client.get("/layanan-publik/pertanyaan/")
    with CaptureQueriesContext(connection) as defaults_only:
        assert client.get("/layanan-publik/pertanyaan/").status_code == 200
    baseline = len(defaults_only)
    for code in DEFAULT_QUESTIONS:
        services.question_update(
            code=code, question=f"Pertanyaan {code}?", labels=["a", "b", "c", "d"], by=None
        )
    with CaptureQueriesContext(connection) as all_custom:
        assert client.get("/layanan-publik/pertanyaan/").status_code == 200
    assert len(all_custom) == baseline
